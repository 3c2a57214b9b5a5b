// Which blobs S3's records reference: for the orphan sweep, which deletes
// blobs no record names (left by a crash between a blob's commit and its
// record's write, or by a request refused after its body was stored).
//
// Thread safety: reads the MetadataStore only.
#pragma once

#include <functional>
#include <string>

#include "base/status.h"
#include "storage/metadata_store.h"

namespace ck::services::s3 {

// Calls fn with the blob id of every segment of every multipart part, current
// object and object version. A reference moves only from a part to an object
// (CompleteMultipartUpload, in one batch), so the tables are read in that
// order: a reference that moves during the walk is seen at least once. Fails
// (and the sweep must then delete nothing) when a record cannot be read.
Status ForEachBlobReference(storage::MetadataStore& meta, const std::function<void(const std::string&)>& fn);

}  // namespace ck::services::s3
