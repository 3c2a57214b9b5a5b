#include "services/credential_resolver.h"

#include <gtest/gtest.h>

#include "storage/memory_metadata_store.h"

namespace ck::services {
namespace {

struct Env {
  OffsetClock clock;
  std::unique_ptr<storage::MetadataStore> meta = storage::NewMemoryMetadataStore();
  IdentityStore identities{*meta};
  CredentialResolver dev{identities, clock, /*strict=*/false, "000000000000"};
  CredentialResolver strict{identities, clock, /*strict=*/true, "000000000000"};

  void PutUser(const std::string& name) {
    IamUser u;
    u.account = "111111111111";
    u.name = name;
    u.user_id = "AIDAEXAMPLE";
    u.arn = "arn:aws:iam::111111111111:user/" + name;
    ASSERT_TRUE(identities.PutUser(u, false).ok());
  }
  void PutKey(bool active) {
    AccessKey k;
    k.access_key_id = "AKIAEXAMPLEKEY000001";
    k.secret = "s3cret";
    k.account = "111111111111";
    k.user_name = "alice";
    k.active = active;
    ASSERT_TRUE(identities.PutAccessKey(k).ok());
  }
};

std::string CodeOf(const Result<ResolvedCredential>& r) { return r.ok() ? "ok" : r.status().aws_code(); }

// Every write to keys, users and sessions is seen by the next request even
// though lookups (unknown ids included) are cached.
TEST(CredentialResolver, CachedLookupsFollowWrites) {
  Env env;
  const std::string id = "AKIAEXAMPLEKEY000001";
  EXPECT_EQ(CodeOf(env.strict.Resolve(id, "")), "InvalidClientTokenId");  // unknown, now cached
  auto dev = env.dev.Resolve(id, "");
  ASSERT_TRUE(dev.ok());
  EXPECT_EQ(dev->principal.account, "000000000000");
  EXPECT_FALSE(dev->secret.has_value());

  env.PutUser("alice");
  env.PutKey(true);
  auto known = env.strict.Resolve(id, "");
  ASSERT_TRUE(known.ok());
  EXPECT_EQ(known->principal.arn, "arn:aws:iam::111111111111:user/alice");
  EXPECT_EQ(known->principal.access_key_id, id);
  EXPECT_EQ(known->secret, "s3cret");

  env.PutKey(false);  // UpdateAccessKey Status=Inactive
  EXPECT_EQ(CodeOf(env.strict.Resolve(id, "")), "InvalidClientTokenId");
  env.PutKey(true);
  EXPECT_TRUE(env.strict.Resolve(id, "").ok());
  ASSERT_TRUE(env.identities.DeleteUser("111111111111", "alice").ok());
  EXPECT_EQ(CodeOf(env.strict.Resolve(id, "")), "InvalidClientTokenId");
  env.PutUser("alice");
  ASSERT_TRUE(env.identities.DeleteAccessKey(id).ok());
  EXPECT_EQ(CodeOf(env.strict.Resolve(id, "")), "InvalidClientTokenId");
}

TEST(CredentialResolver, SessionTokenAndExpiryAreCheckedEveryTime) {
  Env env;
  StsSession s;
  s.access_key_id = "ASIAEXAMPLESESSION01";
  s.secret = "sec";
  s.session_token = "token-1";
  s.account = "111111111111";
  s.kind = "assumed-role";
  s.role_arn = "arn:aws:iam::111111111111:role/app";
  s.role_name = "app";
  s.role_id = "AROAEXAMPLE";
  s.session_name = "s1";
  s.expiration = env.clock.Now() + std::chrono::seconds(900);
  ASSERT_TRUE(env.identities.PutSession(s).ok());
  auto ok = env.strict.Resolve(s.access_key_id, "token-1");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->principal.arn, "arn:aws:sts::111111111111:assumed-role/app/s1");
  EXPECT_EQ(CodeOf(env.strict.Resolve(s.access_key_id, "token-2")), "InvalidClientTokenId");
  EXPECT_EQ(CodeOf(env.strict.Resolve(s.access_key_id, "")), "InvalidClientTokenId");
  env.clock.Advance(std::chrono::seconds(901));
  EXPECT_EQ(CodeOf(env.strict.Resolve(s.access_key_id, "token-1")), "ExpiredToken");
}

}  // namespace
}  // namespace ck::services
