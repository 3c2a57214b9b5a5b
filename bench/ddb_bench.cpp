// In-process DynamoDB item operations as the gateway runs them after
// authentication: the JSON request body decoded and validated against the
// model, the service's Invoke (typed request, table lookup and authorization,
// table-key unwrap, item sealing and storage, typed response) and the
// response body encoded.
// The table uses the AWS owned key so no KMS call is measured; a customer
// managed key adds one in-process Decrypt (see kms_bench).
//
//   ./build/bench/ddb_bench
#include <benchmark/benchmark.h>

#include <map>
#include <string>

#include "base/clock.h"
#include "services/authorizer.h"
#include "services/dynamodb/dynamodb_service.h"
#include "services/iam/identity_store.h"
#include "services/kms/kms_client.h"
#include "storage/memory_metadata_store.h"
#include "wire/json_codec.h"

namespace {

using namespace ck;
using Json = nlohmann::json;

using services::dynamodb::DynamoDbService;

// The tables use the AWS owned key: no KMS call is made.
class NoKms final : public services::KmsClient {
 public:
  Result<services::KmsEncrypted> Encrypt(std::string_view, std::string_view, const services::KmsEncryptionContext&,
                                         const services::KmsCaller&) override {
    return Unimplemented("no kms");
  }
  Result<services::KmsDataKey> GenerateDataKey(std::string_view, const services::KmsEncryptionContext&,
                                               const services::KmsCaller&, int) override {
    return Unimplemented("no kms");
  }
  Result<services::KmsDecrypted> Decrypt(std::string_view, const services::KmsEncryptionContext&,
                                         const services::KmsCaller&) override {
    return Unimplemented("no kms");
  }
  Result<services::KmsKeyDescription> DescribeKey(std::string_view, const services::KmsCaller&) override {
    return Unimplemented("no kms");
  }
};

// A ten-attribute item of the usual kinds (strings, numbers, a map, a list, a binary).
Json Item(int i) {
  return Json::parse(R"({"pk":{"S":"customer#0001"},"sk":{"S":"order#)" + std::to_string(1000 + i) + R"("},
    "total":{"N":"123.45"},"currency":{"S":"EUR"},"paid":{"BOOL":true},"note":{"NULL":true},
    "lines":{"L":[{"M":{"sku":{"S":"A-1"},"qty":{"N":"2"}}},{"M":{"sku":{"S":"B-7"},"qty":{"N":"1"}}}]},
    "address":{"M":{"street":{"S":"1 Main St"},"city":{"S":"Springfield"},"zip":{"S":"12345"}}},
    "tags":{"SS":["gift","express"]},"sig":{"B":"AAECAwQFBgcICQoLDA0ODw=="}})");
}

struct Fixture {
  SystemClock clock;
  std::unique_ptr<storage::MetadataStore> meta = storage::NewMemoryMetadataStore();
  services::IdentityStore identities{*meta};
  services::PolicyAuthorizer authorizer{identities, clock};
  NoKms kms;
  DynamoDbService ddb{*meta, authorizer, kms, clock, std::string(32, 'm')};

  services::RequestContext Ctx(const char* op) {
    services::RequestContext ctx;
    ctx.principal = Principal::Root("111111111111");
    ctx.region = "us-east-1";
    ctx.service = "dynamodb";
    ctx.operation = op;
    ctx.now = clock.Now();
    return ctx;
  }
  const wire::ServiceModel& model = *wire::FindService("dynamodb");

  // The request body → the response body.
  std::string Run(const char* op, const Json& in) {
    const wire::Operation* operation = model.FindOperation(op);
    std::string body = in.dump();
    auto input = wire::DecodeJsonRequest(model, *operation, body);
    auto ctx = Ctx(op);
    auto out = input.ok() ? ddb.Invoke(op, *input, ctx) : Result<Json>(input.status());
    if (!out.ok()) {
      fprintf(stderr, "%s: %s\n", op, out.status().message().c_str());
      std::abort();
    }
    return wire::EncodeJsonResponse(model, *operation, *out);
  }

  Fixture() {
    Run("CreateTable", Json::parse(R"({"TableName":"orders","BillingMode":"PAY_PER_REQUEST",
      "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],
      "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"S"}]})"));
    for (int i = 0; i < 100; ++i) Run("PutItem", {{"TableName", "orders"}, {"Item", Item(i)}});
  }
};

Fixture& F() {
  static Fixture* f = new Fixture();
  return *f;
}

void BM_PutItem(benchmark::State& state) {
  Fixture& f = F();
  Json in = {{"TableName", "orders"}, {"Item", Item(7)}};
  for (auto _ : state) benchmark::DoNotOptimize(f.Run("PutItem", in));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PutItem);

void BM_GetItem(benchmark::State& state) {
  Fixture& f = F();
  Json in = {{"TableName", "orders"}, {"Key", {{"pk", {{"S", "customer#0001"}}}, {"sk", {{"S", "order#1007"}}}}}};
  for (auto _ : state) benchmark::DoNotOptimize(f.Run("GetItem", in));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_GetItem);

void BM_UpdateItem(benchmark::State& state) {
  Fixture& f = F();
  Json in = Json::parse(R"j({"TableName":"orders","Key":{"pk":{"S":"customer#0001"},"sk":{"S":"order#1008"}},
    "UpdateExpression":"SET #t = #t + :one","ConditionExpression":"attribute_exists(pk)",
    "ExpressionAttributeNames":{"#t":"total"},"ExpressionAttributeValues":{":one":{"N":"1"}},
    "ReturnValues":"UPDATED_NEW"})j");
  for (auto _ : state) benchmark::DoNotOptimize(f.Run("UpdateItem", in));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_UpdateItem);

// One page of 25 items (of 100) from one partition.
void BM_Query25(benchmark::State& state) {
  Fixture& f = F();
  Json in = Json::parse(R"({"TableName":"orders","KeyConditionExpression":"pk = :p","Limit":25,
    "ExpressionAttributeValues":{":p":{"S":"customer#0001"}}})");
  for (auto _ : state) benchmark::DoNotOptimize(f.Run("Query", in));
  state.SetItemsProcessed(state.iterations() * 25);
}
BENCHMARK(BM_Query25);

}  // namespace

BENCHMARK_MAIN();
