// ObjectCache: the decoded current record of recently read object keys (or
// that the key has no current record), so a repeated GET or HEAD of a hot
// key reads no metadata row and parses no record.
//
// Coherence: every write of a key's current row (ObjectStore's commits,
// version updates and deletes) calls Invalidate(row key) after applying its
// batch, whatever the outcome. A reader takes a token (Begin) before reading
// the store and offers what it read with that token; the offer is refused
// when any write in the key's shard finished meanwhile, so a value read
// before a write can never be cached after that write's invalidation. A
// request that starts after a write has answered therefore always sees it.
// Nothing is persisted: a restart starts empty.
//
// Memory: each shard holds at most kMaxPerShard entries and is cleared when
// full (a miss only costs one store read).
//
// Thread safety: safe for concurrent use; sharded.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "services/s3/records.h"

namespace ck::services::s3 {

class ObjectCache {
 public:
  static constexpr size_t kShards = 16;
  static constexpr size_t kMaxPerShard = 512;

  // What the cache knows of a key: nullopt when nothing; a null pointer when
  // the key has no current record.
  using Known = std::optional<std::shared_ptr<const ObjectRecord>>;

  Known Find(const std::string& row_key);
  // The token to offer a store read with; take it before reading.
  uint64_t Begin(const std::string& row_key);
  // Caches `rec` (null: no current record) unless a write invalidated the
  // shard since `token` was taken.
  void Offer(const std::string& row_key, uint64_t token, std::shared_ptr<const ObjectRecord> rec);
  // After a write of the key's current row was applied (or failed).
  void Invalidate(const std::string& row_key);

  size_t size();  // entries held (tests)

 private:
  struct Shard {
    std::mutex mu;
    uint64_t generation = 0;
    std::unordered_map<std::string, std::shared_ptr<const ObjectRecord>> entries;
  };
  Shard& ShardOf(const std::string& row_key) { return shards_[std::hash<std::string>{}(row_key) % kShards]; }

  std::array<Shard, kShards> shards_;
};

}  // namespace ck::services::s3
