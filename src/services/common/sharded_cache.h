// ShardedCache<V>: string key → shared immutable value, split into shards so
// that concurrent requests rarely meet on a lock. A shard that grows past its
// bound is cleared (a miss only costs a rebuild), so memory stays bounded
// whatever the keys. Validity is the caller's: values that can go stale carry
// what they were built from (a store generation) and the caller compares it.
//
// Thread safety: safe for concurrent use.
#pragma once

#include <array>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace ck::services {

template <typename V, size_t kShards = 16, size_t kMaxPerShard = 4096>
class ShardedCache {
 public:
  // The value cached under `key`, or nullptr.
  std::shared_ptr<const V> Find(const std::string& key) {
    Shard& shard = ShardOf(key);
    std::lock_guard lock(shard.mu);
    auto it = shard.entries.find(key);
    return it == shard.entries.end() ? nullptr : it->second;
  }

  // Caches `value` under `key`, replacing what was there.
  void Put(std::string key, std::shared_ptr<const V> value) {
    Shard& shard = ShardOf(key);
    std::lock_guard lock(shard.mu);
    if (shard.entries.size() >= kMaxPerShard) shard.entries.clear();
    shard.entries.insert_or_assign(std::move(key), std::move(value));
  }

 private:
  struct Shard {
    std::mutex mu;
    std::unordered_map<std::string, std::shared_ptr<const V>> entries;
  };
  Shard& ShardOf(const std::string& key) { return shards_[std::hash<std::string>{}(key) % kShards]; }

  std::array<Shard, kShards> shards_;
};

}  // namespace ck::services
