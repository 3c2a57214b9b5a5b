// Authenticator: signing keys are cached per (secret, date, region, service),
// so a repeated request derives no key, and a changed secret or scope never
// reuses another's key.
#include "services/gateway/authenticator.h"

#include <gtest/gtest.h>

#include "auth/auth_test_util.h"
#include "storage/memory_metadata_store.h"

namespace ck::services {
namespace {

constexpr char kKeyId[] = "AKIAEXAMPLEKEY000001";

struct Env {
  FakeClock clock{auth::testing::At("20261204T120000Z")};
  std::unique_ptr<storage::MetadataStore> meta = storage::NewMemoryMetadataStore();
  IdentityStore identities{*meta};
  CredentialResolver credentials{identities, clock, /*strict=*/true, "000000000000"};
  Authenticator auth{credentials, clock};

  Env() {
    IamUser u;
    u.account = "111111111111";
    u.name = "alice";
    u.user_id = "AIDAEXAMPLE";
    u.arn = "arn:aws:iam::111111111111:user/alice";
    EXPECT_TRUE(identities.PutUser(u, false).ok());
    SetSecret("first-secret");
  }
  void SetSecret(const std::string& secret) {
    AccessKey k;
    k.access_key_id = kKeyId;
    k.secret = secret;
    k.account = "111111111111";
    k.user_name = "alice";
    k.active = true;
    EXPECT_TRUE(identities.PutAccessKey(k).ok());
  }
  // A KMS request signed with `secret` for `region` at the clock's time.
  std::string Check(const std::string& secret, const std::string& region, const std::string& date = "20261204") {
    auto head = auth::testing::MakeHead("POST", "/",
                                        {{"host", "localhost:4566"},
                                         {"x-amz-date", date + "T120000Z"},
                                         {"x-amz-content-sha256", std::string(auth::kEmptySha256)},
                                         {"x-amz-target", "TrentService.ListKeys"},
                                         {"content-type", "application/x-amz-json-1.1"}});
    auth::testing::SignHeaderAuth(&head, kKeyId, secret, date, region, "kms",
                                  {"host", "x-amz-content-sha256", "x-amz-date"}, auth::kEmptySha256);
    auto who = auth.Authenticate(RouteRequest(head), head);
    return who.ok() ? (who->signature_verified ? "verified" : "unverified") : who.status().aws_code();
  }
};

TEST(Authenticator, CachedSigningKeysFollowTheSecretAndScope) {
  Env env;
  EXPECT_EQ(env.Check("first-secret", "us-east-1"), "verified");
  EXPECT_EQ(env.Check("first-secret", "us-east-1"), "verified");  // the cached key
  EXPECT_EQ(env.Check("wrong-secret", "us-east-1"), "InvalidSignatureException");
  EXPECT_EQ(env.Check("first-secret", "eu-west-1"), "verified");  // another region: another key
  env.SetSecret("second-secret");                                 // the key's secret changes
  EXPECT_EQ(env.Check("first-secret", "us-east-1"), "InvalidSignatureException");
  EXPECT_EQ(env.Check("second-secret", "us-east-1"), "verified");
  env.clock.Set(auth::testing::At("20261205T120000Z"));  // the next day: a new scope date
  EXPECT_EQ(env.Check("second-secret", "us-east-1", "20261205"), "verified");
  EXPECT_EQ(env.Check("first-secret", "us-east-1", "20261205"), "InvalidSignatureException");
}

}  // namespace
}  // namespace ck::services
