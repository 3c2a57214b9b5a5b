#include "core/kms/key_rules.h"

#include <algorithm>
#include <cctype>

#include "core/kms/errors.h"

namespace ck::core::kms {

namespace {

bool Contains(const std::vector<std::string>& v, std::string_view s) { return std::find(v.begin(), v.end(), s) != v.end(); }

// "<ARN> is disabled." / "... is pending deletion." / "... is pending import.".
Status NotEnabled(const KeyRecord& k) {
  switch (k.state) {
    case KeyState::kEnabled: return Status::Ok();
    case KeyState::kDisabled: return errors::Disabled(k.arn + " is disabled.");
    case KeyState::kPendingDeletion: return errors::InvalidState(k.arn + " is pending deletion.");
    case KeyState::kPendingImport: return errors::InvalidState(k.arn + " is pending import.");
  }
  return Status::Ok();
}

Status NotRotatable(const KeyRecord& k) {
  return errors::UnsupportedOperation(k.arn + " key spec " + k.spec + " (origin " + k.origin +
                                      ") does not support key rotation.");
}

// AWS-SEMANTICS §1.4 (recorded): "<ARN> key usage is SIGN_VERIFY which is not valid for Encrypt."
Status WrongUsage(const KeyRecord& k, std::string_view operation) {
  return errors::InvalidKeyUsage(k.arn + " key usage is " + k.usage + " which is not valid for " +
                                 std::string(operation) + ".");
}

// INFERRED message; AWS's exact text for a mismatched algorithm was not found.
Status AlgorithmMismatch(const KeyRecord& k, std::string_view algorithm) {
  return errors::InvalidKeyUsage("Algorithm " + std::string(algorithm) + " is incompatible with key spec " + k.spec +
                                 ".");
}

std::string_view OrDefault(std::string_view algorithm) {
  return algorithm.empty() ? std::string_view("SYMMETRIC_DEFAULT") : algorithm;
}

// Whether `algorithm` is one of EncryptionAlgorithmsFor(key): for symmetric
// keys (the in-process hot path) without building the list.
bool EncryptsWith(const KeyRecord& k, std::string_view algorithm) {
  if (k.symmetric()) return algorithm == "SYMMETRIC_DEFAULT";
  return Contains(EncryptionAlgorithmsFor(k.spec, k.usage), algorithm);
}

}  // namespace

Status CheckState(const KeyRecord& k, StateRule rule) {
  switch (rule) {
    case StateRule::kAny: return Status::Ok();
    case StateRule::kEnabled: return NotEnabled(k);
    case StateRule::kNotPendingDeletion:
      return k.state == KeyState::kPendingDeletion ? NotEnabled(k) : Status::Ok();
    case StateRule::kEnableDisable:
      return k.state == KeyState::kPendingDeletion || k.state == KeyState::kPendingImport ? NotEnabled(k)
                                                                                          : Status::Ok();
    case StateRule::kPendingDeletion:
      // KMS-STATE fn[4]; the trailing period is INFERRED from sibling messages.
      return k.state == KeyState::kPendingDeletion ? Status::Ok()
                                                   : errors::InvalidState(k.arn + " is not pending deletion.");
    case StateRule::kRotatable:
      if (!k.symmetric() || k.origin != "AWS_KMS") return NotRotatable(k);
      return NotEnabled(k);
    case StateRule::kRotateOnDemand:
      // Recorded (2025): a disabled asymmetric key is DisabledException, an
      // enabled one UnsupportedOperationException with an empty message.
      CK_RETURN_IF_ERROR(NotEnabled(k));
      if (!k.symmetric()) return errors::UnsupportedOperation("");
      return Status::Ok();
  }
  return Status::Ok();
}

Status CheckUsage(const KeyRecord& k, UsageRule rule, std::string_view operation) {
  switch (rule) {
    case UsageRule::kAny: return Status::Ok();
    case UsageRule::kEncryptDecrypt:
      return k.usage == "ENCRYPT_DECRYPT" ? Status::Ok() : WrongUsage(k, operation);
    case UsageRule::kSymmetricEncryptDecrypt:
      return k.usage == "ENCRYPT_DECRYPT" && k.symmetric() ? Status::Ok() : WrongUsage(k, operation);
    case UsageRule::kSignVerify: return k.usage == "SIGN_VERIFY" ? Status::Ok() : WrongUsage(k, operation);
    case UsageRule::kGenerateVerifyMac:
      return k.usage == "GENERATE_VERIFY_MAC" ? Status::Ok() : WrongUsage(k, operation);
    case UsageRule::kKeyAgreement: return k.usage == "KEY_AGREEMENT" ? Status::Ok() : WrongUsage(k, operation);
    case UsageRule::kPublicKey:
      if (FamilyOf(k.spec) == SpecFamily::kRsa || FamilyOf(k.spec) == SpecFamily::kEcc) return Status::Ok();
      return errors::UnsupportedOperation(k.arn + " key usage is " + k.usage + " which is not valid for " +
                                          std::string(operation) + ".");
    case UsageRule::kRotationHistory: return k.symmetric() ? Status::Ok() : NotRotatable(k);
  }
  return Status::Ok();
}

Status CheckAlgorithm(const KeyRecord& k, AlgorithmRule rule, std::string_view algorithm) {
  switch (rule) {
    case AlgorithmRule::kNone: return Status::Ok();
    case AlgorithmRule::kEncrypt:
      if (EncryptsWith(k, OrDefault(algorithm))) return Status::Ok();
      return AlgorithmMismatch(k, OrDefault(algorithm));
    case AlgorithmRule::kDecrypt:
      if (EncryptsWith(k, OrDefault(algorithm))) return Status::Ok();
      if (k.symmetric()) return errors::InvalidCiphertext("");
      return errors::InvalidKeyUsage("The encryption algorithm " + std::string(OrDefault(algorithm)) +
                                     " is not compatible with the type of key you specified.");
    case AlgorithmRule::kSign:
      return Contains(SigningAlgorithmsFor(k.spec, k.usage), algorithm) ? Status::Ok()
                                                                         : AlgorithmMismatch(k, algorithm);
    case AlgorithmRule::kMac:
      return Contains(MacAlgorithmsFor(k.spec), algorithm) ? Status::Ok() : AlgorithmMismatch(k, algorithm);
  }
  return Status::Ok();
}

Status Unsupported(std::string_view what) {
  return errors::UnsupportedOperation(std::string(what) + " is not supported by crosskey.");
}

Status CheckNewKey(std::string_view spec, std::string_view usage, std::string_view origin) {
  if (origin == "AWS_CLOUDHSM" || origin == "EXTERNAL_KEY_STORE") return Unsupported("Custom key stores");
  if (FamilyOf(spec) == SpecFamily::kUnsupported) return Unsupported("KeySpec " + std::string(spec));
  if (usage.empty()) {
    if (spec == "SYMMETRIC_DEFAULT") return Status::Ok();
    return errors::Validation("You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.");
  }
  if (!Contains(AllowedUsages(spec), usage))
    return errors::Validation("KeyUsage " + std::string(usage) + " is not compatible with KeySpec " +
                              std::string(spec));
  return Status::Ok();
}

// AWS-SEMANTICS §1.1. The reserved-prefix error code is UNVERIFIED; we use
// InvalidAliasNameException, the model's error for an unacceptable alias name.
Status CheckAliasName(std::string_view name, bool allow_reserved) {
  if (!name.starts_with("alias/"))
    return errors::Validation(
        "Alias must start with the prefix \"alias/\". Please see "
        "https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html");
  if (name.size() == 6 || name.size() > 256)
    return errors::Validation("Alias name must be between 1 and 256 characters after alias/.");
  for (char ch : name)
    if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '/' || ch == '_' || ch == '-'))
      return errors::Validation("Alias name contains an invalid character: " + std::string(name));
  if (!allow_reserved && name.starts_with("alias/aws/"))
    return errors::InvalidAliasName(
        "Alias names cannot begin with alias/aws/. That prefix is reserved for AWS managed keys.");
  return Status::Ok();
}

}  // namespace ck::core::kms
