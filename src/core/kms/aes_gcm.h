// AES-256-GCM seal/open with a 12-byte IV and 16-byte tag, the one AEAD every
// KMS blob and every wrapped key material uses. OpenSSL contexts are reused
// per thread, so calls are cheap enough for the data-key hot path.
//
// Thread safety: free functions; each thread uses its own cipher context.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ck::kms {

inline constexpr size_t kGcmIvSize = 12;
inline constexpr size_t kGcmTagSize = 16;

// Appends iv || ciphertext || tag to *out. `key` must be 32 bytes.
void AesGcmSeal(std::string_view key, std::string_view iv, std::string_view aad, std::string_view plaintext,
                std::string* out);
// Opens iv || ciphertext || tag; nullopt when the tag does not verify.
std::optional<std::string> AesGcmOpen(std::string_view key, std::string_view aad, std::string_view sealed);

}  // namespace ck::kms
