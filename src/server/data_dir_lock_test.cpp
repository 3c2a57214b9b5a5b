#include "server/data_dir_lock.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace ck::server {
namespace {

std::string TempDir() {
  char tmpl[] = "/tmp/crosskey-lock-XXXXXX";
  return ::mkdtemp(tmpl);
}

TEST(DataDirLock, SecondHolderIsRefusedWithThePid) {
  std::string dir = TempDir() + "/data";
  auto first = DataDirLock::Acquire(dir);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  std::ifstream in(dir + "/crosskey.lock");
  std::string pid;
  in >> pid;
  EXPECT_EQ(pid, std::to_string(::getpid()));

  // flock locks belong to the open file description: a second open in this
  // process conflicts just as another process would.
  auto second = DataDirLock::Acquire(dir);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(second.status().message(), "data directory " + dir + " is in use by another crosskey process (pid " +
                                           std::to_string(::getpid()) +
                                           "); stop it first, or give this one another --data-dir");

  first->reset();
  auto third = DataDirLock::Acquire(dir);
  EXPECT_TRUE(third.ok()) << third.status().ToString();
  std::filesystem::remove_all(std::filesystem::path(dir).parent_path());
}

}  // namespace
}  // namespace ck::server
