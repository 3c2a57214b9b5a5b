// Test helpers for the storage tests: a scratch directory removed afterwards.
// Header-only so it stays out of ck_storage. Not thread-safe.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <string>

namespace ck::storage::testing {

class TempDir {
 public:
  TempDir() {
    std::string base = std::filesystem::temp_directory_path().string() + "/ck_storage_XXXXXX";
    char* p = ::mkdtemp(base.data());
    path_ = p ? p : "";
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace ck::storage::testing
