#include "services/sts/sts_service.h"

#include <gtest/gtest.h>

#include "services/authorizer.h"
#include "services/credential_resolver.h"
#include "storage/memory_metadata_store.h"

namespace ck::services {
namespace {

constexpr char kAccount[] = "111111111111";

std::string Allow(const std::string& action) {
  return R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":")" + action + R"(","Resource":"*"}]})";
}

std::string Trust(const std::string& actions) {
  return R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":)" +
         actions + "}]}";
}

api::sts::Tag Tag(const std::string& k, const std::string& v) { return api::sts::Tag{k, v}; }

struct Env {
  OffsetClock clock;
  std::unique_ptr<storage::MetadataStore> meta = storage::NewMemoryMetadataStore();
  IdentityStore identities{*meta};
  PolicyAuthorizer authorizer{identities, clock};
  StsService sts{identities, clock, authorizer};
  CredentialResolver resolver{identities, clock, /*strict=*/true, kAccount};
  RequestContext ctx;

  Env() {
    ctx.region = "us-east-1";
    IamUser u;
    u.account = kAccount;
    u.name = "alice";
    u.user_id = "AIDAALICE";
    u.arn = "arn:aws:iam::111111111111:user/alice";
    u.inline_policies["all"] = Allow("*");
    EXPECT_TRUE(identities.PutUser(u, true).ok());
    ctx.principal = UserPrincipal(u);
    PutRole("r1", Trust(R"(["sts:AssumeRole","sts:TagSession"])"));
    PutRole("r2", Trust(R"(["sts:AssumeRole","sts:TagSession"])"));
    PutRole("notags", Trust(R"("sts:AssumeRole")"));
  }
  void PutRole(const std::string& name, const std::string& trust) {
    IamRole r;
    r.account = kAccount;
    r.name = name;
    r.role_id = "AROA" + name;
    r.arn = "arn:aws:iam::111111111111:role/" + name;
    r.trust_policy = trust;
    r.inline_policies["all"] = Allow("*");
    EXPECT_TRUE(identities.PutRole(r, true).ok());
  }
  Result<api::sts::AssumeRoleResponse> Assume(const std::string& role, std::vector<api::sts::Tag> tags,
                                              std::vector<std::string> transitive = {}) {
    api::sts::AssumeRoleRequest in;
    in.role_arn = "arn:aws:iam::111111111111:role/" + role;
    in.role_session_name = "s";
    if (!tags.empty()) in.tags = std::move(tags);
    if (!transitive.empty()) in.transitive_tag_keys = std::move(transitive);
    return sts.AssumeRole(in, ctx);
  }
  // Continue as the session the credentials name.
  void Become(const api::sts::Credentials& c) {
    auto r = resolver.Resolve(c.access_key_id, c.session_token);
    ASSERT_TRUE(r.ok()) << r.status().message();
    ctx.principal = r->principal;
  }
};

std::string Text(const Status& s) { return s.ok() ? "ok" : s.aws_code() + ": " + s.message(); }

TEST(StsSessionTags, CaseInsensitiveDuplicatesAndTransitiveKeys) {
  Env e;
  EXPECT_EQ(Text(e.Assume("r1", {Tag("SessionTag1", "a")}, {"InvalidKey"}).status()),
            "InvalidParameterValue: The specified transitive tag key must be included in the requested tags.");
  EXPECT_EQ(Text(e.Assume("r1", {Tag("SessionTag1", "a"), Tag("sessiontag1", "b")}, {"sessiontag1"}).status()),
            "InvalidParameterValue: Duplicate tag keys found. Please note that Tag keys are case insensitive.");
  auto ok = e.Assume("r1", {Tag("SessionTag1", "a")}, {"sessiontag1"});
  ASSERT_TRUE(ok.ok()) << Text(ok.status());
  EXPECT_TRUE(ok->packed_policy_size.has_value());
  // The session keeps its tags and transitive keys.
  auto stored = e.identities.GetSession(ok->credentials->access_key_id);
  ASSERT_TRUE(stored.ok() && stored->has_value());
  ASSERT_TRUE((*stored)->session_tags.has_value());
  EXPECT_EQ((*stored)->session_tags->at(0).key, "SessionTag1");
  EXPECT_EQ((*stored)->transitive_tag_keys, std::optional<std::vector<std::string>>({"sessiontag1"}));
}

TEST(StsSessionTags, TagSessionIsAuthorizedByTheTrustPolicy) {
  Env e;
  EXPECT_TRUE(e.Assume("notags", {}).ok());
  EXPECT_EQ(Text(e.Assume("notags", {Tag("k", "v")}).status()),
            "AccessDenied: User: arn:aws:iam::111111111111:user/alice is not authorized to perform: sts:TagSession "
            "on resource: arn:aws:iam::111111111111:role/notags");
}

TEST(StsSessionTags, TransitiveTagsPassOnAndConflict) {
  Env e;
  auto s1 = e.Assume("r1", {Tag("Project", "a"), Tag("Local", "x")}, {"Project"});
  ASSERT_TRUE(s1.ok());
  e.Become(*s1->credentials);
  const std::string conflict =
      "InvalidParameterValue: One of the specified transitive tag keys can't be set because it conflicts with a "
      "transitive tag key from the calling session.";
  EXPECT_EQ(Text(e.Assume("r2", {Tag("PROJECT", "b")}).status()), conflict);
  auto s2 = e.Assume("r2", {Tag("Local", "y")});  // not transitive: may be set again
  ASSERT_TRUE(s2.ok()) << Text(s2.status());
  auto stored = e.identities.GetSession(s2->credentials->access_key_id);
  ASSERT_TRUE(stored.ok() && stored->has_value());
  ASSERT_EQ((*stored)->session_tags->size(), 2u);
  EXPECT_EQ((*stored)->session_tags->at(0).key, "Project");  // inherited
  EXPECT_EQ((*stored)->session_tags->at(0).value, "a");
  EXPECT_EQ((*stored)->session_tags->at(1).key, "Local");
  EXPECT_EQ((*stored)->transitive_tag_keys, std::optional<std::vector<std::string>>({"Project"}));
  e.Become(*s2->credentials);
  EXPECT_EQ(Text(e.Assume("r1", {Tag("project", "c")}).status()), conflict);
}

TEST(StsFederation, TokenPrincipalAndDuration) {
  Env e;
  api::sts::GetFederationTokenRequest in;
  in.name = "Bob";
  in.duration_seconds = 900;
  auto out = e.sts.GetFederationToken(in, e.ctx);
  ASSERT_TRUE(out.ok()) << Text(out.status());
  EXPECT_EQ(out->federated_user->arn, "arn:aws:sts::111111111111:federated-user/Bob");
  EXPECT_EQ(out->federated_user->federated_user_id, "111111111111:Bob");
  EXPECT_EQ(out->packed_policy_size, 0);
  EXPECT_EQ(out->credentials->expiration,
            std::chrono::time_point_cast<std::chrono::seconds>(e.clock.Now() + std::chrono::seconds(900)));
  auto p = e.resolver.Resolve(out->credentials->access_key_id, out->credentials->session_token);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->principal.type, Principal::Type::kFederatedUser);
  EXPECT_EQ(p->principal.arn, "arn:aws:sts::111111111111:federated-user/Bob");
  EXPECT_EQ(p->principal.username, "alice");
  // The root's federated sessions last an hour at most.
  e.ctx.principal = Principal::Root(kAccount);
  in.duration_seconds = 7200;
  out = e.sts.GetFederationToken(in, e.ctx);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->credentials->expiration,
            std::chrono::time_point_cast<std::chrono::seconds>(e.clock.Now() + std::chrono::seconds(3600)));
}

TEST(StsFederation, RefusedWithSessionCredentialsOrWithoutPermission) {
  Env e;
  auto s = e.Assume("r1", {});
  ASSERT_TRUE(s.ok());
  e.Become(*s->credentials);
  api::sts::GetFederationTokenRequest in;
  in.name = "Bob";
  EXPECT_EQ(Text(e.sts.GetFederationToken(in, e.ctx).status()),
            "AccessDenied: Cannot call GetFederationToken with session credentials");
  IamUser u;
  u.account = kAccount;
  u.name = "bob";
  u.arn = "arn:aws:iam::111111111111:user/bob";
  ASSERT_TRUE(e.identities.PutUser(u, true).ok());
  e.ctx.principal = UserPrincipal(u);
  EXPECT_EQ(Text(e.sts.GetFederationToken(in, e.ctx).status()),
            "AccessDenied: User: arn:aws:iam::111111111111:user/bob is not authorized to perform: "
            "sts:GetFederationToken on resource: arn:aws:sts::111111111111:federated-user/Bob");
}

// A federated user may do what both its IAM user and its session policies
// allow; with no session policy, nothing (PolicyAuthorizer).
TEST(StsFederation, PermissionsAreTheIntersection) {
  Env e;
  auto allowed = [&](const api::sts::Credentials& c, const std::string& action) {
    auto r = e.resolver.Resolve(c.access_key_id, c.session_token);
    EXPECT_TRUE(r.ok());
    AuthzRequest req;
    req.principal = &r->principal;
    req.action = action;
    req.resource = "arn:aws:dynamodb:us-east-1:111111111111:table/t";
    auto d = e.authorizer.Authorize(req);
    return d.ok() && d->allowed();
  };
  api::sts::GetFederationTokenRequest in;
  in.name = "Bob";
  auto bare = e.sts.GetFederationToken(in, e.ctx);
  ASSERT_TRUE(bare.ok());
  EXPECT_FALSE(allowed(*bare->credentials, "dynamodb:GetItem"));
  in.policy = Allow("dynamodb:GetItem");
  auto narrow = e.sts.GetFederationToken(in, e.ctx);
  ASSERT_TRUE(narrow.ok());
  EXPECT_GT(*narrow->packed_policy_size, 0);
  EXPECT_TRUE(allowed(*narrow->credentials, "dynamodb:GetItem"));
  EXPECT_FALSE(allowed(*narrow->credentials, "dynamodb:PutItem"));
  // Federated by the root: the session policy is the whole limit.
  e.ctx.principal = Principal::Root(kAccount);
  auto by_root = e.sts.GetFederationToken(in, e.ctx);
  ASSERT_TRUE(by_root.ok());
  EXPECT_TRUE(allowed(*by_root->credentials, "dynamodb:GetItem"));
  EXPECT_FALSE(allowed(*by_root->credentials, "dynamodb:PutItem"));
  // A user without the permission, whatever the session policy says.
  IamUser u;
  u.account = kAccount;
  u.name = "carol";
  u.arn = "arn:aws:iam::111111111111:user/carol";
  u.inline_policies["fed"] = Allow("sts:GetFederationToken");
  ASSERT_TRUE(e.identities.PutUser(u, true).ok());
  e.ctx.principal = UserPrincipal(u);
  auto carol = e.sts.GetFederationToken(in, e.ctx);
  ASSERT_TRUE(carol.ok());
  EXPECT_FALSE(allowed(*carol->credentials, "dynamodb:GetItem"));
}

}  // namespace
}  // namespace ck::services
