// ObjectStore: everything the S3 operations keep, behind one interface —
// bucket records (through the BucketCache), object versions (current ones
// through the ObjectCache), multipart
// uploads and parts (RecordTables over the MetadataStore, records.h) and the
// blobs they point to (BlobStore, sealed by object_io/sealed_blob). Operations
// ask it for records and hand it new ones; they never see a table name or a
// key encoding.
//
// It applies the commit ordering rules of s3_service.h: a record that points
// to a blob is committed only after the blob is; blobs a write or delete
// releases are deleted only after the metadata that released them has
// committed; concurrent writers of one key (and of one bucket record, one
// part number, one upload) resolve by compare-and-swap on the stored bytes,
// retried, with OperationAborted when the retries run out.
//
// Thread safety: safe for concurrent use (the stores and the cache are).
#pragma once

#include <array>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/status.h"
#include "crypto/checksum.h"
#include "services/common/record_table.h"
#include "services/s3/bucket_cache.h"
#include "services/s3/object_cache.h"
#include "services/s3/object_io.h"
#include "services/s3/records.h"
#include "services/s3/sealed_blob.h"
#include "storage/blob_store.h"
#include "storage/metadata_store.h"

namespace ck::services::s3 {

// A record as read, with its stored bytes: the precondition of a later
// compare-and-swap.
template <class R>
struct Stored {
  std::string row_key, raw;
  R rec;
};
using OpenUpload = Stored<UploadRecord>;

// How a new version must relate to the key's current one.
struct CommitConditions {
  bool if_none_match_star = false;  // no current version
  std::string if_match;             // the current version's ETag (quotes optional)
  // With either condition: the sequence the key's current version had (0:
  // none) when the write began; another write since is a conflict (409).
  std::optional<uint64_t> key_seq;
  // CompleteMultipartUpload: the upload and these part records go in the same batch.
  const OpenUpload* completes = nullptr;
  const std::vector<PartRecord>* parts = nullptr;
  // Rows of staged blobs the record names (WrittenSegment::blob_rows).
  const storage::WriteBatch* blob_rows = nullptr;
};

// Where a listing scan resumes, in the scanned table's order. Opaque to operations.
class ListFrom {
 public:
  static ListFrom Start() { return ListFrom(); }
  static ListFrom AfterKey(const std::string& bucket, const std::string& key);  // objects: after `key`
  static ListFrom PastKey(const std::string& bucket, const std::string& key);   // after every row of `key`
  // After every key starting with `prefix` (the end of the listing when nothing can follow).
  static ListFrom PastPrefix(const std::string& bucket, const std::string& prefix);
  static ListFrom AfterVersion(const std::string& bucket, const std::string& key, uint64_t seq);
  static ListFrom AfterUpload(const std::string& bucket, const std::string& key, const std::string& upload_id);
  bool at_end() const { return end_; }

 private:
  friend class ObjectStore;
  friend struct ListedRow;
  std::string after_, at_;
  bool end_ = false;
};

// One row of a listing scan: the object key (and version sequence or upload
// id), with the record undecoded until asked for.
struct ListedRow {
  std::string key;
  uint64_t seq = 0;
  std::string upload_id;
  std::string row_key, value;
  ListFrom After() const;  // resumes after this row
};

class ObjectStore {
 public:
  ObjectStore(storage::MetadataStore& meta, storage::BlobStore& blobs);

  // --- Buckets ---
  // The bucket's record; NoSuchBucket when there is none.
  Result<std::shared_ptr<const BucketRecord>> Bucket(const std::string& name);
  // Read-modify-write of a bucket record (compare-and-swap, retried).
  Status UpdateBucket(const std::string& name, const std::function<Status(BucketRecord&)>& fn);
  // Stores a new bucket. When the name is taken, the existing record instead.
  Result<std::optional<BucketRecord>> CreateBucket(const BucketRecord& b);
  // BucketNotEmpty while any version or object is left; abandoned multipart
  // uploads (records and blobs) go with the bucket.
  Status DeleteBucket(const BucketRecord& b);
  // Names of `account`'s buckets starting with `prefix`, after `start_after`, in order.
  Result<std::vector<std::string>> OwnedBuckets(const std::string& account, const std::string& prefix,
                                                const std::string& start_after, size_t limit);

  // --- Objects ---
  Result<std::optional<ObjectRecord>> Current(const std::string& bucket, const std::string& key);
  // The same, shared from the object cache (null: no current version).
  Result<std::shared_ptr<const ObjectRecord>> CurrentShared(const std::string& bucket, const std::string& key);
  // The version a request names (`version_id`, or the current one; a delete
  // marker when that is the newest version of a versioned bucket's key).
  // NoSuchKey / NoSuchVersion / InvalidArgument as S3 answers.
  Result<ObjectRecord> Version(const BucketRecord& b, const std::string& key, const std::string& version_id);
  // Commits `rec` as the newest version of its key under the bucket's
  // versioning (fills version id and seq), then deletes the blobs it released.
  // PreconditionFailed / NoSuchKey / ConditionalRequestConflict per `cond`;
  // NoSuchUpload when the upload being completed went away.
  Status Commit(const BucketRecord& b, ObjectRecord& rec, const CommitConditions& cond = {});
  // Rewrites one version in place (empty `version_id`: the current one),
  // keeping the current row in step; `out` receives the new record.
  Status UpdateVersion(const BucketRecord& b, const std::string& key, const std::string& version_id,
                       const std::function<void(ObjectRecord&)>& fn, ObjectRecord* out);
  // The same, unless `fn` fails on the version as stored (nothing is written then).
  Status UpdateVersionIf(const BucketRecord& b, const std::string& key, const std::string& version_id,
                         const std::function<Status(ObjectRecord&)>& fn, ObjectRecord* out);
  // Unversioned delete: removes the key's object (nothing when there is none).
  Status DeleteUnversioned(const BucketRecord& b, const std::string& key);
  // Removes one version (nothing when it is not there; InvalidArgument for
  // an id S3 cannot have given); the current row follows the newest
  // remaining version. The removed version, if any. `guard` (if given) may
  // refuse the version as stored (Object Lock), in the same compare-and-swap.
  Result<std::optional<ObjectRecord>> DeleteVersion(const BucketRecord& b, const std::string& key,
                                                    const std::string& version_id,
                                                    const std::function<Status(const ObjectRecord&)>& guard = nullptr);

  // --- Listing (at most `limit` rows, in key order) ---
  Result<std::vector<ListedRow>> ListCurrent(const std::string& bucket, const std::string& prefix, const ListFrom& from,
                                             size_t limit);
  Result<std::vector<ListedRow>> ListVersions(const std::string& bucket, const std::string& prefix,
                                              const ListFrom& from, size_t limit);
  Result<std::vector<ListedRow>> ListUploads(const std::string& bucket, const std::string& prefix, const ListFrom& from,
                                             size_t limit);
  // Resumes after the version `version_id` of `key` ("null" is looked up;
  // when `key` has no null version, after every key it prefixes).
  Result<ListFrom> AfterVersionId(const std::string& bucket, const std::string& key, const std::string& version_id);
  Result<ObjectRecord> DecodeObject(const ListedRow& row) const;
  Result<UploadRecord> DecodeUpload(const ListedRow& row) const;

  // --- Multipart uploads ---
  Status CreateUpload(const std::string& bucket, const UploadRecord& u);
  // NoSuchUpload when there is none.
  Result<OpenUpload> Upload(const std::string& bucket, const std::string& key, const std::string& upload_id);
  Result<std::vector<PartRecord>> Parts(const std::string& upload_id);
  // Up to `limit` parts numbered above `after`.
  Result<std::vector<PartRecord>> PartsAfter(const std::string& upload_id, int after, size_t limit);
  // Stores a part while the upload exists, replacing (and releasing) an
  // earlier upload of the same number.
  Status StorePart(const OpenUpload& u, const PartRecord& part);
  // Removes the upload and its parts, then their blobs.
  Status AbortUpload(const OpenUpload& u);

  // --- Blobs ---
  // A writer sealing with `keys` (null: stored as is), computing `checksum`
  // (and with `crc64nvme` a CRC64NVME, ObjectWriter::Create) on the way.
  Result<std::unique_ptr<ObjectWriter>> NewWriter(std::optional<crypto::ChecksumAlgorithm> checksum, ObjectKeysPtr keys,
                                                  bool crc64nvme = false, bool md5 = true);
  // Plaintext [start, end) of `rec`, its first blob opened (missing data fails now).
  Result<std::unique_ptr<ObjectReader>> NewReader(const ObjectRecord& rec, ObjectKeysPtr keys, uint64_t start,
                                                  uint64_t end);
  // Copies the plaintext [start, end) of `src` into a new blob sealed with `dst_keys`.
  Result<WrittenSegment> Copy(const ObjectRecord& src, const ObjectKeysPtr& src_keys, uint64_t start, uint64_t end,
                              std::optional<crypto::ChecksumAlgorithm> checksum, ObjectKeysPtr dst_keys,
                              bool crc64nvme = false);
  // Deletes blobs no record points to any more (missing ones are fine).
  void Release(const std::vector<Segment>& segments);
  // For a batch that drops the last reference to `segments`: deletes the
  // blobs the blob store keeps as metadata rows in the batch itself
  // (BlobStore::DeleteInto) and returns the others, to Release once the
  // batch is applied.
  std::vector<Segment> DropBlobsIn(storage::WriteBatch& batch, const std::vector<Segment>& segments);

 private:
  template <class R>
  static Result<std::optional<Stored<R>>> Load(RecordTable<R>& table, const std::string& key);
  Result<std::vector<storage::Record>> VersionsOf(const std::string& bucket, const std::string& key, size_t limit);
  // `invalid` (if given) is set when the id's sequence is another version's of the key.
  Result<std::optional<Stored<ObjectRecord>>> FindVersion(const BucketRecord& b, const std::string& key,
                                                          const std::string& version_id, bool* invalid = nullptr);
  Result<std::vector<ListedRow>> Scan(const std::string& table, const std::string& bucket, const std::string& prefix,
                                      const ListFrom& from, size_t limit, bool versions, bool uploads);
  // One attempt of Commit: the batch for `rec` over the key's current state.
  // use_hint: start from the row the key's last commit left (LastCommitted).
  Status TryCommit(const BucketRecord& b, ObjectRecord& rec, const CommitConditions& cond,
                   std::vector<Segment>* released, bool use_hint);
  // After any write of a key's current row: the cache and the hint forget it.
  void Invalidate(const std::string& okey) {
    objects_cache_.Invalidate(okey);
    last_committed_.Forget(okey);
  }

  // The current row each recent commit of a key left (its bytes and record),
  // so the next unconditional commit of the key (an overwrite) starts from it
  // instead of reading the store. That commit's batch expects exactly these
  // bytes, so a stale entry costs one failed attempt, after which the commit
  // reads the store. Bounded: a shard is cleared when full.
  class LastCommitted {
   public:
    using Row = std::shared_ptr<const Stored<ObjectRecord>>;
    Row Find(const std::string& okey);
    void Remember(const std::string& okey, Row row);
    void Forget(const std::string& okey);

   private:
    static constexpr size_t kShards = 16, kMaxPerShard = 64;
    struct Shard {
      std::mutex mu;
      std::unordered_map<std::string, Row> rows;
    };
    Shard& ShardOf(const std::string& okey) { return shards_[std::hash<std::string>{}(okey) % kShards]; }
    std::array<Shard, kShards> shards_;
  };
  Status RemoveUploads(const std::string& bucket);

  storage::MetadataStore& meta_;
  storage::BlobStore& blobs_;
  RecordTable<BucketRecord> buckets_;
  RecordTable<ObjectRecord> objects_, versions_;
  RecordTable<UploadRecord> uploads_;
  RecordTable<PartRecord> parts_;
  BucketCache cache_;
  ObjectCache objects_cache_;  // current rows by row key; every write of one invalidates it
  LastCommitted last_committed_;
};

}  // namespace ck::services::s3
