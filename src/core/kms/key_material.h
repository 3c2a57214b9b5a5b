// Key material: generation for every supported key spec, and the primitive
// operations on it (RSA OAEP, RSA/ECDSA signatures, HMAC), all with OpenSSL 3.
// Symmetric material is 32 random bytes; HMAC material has the digest's block-
// independent AWS sizes; asymmetric material is a PKCS#8 DER private key.
//
// Errors are plain Statuses with AWS codes where the caller can pass them on
// (KMSInvalidSignatureException, InvalidCiphertextException...).
// Thread safety: pure functions; AsymmetricKey is immutable and shareable.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace ck::core::kms {

enum class SpecFamily { kSymmetric, kRsa, kEcc, kHmac, kUnsupported };

SpecFamily FamilyOf(std::string_view key_spec);
// RSA modulus bits, EC curve name (OpenSSL), HMAC digest name.
int RsaBits(std::string_view key_spec);
// Key usages AWS allows for the spec (first is the default).
std::vector<std::string> AllowedUsages(std::string_view key_spec);
std::vector<std::string> EncryptionAlgorithmsFor(std::string_view key_spec, std::string_view usage);
std::vector<std::string> SigningAlgorithmsFor(std::string_view key_spec, std::string_view usage);
std::vector<std::string> MacAlgorithmsFor(std::string_view key_spec);
std::vector<std::string> KeyAgreementAlgorithmsFor(std::string_view key_spec, std::string_view usage);
// The largest plaintext RSAES_OAEP_SHA_1/_SHA_256 encrypts under an RSA key
// spec: the modulus size less twice the digest size less 2 (RFC 8017 §7.1.1).
size_t MaxPlaintextSize(std::string_view key_spec, std::string_view algorithm);

// New private material for a spec: raw bytes (symmetric, HMAC) or PKCS#8 DER.
Result<std::string> GenerateMaterial(std::string_view key_spec);

// An asymmetric key loaded from PKCS#8 DER.
class AsymmetricKey {
 public:
  static Result<std::shared_ptr<const AsymmetricKey>> Load(std::string_view pkcs8_der);
  ~AsymmetricKey();
  AsymmetricKey(const AsymmetricKey&) = delete;
  AsymmetricKey& operator=(const AsymmetricKey&) = delete;

  const std::string& public_key_der() const { return public_der_; }  // SubjectPublicKeyInfo
  // RSAES_OAEP_SHA_1 / RSAES_OAEP_SHA_256.
  Result<std::string> Encrypt(std::string_view algorithm, std::string_view plaintext) const;
  Result<std::string> Decrypt(std::string_view algorithm, std::string_view ciphertext) const;
  // message_is_digest: MessageType DIGEST (the message is already the hash).
  Result<std::string> Sign(std::string_view algorithm, std::string_view message, bool message_is_digest) const;
  Result<bool> Verify(std::string_view algorithm, std::string_view message, bool message_is_digest,
                      std::string_view signature) const;
  // ECDH with the peer's public key (DER SubjectPublicKeyInfo on the same
  // curve): the raw shared secret. ValidationException (empty message, as
  // AWS answers) when the peer key is not one.
  Result<std::string> DeriveSharedSecret(std::string_view peer_public_key_der) const;

 private:
  AsymmetricKey() = default;
  void* pkey_ = nullptr;  // EVP_PKEY*
  std::string public_der_;
};

// A fresh key pair for GenerateDataKeyPair: {PKCS#8 DER private, SPKI DER public}.
Result<std::pair<std::string, std::string>> GenerateKeyPair(std::string_view pair_spec);

// HMAC with the digest of an HMAC_xxx key spec.
std::string Hmac(std::string_view mac_algorithm, std::string_view key, std::string_view message);
// The digest length of a signing algorithm's hash, for MessageType DIGEST checks.
size_t DigestSizeOf(std::string_view signing_algorithm);

}  // namespace ck::core::kms
