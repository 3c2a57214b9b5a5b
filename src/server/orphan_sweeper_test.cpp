#include "server/orphan_sweeper.h"

#include <gtest/gtest.h>
#include <sys/time.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "storage/fs_blob_store.h"
#include "storage/memory_blob_store.h"

namespace ck::server {
namespace {

std::string Put(storage::BlobStore& blobs, std::string_view data) {
  auto w = blobs.NewWriter();
  EXPECT_TRUE(w.ok());
  EXPECT_TRUE((*w)->Append(data).ok());
  auto id = (*w)->Commit();
  EXPECT_TRUE(id.ok());
  return *id;
}

std::set<std::string> Ids(storage::BlobStore& blobs) {
  std::set<std::string> out;
  EXPECT_TRUE(blobs.ForEach([&](const storage::BlobInfo& b) { out.insert(b.id); }).ok());
  return out;
}

OrphanSweeper::References Refs(const std::set<std::string>* referenced) {
  return [referenced](const std::function<void(const std::string&)>& fn) {
    for (const auto& id : *referenced) fn(id);
    return Status::Ok();
  };
}

TEST(OrphanSweeper, StartUpSweepRemovesEveryUnreferencedBlob) {
  auto blobs = storage::NewMemoryBlobStore();
  std::string kept = Put(*blobs, "kept"), orphan = Put(*blobs, "orphan!");
  std::set<std::string> referenced = {kept, "0123456789abcdef0123456789abcdef"};  // a dangling one is harmless
  OrphanSweeper sweeper(*blobs, Refs(&referenced), {});
  ASSERT_TRUE(sweeper.SweepOnce(std::chrono::seconds(0)).ok());
  EXPECT_EQ(Ids(*blobs), std::set<std::string>{kept});
  auto h = sweeper.Health();
  EXPECT_EQ(h["sweeps"], 1);
  EXPECT_EQ(h["blobs_removed"], 1);
  EXPECT_EQ(h["blob_bytes_removed"], 7);
  (void)orphan;
}

TEST(OrphanSweeper, GraceSparesRecentBlobsWhileServing) {
  auto blobs = storage::NewMemoryBlobStore();
  std::string fresh = Put(*blobs, "just committed, record not yet written");
  std::set<std::string> referenced;
  OrphanSweeper sweeper(*blobs, Refs(&referenced), {});
  ASSERT_TRUE(sweeper.SweepOnce(std::chrono::seconds(600)).ok());
  EXPECT_EQ(Ids(*blobs), std::set<std::string>{fresh});
  EXPECT_EQ(sweeper.Health()["blobs_removed"], 0);
}

TEST(OrphanSweeper, UnreadableReferencesDeleteNothing) {
  auto blobs = storage::NewMemoryBlobStore();
  std::string a = Put(*blobs, "a");
  OrphanSweeper sweeper(*blobs, [](const auto&) { return DataLoss("record s3.objects/x: bad JSON"); }, {});
  EXPECT_FALSE(sweeper.SweepOnce(std::chrono::seconds(0)).ok());
  EXPECT_EQ(Ids(*blobs), std::set<std::string>{a});
  EXPECT_EQ(sweeper.Health()["failures"], 1);
}

// A reference missed by one read (its record moved meanwhile) keeps the blob.
TEST(OrphanSweeper, BlobSeenInEitherReadIsKept) {
  auto blobs = storage::NewMemoryBlobStore();
  std::string moving = Put(*blobs, "part of an upload being completed");
  int calls = 0;
  OrphanSweeper sweeper(*blobs,
                        [&](const std::function<void(const std::string&)>& fn) {
                          if (++calls == 2) fn(moving);
                          return Status::Ok();
                        },
                        {});
  ASSERT_TRUE(sweeper.SweepOnce(std::chrono::seconds(0)).ok());
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(Ids(*blobs), std::set<std::string>{moving});
}

TEST(OrphanSweeper, FsStoreTemporariesAndAgedOrphans) {
  char tmpl[] = "/tmp/crosskey-sweep-XXXXXX";
  std::string root = std::string(::mkdtemp(tmpl)) + "/blobs";
  auto opened = storage::OpenFsBlobStore(root);
  ASSERT_TRUE(opened.ok());
  storage::BlobStore& blobs = **opened;
  std::string old_orphan = Put(blobs, "old orphan"), new_orphan = Put(blobs, "new orphan");
  // Age one blob past the grace period.
  std::string path = root + "/" + old_orphan.substr(0, 2) + "/" + old_orphan;
  struct timeval times[2] = {{::time(nullptr) - 3600, 0}, {::time(nullptr) - 3600, 0}};
  ASSERT_EQ(::utimes(path.c_str(), times), 0);
  std::ofstream(root + "/tmp/00000000000000000000000000000000") << "crashed upload";
  auto live = blobs.NewWriter();  // an upload in progress
  ASSERT_TRUE((*live)->Append("in flight").ok());

  std::set<std::string> referenced;
  OrphanSweeper sweeper(blobs, Refs(&referenced), {});
  ASSERT_TRUE(sweeper.SweepOnce(std::chrono::seconds(600)).ok());
  EXPECT_EQ(Ids(blobs), std::set<std::string>{new_orphan});
  auto h = sweeper.Health();
  EXPECT_EQ(h["temp_files_removed"], 1);
  EXPECT_EQ(h["temp_bytes_removed"], 14);
  EXPECT_EQ(h["blobs_removed"], 1);
  EXPECT_TRUE((*live)->Commit().ok());
  std::filesystem::remove_all(std::filesystem::path(root).parent_path());
}

TEST(OrphanSweeper, TimerSweepsAndStops) {
  auto blobs = storage::NewMemoryBlobStore();
  Put(*blobs, "x");
  std::set<std::string> referenced;
  OrphanSweeper sweeper(*blobs, Refs(&referenced),
                        {.interval = std::chrono::seconds(1), .grace = std::chrono::seconds(0)});
  sweeper.Start();
  for (int i = 0; i < 300 && sweeper.Health()["sweeps"] == 0; ++i) ::usleep(10'000);
  sweeper.Stop();
  EXPECT_GE(sweeper.Health()["sweeps"], 1);
  EXPECT_TRUE(Ids(*blobs).empty());
}

}  // namespace
}  // namespace ck::server
