// AccessDenied message texts and evaluator behaviour that is not a table row.
#include <gtest/gtest.h>

#include "core/iam/evaluator.h"
#include "core/iam/evaluator_test_support.h"

namespace ck::core::iam {
namespace {

using namespace ck::core::iam::testing;  // NOLINT

EvaluationResult Denied(Reason reason, const std::string& who, const std::string& action, const std::string& resource) {
  EvaluationResult r;
  r.decision = reason == Reason::kExplicitDenyIdentity || reason == Reason::kExplicitDenyResource ||
                       reason == Reason::kExplicitDenySession || reason == Reason::kExplicitDenyBoundary
                   ? Decision::kExplicitDeny
                   : Decision::kImplicitDeny;
  r.reason = reason;
  r.principal_arn = who;
  r.action = action;
  r.resource = resource;
  return r;
}

TEST(EvaluationMessage, ExactAwsTexts) {
  const std::string user = "arn:aws:iam::111111111111:user/alice";
  EXPECT_EQ(Denied(Reason::kNoIdentityAllow, user, "kms:Decrypt", kKey).Message(),
            "User: arn:aws:iam::111111111111:user/alice is not authorized to perform: kms:Decrypt on resource: "
            "arn:aws:kms:us-east-1:111111111111:key/k1 because no identity-based policy allows the kms:Decrypt action");
  EXPECT_EQ(Denied(Reason::kNoResourceAllow, user, "kms:DescribeKey", kKey).Message(),
            "User: arn:aws:iam::111111111111:user/alice is not authorized to perform: kms:DescribeKey on resource: "
            "arn:aws:kms:us-east-1:111111111111:key/k1 because no resource-based policy allows the kms:DescribeKey action");
  EXPECT_EQ(Denied(Reason::kExplicitDenyIdentity, user, "s3:GetObject", kObj).Message(),
            "User: arn:aws:iam::111111111111:user/alice is not authorized to perform: s3:GetObject on resource: "
            "arn:aws:s3:::bucket1/key with an explicit deny in an identity-based policy");
  EXPECT_EQ(Denied(Reason::kExplicitDenyResource, user, "s3:GetObject", kObj).Message(),
            "User: arn:aws:iam::111111111111:user/alice is not authorized to perform: s3:GetObject on resource: "
            "arn:aws:s3:::bucket1/key with an explicit deny in a resource-based policy");
  EXPECT_EQ(Denied(Reason::kNoSessionAllow, user, "s3:GetObject", kObj).Message(),
            "User: arn:aws:iam::111111111111:user/alice is not authorized to perform: s3:GetObject on resource: "
            "arn:aws:s3:::bucket1/key because no session policy allows the s3:GetObject action");
  EXPECT_EQ(Denied(Reason::kNoBoundaryAllow, user, "s3:GetObject", kObj).Message(),
            "User: arn:aws:iam::111111111111:user/alice is not authorized to perform: s3:GetObject on resource: "
            "arn:aws:s3:::bucket1/key because no permissions boundary allows the s3:GetObject action");
}

TEST(EvaluationMessage, RedactedKmsCrossAccountForms) {
  const std::string sess = "arn:aws:sts::222222222222:assumed-role/role2/s2";
  const std::string redacted_tail =
      " is not authorized to perform: kms:GenerateDataKey on this resource because the resource does not exist in this "
      "Region, no resource-based policies allow access, or a resource-based policy explicitly denies access";
  EXPECT_EQ(Denied(Reason::kNoResourceAllow, sess, "kms:GenerateDataKey", kKey).Message(true), "User: " + sess + redacted_tail);
  EXPECT_EQ(Denied(Reason::kExplicitDenyResource, sess, "kms:GenerateDataKey", kKey).Message(true), "User: " + sess + redacted_tail);
  EXPECT_EQ(Denied(Reason::kNoIdentityAllow, sess, "kms:GenerateDataKey", kKey).Message(true),
            "User: " + sess +
                " is not authorized to perform: kms:GenerateDataKey on this resource because no identity-based policy allows the "
                "kms:GenerateDataKey action");
}

TEST(EvaluationMessage, AllowedHasNoMessage) {
  EvaluationResult r;
  r.decision = Decision::kAllow;
  EXPECT_EQ(r.Message(), "");
}

TEST(Evaluate, DeniedResultCarriesRequestForMessage) {
  Principal p = MakePrincipal(Who::kSessB);
  auto key_policy = ParsePolicy(Doc({PSt("Allow", Aws(kRootAArn), Q("kms:*"), Q("*"))}), PolicyKind::kKeyPolicy);
  ASSERT_TRUE(key_policy.ok());
  auto identity = ParsePolicy(AllowAll(), PolicyKind::kIdentity);
  ASSERT_TRUE(identity.ok());
  RequestContext ctx{"kms:GenerateDataKey", kKey, kA, {}};
  EvaluationInput in;
  in.principal = &p;
  in.identity_policies = {&*identity};
  in.resource_policy = &*key_policy;
  in.resource_policy_required = true;
  in.context = &ctx;
  EvaluationResult r = Evaluate(in);
  EXPECT_EQ(r.decision, Decision::kImplicitDeny);
  EXPECT_EQ(r.reason, Reason::kNoResourceAllow);
  EXPECT_EQ(r.Message(false),
            "User: arn:aws:sts::222222222222:assumed-role/role2/s2 is not authorized to perform: kms:GenerateDataKey on resource: "
            "arn:aws:kms:us-east-1:111111111111:key/k1 because no resource-based policy allows the kms:GenerateDataKey action");
}

TEST(Evaluate, AllowedResultDoesNotCopyStrings) {
  Principal p = MakePrincipal(Who::kRootA);
  RequestContext ctx{"s3:GetObject", kObj, kA, {}};
  EvaluationInput in;
  in.principal = &p;
  in.context = &ctx;
  EvaluationResult r = Evaluate(in);
  EXPECT_TRUE(r.allowed());
  EXPECT_EQ(r.reason, Reason::kNone);
  EXPECT_TRUE(r.principal_arn.empty());
}

TEST(Evaluate, NullPrincipalIsAnonymous) {
  auto rp = ParsePolicy(Doc({PSt("Allow", Q("*"), Q("s3:GetObject"), Q("*"))}), PolicyKind::kResource);
  ASSERT_TRUE(rp.ok());
  RequestContext ctx{"s3:GetObject", kObj, kA, {}};
  EvaluationInput in;
  in.resource_policy = &*rp;
  in.context = &ctx;
  EXPECT_TRUE(Evaluate(in).allowed());
  in.resource_policy = nullptr;
  EvaluationResult r = Evaluate(in);
  EXPECT_EQ(r.reason, Reason::kNoResourceAllow);
  EXPECT_EQ(r.principal_arn, "anonymous");
}

TEST(Evaluate, PolicyIsReusableAcrossThreadsOfCalls) {
  // Same parsed policy, different principals: the evaluator keeps no state.
  auto home = ParsePolicy(Allow("s3:GetObject", "arn:aws:s3:::bucket1/home/${aws:username}/*"), PolicyKind::kIdentity);
  ASSERT_TRUE(home.ok());
  Principal alice = MakePrincipal(Who::kAlice), bob = MakePrincipal(Who::kBob);
  RequestContext ctx{"s3:GetObject", "arn:aws:s3:::bucket1/home/alice/x", kA, {}};
  EvaluationInput in;
  in.identity_policies = {&*home};
  in.context = &ctx;
  in.principal = &alice;
  EXPECT_TRUE(Evaluate(in).allowed());
  in.principal = &bob;
  EXPECT_FALSE(Evaluate(in).allowed());
  in.principal = &alice;
  EXPECT_TRUE(Evaluate(in).allowed());
}

}  // namespace
}  // namespace ck::core::iam
