// OpenSSL-backed digests and MACs with RAII. Incremental hashers are used on
// streaming bodies (ETag MD5, x-amz-content-sha256, checksums).
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace ck::crypto {

std::string Sha256(std::string_view data);        // raw 32 bytes
std::string Md5(std::string_view data);           // raw 16 bytes
std::string Sha1(std::string_view data);          // raw 20 bytes
std::string HmacSha256(std::string_view key, std::string_view data);  // raw 32 bytes
std::string HmacSha1(std::string_view key, std::string_view data);    // raw 20 bytes (SigV2 only)
// Cryptographically secure random bytes (OpenSSL RAND_bytes, drawn through a
// per-thread pool for small requests).
std::string RandomBytes(size_t n);
void RandomFill(void* out, size_t n);

enum class DigestAlgorithm { kMd5, kSha1, kSha256 };

// Incremental digest. Not thread-safe; one per stream.
class Hasher {
 public:
  explicit Hasher(DigestAlgorithm alg);
  ~Hasher();
  Hasher(Hasher&&) noexcept;
  Hasher& operator=(Hasher&&) noexcept;
  void Update(std::string_view data);
  // Returns the raw digest; the hasher must not be updated afterwards.
  std::string Final();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ck::crypto
