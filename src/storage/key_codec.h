// Order-preserving composite keys for MetadataStore tables.
//
// Services build keys from several parts (bucket, object key, version) and
// need the byte order of the encoded key to follow the order of the parts, and
// prefix scans to select "everything under this part". A string part is
// escaped (0x00 -> 0x00 0xFF) and terminated by 0x00 0x01, so any bytes are
// allowed and no encoded part is a prefix of another: "a" < "a\0" < "ab" holds
// for the encoded keys too. Integers are fixed-width big-endian, so they sort
// numerically; the Desc form sorts largest first (newest version first).
//
// Example: S3 object versions, newest first, listable by key prefix:
//   std::string k;
//   AppendKeyPart(&k, bucket); AppendKeyPart(&k, object_key);
//   AppendUint64Desc(&k, version_seq);
//   // ListObjects(prefix=p): ScanOptions.prefix = KeyPart(bucket) + KeyPrefix(p)
//
// Thread safety: pure functions; KeyReader is a plain value.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ck::storage {

void AppendKeyPart(std::string* key, std::string_view part);
// The escaped bytes without the terminator: a prefix of every encoded part
// that starts with `partial`.
void AppendKeyPrefix(std::string* key, std::string_view partial);
void AppendUint64(std::string* key, uint64_t v);
void AppendUint64Desc(std::string* key, uint64_t v);

inline std::string KeyPart(std::string_view part) {
  std::string k;
  AppendKeyPart(&k, part);
  return k;
}
inline std::string KeyPrefix(std::string_view partial) {
  std::string k;
  AppendKeyPrefix(&k, partial);
  return k;
}

// Decodes a key part by part, in the order it was built. Each Read returns
// false (and consumes nothing) when the next bytes are not of that form.
// Holds a view: the key's bytes must outlive the reader.
class KeyReader {
 public:
  explicit KeyReader(std::string_view key) : rest_(key) {}
  bool ReadPart(std::string* out);
  bool ReadUint64(uint64_t* out);
  bool ReadUint64Desc(uint64_t* out);
  bool done() const { return rest_.empty(); }

 private:
  std::string_view rest_;
};

}  // namespace ck::storage
