#include "storage/fs_blob_store.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <memory>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace ck::storage {
namespace {

Status ErrnoStatus(const std::string& what, int err) {
  std::string msg = what + ": " + std::strerror(err);
  if (err == ENOSPC || err == EDQUOT) return Status(Code::kResourceExhausted, std::move(msg));
  if (err == ENOENT) return NotFound(std::move(msg));
  return Internal(std::move(msg));
}

// For a writer's own files: a vanished file is an internal failure, not a
// missing resource the client asked for.
Status WriterErrno(const std::string& what, int err) {
  Status s = ErrnoStatus(what, err);
  if (s.code() == Code::kNotFound) return Internal(s.message());
  return s;
}

// Ids of the writers in progress, shared by the store and its writers so
// CleanTemporaries spares their files.
struct LiveWriters {
  std::mutex mu;
  std::unordered_set<std::string> ids;
  void Add(const std::string& id) {
    std::lock_guard lock(mu);
    ids.insert(id);
  }
  void Remove(const std::string& id) {
    std::lock_guard lock(mu);
    ids.erase(id);
  }
  bool Has(const std::string& id) {
    std::lock_guard lock(mu);
    return ids.count(id) > 0;
  }
};

Status FsyncPath(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_DIRECTORY);
  if (fd < 0) return ErrnoStatus("open " + path, errno);
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  if (rc != 0) return ErrnoStatus("fsync " + path, err);
  return Status::Ok();
}

Status WriteFully(int fd, const char* p, size_t n, const std::string& path) {
  while (n > 0) {
    ssize_t w = ::write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return WriterErrno("write " + path, errno);
    }
    p += w;
    n -= static_cast<size_t>(w);
  }
  return Status::Ok();
}

Status MakeDir(const std::string& path) {
  if (::mkdir(path.c_str(), 0755) != 0 && errno != EEXIST) {
    return ErrnoStatus("mkdir " + path, errno);
  }
  return Status::Ok();
}

class FsBlobWriter final : public BlobWriter {
 public:
  FsBlobWriter(std::string root, std::string id, int fd, FsBlobStoreOptions options, std::shared_ptr<LiveWriters> live)
      : root_(std::move(root)), id_(std::move(id)), fd_(fd), options_(options), live_(std::move(live)) {
    tmp_path_ = root_ + "/tmp/" + id_;
    buf_.reserve(options_.write_buffer_bytes);
  }
  ~FsBlobWriter() override {
    Abort();
    live_->Remove(id_);  // after the tmp file is renamed or unlinked
  }

  Status Append(std::string_view data) override {
    if (fd_ < 0) return FailedPrecondition("blob writer already committed or aborted");
    size_ += data.size();
    if (buf_.size() + data.size() <= options_.write_buffer_bytes) {
      buf_.append(data);
      return Status::Ok();
    }
    CK_RETURN_IF_ERROR(Flush());
    if (data.size() >= options_.write_buffer_bytes) {
      return WriteFully(fd_, data.data(), data.size(), tmp_path_);
    }
    buf_.append(data);
    return Status::Ok();
  }

  uint64_t size() const override { return size_; }

  Result<std::string> Commit() override {
    if (fd_ < 0) return FailedPrecondition("blob writer already committed or aborted");
    Status s = Finish();
    if (!s.ok()) {
      Abort();
      return s;
    }
    committed_ = true;
    return id_;
  }

  void Abort() override {
    if (committed_ || aborted_) return;
    aborted_ = true;
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    ::unlink(tmp_path_.c_str());
  }

 private:
  Status Flush() {
    Status s = WriteFully(fd_, buf_.data(), buf_.size(), tmp_path_);
    buf_.clear();
    return s;
  }

  Status Finish() {
    CK_RETURN_IF_ERROR(Flush());
    if (options_.fsync && ::fsync(fd_) != 0) return WriterErrno("fsync " + tmp_path_, errno);
    int rc = ::close(fd_);
    fd_ = -1;
    if (rc != 0) return WriterErrno("close " + tmp_path_, errno);
    std::string shard = root_ + "/" + id_.substr(0, 2);
    std::string final_path = shard + "/" + id_;
    if (::rename(tmp_path_.c_str(), final_path.c_str()) != 0) {
      if (errno != ENOENT) return WriterErrno("rename to " + final_path, errno);
      // First blob of this shard: make the directory (and make it durable).
      CK_RETURN_IF_ERROR(MakeDir(shard));
      if (options_.fsync) CK_RETURN_IF_ERROR(FsyncPath(root_));
      if (::rename(tmp_path_.c_str(), final_path.c_str()) != 0) {
        return WriterErrno("rename " + tmp_path_ + " to " + final_path, errno);
      }
    }
    if (options_.fsync) {
      Status s = FsyncPath(shard);
      if (!s.ok()) {
        // Not durable, so not acknowledged: do not leave an orphan behind.
        ::unlink(final_path.c_str());
        return s;
      }
    }
    return Status::Ok();
  }

  const std::string root_;
  const std::string id_;
  std::string tmp_path_;
  int fd_;
  const FsBlobStoreOptions options_;
  std::shared_ptr<LiveWriters> live_;
  std::string buf_;
  uint64_t size_ = 0;
  bool committed_ = false;
  bool aborted_ = false;
};

// A committed blob opened read-only. Blobs never change once committed (a
// write makes a new id), so one open file serves every reader of the blob;
// it closes when the last reader and the fd cache let go of it.
struct OpenBlob {
  OpenBlob(int fd, uint64_t size, std::string path) : fd(fd), size(size), path(std::move(path)) {}
  ~OpenBlob() { ::close(fd); }
  OpenBlob(const OpenBlob&) = delete;
  OpenBlob& operator=(const OpenBlob&) = delete;
  const int fd;
  const uint64_t size;
  const std::string path;
};

// Open blobs by id, so a hot object is read without open/fstat/close per
// request. Bounded (cleared when full). Delete() drops the id after the
// unlink and bumps the generation, and an Open that began before that does
// not cache what it opened, so a deleted blob does not stay served from here.
class FdCache {
 public:
  static constexpr size_t kMaxOpen = 256;

  std::shared_ptr<const OpenBlob> Find(std::string_view id, uint64_t* generation) {
    std::lock_guard lock(mu_);
    *generation = generation_;
    auto it = open_.find(std::string(id));
    return it == open_.end() ? nullptr : it->second;
  }
  void Offer(std::string_view id, uint64_t generation, std::shared_ptr<const OpenBlob> blob) {
    std::lock_guard lock(mu_);
    if (generation != generation_) return;
    if (open_.size() >= kMaxOpen) open_.clear();
    open_.insert_or_assign(std::string(id), std::move(blob));
  }
  void Drop(std::string_view id) {
    std::lock_guard lock(mu_);
    ++generation_;
    open_.erase(std::string(id));
  }

 private:
  std::mutex mu_;
  uint64_t generation_ = 0;
  std::unordered_map<std::string, std::shared_ptr<const OpenBlob>> open_;
};

class FsBlobReader final : public BlobReader {
 public:
  explicit FsBlobReader(std::shared_ptr<const OpenBlob> blob) : blob_(std::move(blob)) {}

  uint64_t size() const override { return blob_->size; }

  Result<size_t> ReadAt(uint64_t offset, char* out, size_t n) override {
    const uint64_t size = blob_->size;
    if (offset >= size) return size_t{0};
    n = static_cast<size_t>(std::min<uint64_t>(n, size - offset));
    size_t got = 0;
    while (got < n) {
      ssize_t r = ::pread(blob_->fd, out + got, n - got, static_cast<off_t>(offset + got));
      if (r < 0) {
        if (errno == EINTR) continue;
        return ErrnoStatus("pread " + blob_->path, errno);
      }
      if (r == 0) return DataLoss(blob_->path + ": blob file is shorter than when opened");
      got += static_cast<size_t>(r);
    }
    return got;
  }

 private:
  const std::shared_ptr<const OpenBlob> blob_;
};

class FsBlobStore final : public BlobStore {
 public:
  FsBlobStore(std::string root, FsBlobStoreOptions options)
      : root_(std::move(root)), options_(options), live_(std::make_shared<LiveWriters>()) {}

  Result<std::unique_ptr<BlobWriter>> NewWriter() override {
    std::string id = NewBlobId();
    std::string path = root_ + "/tmp/" + id;
    live_->Add(id);  // before the file exists, so no clean-up can take it
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
      int err = errno;
      live_->Remove(id);
      return WriterErrno("create " + path, err);
    }
    return std::unique_ptr<BlobWriter>(std::make_unique<FsBlobWriter>(root_, id, fd, options_, live_));
  }

  Result<TempCleanup> CleanTemporaries() override {
    std::string tmp = root_ + "/tmp";
    TempCleanup out;
    std::error_code ec;
    std::vector<std::filesystem::path> found;
    for (std::filesystem::directory_iterator it(tmp, ec), end; !ec && it != end; it.increment(ec))
      found.push_back(it->path());
    if (ec) return Internal("list " + tmp + ": " + ec.message());
    for (const auto& path : found) {
      if (live_->Has(path.filename().string())) continue;  // a write in progress
      struct stat st;
      if (::lstat(path.c_str(), &st) != 0) continue;  // committed or aborted meanwhile
      uint64_t bytes = S_ISREG(st.st_mode) ? static_cast<uint64_t>(st.st_size) : 0;
      auto removed = std::filesystem::remove_all(path, ec);
      if (ec) return Internal("clean " + path.string() + ": " + ec.message());
      if (removed > 0) {
        out.files += 1;
        out.bytes += bytes;
      }
    }
    if (out.files > 0 && options_.fsync) CK_RETURN_IF_ERROR(FsyncPath(tmp));
    return out;
  }

  Result<std::unique_ptr<BlobReader>> Open(std::string_view id) override {
    if (!IsHexBlobId(id)) return InvalidArgument("malformed blob id");
    uint64_t generation = 0;
    if (auto blob = fds_.Find(id, &generation)) return std::unique_ptr<BlobReader>(std::make_unique<FsBlobReader>(blob));
    std::string path = PathOf(id);
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      if (errno == ENOENT) return NotFound("no blob " + std::string(id));
      return ErrnoStatus("open " + path, errno);
    }
    struct stat st;
    if (::fstat(fd, &st) != 0) {
      int err = errno;
      ::close(fd);
      return ErrnoStatus("fstat " + path, err);
    }
    auto blob = std::make_shared<const OpenBlob>(fd, static_cast<uint64_t>(st.st_size), std::move(path));
    fds_.Offer(id, generation, blob);
    return std::unique_ptr<BlobReader>(std::make_unique<FsBlobReader>(std::move(blob)));
  }

  Status Delete(std::string_view id) override {
    if (!IsHexBlobId(id)) return InvalidArgument("malformed blob id");
    std::string path = PathOf(id);
    int rc = ::unlink(path.c_str());
    int err = errno;
    fds_.Drop(id);  // after the unlink: an Open that raced it cannot cache the file
    if (rc != 0) {
      if (err == ENOENT) return NotFound("no blob " + std::string(id));
      return ErrnoStatus("unlink " + path, err);
    }
    return Status::Ok();
  }

  Status ForEach(const std::function<void(const BlobInfo&)>& fn) override {
    std::error_code ec;
    std::vector<std::string> shards;
    for (std::filesystem::directory_iterator it(root_, ec), end; !ec && it != end;
         it.increment(ec)) {
      std::string name = it->path().filename().string();
      if (name.size() == 2 && IsHexBlobId(name + std::string(30, '0'))) shards.push_back(name);
    }
    if (ec) return Internal("list " + root_ + ": " + ec.message());
    for (const std::string& shard : shards) {
      std::string dir = root_ + "/" + shard;
      std::vector<BlobInfo> infos;
      for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end;
           it.increment(ec)) {
        std::string name = it->path().filename().string();
        if (!IsHexBlobId(name) || name.compare(0, 2, shard) != 0) continue;
        struct stat st;
        if (::stat((dir + "/" + name).c_str(), &st) != 0) continue;  // deleted meanwhile
        infos.push_back(BlobInfo{name, static_cast<uint64_t>(st.st_size),
                                 static_cast<int64_t>(st.st_mtime)});
      }
      if (ec) return Internal("list " + dir + ": " + ec.message());
      for (const auto& info : infos) fn(info);
    }
    return Status::Ok();
  }

  std::string Describe() const override {
    return "fs:" + root_ + (options_.fsync ? " (fsync)" : "");
  }

 private:
  std::string PathOf(std::string_view id) const {
    return root_ + "/" + std::string(id.substr(0, 2)) + "/" + std::string(id);
  }

  const std::string root_;
  const FsBlobStoreOptions options_;
  std::shared_ptr<LiveWriters> live_;
  FdCache fds_;
};

}  // namespace

Result<std::unique_ptr<BlobStore>> OpenFsBlobStore(const std::string& dir,
                                                   const FsBlobStoreOptions& options) {
  if (dir.empty()) return InvalidArgument("blob store directory is empty");
  if (options.write_buffer_bytes == 0) return InvalidArgument("write_buffer_bytes must be > 0");
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Internal("create " + dir + ": " + ec.message());
  std::string tmp = dir + "/tmp";
  CK_RETURN_IF_ERROR(MakeDir(tmp));
  if (options.fsync) {
    CK_RETURN_IF_ERROR(FsyncPath(tmp));
    CK_RETURN_IF_ERROR(FsyncPath(dir));
  }
  return std::unique_ptr<BlobStore>(std::make_unique<FsBlobStore>(dir, options));
}

}  // namespace ck::storage
