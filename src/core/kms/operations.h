// Every KMS operation as one spec: its IAM action, the key reference forms it
// accepts, whether it reaches other accounts' keys (AWS-SEMANTICS §1.2),
// whether it takes DryRun, the key state, usage and algorithm it needs
// (key_rules.h) and whether CloudTrail marks it read-only. The service runs
// the checks of a spec in one place (services/kms/key_access.h WithKey);
// operations never write them out.
//
// Two specs are halves of one operation: ReEncrypt checks its source key as
// kReEncryptFrom (kms:ReEncryptFrom) and its destination as kReEncryptTo
// (kms:ReEncryptTo).
//
// Thread safety: constants.
#pragma once

#include <span>
#include <string_view>

#include "core/kms/key_rules.h"
#include "core/kms/resolver.h"

namespace ck::core::kms {

struct OperationSpec {
  std::string_view name;    // "Encrypt": the CloudTrail eventName; names the operation in usage errors
  std::string_view action;  // "kms:Encrypt"
  std::string_view resource = "key";  // what it acts on: "key", "alias", "*" (no key)
  RefForms forms = RefForms::kKeyOnly;
  bool cross_account = false;
  bool dry_run = false;  // takes DryRun, answered right after authorization
  StateRule state = StateRule::kAny;
  UsageRule usage = UsageRule::kAny;
  AlgorithmRule algorithm = AlgorithmRule::kNone;
  bool read_only = true;

  // The operation a grant names to allow this action ("Encrypt").
  std::string_view grant_operation() const { return action.substr(4); }
};

// CheckState, CheckUsage and CheckAlgorithm of `spec`, in that order.
Status CheckKeyUse(const KeyRecord& key, const OperationSpec& spec, std::string_view algorithm);

namespace spec {

using U = UsageRule;
using A = AlgorithmRule;

constexpr OperationSpec Named(OperationSpec s, std::string_view name, std::string_view action) {
  s.name = name;
  s.action = action;
  return s;
}
// Cryptographic operations: any reference form, across accounts, DryRun, Enabled keys.
constexpr OperationSpec Crypto(std::string_view name, std::string_view action, UsageRule usage,
                               AlgorithmRule algorithm = AlgorithmRule::kNone, bool dry_run = true) {
  return {.name = name, .action = action, .forms = RefForms::kAny, .cross_account = true, .dry_run = dry_run,
          .state = StateRule::kEnabled, .usage = usage, .algorithm = algorithm};
}
// Operations on no key (CreateKey, ListKeys, ...): identity policies on "*".
constexpr OperationSpec Keyless(std::string_view name, std::string_view action, bool read_only) {
  return {.name = name, .action = action, .resource = "*", .read_only = read_only};
}
// Key management: key id or ARN, in the key's own account (KMS-XACCT: granting
// these to another account has no effect).
constexpr OperationSpec Manage(std::string_view name, std::string_view action, StateRule state, bool read_only,
                               UsageRule usage = UsageRule::kAny) {
  return {.name = name, .action = action, .state = state, .usage = usage, .read_only = read_only};
}
// Key id or ARN, across accounts (CreateGrant, ListGrants, RetireGrant, ...).
constexpr OperationSpec Shared(std::string_view name, std::string_view action, StateRule state, bool dry_run,
                               bool read_only) {
  return {.name = name, .action = action, .cross_account = true, .dry_run = dry_run, .state = state,
          .read_only = read_only};
}
constexpr OperationSpec OnAlias(OperationSpec s) {
  s.resource = "alias";
  return s;
}

// Cryptographic operations.
inline constexpr OperationSpec kEncrypt = Crypto("Encrypt", "kms:Encrypt", U::kEncryptDecrypt, A::kEncrypt);
inline constexpr OperationSpec kDecrypt = Crypto("Decrypt", "kms:Decrypt", U::kEncryptDecrypt, A::kDecrypt);
inline constexpr OperationSpec kReEncrypt = Crypto("ReEncrypt", "kms:ReEncrypt*", U::kAny);
inline constexpr OperationSpec kReEncryptFrom =
    Crypto("ReEncryptFrom", "kms:ReEncryptFrom", U::kEncryptDecrypt, A::kDecrypt);
// A DryRun ReEncrypt ends at its source key.
inline constexpr OperationSpec kReEncryptTo =
    Crypto("ReEncrypt", "kms:ReEncryptTo", U::kEncryptDecrypt, A::kEncrypt, /*dry_run=*/false);
inline constexpr OperationSpec kGenerateDataKey =
    Crypto("GenerateDataKey", "kms:GenerateDataKey", U::kSymmetricEncryptDecrypt);
inline constexpr OperationSpec kGenerateDataKeyWithoutPlaintext =
    Crypto("GenerateDataKeyWithoutPlaintext", "kms:GenerateDataKeyWithoutPlaintext", U::kSymmetricEncryptDecrypt);
inline constexpr OperationSpec kGenerateDataKeyPair =
    Crypto("GenerateDataKeyPair", "kms:GenerateDataKeyPair", U::kSymmetricEncryptDecrypt);
inline constexpr OperationSpec kGenerateDataKeyPairWithoutPlaintext = Crypto(
    "GenerateDataKeyPairWithoutPlaintext", "kms:GenerateDataKeyPairWithoutPlaintext", U::kSymmetricEncryptDecrypt);
inline constexpr OperationSpec kSign = Crypto("Sign", "kms:Sign", U::kSignVerify, A::kSign);
inline constexpr OperationSpec kVerify = Crypto("Verify", "kms:Verify", U::kSignVerify, A::kSign);
inline constexpr OperationSpec kGenerateMac = Crypto("GenerateMac", "kms:GenerateMac", U::kGenerateVerifyMac, A::kMac);
inline constexpr OperationSpec kVerifyMac = Crypto("VerifyMac", "kms:VerifyMac", U::kGenerateVerifyMac, A::kMac);
inline constexpr OperationSpec kGetPublicKey =
    Crypto("GetPublicKey", "kms:GetPublicKey", U::kPublicKey, A::kNone, /*dry_run=*/false);
inline constexpr OperationSpec kGenerateRandom = Keyless("GenerateRandom", "kms:GenerateRandom", true);

// Keys.
inline constexpr OperationSpec kCreateKey = Keyless("CreateKey", "kms:CreateKey", false);
inline constexpr OperationSpec kDescribeKey{.name = "DescribeKey", .action = "kms:DescribeKey",
                                            .forms = RefForms::kAny, .cross_account = true};
inline constexpr OperationSpec kListKeys = Keyless("ListKeys", "kms:ListKeys", true);
inline constexpr OperationSpec kUpdateKeyDescription =
    Manage("UpdateKeyDescription", "kms:UpdateKeyDescription", StateRule::kNotPendingDeletion, false);
inline constexpr OperationSpec kEnableKey = Manage("EnableKey", "kms:EnableKey", StateRule::kEnableDisable, false);
inline constexpr OperationSpec kDisableKey = Manage("DisableKey", "kms:DisableKey", StateRule::kEnableDisable, false);
inline constexpr OperationSpec kScheduleKeyDeletion =
    Manage("ScheduleKeyDeletion", "kms:ScheduleKeyDeletion", StateRule::kNotPendingDeletion, false);
inline constexpr OperationSpec kCancelKeyDeletion =
    Manage("CancelKeyDeletion", "kms:CancelKeyDeletion", StateRule::kPendingDeletion, false);
inline constexpr OperationSpec kEnableKeyRotation =
    Manage("EnableKeyRotation", "kms:EnableKeyRotation", StateRule::kRotatable, false);
inline constexpr OperationSpec kDisableKeyRotation =
    Manage("DisableKeyRotation", "kms:DisableKeyRotation", StateRule::kRotatable, false);
inline constexpr OperationSpec kRotateKeyOnDemand =
    Manage("RotateKeyOnDemand", "kms:RotateKeyOnDemand", StateRule::kRotateOnDemand, false);
inline constexpr OperationSpec kGetKeyRotationStatus =
    Shared("GetKeyRotationStatus", "kms:GetKeyRotationStatus", StateRule::kAny, false, true);
inline constexpr OperationSpec kListKeyRotations =
    Manage("ListKeyRotations", "kms:ListKeyRotations", StateRule::kAny, true, U::kRotationHistory);
inline constexpr OperationSpec kTagResource =
    Manage("TagResource", "kms:TagResource", StateRule::kNotPendingDeletion, false);
inline constexpr OperationSpec kUntagResource =
    Manage("UntagResource", "kms:UntagResource", StateRule::kNotPendingDeletion, false);
inline constexpr OperationSpec kListResourceTags =
    Manage("ListResourceTags", "kms:ListResourceTags", StateRule::kAny, true);
inline constexpr OperationSpec kDescribeCustomKeyStores =
    Keyless("DescribeCustomKeyStores", "kms:DescribeCustomKeyStores", true);

// Aliases (their key is the alias's target), key policies and grants.
inline constexpr OperationSpec kCreateAlias =
    OnAlias(Manage("CreateAlias", "kms:CreateAlias", StateRule::kNotPendingDeletion, false));
inline constexpr OperationSpec kUpdateAlias = Named(kCreateAlias, "UpdateAlias", "kms:UpdateAlias");
inline constexpr OperationSpec kDeleteAlias = OnAlias(Manage("DeleteAlias", "kms:DeleteAlias", StateRule::kAny, false));
inline constexpr OperationSpec kListAliases = Keyless("ListAliases", "kms:ListAliases", true);
inline constexpr OperationSpec kGetKeyPolicy = Manage("GetKeyPolicy", "kms:GetKeyPolicy", StateRule::kAny, true);
inline constexpr OperationSpec kPutKeyPolicy = Manage("PutKeyPolicy", "kms:PutKeyPolicy", StateRule::kAny, false);
inline constexpr OperationSpec kListKeyPolicies =
    Manage("ListKeyPolicies", "kms:ListKeyPolicies", StateRule::kAny, true);
inline constexpr OperationSpec kCreateGrant =
    Shared("CreateGrant", "kms:CreateGrant", StateRule::kNotPendingDeletion, true, false);
inline constexpr OperationSpec kListGrants = Shared("ListGrants", "kms:ListGrants", StateRule::kAny, false, true);
inline constexpr OperationSpec kListRetirableGrants = Keyless("ListRetirableGrants", "kms:ListRetirableGrants", true);
// RetireGrant is authorized by the grant (its retiring principal or grantee), not by policy.
inline constexpr OperationSpec kRetireGrant = Shared("RetireGrant", "kms:RetireGrant", StateRule::kAny, true, false);
inline constexpr OperationSpec kRevokeGrant = Shared("RevokeGrant", "kms:RevokeGrant", StateRule::kAny, true, false);

// Imported key material (origin EXTERNAL; the operations check the origin).
inline constexpr OperationSpec kGetParametersForImport =
    Manage("GetParametersForImport", "kms:GetParametersForImport", StateRule::kNotPendingDeletion, true);
inline constexpr OperationSpec kImportKeyMaterial =
    Manage("ImportKeyMaterial", "kms:ImportKeyMaterial", StateRule::kNotPendingDeletion, false);
inline constexpr OperationSpec kDeleteImportedKeyMaterial =
    Manage("DeleteImportedKeyMaterial", "kms:DeleteImportedKeyMaterial", StateRule::kAny, false);

// Key agreement.
inline constexpr OperationSpec kDeriveSharedSecret =
    Crypto("DeriveSharedSecret", "kms:DeriveSharedSecret", U::kKeyAgreement);

// Features crosskey does not have (UnsupportedOperationException).
inline constexpr OperationSpec kCreateCustomKeyStore =
    Keyless("CreateCustomKeyStore", "kms:CreateCustomKeyStore", false);
inline constexpr OperationSpec kConnectCustomKeyStore =
    Keyless("ConnectCustomKeyStore", "kms:ConnectCustomKeyStore", false);
inline constexpr OperationSpec kDisconnectCustomKeyStore =
    Keyless("DisconnectCustomKeyStore", "kms:DisconnectCustomKeyStore", false);
inline constexpr OperationSpec kUpdateCustomKeyStore =
    Keyless("UpdateCustomKeyStore", "kms:UpdateCustomKeyStore", false);
inline constexpr OperationSpec kDeleteCustomKeyStore =
    Keyless("DeleteCustomKeyStore", "kms:DeleteCustomKeyStore", false);
inline constexpr OperationSpec kReplicateKey = Manage("ReplicateKey", "kms:ReplicateKey", StateRule::kAny, false);
inline constexpr OperationSpec kUpdatePrimaryRegion =
    Manage("UpdatePrimaryRegion", "kms:UpdatePrimaryRegion", StateRule::kAny, false);
inline constexpr OperationSpec kGetKeyLastUsage =
    Manage("GetKeyLastUsage", "kms:GetKeyLastUsage", StateRule::kAny, true);

// Every operation of the KMS API (not the ReEncrypt halves), for tables and tests.
std::span<const OperationSpec* const> All();
// The spec of an API operation, or nullptr.
const OperationSpec* Find(std::string_view name);

}  // namespace spec

}  // namespace ck::core::kms
