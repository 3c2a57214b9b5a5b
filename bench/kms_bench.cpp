// In-process KMS throughput: GenerateDataKey and Decrypt through KmsClient as
// S3 calls them (forward access session, encryption context), including key
// resolution, policy evaluation (key policy + identity side) and CloudTrail
// event capture. Events go to a store that drops them, so the figure is the
// calling thread's cost; rendering happens on the recorder's writer thread.
//
//   cmake -S . -B build-bench -DCK_BUILD_BENCH=ON && cmake --build build-bench --target kms_bench
//   ./build-bench/bench/kms_bench
#include <benchmark/benchmark.h>

#include "base/clock.h"
#include "services/authorizer.h"
#include "services/cloudtrail/event_recorder.h"
#include "services/iam/identity_store.h"
#include "services/kms/kms_service.h"
#include "storage/memory_metadata_store.h"

namespace {

using namespace ck;

// Accepts writes and forgets them (event sink for the benchmark).
class NullStore final : public storage::MetadataStore {
 public:
  Result<std::optional<std::string>> Get(std::string_view, std::string_view) override {
    return std::optional<std::string>();
  }
  Status Apply(const storage::WriteBatch&) override { return Status::Ok(); }
  Result<std::vector<storage::Record>> Scan(std::string_view, const storage::ScanOptions&) override {
    return std::vector<storage::Record>{};
  }
  Result<uint64_t> Count(std::string_view, std::string_view) override { return uint64_t{0}; }
  std::string Describe() const override { return "null"; }
  Status Close() override { return Status::Ok(); }
};

struct Fixture {
  SystemClock clock;
  std::unique_ptr<storage::MetadataStore> meta = storage::NewMemoryMetadataStore();
  NullStore sink;
  services::IdentityStore identities{*meta};
  services::PolicyAuthorizer authorizer{identities, clock};
  services::cloudtrail::EventRecorder events{sink};
  services::KmsService kms{*meta, authorizer, events, clock, std::string(32, 'm')};
  services::KmsCaller caller;
  std::string key_arn;
  std::string blob;
  services::KmsEncryptionContext context{{"aws:s3:arn", "arn:aws:s3:::bucket1/some/object/key"}};

  Fixture() {
    if (!kms.Start().ok()) std::abort();
    services::KmsCaller admin;
    admin.principal = Principal::Root("111111111111");
    admin.region = "us-east-1";
    auto created = kms.Call("CreateKey", {{"Description", "bench"}}, admin);
    if (!created.ok()) std::abort();
    key_arn = (*created)["KeyMetadata"]["Arn"];
    if (!kms.Call("CreateAlias", {{"AliasName", "alias/bench"}, {"TargetKeyId", key_arn}}, admin).ok()) std::abort();
    caller = admin;
    caller.principal.access_key_id = "AKIAEXAMPLE000000001";
    caller.via_service = "s3.us-east-1.amazonaws.com";
    caller.invoked_by = "s3.amazonaws.com";
    caller.request_id = "bench";
    auto dk = kms.GenerateDataKey("alias/bench", context, caller);
    if (!dk.ok()) std::abort();
    blob = dk->ciphertext_blob;
  }
};

Fixture* g_fixture = nullptr;

Fixture& F() {
  if (!g_fixture) g_fixture = new Fixture();
  return *g_fixture;
}

void BM_GenerateDataKey(benchmark::State& state) {
  Fixture& f = F();
  for (auto _ : state) {
    auto r = f.kms.GenerateDataKey(state.range(0) ? f.key_arn : "alias/bench", f.context, f.caller);
    if (!r.ok()) state.SkipWithError(r.status().message().c_str());
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_GenerateDataKey)->Arg(1)->Arg(0)->ArgNames({"by_arn"});

void BM_Decrypt(benchmark::State& state) {
  Fixture& f = F();
  for (auto _ : state) {
    auto r = f.kms.Decrypt(f.blob, f.context, f.caller);
    if (!r.ok()) state.SkipWithError(r.status().message().c_str());
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Decrypt);

}  // namespace

// Tears the fixture down before exit so the recorder's writer thread stops cleanly.
int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  delete g_fixture;
  return 0;
}
