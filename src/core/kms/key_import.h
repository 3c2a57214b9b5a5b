// Importing key material into a key of origin EXTERNAL (AWS KMS "Importing
// key material"): the wrapping key pair and import token that
// GetParametersForImport hands out, unwrapping the EncryptedKeyMaterial that
// ImportKeyMaterial receives, the checks the material must pass for the key
// spec, and the ids of imported material.
//
//   GetParametersForImport → RSA wrapping key pair (2048/3072/4096 bits),
//     token = AES-256-GCM(master key, AAD = "crosskey-kms-import-token-v1\n"
//             + key ARN, version 1 | valid-to | algorithm | spec | private key)
//   ImportKeyMaterial(token, wrapped) → open the token (InvalidImportToken-
//     Exception / ExpiredImportTokenException) → unwrap with its private key
//     (InvalidCiphertextException) → check the material for the key spec
//     (IncorrectKeyMaterialException)
//
// The token carries the wrapping private key itself, sealed under the server
// master key, so every token issued stays usable until it expires (24 hours,
// as in AWS) and the server stores nothing for it. A token is bound to the
// key it was issued for.
//
// Wrapping algorithms (the client side: RFC 8017 RSAES-OAEP, RFC 5649 AES key
// wrap with padding):
//   RSAES_OAEP_SHA_1 / _SHA_256            wrapped = RSA-OAEP(material), MGF1
//                                          with the same hash
//   RSA_AES_KEY_WRAP_SHA_1 / _SHA_256      wrapped = RSA-OAEP(AES-256 key) ||
//                                          AES-KWP(AES key, material)
//
// Material per key spec (AWS "Requirements for imported key material"):
// SYMMETRIC_DEFAULT 32 bytes; HMAC_224 28–64, HMAC_256 32–64, HMAC_384 48–128,
// HMAC_512 64–128 bytes; RSA and ECC specs a PKCS#8 DER private key of that
// size or curve (stored re-encoded, so the same key in another encoding is
// the same material).
//
// Thread safety: pure functions.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>

#include "base/clock.h"
#include "base/status.h"

namespace ck::core::kms {

// How long a wrapping key and its import token are valid.
inline constexpr std::chrono::hours kImportParametersLifetime{24};

struct ImportParameters {
  std::string wrapping_algorithm;  // RSAES_OAEP_SHA_1, RSAES_OAEP_SHA_256, RSA_AES_KEY_WRAP_SHA_1, ..._SHA_256
  std::string wrapping_key_spec;   // RSA_2048, RSA_3072, RSA_4096
  std::string private_key;         // the wrapping key, PKCS#8 DER
  TimePoint valid_to{};            // whole seconds
};

// GetParametersForImport's choice of algorithm and wrapping key spec:
// ValidationException for the ones AWS no longer serves (RSAES_PKCS1_V1_5)
// or serves only in its China Regions (SM2, SM2PKE).
Status CheckWrapping(std::string_view algorithm, std::string_view key_spec);

// A fresh wrapping key: the parameters (with its private key) and the public
// key, DER SubjectPublicKeyInfo.
Result<std::pair<ImportParameters, std::string>> NewImportParameters(std::string_view algorithm,
                                                                     std::string_view key_spec, TimePoint valid_to);

// The import token of `p` for the key `key_arn`.
std::string SealImportToken(std::string_view master_key, const std::string& key_arn, const ImportParameters& p);
// The parameters a token carries: InvalidImportTokenException when it is not
// a token this server issued for `key_arn`, ExpiredImportTokenException once
// `now` is past its validity.
Result<ImportParameters> OpenImportToken(std::string_view master_key, const std::string& key_arn,
                                         std::string_view token, TimePoint now);

// The key material wrapped in `encrypted` (InvalidCiphertextException, empty
// message, when it does not unwrap with the token's key and algorithm).
Result<std::string> UnwrapKeyMaterial(const ImportParameters& p, std::string_view encrypted);

// The material as a key of `key_spec` keeps it, or IncorrectKeyMaterialException
// when it does not fit the spec.
Result<std::string> CheckImportedMaterial(std::string_view key_spec, std::string_view material);

// The KeyMaterialId of imported material: derived from the key id and the
// material (64 hex digits), so importing the same material again finds it.
std::string ImportedMaterialId(std::string_view key_id, std::string_view material);

}  // namespace ck::core::kms
