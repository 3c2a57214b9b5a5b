// IAM policy documents: parsing (every policy kind) and, for documents that
// parse, the evaluator on fixed principals and a request with condition keys,
// as identity, resource and session policy and as permissions boundary.
#include <cstdint>

#include "core/iam/evaluator.h"
#include "core/iam/policy_document.h"
#include "fuzz_input.h"

using namespace ck;

namespace {

class Keys final : public iam::KeySource {
 public:
  std::span<const std::string> Find(std::string_view key) const override {
    auto it = keys_.find(key);
    if (it == keys_.end()) return {};
    return it->second;
  }

 private:
  iam::ContextKeys keys_ = {
      {"aws:SourceIp", {"10.1.2.3"}},
      {"aws:SecureTransport", {"false"}},
      {"aws:CurrentTime", {"2026-01-01T00:00:00Z"}},
      {"aws:EpochTime", {"1767225600"}},
      {"aws:PrincipalTag/team", {"blue"}},
      {"aws:username", {"alice"}},
      {"kms:EncryptionContext:purpose", {"test"}},
      {"kms:ViaService", {"s3.us-east-1.amazonaws.com"}},
      {"s3:prefix", {"home/alice/", "public/"}},
  };
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::Input in(data, size);
  uint8_t choice = in.Byte();
  static const iam::PolicyKind kKinds[] = {iam::PolicyKind::kIdentity, iam::PolicyKind::kResource,
                                           iam::PolicyKind::kTrust, iam::PolicyKind::kSession,
                                           iam::PolicyKind::kKeyPolicy};
  iam::ParseOptions options;
  options.require_2012_version = choice & 0x80;
  auto policy = iam::ParsePolicy(in.Rest(), kKinds[choice % 5], options);
  if (!policy.ok()) return 0;

  static const Keys keys;
  iam::Principal users[3];
  users[0] = {"arn:aws:iam::111111111111:user/alice", "111111111111", iam::Principal::kUser, "", "AIDAEXAMPLE",
              "alice", ""};
  users[1] = {"arn:aws:sts::222222222222:assumed-role/r/s", "222222222222", iam::Principal::kAssumedRole,
              "arn:aws:iam::222222222222:role/r", "AROAEXAMPLE:s", "", ""};
  users[2] = {"", "", iam::Principal::kAnonymous, "", "", "", ""};
  iam::RequestContext ctx;
  ctx.action = (choice & 0x40) ? "s3:GetObject" : "kms:Decrypt";
  ctx.resource = (choice & 0x40) ? "arn:aws:s3:::bucket/home/alice/x" : "arn:aws:kms:us-east-1:111111111111:key/k";
  ctx.resource_account = "111111111111";
  ctx.keys["aws:RequestTag/env"] = {"prod"};
  ctx.global_keys = &keys;
  ctx.service_keys = &keys;
  for (const auto& p : users) {
    iam::EvaluationInput e;
    e.principal = &p;
    e.context = &ctx;
    e.identity_policies = {&*policy};
    e.resource_policy = &*policy;
    e.resource_policy_required = choice & 0x20;
    if (choice & 0x10) e.session_policies = std::vector<const iam::Policy*>{&*policy};
    if (choice & 0x08) e.permissions_boundary = &*policy;
    (void)iam::Evaluate(e);
  }
  return 0;
}
