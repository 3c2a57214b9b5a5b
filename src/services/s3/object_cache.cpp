#include "services/s3/object_cache.h"

namespace ck::services::s3 {

ObjectCache::Known ObjectCache::Find(const std::string& row_key) {
  Shard& shard = ShardOf(row_key);
  std::lock_guard lock(shard.mu);
  auto it = shard.entries.find(row_key);
  if (it == shard.entries.end()) return std::nullopt;
  return it->second;
}

uint64_t ObjectCache::Begin(const std::string& row_key) {
  Shard& shard = ShardOf(row_key);
  std::lock_guard lock(shard.mu);
  return shard.generation;
}

void ObjectCache::Offer(const std::string& row_key, uint64_t token, std::shared_ptr<const ObjectRecord> rec) {
  Shard& shard = ShardOf(row_key);
  std::lock_guard lock(shard.mu);
  if (shard.generation != token) return;  // a write finished since the read began: what was read may be stale
  if (shard.entries.size() >= kMaxPerShard) shard.entries.clear();
  shard.entries.insert_or_assign(row_key, std::move(rec));
}

void ObjectCache::Invalidate(const std::string& row_key) {
  Shard& shard = ShardOf(row_key);
  std::lock_guard lock(shard.mu);
  ++shard.generation;
  shard.entries.erase(row_key);
}

size_t ObjectCache::size() {
  size_t n = 0;
  for (auto& shard : shards_) {
    std::lock_guard lock(shard.mu);
    n += shard.entries.size();
  }
  return n;
}

}  // namespace ck::services::s3
