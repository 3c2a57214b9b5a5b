// Incremental checksums for S3 flexible checksums (x-amz-checksum-*): CRC32,
// CRC32C, CRC64NVME, SHA1 and SHA256. S3 transmits each as the base64 of the
// big-endian digest; Checksummer produces exactly that.
//
// CRC32C uses SSE4.2 (chosen at run time) or slicing-by-8; CRC32 (zlib's
// polynomial, computed here so ck_crypto needs no zlib) and CRC64NVME use
// slicing-by-8. CombineCrc joins two CRCs of adjacent byte
// ranges without re-reading the data (full-object checksums of multipart
// uploads). A Checksummer is not thread-safe: one per stream. The free
// functions are thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace ck::crypto {

enum class ChecksumAlgorithm { kCrc32, kCrc32c, kCrc64Nvme, kSha1, kSha256 };

// Accepts, case-insensitively, "CRC32", "crc32c", "CRC64NVME", "SHA1",
// "SHA256" and the header forms "x-amz-checksum-crc32" etc.
std::optional<ChecksumAlgorithm> ParseChecksumAlgorithm(std::string_view name);
// "CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256" (as in x-amz-checksum-algorithm).
const char* ChecksumAlgorithmName(ChecksumAlgorithm alg);
// "x-amz-checksum-crc32" ...
std::string ChecksumHeaderName(ChecksumAlgorithm alg);
// Digest size in bytes: 4, 4, 8, 20, 32.
size_t ChecksumDigestSize(ChecksumAlgorithm alg);
bool IsCrc(ChecksumAlgorithm alg);

// Raw CRC register functions. `crc` is the previous result (0 to start), so
// Crc32c(Crc32c(0, a), b) == Crc32c(0, a + b).
uint32_t Crc32(uint32_t crc, std::string_view data);
uint32_t Crc32c(uint32_t crc, std::string_view data);
uint64_t Crc64Nvme(uint64_t crc, std::string_view data);

// CRC of A||B from crc(A), crc(B) and |B|. Values are the integer CRCs.
uint32_t Crc32Combine(uint32_t crc_a, uint32_t crc_b, uint64_t len_b);
uint32_t Crc32cCombine(uint32_t crc_a, uint32_t crc_b, uint64_t len_b);
uint64_t Crc64NvmeCombine(uint64_t crc_a, uint64_t crc_b, uint64_t len_b);
// Same on raw big-endian digests (as FinalRaw returns) of a CRC algorithm.
// Returns nullopt for SHA algorithms or wrong digest sizes.
std::optional<std::string> CombineCrc(ChecksumAlgorithm alg, std::string_view raw_a, std::string_view raw_b,
                                      uint64_t len_b);

// True when CRC32C runs on the SSE4.2 instruction.
bool Crc32cIsHardwareAccelerated();

class Checksummer {
 public:
  explicit Checksummer(ChecksumAlgorithm alg);
  ~Checksummer();
  Checksummer(Checksummer&&) noexcept;
  Checksummer& operator=(Checksummer&&) noexcept;

  ChecksumAlgorithm algorithm() const { return alg_; }
  void Update(std::string_view data);
  // Big-endian digest bytes. Call once; no Update afterwards.
  std::string FinalRaw();
  std::string FinalBase64();

 private:
  struct ShaState;
  ChecksumAlgorithm alg_;
  uint64_t crc_ = 0;
  std::unique_ptr<ShaState> sha_;
};

// One-shot convenience: base64 checksum of `data`.
std::string ComputeChecksumBase64(ChecksumAlgorithm alg, std::string_view data);

}  // namespace ck::crypto
