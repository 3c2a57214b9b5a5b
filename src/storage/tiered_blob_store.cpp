#include "storage/tiered_blob_store.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace ck::storage {
namespace {

constexpr size_t kHeaderBytes = 8;  // big-endian seconds since the epoch

// "s" and 31 random hex digits (blob_store.h): the id says the tier, so a
// read or delete of a file blob never looks in the table.
std::string NewSmallBlobId() { return "s" + NewBlobId().substr(1); }

int64_t NowUnix() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string EncodeRow(int64_t mtime, std::string_view bytes) {
  std::string row(kHeaderBytes, '\0');
  auto u = static_cast<uint64_t>(mtime);
  for (size_t i = 0; i < kHeaderBytes; ++i) row[i] = static_cast<char>(u >> (8 * (kHeaderBytes - 1 - i)));
  row.append(bytes);
  return row;
}

Result<int64_t> RowTime(std::string_view row, std::string_view id) {
  if (row.size() < kHeaderBytes) return DataLoss("small blob " + std::string(id) + ": row shorter than its header");
  uint64_t u = 0;
  for (size_t i = 0; i < kHeaderBytes; ++i) u = (u << 8) | static_cast<unsigned char>(row[i]);
  return static_cast<int64_t>(u);
}

// Recently read small blobs by id. Bounded by bytes, oldest insertion out
// first. Drop() bumps the generation, and Offer() of a read that began before
// a Drop is refused, so a deleted blob does not stay served from here.
class SmallBlobCache {
 public:
  explicit SmallBlobCache(size_t max_bytes) : max_bytes_(max_bytes) {}

  std::shared_ptr<const std::string> Find(std::string_view id, uint64_t* generation) {
    std::lock_guard lock(mu_);
    *generation = generation_;
    auto it = blobs_.find(std::string(id));
    return it == blobs_.end() ? nullptr : it->second;
  }

  void Offer(const std::string& id, uint64_t generation, std::shared_ptr<const std::string> bytes) {
    if (bytes->size() > max_bytes_) return;
    std::lock_guard lock(mu_);
    if (generation != generation_ || blobs_.count(id)) return;
    while (bytes_ + bytes->size() > max_bytes_ && !order_.empty()) {
      auto it = blobs_.find(order_.front());
      if (it != blobs_.end()) {
        bytes_ -= it->second->size();
        blobs_.erase(it);
      }
      order_.pop_front();
    }
    bytes_ += bytes->size();
    order_.push_back(id);
    blobs_.emplace(id, std::move(bytes));
  }

  void Drop(std::string_view id) {
    std::lock_guard lock(mu_);
    ++generation_;
    auto it = blobs_.find(std::string(id));
    if (it == blobs_.end()) return;
    bytes_ -= it->second->size();
    blobs_.erase(it);  // its id stays in order_ until it reaches the front
  }

 private:
  const size_t max_bytes_;
  std::mutex mu_;
  uint64_t generation_ = 0;
  size_t bytes_ = 0;
  std::deque<std::string> order_;
  std::unordered_map<std::string, std::shared_ptr<const std::string>> blobs_;
};

class SmallBlobReader final : public BlobReader {
 public:
  explicit SmallBlobReader(std::shared_ptr<const std::string> bytes) : bytes_(std::move(bytes)) {}
  uint64_t size() const override { return bytes_->size(); }
  Result<size_t> ReadAt(uint64_t offset, char* out, size_t n) override {
    if (offset >= bytes_->size()) return size_t{0};
    size_t len = static_cast<size_t>(std::min<uint64_t>(n, bytes_->size() - offset));
    std::memcpy(out, bytes_->data() + offset, len);
    return len;
  }

 private:
  const std::shared_ptr<const std::string> bytes_;
};

class TieredBlobWriter final : public BlobWriter {
 public:
  TieredBlobWriter(BlobStore& large, MetadataStore& meta, size_t max_inline)
      : large_store_(large), meta_(meta), max_inline_(max_inline) {}
  ~TieredBlobWriter() override { Abort(); }

  Status Append(std::string_view data) override {
    if (finished_) return FailedPrecondition("blob writer already committed or aborted");
    if (!large_ && buf_.size() + data.size() > max_inline_) {
      // Too big for a row: from now on the bytes go to the large store.
      CK_ASSIGN_OR_RETURN(large_, large_store_.NewWriter());
      CK_RETURN_IF_ERROR(large_->Append(buf_));
      buf_.clear();
      buf_.shrink_to_fit();
    }
    size_ += data.size();
    if (large_) return large_->Append(data);
    buf_.append(data);
    return Status::Ok();
  }

  uint64_t size() const override { return size_; }

  Result<std::string> Commit() override {
    if (finished_) return FailedPrecondition("blob writer already committed or aborted");
    if (large_) {
      finished_ = true;
      return large_->Commit();
    }
    WriteBatch batch;
    CK_ASSIGN_OR_RETURN(std::string id, CommitInto(batch));
    Status s = meta_.Apply(batch);
    if (!s.ok()) return Internal("store small blob " + id + ": " + s.message());
    return id;
  }

  Result<std::string> CommitInto(WriteBatch& batch) override {
    if (finished_) return FailedPrecondition("blob writer already committed or aborted");
    finished_ = true;
    if (large_) return large_->Commit();
    std::string id = NewSmallBlobId();
    batch.ExpectAbsent(kSmallBlobTable, id);
    batch.Put(kSmallBlobTable, id, EncodeRow(NowUnix(), buf_));
    buf_.clear();
    return id;
  }

  void Abort() override {
    if (finished_) return;
    finished_ = true;
    if (large_) large_->Abort();
    buf_.clear();
  }

 private:
  BlobStore& large_store_;
  MetadataStore& meta_;
  const size_t max_inline_;
  std::string buf_;
  std::unique_ptr<BlobWriter> large_;
  uint64_t size_ = 0;
  bool finished_ = false;
};

class TieredBlobStore final : public BlobStore {
 public:
  TieredBlobStore(std::unique_ptr<BlobStore> large, MetadataStore& meta, const TieredBlobStoreOptions& options)
      : large_(std::move(large)), meta_(meta), options_(options), cache_(options.cache_bytes) {}

  Result<std::unique_ptr<BlobWriter>> NewWriter() override {
    if (options_.max_inline_bytes == 0) return large_->NewWriter();
    return std::unique_ptr<BlobWriter>(std::make_unique<TieredBlobWriter>(*large_, meta_, options_.max_inline_bytes));
  }

  Result<std::unique_ptr<BlobReader>> Open(std::string_view id) override {
    if (!IsValidBlobId(id)) return InvalidArgument("malformed blob id");
    if (!IsSmallBlobId(id)) return large_->Open(id);
    uint64_t generation = 0;
    if (auto bytes = cache_.Find(id, &generation)) return Reader(std::move(bytes));
    CK_ASSIGN_OR_RETURN(auto row, meta_.Get(kSmallBlobTable, id));
    if (!row) return NotFound("no blob " + std::string(id));
    CK_RETURN_IF_ERROR(RowTime(*row, id).status());
    row->erase(0, kHeaderBytes);
    auto bytes = std::make_shared<const std::string>(std::move(*row));
    cache_.Offer(std::string(id), generation, bytes);
    return Reader(std::move(bytes));
  }

  Status Delete(std::string_view id) override {
    if (!IsValidBlobId(id)) return InvalidArgument("malformed blob id");
    if (!IsSmallBlobId(id)) return large_->Delete(id);
    CK_ASSIGN_OR_RETURN(auto row, meta_.Get(kSmallBlobTable, id));
    if (!row) return NotFound("no blob " + std::string(id));
    WriteBatch batch;
    batch.Delete(kSmallBlobTable, std::string(id));
    Status s = meta_.Apply(batch);
    cache_.Drop(id);  // after the delete: an Open that raced it cannot cache the bytes
    return s;
  }

  bool DeleteInto(WriteBatch& batch, std::string_view id) override {
    if (!IsSmallBlobId(id)) return false;
    batch.Delete(kSmallBlobTable, std::string(id));
    // Dropped before the batch is applied: a read racing it may cache the
    // bytes again, which only serves a request that already held the record
    // naming the blob (as an open reader keeps a deleted file's bytes).
    cache_.Drop(id);
    return true;
  }

  Status ForEach(const std::function<void(const BlobInfo&)>& fn) override {
    CK_RETURN_IF_ERROR(large_->ForEach(fn));
    std::string after;
    for (;;) {
      CK_ASSIGN_OR_RETURN(auto page, meta_.Scan(kSmallBlobTable, {.start_after = after, .limit = 1000}));
      for (const auto& rec : page) {
        CK_ASSIGN_OR_RETURN(int64_t mtime, RowTime(rec.value, rec.key));
        fn(BlobInfo{rec.key, rec.value.size() - kHeaderBytes, mtime});
      }
      if (page.size() < 1000) return Status::Ok();
      after = page.back().key;
    }
  }

  // A small blob is written in one transaction, so only the large store has
  // temporaries.
  Result<TempCleanup> CleanTemporaries() override { return large_->CleanTemporaries(); }

  std::string Describe() const override {
    if (options_.max_inline_bytes == 0) return large_->Describe();
    return large_->Describe() + ", blobs up to " + std::to_string(options_.max_inline_bytes) +
           " bytes in the metadata store";
  }

 private:
  static Result<std::unique_ptr<BlobReader>> Reader(std::shared_ptr<const std::string> bytes) {
    return std::unique_ptr<BlobReader>(std::make_unique<SmallBlobReader>(std::move(bytes)));
  }

  const std::unique_ptr<BlobStore> large_;
  MetadataStore& meta_;
  const TieredBlobStoreOptions options_;
  SmallBlobCache cache_;
};

}  // namespace

std::unique_ptr<BlobStore> NewTieredBlobStore(std::unique_ptr<BlobStore> large, MetadataStore& meta,
                                              const TieredBlobStoreOptions& options) {
  return std::make_unique<TieredBlobStore>(std::move(large), meta, options);
}

}  // namespace ck::storage
