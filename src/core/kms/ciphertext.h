// The symmetric ciphertext blob crosskey's KMS returns (docs/kms.md "Blob
// format"). The header names the key (account, region, key id) and the key
// material version, so Decrypt needs no KeyId and blobs made before a
// rotation stay readable. The header and the canonical encryption context are
// the AES-GCM additional data, so a changed header, a wrong context or any
// flipped bit fails authentication.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "base/status.h"

namespace ck::core::kms {

// Sorted by key byte order, which is what canonicalization needs.
using EncryptionContext = std::map<std::string, std::string>;

struct BlobHeader {
  // REQUIRES (SealBlob): account is 12 digits, region and key_id are under
  // 256 bytes; other headers do not round-trip.
  std::string account;
  std::string region;
  std::string key_id;
  uint32_t version = 0;  // key material version
};

// len(k) k len(v) v ... with 4-byte big-endian lengths, pairs in key order.
std::string CanonicalContext(const EncryptionContext& context);
void AppendCanonicalContext(const EncryptionContext& context, std::string* out);

// The blob for `plaintext` under the 32-byte `key`.
std::string SealBlob(const BlobHeader& header, std::string_view key, std::string_view plaintext,
                     const EncryptionContext& context);

// The header, or InvalidCiphertextException (empty message) when the bytes are
// not a crosskey blob.
Result<BlobHeader> ParseBlobHeader(std::string_view blob);

// The plaintext, or InvalidCiphertextException (empty message) when the key,
// the context or the bytes are wrong.
Result<std::string> OpenBlob(std::string_view blob, std::string_view key, const EncryptionContext& context);

Status InvalidCiphertext();

}  // namespace ck::core::kms
