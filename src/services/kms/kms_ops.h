// KMS's operations, typed over the generated shapes (api/kms.h), in groups:
// each is `Result<Response> X(const Request&, KmsCall&)` and runs its key
// preamble through KeyAccess::WithKey with its spec (core/kms/operations.h).
// KmsEngine runs them as recorded calls; KmsApi registers them in the
// operation table (kms_api.cpp).
//
//   CryptoOps    Encrypt, Decrypt, ReEncrypt, data keys, GenerateRandom   crypto_ops.cpp
//   SigningOps   Sign, Verify, GetPublicKey, GenerateMac, VerifyMac,
//                DeriveSharedSecret                                        signing_ops.cpp
//   KeyOps       CreateKey, DescribeKey, ListKeys, key state, tags        key_ops.cpp
//   RotationOps  rotation settings, on-demand rotation, history           rotation_ops.cpp
//   ImportOps    GetParametersForImport, ImportKeyMaterial,
//                DeleteImportedKeyMaterial                                 import_ops.cpp
//   AliasOps     CreateAlias, UpdateAlias, DeleteAlias, ListAliases       alias_ops.cpp
//   PolicyOps    GetKeyPolicy, PutKeyPolicy, ListKeyPolicies              policy_ops.cpp
//   GrantOps     CreateGrant, ListGrants, ListRetirableGrants, Retire/Revoke  grant_ops.cpp
//
// Thread safety: stateless apart from the KeyAccess they share; safe for
// concurrent use.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/kms.h"
#include "services/common/paging.h"
#include "services/kms/key_access.h"

namespace ck::services::kms {

class CryptoOps {
 public:
  explicit CryptoOps(KeyAccess& access) : access_(access) {}

  // The cores the in-process calls share with the operations: a data key
  // sealed under the key `key_ref` names, and the plaintext of a blob.
  Result<KmsDataKey> DataKey(KmsCall& c, const core::kms::OperationSpec& spec, std::string_view key_ref,
                             const core::kms::EncryptionContext& context, int bytes, bool dry_run);
  Result<KmsDecrypted> Open(KmsCall& c, const core::kms::OperationSpec& spec, std::string_view blob,
                            const core::kms::EncryptionContext& context, std::string_view key_ref,
                            std::string_view algorithm, bool dry_run);

  Result<api::kms::EncryptResponse> Encrypt(const api::kms::EncryptRequest& in, KmsCall& c);
  Result<api::kms::DecryptResponse> Decrypt(const api::kms::DecryptRequest& in, KmsCall& c);
  Result<api::kms::ReEncryptResponse> ReEncrypt(const api::kms::ReEncryptRequest& in, KmsCall& c);
  Result<api::kms::GenerateDataKeyResponse> GenerateDataKey(const api::kms::GenerateDataKeyRequest& in, KmsCall& c);
  Result<api::kms::GenerateDataKeyWithoutPlaintextResponse> GenerateDataKeyWithoutPlaintext(
      const api::kms::GenerateDataKeyWithoutPlaintextRequest& in, KmsCall& c);
  Result<api::kms::GenerateDataKeyPairResponse> GenerateDataKeyPair(const api::kms::GenerateDataKeyPairRequest& in,
                                                                    KmsCall& c);
  Result<api::kms::GenerateDataKeyPairWithoutPlaintextResponse> GenerateDataKeyPairWithoutPlaintext(
      const api::kms::GenerateDataKeyPairWithoutPlaintextRequest& in, KmsCall& c);
  Result<api::kms::GenerateRandomResponse> GenerateRandom(const api::kms::GenerateRandomRequest& in, KmsCall& c);

 private:
  template <typename Response, typename Request>
  Result<Response> DataKeyResponse(KmsCall& c, const core::kms::OperationSpec& spec, const Request& in);
  template <typename Response, typename Request>
  Result<Response> DataKeyPair(KmsCall& c, const core::kms::OperationSpec& spec, const Request& in);
  Result<KmsDecrypted> OpenAsymmetric(KmsCall& c, const core::kms::OperationSpec& spec,
                                      const core::kms::Resolution& key, std::string_view blob,
                                      std::string_view algorithm, bool dry_run);

  KeyAccess& access_;
};

class SigningOps {
 public:
  explicit SigningOps(KeyAccess& access) : access_(access) {}

  Result<api::kms::SignResponse> Sign(const api::kms::SignRequest& in, KmsCall& c);
  Result<api::kms::VerifyResponse> Verify(const api::kms::VerifyRequest& in, KmsCall& c);
  Result<api::kms::GetPublicKeyResponse> GetPublicKey(const api::kms::GetPublicKeyRequest& in, KmsCall& c);
  Result<api::kms::GenerateMacResponse> GenerateMac(const api::kms::GenerateMacRequest& in, KmsCall& c);
  Result<api::kms::VerifyMacResponse> VerifyMac(const api::kms::VerifyMacRequest& in, KmsCall& c);
  Result<api::kms::DeriveSharedSecretResponse> DeriveSharedSecret(const api::kms::DeriveSharedSecretRequest& in,
                                                                  KmsCall& c);

 private:
  KeyAccess& access_;
};

class KeyOps {
 public:
  explicit KeyOps(KeyAccess& access) : access_(access) {}

  Result<api::kms::CreateKeyResponse> CreateKey(const api::kms::CreateKeyRequest& in, KmsCall& c);
  Result<api::kms::DescribeKeyResponse> DescribeKey(const api::kms::DescribeKeyRequest& in, KmsCall& c);
  Result<api::kms::ListKeysResponse> ListKeys(const api::kms::ListKeysRequest& in, KmsCall& c);
  Result<api::Empty> UpdateKeyDescription(const api::kms::UpdateKeyDescriptionRequest& in, KmsCall& c);
  Result<api::Empty> EnableKey(const api::kms::EnableKeyRequest& in, KmsCall& c);
  Result<api::Empty> DisableKey(const api::kms::DisableKeyRequest& in, KmsCall& c);
  Result<api::kms::ScheduleKeyDeletionResponse> ScheduleKeyDeletion(const api::kms::ScheduleKeyDeletionRequest& in,
                                                                    KmsCall& c);
  Result<api::kms::CancelKeyDeletionResponse> CancelKeyDeletion(const api::kms::CancelKeyDeletionRequest& in,
                                                                KmsCall& c);
  Result<api::Empty> TagResource(const api::kms::TagResourceRequest& in, KmsCall& c);
  Result<api::Empty> UntagResource(const api::kms::UntagResourceRequest& in, KmsCall& c);
  Result<api::kms::ListResourceTagsResponse> ListResourceTags(const api::kms::ListResourceTagsRequest& in,
                                                              KmsCall& c);
  Result<api::kms::DescribeCustomKeyStoresResponse> DescribeCustomKeyStores(
      const api::kms::DescribeCustomKeyStoresRequest& in, KmsCall& c);

 private:
  // A key edit with no output (UpdateKeyDescription, EnableKey, DisableKey, tags).
  Result<api::Empty> Edit(KmsCall& c, const core::kms::OperationSpec& spec, std::string_view key_ref,
                          const std::function<Status(core::kms::KeyRecord&)>& fn);

  KeyAccess& access_;
};

class RotationOps {
 public:
  explicit RotationOps(KeyAccess& access) : access_(access) {}

  Result<api::Empty> EnableKeyRotation(const api::kms::EnableKeyRotationRequest& in, KmsCall& c);
  Result<api::Empty> DisableKeyRotation(const api::kms::DisableKeyRotationRequest& in, KmsCall& c);
  Result<api::kms::GetKeyRotationStatusResponse> GetKeyRotationStatus(const api::kms::GetKeyRotationStatusRequest& in,
                                                                      KmsCall& c);
  Result<api::kms::RotateKeyOnDemandResponse> RotateKeyOnDemand(const api::kms::RotateKeyOnDemandRequest& in,
                                                                KmsCall& c);
  Result<api::kms::ListKeyRotationsResponse> ListKeyRotations(const api::kms::ListKeyRotationsRequest& in,
                                                              KmsCall& c);

 private:
  KeyAccess& access_;
};

// Imported key material (core/kms/key_import.h): keys of origin EXTERNAL get
// their material from ImportKeyMaterial, lose it to DeleteImportedKeyMaterial
// or its ValidTo (back to PendingImport), and symmetric ones take new
// material for RotateKeyOnDemand (ImportType NEW_KEY_MATERIAL).
class ImportOps {
 public:
  explicit ImportOps(KeyAccess& access) : access_(access) {}

  Result<api::kms::GetParametersForImportResponse> GetParametersForImport(
      const api::kms::GetParametersForImportRequest& in, KmsCall& c);
  Result<api::kms::ImportKeyMaterialResponse> ImportKeyMaterial(const api::kms::ImportKeyMaterialRequest& in,
                                                                KmsCall& c);
  Result<api::kms::DeleteImportedKeyMaterialResponse> DeleteImportedKeyMaterial(
      const api::kms::DeleteImportedKeyMaterialRequest& in, KmsCall& c);

 private:
  KeyAccess& access_;
};

class AliasOps {
 public:
  explicit AliasOps(KeyAccess& access) : access_(access) {}

  Result<api::Empty> CreateAlias(const api::kms::CreateAliasRequest& in, KmsCall& c);
  Result<api::Empty> UpdateAlias(const api::kms::UpdateAliasRequest& in, KmsCall& c);
  Result<api::Empty> DeleteAlias(const api::kms::DeleteAliasRequest& in, KmsCall& c);
  Result<api::kms::ListAliasesResponse> ListAliases(const api::kms::ListAliasesRequest& in, KmsCall& c);

 private:
  // The caller's alias `name`, or NotFoundException.
  Result<core::kms::AliasRecord> Existing(KmsCall& c, const std::string& name);

  KeyAccess& access_;
};

class PolicyOps {
 public:
  explicit PolicyOps(KeyAccess& access) : access_(access) {}

  Result<api::kms::GetKeyPolicyResponse> GetKeyPolicy(const api::kms::GetKeyPolicyRequest& in, KmsCall& c);
  Result<api::Empty> PutKeyPolicy(const api::kms::PutKeyPolicyRequest& in, KmsCall& c);
  Result<api::kms::ListKeyPoliciesResponse> ListKeyPolicies(const api::kms::ListKeyPoliciesRequest& in, KmsCall& c);

 private:
  KeyAccess& access_;
};

class GrantOps {
 public:
  explicit GrantOps(KeyAccess& access) : access_(access) {}

  Result<api::kms::CreateGrantResponse> CreateGrant(const api::kms::CreateGrantRequest& in, KmsCall& c);
  Result<api::kms::ListGrantsResponse> ListGrants(const api::kms::ListGrantsRequest& in, KmsCall& c);
  Result<api::kms::ListGrantsResponse> ListRetirableGrants(const api::kms::ListRetirableGrantsRequest& in,
                                                           KmsCall& c);
  Result<api::Empty> RetireGrant(const api::kms::RetireGrantRequest& in, KmsCall& c);
  Result<api::Empty> RevokeGrant(const api::kms::RevokeGrantRequest& in, KmsCall& c);

 private:
  KeyAccess& access_;
};

// UnsupportedOperationException for a feature crosskey does not have
// ("Custom key stores (CreateCustomKeyStore) is not supported by crosskey.").
Status UnsupportedFeature(std::string_view operation);

// InvalidMarkerException "Invalid marker: <marker>".
Status InvalidMarker(const std::string& marker);

// One page of a list as the request's Marker and Limit ask:
// InvalidMarkerException for a marker this server did not issue.
template <typename T>
Result<Page<T>> PageOf(std::vector<T> all, const std::optional<std::string>& marker,
                       const std::optional<int32_t>& limit, size_t default_limit) {
  std::optional<size_t> start = ParseMarker(marker);
  if (!start) return InvalidMarker(*marker);
  return TakePage(std::move(all), *start, limit ? static_cast<size_t>(*limit) : default_limit);
}
// The page's members of a KMS list response (Truncated is always present).
template <typename Response, typename T>
void FillPage(Response& out, std::optional<std::vector<T>> Response::*items, Page<T> page) {
  out.*items = std::move(page.items);
  out.truncated = page.next_marker.has_value();
  out.next_marker = std::move(page.next_marker);
}
}  // namespace ck::services::kms
