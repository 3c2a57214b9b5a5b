// Which tier a blob lands in, and that each tier's copy comes and goes with
// the blob (the shared behaviour is in blob_store_conformance_test.cpp).
#include "storage/tiered_blob_store.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "storage/fs_blob_store.h"
#include "storage/sqlite_metadata_store.h"
#include "storage/storage_test_util.h"

namespace ck::storage {
namespace {

class TieredBlobStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto meta = OpenSqliteMetadataStore(dir_.path() + "/metadata.db");
    ASSERT_TRUE(meta.ok()) << meta.status().ToString();
    meta_ = std::move(*meta);
    auto files = OpenFsBlobStore(dir_.path() + "/blobs");
    ASSERT_TRUE(files.ok());
    store_ = NewTieredBlobStore(std::move(*files), *meta_, {.max_inline_bytes = 100, .cache_bytes = 250});
  }

  std::string Write(const std::vector<std::string>& chunks) {
    auto w = store_->NewWriter();
    EXPECT_TRUE(w.ok());
    for (const auto& c : chunks) EXPECT_TRUE((*w)->Append(c).ok());
    auto id = (*w)->Commit();
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : "";
  }
  bool InTable(const std::string& id) {
    auto row = meta_->Get(kSmallBlobTable, id);
    EXPECT_TRUE(row.ok());
    return row.ok() && row->has_value();
  }
  bool IsFile(const std::string& id) {
    return std::filesystem::exists(dir_.path() + "/blobs/" + id.substr(0, 2) + "/" + id);
  }
  size_t TmpFiles() {
    size_t n = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir_.path() + "/blobs/tmp")) ++n;
    return n;
  }
  std::string Read(const std::string& id) {
    auto r = store_->Open(id);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    if (!r.ok()) return "<missing>";
    auto all = ReadAll(**r);
    return all.ok() ? *all : "<error>";
  }

  testing::TempDir dir_;
  std::unique_ptr<MetadataStore> meta_;
  std::unique_ptr<BlobStore> store_;
};

TEST_F(TieredBlobStoreTest, UpToTheLimitIsARowOneByteMoreIsAFile) {
  std::string at = Write({std::string(60, 'a'), std::string(40, 'b')});
  std::string over = Write({std::string(60, 'a'), std::string(41, 'c')});
  std::string empty = Write({});
  EXPECT_TRUE(InTable(at));
  EXPECT_FALSE(IsFile(at));
  EXPECT_TRUE(InTable(empty));
  EXPECT_FALSE(InTable(over));
  EXPECT_TRUE(IsFile(over));
  EXPECT_EQ(Read(at), std::string(60, 'a') + std::string(40, 'b'));
  EXPECT_EQ(Read(over), std::string(60, 'a') + std::string(41, 'c'));
  EXPECT_EQ(Read(empty), "");
}

TEST_F(TieredBlobStoreTest, SmallIdsSayTheirTier) {
  std::string small = Write({"tiny"});
  std::string large = Write({std::string(200, 'L')});
  EXPECT_TRUE(IsSmallBlobId(small)) << small;
  EXPECT_TRUE(IsValidBlobId(small));
  EXPECT_TRUE(IsHexBlobId(large)) << large;
  EXPECT_EQ(Read(small), "tiny");
  EXPECT_EQ(Read(large), std::string(200, 'L'));
  // A small-form id that was never written is not looked for among files.
  std::string missing = "s" + NewBlobId().substr(1);
  EXPECT_EQ(store_->Open(missing).status().code(), Code::kNotFound);
  EXPECT_EQ(store_->Delete(missing).code(), Code::kNotFound);
}

TEST_F(TieredBlobStoreTest, CommitIntoExistsOnlyOnceTheBatchIsApplied) {
  auto w = store_->NewWriter();
  ASSERT_TRUE((*w)->Append("staged").ok());
  WriteBatch batch;
  auto id = (*w)->CommitInto(batch);
  ASSERT_TRUE(id.ok());
  EXPECT_FALSE(batch.empty());
  EXPECT_EQ(store_->Open(*id).status().code(), Code::kNotFound);  // not yet
  ASSERT_TRUE(meta_->Apply(batch).ok());
  EXPECT_EQ(Read(*id), "staged");
  EXPECT_EQ((*w)->Commit().status().code(), Code::kFailedPrecondition);  // done

  // A staged batch that is never applied leaves nothing behind.
  auto never = store_->NewWriter();
  ASSERT_TRUE((*never)->Append("dropped").ok());
  WriteBatch dropped;
  auto gone = (*never)->CommitInto(dropped);
  ASSERT_TRUE(gone.ok());
  EXPECT_EQ(store_->Open(*gone).status().code(), Code::kNotFound);

  // A large blob commits at once and leaves the batch alone.
  auto big = store_->NewWriter();
  ASSERT_TRUE((*big)->Append(std::string(101, 'b')).ok());
  WriteBatch untouched;
  auto big_id = (*big)->CommitInto(untouched);
  ASSERT_TRUE(big_id.ok());
  EXPECT_TRUE(untouched.empty());
  EXPECT_TRUE(IsFile(*big_id));
}

TEST_F(TieredBlobStoreTest, DeleteIntoTakesSmallBlobsOnly) {
  std::string small = Write({"row"});
  std::string large = Write({std::string(150, 'f')});
  EXPECT_EQ(Read(small), "row");  // cached
  WriteBatch batch;
  EXPECT_TRUE(store_->DeleteInto(batch, small));
  EXPECT_FALSE(store_->DeleteInto(batch, large));
  EXPECT_TRUE(InTable(small));  // until the batch is applied
  ASSERT_TRUE(meta_->Apply(batch).ok());
  EXPECT_FALSE(InTable(small));
  EXPECT_EQ(store_->Open(small).status().code(), Code::kNotFound);
  EXPECT_TRUE(IsFile(large));
}

TEST_F(TieredBlobStoreTest, TheRowCarriesWhenItWasWritten) {
  std::string id = Write({"hello"});
  auto row = meta_->Get(kSmallBlobTable, id);
  ASSERT_TRUE(row.ok() && row->has_value());
  EXPECT_EQ((*row)->size(), 8u + 5u);
  EXPECT_EQ((*row)->substr(8), "hello");
  std::vector<BlobInfo> seen;
  ASSERT_TRUE(store_->ForEach([&](const BlobInfo& b) { seen.push_back(b); }).ok());
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].id, id);
  EXPECT_EQ(seen[0].size, 5u);
  int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                    std::chrono::system_clock::now().time_since_epoch()).count();
  EXPECT_LE(std::abs(seen[0].mtime_unix - now), 5);
}

TEST_F(TieredBlobStoreTest, AbortLeavesNothingInEitherTier) {
  {
    auto small = store_->NewWriter();
    ASSERT_TRUE((*small)->Append("abc").ok());
    auto big = store_->NewWriter();
    ASSERT_TRUE((*big)->Append(std::string(500, 'x')).ok());
    EXPECT_EQ(TmpFiles(), 1u);  // the spilled writer's file
    (*big)->Abort();
  }  // `small` goes out of scope uncommitted
  EXPECT_EQ(TmpFiles(), 0u);
  size_t n = 0;
  ASSERT_TRUE(store_->ForEach([&](const BlobInfo&) { ++n; }).ok());
  EXPECT_EQ(n, 0u);
  auto rows = meta_->Count(kSmallBlobTable, "");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(*rows, 0u);
}

TEST_F(TieredBlobStoreTest, DeleteRemovesTheRowAndTheCachedBytes) {
  std::string id = Write({"cached"});
  EXPECT_EQ(Read(id), "cached");  // now in the cache
  ASSERT_TRUE(store_->Delete(id).ok());
  EXPECT_FALSE(InTable(id));
  EXPECT_EQ(store_->Open(id).status().code(), Code::kNotFound);
  EXPECT_EQ(store_->Delete(id).code(), Code::kNotFound);
}

TEST_F(TieredBlobStoreTest, TheCacheIsBoundedAndReadsStayRight) {
  // 250 bytes of cache, 100-byte blobs: later reads evict earlier ones and
  // every read still returns the blob's own bytes.
  std::vector<std::pair<std::string, std::string>> blobs;
  for (char c = 'a'; c < 'a' + 6; ++c) {
    std::string data(100, c);
    blobs.emplace_back(Write({data}), data);
  }
  for (int round = 0; round < 3; ++round)
    for (const auto& [id, data] : blobs) EXPECT_EQ(Read(id), data);
}

TEST_F(TieredBlobStoreTest, ZeroLimitSendsEveryBlobToTheLargeStore) {
  auto files = OpenFsBlobStore(dir_.path() + "/blobs2");
  ASSERT_TRUE(files.ok());
  auto all_files = NewTieredBlobStore(std::move(*files), *meta_, {.max_inline_bytes = 0});
  auto w = all_files->NewWriter();
  ASSERT_TRUE((*w)->Append("x").ok());
  auto id = (*w)->Commit();
  ASSERT_TRUE(id.ok());
  EXPECT_FALSE(InTable(*id));
  EXPECT_TRUE(std::filesystem::exists(dir_.path() + "/blobs2/" + id->substr(0, 2) + "/" + *id));
}

}  // namespace
}  // namespace ck::storage
