#include "services/dynamodb/dynamodb_service.h"

#include <gtest/gtest.h>

#include "base/codec.h"
#include "crypto/aead.h"
#include "services/iam/identity_store.h"
#include "storage/key_codec.h"
#include "storage/memory_metadata_store.h"

namespace ck::services::dynamodb {
namespace {

namespace api = ::ck::api::dynamodb;

constexpr char kAccount[] = "111111111111";
constexpr char kKey1[] = "arn:aws:kms:us-east-1:111111111111:key/11111111-1111-4111-8111-111111111111";
constexpr char kKey2[] = "arn:aws:kms:us-east-1:111111111111:key/22222222-2222-4222-8222-222222222222";

// KMS as DynamoDB sees it through KmsClient: data keys whose "blob" names the
// key and carries the plaintext, so the test can check what was wrapped how.
class FakeKms final : public KmsClient {
 public:
  // DynamoDB wraps table keys with GenerateDataKey only.
  Result<KmsEncrypted> Encrypt(std::string_view, std::string_view, const KmsEncryptionContext&,
                               const KmsCaller&) override {
    ADD_FAILURE() << "DynamoDB called KmsClient::Encrypt";
    return Unimplemented("Encrypt");
  }
  Result<KmsDataKey> GenerateDataKey(std::string_view key_ref, const KmsEncryptionContext& context,
                                     const KmsCaller& caller, int) override {
    if (key_ref != kKey1 && key_ref != kKey2)
      return Status(Code::kNotFound, "Alias " + std::string(key_ref) + " is not found.").WithAws("NotFoundException", 400);
    EXPECT_EQ(caller.via_service, "dynamodb.us-east-1.amazonaws.com");
    last_context = context;
    KmsDataKey dk;
    dk.key_arn = std::string(key_ref);
    dk.plaintext = std::string(32, static_cast<char>('a' + generated++));
    dk.ciphertext_blob = dk.key_arn + "|" + dk.plaintext;
    return dk;
  }
  Result<KmsDecrypted> Decrypt(std::string_view blob, const KmsEncryptionContext& context,
                               const KmsCaller&) override {
    last_context = context;
    std::string arn(blob.substr(0, blob.find('|')));
    decrypted_under.push_back(arn);
    if (deny)
      return Status(Code::kPermissionDenied, "User: arn:aws:iam::111111111111:user/u is not authorized to perform: "
                                             "kms:Decrypt on resource: " + arn)
          .WithAws("AccessDeniedException", 400);
    if (arn == disabled) return Status(Code::kFailedPrecondition, arn + " is disabled.").WithAws("DisabledException", 400);
    return KmsDecrypted{std::string(blob.substr(arn.size() + 1)), arn};
  }
  Result<KmsKeyDescription> DescribeKey(std::string_view key_ref, const KmsCaller&) override {
    KmsKeyDescription d;
    d.key_arn = std::string(key_ref);
    d.key_state = d.key_arn == disabled ? "Disabled" : "Enabled";
    return d;
  }

  int generated = 0;
  bool deny = false;
  std::string disabled;
  KmsEncryptionContext last_context;
  std::vector<std::string> decrypted_under;
};

struct Env {
  SystemClock clock;
  std::unique_ptr<storage::MetadataStore> meta = storage::NewMemoryMetadataStore();
  IdentityStore identities{*meta};
  PolicyAuthorizer authorizer{identities, clock};
  FakeKms kms;
  DynamoDbService ddb{*meta, authorizer, kms, clock, std::string(32, 'm')};
  RequestContext ctx;

  Env() {
    ctx.principal = Principal::Root(kAccount);
    ctx.region = "us-east-1";
  }

  api::CreateTableOutput Create(const std::string& name, std::optional<std::string> key) {
    api::CreateTableInput in;
    in.table_name = name;
    in.key_schema = std::vector<api::KeySchemaElement>{{"pk", api::KeyType::kHash}};
    in.attribute_definitions = std::vector<api::AttributeDefinition>{{"pk", api::ScalarAttributeType::kS}};
    in.billing_mode = api::BillingMode::kPayPerRequest;
    if (key) in.sse_specification = api::SSESpecification{true, api::SSEType::kKms, key};
    auto out = ddb.CreateTable(in, ctx);
    EXPECT_TRUE(out.ok()) << out.status().message();
    return out.ok() ? *out : api::CreateTableOutput{};
  }
  Status ReKey(const std::string& name, std::optional<std::string> key) {
    api::UpdateTableInput in;
    in.table_name = name;
    in.sse_specification = key ? api::SSESpecification{true, api::SSEType::kKms, key}
                               : api::SSESpecification{false, std::nullopt, std::nullopt};
    return ddb.UpdateTable(in, ctx).status();
  }
  Status Put(const std::string& name, const std::string& pk, const std::string& v) {
    api::PutItemInput in;
    in.table_name = name;
    in.item["pk"].s = pk;
    in.item["v"].s = v;
    return ddb.PutItem(in, ctx).status();
  }
  Result<api::GetItemOutput> Get(const std::string& name, const std::string& pk) {
    api::GetItemInput in;
    in.table_name = name;
    in.key["pk"].s = pk;
    return ddb.GetItem(in, ctx);
  }
  std::string V(const std::string& name, const std::string& pk) {
    auto got = Get(name, pk);
    if (!got.ok()) return "error: " + got.status().message();
    if (!got->item) return "absent";
    return got->item->at("v").s.value_or("?");
  }
  TableRecord Record(const std::string& name) {
    auto raw = meta->Get(kTables, TableRecordKey(kAccount, "us-east-1", name));
    EXPECT_TRUE(raw.ok() && raw->has_value());
    auto r = RecordTable<TableRecord>(*meta, kTables).Decode("k", **raw);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r : TableRecord{};
  }
};

TEST(DynamoDbServiceTest, OperationTableMatchesTheModel) {
  Env e;
  EXPECT_TRUE(e.ddb.CheckModel().ok()) << e.ddb.CheckModel().message();
  auto out = e.ddb.Invoke("CreateBackup", Json::object(), e.ctx);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().aws_code(), "NotImplementedException");
  EXPECT_EQ(out.status().http_status(), 501);
  e.ctx.principal = Principal::Anonymous();
  out = e.ddb.Invoke("ListTables", Json::object(), e.ctx);
  EXPECT_EQ(out.status().aws_code(), "MissingAuthenticationTokenException");
}

TEST(DynamoDbServiceTest, InvokeDecodesAndEncodesTheWireDocuments) {
  Env e;
  e.Create("tbl", std::nullopt);
  auto put = e.ddb.Invoke("PutItem", Json::parse(R"({"TableName":"tbl","Item":{"pk":{"S":"a"},"b":{"B":"AP8="},
                                                   "n":{"N":"1.50"}},"ReturnConsumedCapacity":"INDEXES"})"), e.ctx);
  ASSERT_TRUE(put.ok()) << put.status().message();
  EXPECT_EQ(*put, Json::parse(R"({"ConsumedCapacity":{"TableName":"tbl","CapacityUnits":1.0,"Table":{"CapacityUnits":1.0}}})"));
  auto got = e.ddb.Invoke("GetItem", Json::parse(R"({"TableName":"tbl","Key":{"pk":{"S":"a"}}})"), e.ctx);
  ASSERT_TRUE(got.ok()) << got.status().message();
  EXPECT_EQ(*got, Json::parse(R"({"Item":{"pk":{"S":"a"},"b":{"B":"AP8="},"n":{"N":"1.5"}}})"));
}

TEST(DynamoDbServiceTest, ReKeyingKeepsItemsReadableWithoutRewritingThem) {
  Env e;
  auto created = e.Create("tbl", kKey1);
  EXPECT_EQ(created.table_description->sse_description->kms_master_key_arn, kKey1);
  EXPECT_EQ(e.kms.last_context, (KmsEncryptionContext{{"aws:dynamodb:tableName", "tbl"},
                                                       {"aws:dynamodb:subscriberId", kAccount}}));
  ASSERT_TRUE(e.Put("tbl", "a", "one").ok());
  auto items_before = e.meta->Scan(kItems, {});
  ASSERT_TRUE(items_before.ok());

  ASSERT_TRUE(e.ReKey("tbl", kKey2).ok());
  TableRecord r = e.Record("tbl");
  EXPECT_EQ(r.kms_key_arn, kKey2);
  EXPECT_TRUE(r.sealed_table_key.has_value());
  e.kms.decrypted_under.clear();
  EXPECT_EQ(e.V("tbl", "a"), "one");
  EXPECT_EQ(e.kms.decrypted_under, std::vector<std::string>{kKey2});
  auto items_after = e.meta->Scan(kItems, {});
  ASSERT_TRUE(items_after.ok());
  ASSERT_EQ(items_after->size(), 1u);
  EXPECT_EQ((*items_after)[0].value, (*items_before)[0].value);  // not rewritten

  // To the AWS owned key and back to a KMS key: the same table key throughout.
  ASSERT_TRUE(e.ReKey("tbl", std::nullopt).ok());
  EXPECT_FALSE(e.Record("tbl").sse_kms);
  EXPECT_FALSE(e.Record("tbl").sealed_table_key.has_value());
  EXPECT_EQ(e.V("tbl", "a"), "one");
  ASSERT_TRUE(e.ReKey("tbl", kKey1).ok());
  EXPECT_EQ(e.V("tbl", "a"), "one");
  ASSERT_TRUE(e.Put("tbl", "b", "two").ok());
  EXPECT_EQ(e.V("tbl", "b"), "two");

  Status missing = e.ReKey("tbl", "alias/missing");
  EXPECT_EQ(missing.aws_code(), "ValidationException");
  EXPECT_EQ(missing.message(), "Alias alias/missing is not found.");
}

TEST(DynamoDbServiceTest, KmsRefusalsBecomeDynamoDbErrors) {
  Env e;
  e.Create("tbl", kKey1);
  ASSERT_TRUE(e.Put("tbl", "a", "one").ok());
  e.kms.deny = true;
  auto denied = e.Get("tbl", "a");
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.status().aws_code(), "AccessDeniedException");
  EXPECT_EQ(denied.status().code(), Code::kPermissionDenied);
  EXPECT_EQ(denied.status().message(),
            std::string("User: arn:aws:iam::111111111111:user/u is not authorized to perform: kms:Decrypt on "
                        "resource: ") + kKey1);
  e.kms.deny = false;
  e.kms.disabled = kKey1;
  auto disabled = e.Get("tbl", "a");
  ASSERT_FALSE(disabled.ok());
  EXPECT_EQ(disabled.status().aws_code(), "ValidationException");
  EXPECT_EQ(disabled.status().message(),
            std::string("The table's AWS KMS key is inaccessible (DisabledException: ") + kKey1 + " is disabled.)");
  api::DescribeTableInput describe;
  describe.table_name = "tbl";
  auto desc = e.ddb.DescribeTable(describe, e.ctx);
  ASSERT_TRUE(desc.ok());
  EXPECT_EQ(desc->table->table_status, api::TableStatus::kInaccessibleEncryptionCredentials);
  EXPECT_TRUE(desc->table->sse_description->inaccessible_encryption_date_time.has_value());
}

// An item as the service has always stored it: the item document sealed with
// AES-256-GCM under the table key, AAD = table id '\0' storage key, at
// KeyPart(account) KeyPart(region) KeyPart(table id) KeyPart(hash key bytes).
TEST(DynamoDbServiceTest, ReadsItemsInTheStoredFormat) {
  Env e;
  auto created = e.Create("tbl", kKey1);
  const std::string table_key(32, 'a');  // FakeKms's first data key
  const std::string& id = *created.table_description->table_id;
  std::string sk;
  for (const char* part : {kAccount, "us-east-1"}) storage::AppendKeyPart(&sk, part);
  storage::AppendKeyPart(&sk, id);
  storage::AppendKeyPart(&sk, "stored");
  std::string sealed;
  crypto::AesGcmSeal(table_key, std::string(crypto::kAesGcmIvSize, '\x07'), id + '\0' + sk,
                     R"({"pk":{"S":"stored"},"v":{"S":"from disk"},"bin":{"B":"AAEC"}})", &sealed);
  storage::WriteBatch b;
  b.Put(kItems, sk, sealed);
  ASSERT_TRUE(e.meta->Apply(b).ok());
  auto got = e.Get("tbl", "stored");
  ASSERT_TRUE(got.ok()) << got.status().message();
  ASSERT_TRUE(got->item.has_value());
  EXPECT_EQ(got->item->at("v").s, "from disk");
  EXPECT_EQ(got->item->at("bin").b, Bytes(std::string("\x00\x01\x02", 3)));
}

}  // namespace
}  // namespace ck::services::dynamodb
