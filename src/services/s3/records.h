// The S3 service's stored records and where they live in the MetadataStore.
//
// Tables (keys built with storage/key_codec.h so byte order = S3 order):
//   s3.buckets   name                                  → BucketRecord JSON
//   s3.objects   part(bucket) part(key)                → the current version of a key
//                                                         (absent when it is a delete marker)
//   s3.versions  part(bucket) part(key) u64desc(seq)   → every version of a key (versioned
//                                                         buckets only), newest first
//   s3.uploads   part(bucket) part(key) part(uploadId) → UploadRecord JSON
//   s3.parts     part(uploadId) u64(partNumber)        → PartRecord JSON
// An object's bytes are one or more blobs ("segments": one for PutObject, one
// per part for multipart), so CompleteMultipartUpload never copies data.
//
// Encryption: ObjectRecord::encryption / UploadRecord::encryption hold the
// keys' description (sse_keys.h) and Segment::sealing each blob's salt
// (sealed_blob.h); docs/crypto-scheme.md is the format.
//
// Thread safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"

namespace ck::services::s3 {

inline constexpr char kBucketsTable[] = "s3.buckets";
inline constexpr char kObjectsTable[] = "s3.objects";
inline constexpr char kVersionsTable[] = "s3.versions";
inline constexpr char kUploadsTable[] = "s3.uploads";
inline constexpr char kPartsTable[] = "s3.parts";

struct BucketRecord {
  std::string name;
  std::string owner;   // account id
  std::string region;
  double created = 0;  // epoch seconds
  std::string versioning;  // "", "Enabled", "Suspended"
  std::string ownership = "BucketOwnerEnforced";  // "" once deleted
  std::optional<std::string> policy;
  std::optional<nlohmann::json> public_access_block;  // PublicAccessBlockConfiguration document
  std::optional<nlohmann::json> tags;                 // TagSet array
  std::optional<nlohmann::json> cors;                 // CORSRules array
  std::optional<nlohmann::json> encryption;           // ServerSideEncryptionConfiguration, verbatim
  std::optional<nlohmann::json> acl;                  // AccessControlPolicy (ObjectWriter / Preferred buckets)

  nlohmann::json ToJson() const;
  static Result<BucketRecord> FromJson(const std::string& text);
};

// One stored blob of an object: a whole PutObject body or one part.
struct Segment {
  std::string blob;
  uint64_t size = 0;       // plaintext bytes
  std::string md5_hex;     // the part's ETag (multipart) or the object's MD5
  std::string checksum;    // part checksum (base64) in the upload's algorithm, if any
  nlohmann::json sealing;  // per-segment encryption parameters (issue 6); null = stored as is
};

struct ObjectRecord {
  std::string key;
  std::string version_id = "null";
  uint64_t seq = 0;            // version order; 0 for objects written while unversioned
  bool delete_marker = false;
  uint64_t size = 0;
  std::string etag;            // without quotes: hex MD5, or hex-N for multipart
  double mtime = 0;            // epoch seconds (millisecond precision)
  std::string owner;           // account id
  int parts_count = 0;         // 0 = single PUT
  std::vector<Segment> segments;
  // Standard headers by model member name: ContentType, ContentEncoding,
  // ContentDisposition, ContentLanguage, CacheControl, Expires (epoch text),
  // WebsiteRedirectLocation.
  std::map<std::string, std::string> headers;
  std::map<std::string, std::string> metadata;  // x-amz-meta-* (lower-cased names)
  std::vector<std::pair<std::string, std::string>> tags;
  std::string checksum_algorithm;  // "CRC32", ... or ""
  std::string checksum;            // base64 ("...-N" for composite multipart)
  std::string checksum_type;       // "FULL_OBJECT" / "COMPOSITE"
  std::string storage_class = "STANDARD";
  nlohmann::json encryption;       // SSE description (issue 6); null = none recorded

  nlohmann::json ToJson() const;
  std::string Serialize() const { return ToJson().dump(); }
  static Result<ObjectRecord> FromJson(const std::string& text);
};

struct UploadRecord {
  std::string upload_id;
  std::string key;
  std::string initiator_arn;
  std::string initiator_account;
  std::string owner;
  double initiated = 0;
  std::map<std::string, std::string> headers;
  std::map<std::string, std::string> metadata;
  std::vector<std::pair<std::string, std::string>> tags;
  std::string checksum_algorithm;
  std::string checksum_type;
  std::string storage_class = "STANDARD";
  nlohmann::json encryption;

  nlohmann::json ToJson() const;
  static Result<UploadRecord> FromJson(const std::string& text);
};

struct PartRecord {
  int number = 0;
  Segment segment;
  double mtime = 0;

  nlohmann::json ToJson() const;
  static Result<PartRecord> FromJson(const std::string& text);
};

// Table keys.
std::string ObjectKey(const std::string& bucket, const std::string& key);
std::string ObjectPrefix(const std::string& bucket, const std::string& key_prefix);  // scan prefix
std::string VersionKey(const std::string& bucket, const std::string& key, uint64_t seq);
std::string VersionsOfKey(const std::string& bucket, const std::string& key);
std::string UploadKey(const std::string& bucket, const std::string& key, const std::string& upload_id);
std::string PartKey(const std::string& upload_id, int part_number);
std::string PartsPrefix(const std::string& upload_id);

// Decodes the object key from an s3.objects / s3.versions / s3.uploads key.
bool DecodeObjectKey(const std::string& table_key, std::string* key, uint64_t* seq = nullptr,
                     std::string* upload_id = nullptr);

// Version ids: 32 characters whose first 16 encode the sequence number, so a
// versionId finds its record without an index. "null" is seq 0.
std::string NewVersionId(uint64_t seq);
std::optional<uint64_t> SeqOfVersionId(const std::string& version_id);
// A process-wide increasing sequence, seeded from the clock (microseconds).
uint64_t NextSeq();

// The canonical user id S3 shows for an account (64 hex chars, stable).
std::string CanonicalId(const std::string& account);

}  // namespace ck::services::s3
