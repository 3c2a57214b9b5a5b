// Sign, Verify, GetPublicKey, GenerateMac, VerifyMac, DeriveSharedSecret.
#include <openssl/crypto.h>

#include "services/kms/errors.h"
#include "services/kms/kms_ops.h"
#include "services/kms/kms_shapes.h"

namespace ck::services::kms {

namespace ak = api::kms;
namespace spec = core::kms::spec;
using core::kms::KeyRecord;

namespace {

bool IsDigest(const std::optional<EnumValue<ak::MessageType>>& type) { return type && *type == ak::MessageType::kDigest; }

// MessageType DIGEST: the message must be the hash the algorithm signs.
Status CheckDigest(bool digest, const Bytes& message, std::string_view algorithm) {
  if (digest && message.size() != core::kms::DigestSizeOf(algorithm))
    return errors::Validation("Digest is invalid length for algorithm " + std::string(algorithm) + ".");
  return Status::Ok();
}

}  // namespace

Result<ak::SignResponse> SigningOps::Sign(const ak::SignRequest& in, KmsCall& c) {
  std::string_view algorithm = in.signing_algorithm.str();
  KeyUse use{.dry_run = in.dry_run.value_or(false), .algorithm = algorithm};
  return access_.WithKey(c, spec::kSign, in.key_id, std::move(use), [&](const KeyRecord& k) -> Result<ak::SignResponse> {
    bool digest = IsDigest(in.message_type);
    CK_RETURN_IF_ERROR(CheckDigest(digest, in.message, algorithm));
    CK_ASSIGN_OR_RETURN(auto signature, k.asymmetric->Sign(algorithm, in.message.view(), digest));
    ak::SignResponse out;
    out.key_id = k.arn;
    out.signature = std::move(signature);
    out.signing_algorithm = in.signing_algorithm;
    return out;
  });
}

Result<ak::VerifyResponse> SigningOps::Verify(const ak::VerifyRequest& in, KmsCall& c) {
  std::string_view algorithm = in.signing_algorithm.str();
  KeyUse use{.dry_run = in.dry_run.value_or(false), .algorithm = algorithm};
  return access_.WithKey(
      c, spec::kVerify, in.key_id, std::move(use), [&](const KeyRecord& k) -> Result<ak::VerifyResponse> {
        bool digest = IsDigest(in.message_type);
        CK_RETURN_IF_ERROR(CheckDigest(digest, in.message, algorithm));
        CK_ASSIGN_OR_RETURN(bool valid, k.asymmetric->Verify(algorithm, in.message.view(), digest, in.signature.view()));
        if (!valid) return errors::InvalidSignature("");
        ak::VerifyResponse out;
        out.key_id = k.arn;
        out.signature_valid = true;
        out.signing_algorithm = in.signing_algorithm;
        return out;
      });
}

Result<ak::GetPublicKeyResponse> SigningOps::GetPublicKey(const ak::GetPublicKeyRequest& in, KmsCall& c) {
  return access_.WithKey(c, spec::kGetPublicKey, in.key_id, {}, [&](const KeyRecord& k) -> Result<ak::GetPublicKeyResponse> {
    if (!k.asymmetric)  // an asymmetric spec without material: cannot happen with AWS_KMS origin
      return errors::UnsupportedOperation(k.arn + " key usage is " + k.usage + " which is not valid for GetPublicKey.");
    ak::GetPublicKeyResponse out;
    out.key_id = k.arn;
    out.public_key = k.asymmetric->public_key_der();
    out.customer_master_key_spec = EnumOf<ak::CustomerMasterKeySpec>(k.spec);
    out.key_spec = EnumOf<ak::KeySpec>(k.spec);
    out.key_usage = EnumOf<ak::KeyUsageType>(k.usage);
    auto enc = core::kms::EncryptionAlgorithmsFor(k.spec, k.usage);
    if (!enc.empty()) out.encryption_algorithms = EnumsOf<ak::EncryptionAlgorithmSpec>(enc);
    auto sig = core::kms::SigningAlgorithmsFor(k.spec, k.usage);
    if (!sig.empty()) out.signing_algorithms = EnumsOf<ak::SigningAlgorithmSpec>(sig);
    auto agreement = core::kms::KeyAgreementAlgorithmsFor(k.spec, k.usage);
    if (!agreement.empty()) out.key_agreement_algorithms = EnumsOf<ak::KeyAgreementAlgorithmSpec>(agreement);
    return out;
  });
}

Result<ak::GenerateMacResponse> SigningOps::GenerateMac(const ak::GenerateMacRequest& in, KmsCall& c) {
  std::string_view algorithm = in.mac_algorithm.str();
  KeyUse use{.dry_run = in.dry_run.value_or(false), .algorithm = algorithm};
  return access_.WithKey(c, spec::kGenerateMac, in.key_id, std::move(use),
                         [&](const KeyRecord& k) -> Result<ak::GenerateMacResponse> {
                           ak::GenerateMacResponse out;
                           out.mac = core::kms::Hmac(algorithm, k.Current().plain, in.message.view());
                           out.mac_algorithm = in.mac_algorithm;
                           out.key_id = k.arn;
                           return out;
                         });
}

Result<ak::VerifyMacResponse> SigningOps::VerifyMac(const ak::VerifyMacRequest& in, KmsCall& c) {
  std::string_view algorithm = in.mac_algorithm.str();
  KeyUse use{.dry_run = in.dry_run.value_or(false), .algorithm = algorithm};
  return access_.WithKey(c, spec::kVerifyMac, in.key_id, std::move(use),
                         [&](const KeyRecord& k) -> Result<ak::VerifyMacResponse> {
                           std::string expected = core::kms::Hmac(algorithm, k.Current().plain, in.message.view());
                           const std::string& mac = in.mac.str();
                           if (expected.size() != mac.size() ||
                               CRYPTO_memcmp(expected.data(), mac.data(), mac.size()) != 0)
                             return errors::InvalidMac("");
                           ak::VerifyMacResponse out;
                           out.key_id = k.arn;
                           out.mac_valid = true;
                           out.mac_algorithm = in.mac_algorithm;
                           return out;
                         });
}

Result<ak::DeriveSharedSecretResponse> SigningOps::DeriveSharedSecret(const ak::DeriveSharedSecretRequest& in,
                                                                      KmsCall& c) {
  KeyUse use{.dry_run = in.dry_run.value_or(false)};
  return access_.WithKey(c, spec::kDeriveSharedSecret, in.key_id, std::move(use),
                         [&](const KeyRecord& k) -> Result<ak::DeriveSharedSecretResponse> {
                           if (in.recipient) return core::kms::Unsupported("Recipient (Nitro Enclaves)");
                           CK_ASSIGN_OR_RETURN(auto secret, k.asymmetric->DeriveSharedSecret(in.public_key.view()));
                           ak::DeriveSharedSecretResponse out;
                           out.key_id = k.arn;
                           out.shared_secret = std::move(secret);
                           out.key_agreement_algorithm = in.key_agreement_algorithm;
                           out.key_origin = EnumOf<ak::OriginType>(k.origin);
                           return out;
                         });
}

}  // namespace ck::services::kms
