#include "core/kms/resolver.h"

#include "core/arn.h"
#include "core/kms/errors.h"
#include "core/iam/evaluator.h"

namespace ck::core::kms {

namespace {

bool IsHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

std::string AliasArn(const std::string& region, const std::string& account, std::string_view name) {
  return "arn:aws:kms:" + region + ":" + account + ":" + std::string(name);
}

}  // namespace

bool IsKeyIdFormat(std::string_view s) {
  if (s.starts_with("mrk-")) {
    if (s.size() != 36) return false;
    for (char c : s.substr(4))
      if (!IsHex(c)) return false;
    return true;
  }
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !IsHex(s[i])) return false;
  }
  return true;
}

std::string KeyDoesNotExist(const std::string& arn) { return "Key '" + arn + "' does not exist"; }

// AWS-SEMANTICS §1.3: the 2026 recordings quote the reference; we follow them.
std::string InvalidKeyIdMessage(std::string_view reference) {
  return "Invalid keyId '" + std::string(reference) + "'";
}

Status RedactedDenial(std::string_view caller_arn, std::string_view action) {
  iam::EvaluationResult r;
  r.decision = iam::Decision::kImplicitDeny;
  r.reason = iam::EvaluationResult::DenyReason::kNoResourceAllow;
  r.principal_arn = std::string(caller_arn);
  r.action = std::string(action);
  return errors::AccessDenied(r.Message(/*redact_resource=*/true));
}

Result<Resolution> Resolve(KeyDirectory& dir, const std::string& caller_account, const std::string& caller_region,
                           std::string_view ref, const ResolveOptions& opt) {
  std::string account = caller_account, region = caller_region;
  std::string key_id, alias_name;
  if (ref.starts_with("arn:")) {
    auto arn = core::Arn::Parse(ref);
    if (!arn.ok() || arn->service != "kms" || arn->account.empty() || arn->region.empty())
      return errors::NotFound(InvalidKeyIdMessage(ref));
    std::string_view type = arn->ResourceType();
    if (type == "key") {
      key_id = std::string(arn->ResourceId());
    } else if (type == "alias") {
      alias_name = arn->resource;
    } else {
      return errors::NotFound(InvalidKeyIdMessage(ref));
    }
    if (arn->region != caller_region) return errors::NotFound("Invalid arn " + arn->region);
    account = arn->account;
    region = arn->region;
  } else if (ref.starts_with("alias/")) {
    alias_name = std::string(ref);
  } else if (IsKeyIdFormat(ref)) {
    key_id = std::string(ref);
  } else {
    return errors::NotFound(InvalidKeyIdMessage(ref));
  }

  const bool foreign = account != caller_account;
  if (!alias_name.empty() && opt.forms == RefForms::kKeyOnly)
    return errors::InvalidArn("Key Aliases are not supported for this operation");
  if (foreign && !opt.cross_account) return RedactedDenial(opt.caller_arn, opt.action);

  Resolution out;
  out.cross_account = foreign;
  if (!alias_name.empty()) {
    out.alias_name = alias_name;
    auto target = dir.FindAlias(account, region, alias_name);
    if (!target) {
      const ManagedAlias* managed = foreign ? nullptr : FindManagedAlias(alias_name);
      if (managed) {
        auto key = dir.EnsureManagedKey(account, region, *managed);
        if (!key.ok()) return key.status();
        out.key = std::move(*key);
        return out;
      }
      if (foreign) return RedactedDenial(opt.caller_arn, opt.action);
      return errors::NotFound("Alias " + AliasArn(region, account, alias_name) + " is not found.");
    }
    key_id = *target;
  } else if (!IsKeyIdFormat(key_id)) {
    return errors::NotFound(InvalidKeyIdMessage(ref));
  }
  out.key = dir.FindKey(account, region, key_id);
  if (!out.key) {
    if (foreign) return RedactedDenial(opt.caller_arn, opt.action);
    return errors::NotFound(KeyDoesNotExist(KeyArn(region, account, key_id)));
  }
  return out;
}

}  // namespace ck::core::kms
