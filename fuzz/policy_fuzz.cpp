// IAM policy documents: parsing (every policy kind) and, for documents that
// parse, the evaluator on fixed principals and a request with condition keys,
// as identity, resource and session policy and as permissions boundary.
#include <array>
#include <cstdint>

#include "core/iam/evaluator.h"
#include "core/iam/policy_document.h"
#include "fuzz_input.h"

using namespace ck;

namespace {

class Keys final : public core::iam::KeySource {
 public:
  std::span<const std::string> Find(std::string_view key) const override {
    auto it = keys_.find(key);
    if (it == keys_.end()) return {};
    return it->second;
  }

 private:
  core::iam::ContextKeys keys_ = {
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
  static const core::iam::PolicyKind kKinds[] = {core::iam::PolicyKind::kIdentity, core::iam::PolicyKind::kResource,
                                           core::iam::PolicyKind::kTrust, core::iam::PolicyKind::kSession,
                                           core::iam::PolicyKind::kKeyPolicy};
  core::iam::ParseOptions options;
  options.require_2012_version = choice & 0x80;
  auto policy = core::iam::ParsePolicy(in.Rest(), kKinds[choice % 5], options);
  if (!policy.ok()) return 0;

  static const Keys keys;
  static const auto users = [] {
    std::array<core::iam::Principal, 3> p;
    p[0].arn = "arn:aws:iam::111111111111:user/alice";
    p[0].account = "111111111111";
    p[0].type = core::iam::Principal::kUser;
    p[0].user_id = "AIDAEXAMPLE";
    p[0].username = "alice";
    p[1].arn = "arn:aws:sts::222222222222:assumed-role/r/s";
    p[1].account = "222222222222";
    p[1].type = core::iam::Principal::kAssumedRole;
    p[1].role_arn = "arn:aws:iam::222222222222:role/r";
    p[1].user_id = "AROAEXAMPLE:s";
    p[1].session_name = "s";
    p[2].type = core::iam::Principal::kAnonymous;
    return p;
  }();
  core::iam::RequestContext ctx;
  ctx.action = (choice & 0x40) ? "s3:GetObject" : "kms:Decrypt";
  ctx.resource = (choice & 0x40) ? "arn:aws:s3:::bucket/home/alice/x" : "arn:aws:kms:us-east-1:111111111111:key/k";
  ctx.resource_account = "111111111111";
  ctx.keys["aws:RequestTag/env"] = {"prod"};
  ctx.global_keys = &keys;
  ctx.service_keys = &keys;
  for (const auto& p : users) {
    core::iam::EvaluationInput e;
    e.principal = &p;
    e.context = &ctx;
    e.identity_policies = {&*policy};
    e.resource_policy = &*policy;
    e.resource_policy_required = choice & 0x20;
    if (choice & 0x10) e.session_policies = std::vector<const core::iam::Policy*>{&*policy};
    if (choice & 0x08) e.permissions_boundary = &*policy;
    (void)core::iam::Evaluate(e);
  }
  return 0;
}
