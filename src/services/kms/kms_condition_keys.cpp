#include "services/kms/kms_condition_keys.h"

#include "core/iam/wildcard.h"

namespace ck::services::kms {

namespace {

std::span<const std::string> One(const std::string& value) {
  return value.empty() ? std::span<const std::string>() : std::span<const std::string>(&value, 1);
}

constexpr std::string_view kContextPrefix = "kms:EncryptionContext:";

}  // namespace

std::span<const std::string> KmsConditionKeys::Find(std::string_view name) const {
  using core::iam::EqualsIgnoreCase;
  if (name.size() < 4 || !EqualsIgnoreCase(name.substr(0, 4), "kms:")) return {};
  if (EqualsIgnoreCase(name, "kms:CallerAccount")) return One(caller_.principal.account);
  if (EqualsIgnoreCase(name, "kms:ViaService")) return One(caller_.via_service);
  if (EqualsIgnoreCase(name, "kms:RequestAlias"))
    return request_alias_ ? One(*request_alias_) : std::span<const std::string>();
  if (key_ != nullptr) {
    if (EqualsIgnoreCase(name, "kms:KeySpec")) return One(key_->spec);
    if (EqualsIgnoreCase(name, "kms:KeyUsage")) return One(key_->usage);
    if (EqualsIgnoreCase(name, "kms:KeyOrigin")) return One(key_->origin);
  }
  if (context_ == nullptr || context_->empty()) return {};
  if (EqualsIgnoreCase(name, "kms:EncryptionContextKeys")) {
    if (!context_keys_ready_) {
      for (const auto& [k, v] : *context_) context_keys_.push_back(k);
      context_keys_ready_ = true;
    }
    return context_keys_;
  }
  // Condition key names ignore case, the context key inside them included
  // (the key names a pair; its value is compared as the operator says).
  if (name.size() > kContextPrefix.size() && EqualsIgnoreCase(name.substr(0, kContextPrefix.size()), kContextPrefix)) {
    std::string_view wanted = name.substr(kContextPrefix.size());
    auto exact = context_->find(std::string(wanted));
    if (exact != context_->end()) return std::span<const std::string>(&exact->second, 1);
    for (const auto& [k, v] : *context_)
      if (EqualsIgnoreCase(k, wanted)) return std::span<const std::string>(&v, 1);
  }
  return {};
}

}  // namespace ck::services::kms
