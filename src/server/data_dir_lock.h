// DataDirLock: one crosskey process per data directory. An exclusive
// flock(2) on <dir>/crosskey.lock, held for the life of the process (the
// kernel drops it when the process dies, even by kill -9, so a crash never
// leaves a stale lock). The file holds the owner's pid, so a second instance
// can say who has the directory; it then stops before touching anything else
// in it (the metadata database, the blobs and their temporary files).
//
// Thread safety: an owned value; create it once at start-up.
#pragma once

#include <memory>
#include <string>

#include "base/status.h"

namespace ck::server {

class DataDirLock {
 public:
  // Takes the lock, creating the directory and the lock file if needed.
  // kFailedPrecondition naming the holder's pid when another process has it.
  static Result<std::unique_ptr<DataDirLock>> Acquire(const std::string& dir);
  ~DataDirLock();
  DataDirLock(const DataDirLock&) = delete;
  DataDirLock& operator=(const DataDirLock&) = delete;

  const std::string& path() const { return path_; }

 private:
  DataDirLock(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  std::string path_;
  int fd_;
};

}  // namespace ck::server
