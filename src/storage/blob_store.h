// BlobStore: immutable byte blobs (object contents), written once by streaming
// into a BlobWriter, then read by offset. The store names each blob with a
// random id of 32 characters that callers keep in their metadata records:
// 32 lowercase hex digits, or "s" and 31 of them for a small blob kept as a
// row of the metadata store (tiered_blob_store.h). A blob becomes visible only when Commit returns, whole:
// no reader ever sees a partial blob.
//
// Thread safety: BlobStore and BlobReader are safe for concurrent use (ReadAt
// may be called from many threads at once). A BlobWriter belongs to one thread.
// A reader opened before Delete keeps reading the deleted blob's bytes.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"
#include "storage/metadata_store.h"

namespace ck::storage {

class BlobWriter {
 public:
  // Aborts unless Commit succeeded.
  virtual ~BlobWriter() = default;
  virtual Status Append(std::string_view data) = 0;
  // Bytes appended so far.
  virtual uint64_t size() const = 0;
  // Makes the blob durable and visible and returns its id. After Commit the
  // blob survives a crash of the process (and power loss when the store was
  // opened with fsync). The writer accepts nothing afterwards.
  virtual Result<std::string> Commit() = 0;
  // Discards what was written. Idempotent; no-op after Commit.
  virtual void Abort() = 0;
  // Commit for a caller about to apply a metadata batch that names the blob:
  // a store that keeps this blob in the metadata store adds its row to
  // `batch` instead of writing it now, so the blob exists once, and only if,
  // the batch is applied (one transaction instead of two). Other stores
  // commit as Commit does and leave the batch alone.
  virtual Result<std::string> CommitInto(WriteBatch& batch) {
    (void)batch;
    return Commit();
  }
};

class BlobReader {
 public:
  virtual ~BlobReader() = default;
  virtual uint64_t size() const = 0;
  // Reads up to n bytes at offset into out; returns the count, which is short
  // only at the end of the blob (0 at or past the end).
  virtual Result<size_t> ReadAt(uint64_t offset, char* out, size_t n) = 0;
};

// What a clean-up of temporary files removed.
struct TempCleanup {
  uint64_t files = 0;  // files and directories
  uint64_t bytes = 0;
};

struct BlobInfo {
  std::string id;
  uint64_t size = 0;
  int64_t mtime_unix = 0;  // when it was written (seconds since the epoch)
};

class BlobStore {
 public:
  virtual ~BlobStore() = default;
  virtual Result<std::unique_ptr<BlobWriter>> NewWriter() = 0;
  // NotFound for an unknown id, InvalidArgument for a malformed one.
  virtual Result<std::unique_ptr<BlobReader>> Open(std::string_view id) = 0;
  // NotFound when the blob does not exist.
  virtual Status Delete(std::string_view id) = 0;
  // For a caller about to apply a metadata batch that drops the last
  // reference to the blob: true when the store keeps this blob in the
  // metadata store and added its deletion to `batch` (the blob is gone once
  // the batch is applied; the caller must not Delete it too); false when the
  // caller must Delete it after applying the batch.
  virtual bool DeleteInto(WriteBatch& batch, std::string_view id) {
    (void)batch;
    (void)id;
    return false;
  }
  // Calls fn for every committed blob, in no particular order. For garbage
  // collection: blobs no metadata record references (and older than the
  // longest write, to spare blobs whose record is being committed) are orphans.
  virtual Status ForEach(const std::function<void(const BlobInfo&)>& fn) = 0;
  // Deletes temporary data no live writer of this store object owns: writes
  // cut short by a crash, or left by a failed clean-up. Writers in progress
  // are spared, so it may run while serving. Call it only while this process
  // owns the data directory (two stores on one directory would delete each
  // other's writes).
  virtual Result<TempCleanup> CleanTemporaries() = 0;
  // For logs: "fs:/data/blobs (fsync)", "memory".
  virtual std::string Describe() const = 0;
};

// Whether id has the form BlobStore ids have (either form above).
bool IsValidBlobId(std::string_view id);
// Whether id is 32 lowercase hex digits (the form file and memory blobs have).
bool IsHexBlobId(std::string_view id);
// Whether id has the small-blob form ("s" and 31 lowercase hex digits).
bool IsSmallBlobId(std::string_view id);
// A fresh random id.
std::string NewBlobId();

// Reads the whole blob (for tests and small blobs).
Result<std::string> ReadAll(BlobReader& reader);

}  // namespace ck::storage
