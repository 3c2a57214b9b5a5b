// FsBlobStore: blobs as files under a directory, the embedded default.
//
// Layout: <dir>/tmp/<id> while being written; Commit renames it to
// <dir>/<first 2 hex of id>/<id>. rename(2) is atomic, so a blob is either
// absent or complete. CleanTemporaries deletes whatever in tmp/ no live
// writer owns (writes cut short by a crash); only one process may use a
// directory, which the server enforces with a lock (server/data_dir_lock.h).
//
// Errors carry file paths for the log; a writer's I/O failure (even ENOENT,
// when a file vanished underneath) is kInternal, never kNotFound.
//
// Durability: after Commit the bytes are in the kernel and the name is in
// place, so the blob survives a crash of the process. With fsync, Commit also
// fsyncs the file before the rename and the directory after it, so the blob
// survives power loss.
//
// Thread safety: as BlobStore. Reads use pread, so one BlobReader serves
// concurrent ReadAt calls.
#pragma once

#include <memory>
#include <string>

#include "storage/blob_store.h"

namespace ck::storage {

struct FsBlobStoreOptions {
  bool fsync = false;
  // Appends are gathered into writes of this size; larger appends go straight
  // to the file.
  size_t write_buffer_bytes = 1 << 20;
};

// Opens (creating if needed) the store rooted at dir.
Result<std::unique_ptr<BlobStore>> OpenFsBlobStore(const std::string& dir,
                                                   const FsBlobStoreOptions& options = {});

}  // namespace ck::storage
