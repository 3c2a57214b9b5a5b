#include "core/iam/policy_document.h"

#include <gtest/gtest.h>

namespace ck::core::iam {
namespace {

std::string Reason(std::string_view json, PolicyKind kind, ParseOptions opts = {}) {
  auto r = ParsePolicy(json, kind, opts);
  if (r.ok()) return "OK";
  EXPECT_EQ(r.status().aws_code(), "MalformedPolicyDocument");
  EXPECT_EQ(r.status().http_status(), 400);
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  return r.status().message();
}

constexpr PolicyKind kId = PolicyKind::kIdentity;
constexpr PolicyKind kRes = PolicyKind::kResource;

TEST(ParsePolicy, AcceptsStatementObjectAndArray) {
  auto one = ParsePolicy(R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}})", kId);
  ASSERT_TRUE(one.ok()) << one.status().message();
  EXPECT_EQ(one->statements.size(), 1u);
  EXPECT_EQ(one->version, PolicyVersion::k2012_10_17);
  EXPECT_TRUE(one->variables_enabled());
  auto two = ParsePolicy(R"({"Id":"x","Statement":[{"Sid":"a","Effect":"Deny","NotAction":["s3:*","kms:Get*"],"NotResource":"arn:aws:s3:::b/*"},
                              {"Effect":"Allow","Action":"*","Resource":["*"]}]})", kId);
  ASSERT_TRUE(two.ok()) << two.status().message();
  EXPECT_EQ(two->id, "x");
  EXPECT_FALSE(two->version_present);
  EXPECT_EQ(two->version, PolicyVersion::k2008_10_17);
  const Statement& s = two->statements[0];
  EXPECT_EQ(s.sid, "a");
  EXPECT_EQ(s.effect, Effect::kDeny);
  EXPECT_TRUE(s.not_action);
  ASSERT_EQ(s.actions.size(), 2u);
  EXPECT_EQ(s.actions[0].kind, ActionPattern::kPrefix);
  EXPECT_EQ(s.actions[0].text, "s3:");
  EXPECT_EQ(s.actions[1].text, "kms:get");
  EXPECT_TRUE(s.not_resource);
  EXPECT_EQ(s.resources[0].kind, ResourcePattern::kPrefix);
  EXPECT_EQ(two->statements[1].actions[0].kind, ActionPattern::kAny);
}

TEST(ParsePolicy, ActionsLowercasedAndClassified) {
  auto p = ParsePolicy(R"({"Statement":{"Effect":"Allow","Action":["KMS:Encrypt","s3:*Object","s3:Get?bject"],"Resource":"*"}})", kId);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->statements[0].actions[0].kind, ActionPattern::kExact);
  EXPECT_EQ(p->statements[0].actions[0].text, "kms:encrypt");
  EXPECT_EQ(p->statements[0].actions[1].kind, ActionPattern::kGlob);
  EXPECT_EQ(p->statements[0].actions[2].kind, ActionPattern::kGlob);
}

TEST(ParsePolicy, VariablesOnlyIn2012) {
  auto v12 = ParsePolicy(R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/${aws:username}/*"}})", kId);
  ASSERT_TRUE(v12.ok());
  EXPECT_EQ(v12->statements[0].resources[0].kind, ResourcePattern::kVariable);
  auto v08 = ParsePolicy(R"({"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/${aws:username}/*"}})", kId);
  ASSERT_TRUE(v08.ok());
  EXPECT_EQ(v08->statements[0].resources[0].kind, ResourcePattern::kPrefix);  // the "${" is literal text
}

TEST(ParsePolicy, PrincipalForms) {
  auto p = ParsePolicy(R"({"Statement":{"Effect":"Allow","Principal":{"AWS":["111111111111","arn:aws:iam::222222222222:root",
      "arn:aws:iam::222222222222:user/u","arn:aws:iam::222222222222:role/p/r","arn:aws:sts::222222222222:assumed-role/r/s"],
      "Service":"s3.amazonaws.com","Federated":"cognito-identity.amazonaws.com","CanonicalUser":"79a59df900b949e55d96a1e698fbaced"},
      "Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}})", kRes);
  ASSERT_TRUE(p.ok()) << p.status().message();
  const PrincipalSet& ps = p->statements[0].principals;
  EXPECT_FALSE(ps.any);
  ASSERT_EQ(ps.aws.size(), 5u);
  EXPECT_EQ(ps.aws[0], "arn:aws:iam::111111111111:root");
  EXPECT_EQ(ps.service, std::vector<std::string>{"s3.amazonaws.com"});
  EXPECT_EQ(ps.federated.size(), 1u);
  EXPECT_EQ(ps.canonical_user.size(), 1u);
  auto star = ParsePolicy(R"({"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}})", kRes);
  ASSERT_TRUE(star.ok());
  EXPECT_TRUE(star->statements[0].principals.any);
  auto aws_star = ParsePolicy(R"({"Statement":{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject","Resource":"*"}})", kRes);
  ASSERT_TRUE(aws_star.ok());
  EXPECT_TRUE(aws_star->statements[0].principals.any);
  auto np = ParsePolicy(R"({"Statement":{"Effect":"Deny","NotPrincipal":{"AWS":"111111111111"},"Action":"*","Resource":"*"}})", kRes);
  ASSERT_TRUE(np.ok());
  EXPECT_TRUE(np->statements[0].not_principal);
}

TEST(ParsePolicy, TrustPolicyHasNoResource) {
  auto p = ParsePolicy(R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]})",
                       PolicyKind::kTrust);
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_FALSE(p->statements[0].has_resource);
  EXPECT_EQ(Reason(R"({"Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole","Resource":"*"}]})", PolicyKind::kTrust),
            "Has prohibited field Resource");
}

TEST(ParsePolicy, ConditionValuesOfAllJsonScalarTypes) {
  auto p = ParsePolicy(R"({"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{
      "Bool":{"aws:SecureTransport":true},"NumericLessThan":{"s3:max-keys":10},"StringEquals":{"k":["a","b"]},
      "ForAnyValue:StringLikeIfExists":{"aws:TagKeys":"x*"}}}})", kId);
  ASSERT_TRUE(p.ok()) << p.status().message();
  const auto& conds = p->statements[0].conditions;
  ASSERT_EQ(conds.size(), 4u);
  bool saw_bool = false, saw_num = false, saw_set = false;
  for (const Condition& c : conds) {
    if (c.spec.op == ConditionOp::kBool) {
      saw_bool = true;
      EXPECT_EQ(c.values[0].text.raw(), "true");
    }
    if (c.spec.op == ConditionOp::kNumericLessThan) {
      saw_num = true;
      EXPECT_TRUE(c.values[0].number_ok);
      EXPECT_EQ(c.values[0].number, 10);
    }
    if (c.spec.set == SetQualifier::kForAnyValue) {
      saw_set = true;
      EXPECT_TRUE(c.spec.if_exists);
      EXPECT_EQ(c.spec.op, ConditionOp::kStringLike);
    }
  }
  EXPECT_TRUE(saw_bool && saw_num && saw_set);
}

struct BadCase {
  const char* json;
  PolicyKind kind;
  const char* reason;
};

TEST(ParsePolicy, RejectsWithIamReasons) {
  const BadCase cases[] = {
      {"not json", kId, "Syntax errors in policy."},
      {"[1,2]", kId, "Syntax errors in policy."},
      {"null", kId, "Syntax errors in policy."},
      {R"({"Version":"2012-10-17"})", kId, "Missing required field Statement"},
      {R"({"Version":"2012-10-17","Statement":"x"})", kId, "Syntax errors in policy."},
      {R"({"Version":"2012-10-17","Statement":[{"Action":"s3:*","Resource":"*"}]})", kId, "Missing required field Effect"},
      {R"({"Statement":[{"Effect":"allow","Action":"s3:*","Resource":"*"}]})", kId, "The policy failed legacy parsing"},
      {R"({"Version":"2019-8-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]})", kId, "The policy failed legacy parsing"},
      {R"({"Statement":[{"Effect":"Allow","Resource":"*"}]})", kId, "Policy statement must contain actions."},
      {R"({"Statement":[{"Effect":"Allow","Action":[],"Resource":"*"}]})", kId, "Policy statement must contain actions."},
      {R"({"Statement":[{"Effect":"Allow","Action":"s3:*"}]})", kId, "Policy statement must contain resources."},
      {R"({"Statement":[{"Effect":"Allow","Action":"ec2:ec2:Run","Resource":"*"}]})", kId, "Actions/Condition can contain only one colon."},
      {R"({"Statement":[{"Effect":"Allow","Action":"GetObject","Resource":"*"}]})", kId,
       "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."},
      {R"({"Statement":[{"Effect":"Allow","Action":"*:Untag*","Resource":"*"}]})", kId,
       "Action vendors (e.g., aws, ec2, etc.) must not contain wildcards."},
      {R"({"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"bucket"}]})", kId,
       "Resource bucket must be in ARN format or \"*\"."},
      {R"({"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":""}]})", kId, "Resource  must be in ARN format or \"*\"."},
      {R"({"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]})", kId,
       "Policy document should not specify a principal."},
      {R"({"Statement":[{"Effect":"Allow","NotPrincipal":{"AWS":"*"},"Action":"s3:*","Resource":"*"}]})", PolicyKind::kSession,
       "Policy document should not specify a principal."},
      {R"({"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]})", kRes, "Missing required field Principal"},
      {R"({"Statement":[{"Effect":"Allow","Action":"kms:*","Resource":"*"}]})", PolicyKind::kKeyPolicy, "Missing required field Principal"},
      {R"({"Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]})", PolicyKind::kTrust, "Missing required field Principal"},
      {R"({"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::12:root"},"Action":"s3:*","Resource":"*"}]})", kRes,
       "Invalid principal in policy: \"AWS\":\"arn:aws:iam::12:root\""},
      {R"({"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::*:root"},"Action":"s3:*","Resource":"*"}]})", kRes,
       "Invalid principal in policy: \"AWS\":\"arn:aws:iam::*:root\""},
      {R"({"Statement":[{"Effect":"Allow","Principal":{"AWS":"bob"},"Action":"s3:*","Resource":"*"}]})", kRes,
       "Invalid principal in policy: \"AWS\":\"bob\""},
      {R"({"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:group/g"},"Action":"s3:*","Resource":"*"}]})", kRes,
       "Invalid principal in policy: \"AWS\":\"arn:aws:iam::111111111111:group/g\""},
      {R"({"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:sts::111111111111:assumed-role/r"},"Action":"s3:*","Resource":"*"}]})", kRes,
       "Invalid principal in policy: \"AWS\":\"arn:aws:sts::111111111111:assumed-role/r\""},
      {R"({"Statement":[{"Effect":"Allow","Principal":{"Service":"*"},"Action":"s3:*","Resource":"*"}]})", kRes,
       "Invalid principal in policy: \"Service\":\"*\""},
      {R"({"Statement":[{"Effect":"Allow","Principal":{"Foo":"x"},"Action":"s3:*","Resource":"*"}]})", kRes,
       "Invalid principal in policy: \"Foo\":\"x\""},
      {R"({"Statement":[{"Effect":"Allow","Principal":"arn:aws:iam::111111111111:root","Action":"s3:*","Resource":"*"}]})", kRes,
       "Invalid principal in policy"},
      {R"({"Statement":[{"Effect":"Allow","Principal":"*","NotPrincipal":"*","Action":"s3:*","Resource":"*"}]})", kRes,
       "Syntax errors in policy."},
      {R"({"Statement":[{"Effect":"Allow","Action":"s3:*","NotAction":"kms:*","Resource":"*"}]})", kId, "Syntax errors in policy."},
      {R"({"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Foo":1}]})", kId, "Unknown field Foo"},
      {R"({"Foo":1,"Statement":[]})", kId, "Unknown field Foo"},
      {R"({"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEqualz":{"a":"b"}}}]})", kId,
       "Invalid Condition type : StringEqualz"},
      {R"({"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"NullIfExists":{"a":"true"}}}]})", kId,
       "Invalid Condition type : NullIfExists"},
      {R"({"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"a":{"b":1}}}}]})", kId,
       "Syntax errors in policy."},
      {R"({"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":"x"}]})", kId, "Syntax errors in policy."},
      {R"({"Statement":[{"Effect":"Allow","Action":5,"Resource":"*"}]})", kId, "Syntax errors in policy."},
      {R"({"Statement":[{"Sid":"a","Effect":"Allow","Action":"s3:*","Resource":"*"},{"Sid":"a","Effect":"Deny","Action":"s3:*","Resource":"*"}]})",
       kId, "Statement IDs (SID) in a single policy must be unique."},
  };
  for (const BadCase& c : cases) {
    EXPECT_EQ(Reason(c.json, c.kind), c.reason) << c.json;
  }
}

TEST(ParsePolicy, ManagedPoliciesNeedVersion2012) {
  const char* no_version = R"({"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]})";
  EXPECT_EQ(Reason(no_version, kId, ParseOptions{.require_2012_version = true}),
            "Policy document must be version 2012-10-17 or greater.");
  EXPECT_EQ(Reason(no_version, kId), "OK");
  EXPECT_EQ(Reason(R"({"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]})", kId,
                   ParseOptions{.require_2012_version = true}),
            "Policy document must be version 2012-10-17 or greater.");
}

TEST(ParsePolicy, DefaultKmsKeyPolicyParses) {
  auto p = ParsePolicy(R"({
    "Version" : "2012-10-17",
    "Id" : "key-default-1",
    "Statement" : [ {
      "Sid" : "Enable IAM User Permissions",
      "Effect" : "Allow",
      "Principal" : { "AWS" : "arn:aws:iam::111122223333:root" },
      "Action" : "kms:*",
      "Resource" : "*"
    } ]
  })", PolicyKind::kKeyPolicy);
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_EQ(p->id, "key-default-1");
  EXPECT_EQ(p->statements[0].sid, "Enable IAM User Permissions");
}

TEST(ParsePolicy, DeepDocumentsAreRefusedBeforeParsing) {
  // Three million nested brackets (6 MB, inside S3's body limit) took 450 MB
  // as a tree before being refused; now refused from the text.
  std::string deep = R"({"Version":"2012-10-17","Statement":)" + std::string(3000000, '[') +
                     std::string(3000000, ']') + "}";
  auto p = ParsePolicy(deep, PolicyKind::kResource);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().aws_code(), "MalformedPolicyDocument");
  // Real policies are a few levels deep.
  EXPECT_TRUE(ParsePolicy(R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*",
      "Condition":{"ForAnyValue:StringLike":{"aws:TagKeys":["a*"]}}}]})", PolicyKind::kIdentity).ok());
}

}  // namespace
}  // namespace ck::core::iam
