#include "storage/memory_blob_store.h"

#include <chrono>
#include <cstring>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>

namespace ck::storage {
namespace {

struct Blob {
  std::string bytes;
  int64_t mtime_unix;
};

struct Shared {
  std::shared_mutex mu;
  std::unordered_map<std::string, std::shared_ptr<const Blob>> blobs;
};

class MemoryBlobWriter final : public BlobWriter {
 public:
  explicit MemoryBlobWriter(std::shared_ptr<Shared> shared) : shared_(std::move(shared)) {}

  Status Append(std::string_view data) override {
    if (finished_) return FailedPrecondition("blob writer already committed or aborted");
    buf_.append(data);
    return Status::Ok();
  }
  uint64_t size() const override { return buf_.size(); }

  Result<std::string> Commit() override {
    if (finished_) return FailedPrecondition("blob writer already committed or aborted");
    finished_ = true;
    auto now = std::chrono::system_clock::now().time_since_epoch();
    auto blob = std::make_shared<const Blob>(
        Blob{std::move(buf_), std::chrono::duration_cast<std::chrono::seconds>(now).count()});
    std::string id = NewBlobId();
    std::unique_lock lock(shared_->mu);
    shared_->blobs.emplace(id, std::move(blob));
    return id;
  }

  void Abort() override {
    finished_ = true;
    buf_.clear();
  }

 private:
  std::shared_ptr<Shared> shared_;
  std::string buf_;
  bool finished_ = false;
};

class MemoryBlobReader final : public BlobReader {
 public:
  explicit MemoryBlobReader(std::shared_ptr<const Blob> blob) : blob_(std::move(blob)) {}
  uint64_t size() const override { return blob_->bytes.size(); }
  Result<size_t> ReadAt(uint64_t offset, char* out, size_t n) override {
    const std::string& b = blob_->bytes;
    if (offset >= b.size()) return size_t{0};
    size_t len = std::min<uint64_t>(n, b.size() - offset);
    std::memcpy(out, b.data() + offset, len);
    return len;
  }

 private:
  std::shared_ptr<const Blob> blob_;
};

class MemoryBlobStore final : public BlobStore {
 public:
  Result<std::unique_ptr<BlobWriter>> NewWriter() override {
    return std::unique_ptr<BlobWriter>(std::make_unique<MemoryBlobWriter>(shared_));
  }

  Result<std::unique_ptr<BlobReader>> Open(std::string_view id) override {
    if (!IsValidBlobId(id)) return InvalidArgument("malformed blob id");
    std::shared_lock lock(shared_->mu);
    auto it = shared_->blobs.find(std::string(id));
    if (it == shared_->blobs.end()) return NotFound("no blob " + std::string(id));
    return std::unique_ptr<BlobReader>(std::make_unique<MemoryBlobReader>(it->second));
  }

  Status Delete(std::string_view id) override {
    if (!IsValidBlobId(id)) return InvalidArgument("malformed blob id");
    std::unique_lock lock(shared_->mu);
    if (shared_->blobs.erase(std::string(id)) == 0) return NotFound("no blob " + std::string(id));
    return Status::Ok();
  }

  Status ForEach(const std::function<void(const BlobInfo&)>& fn) override {
    std::vector<BlobInfo> all;
    {
      std::shared_lock lock(shared_->mu);
      for (const auto& [id, blob] : shared_->blobs) {
        all.push_back(BlobInfo{id, blob->bytes.size(), blob->mtime_unix});
      }
    }
    for (const auto& info : all) fn(info);  // outside the lock: fn may call Delete
    return Status::Ok();
  }

  // Uncommitted data lives in its writer and goes with it.
  Result<TempCleanup> CleanTemporaries() override { return TempCleanup{}; }

  std::string Describe() const override { return "memory"; }

 private:
  // Shared with writers: one that outlives the store still commits into live memory.
  std::shared_ptr<Shared> shared_ = std::make_shared<Shared>();
};

}  // namespace

std::unique_ptr<BlobStore> NewMemoryBlobStore() { return std::make_unique<MemoryBlobStore>(); }

}  // namespace ck::storage
