// Key-use semantics: what each KMS operation needs from the key it names,
// and the rules that decide whether a key may serve it (AWS-SEMANTICS §1.2,
// §1.4, §1.9). Every operation is one OperationSpec (operations.h); an
// operation on a key runs, in the order AWS checks them:
//   resolve (resolver.h: forms, cross_account) → authorize (key policy, IAM,
//   grants.h) → DryRun → CheckState → CheckUsage → CheckAlgorithm
// The checks here are the last three, pure functions of the key.
//
// Errors carry AWS's codes and texts (errors.h):
//   DisabledException        "<ARN> is disabled."
//   KMSInvalidStateException "<ARN> is pending deletion." / "... is pending
//                            import." / "... is not pending deletion."
//   InvalidKeyUsageException "<ARN> key usage is SIGN_VERIFY which is not
//                            valid for Encrypt."
//
// Thread safety: pure functions over constant tables.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"
#include "core/kms/key_model.h"

namespace ck::core::kms {

// The key-state machine: which states an operation accepts.
enum class StateRule : uint8_t {
  kAny,                 // every state (DescribeKey, GetKeyPolicy, ListGrants, RevokeGrant, ...)
  kEnabled,             // cryptographic operations: Enabled only
  kNotPendingDeletion,  // edits: UpdateKeyDescription, TagResource, CreateGrant, an alias target, ...
  kEnableDisable,       // EnableKey, DisableKey: not PendingDeletion, not PendingImport
  kPendingDeletion,     // CancelKeyDeletion
  kRotatable,           // rotation settings: symmetric AWS_KMS keys only (UnsupportedOperation), then Enabled
  kRotateOnDemand,      // RotateKeyOnDemand: Enabled, then symmetric keys only (UnsupportedOperation, empty
                        // message); imported material is the operation's own check
};

// What a key must be used for.
enum class UsageRule : uint8_t {
  kAny,
  kEncryptDecrypt,           // Encrypt, Decrypt, ReEncrypt: ENCRYPT_DECRYPT keys of any spec
  kSymmetricEncryptDecrypt,  // data keys and data key pairs: SYMMETRIC_DEFAULT keys
  kSignVerify,               // Sign, Verify
  kGenerateVerifyMac,        // GenerateMac, VerifyMac
  kKeyAgreement,             // DeriveSharedSecret
  kPublicKey,                // GetPublicKey: asymmetric keys (UnsupportedOperation)
  kRotationHistory,          // ListKeyRotations: symmetric keys (UnsupportedOperation)
};

// Which algorithm family a request names, checked against the key's spec.
enum class AlgorithmRule : uint8_t {
  kNone,
  kEncrypt,  // EncryptionAlgorithm; empty means SYMMETRIC_DEFAULT
  kDecrypt,  // as kEncrypt, but a symmetric key with another algorithm is InvalidCiphertext
  kSign,     // SigningAlgorithm
  kMac,      // MacAlgorithm
};

Status CheckState(const KeyRecord& key, StateRule rule);
// `operation` names the operation in InvalidKeyUsageException's text.
Status CheckUsage(const KeyRecord& key, UsageRule rule, std::string_view operation);
Status CheckAlgorithm(const KeyRecord& key, AlgorithmRule rule, std::string_view algorithm);

// CreateKey's rules for a spec, usage and origin: what crosskey does not
// support (UnsupportedOperationException), a KeyUsage every spec but
// SYMMETRIC_DEFAULT needs (`usage` empty: the request has none), and the
// usages AWS allows per spec (ValidationException).
Status CheckNewKey(std::string_view spec, std::string_view usage, std::string_view origin);

// AliasName rules (AWS-SEMANTICS §1.1): "alias/" prefix, 1–256 characters of
// [A-Za-z0-9/_-] after it, and (unless `allow_reserved`) not "alias/aws/...".
Status CheckAliasName(std::string_view name, bool allow_reserved);

// UnsupportedOperationException "<what> is not supported by crosskey.".
Status Unsupported(std::string_view what);

}  // namespace ck::core::kms
