// The console's JSON over real stores: IAM identities, CloudTrail events, and
// S3, DynamoDB and Secrets Manager records in their stored form (as those
// services write them), with KMS keys from a fake KeyCatalog. The seed's
// situation: account 1 owns bucket1 whose default names alias/my-key, its
// policy admits account 2's role2, and account 2 has an alias/my-key of its
// own, so role2's object landed under account 2's key.
#include "services/console/console_data.h"

#include <gtest/gtest.h>

#include "base/codec.h"
#include "core/iam/policy_document.h"
#include "core/kms/policies.h"
#include "storage/key_codec.h"
#include "storage/memory_metadata_store.h"

namespace ck::services::console {
namespace {

using nlohmann::json;
using KeyPtr = std::shared_ptr<const core::kms::KeyRecord>;

constexpr char kA1[] = "111111111111";
constexpr char kA2[] = "222222222222";
constexpr char kA3[] = "333333333333";
constexpr char kRegion[] = "us-east-1";
constexpr char kRole2[] = "arn:aws:iam::222222222222:role/role2";
constexpr char kWriter[] = "arn:aws:sts::222222222222:assumed-role/role2/writer";
// What must never appear in an answer.
constexpr char kMaterial[] = "PLAINTEXT-KEY-MATERIAL";
constexpr char kWrapped[] = "WRAPPED-KEY-MATERIAL";
constexpr char kSecretValue[] = "TOPSECRET-VALUE";
constexpr char kDataKeyBlob[] = "DATA-KEY-CIPHERTEXT";
constexpr char kAccessSecret[] = "AccessKeySecretThatMustNotShow0000000000";

class FakeCatalog final : public kms::KeyCatalog {
 public:
  KeyPtr Add(const std::string& account, const std::string& id, const std::string& manager = "CUSTOMER") {
    auto k = std::make_shared<core::kms::KeyRecord>();
    k->account = account;
    k->region = kRegion;
    k->id = id;
    k->arn = core::kms::KeyArn(kRegion, account, id);
    k->manager = manager;
    k->policy = manager == "AWS"
                    ? core::kms::ManagedKeyPolicy(*core::kms::FindManagedAlias("alias/aws/s3"), account, kRegion)
                    : core::kms::DefaultKeyPolicy(account);
    auto parsed = core::iam::ParsePolicy(k->policy, core::iam::PolicyKind::kKeyPolicy);
    EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
    if (parsed.ok()) k->parsed_policy = std::make_shared<const core::iam::Policy>(std::move(*parsed));
    core::kms::MaterialVersion m;
    m.version = 1;
    m.plain = kMaterial;
    m.wrapped = kWrapped;
    k->materials.push_back(std::move(m));
    keys_.push_back(k);
    return k;
  }
  void Alias(const std::string& account, const std::string& name, const KeyPtr& key) {
    aliases_.push_back({account, kRegion, name, key->id});
  }

  std::vector<KeyPtr> AllKeys(const std::string& region) override {
    std::vector<KeyPtr> out;
    for (const auto& k : keys_)
      if (k->region == region) out.push_back(k);
    return out;
  }
  std::vector<core::kms::AliasRecord> ListAliases(const std::string& account, const std::string& region) override {
    std::vector<core::kms::AliasRecord> out;
    for (const auto& a : aliases_)
      if (a.account == account && a.region == region) out.push_back(a);
    return out;
  }
  KeyPtr FindKey(const std::string& account, const std::string& region, const std::string& key_id) override {
    for (const auto& k : keys_)
      if (k->account == account && k->region == region && k->id == key_id) return k;
    return nullptr;
  }
  std::optional<std::string> FindAlias(const std::string& account, const std::string& region,
                                       const std::string& name) override {
    for (const auto& a : aliases_)
      if (a.account == account && a.region == region && a.name == name) return a.target_key_id;
    return std::nullopt;
  }

 private:
  std::vector<KeyPtr> keys_;
  std::vector<core::kms::AliasRecord> aliases_;
};

std::string Policy(const json& statements) {
  return json{{"Version", "2012-10-17"}, {"Statement", statements}}.dump();
}

json Admit(const std::string& principal) {
  return {{"Effect", "Allow"},
          {"Principal", {{"AWS", principal}}},
          {"Action", json::array({"s3:PutObject", "s3:GetObject"})},
          {"Resource", "arn:aws:s3:::bucket1/*"}};
}

class ConsoleDataTest : public ::testing::Test {
 protected:
  ConsoleDataTest() : identities(*meta), events(*meta), console({catalog, identities, *meta, events, kRegion}) {}

  void Put(const std::string& table, const std::string& key, const json& record) {
    storage::WriteBatch b;
    b.Put(table, key, record.dump());
    ASSERT_TRUE(meta->Apply(b).ok());
  }
  // A bucket record as S3 stores it; `algorithm` "" leaves encryption unconfigured.
  void PutBucket(const std::string& name, const std::string& owner, const std::string& algorithm,
                 const std::string& key_ref, const std::string& policy) {
    json b = {{"name", name}, {"owner", owner}, {"region", kRegion}, {"created", 1.0}};
    if (!algorithm.empty()) {
      json by_default = {{"SSEAlgorithm", algorithm}};
      if (!key_ref.empty()) by_default["KMSMasterKeyID"] = key_ref;
      b["encryption"] = {{"Rules", json::array({{{"ApplyServerSideEncryptionByDefault", by_default}}})}};
    }
    if (!policy.empty()) b["policy"] = policy;
    Put("s3.buckets", name, b);
  }
  // An object record as S3 stores it (a current version).
  void PutObject(const std::string& bucket, const std::string& key, const json& sse, const std::string& writer,
                 const std::string& request_id) {
    json o = {{"k", key}, {"v", "null"}, {"q", 1}, {"t", 1796395734.5}, {"o", kA1},
              {"s", 5}, {"e", "etag"},   {"g", json::array()}};
    if (!sse.is_null()) o["x"] = sse;
    if (!writer.empty()) o["w"] = writer;
    if (!request_id.empty()) o["r"] = request_id;
    std::string row = storage::KeyPart(bucket);
    storage::AppendKeyPart(&row, key);
    Put("s3.objects", row, o);
  }
  static json Kms(const KeyPtr& key, const std::string& ref) {
    return {{"v", 1}, {"sse", "aws:kms"}, {"ref", ref}, {"arn", key->arn}, {"blob", Base64Encode(kDataKeyBlob)}};
  }

  void SeedSituation() {
    k1 = catalog.Add(kA1, "11111111-1111-1111-1111-111111111111");
    catalog.Alias(kA1, "alias/my-key", k1);
    k2 = catalog.Add(kA2, "22222222-2222-2222-2222-222222222222");
    catalog.Alias(kA2, "alias/my-key", k2);
    IamRole role;
    role.account = kA2;
    role.name = "role2";
    role.arn = kRole2;
    ASSERT_TRUE(identities.PutRole(role, true).ok());
    IamUser user;
    user.account = kA2;
    user.name = "u2";
    user.arn = "arn:aws:iam::222222222222:user/u2";
    ASSERT_TRUE(identities.PutUser(user, true).ok());
    AccessKey key;
    key.access_key_id = "AKIAU2EXAMPLE0000000";
    key.secret = kAccessSecret;
    key.account = kA2;
    key.user_name = "u2";
    ASSERT_TRUE(identities.PutAccessKey(key).ok());
    PutBucket("bucket1", kA1, "aws:kms", "alias/my-key", Policy(json::array({Admit(kRole2)})));
    PutObject("bucket1", "from-owner.txt", Kms(k1, "alias/my-key"), "arn:aws:iam::111111111111:root", "RID-OWNER");
    PutObject("bucket1", "from-account2.txt", Kms(k2, "alias/my-key"), kWriter, "RID-WRITER");
  }

  json Ok(Result<json> r) {
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : json();
  }
  Result<json> Get(const std::string& target) {
    http::RequestHead head;
    EXPECT_TRUE(http::ParseTarget(target, &head));
    return console.Get(head.path.substr(std::string("/_crosskey/api/").size()), head);
  }
  static const json* Find(const json& list, const char* member, const std::string& value) {
    for (const json& x : list)
      if (x[member] == value) return &x;
    return nullptr;
  }

  std::unique_ptr<storage::MetadataStore> meta = storage::NewMemoryMetadataStore();
  FakeCatalog catalog;
  IdentityStore identities;
  cloudtrail::EventRecorder events;
  LiveConsoleData console;
  KeyPtr k1, k2;
};

TEST_F(ConsoleDataTest, AccountsShowEachAccountsAliasSideBySide) {
  SeedSituation();
  json a = Ok(console.Accounts())["accounts"];
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[0]["id"], kA1);
  EXPECT_EQ(a[1]["id"], kA2);
  EXPECT_EQ(a[0]["keys"][0]["aliases"], json::array({"alias/my-key"}));
  EXPECT_EQ(a[1]["keys"][0]["aliases"], json::array({"alias/my-key"}));
  EXPECT_EQ(a[0]["keys"][0]["arn"], k1->arn);
  EXPECT_EQ(a[1]["keys"][0]["arn"], k2->arn);
  EXPECT_EQ(a[1]["keys"][0]["manager"], "CUSTOMER");
  EXPECT_EQ(a[1]["keys"][0]["state"], "Enabled");
  EXPECT_EQ(a[0]["buckets"], json::array({"bucket1"}));
  EXPECT_EQ(a[1]["roles"], json::array({{{"arn", kRole2}, {"name", "role2"}}}));
  EXPECT_EQ(a[1]["users"][0]["name"], "u2");
  EXPECT_TRUE(a[0]["roles"].empty());
}

TEST_F(ConsoleDataTest, AccountWithOnlyARoleIsListed) {
  IamRole role;
  role.account = kA3;
  role.name = "lonely";
  role.arn = "arn:aws:iam::333333333333:role/lonely";
  ASSERT_TRUE(identities.PutRole(role, true).ok());
  json a = Ok(console.Accounts())["accounts"];
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0]["id"], kA3);
  EXPECT_EQ(a[0]["roles"][0]["name"], "lonely");
}

TEST_F(ConsoleDataTest, BucketResolvesItsDefaultForTheOwnerAndForEachWriter) {
  SeedSituation();
  json b = Ok(console.Bucket("bucket1"));
  EXPECT_EQ(b["owner"], kA1);
  EXPECT_EQ(b["default_encryption"]["configured"], true);
  EXPECT_EQ(b["default_encryption"]["algorithm"], "aws:kms");
  EXPECT_EQ(b["default_encryption"]["kms_master_key_id"], "alias/my-key");
  EXPECT_EQ(b["default_encryption"]["reference_kind"], "alias name (unqualified)");
  EXPECT_EQ(b["owner_resolution"]["key_arn"], k1->arn);
  EXPECT_EQ(b["owner_resolution"]["key_account"], kA1);
  ASSERT_EQ(b["writers"].size(), 1u);
  const json& w = b["writers"][0];
  EXPECT_EQ(w["principal"], kRole2);
  EXPECT_EQ(w["account"], kA2);
  EXPECT_EQ(w["mode"], "writer-key");
  EXPECT_EQ(w["resolves_to"], k2->arn);
  EXPECT_NE(w["explanation"].get<std::string>().find("silently encrypted under its own key"), std::string::npos);
  EXPECT_EQ(b["mismatches"], 1);
  EXPECT_EQ(b["objects_truncated"], false);
  // The list answers the same bucket.
  json all = Ok(console.Buckets())["buckets"];
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0], b);
}

TEST_F(ConsoleDataTest, WriterWhoseAccountLacksTheAliasFails) {
  SeedSituation();
  PutBucket("bucket1", kA1, "aws:kms", "alias/my-key",
            Policy(json::array({Admit(kRole2), Admit("arn:aws:iam::333333333333:root")})));
  json w = Ok(console.Bucket("bucket1"))["writers"];
  ASSERT_EQ(w.size(), 2u);
  EXPECT_EQ(w[0]["mode"], "writer-key");
  EXPECT_EQ(w[1]["account"], kA3);
  EXPECT_EQ(w[1]["mode"], "put-fails");
  EXPECT_EQ(w[1]["resolves_to"], "");
  EXPECT_NE(w[1]["explanation"].get<std::string>().find("KMS.NotFoundException"), std::string::npos);
}

TEST_F(ConsoleDataTest, KeyArnDefaultIsSafeForEveryWriter) {
  SeedSituation();
  PutBucket("bucket1", kA1, "aws:kms", k1->arn, Policy(json::array({Admit(kRole2)})));
  json b = Ok(console.Bucket("bucket1"));
  EXPECT_EQ(b["default_encryption"]["reference_kind"], "key ARN");
  EXPECT_EQ(b["writers"][0]["mode"], "safe");
  EXPECT_EQ(b["writers"][0]["resolves_to"], k1->arn);
}

TEST_F(ConsoleDataTest, AwsKmsWithoutAKeyNamesTheWritersOwnAwsManagedKey) {
  SeedSituation();
  KeyPtr managed2 = catalog.Add(kA2, "33333333-3333-3333-3333-333333333333", "AWS");
  catalog.Alias(kA2, "alias/aws/s3", managed2);
  PutBucket("bucket1", kA1, "aws:kms", "", Policy(json::array({Admit(kRole2)})));
  json b = Ok(console.Bucket("bucket1"));
  EXPECT_EQ(b["default_encryption"]["reference_kind"], "none (AWS managed aws/s3)");
  // The owner never used aws/s3: it has no key yet (the resolver would create it; the console only says so).
  EXPECT_EQ(b["owner_resolution"]["key_arn"], "");
  EXPECT_NE(b["owner_resolution"]["note"].get<std::string>().find("alias/aws/s3 has no key yet"), std::string::npos);
  EXPECT_EQ(b["writers"][0]["mode"], "writer-aws-s3");
  EXPECT_EQ(b["writers"][0]["resolves_to"], managed2->arn);
}

TEST_F(ConsoleDataTest, SseS3BucketHasNoKeyToResolve) {
  PutBucket("plain", kA1, "", "", "");
  json b = Ok(console.Bucket("plain"));
  EXPECT_EQ(b["default_encryption"]["configured"], false);
  EXPECT_EQ(b["default_encryption"]["algorithm"], "AES256");
  EXPECT_EQ(b["default_encryption"]["reference_kind"], "");
  EXPECT_EQ(b["owner_resolution"]["key_arn"], "");
  EXPECT_TRUE(b["writers"].empty());
}

TEST_F(ConsoleDataTest, ObjectsCarryTheirKeyWriterAndFinding) {
  SeedSituation();
  json objects = Ok(console.Objects("bucket1", false))["objects"];
  ASSERT_EQ(objects.size(), 2u);
  const json* foreign = Find(objects, "key", "from-account2.txt");
  ASSERT_NE(foreign, nullptr);
  EXPECT_EQ((*foreign)["sse"], "aws:kms");
  EXPECT_EQ((*foreign)["key_arn"], k2->arn);
  EXPECT_EQ((*foreign)["key_account"], kA2);
  EXPECT_EQ((*foreign)["writer"], kWriter);
  EXPECT_EQ((*foreign)["request_id"], "RID-WRITER");
  EXPECT_EQ((*foreign)["finding"], "foreign-customer-key");
  EXPECT_EQ((*foreign)["owner_can_decrypt"], "no");  // account 2's default key policy names only account 2
  const json* own = Find(objects, "key", "from-owner.txt");
  ASSERT_NE(own, nullptr);
  EXPECT_TRUE((*own)["finding"].is_null());
  EXPECT_EQ((*own)["key_account"], kA1);
  EXPECT_EQ((*own)["owner_can_decrypt"], "yes");
  EXPECT_EQ((*own)["request_id"], "RID-OWNER");

  json only = Ok(console.Objects("bucket1", true))["objects"];
  ASSERT_EQ(only.size(), 1u);
  EXPECT_EQ(only[0]["key"], "from-account2.txt");
}

TEST_F(ConsoleDataTest, OtherFindingsAndOlderRecords) {
  SeedSituation();
  PutObject("bucket1", "sse-s3.txt", {{"v", 1}, {"sse", "AES256"}, {"wk", "d2s="}}, "", "");
  PutObject("bucket1", "ssec.txt", {{"v", 1}, {"sse", "SSE-C"}, {"wk", "d2s="}, {"md5", "bWQ1"}}, "", "");
  json objects = Ok(console.Objects("bucket1", true))["objects"];
  ASSERT_EQ(objects.size(), 3u);
  const json* s3 = Find(objects, "key", "sse-s3.txt");
  ASSERT_NE(s3, nullptr);
  EXPECT_EQ((*s3)["finding"], "sse-s3-where-kms-required");
  EXPECT_EQ((*s3)["owner_can_decrypt"], "yes");
  EXPECT_EQ((*s3)["writer"], "");  // written before writers were kept
  const json* ssec = Find(objects, "key", "ssec.txt");
  ASSERT_NE(ssec, nullptr);
  EXPECT_EQ((*ssec)["sse"], "SSE-C");
  EXPECT_EQ((*ssec)["finding"], "sse-c");
  EXPECT_EQ((*ssec)["owner_can_decrypt"], "unknown");
  // Only objects under another account's key count as mismatches.
  EXPECT_EQ(Ok(console.Bucket("bucket1"))["mismatches"], 1);
}

TEST_F(ConsoleDataTest, ObjectListingStopsAtTheLimit) {
  SeedSituation();
  for (size_t i = 0; i < LiveConsoleData::kMaxObjects; ++i)
    PutObject("bucket1", "many/" + std::to_string(1000000 + i), Kms(k1, "alias/my-key"), "", "");
  json r = Ok(console.Objects("bucket1", false));
  EXPECT_EQ(r["objects"].size(), LiveConsoleData::kMaxObjects);
  EXPECT_EQ(r["truncated"], true);
  EXPECT_EQ(Ok(console.Bucket("bucket1"))["objects_truncated"], true);
}

TEST_F(ConsoleDataTest, MapDrawsAccountsResourcesAndArrows) {
  SeedSituation();
  // A table of account 2 under account 1's key; a secret of account 1 under its own.
  Put("ddb.tables", "t",
      {{"name", "orders"}, {"arn", "arn:aws:dynamodb:us-east-1:222222222222:table/orders"}, {"id", "x"},
       {"account", kA2}, {"region", kRegion}, {"hash_key", "pk"}, {"hash_type", "S"},
       {"wrapped_key", Base64Encode(kWrapped)}, {"sse_kms", true}, {"kms_key_arn", k1->arn}});
  std::string secret_arn = "arn:aws:secretsmanager:us-east-1:111111111111:secret:db-AbCdEf";
  Put("sm.secrets", "s",
      {{"name", "db"}, {"arn", secret_arn}, {"account", kA1}, {"region", kRegion}, {"kms_key_id", "alias/my-key"},
       {"versions",
        {{"v1",
          {{"stages", json::array({"AWSCURRENT"})}, {"blob", Base64Encode(kDataKeyBlob)},
           {"sealed", Base64Encode(kSecretValue)}, {"key_arn", k1->arn}}}}}});
  json m = Ok(console.Map());
  ASSERT_EQ(m["accounts"].size(), 2u);
  const json& a1 = m["accounts"][0];
  const json& a2 = m["accounts"][1];
  EXPECT_EQ(a1["keys"][0]["aliases"], json::array({"alias/my-key"}));
  EXPECT_EQ(a2["keys"][0]["aliases"], json::array({"alias/my-key"}));
  EXPECT_EQ(a1["buckets"], json::array({{{"name", "bucket1"}}}));
  EXPECT_EQ(a1["secrets"][0]["name"], "db");
  EXPECT_EQ(a2["tables"][0]["name"], "orders");

  auto edge = [&](const std::string& from, const std::string& to) -> const json* {
    for (const json& e : m["edges"])
      if (e["from"] == from && e["to"] == to) return &e;
    return nullptr;
  };
  const json* own = edge("bucket:bucket1", "key:" + k1->arn);
  ASSERT_NE(own, nullptr);
  EXPECT_EQ((*own)["kind"], "encrypts-with");
  EXPECT_EQ((*own)["mismatch"], false);
  EXPECT_EQ((*own)["label"], "default encryption · 1 object");
  const json* foreign = edge("bucket:bucket1", "key:" + k2->arn);
  ASSERT_NE(foreign, nullptr);
  EXPECT_EQ((*foreign)["mismatch"], true);
  EXPECT_EQ((*foreign)["label"], "1 object");
  const json* writes = edge(std::string("account:") + kA2, "bucket:bucket1");
  ASSERT_NE(writes, nullptr);
  EXPECT_EQ((*writes)["kind"], "may-write");
  EXPECT_EQ((*writes)["mismatch"], true);
  EXPECT_NE((*writes)["label"].get<std::string>().find("writer-key"), std::string::npos);
  const json* table = edge("table:arn:aws:dynamodb:us-east-1:222222222222:table/orders", "key:" + k1->arn);
  ASSERT_NE(table, nullptr);
  EXPECT_EQ((*table)["mismatch"], true);
  const json* secret = edge("secret:" + secret_arn, "key:" + k1->arn);
  ASSERT_NE(secret, nullptr);
  EXPECT_EQ((*secret)["mismatch"], false);
  EXPECT_EQ(m["edges"].size(), 5u);
}

TEST_F(ConsoleDataTest, EventsShowSharedEventIdsAndFindTheirPair) {
  SeedSituation();
  Principal p;
  p.type = Principal::kAssumedRole;
  p.account = kA2;
  p.arn = kWriter;
  p.role_arn = kRole2;
  cloudtrail::EventResource resource[] = {{k1->arn, kA1, "AWS::KMS::Key"}};
  std::string_view recipients[] = {kA2, kA1};
  cloudtrail::ApiEvent e;
  e.time = FromEpochSeconds(1796395734);
  e.event_source = "kms.amazonaws.com";
  e.event_name = "GenerateDataKey";
  e.region = kRegion;
  e.principal = &p;
  e.invoked_by = "s3.amazonaws.com";
  e.request_id = "RID-WRITER";
  e.resources = resource;
  e.recipients = recipients;
  events.Record(e);

  json a1 = Ok(console.AccountEvents(kA1))["events"];
  ASSERT_EQ(a1.size(), 1u);
  EXPECT_EQ(a1[0]["name"], "GenerateDataKey");
  EXPECT_EQ(a1[0]["source"], "kms.amazonaws.com");
  EXPECT_EQ(a1[0]["recipient_account"], kA1);
  EXPECT_EQ(a1[0]["user_arn"], kWriter);
  EXPECT_EQ(a1[0]["invoked_by"], "s3.amazonaws.com");
  EXPECT_EQ(a1[0]["key_arn"], k1->arn);
  EXPECT_EQ(a1[0]["request_id"], "RID-WRITER");
  EXPECT_EQ(a1[0]["error_code"], "");
  std::string shared = a1[0]["shared_event_id"];
  ASSERT_FALSE(shared.empty());

  json pair = Ok(console.SharedEvents(shared))["events"];
  ASSERT_EQ(pair.size(), 2u);
  EXPECT_EQ(pair[0]["recipient_account"], kA1);
  EXPECT_EQ(pair[1]["recipient_account"], kA2);
  EXPECT_NE(pair[0]["event_id"], pair[1]["event_id"]);
  EXPECT_TRUE(Ok(console.SharedEvents("no-such-id"))["events"].empty());
  EXPECT_TRUE(Ok(console.AccountEvents(kA3))["events"].empty());
}

TEST_F(ConsoleDataTest, RoutesPathsAndQueries) {
  SeedSituation();
  json only = Ok(Get("/_crosskey/api/buckets/bucket1/objects?mismatch=1"));
  ASSERT_EQ(only["objects"].size(), 1u);
  EXPECT_EQ(Ok(Get("/_crosskey/api/buckets/bucket1/objects"))["objects"].size(), 2u);
  EXPECT_EQ(Ok(Get("/_crosskey/api/buckets/bucket1"))["name"], "bucket1");
  EXPECT_EQ(Ok(Get("/_crosskey/api/buckets"))["buckets"].size(), 1u);
  EXPECT_EQ(Ok(Get("/_crosskey/api/accounts"))["accounts"].size(), 2u);
  EXPECT_EQ(Ok(Get("/_crosskey/api/map"))["accounts"].size(), 2u);
  EXPECT_TRUE(Ok(Get("/_crosskey/api/events?account=111111111111"))["events"].empty());
  EXPECT_TRUE(Ok(Get("/_crosskey/api/events?shared_event_id=x"))["events"].empty());

  auto status = [&](const std::string& target) {
    auto r = Get(target);
    return r.ok() ? 200 : r.status().http_status();
  };
  EXPECT_EQ(status("/_crosskey/api/buckets/nope"), 404);
  EXPECT_EQ(status("/_crosskey/api/buckets/nope/objects"), 404);
  EXPECT_EQ(status("/_crosskey/api/nothing"), 404);
  EXPECT_EQ(status("/_crosskey/api/buckets/a/b"), 404);
  EXPECT_EQ(status("/_crosskey/api/events"), 400);
  EXPECT_EQ(status("/_crosskey/api/events?account=12"), 400);
}

TEST_F(ConsoleDataTest, NoAnswerCarriesKeyMaterialSecretsOrCredentials) {
  SeedSituation();
  Put("sm.secrets", "s",
      {{"name", "db"}, {"arn", "arn:aws:secretsmanager:us-east-1:111111111111:secret:db-AbCdEf"}, {"account", kA1},
       {"region", kRegion},
       {"versions",
        {{"v1",
          {{"stages", json::array({"AWSCURRENT"})}, {"blob", Base64Encode(kDataKeyBlob)},
           {"sealed", Base64Encode(kSecretValue)}, {"key_arn", k1->arn}}}}}});
  std::string all;
  for (const char* target :
       {"/_crosskey/api/accounts", "/_crosskey/api/buckets", "/_crosskey/api/buckets/bucket1",
        "/_crosskey/api/buckets/bucket1/objects", "/_crosskey/api/map", "/_crosskey/api/events?account=222222222222"})
    all += Ok(Get(target)).dump();
  for (std::string secret : {std::string(kMaterial), std::string(kWrapped), Base64Encode(kWrapped),
                             std::string(kSecretValue), Base64Encode(kSecretValue), std::string(kDataKeyBlob),
                             Base64Encode(kDataKeyBlob), std::string(kAccessSecret)})
    EXPECT_EQ(all.find(secret), std::string::npos) << secret;
}

}  // namespace
}  // namespace ck::services::console
