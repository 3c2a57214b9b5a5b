// FsBlobStore specifics: on-disk layout, tmp/ cleanup, crash safety.
#include "storage/fs_blob_store.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "storage/storage_test_util.h"

namespace ck::storage {
namespace {

namespace fs = std::filesystem;

size_t CountEntries(const std::string& dir) {
  size_t n = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++n;
  return n;
}

class FsBlobStoreTest : public ::testing::Test {
 protected:
  std::string root() const { return dir_.path() + "/blobs"; }
  std::unique_ptr<BlobStore> Open(FsBlobStoreOptions o = {}) {
    auto s = OpenFsBlobStore(root(), o);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::move(s).value() : nullptr;
  }
  testing::TempDir dir_;
};

TEST_F(FsBlobStoreTest, CommittedBlobLivesInShardDirectory) {
  auto store = Open({.fsync = true});
  EXPECT_EQ(store->Describe(), "fs:" + root() + " (fsync)");
  auto w = store->NewWriter();
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE((*w)->Append("hello").ok());
  EXPECT_EQ(CountEntries(root() + "/tmp"), 1u);  // in progress
  auto id = (*w)->Commit();
  ASSERT_TRUE(id.ok());
  std::string path = root() + "/" + id->substr(0, 2) + "/" + *id;
  EXPECT_TRUE(fs::is_regular_file(path)) << path;
  EXPECT_EQ(fs::file_size(path), 5u);
  EXPECT_EQ(CountEntries(root() + "/tmp"), 0u);
  ASSERT_TRUE(store->Delete(*id).ok());
  EXPECT_FALSE(fs::exists(path));
}

TEST_F(FsBlobStoreTest, AbortRemovesTemporaryFile) {
  auto store = Open();
  auto w = store->NewWriter();
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE((*w)->Append(std::string(3 << 20, 'x')).ok());
  EXPECT_EQ(CountEntries(root() + "/tmp"), 1u);
  w->reset();
  EXPECT_EQ(CountEntries(root() + "/tmp"), 0u);
}

TEST_F(FsBlobStoreTest, CleanTemporariesDeletesLeftoversInTmp) {
  std::string kept;
  {
    auto store = Open();
    auto w = store->NewWriter();
    ASSERT_TRUE((*w)->Append("kept").ok());
    kept = *(*w)->Commit();
  }
  // What a crash mid-write leaves behind.
  std::ofstream(root() + "/tmp/0123456789abcdef0123456789abcdef") << "partial";
  std::ofstream(root() + "/tmp/stray") << "x";
  fs::create_directories(root() + "/tmp/subdir/deeper");
  auto store = Open();
  EXPECT_EQ(CountEntries(root() + "/tmp"), 3u);  // opening alone deletes nothing
  auto cleaned = store->CleanTemporaries();
  ASSERT_TRUE(cleaned.ok()) << cleaned.status().ToString();
  EXPECT_EQ(cleaned->files, 3u);
  EXPECT_EQ(cleaned->bytes, 8u);  // "partial" + "x"
  EXPECT_EQ(CountEntries(root() + "/tmp"), 0u);
  auto r = store->Open(kept);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*ReadAll(**r), "kept");
}

TEST_F(FsBlobStoreTest, ForEachIgnoresForeignFiles) {
  auto store = Open();
  auto w = store->NewWriter();
  ASSERT_TRUE((*w)->Append("x").ok());
  std::string id = *(*w)->Commit();
  std::ofstream(root() + "/README") << "not a blob";
  std::ofstream(root() + "/" + id.substr(0, 2) + "/notes.txt") << "not a blob";
  fs::create_directories(root() + "/zz");
  std::vector<std::string> ids;
  ASSERT_TRUE(store->ForEach([&](const BlobInfo& b) { ids.push_back(b.id); }).ok());
  EXPECT_EQ(ids, std::vector<std::string>{id});
}

TEST_F(FsBlobStoreTest, RejectsBadOptions) {
  EXPECT_EQ(OpenFsBlobStore("", {}).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(OpenFsBlobStore(root(), {.write_buffer_bytes = 0}).status().code(),
            Code::kInvalidArgument);
}

// The child commits blobs and reports each id over a pipe until SIGKILL.
// Every reported blob must read back whole after reopen, and tmp/ is empty.
TEST_F(FsBlobStoreTest, CommittedBlobsSurviveKill9) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::close(fds[0]);
    auto s = OpenFsBlobStore(root(), {.write_buffer_bytes = 1000});
    if (!s.ok()) ::_exit(2);
    for (int i = 0;; ++i) {
      auto w = (*s)->NewWriter();
      if (!w.ok()) ::_exit(3);
      for (int j = 0; j < 10; ++j) {
        if (!(*w)->Append(std::string(777, static_cast<char>('a' + i % 26))).ok()) ::_exit(4);
      }
      auto id = (*w)->Commit();
      if (!id.ok()) ::_exit(5);
      if (::write(fds[1], id->data(), 32) != 32) ::_exit(6);
      // Leave a writer open so a partial file is likely in tmp/ at the kill.
      auto pending = (*s)->NewWriter();
      if (pending.ok()) (void)(*pending)->Append(std::string(5000, 'p'));
    }
  }
  ::close(fds[1]);
  std::vector<std::string> ids;
  char buf[32];
  while (ids.size() < 100 && ::read(fds[0], buf, 32) == 32) ids.emplace_back(buf, 32);
  ::kill(pid, SIGKILL);
  while (::read(fds[0], buf, 32) == 32) ids.emplace_back(buf, 32);
  ::close(fds[0]);
  int wstatus = 0;
  ::waitpid(pid, &wstatus, 0);
  ASSERT_TRUE(WIFSIGNALED(wstatus)) << "child exited early: " << WEXITSTATUS(wstatus);
  ASSERT_GE(ids.size(), 100u);

  auto store = Open();
  ASSERT_TRUE(store->CleanTemporaries().ok());
  EXPECT_EQ(CountEntries(root() + "/tmp"), 0u);
  for (size_t i = 0; i < ids.size(); ++i) {
    auto r = store->Open(ids[i]);
    ASSERT_TRUE(r.ok()) << "committed blob " << i << " lost";
    EXPECT_EQ(*ReadAll(**r), std::string(7770, static_cast<char>('a' + i % 26))) << i;
  }
}

// A clean-up while serving spares the files of writers in progress, and
// those writers still commit.
TEST_F(FsBlobStoreTest, CleanTemporariesSparesLiveWriters) {
  auto store = Open();
  auto live = store->NewWriter();
  ASSERT_TRUE(live.ok());
  ASSERT_TRUE((*live)->Append(std::string(2 << 20, 'l')).ok());
  std::ofstream(root() + "/tmp/fedcba9876543210fedcba9876543210") << "dead";
  auto cleaned = store->CleanTemporaries();
  ASSERT_TRUE(cleaned.ok());
  EXPECT_EQ(cleaned->files, 1u);
  EXPECT_EQ(CountEntries(root() + "/tmp"), 1u);
  auto id = (*live)->Commit();
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  auto r = store->Open(*id);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)->size(), 2u << 20);
}

// A writer whose temporary file vanished (another process cleaned the
// directory) fails as an internal error, not as a missing resource.
TEST_F(FsBlobStoreTest, VanishedTemporaryIsInternalNotNotFound) {
  auto store = Open();
  auto w = store->NewWriter();
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE((*w)->Append("abc").ok());
  for (const auto& e : fs::directory_iterator(root() + "/tmp")) fs::remove(e.path());
  auto id = (*w)->Commit();
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.status().code(), Code::kInternal) << id.status().ToString();
}

// Reads reuse one open file per blob (the fd cache); a delete ends that.
TEST_F(FsBlobStoreTest, DeletedBlobIsNotServedFromTheFdCache) {
  auto store = Open();
  auto w = store->NewWriter();
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE((*w)->Append("hello").ok());
  auto id = (*w)->Commit();
  ASSERT_TRUE(id.ok());
  for (int i = 0; i < 3; ++i) {  // the second and third open come from the cache
    auto r = store->Open(*id);
    ASSERT_TRUE(r.ok());
    char buf[5];
    auto n = (*r)->ReadAt(0, buf, 5);
    ASSERT_TRUE(n.ok());
    EXPECT_EQ(std::string(buf, *n), "hello");
  }
  auto held = store->Open(*id);  // a reader open across the delete keeps reading
  ASSERT_TRUE(held.ok());
  ASSERT_TRUE(store->Delete(*id).ok());
  auto again = store->Open(*id);
  EXPECT_EQ(again.status().code(), Code::kNotFound);
  char buf[5];
  auto n = (*held)->ReadAt(0, buf, 5);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(std::string(buf, *n), "hello");
  EXPECT_EQ(store->Delete(*id).code(), Code::kNotFound);
}

TEST_F(FsBlobStoreTest, ManyOpenBlobsStayBounded) {
  auto store = Open();
  std::vector<std::string> ids;
  for (int i = 0; i < 300; ++i) {
    auto w = store->NewWriter();
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE((*w)->Append(std::to_string(i)).ok());
    auto id = (*w)->Commit();
    ASSERT_TRUE(id.ok());
    ids.push_back(*id);
  }
  size_t fds_before = CountEntries("/proc/self/fd");
  for (int round = 0; round < 2; ++round)
    for (size_t i = 0; i < ids.size(); ++i) {
      auto r = store->Open(ids[i]);
      ASSERT_TRUE(r.ok());
      char buf[8];
      auto n = (*r)->ReadAt(0, buf, sizeof buf);
      ASSERT_TRUE(n.ok());
      EXPECT_EQ(std::string(buf, *n), std::to_string(i));
    }
  EXPECT_LE(CountEntries("/proc/self/fd"), fds_before + 256 + 1);  // the cache's bound
  for (const auto& id : ids) ASSERT_TRUE(store->Delete(id).ok());
  EXPECT_LE(CountEntries("/proc/self/fd"), fds_before);
}

}  // namespace
}  // namespace ck::storage
