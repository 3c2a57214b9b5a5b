// Table-driven tests of Evaluate. Each row names the AWS rule it checks.
#include "core/iam/evaluator.h"

#include <gtest/gtest.h>

#include <memory>

#include "core/iam/evaluator_test_support.h"

namespace ck::core::iam {
namespace {

using namespace ck::core::iam::testing;  // NOLINT


// Doc rule labels (IAM user guide / KMS developer guide sections).
constexpr const char* kEvalLogic = "IAM: Policy evaluation logic - identity-based policies";
constexpr const char* kDenyWins = "IAM: an explicit deny in any policy overrides any allow";
constexpr const char* kImplicitDefault = "IAM: requests are implicitly denied by default";
constexpr const char* kActionRule = "IAM: Action - case-insensitive, * and ? wildcards";
constexpr const char* kResourceRule = "IAM: Resource - case-sensitive ARN, * and ? wildcards";
constexpr const char* kNotActionRule = "IAM: NotAction matches every action except those listed";
constexpr const char* kNotResourceRule = "IAM: NotResource matches every resource except those listed";
constexpr const char* kSameAcct = "IAM: within an account, identity OR resource-based policy allow is enough";
constexpr const char* kRootDelegates = "IAM/KMS: granting the account principal delegates to the account's IAM policies";
constexpr const char* kRoleVsSession = "IAM: role ARN in a resource policy matches its sessions; session ARN only itself";
constexpr const char* kCrossAcct = "IAM: Cross-account evaluation - both resource policy and identity policy must allow";
constexpr const char* kKmsDefault = "KMS: Default key policy - IAM policies are ineffective unless the key policy allows the account";
constexpr const char* kKmsXacct = "KMS: external accounts need key policy AND their own IAM policy";
constexpr const char* kTrustRule = "STS/IAM: role trust policy must allow the caller (AssumeRole)";
constexpr const char* kSessionRule = "IAM: session policies - effective permissions are identity AND session";
constexpr const char* kSessionRp = "IAM: resource policy naming the session ARN is not limited by session policy; role ARN is";
constexpr const char* kBoundaryRule = "IAM: permissions boundary - identity AND boundary";
constexpr const char* kBoundaryRp = "IAM: resource policy naming the user/session ARN is not limited by the boundary; role ARN is";
constexpr const char* kNotPrincipalRule = "IAM: NotPrincipal excludes a principal only with its account listed";
constexpr const char* kNotPrincipalBoundary = "IAM: NotPrincipal with Deny always denies principals with a permissions boundary";
constexpr const char* kAnonRule = "IAM: Principal \"*\" includes anonymous users; nothing else does";
constexpr const char* kServiceRule = "IAM: service principals are granted only by resource policies";
constexpr const char* kRootRule = "IAM: the account root user has all permissions in its account";
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


const std::string kRootAllKms = PSt("Allow", Aws(kRootAArn), Q("kms:*"), Q("*"));
const std::string kAllowGetObjOnBucket = St("Allow", Q("s3:GetObject"), Q("arn:aws:s3:::bucket1/*"));

std::vector<Case> Cases() {
  std::vector<Case> c;
  // ---- A. Identity-based policies, same account --------------------------------------
  c.push_back({.rule = kImplicitDefault, .name = "no_policies", .want = kImplicit, .reason = Reason::kNoIdentityAllow});
  c.push_back({.rule = kEvalLogic, .name = "exact_action_allows", .identity = {Allow("s3:GetObject")}});
  c.push_back({.rule = kActionRule, .name = "action_case_insensitive", .identity = {Allow("S3:getOBJECT")}});
  c.push_back({.rule = kActionRule, .name = "action_prefix_wildcard", .identity = {Allow("s3:Get*")}});
  c.push_back({.rule = kActionRule, .name = "action_wildcard_no_match", .identity = {Allow("s3:Put*")}, .want = kImplicit,
               .reason = Reason::kNoIdentityAllow});
  c.push_back({.rule = kActionRule, .name = "action_star", .identity = {Allow("*")}});
  c.push_back({.rule = kActionRule, .name = "action_question_mark", .identity = {Allow("s3:Get?bject")}});
  c.push_back({.rule = kActionRule, .name = "action_question_needs_one_char", .identity = {Allow("s3:GetObject?")},
               .want = kImplicit, .reason = Reason::kNoIdentityAllow});
  c.push_back({.rule = kActionRule, .name = "action_middle_wildcard", .identity = {Allow("s3:*Object")}});
  c.push_back({.rule = kActionRule, .name = "other_service", .identity = {Allow("kms:*")}, .want = kImplicit,
               .reason = Reason::kNoIdentityAllow});
  c.push_back({.rule = kActionRule, .name = "service_prefix_not_substring", .identity = {Allow("s3:GetObjectAcl")},
               .want = kImplicit, .reason = Reason::kNoIdentityAllow});
  c.push_back({.rule = kResourceRule, .name = "resource_exact", .identity = {Allow("s3:GetObject", kObj)}});
  c.push_back({.rule = kResourceRule, .name = "resource_case_sensitive", .identity = {Allow("s3:GetObject", "arn:aws:s3:::Bucket1/key")},
               .want = kImplicit, .reason = Reason::kNoIdentityAllow});
  c.push_back({.rule = kResourceRule, .name = "resource_prefix_wildcard", .identity = {Allow("s3:GetObject", "arn:aws:s3:::bucket1/*")}});
  c.push_back({.rule = kResourceRule, .name = "resource_question_mark", .identity = {Allow("s3:GetObject", "arn:aws:s3:::bucket?/k?y")}});
  c.push_back({.rule = kResourceRule, .name = "resource_other_bucket", .identity = {Allow("s3:GetObject", "arn:aws:s3:::bucket2/*")},
               .want = kImplicit, .reason = Reason::kNoIdentityAllow});
  c.push_back({.rule = kResourceRule, .name = "resource_bucket_arn_not_object", .identity = {Allow("s3:GetObject", "arn:aws:s3:::bucket1")},
               .want = kImplicit, .reason = Reason::kNoIdentityAllow});
  c.push_back({.rule = kResourceRule, .name = "resource_star_spans_slashes", .identity = {Allow("s3:GetObject", "arn:aws:s3:::*")},
               .resource = "arn:aws:s3:::bucket1/a/b/c:d"});
  c.push_back({.rule = kEvalLogic, .name = "second_policy_allows", .identity = {Allow("kms:Decrypt"), Allow("s3:GetObject")}});
  c.push_back({.rule = kEvalLogic, .name = "second_statement_allows",
               .identity = {Doc({St("Allow", Q("kms:*"), Q("*")), St("Allow", "[\"s3:List*\",\"s3:GetObject\"]", Q("*"))})}});
  c.push_back({.rule = kDenyWins, .name = "deny_same_policy", .identity = {Doc({St("Allow", Q("s3:*"), Q("*")), St("Deny", Q("s3:GetObject"), Q("*"))})},
               .want = kExplicit, .reason = Reason::kExplicitDenyIdentity});
  c.push_back({.rule = kDenyWins, .name = "deny_other_policy", .identity = {AllowAll(), DenyDoc("s3:Get*")}, .want = kExplicit,
               .reason = Reason::kExplicitDenyIdentity});
  c.push_back({.rule = kDenyWins, .name = "deny_without_allow_is_explicit", .identity = {DenyDoc("s3:*")}, .want = kExplicit,
               .reason = Reason::kExplicitDenyIdentity});
  c.push_back({.rule = kDenyWins, .name = "deny_other_resource_no_effect", .identity = {AllowAll(), DenyDoc("s3:*", "arn:aws:s3:::bucket2/*")}});
  c.push_back({.rule = kDenyWins, .name = "deny_other_action_no_effect", .identity = {AllowAll(), DenyDoc("s3:PutObject")}});
  c.push_back({.rule = kNotActionRule, .name = "notaction_allow_covers_other_service",
               .identity = {Doc({St("Allow", Q("iam:*"), Q("*"), "", "NotAction")})}});
  c.push_back({.rule = kNotActionRule, .name = "notaction_allow_excludes_listed", .identity = {Doc({St("Allow", Q("iam:*"), Q("*"), "", "NotAction")})},
               .action = "iam:CreateUser", .want = kImplicit, .reason = Reason::kNoIdentityAllow});
  c.push_back({.rule = kNotActionRule, .name = "notaction_deny_hits_other_actions",
               .identity = {AllowAll(), Doc({St("Deny", Q("s3:*"), Q("*"), "", "NotAction")})}, .action = "kms:Encrypt", .resource = kKey,
               .want = kExplicit, .reason = Reason::kExplicitDenyIdentity});
  c.push_back({.rule = kNotActionRule, .name = "notaction_deny_spares_listed",
               .identity = {AllowAll(), Doc({St("Deny", Q("s3:*"), Q("*"), "", "NotAction")})}});
  c.push_back({.rule = kNotActionRule, .name = "notaction_case_insensitive",
               .identity = {AllowAll(), Doc({St("Deny", Q("S3:GETOBJECT"), Q("*"), "", "NotAction")})}});
  c.push_back({.rule = kNotResourceRule, .name = "notresource_allow_other", .identity = {Doc({St("Allow", Q("s3:*"), Q("arn:aws:s3:::bucket2/*"), "", "Action", "NotResource")})}});
  c.push_back({.rule = kNotResourceRule, .name = "notresource_allow_excluded",
               .identity = {Doc({St("Allow", Q("s3:*"), Q("arn:aws:s3:::bucket1/*"), "", "Action", "NotResource")})}, .want = kImplicit,
               .reason = Reason::kNoIdentityAllow});
  c.push_back({.rule = kNotResourceRule, .name = "notresource_deny_elsewhere",
               .identity = {AllowAll(), Doc({St("Deny", Q("s3:*"), Q("arn:aws:s3:::bucket1/*"), "", "Action", "NotResource")})},
               .resource = "arn:aws:s3:::bucket2/x", .want = kExplicit, .reason = Reason::kExplicitDenyIdentity});
  c.push_back({.rule = kNotResourceRule, .name = "notresource_deny_spares_listed",
               .identity = {AllowAll(), Doc({St("Deny", Q("s3:*"), Q("arn:aws:s3:::bucket1/*"), "", "Action", "NotResource")})}});
  c.push_back({.rule = kRootRule, .name = "root_needs_no_policy", .who = Who::kRootA});
  c.push_back({.rule = kRootRule, .name = "root_any_action", .who = Who::kRootA, .action = "kms:ScheduleKeyDeletion", .resource = kKey});

  // ---- B. Resource-based policies, same account -----------------------------------------
  c.push_back({.rule = kSameAcct, .name = "rp_names_user", .resource_policy = Doc({PSt("Allow", Aws(kAlice), Q("s3:GetObject"), Q("arn:aws:s3:::bucket1/*"))})});
  c.push_back({.rule = kSameAcct, .name = "rp_names_other_user", .resource_policy = Doc({PSt("Allow", Aws(kBob), Q("s3:GetObject"), Q("*"))}),
               .want = kImplicit, .reason = Reason::kNoIdentityAllow});
  c.push_back({.rule = kSameAcct, .name = "rp_star", .resource_policy = Doc({PSt("Allow", Q("*"), Q("s3:GetObject"), Q("*"))})});
  c.push_back({.rule = kSameAcct, .name = "rp_aws_star", .resource_policy = Doc({PSt("Allow", Aws("*"), Q("s3:GetObject"), Q("*"))})});
  c.push_back({.rule = kRootDelegates, .name = "rp_account_root_alone_not_enough",
               .resource_policy = Doc({PSt("Allow", Aws(kRootAArn), Q("s3:*"), Q("*"))}), .want = kImplicit, .reason = Reason::kNoIdentityAllow});
  c.push_back({.rule = kRootDelegates, .name = "rp_account_root_plus_identity", .identity = {Allow("s3:GetObject")},
               .resource_policy = Doc({PSt("Allow", Aws(kRootAArn), Q("s3:*"), Q("*"))})});
  c.push_back({.rule = kRootDelegates, .name = "rp_account_id_alone_not_enough", .resource_policy = Doc({PSt("Allow", Aws(kA), Q("s3:*"), Q("*"))}),
               .want = kImplicit, .reason = Reason::kNoIdentityAllow});
  c.push_back({.rule = kRoleVsSession, .name = "rp_role_arn_matches_session", .who = Who::kSessA,
               .resource_policy = Doc({PSt("Allow", Aws(kAppRole), Q("s3:GetObject"), Q("*"))})});
  c.push_back({.rule = kRoleVsSession, .name = "rp_session_arn_matches", .who = Who::kSessA,
               .resource_policy = Doc({PSt("Allow", Aws(kAppSess), Q("s3:GetObject"), Q("*"))})});
  c.push_back({.rule = kRoleVsSession, .name = "rp_other_session_same_role", .who = Who::kSessA,
               .resource_policy = Doc({PSt("Allow", Aws("arn:aws:sts::111111111111:assumed-role/app/other"), Q("s3:GetObject"), Q("*"))}),
               .want = kImplicit, .reason = Reason::kNoIdentityAllow});
  c.push_back({.rule = kRoleVsSession, .name = "rp_other_role", .who = Who::kSessA,
               .resource_policy = Doc({PSt("Allow", Aws("arn:aws:iam::111111111111:role/other"), Q("s3:GetObject"), Q("*"))}),
               .want = kImplicit, .reason = Reason::kNoIdentityAllow});
  c.push_back({.rule = kRoleVsSession, .name = "rp_role_arn_does_not_match_user",
               .resource_policy = Doc({PSt("Allow", Aws(kAppRole), Q("s3:GetObject"), Q("*"))}), .want = kImplicit,
               .reason = Reason::kNoIdentityAllow});
  c.push_back({.rule = kDenyWins, .name = "rp_deny_beats_identity_allow", .identity = {AllowAll()},
               .resource_policy = Doc({PSt("Deny", Aws(kAlice), Q("s3:*"), Q("*"))}), .want = kExplicit, .reason = Reason::kExplicitDenyResource});
  c.push_back({.rule = kDenyWins, .name = "rp_deny_other_principal_no_effect", .identity = {AllowAll()},
               .resource_policy = Doc({PSt("Deny", Aws(kBob), Q("s3:*"), Q("*"))})});
  c.push_back({.rule = kDenyWins, .name = "rp_deny_star_hits_root", .who = Who::kRootA,
               .resource_policy = Doc({PSt("Deny", Q("*"), Q("s3:*"), Q("*"))}), .want = kExplicit, .reason = Reason::kExplicitDenyResource});
  c.push_back({.rule = kDenyWins, .name = "rp_deny_account_hits_users", .identity = {AllowAll()},
               .resource_policy = Doc({PSt("Deny", Aws(kA), Q("s3:*"), Q("*"))}), .want = kExplicit, .reason = Reason::kExplicitDenyResource});
  c.push_back({.rule = kDenyWins, .name = "rp_deny_role_hits_session", .who = Who::kSessA, .identity = {AllowAll()},
               .resource_policy = Doc({PSt("Deny", Aws(kAppRole), Q("s3:*"), Q("*"))}), .want = kExplicit, .reason = Reason::kExplicitDenyResource});
  c.push_back({.rule = kSameAcct, .name = "rp_condition_not_met",
               .resource_policy = Doc({PSt("Allow", Aws(kAlice), Q("s3:GetObject"), Q("*"), R"("Bool":{"aws:SecureTransport":"true"})")}),
               .keys = {{"aws:SecureTransport", {"false"}}}, .want = kImplicit, .reason = Reason::kNoIdentityAllow});
  c.push_back({.rule = kSameAcct, .name = "rp_condition_met",
               .resource_policy = Doc({PSt("Allow", Aws(kAlice), Q("s3:GetObject"), Q("*"), R"("Bool":{"aws:SecureTransport":"true"})")}),
               .keys = {{"aws:SecureTransport", {"true"}}}});
  c.push_back({.rule = kSameAcct, .name = "rp_action_mismatch", .resource_policy = Doc({PSt("Allow", Aws(kAlice), Q("s3:PutObject"), Q("*"))}),
               .want = kImplicit, .reason = Reason::kNoIdentityAllow});
  c.push_back({.rule = kSameAcct, .name = "rp_resource_mismatch",
               .resource_policy = Doc({PSt("Allow", Aws(kAlice), Q("s3:GetObject"), Q("arn:aws:s3:::bucket2/*"))}), .want = kImplicit,
               .reason = Reason::kNoIdentityAllow});
  c.push_back({.rule = kSameAcct, .name = "rp_federated_user_arn", .who = Who::kFedA,
               .resource_policy = Doc({PSt("Allow", Aws("arn:aws:sts::111111111111:federated-user/fed"), Q("s3:GetObject"), Q("*"))})});
  c.push_back({.rule = kSameAcct, .name = "rp_unique_id_principal",
               .resource_policy = Doc({PSt("Allow", Aws("AIDAALICEEXAMPLE0001"), Q("s3:GetObject"), Q("*"))})});
  c.push_back({.rule = kSameAcct, .name = "rp_principal_list",
               .resource_policy = Doc({PSt("Allow", R"({"AWS":["arn:aws:iam::111111111111:user/bob","arn:aws:iam::111111111111:user/alice"]})",
                                           Q("s3:GetObject"), Q("*"))})});

  // ---- C. Cross-account -----------------------------------------------------------------
  c.push_back({.rule = kCrossAcct, .name = "xacct_identity_only", .who = Who::kCarolB, .identity = {AllowAll()}, .want = kImplicit,
               .reason = Reason::kNoResourceAllow});
  c.push_back({.rule = kCrossAcct, .name = "xacct_resource_only_account", .who = Who::kCarolB,
               .resource_policy = Doc({PSt("Allow", Aws(kB), Q("s3:GetObject"), Q("*"))}), .want = kImplicit, .reason = Reason::kNoIdentityAllow});
  c.push_back({.rule = kCrossAcct, .name = "xacct_both_allow", .who = Who::kCarolB, .identity = {Allow("s3:GetObject")},
               .resource_policy = Doc({PSt("Allow", Aws(kB), Q("s3:GetObject"), Q("*"))})});
  c.push_back({.rule = kCrossAcct, .name = "xacct_resource_names_user_still_needs_identity", .who = Who::kCarolB,
               .resource_policy = Doc({PSt("Allow", Aws(kCarol), Q("s3:GetObject"), Q("*"))}), .want = kImplicit, .reason = Reason::kNoIdentityAllow});
  c.push_back({.rule = kCrossAcct, .name = "xacct_resource_names_user_with_identity", .who = Who::kCarolB, .identity = {Allow("s3:*")},
               .resource_policy = Doc({PSt("Allow", Aws(kCarol), Q("s3:GetObject"), Q("*"))})});
  c.push_back({.rule = kCrossAcct, .name = "xacct_role_arn_with_identity", .who = Who::kSessB, .identity = {Allow("s3:GetObject")},
               .resource_policy = Doc({PSt("Allow", Aws(kRole2), Q("s3:GetObject"), Q("*"))})});
  c.push_back({.rule = kCrossAcct, .name = "xacct_star_needs_identity", .who = Who::kCarolB,
               .resource_policy = Doc({PSt("Allow", Q("*"), Q("s3:GetObject"), Q("*"))}), .want = kImplicit, .reason = Reason::kNoIdentityAllow});
  c.push_back({.rule = kCrossAcct, .name = "xacct_star_with_identity", .who = Who::kCarolB, .identity = {AllowAll()},
               .resource_policy = Doc({PSt("Allow", Q("*"), Q("s3:GetObject"), Q("*"))})});
  c.push_back({.rule = kCrossAcct, .name = "xacct_rp_grants_only_owner_account", .who = Who::kCarolB, .identity = {AllowAll()},
               .resource_policy = Doc({PSt("Allow", Aws(kRootAArn), Q("s3:*"), Q("*"))}), .want = kImplicit, .reason = Reason::kNoResourceAllow});
  c.push_back({.rule = kCrossAcct, .name = "xacct_identity_deny", .who = Who::kCarolB, .identity = {AllowAll(), DenyDoc("s3:*")},
               .resource_policy = Doc({PSt("Allow", Aws(kB), Q("s3:*"), Q("*"))}), .want = kExplicit, .reason = Reason::kExplicitDenyIdentity});
  c.push_back({.rule = kCrossAcct, .name = "xacct_resource_deny", .who = Who::kCarolB, .identity = {AllowAll()},
               .resource_policy = Doc({PSt("Allow", Aws(kB), Q("s3:*"), Q("*")), PSt("Deny", Aws(kCarol), Q("s3:GetObject"), Q("*"))}),
               .want = kExplicit, .reason = Reason::kExplicitDenyResource});
  c.push_back({.rule = kCrossAcct, .name = "xacct_root_with_grant", .who = Who::kRootB,
               .resource_policy = Doc({PSt("Allow", Aws(kB), Q("s3:GetObject"), Q("*"))})});
  c.push_back({.rule = kCrossAcct, .name = "xacct_root_without_grant", .who = Who::kRootB, .want = kImplicit, .reason = Reason::kNoResourceAllow});
  c.push_back({.rule = kCrossAcct, .name = "xacct_no_resource_policy_no_identity", .who = Who::kCarolB, .want = kImplicit,
               .reason = Reason::kNoResourceAllow});
  c.push_back({.rule = kCrossAcct, .name = "xacct_empty_resource_account_is_same_account", .who = Who::kCarolB, .identity = {AllowAll()},
               .resource_account = ""});

  // ---- D. KMS key policies (resource policy required) ---------------------------------
  auto kms = [](Case k) {
    k.required = true;
    k.rp_kind = PolicyKind::kKeyPolicy;
    if (k.action == "s3:GetObject") k.action = "kms:Decrypt";
    if (k.resource == kObj) k.resource = kKey;
    return k;
  };
  c.push_back(kms({.rule = kKmsDefault, .name = "kms_default_policy_plus_iam", .identity = {Allow("kms:Decrypt", kKey)},
                   .resource_policy = Doc({kRootAllKms})}));
  c.push_back(kms({.rule = kKmsDefault, .name = "kms_default_policy_no_iam", .resource_policy = Doc({kRootAllKms}), .want = kImplicit,
                   .reason = Reason::kNoIdentityAllow}));
  c.push_back(kms({.rule = kKmsDefault, .name = "kms_iam_alone_ineffective", .identity = {AllowAll()},
                   .resource_policy = Doc({PSt("Allow", Aws(kBob), Q("kms:*"), Q("*"))}), .want = kImplicit, .reason = Reason::kNoResourceAllow}));
  c.push_back(kms({.rule = kKmsDefault, .name = "kms_key_policy_names_user", .resource_policy = Doc({PSt("Allow", Aws(kAlice), Q("kms:Decrypt"), Q("*"))})}));
  c.push_back(kms({.rule = kKmsDefault, .name = "kms_iam_deny_still_effective", .identity = {DenyDoc("kms:*")},
                   .resource_policy = Doc({PSt("Allow", Aws(kAlice), Q("kms:Decrypt"), Q("*"))}), .want = kExplicit,
                   .reason = Reason::kExplicitDenyIdentity}));
  c.push_back(kms({.rule = kKmsDefault, .name = "kms_root_without_root_statement", .who = Who::kRootA,
                   .resource_policy = Doc({PSt("Allow", Aws(kAlice), Q("kms:*"), Q("*"))}), .want = kImplicit, .reason = Reason::kNoResourceAllow}));
  c.push_back(kms({.rule = kKmsDefault, .name = "kms_root_with_default_policy", .who = Who::kRootA, .resource_policy = Doc({kRootAllKms})}));
  c.push_back(kms({.rule = kKmsDefault, .name = "kms_no_key_policy_at_all", .identity = {AllowAll()}, .want = kImplicit,
                   .reason = Reason::kNoResourceAllow}));
  c.push_back(kms({.rule = kKmsDefault, .name = "kms_session_via_default_policy", .who = Who::kSessA, .identity = {Allow("kms:*")},
                   .resource_policy = Doc({kRootAllKms})}));
  c.push_back(kms({.rule = kKmsDefault, .name = "kms_role_named_directly_same_account", .who = Who::kSessA,
                   .resource_policy = Doc({PSt("Allow", Aws(kAppRole), Q("kms:Decrypt"), Q("*"))})}));
  c.push_back(kms({.rule = kKmsXacct, .name = "kms_xacct_account_grant_plus_iam", .who = Who::kCarolB, .identity = {Allow("kms:Decrypt", kKey)},
                   .resource_policy = Doc({kRootAllKms, PSt("Allow", Aws(kRootBArn), Q("kms:Decrypt"), Q("*"))})}));
  c.push_back(kms({.rule = kKmsXacct, .name = "kms_xacct_account_grant_no_iam", .who = Who::kCarolB,
                   .resource_policy = Doc({kRootAllKms, PSt("Allow", Aws(kRootBArn), Q("kms:Decrypt"), Q("*"))}), .want = kImplicit,
                   .reason = Reason::kNoIdentityAllow}));
  c.push_back(kms({.rule = kKmsXacct, .name = "kms_xacct_role_named_still_needs_iam", .who = Who::kSessB,
                   .resource_policy = Doc({kRootAllKms, PSt("Allow", Aws(kRole2), Q("kms:*"), Q("*"))}), .want = kImplicit,
                   .reason = Reason::kNoIdentityAllow}));
  c.push_back(kms({.rule = kKmsXacct, .name = "kms_xacct_role_named_with_iam", .who = Who::kSessB, .identity = {Allow("kms:Decrypt", kKey)},
                   .resource_policy = Doc({kRootAllKms, PSt("Allow", Aws(kRole2), Q("kms:*"), Q("*"))})}));
  c.push_back(kms({.rule = kKmsXacct, .name = "kms_xacct_not_in_key_policy", .who = Who::kSessB, .identity = {AllowAll()},
                   .resource_policy = Doc({kRootAllKms}), .want = kImplicit, .reason = Reason::kNoResourceAllow}));
  c.push_back(kms({.rule = kKmsXacct, .name = "kms_xacct_iam_on_other_key", .who = Who::kSessB,
                   .identity = {Allow("kms:Decrypt", "arn:aws:kms:us-east-1:222222222222:key/k2")},
                   .resource_policy = Doc({PSt("Allow", Aws(kB), Q("kms:*"), Q("*"))}), .want = kImplicit, .reason = Reason::kNoIdentityAllow}));
  {
    // The AWS managed aws/s3 key policy: any principal of the account, only through S3.
    std::string managed = Doc({PSt("Allow", Aws("*"), R"(["kms:Encrypt","kms:Decrypt","kms:ReEncrypt*","kms:GenerateDataKey*","kms:DescribeKey"])",
                                   Q("*"), R"("StringEquals":{"kms:CallerAccount":"111111111111","kms:ViaService":"s3.us-east-1.amazonaws.com"})"),
                               PSt("Allow", Aws(kRootAArn), R"(["kms:Describe*","kms:Get*","kms:List*"])", Q("*"))});
    c.push_back(kms({.rule = kKmsXacct, .name = "kms_managed_key_via_s3_same_account", .resource_policy = managed,
                     .action = "kms:GenerateDataKey",
                     .keys = {{"kms:CallerAccount", {kA}}, {"kms:ViaService", {"s3.us-east-1.amazonaws.com"}}}}));
    c.push_back(kms({.rule = kKmsXacct, .name = "kms_managed_key_direct_call_denied", .resource_policy = managed, .action = "kms:Decrypt",
                     .keys = {{"kms:CallerAccount", {kA}}}, .want = kImplicit, .reason = Reason::kNoResourceAllow}));
    c.push_back(kms({.rule = kKmsXacct, .name = "kms_managed_key_other_account_via_s3", .who = Who::kSessB, .identity = {AllowAll()},
                     .resource_policy = managed, .action = "kms:GenerateDataKey",
                     .keys = {{"kms:CallerAccount", {kB}}, {"kms:ViaService", {"s3.us-east-1.amazonaws.com"}}}, .want = kImplicit,
                     .reason = Reason::kNoResourceAllow}));
    c.push_back(kms({.rule = kKmsDefault, .name = "kms_managed_key_describe_via_root_delegation", .identity = {AllowAll()},
                     .resource_policy = managed, .action = "kms:DescribeKey"}));
  }
  c.push_back(kms({.rule = kDenyWins, .name = "kms_key_policy_deny", .identity = {AllowAll()},
                   .resource_policy = Doc({kRootAllKms, PSt("Deny", Q("*"), Q("kms:Decrypt"), Q("*"))}), .want = kExplicit,
                   .reason = Reason::kExplicitDenyResource}));
  c.push_back(kms({.rule = kKmsDefault, .name = "kms_encryption_context_condition_match",
                   .resource_policy = Doc({PSt("Allow", Aws(kAlice), Q("kms:Decrypt"), Q("*"),
                                               R"("StringEquals":{"kms:EncryptionContext:aws:s3:arn":"arn:aws:s3:::bucket1"})")}),
                   .keys = {{"kms:EncryptionContext:aws:s3:arn", {"arn:aws:s3:::bucket1"}}}}));
  c.push_back(kms({.rule = kKmsDefault, .name = "kms_encryption_context_condition_mismatch",
                   .resource_policy = Doc({PSt("Allow", Aws(kAlice), Q("kms:Decrypt"), Q("*"),
                                               R"("StringEquals":{"kms:EncryptionContext:aws:s3:arn":"arn:aws:s3:::bucket1"})")}),
                   .keys = {{"kms:EncryptionContext:aws:s3:arn", {"arn:aws:s3:::bucket2"}}}, .want = kImplicit, .reason = Reason::kNoResourceAllow}));
  c.push_back(kms({.rule = kKmsDefault, .name = "kms_grant_for_aws_resource",
                   .resource_policy = Doc({PSt("Allow", Aws(kAlice), Q("kms:CreateGrant"), Q("*"), R"("Bool":{"kms:GrantIsForAWSResource":true})")}),
                   .action = "kms:CreateGrant", .keys = {{"kms:GrantIsForAWSResource", {"true"}}}}));
  c.push_back(kms({.rule = kKmsDefault, .name = "kms_key_policy_other_action", .resource_policy = Doc({PSt("Allow", Aws(kAlice), Q("kms:Encrypt"), Q("*"))}),
                   .want = kImplicit, .reason = Reason::kNoResourceAllow}));
  c.push_back(kms({.rule = kSessionRp, .name = "kms_session_arn_named_not_limited_by_session_policy", .who = Who::kSessA,
                   .resource_policy = Doc({PSt("Allow", Aws(kAppSess), Q("kms:Decrypt"), Q("*"))}),
                   .session = std::vector<std::string>{Allow("s3:*")}}));
  c.push_back(kms({.rule = kSessionRp, .name = "kms_role_arn_named_limited_by_session_policy", .who = Who::kSessA,
                   .resource_policy = Doc({PSt("Allow", Aws(kAppRole), Q("kms:Decrypt"), Q("*"))}),
                   .session = std::vector<std::string>{Allow("s3:*")}, .want = kImplicit,
                   .reason = Reason::kNoIdentityAllow}));

  // ---- E. Role trust policies -----------------------------------------------------------
  auto trust = [](Case k) {
    k.required = true;
    k.rp_kind = PolicyKind::kTrust;
    if (k.action == "s3:GetObject") k.action = "sts:AssumeRole";
    k.resource = kTargetRole;
    return k;
  };
  c.push_back(trust({.rule = kTrustRule, .name = "trust_names_user", .resource_policy = Doc({PSt("Allow", Aws(kAlice), Q("sts:AssumeRole"), "")})}));
  c.push_back(trust({.rule = kTrustRule, .name = "trust_account_needs_identity", .resource_policy = Doc({PSt("Allow", Aws(kA), Q("sts:AssumeRole"), "")}),
                     .want = kImplicit, .reason = Reason::kNoIdentityAllow}));
  c.push_back(trust({.rule = kTrustRule, .name = "trust_account_with_identity", .identity = {Allow("sts:AssumeRole", kTargetRole)},
                     .resource_policy = Doc({PSt("Allow", Aws(kA), Q("sts:AssumeRole"), "")})}));
  c.push_back(trust({.rule = kTrustRule, .name = "trust_other_account_with_identity", .who = Who::kCarolB, .identity = {Allow("sts:AssumeRole")},
                     .resource_policy = Doc({PSt("Allow", Aws(kRootBArn), Q("sts:AssumeRole"), "")})}));
  c.push_back(trust({.rule = kTrustRule, .name = "trust_other_account_no_identity", .who = Who::kCarolB,
                     .resource_policy = Doc({PSt("Allow", Aws(kRootBArn), Q("sts:AssumeRole"), "")}), .want = kImplicit,
                     .reason = Reason::kNoIdentityAllow}));
  c.push_back(trust({.rule = kTrustRule, .name = "trust_not_trusted", .identity = {AllowAll()},
                     .resource_policy = Doc({PSt("Allow", Aws(kRootBArn), Q("sts:AssumeRole"), "")}), .want = kImplicit,
                     .reason = Reason::kNoResourceAllow}));
  c.push_back(trust({.rule = kServiceRule, .name = "trust_service_principal", .who = Who::kSvcEc2,
                     .resource_policy = Doc({PSt("Allow", R"({"Service":"ec2.amazonaws.com"})", Q("sts:AssumeRole"), "")})}));
  c.push_back(trust({.rule = kServiceRule, .name = "trust_other_service", .who = Who::kSvcS3,
                     .resource_policy = Doc({PSt("Allow", R"({"Service":"ec2.amazonaws.com"})", Q("sts:AssumeRole"), "")}), .want = kImplicit,
                     .reason = Reason::kNoResourceAllow}));
  c.push_back(trust({.rule = kTrustRule, .name = "trust_external_id_match", .who = Who::kCarolB, .identity = {AllowAll()},
                     .resource_policy = Doc({PSt("Allow", Aws(kB), Q("sts:AssumeRole"), "", R"("StringEquals":{"sts:ExternalId":"xyz"})")}),
                     .keys = {{"sts:ExternalId", {"xyz"}}}}));
  c.push_back(trust({.rule = kTrustRule, .name = "trust_external_id_missing", .who = Who::kCarolB, .identity = {AllowAll()},
                     .resource_policy = Doc({PSt("Allow", Aws(kB), Q("sts:AssumeRole"), "", R"("StringEquals":{"sts:ExternalId":"xyz"})")}),
                     .want = kImplicit, .reason = Reason::kNoResourceAllow}));
  c.push_back(trust({.rule = kDenyWins, .name = "trust_deny", .resource_policy = Doc({PSt("Allow", Aws(kAlice), Q("sts:AssumeRole"), ""),
                                                                                       PSt("Deny", Aws(kAlice), Q("sts:AssumeRole"), "")}),
                     .want = kExplicit, .reason = Reason::kExplicitDenyResource}));
  c.push_back(trust({.rule = kTrustRule, .name = "trust_federated_provider", .who = Who::kFedA,
                     .resource_policy = Doc({PSt("Allow", R"({"Federated":"arn:aws:sts::111111111111:federated-user/fed"})",
                                                 Q("sts:AssumeRoleWithWebIdentity"), "")}),
                     .action = "sts:AssumeRoleWithWebIdentity"}));
  // ---- F. Session policies ----------------------------------------------------------------
  c.push_back({.rule = kSessionRule, .name = "session_intersection_allows", .who = Who::kSessA, .identity = {Allow("s3:*")},
               .session = std::vector<std::string>{Allow("s3:GetObject")}});
  c.push_back({.rule = kSessionRule, .name = "session_does_not_allow", .who = Who::kSessA, .identity = {Allow("s3:*")},
               .session = std::vector<std::string>{Allow("s3:PutObject")}, .want = kImplicit, .reason = Reason::kNoSessionAllow});
  c.push_back({.rule = kSessionRule, .name = "session_empty_list_allows_nothing", .who = Who::kSessA, .identity = {AllowAll()},
               .session = std::vector<std::string>{}, .want = kImplicit, .reason = Reason::kNoSessionAllow});
  c.push_back({.rule = kDenyWins, .name = "session_deny", .who = Who::kSessA, .identity = {AllowAll()},
               .session = std::vector<std::string>{Doc({St("Allow", Q("*"), Q("*")), St("Deny", Q("s3:GetObject"), Q("*"))})}, .want = kExplicit,
               .reason = Reason::kExplicitDenySession});
  c.push_back({.rule = kSessionRule, .name = "session_cannot_grant_beyond_identity", .who = Who::kSessA, .identity = {Allow("kms:*")},
               .session = std::vector<std::string>{AllowAll()}, .want = kImplicit, .reason = Reason::kNoIdentityAllow});
  c.push_back({.rule = kSessionRule, .name = "session_second_policy_allows", .who = Who::kSessA, .identity = {AllowAll()},
               .session = std::vector<std::string>{Allow("kms:*"), Allow("s3:GetObject")}});
  c.push_back({.rule = kSessionRp, .name = "session_rp_names_session_not_limited", .who = Who::kSessA,
               .resource_policy = Doc({PSt("Allow", Aws(kAppSess), Q("s3:GetObject"), Q("*"))}),
               .session = std::vector<std::string>{Allow("kms:*")}});
  c.push_back({.rule = kSessionRp, .name = "session_rp_names_role_limited", .who = Who::kSessA,
               .resource_policy = Doc({PSt("Allow", Aws(kAppRole), Q("s3:GetObject"), Q("*"))}),
               .session = std::vector<std::string>{Allow("kms:*")}, .want = kImplicit, .reason = Reason::kNoIdentityAllow});
  c.push_back({.rule = kSessionRp, .name = "session_rp_names_role_session_allows", .who = Who::kSessA,
               .resource_policy = Doc({PSt("Allow", Aws(kAppRole), Q("s3:GetObject"), Q("*"))}),
               .session = std::vector<std::string>{Allow("s3:GetObject")}});
  c.push_back({.rule = kSessionRp, .name = "session_rp_names_role_identity_allows_but_session_not", .who = Who::kSessA, .identity = {AllowAll()},
               .resource_policy = Doc({PSt("Allow", Aws(kAppRole), Q("s3:GetObject"), Q("*"))}),
               .session = std::vector<std::string>{Allow("kms:*")}, .want = kImplicit, .reason = Reason::kNoSessionAllow});
  c.push_back({.rule = kSessionRule, .name = "session_xacct_needs_session_allow", .who = Who::kSessB, .identity = {AllowAll()},
               .resource_policy = Doc({PSt("Allow", Aws(kB), Q("s3:*"), Q("*"))}), .session = std::vector<std::string>{Allow("kms:*")},
               .want = kImplicit, .reason = Reason::kNoSessionAllow});

  // ---- G. Permissions boundaries ----------------------------------------------------------
  c.push_back({.rule = kBoundaryRule, .name = "boundary_allows", .identity = {AllowAll()}, .boundary = Allow("s3:*")});
  c.push_back({.rule = kBoundaryRule, .name = "boundary_does_not_allow", .identity = {AllowAll()}, .boundary = Allow("kms:*"), .want = kImplicit,
               .reason = Reason::kNoBoundaryAllow});
  c.push_back({.rule = kDenyWins, .name = "boundary_deny", .identity = {AllowAll()},
               .boundary = Doc({St("Allow", Q("*"), Q("*")), St("Deny", Q("s3:Get*"), Q("*"))}), .want = kExplicit,
               .reason = Reason::kExplicitDenyBoundary});
  c.push_back({.rule = kBoundaryRule, .name = "boundary_alone_grants_nothing", .boundary = AllowAll(), .want = kImplicit,
               .reason = Reason::kNoIdentityAllow});
  c.push_back({.rule = kBoundaryRp, .name = "boundary_rp_names_user_not_limited", .resource_policy = Doc({PSt("Allow", Aws(kAlice), Q("s3:GetObject"), Q("*"))}),
               .boundary = Allow("kms:*")});
  c.push_back({.rule = kBoundaryRp, .name = "boundary_rp_names_role_limited", .who = Who::kSessA,
               .resource_policy = Doc({PSt("Allow", Aws(kAppRole), Q("s3:GetObject"), Q("*"))}), .boundary = Allow("kms:*"), .want = kImplicit,
               .reason = Reason::kNoIdentityAllow});
  c.push_back({.rule = kBoundaryRp, .name = "boundary_rp_names_session_not_limited", .who = Who::kSessA,
               .resource_policy = Doc({PSt("Allow", Aws(kAppSess), Q("s3:GetObject"), Q("*"))}), .boundary = Allow("kms:*")});
  c.push_back({.rule = kBoundaryRule, .name = "boundary_xacct", .who = Who::kCarolB, .identity = {AllowAll()},
               .resource_policy = Doc({PSt("Allow", Aws(kB), Q("s3:*"), Q("*"))}), .boundary = Allow("kms:*"), .want = kImplicit,
               .reason = Reason::kNoBoundaryAllow});
  c.push_back({.rule = kBoundaryRule, .name = "boundary_with_session_both_needed", .who = Who::kSessA, .identity = {AllowAll()},
               .boundary = Allow("s3:*"), .session = std::vector<std::string>{Allow("s3:GetObject")}});
  c.push_back({.rule = kNotPrincipalBoundary, .name = "notprincipal_deny_applies_with_boundary", .identity = {AllowAll()},
               .resource_policy = Doc({PSt("Deny", R"({"AWS":["arn:aws:iam::111111111111:user/alice","111111111111"]})", Q("s3:*"), Q("*"), "",
                                           "NotPrincipal")}),
               .boundary = AllowAll(), .want = kExplicit, .reason = Reason::kExplicitDenyResource});

  // ---- H. NotPrincipal ----------------------------------------------------------------------
  const std::string not_alice = Doc({PSt("Deny", R"({"AWS":["arn:aws:iam::111111111111:user/alice","111111111111"]})", Q("s3:*"), Q("*"), "",
                                         "NotPrincipal")});
  c.push_back({.rule = kNotPrincipalRule, .name = "notprincipal_excludes_listed_user", .identity = {AllowAll()}, .resource_policy = not_alice});
  c.push_back({.rule = kNotPrincipalRule, .name = "notprincipal_denies_others", .who = Who::kBob, .identity = {AllowAll()}, .resource_policy = not_alice,
               .want = kExplicit, .reason = Reason::kExplicitDenyResource});
  c.push_back({.rule = kNotPrincipalRule, .name = "notprincipal_user_without_account_still_denied", .identity = {AllowAll()},
               .resource_policy = Doc({PSt("Deny", Aws(kAlice), Q("s3:*"), Q("*"), "", "NotPrincipal")}), .want = kExplicit,
               .reason = Reason::kExplicitDenyResource});
  c.push_back({.rule = kNotPrincipalRule, .name = "notprincipal_session_listed", .who = Who::kSessA, .identity = {AllowAll()},
               .resource_policy = Doc({PSt("Deny", R"({"AWS":["arn:aws:sts::111111111111:assumed-role/app/sess1","arn:aws:iam::111111111111:role/app","arn:aws:iam::111111111111:root"]})",
                                           Q("s3:*"), Q("*"), "", "NotPrincipal")})});
  c.push_back({.rule = kNotPrincipalRule, .name = "notprincipal_role_without_session_denied", .who = Who::kSessA, .identity = {AllowAll()},
               .resource_policy = Doc({PSt("Deny", R"({"AWS":["arn:aws:iam::111111111111:role/app","arn:aws:iam::111111111111:root"]})", Q("s3:*"),
                                           Q("*"), "", "NotPrincipal")}),
               .want = kExplicit, .reason = Reason::kExplicitDenyResource});
  c.push_back({.rule = kNotPrincipalRule, .name = "notprincipal_root_excluded_by_account", .who = Who::kRootA,
               .resource_policy = Doc({PSt("Deny", Aws(kA), Q("s3:*"), Q("*"), "", "NotPrincipal")})});
  c.push_back({.rule = kNotPrincipalRule, .name = "notprincipal_deny_hits_anonymous", .who = Who::kAnon,
               .resource_policy = Doc({PSt("Allow", Q("*"), Q("s3:GetObject"), Q("*")), PSt("Deny", Aws(kA), Q("s3:*"), Q("*"), "", "NotPrincipal")}),
               .want = kExplicit, .reason = Reason::kExplicitDenyResource});
  c.push_back({.rule = kNotPrincipalRule, .name = "notprincipal_allow_grants_others", .resource_policy = Doc({PSt("Allow", Aws(kBob), Q("s3:GetObject"), Q("*"), "", "NotPrincipal")})});
  c.push_back({.rule = kNotPrincipalRule, .name = "notprincipal_deny_other_account", .who = Who::kCarolB, .identity = {AllowAll()},
               .resource_policy = Doc({PSt("Allow", Aws(kB), Q("s3:*"), Q("*")), PSt("Deny", Aws(kA), Q("s3:*"), Q("*"), "", "NotPrincipal")}),
               .want = kExplicit, .reason = Reason::kExplicitDenyResource});

  // ---- I. Anonymous and service principals ----------------------------------------------
  c.push_back({.rule = kAnonRule, .name = "anon_public_read", .who = Who::kAnon, .resource_policy = Doc({PSt("Allow", Q("*"), Q("s3:GetObject"), Q("arn:aws:s3:::bucket1/*"))})});
  c.push_back({.rule = kAnonRule, .name = "anon_account_grant_no", .who = Who::kAnon, .resource_policy = Doc({PSt("Allow", Aws(kA), Q("s3:GetObject"), Q("*"))}),
               .want = kImplicit, .reason = Reason::kNoResourceAllow});
  c.push_back({.rule = kAnonRule, .name = "anon_no_policy", .who = Who::kAnon, .want = kImplicit, .reason = Reason::kNoResourceAllow});
  c.push_back({.rule = kAnonRule, .name = "anon_identity_policies_ignored", .who = Who::kAnon, .identity = {AllowAll()}, .want = kImplicit,
               .reason = Reason::kNoResourceAllow});
  c.push_back({.rule = kAnonRule, .name = "anon_condition_fails", .who = Who::kAnon,
               .resource_policy = Doc({PSt("Allow", Q("*"), Q("s3:GetObject"), Q("*"), R"("Bool":{"aws:SecureTransport":"true"})")}),
               .keys = {{"aws:SecureTransport", {"false"}}}, .want = kImplicit, .reason = Reason::kNoResourceAllow});
  c.push_back({.rule = kAnonRule, .name = "anon_explicit_deny", .who = Who::kAnon,
               .resource_policy = Doc({PSt("Allow", Q("*"), Q("s3:*"), Q("*")), PSt("Deny", Q("*"), Q("s3:GetObject"), Q("*"))}), .want = kExplicit,
               .reason = Reason::kExplicitDenyResource});
  c.push_back({.rule = kServiceRule, .name = "service_granted_by_bucket_policy", .who = Who::kSvcS3,
               .resource_policy = Doc({PSt("Allow", R"({"Service":"s3.amazonaws.com"})", Q("s3:PutObject"), Q("*"))}), .action = "s3:PutObject"});
  c.push_back({.rule = kServiceRule, .name = "service_other_service_no", .who = Who::kSvcEc2,
               .resource_policy = Doc({PSt("Allow", R"({"Service":"s3.amazonaws.com"})", Q("s3:PutObject"), Q("*"))}), .action = "s3:PutObject",
               .want = kImplicit, .reason = Reason::kNoResourceAllow});
  c.push_back({.rule = kServiceRule, .name = "service_star", .who = Who::kSvcS3, .resource_policy = Doc({PSt("Allow", Q("*"), Q("s3:*"), Q("*"))})});
  c.push_back({.rule = kServiceRule, .name = "service_not_matched_by_account", .who = Who::kSvcS3,
               .resource_policy = Doc({PSt("Allow", Aws(kA), Q("s3:*"), Q("*"))}), .want = kImplicit, .reason = Reason::kNoResourceAllow});
  c.push_back({.rule = kServiceRule, .name = "service_source_account_condition", .who = Who::kSvcS3,
               .resource_policy = Doc({PSt("Allow", R"({"Service":"s3.amazonaws.com"})", Q("s3:*"), Q("*"),
                                           R"("StringEquals":{"aws:SourceAccount":"111111111111"})")}),
               .keys = {{"aws:SourceAccount", {kB}}}, .want = kImplicit, .reason = Reason::kNoResourceAllow});

  return c;
}

class EvaluateTable : public ::testing::TestWithParam<Case> {};
TEST_P(EvaluateTable, Decision) { RunCase(GetParam()); }
INSTANTIATE_TEST_SUITE_P(Rules, EvaluateTable, ::testing::ValuesIn(Cases()), CaseName);

}  // namespace
}  // namespace ck::core::iam

namespace ck::core::iam {
namespace {

TEST(TraceEvaluation, SaysHowEachStatementMatched) {
  auto key_policy = ParsePolicy(R"({"Version":"2012-10-17","Statement":[
    {"Sid":"Root","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"kms:*","Resource":"*"},
    {"Sid":"Other","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::333333333333:root"},"Action":"kms:Decrypt","Resource":"*"}]})",
                                PolicyKind::kKeyPolicy);
  ASSERT_TRUE(key_policy.ok());
  Principal p;
  p.type = Principal::kUser;
  p.account = "222222222222";
  p.arn = "arn:aws:iam::222222222222:user/u";
  RequestContext ctx;
  ctx.action = "kms:Decrypt";
  ctx.resource = "arn:aws:kms:us-east-1:111111111111:key/k";
  ctx.resource_account = "111111111111";
  EvaluationInput in;
  in.principal = &p;
  in.resource_policy = &*key_policy;
  in.resource_policy_required = true;
  in.context = &ctx;
  auto traces = TraceEvaluation(in);
  ASSERT_EQ(traces.size(), 1u);
  EXPECT_EQ(traces[0].kind, "resource");
  ASSERT_EQ(traces[0].statements.size(), 2u);
  EXPECT_EQ(traces[0].statements[0].sid, "Root");
  EXPECT_FALSE(traces[0].statements[0].principal);  // another account's root
  EXPECT_TRUE(traces[0].statements[0].action);
  EXPECT_FALSE(traces[0].statements[1].principal);
  EXPECT_FALSE(traces[0].statements[1].applies());
}

}  // namespace
}  // namespace ck::core::iam
