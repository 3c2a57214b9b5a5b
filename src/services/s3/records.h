// The S3 service's stored records and their tables (MetadataStore):
//
//   s3.buckets        name                                  → BucketRecord
//   s3.bucket_owners  part(account) part(bucket)            → "" (ListBuckets index)
//   s3.objects        part(bucket) part(key)                → ObjectRecord (current version)
//   s3.versions       part(bucket) part(key) u64desc(seq)   → ObjectRecord (every version, delete
//                                                             markers included; versioned
//                                                             buckets only), newest first
//   s3.uploads        part(bucket) part(key) part(uploadId) → UploadRecord
//   s3.parts          part(uploadId) u64(partNumber)        → PartRecord
//
// Every record describes itself with a field table (base/fields.h); the
// field names are the stored JSON keys and so the on-disk format
// (docs/storage-schema.md): renaming one is a format change. Members that are
// left out when they hold their default (`pc` when not multipart, `h` when
// no standard header was sent, ...) are written with SparseField, so a
// record reads and writes exactly as it always has.
//
// An object's bytes are one or more blobs ("segments": one for PutObject, one
// per part for multipart), so CompleteMultipartUpload never copies data.
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
#include <string_view>
#include <vector>

#include "api/s3.h"
#include "base/fields.h"
#include "base/status.h"

namespace ck::services::s3 {

inline constexpr char kBucketsTable[] = "s3.buckets";
inline constexpr char kBucketOwnersTable[] = "s3.bucket_owners";
inline constexpr char kObjectsTable[] = "s3.objects";
inline constexpr char kVersionsTable[] = "s3.versions";
inline constexpr char kUploadsTable[] = "s3.uploads";
inline constexpr char kPartsTable[] = "s3.parts";

// The bucket settings kept as configured and shown back (ops/bucket_configs.h):
// lifecycle, website, logging, acceleration, request payment and the
// id-keyed metrics, analytics and intelligent-tiering configurations.
struct BucketSettings {
  std::optional<api::s3::BucketLifecycleConfiguration> lifecycle;
  std::string lifecycle_min_size;  // TransitionDefaultMinimumObjectSize ("" without lifecycle)
  std::optional<api::s3::WebsiteConfiguration> website;
  std::optional<api::s3::LoggingEnabled> logging;
  EnumValue<api::s3::BucketAccelerateStatus> accelerate;  // unset until configured
  EnumValue<api::s3::Payer> payer;                        // unset: BucketOwner
  std::vector<api::s3::MetricsConfiguration> metrics;     // by id
  std::vector<api::s3::AnalyticsConfiguration> analytics;
  std::vector<api::s3::IntelligentTieringConfiguration> tiering;
  bool operator==(const BucketSettings&) const = default;
};
CK_DECLARE_FIELDS(BucketSettings);

struct BucketRecord {
  std::string name;
  std::string owner;  // account id
  std::string region = "us-east-1";
  // The location constraint as created when it is not the region's name ("EU").
  std::optional<std::string> constraint;
  double created = 0;  // epoch seconds
  // Unset (stored as "") until versioning is first configured.
  EnumValue<api::s3::BucketVersioningStatus> versioning;
  // Unset (stored as "") once the ownership controls are deleted.
  EnumValue<api::s3::ObjectOwnership> ownership = api::s3::ObjectOwnership::kBucketOwnerEnforced;
  std::optional<std::string> policy;
  std::optional<api::s3::PublicAccessBlockConfiguration> public_access_block;
  std::optional<std::vector<api::s3::Tag>> tags;
  std::optional<std::vector<api::s3::CORSRule>> cors;
  std::optional<api::s3::ServerSideEncryptionConfiguration> encryption;  // as configured, echoed verbatim
  std::optional<api::s3::AccessControlPolicy> acl;                       // ObjectWriter / BucketOwnerPreferred buckets
  BucketSettings settings;
  // Object Lock (object_lock.h): present once enabled (it cannot be turned
  // off), with the default retention rule when one is configured.
  std::optional<api::s3::ObjectLockConfiguration> object_lock;

  bool versioned() const { return versioning.known(); }
  bool object_lock_enabled() const { return object_lock.has_value(); }
  bool versioning_enabled() const { return versioning == api::s3::BucketVersioningStatus::kEnabled; }
  bool restricts_public_buckets() const {
    return public_access_block && public_access_block->restrict_public_buckets.value_or(false);
  }
  bool blocks_public_policy() const {
    return public_access_block && public_access_block->block_public_policy.value_or(false);
  }
};
CK_DECLARE_FIELDS(BucketRecord);

// Per-blob encryption parameters (sealed_blob.h): format version, base64 salt,
// whether the blob derives its key.
struct SegmentSealing {
  int32_t v = 0;
  std::string s;
  bool d = false;
  bool operator==(const SegmentSealing&) const = default;
};
CK_DECLARE_FIELDS(SegmentSealing);

// One stored blob of an object: a whole PutObject body or one part.
struct Segment {
  std::string blob;
  uint64_t size = 0;                      // plaintext bytes
  std::string md5_hex;                    // the part's ETag (multipart) or the object's MD5
  std::string checksum;                   // part checksum (base64) in the upload's algorithm, if any
  std::optional<SegmentSealing> sealing;  // absent: stored as is
  // A part of an upload without a checksum algorithm: its CRC64NVME (base64),
  // from which the object's default full-object checksum is combined.
  std::string crc64nvme;
  bool operator==(const Segment&) const = default;
};
CK_DECLARE_FIELDS(Segment);

// The keys' description of an encrypted object or upload (sse_keys.h).
struct StoredSse {
  int32_t v = 0;
  std::string sse;                                        // AES256 | aws:kms | aws:kms:dsse | SSE-C
  std::optional<std::string> wk;                          // SSE-S3, SSE-C: the wrapped data key (base64)
  std::optional<std::string> mac;                         // SSE-C: HMAC of the customer key (base64)
  std::optional<std::string> md5;                         // SSE-C: the customer key's MD5 (base64)
  std::optional<std::string> ref;                         // KMS: the key reference as handed to KMS
  std::optional<std::map<std::string, std::string>> ctx;  // KMS: encryption context
  std::optional<bool> bk;                                 // KMS: bucket key
  std::optional<bool> uctx;                               // KMS: the request supplied context pairs (true only)
  std::optional<std::string> arn;                         // KMS: the key that was used
  std::optional<std::string> blob;                        // KMS: the data key's ciphertext (base64)
  std::optional<std::string> blob2;                       // DSSE: the inner layer's
  bool operator==(const StoredSse&) const = default;
};
CK_DECLARE_FIELDS(StoredSse);

// The standard headers an object keeps, under their model member names.
// Expires is the header's text.
struct StoredHeaders {
  std::optional<std::string> content_type, content_encoding, content_disposition, content_language, cache_control,
      expires, website_redirect_location;
  bool operator==(const StoredHeaders&) const = default;
};
CK_DECLARE_FIELDS(StoredHeaders);

// An object version's Object Lock state (object_lock.h): its retention mode
// ("GOVERNANCE", "COMPLIANCE" or "" for none) and date, and its legal hold
// ("ON", "OFF", or "" when never set).
struct StoredLock {
  std::string mode;
  double until = 0;  // epoch seconds (millisecond precision); 0 without a mode
  std::string legal_hold;
  bool operator==(const StoredLock&) const = default;
};
CK_DECLARE_FIELDS(StoredLock);

// An object tag, stored as the pair [key, value].
struct ObjectTag {
  std::string key, value;
  bool operator==(const ObjectTag&) const = default;
};
Status FromDocument(const Document& d, ObjectTag* out, const DecodeOptions& o = {});
Document ToDocument(const ObjectTag& in);

struct ObjectRecord {
  std::string key;
  std::string version_id = "null";
  uint64_t seq = 0;            // version order; 0 for objects written while unversioned
  bool delete_marker = false;  // a marker stores only key, version, seq, time and owner
  uint64_t size = 0;
  std::string etag;         // without quotes: hex MD5, or hex-N for multipart
  double mtime = 0;         // epoch seconds (millisecond precision)
  std::string owner;        // account id
  int32_t parts_count = 0;  // 0 = single PUT
  std::vector<Segment> segments;
  std::string upload_id;  // the multipart upload that completed into this version ("" otherwise)
  StoredHeaders headers;
  std::map<std::string, std::string> metadata;  // x-amz-meta-* (lower-cased names)
  std::vector<ObjectTag> tags;
  std::string checksum_algorithm;  // "CRC32", ... or ""
  std::string checksum;            // base64 ("...-N" for composite multipart)
  std::string checksum_type;       // "FULL_OBJECT" / "COMPOSITE"
  std::string storage_class = "STANDARD";
  std::optional<StoredSse> encryption;  // absent: none recorded
  StoredLock lock;
  // The object's ACL as set (ACL-enabled buckets); absent: the owner's
  // FULL_CONTROL alone.
  std::optional<api::s3::AccessControlPolicy> acl;
  // The principal that wrote it (its ARN) and the request that decided its
  // key (PutObject, CopyObject, CreateMultipartUpload): the request's decision
  // record shows how the key reference resolved. "" in older records.
  std::string writer, request_id;
};
CK_DECLARE_FIELDS(ObjectRecord);

struct UploadRecord {
  std::string upload_id;
  std::string key;
  std::string initiator_arn;
  std::string initiator_account;
  std::string owner;
  double initiated = 0;
  // The sequence of the key's current version when the upload began (0: none;
  // unset for uploads begun before this was kept): a conditional completion
  // conflicts with any write to the key since.
  std::optional<uint64_t> key_seq;
  StoredHeaders headers;
  std::map<std::string, std::string> metadata;
  std::vector<ObjectTag> tags;
  std::string checksum_algorithm;
  std::string checksum_type;
  std::string storage_class = "STANDARD";
  std::optional<StoredSse> encryption;
  StoredLock lock;                                  // as requested (the bucket's default retention applies on completion)
  std::optional<api::s3::AccessControlPolicy> acl;  // the completed object's ACL, as CreateMultipartUpload set it
  std::string request_id;                           // CreateMultipartUpload's ("" in older records)
};
CK_DECLARE_FIELDS(UploadRecord);

// A part: its segment's members, the part number and the upload time, in one object.
struct PartRecord {
  int32_t number = 0;
  Segment segment;
  double mtime = 0;
};
CK_DECLARE_FIELDS(PartRecord);

// Table keys.
std::string ObjectKey(const std::string& bucket, const std::string& key);
std::string ObjectPrefix(const std::string& bucket, const std::string& key_prefix);  // scan prefix
std::string VersionKey(const std::string& bucket, const std::string& key, uint64_t seq);
std::string UploadKey(const std::string& bucket, const std::string& key, const std::string& upload_id);
std::string PartKey(const std::string& upload_id, int part_number);
std::string PartsPrefix(const std::string& upload_id);
std::string OwnerIndexKey(const std::string& account, const std::string& bucket);

// Decodes the object key from an s3.objects / s3.versions / s3.uploads key.
bool DecodeObjectKey(const std::string& table_key, std::string* key, uint64_t* seq = nullptr,
                     std::string* upload_id = nullptr);

// Version ids: 32 characters whose first 16 encode the sequence number, so a
// versionId finds its record without an index, then "." and 15 characters
// whose last 4 check the rest (an altered id does not parse). "null" is seq 0.
std::string NewVersionId(uint64_t seq);
std::optional<uint64_t> SeqOfVersionId(const std::string& version_id);
// A process-wide increasing sequence, seeded from the clock (microseconds).
uint64_t NextSeq();

// The canonical user id S3 shows for an account (64 hex chars, stable), and
// the account a canonical user id names (nullopt: none).
std::string CanonicalId(const std::string& account);
std::optional<std::string> AccountOfCanonicalId(std::string_view id);

}  // namespace ck::services::s3
