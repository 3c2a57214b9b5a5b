#include "services/authorizer.h"

#include <gtest/gtest.h>

#include "services/kms/kms_condition_keys.h"
#include "storage/memory_metadata_store.h"

namespace ck::services {
namespace {

constexpr char kAccount[] = "111111111111";

std::string Allow(const std::string& action) {
  return R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":")" + action + R"(","Resource":"*"}]})";
}

struct Env {
  SystemClock clock;
  std::unique_ptr<storage::MetadataStore> meta = storage::NewMemoryMetadataStore();
  IdentityStore identities{*meta};
  PolicyAuthorizer authorizer{identities, clock};
  Principal session;

  Env() {
    session.type = Principal::Type::kAssumedRole;
    session.account = kAccount;
    session.arn = "arn:aws:sts::111111111111:assumed-role/App/s1";
    session.role_arn = "arn:aws:iam::111111111111:role/App";
    session.user_id = "AROAEXAMPLE:s1";
    session.session_name = "s1";
  }

  void PutRole(const std::map<std::string, std::string>& inline_policies, bool create) {
    IamRole role;
    role.account = kAccount;
    role.name = "App";
    role.arn = session.role_arn;
    role.inline_policies = inline_policies;
    ASSERT_TRUE(identities.PutRole(role, create).ok());
  }

  bool Allowed(const std::string& action, const core::iam::KeySource* keys = nullptr,
               const core::iam::Policy* resource_policy = nullptr) {
    AuthzRequest r;
    r.principal = &session;
    r.action = action;
    r.resource = "arn:aws:s3:::bucket/key";
    r.service_keys = keys;
    r.resource_policy = resource_policy;
    auto d = authorizer.Authorize(r);
    EXPECT_TRUE(d.ok());
    return d.ok() && d->allowed();
  }
};

// The identity-policy set of a role is cached, and every IAM write that can
// change it (role policies here; users and managed policies go through the
// same IdentityStore calls) is seen by the next request.
TEST(PolicyAuthorizer, CachedIdentityPoliciesFollowIamWrites) {
  Env env;
  env.PutRole({{"p", Allow("s3:GetObject")}}, true);
  EXPECT_TRUE(env.Allowed("s3:GetObject"));
  EXPECT_TRUE(env.Allowed("s3:GetObject"));  // from the cache
  EXPECT_FALSE(env.Allowed("s3:PutObject"));
  env.PutRole({{"p", Allow("s3:PutObject")}}, false);
  EXPECT_TRUE(env.Allowed("s3:PutObject"));
  EXPECT_FALSE(env.Allowed("s3:GetObject"));
  ASSERT_TRUE(env.identities.DeleteRole(kAccount, "App").ok());
  EXPECT_FALSE(env.Allowed("s3:PutObject"));
}

TEST(PolicyAuthorizer, RoleNamesIgnoreCaseInTheCache) {
  Env env;
  env.PutRole({{"p", Allow("s3:GetObject")}}, true);
  env.session.role_arn = "arn:aws:iam::111111111111:role/app";  // same role, other case
  EXPECT_TRUE(env.Allowed("s3:GetObject"));
}

// Condition keys computed on demand reach the evaluator: the kms:* keys of a
// request and the global keys (aws:PrincipalArn of a session is its role).
TEST(PolicyAuthorizer, OnDemandConditionKeys) {
  Env env;
  env.PutRole({{"p", R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*",
      "Condition":{"StringEquals":{"kms:ViaService":"s3.us-east-1.amazonaws.com",
                                   "kms:EncryptionContext:Department":"sales",
                                   "aws:PrincipalArn":"arn:aws:iam::111111111111:role/App"},
                   "ForAllValues:StringEquals":{"kms:EncryptionContextKeys":["department","Project"]}}}]})"}},
              true);
  KmsCaller caller;
  caller.principal = env.session;
  caller.via_service = "s3.us-east-1.amazonaws.com";
  core::kms::EncryptionContext context{{"department", "sales"}};  // the key name inside the condition key ignores case
  kms::KmsConditionKeys keys(caller, nullptr, &context, nullptr);
  EXPECT_TRUE(env.Allowed("kms:Decrypt", &keys));
  core::kms::EncryptionContext other{{"department", "marketing"}};
  kms::KmsConditionKeys other_keys(caller, nullptr, &other, nullptr);
  EXPECT_FALSE(env.Allowed("kms:Decrypt", &other_keys));
  core::kms::EncryptionContext extra{{"department", "sales"}, {"Owner", "x"}};
  kms::KmsConditionKeys extra_keys(caller, nullptr, &extra, nullptr);
  EXPECT_FALSE(env.Allowed("kms:Decrypt", &extra_keys));  // ForAllValues: Owner is not listed
  caller.via_service.clear();
  kms::KmsConditionKeys direct(caller, nullptr, &context, nullptr);
  EXPECT_FALSE(env.Allowed("kms:Decrypt", &direct));  // kms:ViaService absent
}

// aws:CurrentTime and aws:EpochTime come from the authorizer's clock, read
// only when a condition asks.
TEST(PolicyAuthorizer, TimeConditionsReadTheClock) {
  Env env;
  env.PutRole({{"p", R"({"Version":"2012-10-17","Statement":[
      {"Effect":"Allow","Action":"s3:GetObject","Resource":"*",
       "Condition":{"DateGreaterThan":{"aws:CurrentTime":"2001-01-01T00:00:00Z"}}},
      {"Effect":"Allow","Action":"s3:PutObject","Resource":"*",
       "Condition":{"DateLessThan":{"aws:CurrentTime":"2001-01-01T00:00:00Z"}}},
      {"Effect":"Allow","Action":"s3:DeleteObject","Resource":"*",
       "Condition":{"NumericGreaterThan":{"aws:EpochTime":"978307200"}}}]})"}},
              true);
  EXPECT_TRUE(env.Allowed("s3:GetObject"));
  EXPECT_FALSE(env.Allowed("s3:PutObject"));
  EXPECT_TRUE(env.Allowed("s3:DeleteObject"));
}

}  // namespace
}  // namespace ck::services
