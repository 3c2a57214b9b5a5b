// Table-driven tests of condition operators and policy variables, evaluated
// through Evaluate with an identity policy "Allow * on * if <condition>".
#include <gtest/gtest.h>

#include "core/iam/condition.h"
#include "core/iam/evaluator.h"
#include "core/iam/evaluator_test_support.h"

namespace ck::core::iam {
namespace {

using namespace ck::core::iam::testing;  // NOLINT

constexpr const char* kStringOps = "IAM: String condition operators";
constexpr const char* kNumericOps = "IAM: Numeric condition operators";
constexpr const char* kDateOps = "IAM: Date condition operators";
constexpr const char* kBoolOps = "IAM: Boolean condition operator";
constexpr const char* kBinaryOps = "IAM: Binary condition operator";
constexpr const char* kIpOps = "IAM: IP address condition operators";
constexpr const char* kArnOps = "IAM: ARN condition operators (each of six parts matched separately)";
constexpr const char* kNullOp = "IAM: Null condition operator checks key presence";
constexpr const char* kIfExists = "IAM: ...IfExists - true when the key is absent";
constexpr const char* kMissingKey = "IAM: a missing key makes positive operators false, negated operators true";
constexpr const char* kMultiValue = "IAM: several values for one key are ORed (negated operators: none may match)";
constexpr const char* kAndRule = "IAM: several operators or keys in a Condition are ANDed";
constexpr const char* kKeyCase = "IAM: condition key names are case-insensitive, values case-sensitive";
constexpr const char* kSetOps = "IAM: ForAnyValue / ForAllValues set operators";
constexpr const char* kVars = "IAM: policy variables (Version 2012-10-17 only)";
constexpr const char* kDenyCond = "IAM: a Deny statement applies only when its condition holds";

// A row allowed when the condition holds, denied (no identity allow) otherwise.
Case C(const char* rule, const char* name, const std::string& cond, Keys keys, bool holds, Who who = Who::kAlice) {
  Case k{.rule = rule, .name = name, .who = who, .identity = {CondAllow(cond)}, .keys = std::move(keys)};
  if (!holds) {
    k.want = kImplicit;
    k.reason = Reason::kNoIdentityAllow;
  }
  return k;
}

std::vector<Case> Cases() {
  std::vector<Case> c;
  // String
  c.push_back(C(kStringOps, "string_equals_match", R"("StringEquals":{"aws:RequestedRegion":"us-east-1"})", {{"aws:RequestedRegion", {"us-east-1"}}}, true));
  c.push_back(C(kStringOps, "string_equals_mismatch", R"("StringEquals":{"aws:RequestedRegion":"us-east-1"})", {{"aws:RequestedRegion", {"eu-west-1"}}}, false));
  c.push_back(C(kKeyCase, "string_equals_value_case_sensitive", R"("StringEquals":{"k":"Value"})", {{"k", {"value"}}}, false));
  c.push_back(C(kKeyCase, "string_equals_key_case_insensitive", R"("StringEquals":{"AWS:REQUESTEDREGION":"us-east-1"})", {{"aws:RequestedRegion", {"us-east-1"}}}, true));
  c.push_back(C(kMissingKey, "string_equals_missing_key", R"("StringEquals":{"k":"v"})", {}, false));
  c.push_back(C(kMultiValue, "string_equals_values_ored", R"("StringEquals":{"k":["a","b","c"]})", {{"k", {"b"}}}, true));
  c.push_back(C(kStringOps, "string_not_equals_differs", R"("StringNotEquals":{"k":"a"})", {{"k", {"b"}}}, true));
  c.push_back(C(kStringOps, "string_not_equals_equal", R"("StringNotEquals":{"k":"a"})", {{"k", {"a"}}}, false));
  c.push_back(C(kMultiValue, "string_not_equals_values_anded", R"("StringNotEquals":{"k":["a","b"]})", {{"k", {"b"}}}, false));
  c.push_back(C(kMultiValue, "string_not_equals_none_match", R"("StringNotEquals":{"k":["a","b"]})", {{"k", {"c"}}}, true));
  c.push_back(C(kMissingKey, "string_not_equals_missing_key", R"("StringNotEquals":{"k":"a"})", {}, true));
  c.push_back(C(kStringOps, "string_equals_ignore_case", R"("StringEqualsIgnoreCase":{"k":"HeLLo"})", {{"k", {"hello"}}}, true));
  c.push_back(C(kStringOps, "string_not_equals_ignore_case_equal", R"("StringNotEqualsIgnoreCase":{"k":"HELLO"})", {{"k", {"hello"}}}, false));
  c.push_back(C(kStringOps, "string_like_star", R"("StringLike":{"s3:prefix":"home/*"})", {{"s3:prefix", {"home/alice/x"}}}, true));
  c.push_back(C(kStringOps, "string_like_question", R"("StringLike":{"k":"ab?d"})", {{"k", {"abcd"}}}, true));
  c.push_back(C(kStringOps, "string_like_no_match", R"("StringLike":{"s3:prefix":"home/*"})", {{"s3:prefix", {"other/x"}}}, false));
  c.push_back(C(kStringOps, "string_like_case_sensitive", R"("StringLike":{"k":"Home*"})", {{"k", {"home"}}}, false));
  c.push_back(C(kStringOps, "string_equals_star_is_literal", R"("StringEquals":{"k":"a*"})", {{"k", {"abc"}}}, false));
  c.push_back(C(kStringOps, "string_not_like_match", R"("StringNotLike":{"k":"a*"})", {{"k", {"abc"}}}, false));
  c.push_back(C(kMissingKey, "string_not_like_missing", R"("StringNotLike":{"k":"a*"})", {}, true));
  c.push_back(C(kIfExists, "string_equals_if_exists_missing", R"("StringEqualsIfExists":{"k":"a"})", {}, true));
  c.push_back(C(kIfExists, "string_equals_if_exists_mismatch", R"("StringEqualsIfExists":{"k":"a"})", {{"k", {"b"}}}, false));
  c.push_back(C(kIfExists, "string_not_equals_if_exists_equal", R"("StringNotEqualsIfExists":{"k":"a"})", {{"k", {"a"}}}, false));
  c.push_back(C(kIfExists, "string_like_if_exists_match", R"("StringLikeIfExists":{"k":"a*"})", {{"k", {"ab"}}}, true));
  c.push_back(C(kMissingKey, "empty_value_list_counts_as_missing", R"("StringEquals":{"k":"a"})", {{"k", {}}}, false));
  // Numeric
  c.push_back(C(kNumericOps, "numeric_equals", R"("NumericEquals":{"s3:max-keys":10})", {{"s3:max-keys", {"10"}}}, true));
  c.push_back(C(kNumericOps, "numeric_equals_decimal", R"("NumericEquals":{"n":"10"})", {{"n", {"10.0"}}}, true));
  c.push_back(C(kNumericOps, "numeric_not_equals", R"("NumericNotEquals":{"n":"10"})", {{"n", {"11"}}}, true));
  c.push_back(C(kNumericOps, "numeric_less_than", R"("NumericLessThan":{"n":"10"})", {{"n", {"5"}}}, true));
  c.push_back(C(kNumericOps, "numeric_less_than_equal_value", R"("NumericLessThan":{"n":"10"})", {{"n", {"10"}}}, false));
  c.push_back(C(kNumericOps, "numeric_less_than_equals", R"("NumericLessThanEquals":{"n":"10"})", {{"n", {"10"}}}, true));
  c.push_back(C(kNumericOps, "numeric_greater_than", R"("NumericGreaterThan":{"n":"10"})", {{"n", {"11"}}}, true));
  c.push_back(C(kNumericOps, "numeric_greater_than_equals_below", R"("NumericGreaterThanEquals":{"n":"10"})", {{"n", {"9"}}}, false));
  c.push_back(C(kNumericOps, "numeric_negative", R"("NumericLessThan":{"n":"0"})", {{"n", {"-3"}}}, true));
  c.push_back(C(kNumericOps, "numeric_non_number_context", R"("NumericLessThan":{"n":"10"})", {{"n", {"abc"}}}, false));
  c.push_back(C(kNumericOps, "numeric_non_number_policy_value", R"("NumericEquals":{"n":"ten"})", {{"n", {"10"}}}, false));
  c.push_back(C(kMissingKey, "numeric_missing", R"("NumericLessThan":{"n":"10"})", {}, false));
  c.push_back(C(kMissingKey, "numeric_not_equals_missing", R"("NumericNotEquals":{"n":"10"})", {}, true));
  // Date
  c.push_back(C(kDateOps, "date_greater_than", R"("DateGreaterThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"})", {{"aws:CurrentTime", {"2024-06-05T12:00:00Z"}}}, true));
  c.push_back(C(kDateOps, "date_less_than_after", R"("DateLessThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"})", {{"aws:CurrentTime", {"2024-06-05T12:00:00Z"}}}, false));
  c.push_back(C(kDateOps, "date_equals_epoch_vs_iso", R"("DateEquals":{"aws:EpochTime":"2020-01-01T00:00:00Z"})", {{"aws:EpochTime", {"1577836800"}}}, true));
  c.push_back(C(kDateOps, "date_policy_value_epoch", R"("DateGreaterThanEquals":{"aws:CurrentTime":1577836800})", {{"aws:CurrentTime", {"2020-01-01T00:00:00Z"}}}, true));
  c.push_back(C(kDateOps, "date_only_policy_value", R"("DateLessThanEquals":{"aws:CurrentTime":"2020-01-02"})", {{"aws:CurrentTime", {"2020-01-01T23:59:59Z"}}}, true));
  c.push_back(C(kDateOps, "date_not_equals", R"("DateNotEquals":{"aws:CurrentTime":"2020-01-01T00:00:00Z"})", {{"aws:CurrentTime", {"2020-01-01T00:00:01Z"}}}, true));
  c.push_back(C(kDateOps, "date_with_offset", R"("DateEquals":{"aws:CurrentTime":"2020-01-01T01:00:00+01:00"})", {{"aws:CurrentTime", {"2020-01-01T00:00:00Z"}}}, true));
  c.push_back(C(kDateOps, "date_with_millis", R"("DateLessThan":{"aws:CurrentTime":"2020-01-01T00:00:00.500Z"})", {{"aws:CurrentTime", {"2020-01-01T00:00:00Z"}}}, true));
  c.push_back(C(kDateOps, "date_unparseable_context", R"("DateGreaterThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"})", {{"aws:CurrentTime", {"yesterday"}}}, false));
  c.push_back(C(kDateOps, "date_token_issue_time", R"("DateGreaterThan":{"aws:TokenIssueTime":"2024-01-01T00:00:00Z"})", {{"aws:TokenIssueTime", {"2023-12-31T23:59:59Z"}}}, false));
  // Bool
  c.push_back(C(kBoolOps, "bool_true", R"("Bool":{"aws:SecureTransport":"true"})", {{"aws:SecureTransport", {"true"}}}, true));
  c.push_back(C(kBoolOps, "bool_json_true", R"("Bool":{"aws:SecureTransport":true})", {{"aws:SecureTransport", {"true"}}}, true));
  c.push_back(C(kBoolOps, "bool_mismatch", R"("Bool":{"aws:SecureTransport":"true"})", {{"aws:SecureTransport", {"false"}}}, false));
  c.push_back(C(kMissingKey, "bool_false_with_missing_key_is_false", R"("Bool":{"aws:MultiFactorAuthPresent":"false"})", {}, false));
  c.push_back(C(kIfExists, "bool_if_exists_missing", R"("BoolIfExists":{"aws:MultiFactorAuthPresent":"false"})", {}, true));
  c.push_back(C(kBoolOps, "bool_case_insensitive", R"("Bool":{"aws:SecureTransport":"True"})", {{"aws:SecureTransport", {"true"}}}, true));
  // Binary
  c.push_back(C(kBinaryOps, "binary_equals", R"("BinaryEquals":{"k":"QmluYXJ5VmFsdWU="})", {{"k", {"QmluYXJ5VmFsdWU="}}}, true));
  c.push_back(C(kBinaryOps, "binary_mismatch", R"("BinaryEquals":{"k":"QmluYXJ5VmFsdWU="})", {{"k", {"b3RoZXI="}}}, false));
  // IP
  c.push_back(C(kIpOps, "ip_in_cidr", R"("IpAddress":{"aws:SourceIp":"203.0.113.0/24"})", {{"aws:SourceIp", {"203.0.113.77"}}}, true));
  c.push_back(C(kIpOps, "ip_outside_cidr", R"("IpAddress":{"aws:SourceIp":"203.0.113.0/24"})", {{"aws:SourceIp", {"203.0.114.1"}}}, false));
  c.push_back(C(kIpOps, "ip_host", R"("IpAddress":{"aws:SourceIp":"127.0.0.1"})", {{"aws:SourceIp", {"127.0.0.1"}}}, true));
  c.push_back(C(kIpOps, "ip_odd_prefix", R"("IpAddress":{"aws:SourceIp":"10.0.0.0/9"})", {{"aws:SourceIp", {"10.127.255.255"}}}, true));
  c.push_back(C(kIpOps, "ip_odd_prefix_outside", R"("IpAddress":{"aws:SourceIp":"10.0.0.0/9"})", {{"aws:SourceIp", {"10.128.0.0"}}}, false));
  c.push_back(C(kIpOps, "ip_list_ored", R"("IpAddress":{"aws:SourceIp":["192.0.2.0/24","203.0.113.0/24"]})", {{"aws:SourceIp", {"203.0.113.5"}}}, true));
  c.push_back(C(kIpOps, "not_ip_outside", R"("NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"})", {{"aws:SourceIp", {"198.51.100.1"}}}, true));
  c.push_back(C(kIpOps, "not_ip_inside", R"("NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"})", {{"aws:SourceIp", {"203.0.113.1"}}}, false));
  c.push_back(C(kIpOps, "ipv6_in_cidr", R"("IpAddress":{"aws:SourceIp":"2001:DB8:1234:5678::/64"})", {{"aws:SourceIp", {"2001:db8:1234:5678::9"}}}, true));
  c.push_back(C(kIpOps, "ipv6_outside", R"("IpAddress":{"aws:SourceIp":"2001:DB8:1234:5678::/64"})", {{"aws:SourceIp", {"2001:db8:1234:5679::1"}}}, false));
  c.push_back(C(kIpOps, "ip_family_mismatch", R"("IpAddress":{"aws:SourceIp":"0.0.0.0/0"})", {{"aws:SourceIp", {"::1"}}}, false));
  c.push_back(C(kIpOps, "ip_all_v4", R"("IpAddress":{"aws:SourceIp":"0.0.0.0/0"})", {{"aws:SourceIp", {"8.8.8.8"}}}, true));
  c.push_back(C(kMissingKey, "not_ip_missing", R"("NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"})", {}, true));
  c.push_back(C(kMissingKey, "ip_missing", R"("IpAddress":{"aws:SourceIp":"0.0.0.0/0"})", {}, false));
  // ARN
  c.push_back(C(kArnOps, "arn_equals", R"("ArnEquals":{"aws:SourceArn":"arn:aws:s3:::bucket1"})", {{"aws:SourceArn", {"arn:aws:s3:::bucket1"}}}, true));
  c.push_back(C(kArnOps, "arn_equals_mismatch", R"("ArnEquals":{"aws:SourceArn":"arn:aws:s3:::bucket1"})", {{"aws:SourceArn", {"arn:aws:s3:::bucket2"}}}, false));
  c.push_back(C(kArnOps, "arn_like_account_wildcard", R"("ArnLike":{"aws:SourceArn":"arn:aws:sns:*:111111111111:*"})", {{"aws:SourceArn", {"arn:aws:sns:us-east-1:111111111111:topic"}}}, true));
  c.push_back(C(kArnOps, "arn_like_wildcard_does_not_span_service", R"("ArnLike":{"aws:SourceArn":"arn:aws:s3:::*"})", {{"aws:SourceArn", {"arn:aws:sns:us-east-1:1:t"}}}, false));
  c.push_back(C(kArnOps, "arn_like_not_an_arn", R"("ArnLike":{"aws:SourceArn":"arn:aws:s3:::*"})", {{"aws:SourceArn", {"bucket1"}}}, false));
  c.push_back(C(kArnOps, "arn_not_equals", R"("ArnNotEquals":{"aws:SourceArn":"arn:aws:s3:::bucket1"})", {{"aws:SourceArn", {"arn:aws:s3:::bucket2"}}}, true));
  c.push_back(C(kArnOps, "arn_not_like_match", R"("ArnNotLike":{"aws:SourceArn":"arn:aws:s3:::bucket*"})", {{"aws:SourceArn", {"arn:aws:s3:::bucket9"}}}, false));
  c.push_back(C(kArnOps, "arn_principal_arn_from_principal", R"("ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::111111111111:role/app"})", {}, true, Who::kSessA));
  c.push_back(C(kArnOps, "arn_like_principal_arn_role_path", R"("ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/a*"})", {}, true, Who::kSessA));
  // Null
  c.push_back(C(kNullOp, "null_true_absent", R"("Null":{"aws:TokenIssueTime":"true"})", {}, true));
  c.push_back(C(kNullOp, "null_true_present", R"("Null":{"aws:TokenIssueTime":"true"})", {{"aws:TokenIssueTime", {"2024-01-01T00:00:00Z"}}}, false));
  c.push_back(C(kNullOp, "null_false_present", R"("Null":{"aws:TokenIssueTime":"false"})", {{"aws:TokenIssueTime", {"x"}}}, true));
  c.push_back(C(kNullOp, "null_false_absent", R"("Null":{"aws:TokenIssueTime":"false"})", {}, false));
  c.push_back(C(kNullOp, "null_json_bool", R"("Null":{"k":true})", {}, true));
  // Set operators
  c.push_back(C(kSetOps, "for_any_value_match", R"("ForAnyValue:StringEquals":{"aws:TagKeys":["env","team"]})", {{"aws:TagKeys", {"owner", "team"}}}, true));
  c.push_back(C(kSetOps, "for_any_value_none", R"("ForAnyValue:StringEquals":{"aws:TagKeys":["env","team"]})", {{"aws:TagKeys", {"owner", "cost"}}}, false));
  c.push_back(C(kSetOps, "for_any_value_missing", R"("ForAnyValue:StringEquals":{"aws:TagKeys":["env"]})", {}, false));
  c.push_back(C(kSetOps, "for_all_values_subset", R"("ForAllValues:StringEquals":{"aws:TagKeys":["env","team"]})", {{"aws:TagKeys", {"env", "team"}}}, true));
  c.push_back(C(kSetOps, "for_all_values_extra", R"("ForAllValues:StringEquals":{"aws:TagKeys":["env","team"]})", {{"aws:TagKeys", {"env", "cost"}}}, false));
  c.push_back(C(kSetOps, "for_all_values_missing_is_true", R"("ForAllValues:StringEquals":{"aws:TagKeys":["env"]})", {}, true));
  c.push_back(C(kSetOps, "for_all_values_empty_is_true", R"("ForAllValues:StringEquals":{"aws:TagKeys":["env"]})", {{"aws:TagKeys", {}}}, true));
  c.push_back(C(kSetOps, "for_any_value_not_equals_some_differ", R"("ForAnyValue:StringNotEquals":{"aws:TagKeys":["env"]})", {{"aws:TagKeys", {"env", "team"}}}, true));
  c.push_back(C(kSetOps, "for_any_value_not_equals_all_listed", R"("ForAnyValue:StringNotEquals":{"aws:TagKeys":["env"]})", {{"aws:TagKeys", {"env"}}}, false));
  c.push_back(C(kSetOps, "for_all_values_not_equals_all_differ", R"("ForAllValues:StringNotEquals":{"aws:TagKeys":["secret"]})", {{"aws:TagKeys", {"env", "team"}}}, true));
  c.push_back(C(kSetOps, "for_all_values_not_equals_one_listed", R"("ForAllValues:StringNotEquals":{"aws:TagKeys":["secret"]})", {{"aws:TagKeys", {"env", "secret"}}}, false));
  c.push_back(C(kSetOps, "for_any_value_string_like", R"("ForAnyValue:StringLike":{"aws:CalledVia":"*.amazonaws.com"})", {{"aws:CalledVia", {"athena.amazonaws.com"}}}, true));
  c.push_back(C(kSetOps, "for_all_values_if_exists_missing", R"("ForAllValues:StringLikeIfExists":{"aws:TagKeys":"x*"})", {}, true));
  c.push_back(C(kMultiValue, "multivalued_key_without_qualifier", R"("StringEquals":{"aws:CalledVia":"s3.amazonaws.com"})", {{"aws:CalledVia", {"athena.amazonaws.com", "s3.amazonaws.com"}}}, true));
  // AND across operators and keys
  c.push_back(C(kAndRule, "two_operators_both_true", R"("StringEquals":{"a":"1"},"Bool":{"b":"true"})", {{"a", {"1"}}, {"b", {"true"}}}, true));
  c.push_back(C(kAndRule, "two_operators_one_false", R"("StringEquals":{"a":"1"},"Bool":{"b":"true"})", {{"a", {"1"}}, {"b", {"false"}}}, false));
  c.push_back(C(kAndRule, "two_keys_one_false", R"("StringEquals":{"a":"1","b":"2"})", {{"a", {"1"}}, {"b", {"3"}}}, false));
  c.push_back(C(kAndRule, "two_keys_both_true", R"("StringEquals":{"a":"1","b":"2"})", {{"a", {"1"}}, {"b", {"2"}}}, true));
  // Variables
  auto var = [](const char* name, std::string policy, std::string resource, bool holds, Who who = Who::kAlice, Keys keys = {}) {
    Case k{.rule = kVars, .name = name, .who = who, .identity = {std::move(policy)}, .resource = std::move(resource), .keys = std::move(keys)};
    if (!holds) {
      k.want = kImplicit;
      k.reason = Reason::kNoIdentityAllow;
    }
    return k;
  };
  const std::string home = Allow("s3:GetObject", "arn:aws:s3:::bucket1/home/${aws:username}/*");
  c.push_back(var("var_username_own_prefix", home, "arn:aws:s3:::bucket1/home/alice/f.txt", true));
  c.push_back(var("var_username_other_prefix", home, "arn:aws:s3:::bucket1/home/bob/f.txt", false));
  c.push_back(var("var_username_absent_for_sessions", home, "arn:aws:s3:::bucket1/home//f.txt", false, Who::kSessA));
  c.push_back(var("var_default_value", Allow("s3:GetObject", "arn:aws:s3:::bucket1/home/${aws:username, 'shared'}/*"),
                  "arn:aws:s3:::bucket1/home/shared/f.txt", true, Who::kSessA));
  c.push_back(var("var_not_in_2008", Doc({St("Allow", Q("s3:GetObject"), Q("arn:aws:s3:::bucket1/home/${aws:username}/*"))}, "2008-10-17"),
                  "arn:aws:s3:::bucket1/home/alice/f.txt", false));
  c.push_back(var("var_2008_literal_text_matches", Doc({St("Allow", Q("s3:GetObject"), Q("arn:aws:s3:::bucket1/${x}"))}, nullptr),
                  "arn:aws:s3:::bucket1/${x}", true));
  c.push_back(var("var_principal_account", Allow("*", "arn:aws:kms:*:${aws:PrincipalAccount}:key/*"), kKey, true));
  c.push_back(var("var_principal_account_other", Allow("*", "arn:aws:kms:*:${aws:PrincipalAccount}:key/*"),
                  "arn:aws:kms:us-east-1:222222222222:key/k2", false));
  c.push_back(var("var_escape_star_literal", Allow("s3:GetObject", "arn:aws:s3:::bucket1/a${*}b"), "arn:aws:s3:::bucket1/a*b", true));
  c.push_back(var("var_escape_star_not_wildcard", Allow("s3:GetObject", "arn:aws:s3:::bucket1/a${*}b"), "arn:aws:s3:::bucket1/axb", false));
  c.push_back(var("var_escape_question", Allow("s3:GetObject", "arn:aws:s3:::bucket1/q${?}"), "arn:aws:s3:::bucket1/q?", true));
  c.push_back(var("var_escape_dollar", Allow("s3:GetObject", "arn:aws:s3:::bucket1/${$}{x}"), "arn:aws:s3:::bucket1/${x}", true));
  c.push_back(var("var_any_context_key", Allow("s3:GetObject", "arn:aws:s3:::bucket1/${s3:prefix}*"), "arn:aws:s3:::bucket1/docs/a", true,
                  Who::kAlice, {{"s3:prefix", {"docs/"}}}));
  c.push_back(var("var_userid", Allow("s3:GetObject", "arn:aws:s3:::bucket1/${aws:userid}/*"), "arn:aws:s3:::bucket1/AROAAPPEXAMPLE000004:sess1/x",
                  true, Who::kSessA));
  c.push_back(var("var_substituted_star_is_literal", Allow("s3:GetObject", "arn:aws:s3:::bucket1/${k}"), "arn:aws:s3:::bucket1/anything", false,
                  Who::kAlice, {{"k", {"*"}}}));
  c.push_back(var("var_in_condition_value", CondAllow(R"("StringLike":{"s3:prefix":"home/${aws:username}/*"})"), kObj, true, Who::kAlice,
                  {{"s3:prefix", {"home/alice/docs"}}}));
  c.push_back(var("var_in_condition_value_other_user", CondAllow(R"("StringLike":{"s3:prefix":"home/${aws:username}/*"})"), kObj, false,
                  Who::kBob, {{"s3:prefix", {"home/alice/docs"}}}));
  c.push_back(var("var_condition_unresolved_matches_nothing", CondAllow(R"("StringEquals":{"s3:prefix":"${aws:username}"})"), kObj, false,
                  Who::kSessA, {{"s3:prefix", {""}}}));
  c.push_back(var("var_condition_principal_tag", CondAllow(R"("StringEquals":{"aws:ResourceTag/team":"${aws:PrincipalTag/team}"})"), kObj, true,
                  Who::kAlice, {{"aws:ResourceTag/team", {"blue"}}, {"aws:PrincipalTag/team", {"blue"}}}));
  c.push_back(var("var_condition_in_2008_is_literal", Doc({St("Allow", Q("*"), Q("*"), R"("StringEquals":{"k":"${aws:username}"})")}, "2008-10-17"),
                  kObj, true, Who::kAlice, {{"k", {"${aws:username}"}}}));
  // Deny statements with conditions
  auto deny_if = [](const char* name, const std::string& cond, Keys keys, bool denied) {
    Case k{.rule = kDenyCond, .name = name, .identity = {AllowAll(), Doc({St("Deny", Q("*"), Q("*"), cond)})}, .keys = std::move(keys)};
    if (denied) {
      k.want = kExplicit;
      k.reason = Reason::kExplicitDenyIdentity;
    }
    return k;
  };
  c.push_back(deny_if("deny_outside_regions", R"("StringNotEquals":{"aws:RequestedRegion":["us-east-1","eu-west-1"]})",
                      {{"aws:RequestedRegion", {"ap-south-1"}}}, true));
  c.push_back(deny_if("deny_outside_regions_inside", R"("StringNotEquals":{"aws:RequestedRegion":["us-east-1","eu-west-1"]})",
                      {{"aws:RequestedRegion", {"eu-west-1"}}}, false));
  c.push_back(deny_if("deny_insecure_transport", R"("Bool":{"aws:SecureTransport":"false"})", {{"aws:SecureTransport", {"false"}}}, true));
  c.push_back(deny_if("deny_no_mfa_if_exists", R"("BoolIfExists":{"aws:MultiFactorAuthPresent":"false"})", {}, true));
  c.push_back(deny_if("deny_unless_via_service", R"("Null":{"aws:CalledVia":"true"})", {{"aws:CalledVia", {"s3.amazonaws.com"}}}, false));
  c.push_back(deny_if("deny_wrong_ip", R"("NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"})", {{"aws:SourceIp", {"192.168.1.1"}}}, true));
  return c;
}

class ConditionTable : public ::testing::TestWithParam<Case> {};
TEST_P(ConditionTable, Decision) { RunCase(GetParam()); }
INSTANTIATE_TEST_SUITE_P(Operators, ConditionTable, ::testing::ValuesIn(Cases()), CaseName);

TEST(ConditionOperator, ParsesQualifiersAndSuffix) {
  auto s = ParseConditionOperator("ForAllValues:StringNotLikeIfExists");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->op, ConditionOp::kStringLike);
  EXPECT_TRUE(s->negated);
  EXPECT_TRUE(s->if_exists);
  EXPECT_EQ(s->set, SetQualifier::kForAllValues);
  EXPECT_FALSE(ParseConditionOperator("NullIfExists").ok());
  EXPECT_FALSE(ParseConditionOperator("ForAnyValue:").ok());
  EXPECT_FALSE(ParseConditionOperator("IfExists").ok());
}

TEST(ConditionOperator, IpRangeParsing) {
  IpRange r;
  EXPECT_TRUE(ParseIpRange("10.0.0.0/8", &r));
  EXPECT_EQ(r.prefix, 8);
  EXPECT_FALSE(ParseIpRange("10.0.0.0/33", &r));
  EXPECT_FALSE(ParseIpRange("10.0.0/8", &r));
  EXPECT_FALSE(ParseIpRange("10.0.0.0/", &r));
  EXPECT_TRUE(ParseIpRange("::/0", &r));
  EXPECT_TRUE(r.v6);
  EXPECT_FALSE(ParseIpRange("", &r));
}

}  // namespace
}  // namespace ck::core::iam
