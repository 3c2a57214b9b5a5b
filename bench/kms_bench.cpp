// In-process KMS throughput: GenerateDataKey and Decrypt through KmsClient as
// S3 calls them (forward access session, encryption context), including key
// resolution, policy evaluation and CloudTrail event capture. The caller is a
// role session whose inline policy allows the calls and the key has the
// default key policy, so both the key policy and the identity side are
// evaluated (by_arn:0 also resolves an alias).
//
// Events go to a store that drops them. "CPU" is the calling thread's time;
// the *_process variants report process CPU per call instead, which adds the
// CloudTrail writer thread's rendering.
//
//   cmake -S . -B build-bench -DCK_BUILD_BENCH=ON && cmake --build build-bench --target kms_bench
//   ./build-bench/bench/kms_bench
#include <benchmark/benchmark.h>

#include "base/clock.h"
#include "core/kms/ciphertext.h"
#include "services/authorizer.h"
#include "services/cloudtrail/event_recorder.h"
#include "services/iam/identity_store.h"
#include "services/kms/kms_engine.h"
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
  services::kms::KmsEngine kms{*meta, authorizer, events, clock, std::string(32, 'm')};
  services::KmsCaller caller;
  std::string key_arn;
  std::string blob;
  services::KmsEncryptionContext context{{"aws:s3:arn", "arn:aws:s3:::bucket1/some/object/key"}};

  Fixture() {
    if (!kms.Start().ok()) std::abort();
    services::KmsCaller admin;
    admin.principal = Principal::Root("111111111111");
    admin.region = "us-east-1";
    api::kms::CreateKeyRequest create;
    create.description = "bench";
    auto created = kms.CreateKey(create, admin);
    if (!created.ok()) std::abort();
    key_arn = created->key_metadata->arn.value_or("");
    if (!kms.CreateAlias({.alias_name = "alias/bench", .target_key_id = key_arn}, admin).ok()) std::abort();
    services::IamRole role;
    role.account = "111111111111";
    role.name = "app";
    role.role_id = "AROAEXAMPLEROLE00001";
    role.arn = "arn:aws:iam::111111111111:role/app";
    role.inline_policies["kms"] =
        R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["kms:GenerateDataKey","kms:Decrypt"],"Resource":"*"}]})";
    if (!identities.PutRole(role, true).ok()) std::abort();
    caller = admin;
    caller.principal.type = Principal::Type::kAssumedRole;
    caller.principal.arn = "arn:aws:sts::111111111111:assumed-role/app/bench";
    caller.principal.role_arn = role.arn;
    caller.principal.user_id = "AROAEXAMPLEROLE00001:bench";
    caller.principal.session_name = "bench";
    caller.principal.access_key_id = "ASIAEXAMPLE000000001";
    caller.via_service = "s3.us-east-1.amazonaws.com";
    caller.invoked_by = "s3.amazonaws.com";
    caller.request_id = "bench";
    auto dk = kms.GenerateDataKey("alias/bench", context, caller);
    if (!dk.ok()) std::abort();
    blob = dk->ciphertext_blob;
    // Steady state: caches, thread-local contexts, the RNG pool and the
    // allocator's arenas warmed before the first measurement.
    for (int i = 0; i < 100000; ++i) {
      if (!kms.GenerateDataKey(key_arn, context, caller).ok() || !kms.Decrypt(blob, context, caller).ok()) std::abort();
    }
    events.Flush();
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
BENCHMARK(BM_GenerateDataKey)->Name("BM_GenerateDataKey_process")->Arg(1)->ArgNames({"by_arn"})->MeasureProcessCPUTime();

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
BENCHMARK(BM_Decrypt)->Name("BM_Decrypt_process")->MeasureProcessCPUTime();

// The parts of one call, to see where the time goes.

// Policy evaluation as KMS asks for it: the key policy plus the role's
// identity policies (cached), global and kms:* keys on demand.
void BM_Part_Authorize(benchmark::State& state) {
  Fixture& f = F();
  services::AuthzRequest r;
  r.principal = &f.caller.principal;
  r.action = "kms:GenerateDataKey";
  r.resource = f.key_arn;
  r.resource_account = "111111111111";
  auto key_policy = f.authorizer.Parse(
      R"({"Version":"2012-10-17","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"kms:*","Resource":"*"}]})",
      core::iam::PolicyKind::kResource);
  r.resource_policy = key_policy->get();
  r.resource_policy_required = true;
  r.region = "us-east-1";
  static const std::string kVia[] = {"s3.amazonaws.com"};
  r.called_via = kVia;
  for (auto _ : state) {
    auto d = f.authorizer.Authorize(r);
    if (!d.ok() || !d->allowed()) state.SkipWithError("not allowed");
    benchmark::DoNotOptimize(d);
  }
}
BENCHMARK(BM_Part_Authorize);

// Sealing a 32-byte data key into a ciphertext blob (header, context AAD, IV, AES-GCM).
void BM_Part_SealBlob(benchmark::State& state) {
  Fixture& f = F();
  std::string key(32, 'k'), plain(32, 'p');
  for (auto _ : state) {
    auto blob = core::kms::SealBlob({"111111111111", "us-east-1", "0b3c8a4e-1d2f-4a5b-9c8d-7e6f5a4b3c2d", 1}, key, plain,
                              f.context);
    benchmark::DoNotOptimize(blob);
  }
}
BENCHMARK(BM_Part_SealBlob);

// The CloudTrail event of one in-process GenerateDataKey (one recipient),
// with the storage its views point into.
struct SampleEvent {
  std::string_view recipients[1] = {"111111111111"};
  services::cloudtrail::EventResource resources[1];
  std::string params;
  services::cloudtrail::ApiEvent event;

  explicit SampleEvent(Fixture& f) {
    resources[0] = {f.key_arn, "111111111111", "AWS::KMS::Key"};
    params = R"({"encryptionContext":{"aws:s3:arn":"arn:aws:s3:::bucket1/some/object/key"},"keyId":")" + f.key_arn +
             R"(","keySpec":"AES_256"})";
    event.time = f.clock.Now();
    event.event_source = "kms.amazonaws.com";
    event.event_name = "GenerateDataKey";
    event.region = "us-east-1";
    event.principal = &f.caller.principal;
    event.invoked_by = "s3.amazonaws.com";
    event.request_parameters = params;
    event.additional_event_data =
        R"({"keyMaterialId":"0000000000000000000000000000000000000000000000000000000000000000"})";
    event.request_id = "bench";
    event.read_only = true;
    event.resources = resources;
    event.recipients = recipients;
  }
  SampleEvent(const SampleEvent&) = delete;  // the event points into this object
};

// Encoding and queueing one event, as every KMS call does.
void BM_Part_RecordEvent(benchmark::State& state) {
  Fixture& f = F();
  SampleEvent sample(f);
  for (auto _ : state) {
    sample.event.time = f.clock.Now();
    f.events.Record(sample.event);
  }
}
BENCHMARK(BM_Part_RecordEvent);

// Rendering one event's CloudTrail JSON, as LookupEvents does.
void BM_Part_RenderOnly(benchmark::State& state) {
  Fixture& f = F();
  SampleEvent sample(f);
  for (auto _ : state) {
    auto s = services::cloudtrail::EventRecorder::Render(sample.event, "111111111111",
                                                         "0b3c8a4e-1d2f-4a5b-9c8d-7e6f5a4b3c2d", "");
    benchmark::DoNotOptimize(s);
  }
}
BENCHMARK(BM_Part_RenderOnly);

}  // namespace

// Tears the fixture down before exit so the recorder's writer thread stops cleanly.
int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  delete g_fixture;
  return 0;
}
