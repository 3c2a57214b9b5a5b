#include "services/dynamodb/dynamodb_service.h"

#include <gtest/gtest.h>

#include <tuple>

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

// --- behaviours taken from AWS's recorded answers (test/aws-recorded) -------

Result<Json> Call(Env& e, const char* op, const char* json) { return e.ddb.Invoke(op, Json::parse(json), e.ctx); }

std::string Text(const Status& s) { return s.ok() ? "ok" : s.aws_code() + ": " + s.message(); }

TEST(DynamoDbServiceTest, CreateTableAnswersCreatingAndDescribeShowsActiveWithWarmThroughput) {
  Env e;
  auto created = e.Create("tbl", std::nullopt);
  EXPECT_EQ(created.table_description->table_status, api::TableStatus::kCreating);
  EXPECT_FALSE(created.table_description->warm_throughput.has_value());
  ASSERT_TRUE(created.table_description->billing_mode_summary.has_value());
  EXPECT_FALSE(created.table_description->billing_mode_summary->last_update_to_pay_per_request_date_time);
  auto desc = Call(e, "DescribeTable", R"J({"TableName":"tbl"})J");
  ASSERT_TRUE(desc.ok());
  EXPECT_EQ((*desc)["Table"]["TableStatus"], "ACTIVE");
  EXPECT_EQ((*desc)["Table"]["WarmThroughput"],
            Json::parse(R"J({"ReadUnitsPerSecond":12000,"WriteUnitsPerSecond":4000,"Status":"ACTIVE"})J"));
  EXPECT_TRUE((*desc)["Table"]["BillingModeSummary"].contains("LastUpdateToPayPerRequestDateTime"));
  // Provisioned from the start: no billing summary at all.
  auto prov = Call(e, "CreateTable", R"J({"TableName":"prov","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],
      "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],
      "ProvisionedThroughput":{"ReadCapacityUnits":5,"WriteCapacityUnits":5},
      "WarmThroughput":{"ReadUnitsPerSecond":1000,"WriteUnitsPerSecond":1200}})J");
  ASSERT_TRUE(prov.ok()) << Text(prov.status());
  EXPECT_FALSE((*prov)["TableDescription"].contains("BillingModeSummary"));
  EXPECT_EQ((*prov)["TableDescription"]["WarmThroughput"],
            Json::parse(R"J({"ReadUnitsPerSecond":1000,"WriteUnitsPerSecond":1200,"Status":"UPDATING"})J"));
  auto deleted = Call(e, "DeleteTable", R"J({"TableName":"prov"})J");
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ((*deleted)["TableDescription"]["TableStatus"], "DELETING");
  EXPECT_FALSE((*deleted)["TableDescription"].contains("KeySchema"));
}

TEST(DynamoDbServiceTest, UpdateTableSseAnswerShowsTheEncryptionTheTableHad) {
  Env e;
  e.Create("tbl", kKey1);
  api::UpdateTableInput in;
  in.table_name = "tbl";
  in.sse_specification = api::SSESpecification{false, std::nullopt, std::nullopt};
  auto out = e.ddb.UpdateTable(in, e.ctx);
  ASSERT_TRUE(out.ok());
  const auto& sse = *out->table_description->sse_description;
  EXPECT_EQ(sse.status, api::SSEStatus::kUpdating);
  EXPECT_EQ(sse.sse_type, api::SSEType::kKms);
  EXPECT_EQ(sse.kms_master_key_arn, kKey1);
  // From the AWS owned key: the status alone.
  in.sse_specification = api::SSESpecification{true, api::SSEType::kKms, std::string(kKey2)};
  out = e.ddb.UpdateTable(in, e.ctx);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out->table_description->sse_description, (api::SSEDescription{api::SSEStatus::kUpdating}));
}

TEST(DynamoDbServiceTest, ConditionFailureCarriesTheOldItemWhenAsked) {
  Env e;
  e.Create("tbl", std::nullopt);
  ASSERT_TRUE(e.Put("tbl", "a", "old").ok());
  auto r = Call(e, "DeleteItem", R"J({"TableName":"tbl","Key":{"pk":{"S":"a"}},
      "ConditionExpression":"attribute_not_exists(pk)","ReturnValuesOnConditionCheckFailure":"ALL_OLD"})J");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(Text(r.status()), "ConditionalCheckFailedException: The conditional request failed");
  ASSERT_EQ(r.status().json_fields().size(), 1u);
  EXPECT_EQ(r.status().json_fields()[0].first, "Item");
  EXPECT_EQ(Json::parse(r.status().json_fields()[0].second), Json::parse(R"J({"pk":{"S":"a"},"v":{"S":"old"}})J"));
  r = Call(e, "DeleteItem", R"J({"TableName":"tbl","Key":{"pk":{"S":"a"}},"ConditionExpression":"attribute_not_exists(pk)"})J");
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().json_fields().empty());
}

TEST(DynamoDbServiceTest, BatchWriteItemKeyMismatchText) {
  Env e;
  e.Create("tbl", std::nullopt);
  for (const char* item : {R"J({"other":{"S":"x"}})J", R"J({"pk":{"N":"1"}})J"}) {
    auto r = e.ddb.Invoke("BatchWriteItem",
                          Json{{"RequestItems", {{"tbl", {{{"PutRequest", {{"Item", Json::parse(item)}}}}}}}}}, e.ctx);
    EXPECT_EQ(Text(r.status()), "ValidationException: The provided key element does not match the schema") << item;
  }
  // PutItem names the attribute.
  auto r = Call(e, "PutItem", R"J({"TableName":"tbl","Item":{"other":{"S":"x"}}})J");
  EXPECT_EQ(Text(r.status()), "ValidationException: One or more parameter values were invalid: Missing the key pk in the item");
}

TEST(DynamoDbServiceTest, TransactWriteItemsIsAllOrNothing) {
  Env e;
  e.Create("tbl", kKey1);
  ASSERT_TRUE(e.Put("tbl", "fred", "x").ok());
  auto r = Call(e, "TransactWriteItems", R"J({"TransactItems":[
      {"Put":{"TableName":"tbl","Item":{"pk":{"S":"new"},"v":{"S":"n"}}}},
      {"ConditionCheck":{"TableName":"tbl","Key":{"pk":{"S":"fred"}},"ConditionExpression":"attribute_not_exists(pk)"}},
      {"Delete":{"TableName":"tbl","Key":{"pk":{"S":"bert"}}}}]})J");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kAborted);
  EXPECT_EQ(Text(r.status()), "TransactionCanceledException: Transaction cancelled, please refer cancellation reasons "
                              "for specific reasons [None, ConditionalCheckFailed, None]");
  ASSERT_EQ(r.status().json_fields().size(), 1u);
  EXPECT_EQ(Json::parse(r.status().json_fields()[0].second),
            Json::parse(R"J([{"Code":"None"},{"Code":"ConditionalCheckFailed","Message":"The conditional request failed"},
                            {"Code":"None"}])J"));
  EXPECT_EQ(e.V("tbl", "new"), "absent");  // nothing was written
  EXPECT_EQ(e.V("tbl", "fred"), "x");
  r = Call(e, "TransactWriteItems", R"J({"TransactItems":[
      {"Put":{"TableName":"tbl","Item":{"pk":{"S":"new"},"v":{"S":"n"}}}},
      {"Update":{"TableName":"tbl","Key":{"pk":{"S":"fred"}},"UpdateExpression":"SET v = :v",
                 "ExpressionAttributeValues":{":v":{"S":"y"}}}}]})J");
  ASSERT_TRUE(r.ok()) << Text(r.status());
  EXPECT_EQ(*r, Json::object());
  EXPECT_EQ(e.V("tbl", "new"), "n");
  EXPECT_EQ(e.V("tbl", "fred"), "y");
  r = Call(e, "TransactWriteItems", R"J({"TransactItems":[
      {"Put":{"TableName":"tbl","Item":{"pk":{"S":"a"}}}},{"Delete":{"TableName":"tbl","Key":{"pk":{"S":"a"}}}}]})J");
  EXPECT_EQ(Text(r.status()), "ValidationException: Transaction request cannot include multiple operations on one item");
}

TEST(DynamoDbServiceTest, ClientRequestTokenRunsATransactionOnce) {
  Env e;
  e.Create("tbl", std::nullopt);
  const char* add = R"J({"ClientRequestToken":"t1","TransactItems":[{"Update":{"TableName":"tbl",
      "Key":{"pk":{"S":"c"}},"UpdateExpression":"ADD n :one","ExpressionAttributeValues":{":one":{"N":"1"}}}}]})J";
  ASSERT_TRUE(Call(e, "TransactWriteItems", add).ok());
  ASSERT_TRUE(Call(e, "TransactWriteItems", add).ok());
  auto got = e.Get("tbl", "c");
  ASSERT_TRUE(got.ok() && got->item);
  EXPECT_EQ(got->item->at("n").n, "1");
  auto other = Call(e, "TransactWriteItems", R"J({"ClientRequestToken":"t1","TransactItems":[
      {"Put":{"TableName":"tbl","Item":{"pk":{"S":"d"}}}}]})J");
  EXPECT_EQ(other.status().aws_code(), "IdempotentParameterMismatchException");
}

TEST(DynamoDbServiceTest, TransactGetItemsReadsAllOrAnswersEmpty) {
  Env e;
  e.Create("tbl", std::nullopt);
  ASSERT_TRUE(e.Put("tbl", "a", "1").ok());
  auto r = Call(e, "TransactGetItems", R"J({"TransactItems":[
      {"Get":{"TableName":"tbl","Key":{"pk":{"S":"a"}}}},{"Get":{"TableName":"tbl","Key":{"pk":{"S":"b"}}}}]})J");
  ASSERT_TRUE(r.ok()) << Text(r.status());
  EXPECT_EQ(*r, Json::parse(R"J({"Responses":[{"Item":{"pk":{"S":"a"},"v":{"S":"1"}}},{}]})J"));
}

TEST(DynamoDbServiceTest, SecondaryIndexQueriesInIndexOrderWithIndexKeysInLastEvaluatedKey) {
  Env e;
  auto created = Call(e, "CreateTable", R"J({"TableName":"gsi","BillingMode":"PAY_PER_REQUEST",
      "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],
      "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"g","AttributeType":"S"},
                              {"AttributeName":"r","AttributeType":"N"}],
      "GlobalSecondaryIndexes":[{"IndexName":"byg","KeySchema":[{"AttributeName":"g","KeyType":"HASH"},
          {"AttributeName":"r","KeyType":"RANGE"}],"Projection":{"ProjectionType":"INCLUDE","NonKeyAttributes":["v"]}}]})J");
  ASSERT_TRUE(created.ok()) << Text(created.status());
  const Json& g = (*created)["TableDescription"]["GlobalSecondaryIndexes"][0];
  EXPECT_EQ(g["IndexStatus"], "CREATING");
  EXPECT_EQ(g["Projection"], Json::parse(R"J({"ProjectionType":"INCLUDE","NonKeyAttributes":["v"]})J"));
  for (auto [pk, gv, r] : {std::tuple{"a", "x", "3"}, {"b", "x", "1"}, {"c", "y", "2"}, {"d", "x", "2"}}) {
    Json item = {{"pk", {{"S", pk}}}, {"g", {{"S", gv}}}, {"r", {{"N", r}}}, {"v", {{"S", "v"}}}, {"w", {{"S", "w"}}}};
    ASSERT_TRUE(e.ddb.Invoke("PutItem", Json{{"TableName", "gsi"}, {"Item", item}}, e.ctx).ok());
  }
  auto q = Call(e, "Query", R"J({"TableName":"gsi","IndexName":"byg","KeyConditionExpression":"g = :g",
      "ExpressionAttributeValues":{":g":{"S":"x"}},"Limit":2})J");
  ASSERT_TRUE(q.ok()) << Text(q.status());
  ASSERT_EQ((*q)["Items"].size(), 2u);
  EXPECT_EQ((*q)["Items"][0]["pk"]["S"], "b");
  EXPECT_EQ((*q)["Items"][1]["pk"]["S"], "d");
  EXPECT_FALSE((*q)["Items"][0].contains("w"));  // INCLUDE v only
  EXPECT_TRUE((*q)["Items"][0].contains("v"));
  EXPECT_EQ((*q)["LastEvaluatedKey"], Json::parse(R"J({"pk":{"S":"d"},"g":{"S":"x"},"r":{"N":"2"}})J"));
  auto rest = e.ddb.Invoke("Query", Json{{"TableName", "gsi"}, {"IndexName", "byg"},
                                         {"KeyConditionExpression", "g = :g"},
                                         {"ExpressionAttributeValues", {{":g", {{"S", "x"}}}}},
                                         {"ExclusiveStartKey", (*q)["LastEvaluatedKey"]}}, e.ctx);
  ASSERT_TRUE(rest.ok()) << Text(rest.status());
  ASSERT_EQ((*rest)["Items"].size(), 1u);
  EXPECT_EQ((*rest)["Items"][0]["pk"]["S"], "a");
  auto bad = Call(e, "PutItem", R"J({"TableName":"gsi","Item":{"pk":{"S":"e"},"g":{"N":"1"}}})J");
  EXPECT_EQ(Text(bad.status()), "ValidationException: One or more parameter values were invalid: Type mismatch for "
                                "Index Key g Expected: S Actual: N IndexName: byg");
}

TEST(DynamoDbServiceTest, ContinuousBackupsAndContributorInsightsAreTableSettings) {
  Env e;
  e.Create("tbl", std::nullopt);
  auto on = Call(e, "UpdateContinuousBackups",
                 R"J({"TableName":"tbl","PointInTimeRecoverySpecification":{"PointInTimeRecoveryEnabled":true}})J");
  ASSERT_TRUE(on.ok()) << Text(on.status());
  const Json& p = (*on)["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"];
  EXPECT_EQ(p["PointInTimeRecoveryStatus"], "ENABLED");
  EXPECT_EQ(p["RecoveryPeriodInDays"], 35);
  EXPECT_TRUE(e.Record("tbl").pitr_since.has_value());
  auto missing = Call(e, "DescribeContinuousBackups", R"J({"TableName":"nope"})J");
  EXPECT_EQ(missing.status().aws_code(), "TableNotFoundException");
  auto ci = Call(e, "UpdateContributorInsights", R"J({"TableName":"tbl","ContributorInsightsAction":"ENABLE"})J");
  ASSERT_TRUE(ci.ok());
  EXPECT_EQ((*ci)["ContributorInsightsStatus"], "ENABLING");
  auto d = Call(e, "DescribeContributorInsights", R"J({"TableName":"tbl"})J");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ((*d)["ContributorInsightsStatus"], "ENABLED");
  auto idx = Call(e, "DescribeContributorInsights", R"J({"TableName":"tbl","IndexName":"nope"})J");
  EXPECT_EQ(idx.status().aws_code(), "ResourceNotFoundException");
}

TEST(DynamoDbServiceTest, PartiqlWritesAndReads) {
  Env e;
  e.Create("tbl", kKey1);
  ASSERT_TRUE(Call(e, "ExecuteStatement", R"J({"Statement":"INSERT INTO tbl VALUE {'pk': 'a', 'v': 'one'}"})J").ok());
  auto dup = Call(e, "ExecuteStatement", R"J({"Statement":"INSERT INTO tbl VALUE {'pk': 'a'}"})J");
  EXPECT_EQ(Text(dup.status()), "DuplicateItemException: Duplicate primary key exists in table");
  auto upd = Call(e, "ExecuteStatement", R"J({"Statement":"UPDATE tbl SET v = ? WHERE pk = 'a'",
      "Parameters":[{"S":"two"}]})J");
  ASSERT_TRUE(upd.ok()) << Text(upd.status());
  EXPECT_EQ(e.V("tbl", "a"), "two");
  auto none = Call(e, "ExecuteStatement", R"J({"Statement":"UPDATE tbl SET v = 'x' WHERE pk = 'zz'"})J");
  EXPECT_EQ(none.status().aws_code(), "ConditionalCheckFailedException");
  auto sel = Call(e, "ExecuteStatement", R"J({"Statement":"SELECT v FROM tbl WHERE v IS NOT MISSING"})J");
  ASSERT_TRUE(sel.ok());
  EXPECT_EQ((*sel)["Items"], Json::parse(R"J([{"v":{"S":"two"}}])J"));
  ASSERT_TRUE(Call(e, "ExecuteStatement", R"J({"Statement":"DELETE FROM tbl WHERE pk = 'missing'"})J").ok());
  auto tx = Call(e, "ExecuteTransaction", R"J({"TransactStatements":[
      {"Statement":"INSERT INTO tbl VALUE {'pk': 'b'}"},{"Statement":"INSERT INTO tbl VALUE {'pk': 'a'}"}]})J");
  ASSERT_FALSE(tx.ok());
  EXPECT_NE(tx.status().message().find("[None, DuplicateItem]"), std::string::npos) << tx.status().message();
  EXPECT_EQ(e.V("tbl", "b"), "absent");
  auto batch = Call(e, "BatchExecuteStatement", R"J({"Statements":[
      {"Statement":"INSERT INTO tbl VALUE {'pk': 'b'}"},{"Statement":"INSERT INTO tbl VALUE {'pk': 'a'}"}]})J");
  ASSERT_TRUE(batch.ok());
  EXPECT_EQ((*batch)["Responses"][0], Json::parse(R"J({"TableName":"tbl"})J"));
  EXPECT_EQ((*batch)["Responses"][1]["Error"]["Code"], "DuplicateItem");
}

}  // namespace
}  // namespace ck::services::dynamodb
