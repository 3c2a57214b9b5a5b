// A read-only view of S3's buckets and current object versions, for readers
// outside S3 that describe state (the web console): what each holds about
// encryption and who wrote it; never data keys, blob names or contents.
//
// Thread safety: as the MetadataStore (safe for concurrent use).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/s3.h"
#include "base/status.h"
#include "storage/metadata_store.h"

namespace ck::services::s3 {

struct BucketSummary {
  std::string name, owner, region;
  std::optional<api::s3::ServerSideEncryptionConfiguration> encryption;  // as configured
  std::optional<std::string> policy;
};

struct ObjectSummary {
  std::string key, version_id;
  uint64_t size = 0;
  double mtime = 0;                // epoch seconds
  std::string sse;                 // "" (none recorded), AES256, aws:kms, aws:kms:dsse, SSE-C
  std::string kms_key_arn;         // KMS: the key it is under
  std::string writer, request_id;  // "" in records written before they were kept
};

struct ObjectSummaryPage {
  std::vector<ObjectSummary> objects;
  bool truncated = false;  // more follow
};

// Every bucket, by name.
Result<std::vector<BucketSummary>> AllBuckets(storage::MetadataStore& store);

// The bucket's current versions in key order, at most `limit`.
Result<ObjectSummaryPage> CurrentObjects(storage::MetadataStore& store, const std::string& bucket, size_t limit);

}  // namespace ck::services::s3
