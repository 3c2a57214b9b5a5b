#include "core/iam/context_keys.h"

#include <gtest/gtest.h>

#include "core/iam/evaluator_test_support.h"

namespace ck::core::iam {
namespace {

using namespace ck::core::iam::testing;  // NOLINT

std::vector<std::string> Get(const ContextKeys& k, const std::string& key) {
  auto it = k.find(key);
  return it == k.end() ? std::vector<std::string>{"<absent>"} : it->second;
}
using V = std::vector<std::string>;

RequestFacts Facts() {
  RequestFacts f;
  f.source_ip = "203.0.113.9";
  f.secure_transport = true;
  f.now = FromEpochSeconds(1717588800);  // 2024-06-05T12:00:00Z
  f.requested_region = "us-east-1";
  f.resource_account = kA;
  return f;
}

TEST(AddGlobalKeys, AssumedRole) {
  ContextKeys k;
  AddGlobalKeys(MakePrincipal(Who::kSessB), Facts(), &k);
  EXPECT_EQ(Get(k, "aws:PrincipalArn"), V{kRole2});  // the role, not the session
  EXPECT_EQ(Get(k, "aws:principalaccount"), V{kB});
  EXPECT_EQ(Get(k, "aws:PrincipalType"), V{"AssumedRole"});
  EXPECT_EQ(Get(k, "aws:userid"), V{"AROAROLE2EXAMPLE0005:s2"});
  EXPECT_EQ(Get(k, "aws:username"), V{"<absent>"});
  EXPECT_EQ(Get(k, "aws:SourceIp"), V{"203.0.113.9"});
  EXPECT_EQ(Get(k, "aws:SecureTransport"), V{"true"});
  EXPECT_EQ(Get(k, "aws:CurrentTime"), V{"2024-06-05T12:00:00Z"});
  EXPECT_EQ(Get(k, "aws:EpochTime"), V{"1717588800"});
  EXPECT_EQ(Get(k, "aws:RequestedRegion"), V{"us-east-1"});
  EXPECT_EQ(Get(k, "aws:ViaAWSService"), V{"false"});
  EXPECT_EQ(Get(k, "aws:CalledVia"), V{"<absent>"});
  EXPECT_EQ(Get(k, "aws:ResourceAccount"), V{kA});
  EXPECT_EQ(Get(k, "aws:PrincipalIsAWSService"), V{"false"});
}

TEST(AddGlobalKeys, UserRootAnonymousService) {
  ContextKeys user;
  AddGlobalKeys(MakePrincipal(Who::kAlice), Facts(), &user);
  EXPECT_EQ(Get(user, "aws:username"), V{"alice"});
  EXPECT_EQ(Get(user, "aws:PrincipalType"), V{"User"});
  EXPECT_EQ(Get(user, "aws:PrincipalArn"), V{kAlice});
  ContextKeys root;
  AddGlobalKeys(MakePrincipal(Who::kRootA), Facts(), &root);
  EXPECT_EQ(Get(root, "aws:PrincipalType"), V{"Account"});
  EXPECT_EQ(Get(root, "aws:userid"), V{kA});
  ContextKeys anon;
  AddGlobalKeys(MakePrincipal(Who::kAnon), Facts(), &anon);
  EXPECT_EQ(Get(anon, "aws:PrincipalType"), V{"Anonymous"});
  EXPECT_EQ(Get(anon, "aws:userid"), V{"anonymous"});
  EXPECT_EQ(Get(anon, "aws:PrincipalArn"), V{"<absent>"});
  EXPECT_EQ(Get(anon, "aws:PrincipalAccount"), V{"<absent>"});
  ContextKeys svc;
  AddGlobalKeys(MakePrincipal(Who::kSvcS3), Facts(), &svc);
  EXPECT_EQ(Get(svc, "aws:PrincipalServiceName"), V{"s3.amazonaws.com"});
  EXPECT_EQ(Get(svc, "aws:PrincipalIsAWSService"), V{"true"});
  ContextKeys fed;
  AddGlobalKeys(MakePrincipal(Who::kFedA), Facts(), &fed);
  EXPECT_EQ(Get(fed, "aws:PrincipalType"), V{"FederatedUser"});
}

TEST(AddGlobalKeys, ForwardAccessSession) {
  RequestFacts f = Facts();
  f.source_ip.clear();
  f.via_aws_service = true;
  std::vector<std::string> via = {"athena.amazonaws.com", "s3.amazonaws.com"};
  f.called_via = via;
  f.secure_transport = false;
  f.requested_region.clear();
  f.resource_account.clear();
  ContextKeys k;
  AddGlobalKeys(MakePrincipal(Who::kSessB), f, &k);
  EXPECT_EQ(Get(k, "aws:CalledVia"), (V{"athena.amazonaws.com", "s3.amazonaws.com"}));
  EXPECT_EQ(Get(k, "aws:CalledViaFirst"), V{"athena.amazonaws.com"});
  EXPECT_EQ(Get(k, "aws:CalledViaLast"), V{"s3.amazonaws.com"});
  EXPECT_EQ(Get(k, "aws:ViaAWSService"), V{"true"});
  EXPECT_EQ(Get(k, "aws:SecureTransport"), V{"false"});
  EXPECT_EQ(Get(k, "aws:SourceIp"), V{"<absent>"});
  EXPECT_EQ(Get(k, "aws:RequestedRegion"), V{"<absent>"});
  EXPECT_EQ(Get(k, "aws:ResourceAccount"), V{"<absent>"});
}

TEST(AddGlobalKeys, KeysDriveConditions) {
  // The filled keys work with the evaluator end to end: a Deny on aws:PrincipalType.
  ContextKeys k;
  AddGlobalKeys(MakePrincipal(Who::kSessA), Facts(), &k);
  auto pol = ParsePolicy(Doc({St("Allow", Q("*"), Q("*")), St("Deny", Q("*"), Q("*"), R"("StringEquals":{"aws:PrincipalType":"AssumedRole"})")}),
                         PolicyKind::kIdentity);
  ASSERT_TRUE(pol.ok());
  Principal p = MakePrincipal(Who::kSessA);
  RequestContext ctx{"s3:GetObject", kObj, kA, k};
  EvaluationInput in;
  in.principal = &p;
  in.identity_policies = {&*pol};
  in.context = &ctx;
  EXPECT_EQ(Evaluate(in).decision, Decision::kExplicitDeny);
}

}  // namespace
}  // namespace ck::core::iam
