// BucketCache: bucket records by name, as last read, so a request on a known
// bucket reads and parses no bucket record. Every bucket write (CreateBucket,
// DeleteBucket, UpdateBucket) calls Changed() after applying it; an entry read
// before a change is not used after it (the generation is taken before the
// store is read, so a write landing meanwhile cannot be missed).
//
// Thread safety: safe for concurrent use; sharded.
#pragma once

#include <array>
#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "base/status.h"
#include "services/common/record_table.h"
#include "services/s3/records.h"
#include "storage/metadata_store.h"

namespace ck::services::s3 {

class BucketCache {
 public:
  explicit BucketCache(storage::MetadataStore& meta) : table_(meta, kBucketsTable) {}

  // The bucket's record, or nullptr when there is no such bucket.
  Result<std::shared_ptr<const BucketRecord>> Get(const std::string& name);
  void Changed() { generation_.fetch_add(1, std::memory_order_acq_rel); }

 private:
  struct Entry {
    uint64_t generation;
    std::shared_ptr<const BucketRecord> record;
  };
  struct Shard {
    std::mutex mu;
    std::unordered_map<std::string, Entry> entries;
  };
  RecordTable<BucketRecord> table_;
  std::atomic<uint64_t> generation_{0};
  std::array<Shard, 8> shards_;
};

}  // namespace ck::services::s3
