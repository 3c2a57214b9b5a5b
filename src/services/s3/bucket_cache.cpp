#include "services/s3/bucket_cache.h"

namespace ck::services::s3 {

Result<std::shared_ptr<const BucketRecord>> BucketCache::Get(const std::string& name) {
  const uint64_t generation = generation_.load(std::memory_order_acquire);
  Shard& shard = shards_[std::hash<std::string>{}(name) % shards_.size()];
  {
    std::lock_guard lock(shard.mu);
    auto it = shard.entries.find(name);
    if (it != shard.entries.end() && it->second.generation == generation) return it->second.record;
  }
  CK_ASSIGN_OR_RETURN(auto record, table_.Get(name));
  if (!record) return std::shared_ptr<const BucketRecord>();  // not cached: creation is the rare path
  auto shared = std::make_shared<const BucketRecord>(std::move(*record));
  std::lock_guard lock(shard.mu);
  if (shard.entries.size() > 4096) shard.entries.clear();  // bound memory
  shard.entries[name] = Entry{generation, shared};
  return shared;
}

}  // namespace ck::services::s3
