// Cost of one IAM authorization decision on a typical cross-account KMS call:
// an identity policy with three statements (one with a condition) and a key
// policy with the default root statement, a cross-account statement and a
// conditioned statement. Policies are parsed once, outside the timed loop.
#include <benchmark/benchmark.h>

#include <cstdlib>

#include "core/iam/context_keys.h"
#include "core/iam/evaluator.h"

namespace {

using namespace ck::core::iam;  // NOLINT

constexpr const char* kIdentity = R"({
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "S3", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:List*"],
     "Resource": ["arn:aws:s3:::bucket1", "arn:aws:s3:::bucket1/*"]},
    {"Sid": "Kms", "Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey*", "kms:DescribeKey"],
     "Resource": "arn:aws:kms:us-east-1:111111111111:key/*",
     "Condition": {"StringEquals": {"aws:RequestedRegion": "us-east-1"}}},
    {"Sid": "NoDelete", "Effect": "Deny", "Action": "kms:ScheduleKeyDeletion", "Resource": "*"}
  ]
})";

constexpr const char* kKeyPolicy = R"({
  "Version": "2012-10-17",
  "Id": "key-default-1",
  "Statement": [
    {"Sid": "Enable IAM User Permissions", "Effect": "Allow",
     "Principal": {"AWS": "arn:aws:iam::111111111111:root"}, "Action": "kms:*", "Resource": "*"},
    {"Sid": "Allow use of the key by account 2", "Effect": "Allow",
     "Principal": {"AWS": "arn:aws:iam::222222222222:root"},
     "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
     "Resource": "*"},
    {"Sid": "Via S3 only", "Effect": "Allow", "Principal": {"AWS": "*"},
     "Action": ["kms:Decrypt", "kms:GenerateDataKey*"], "Resource": "*",
     "Condition": {"StringEquals": {"kms:CallerAccount": "111111111111", "kms:ViaService": "s3.us-east-1.amazonaws.com"}}}
  ]
})";

Policy MustParse(const char* json, PolicyKind kind) {
  auto r = ParsePolicy(json, kind);
  if (!r.ok()) {
    std::fprintf(stderr, "bad policy: %s\n", r.status().message().c_str());
    std::abort();
  }
  return std::move(r).value();
}

struct Fixture {
  Policy identity = MustParse(kIdentity, PolicyKind::kIdentity);
  Policy key_policy = MustParse(kKeyPolicy, PolicyKind::kKeyPolicy);
  Principal principal{"arn:aws:sts::222222222222:assumed-role/role2/s2", "222222222222", Principal::kAssumedRole,
                      "arn:aws:iam::222222222222:role/role2", "AROAROLE2EXAMPLE0005:s2", "", ""};
  RequestContext ctx;
  EvaluationInput in;

  Fixture() {
    // Role session in account 2 using account 1's key by ARN: both the key
    // policy (account 2 root statement) and the identity policy must allow.
    ctx.action = "kms:GenerateDataKey";
    ctx.resource = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    ctx.resource_account = "111111111111";
    RequestFacts facts;
    facts.source_ip = "203.0.113.9";
    facts.secure_transport = true;
    facts.requested_region = "us-east-1";
    facts.resource_account = ctx.resource_account;
    AddGlobalKeys(principal, facts, &ctx.keys);
    ctx.keys["kms:CallerAccount"] = {"222222222222"};
    ctx.keys["kms:ViaService"] = {"s3.us-east-1.amazonaws.com"};
    in.principal = &principal;
    in.identity_policies = {&identity};
    in.resource_policy = &key_policy;
    in.resource_policy_required = true;
    in.context = &ctx;
  }
};

void BM_EvaluateCrossAccountKmsAllow(benchmark::State& state) {
  Fixture f;
  if (!Evaluate(f.in).allowed()) state.SkipWithError("expected Allow");
  for (auto _ : state) {
    EvaluationResult r = Evaluate(f.in);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_EvaluateCrossAccountKmsAllow);

void BM_EvaluateCrossAccountKmsDeny(benchmark::State& state) {
  Fixture f;
  f.ctx.action = "kms:Encrypt";  // allowed by the key policy, not by the identity policy
  if (Evaluate(f.in).allowed()) state.SkipWithError("expected deny");
  for (auto _ : state) {
    EvaluationResult r = Evaluate(f.in);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_EvaluateCrossAccountKmsDeny);

void BM_EvaluateExplicitDeny(benchmark::State& state) {
  Fixture f;
  f.ctx.action = "kms:ScheduleKeyDeletion";
  for (auto _ : state) {
    EvaluationResult r = Evaluate(f.in);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_EvaluateExplicitDeny);

void BM_ParsePolicy(benchmark::State& state) {
  for (auto _ : state) {
    auto r = ParsePolicy(kKeyPolicy, PolicyKind::kKeyPolicy);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_ParsePolicy);

}  // namespace

BENCHMARK_MAIN();
