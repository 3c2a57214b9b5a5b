// MemoryBlobStore: a BlobStore holding blobs in RAM, for --memory and tests.
//
// Thread safety: as BlobStore. Readers share the blob's bytes, so a reader
// outlives Delete just as an open file does.
#pragma once

#include <memory>

#include "storage/blob_store.h"

namespace ck::storage {

std::unique_ptr<BlobStore> NewMemoryBlobStore();

}  // namespace ck::storage
