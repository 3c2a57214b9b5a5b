// MemoryMetadataStore: a MetadataStore kept in std::maps, for --memory and
// tests. Same semantics as the SQLite backend, nothing survives the process.
//
// Thread safety: safe for concurrent use; readers share a std::shared_mutex,
// Apply takes it exclusively, so a batch is visible all at once.
#pragma once

#include <memory>

#include "storage/metadata_store.h"

namespace ck::storage {

std::unique_ptr<MetadataStore> NewMemoryMetadataStore();

}  // namespace ck::storage
