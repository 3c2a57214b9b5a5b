// The object data path: ObjectWriter streams a body into one blob while
// hashing it (MD5 for the ETag, an optional flexible checksum), and
// ObjectReader serves any byte range of an object's segments as a pull-based
// http::BodySource, opening blobs lazily and never holding an object whole.
//
// Encryption: a SegmentSealer sits between the hashers (which always see
// plaintext) and the BlobWriter, and a SegmentOpener between the BlobReader
// and ObjectReader (which asks for plaintext ranges, so only the touched
// AES-GCM segments are decrypted). The sealer's Parameters() are stored per
// segment (Segment::sealing), the keys' description in
// ObjectRecord::encryption (sse_keys.h, sealed_blob.h).
//
// Thread safety: a writer or reader belongs to one request (one thread at a time).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "crypto/checksum.h"
#include "crypto/hash.h"
#include "http/message.h"
#include "services/s3/records.h"
#include "storage/blob_store.h"

namespace ck::services::s3 {

class SegmentSealer {
 public:
  virtual ~SegmentSealer() = default;
  // Seals plaintext and appends the stored form to `out`.
  virtual Status Append(std::string_view plain, storage::BlobWriter& out) = 0;
  virtual Status Finish(storage::BlobWriter& out) = 0;
  // What the opener needs to read this segment back (nonce base, wrapped key...).
  virtual SegmentSealing Parameters() const = 0;
};

class SegmentOpener {
 public:
  virtual ~SegmentOpener() = default;
  // Plaintext bytes [offset, offset+n) of the segment stored in `blob`.
  virtual Result<size_t> ReadAt(storage::BlobReader& blob, uint64_t offset, char* out, size_t n) = 0;
};

// Plaintext keys of an encrypted object (sealed_blob.h); null = stored in the clear.
struct ObjectKeys;

struct WrittenSegment {
  Segment segment;           // blob id, size, md5 hex, checksum
  std::string md5_raw;       // 16 bytes
  std::string checksum_raw;  // raw digest of the requested algorithm, if any
  // Commit(staged = true) of a blob the store keeps as a metadata row: the
  // row, to apply in the same batch as the record naming the blob (until
  // then the blob does not exist). Empty when the blob was committed at once.
  storage::WriteBatch blob_rows;
};

class ObjectWriter {
 public:
  // `checksum`: the flexible checksum algorithm to compute on the way;
  // `crc64nvme`: also a CRC64NVME into Segment::crc64nvme (a part of an
  // upload without an algorithm, whose object gets S3's default checksum).
  // `md5`: false when nothing needs the body's MD5 (an object whose ETag is
  // not its MD5, without Content-MD5): md5_raw and Segment::md5_hex stay
  // empty. At about 0.6 GB/s, MD5 was the largest cost of a 1 MiB PutObject.
  static Result<std::unique_ptr<ObjectWriter>> Create(storage::BlobStore& blobs,
                                                      std::optional<crypto::ChecksumAlgorithm> checksum,
                                                      std::unique_ptr<SegmentSealer> sealer, bool crc64nvme = false,
                                                      bool md5 = true);
  ~ObjectWriter();  // aborts an uncommitted blob

  Status Append(std::string_view data);
  uint64_t size() const { return size_; }
  // Commits the blob (durable once this returns) and returns its digests.
  // staged: the blob store may leave the blob's row in
  // WrittenSegment::blob_rows instead (BlobWriter::CommitInto).
  Result<WrittenSegment> Commit(bool staged = false);
  void Abort();

 private:
  ObjectWriter() = default;
  std::unique_ptr<storage::BlobWriter> blob_;
  std::unique_ptr<SegmentSealer> sealer_;
  std::optional<crypto::Hasher> md5_;
  std::optional<crypto::Checksummer> checksum_, crc64_;
  uint64_t size_ = 0;
  bool done_ = false;
};

// Reads plaintext [start, end) of an object made of `segments`.
class ObjectReader final : public http::BodySource {
 public:
  ObjectReader(storage::BlobStore& blobs, std::shared_ptr<const ObjectKeys> keys, std::vector<Segment> segments,
               uint64_t start, uint64_t end);
  Result<size_t> Read(char* out, size_t max) override;
  // Opens the first blob now so a missing blob fails before headers are sent.
  Status Prepare();

 private:
  Status OpenCurrent();

  storage::BlobStore& blobs_;
  std::shared_ptr<const ObjectKeys> keys_;
  std::vector<Segment> segments_;
  uint64_t pos_, end_;
  size_t index_ = 0;            // segment holding pos_
  uint64_t segment_start_ = 0;  // object offset of segments_[index_]
  std::unique_ptr<storage::BlobReader> reader_;
  std::unique_ptr<SegmentOpener> opener_;
  size_t open_index_ = SIZE_MAX;
};

}  // namespace ck::services::s3
