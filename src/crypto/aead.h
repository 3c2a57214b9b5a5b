// AES-256-GCM, the one AEAD crosskey uses: KMS ciphertext blobs, wrapped key
// material, S3 object segments, DynamoDB items and Secrets Manager values.
//
// The cipher is fetched from the OpenSSL provider once and each thread reuses
// one cipher context: an implicit fetch plus a fresh context per call costs
// more than sealing a 32-byte data key.
//
// Thread safety: free functions; each thread uses its own cipher context.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ck::crypto {

inline constexpr size_t kAesGcmKeySize = 32;
inline constexpr size_t kAesGcmIvSize = 12;
inline constexpr size_t kAesGcmTagSize = 16;

// Appends ciphertext || tag of `plaintext` to *out. `key` is 32 bytes, `iv` 12.
void AesGcmEncrypt(std::string_view key, std::string_view iv, std::string_view aad, std::string_view plaintext,
                   std::string* out);
// Opens ciphertext || tag into *out (replacing its contents); false, with *out
// cleared, when the input is too short or the tag does not verify.
bool AesGcmDecrypt(std::string_view key, std::string_view iv, std::string_view aad, std::string_view sealed,
                   std::string* out);

// The self-describing framing: appends iv || ciphertext || tag to *out.
void AesGcmSeal(std::string_view key, std::string_view iv, std::string_view aad, std::string_view plaintext,
                std::string* out);
// Opens iv || ciphertext || tag; nullopt when the tag does not verify.
std::optional<std::string> AesGcmOpen(std::string_view key, std::string_view aad, std::string_view sealed);

}  // namespace ck::crypto
