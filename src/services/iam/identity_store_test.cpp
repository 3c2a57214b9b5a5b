#include "services/iam/identity_store.h"

#include <gtest/gtest.h>

#include "storage/memory_metadata_store.h"

namespace ck::services {
namespace {

// Records as the identity store wrote them before its records had field
// tables (captured from a data directory of that build). They must keep
// loading, and re-encode to the same documents.
constexpr char kUser[] =
    R"({"account":"111111111111","arn":"arn:aws:iam::111111111111:user/team/Alice",)"
    R"("attached":["arn:aws:iam::111111111111:policy/mp","arn:aws:iam::aws:policy/ReadOnlyAccess"],)"
    R"("created":1796391123.2606049,"inline":{"all":"{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": )"
    R"(\"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}]}"},"name":"Alice","path":"/team/",)"
    R"("tags":[{"Key":"k","Value":"v"}],"user_id":"AIDAYYYMMJASTNUL3H66"})";
constexpr char kRole[] =
    R"({"account":"111111111111","arn":"arn:aws:iam::111111111111:role/App",)"
    R"("attached":["arn:aws:iam::111111111111:policy/mp"],"created":1796391123.300823,"description":"role",)"
    R"("inline":{"rp":"{}"},"max_session":7200,"name":"App","path":"/","role_id":"AROATDHGPOWLXEQVT63W",)"
    R"("tags":[{"Key":"a","Value":"b"}],"trust":"{\"Version\": \"2012-10-17\"}"})";
constexpr char kKey[] =
    R"({"account":"111111111111","active":true,"created":1796391123.2990298,"id":"AKIAKVMUTDK4OFHV45L6",)"
    R"("secret":"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","user":"Alice"})";
constexpr char kRoleSession[] =
    R"({"account":"111111111111","chained":false,"expiration":1796394723.309701,"id":"ASIADMGPMI4TY44UORH4",)"
    R"("kind":"assumed-role","policy":"{\"Version\": \"2012-10-17\"}","policy_arns":[],)"
    R"("role_arn":"arn:aws:iam::111111111111:role/App","role_id":"AROATDHGPOWLXEQVT63W","role_name":"App",)"
    R"("secret":"VeKagYp4kXjAx9hL2asX5tdym5ll+LEmC/qUY5kM","session_name":"s1","token":"FwoGZXIvYXdzEXC9",)"
    R"("user":""})";
constexpr char kUserSession[] =
    R"({"account":"111111111111","chained":false,"expiration":1796434323.3114834,"id":"ASIAH5Z7XNA6JMPMOVP7",)"
    R"("kind":"session-token","policy_arns":[],"role_arn":"","role_id":"","role_name":"",)"
    R"("secret":"CM9I5SovyTr/0+ev1ljQgqUJKrMQXB9xZ5dGT8EA","session_name":"","token":"FwoGZXIvYXdzEqYs",)"
    R"("user":"Alice"})";
constexpr char kPolicy[] =
    R"({"arn":"arn:aws:iam::111111111111:policy/mp","attachments":2,"created":1796391123.0,)"
    R"("default_version":"v2","description":"d","document":"{\"Version\": \"2012-10-17\"}",)"
    R"("id":"ANPAKCGQ7SBTK4HTQ6QU","name":"mp","next_version":3,"path":"/","updated":1796391123.0,)"
    R"("versions":[{"created":1796391123.0,"document":"{}","id":"v1"},)"
    R"({"created":1796391123.0,"document":"{\"Version\": \"2012-10-17\"}","id":"v2"}]})";

struct Env {
  std::unique_ptr<storage::MetadataStore> meta = storage::NewMemoryMetadataStore();
  IdentityStore identities{*meta};

  void Raw(const char* table, const std::string& key, const char* value) {
    storage::WriteBatch b;
    b.Put(table, key, value);
    ASSERT_TRUE(meta->Apply(b).ok());
  }
  // The stored document after the record is written back.
  Document Stored(const char* table, const std::string& key) {
    auto raw = meta->Get(table, key);
    EXPECT_TRUE(raw.ok() && raw->has_value());
    return Document::parse(**raw);
  }
};

TEST(IdentityStoreFormat, UsersLoadAndRewriteUnchanged) {
  Env env;
  env.Raw("iam.users", "111111111111/alice", kUser);
  auto user = env.identities.GetUser("111111111111", "ALICE");
  ASSERT_TRUE(user.ok() && user->has_value());
  const IamUser& u = **user;
  EXPECT_EQ(u.name, "Alice");
  EXPECT_EQ(u.path, "/team/");
  EXPECT_EQ(u.user_id, "AIDAYYYMMJASTNUL3H66");
  EXPECT_EQ(u.arn, "arn:aws:iam::111111111111:user/team/Alice");
  EXPECT_EQ(u.attached_policies.size(), 2u);
  ASSERT_EQ(u.inline_policies.count("all"), 1u);
  ASSERT_EQ(u.tags.size(), 1u);
  EXPECT_EQ(u.tags[0].key, "k");
  EXPECT_EQ(u.tags[0].value, "v");
  EXPECT_EQ(ToEpochSeconds(u.created), 1796391123.2606049);
  ASSERT_TRUE(env.identities.PutUser(u, false).ok());
  EXPECT_EQ(env.Stored("iam.users", "111111111111/alice"), Document::parse(kUser));
}

TEST(IdentityStoreFormat, RolesLoadAndRewriteUnchanged) {
  Env env;
  env.Raw("iam.roles", "111111111111/app", kRole);
  auto role = env.identities.GetRole("111111111111", "app");
  ASSERT_TRUE(role.ok() && role->has_value());
  const IamRole& r = **role;
  EXPECT_EQ(r.name, "App");
  EXPECT_EQ(r.role_id, "AROATDHGPOWLXEQVT63W");
  EXPECT_EQ(r.description, "role");
  EXPECT_EQ(r.trust_policy, R"({"Version": "2012-10-17"})");
  EXPECT_EQ(r.max_session_duration, 7200);
  EXPECT_EQ(r.attached_policies, std::vector<std::string>{"arn:aws:iam::111111111111:policy/mp"});
  ASSERT_TRUE(env.identities.PutRole(r, false).ok());
  EXPECT_EQ(env.Stored("iam.roles", "111111111111/app"), Document::parse(kRole));
}

TEST(IdentityStoreFormat, AccessKeysLoadAndRewriteUnchanged) {
  Env env;
  env.Raw("iam.access_keys", "AKIAKVMUTDK4OFHV45L6", kKey);
  auto key = env.identities.GetAccessKey("AKIAKVMUTDK4OFHV45L6");
  ASSERT_TRUE(key.ok() && key->has_value());
  EXPECT_EQ((*key)->user_name, "Alice");
  EXPECT_EQ((*key)->secret, "LBfOJBBzXXGbszzkOlherXHbDrpm805jbz9bQadY");
  EXPECT_TRUE((*key)->active);
  auto listed = env.identities.ListAccessKeys("111111111111", "alice");
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->size(), 1u);
  ASSERT_TRUE(env.identities.PutAccessKey(**key).ok());
  EXPECT_EQ(env.Stored("iam.access_keys", "AKIAKVMUTDK4OFHV45L6"), Document::parse(kKey));
}

TEST(IdentityStoreFormat, SessionsLoad) {
  Env env;
  env.Raw("sts.sessions", "ASIADMGPMI4TY44UORH4", kRoleSession);
  env.Raw("sts.sessions", "ASIAH5Z7XNA6JMPMOVP7", kUserSession);
  auto role = env.identities.GetSession("ASIADMGPMI4TY44UORH4");
  ASSERT_TRUE(role.ok() && role->has_value());
  EXPECT_EQ((*role)->kind, "assumed-role");
  EXPECT_EQ((*role)->session_name, "s1");
  EXPECT_EQ((*role)->session_policy, std::optional<std::string>(R"({"Version": "2012-10-17"})"));
  EXPECT_EQ(ToEpochSeconds((*role)->expiration), 1796394723.309701);
  auto user = env.identities.GetSession("ASIAH5Z7XNA6JMPMOVP7");
  ASSERT_TRUE(user.ok() && user->has_value());
  EXPECT_EQ((*user)->user_name, "Alice");
  EXPECT_FALSE((*user)->session_policy.has_value());  // no "policy" member: none
  EXPECT_EQ(ToDocument(**role), Document::parse(kRoleSession));
  EXPECT_EQ(ToDocument(**user), Document::parse(kUserSession));
}

TEST(IdentityStoreFormat, ManagedPoliciesLoadAndRewriteUnchanged) {
  Env env;
  env.Raw("iam.policies", "arn:aws:iam::111111111111:policy/mp", kPolicy);
  auto policy = env.identities.GetPolicy("arn:aws:iam::111111111111:policy/mp");
  ASSERT_TRUE(policy.ok() && policy->has_value());
  const ManagedPolicy& p = **policy;
  EXPECT_EQ(p.default_version, "v2");
  EXPECT_EQ(p.document, R"({"Version": "2012-10-17"})");
  EXPECT_EQ(p.attachments, 2);
  EXPECT_EQ(p.next_version, 3);
  ASSERT_EQ(p.versions.size(), 2u);
  EXPECT_EQ(p.versions[1].id, "v2");
  EXPECT_FALSE(p.aws);
  auto listed = env.identities.ListPolicies("arn:aws:iam::111111111111:");
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->size(), 1u);
  ASSERT_TRUE(env.identities.PutPolicy(p, false).ok());
  EXPECT_EQ(env.Stored("iam.policies", "arn:aws:iam::111111111111:policy/mp"), Document::parse(kPolicy));
}

TEST(IdentityStoreFormat, CorruptRecordIsAnErrorNotADefault) {
  Env env;
  env.Raw("iam.users", "111111111111/bob", R"({"account":"111111111111","name":7})");
  auto user = env.identities.GetUser("111111111111", "bob");
  ASSERT_FALSE(user.ok());
  EXPECT_EQ(user.status().code(), Code::kInternal);
}

TEST(IdentityStore, CreatingAnExistingUserIsAlreadyExistsAndBumpsGenerations) {
  Env env;
  IamUser u;
  u.account = "111111111111";
  u.name = "Carol";
  uint64_t policy = env.identities.policy_generation(), credential = env.identities.credential_generation();
  ASSERT_TRUE(env.identities.PutUser(u, true).ok());
  EXPECT_GT(env.identities.policy_generation(), policy);
  EXPECT_GT(env.identities.credential_generation(), credential);
  u.name = "CAROL";  // names ignore case
  EXPECT_EQ(env.identities.PutUser(u, true).code(), Code::kAlreadyExists);
  uint64_t before = env.identities.credential_generation();
  ASSERT_TRUE(env.identities.PutPolicy(ManagedPolicy{.arn = "arn:aws:iam::1:policy/p", .name = "p"}, true).ok());
  EXPECT_EQ(env.identities.credential_generation(), before);  // policies do not touch credentials
}

}  // namespace
}  // namespace ck::services
