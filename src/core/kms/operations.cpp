#include "core/kms/operations.h"

namespace ck::core::kms {

Status CheckKeyUse(const KeyRecord& key, const OperationSpec& spec, std::string_view algorithm) {
  CK_RETURN_IF_ERROR(CheckState(key, spec.state));
  CK_RETURN_IF_ERROR(CheckUsage(key, spec.usage, spec.name));
  return CheckAlgorithm(key, spec.algorithm, algorithm);
}

namespace spec {

namespace {

constexpr const OperationSpec* kAll[] = {
    &kEncrypt, &kDecrypt, &kReEncrypt, &kGenerateDataKey, &kGenerateDataKeyWithoutPlaintext, &kGenerateDataKeyPair,
    &kGenerateDataKeyPairWithoutPlaintext, &kSign, &kVerify, &kGenerateMac, &kVerifyMac, &kGetPublicKey,
    &kGenerateRandom, &kCreateKey, &kDescribeKey, &kListKeys, &kUpdateKeyDescription, &kEnableKey, &kDisableKey,
    &kScheduleKeyDeletion, &kCancelKeyDeletion, &kEnableKeyRotation, &kDisableKeyRotation, &kRotateKeyOnDemand,
    &kGetKeyRotationStatus, &kListKeyRotations, &kTagResource, &kUntagResource, &kListResourceTags,
    &kDescribeCustomKeyStores, &kCreateAlias, &kUpdateAlias, &kDeleteAlias, &kListAliases, &kGetKeyPolicy,
    &kPutKeyPolicy, &kListKeyPolicies, &kCreateGrant, &kListGrants, &kListRetirableGrants, &kRetireGrant,
    &kRevokeGrant, &kCreateCustomKeyStore, &kConnectCustomKeyStore, &kDisconnectCustomKeyStore,
    &kUpdateCustomKeyStore, &kDeleteCustomKeyStore, &kGetParametersForImport, &kImportKeyMaterial,
    &kDeleteImportedKeyMaterial, &kReplicateKey, &kUpdatePrimaryRegion, &kDeriveSharedSecret, &kGetKeyLastUsage,
};

}  // namespace

std::span<const OperationSpec* const> All() { return kAll; }

const OperationSpec* Find(std::string_view name) {
  for (const OperationSpec* s : kAll)
    if (s->name == name) return s;
  return nullptr;
}

}  // namespace spec

}  // namespace ck::core::kms
