// TieredBlobStore: small blobs as rows of the metadata store, larger ones in
// another BlobStore (the file store).
//
// Why: a blob file costs a create, a rename into its shard and, when the
// object is overwritten or deleted, an unlink: three directory updates in the
// kernel, which on ext4 cost more than the whole rest of a 4 KiB PutObject.
// A row in the metadata store's table "blob.small" costs one more row in a
// group-committed SQLite transaction, and reading it back needs no file.
//
// A writer keeps the first max_inline_bytes in memory; one byte more and it
// moves to a writer of the large store, so a blob is in exactly one tier,
// chosen by its final size. A small blob's id is "s" and 31 hex digits, so
// Open and Delete of other ids go straight to the large store.
//
// CommitInto and DeleteInto put the row's insert and delete in the caller's
// batch (the one that writes or drops the record naming the blob), so a
// PutObject that replaces a small object is one transaction. Durability is the metadata store's (the
// same fsync choice as the file store in the server).
//
// Small blobs recently read are kept in a bounded cache by id (blobs never
// change; Delete drops the entry, and an Open that raced a Delete does not
// cache what it read).
//
// Thread safety: as BlobStore. The metadata store must outlive this store.
#pragma once

#include <cstddef>
#include <memory>

#include "storage/blob_store.h"
#include "storage/metadata_store.h"

namespace ck::storage {

// The table small blobs live in: key = blob id, value = 8 bytes of
// big-endian seconds since the epoch (when written) followed by the bytes.
inline constexpr char kSmallBlobTable[] = "blob.small";

struct TieredBlobStoreOptions {
  // Blobs of at most this many bytes are rows; 0 sends every blob to `large`.
  size_t max_inline_bytes = 16 * 1024;
  // Bytes of small blobs kept in memory for reads (0: no cache).
  size_t cache_bytes = 8 << 20;
};

std::unique_ptr<BlobStore> NewTieredBlobStore(std::unique_ptr<BlobStore> large, MetadataStore& meta,
                                              const TieredBlobStoreOptions& options = {});

}  // namespace ck::storage
