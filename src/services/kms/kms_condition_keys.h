// KmsConditionKeys: the kms:* condition keys of one KMS request, computed only
// when a policy condition or variable asks for one (most key policies test
// none; AWS managed keys test kms:CallerAccount and kms:ViaService).
//   kms:CallerAccount, kms:ViaService, kms:EncryptionContext:KEY,
//   kms:EncryptionContextKeys, kms:KeySpec, kms:KeyUsage, kms:KeyOrigin,
//   kms:RequestAlias
// Holds references to the request's values, which must outlive it. Used by one
// thread at a time.
#pragma once

#include <string>
#include <vector>

#include "core/iam/request_context.h"
#include "core/kms/ciphertext.h"
#include "core/kms/key_model.h"
#include "services/kms/kms_client.h"

namespace ck::services::kms {

class KmsConditionKeys final : public core::iam::KeySource {
 public:
  // `key`, `context` and `request_alias` may be null for calls on no key
  // (identity-only authorization), without a context or without an alias.
  KmsConditionKeys(const KmsCaller& caller, const core::kms::KeyRecord* key, const core::kms::EncryptionContext* context,
                   const std::string* request_alias)
      : caller_(caller), key_(key), context_(context), request_alias_(request_alias) {}

  std::span<const std::string> Find(std::string_view name) const override;

 private:
  const KmsCaller& caller_;
  const core::kms::KeyRecord* key_;
  const core::kms::EncryptionContext* context_;
  const std::string* request_alias_;
  mutable std::vector<std::string> context_keys_;  // kms:EncryptionContextKeys, built on first use
  mutable bool context_keys_ready_ = false;
};

}  // namespace ck::services::kms
