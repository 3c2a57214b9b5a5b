// Segment sealing for objects at rest (docs/crypto-scheme.md): AES-256-GCM
// over fixed 64 KiB segments, so range reads decrypt only what they touch and
// any tampering, truncation or reordering fails a tag.
//
// SegmentSealer is a streaming filter (not thread-safe; one per write);
// SegmentOpener is immutable after construction and safe to share.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"

namespace ck::crypto {

// On-disk format constants. DO NOT CHANGE: stored objects depend on them.
inline constexpr uint64_t kSegmentSize = 64 * 1024;
inline constexpr uint64_t kSegmentTagSize = 16;

struct SegmentKeys {
  std::string data_key;    // 32 bytes
  std::string outer_key;   // 32 bytes for DSSE (two layers), else empty
  std::string salt;        // 32 bytes, per object
};

// Sealed size of a plaintext of `n` bytes (an empty object has one empty segment).
uint64_t SealedSize(uint64_t plaintext_size, bool two_layers);
// Byte offset and length in the blob of the segments covering plaintext [first, last].
struct SealedSpan {
  uint64_t first_segment, last_segment, blob_offset, blob_length;
};
SealedSpan SpanFor(uint64_t plaintext_size, uint64_t first, uint64_t last, bool two_layers);

class SegmentSealer {
 public:
  explicit SegmentSealer(SegmentKeys keys);
  ~SegmentSealer();
  // Appends the sealed form of every completed segment to *out.
  void Update(std::string_view plaintext, std::string* out);
  // Seals the final (possibly empty) segment. No Update afterwards.
  void Finish(std::string* out);
  uint64_t plaintext_size() const { return total_; }

 private:
  void Seal(bool final, std::string* out);
  SegmentKeys keys_;
  std::string pending_;
  uint64_t index_ = 0;
  uint64_t total_ = 0;
};

class SegmentOpener {
 public:
  SegmentOpener(SegmentKeys keys, uint64_t plaintext_size);
  // Decrypts segment `index` from its sealed bytes. DataLoss when a tag fails
  // (tampered, truncated, or the wrong key).
  Result<std::string> Open(uint64_t index, std::string_view sealed) const;
  // Same, into *out (its capacity is reused: no allocation per segment on a
  // long read); `scratch` holds the inner layer for two-layer objects.
  Status OpenInto(uint64_t index, std::string_view sealed, std::string* out, std::string* scratch) const;
  uint64_t segment_count() const { return count_; }
  bool two_layers() const { return !keys_.outer_key.empty(); }

 private:
  SegmentKeys keys_;
  uint64_t size_;
  uint64_t count_;
};

// DK = HKDF-SHA256(ikm = bucket_key, salt, info = "crosskey/s3/bucket-key/v1").
std::string DeriveObjectKey(std::string_view bucket_key, std::string_view salt);
// AES-256-GCM with a random IV for wrapping small secrets: iv || ct || tag.
std::string WrapKey(std::string_view wrapping_key, std::string_view purpose, std::string_view secret);
Result<std::string> UnwrapKey(std::string_view wrapping_key, std::string_view purpose, std::string_view wrapped);

}  // namespace ck::crypto
