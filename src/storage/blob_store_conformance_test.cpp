// One suite for every BlobStore backend. A new backend adds a traits struct.
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "storage/blob_store.h"
#include "storage/fs_blob_store.h"
#include "storage/memory_blob_store.h"
#include "storage/sqlite_metadata_store.h"
#include "storage/tiered_blob_store.h"
#include "storage/storage_test_util.h"

namespace ck::storage {
namespace {

struct MemoryBlobs {
  static constexpr bool kPersistent = false;
  static Result<std::unique_ptr<BlobStore>> Open(const std::string&) {
    return NewMemoryBlobStore();
  }
};

struct FsBlobs {
  static constexpr bool kPersistent = true;
  static Result<std::unique_ptr<BlobStore>> Open(const std::string& dir) {
    // A small buffer exercises the buffered, flushed and direct write paths.
    return OpenFsBlobStore(dir + "/blobs", {.fsync = false, .write_buffer_bytes = 4096});
  }
};

struct FsFsyncBlobs {
  static constexpr bool kPersistent = true;
  static Result<std::unique_ptr<BlobStore>> Open(const std::string& dir) {
    return OpenFsBlobStore(dir + "/blobs", {.fsync = true});
  }
};

// Small blobs as SQLite rows, larger ones as files. The threshold is low so
// the suite's blobs land in both tiers (5,000 and 7 bytes in rows; the rest
// in files, some after spilling from the in-memory buffer).
class OwningTieredStore final : public BlobStore {
 public:
  OwningTieredStore(std::unique_ptr<MetadataStore> meta, std::unique_ptr<BlobStore> files)
      : meta_(std::move(meta)),
        tiered_(NewTieredBlobStore(std::move(files), *meta_, {.max_inline_bytes = 6000, .cache_bytes = 8000})) {}
  Result<std::unique_ptr<BlobWriter>> NewWriter() override { return tiered_->NewWriter(); }
  Result<std::unique_ptr<BlobReader>> Open(std::string_view id) override { return tiered_->Open(id); }
  Status Delete(std::string_view id) override { return tiered_->Delete(id); }
  Status ForEach(const std::function<void(const BlobInfo&)>& fn) override { return tiered_->ForEach(fn); }
  Result<TempCleanup> CleanTemporaries() override { return tiered_->CleanTemporaries(); }
  std::string Describe() const override { return tiered_->Describe(); }

 private:
  std::unique_ptr<MetadataStore> meta_;
  std::unique_ptr<BlobStore> tiered_;
};

struct TieredBlobs {
  static constexpr bool kPersistent = true;
  static Result<std::unique_ptr<BlobStore>> Open(const std::string& dir) {
    CK_ASSIGN_OR_RETURN(auto meta, OpenSqliteMetadataStore(dir + "/metadata.db"));
    CK_ASSIGN_OR_RETURN(auto files, OpenFsBlobStore(dir + "/blobs", {.fsync = false, .write_buffer_bytes = 4096}));
    return std::unique_ptr<BlobStore>(std::make_unique<OwningTieredStore>(std::move(meta), std::move(files)));
  }
};

// Deterministic bytes that differ at every offset a test might read.
std::string Pattern(size_t n, uint32_t seed) {
  std::string s(n, '\0');
  uint32_t x = seed * 2654435761u + 1;
  for (size_t i = 0; i < n; ++i) {
    x = x * 1103515245u + 12345u;
    s[i] = static_cast<char>(x >> 24);
  }
  return s;
}

template <typename Backend>
class BlobStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { Reopen(); }
  void Reopen() {
    store_.reset();
    auto s = Backend::Open(dir_.path());
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
  }

  // Writes data in chunks of the given sizes (cycled) and commits.
  std::string Write(const std::string& data, std::vector<size_t> chunks = {1 << 20}) {
    auto w = store_->NewWriter();
    EXPECT_TRUE(w.ok()) << w.status().ToString();
    size_t off = 0;
    for (size_t i = 0; off < data.size(); ++i) {
      size_t n = std::min(chunks[i % chunks.size()], data.size() - off);
      EXPECT_TRUE((*w)->Append(std::string_view(data).substr(off, n)).ok());
      off += n;
    }
    EXPECT_EQ((*w)->size(), data.size());
    auto id = (*w)->Commit();
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : "";
  }

  std::string Read(const std::string& id) {
    auto r = store_->Open(id);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    if (!r.ok()) return "<missing>";
    auto all = ReadAll(**r);
    EXPECT_TRUE(all.ok());
    return all.ok() ? *all : "<error>";
  }

  std::set<std::string> ListIds() {
    std::set<std::string> ids;
    EXPECT_TRUE(store_->ForEach([&](const BlobInfo& b) { ids.insert(b.id); }).ok());
    return ids;
  }

  testing::TempDir dir_;
  std::unique_ptr<BlobStore> store_;
};

using Backends = ::testing::Types<MemoryBlobs, FsBlobs, FsFsyncBlobs, TieredBlobs>;
TYPED_TEST_SUITE(BlobStoreTest, Backends);

TYPED_TEST(BlobStoreTest, WriteThenReadBack) {
  std::string data = Pattern(300'000, 1);
  // Chunk sizes straddle the fs buffer: tiny appends, exact fits, big ones.
  std::string id = this->Write(data, {1, 4095, 4096, 10'000, 3, 70'000});
  EXPECT_TRUE(IsValidBlobId(id)) << id;
  EXPECT_EQ(this->Read(id), data);
  auto r = this->store_->Open(id);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)->size(), data.size());
}

TYPED_TEST(BlobStoreTest, EmptyBlob) {
  std::string id = this->Write("");
  EXPECT_EQ(this->Read(id), "");
  auto r = this->store_->Open(id);
  ASSERT_TRUE(r.ok());
  char c;
  EXPECT_EQ(*(*r)->ReadAt(0, &c, 1), 0u);
}

TYPED_TEST(BlobStoreTest, PartialReads) {
  std::string data = Pattern(10'000, 2);
  std::string id = this->Write(data);
  auto r = this->store_->Open(id);
  ASSERT_TRUE(r.ok());
  std::string buf(5000, '\0');
  EXPECT_EQ(*(*r)->ReadAt(1234, buf.data(), 100), 100u);
  EXPECT_EQ(buf.substr(0, 100), data.substr(1234, 100));
  EXPECT_EQ(*(*r)->ReadAt(9000, buf.data(), 5000), 1000u);  // short at the end
  EXPECT_EQ(buf.substr(0, 1000), data.substr(9000));
  EXPECT_EQ(*(*r)->ReadAt(10'000, buf.data(), 10), 0u);
  EXPECT_EQ(*(*r)->ReadAt(uint64_t{1} << 40, buf.data(), 10), 0u);
}

TYPED_TEST(BlobStoreTest, IdsAreUniqueAndListed) {
  std::set<std::string> ids;
  for (int i = 0; i < 50; ++i) ids.insert(this->Write(Pattern(i * 10, i)));
  EXPECT_EQ(ids.size(), 50u);
  EXPECT_EQ(this->ListIds(), ids);
  uint64_t total = 0;
  ASSERT_TRUE(this->store_->ForEach([&](const BlobInfo& b) { total += b.size; }).ok());
  EXPECT_EQ(total, 10u * (49 * 50 / 2));
}

TYPED_TEST(BlobStoreTest, UncommittedBlobIsInvisibleAndAbortDiscards) {
  auto w = this->store_->NewWriter();
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE((*w)->Append(Pattern(100'000, 3)).ok());
  EXPECT_TRUE(this->ListIds().empty());
  (*w)->Abort();
  (*w)->Abort();  // idempotent
  EXPECT_EQ((*w)->Append("x").code(), Code::kFailedPrecondition);
  EXPECT_FALSE((*w)->Commit().ok());
  {
    auto dropped = this->store_->NewWriter();
    ASSERT_TRUE(dropped.ok());
    ASSERT_TRUE((*dropped)->Append("never committed").ok());
  }  // destructor aborts
  EXPECT_TRUE(this->ListIds().empty());
}

TYPED_TEST(BlobStoreTest, WriterIsDoneAfterCommit) {
  auto w = this->store_->NewWriter();
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE((*w)->Append("abc").ok());
  auto id = (*w)->Commit();
  ASSERT_TRUE(id.ok());
  EXPECT_EQ((*w)->Append("more").code(), Code::kFailedPrecondition);
  EXPECT_FALSE((*w)->Commit().ok());
  (*w)->Abort();  // no-op after commit
  w->reset();
  EXPECT_EQ(this->Read(*id), "abc");
}

TYPED_TEST(BlobStoreTest, DeleteRemovesButOpenReaderKeepsBytes) {
  std::string data = Pattern(50'000, 4);
  std::string id = this->Write(data);
  auto r = this->store_->Open(id);
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(this->store_->Delete(id).ok());
  EXPECT_EQ(this->store_->Open(id).status().code(), Code::kNotFound);
  EXPECT_EQ(this->store_->Delete(id).code(), Code::kNotFound);
  EXPECT_TRUE(this->ListIds().empty());
  auto all = ReadAll(**r);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(*all, data);
}

TYPED_TEST(BlobStoreTest, MalformedIdsRejected) {
  for (std::string bad : {"", "../../etc/passwd", "0123456789ABCDEF0123456789ABCDEF",
                          "0123456789abcdef0123456789abcde", "0123456789abcdef0123456789abcdef0",
                          "tmp/0123456789abcdef0123456789ab"}) {
    EXPECT_EQ(this->store_->Open(bad).status().code(), Code::kInvalidArgument) << bad;
    EXPECT_EQ(this->store_->Delete(bad).code(), Code::kInvalidArgument) << bad;
  }
  EXPECT_EQ(this->store_->Open(NewBlobId()).status().code(), Code::kNotFound);
}

TYPED_TEST(BlobStoreTest, ConcurrentReadsAndWrites) {
  std::string data = Pattern(200'000, 5);
  std::string id = this->Write(data);
  auto r = this->store_->Open(id);
  ASSERT_TRUE(r.ok());
  BlobReader& reader = **r;
  std::atomic<int> bad{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      std::string buf(1000, '\0');
      for (int i = 0; i < 300; ++i) {
        uint64_t off = (static_cast<uint64_t>(i) * 7919 + t * 104729) % data.size();
        auto n = reader.ReadAt(off, buf.data(), buf.size());
        if (!n.ok() || std::string_view(buf.data(), *n) != std::string_view(data).substr(off, *n)) {
          ++bad;
        }
      }
    });
  }
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        auto w = this->store_->NewWriter();
        std::string mine = Pattern(5000, 100 + t * 100 + i);
        if (!w.ok() || !(*w)->Append(mine).ok()) {
          ++bad;
          continue;
        }
        auto wid = (*w)->Commit();
        if (!wid.ok()) {
          ++bad;
          continue;
        }
        auto rr = this->store_->Open(*wid);
        if (!rr.ok() || *ReadAll(**rr) != mine) ++bad;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(bad.load(), 0);
  EXPECT_EQ(this->ListIds().size(), 41u);
}

TYPED_TEST(BlobStoreTest, BlobsSurviveReopen) {
  if (!TypeParam::kPersistent) GTEST_SKIP() << "not a persistent backend";
  std::string data = Pattern(12'345, 6);
  std::string id = this->Write(data);
  std::string gone = this->Write("deleted");
  ASSERT_TRUE(this->store_->Delete(gone).ok());
  this->Reopen();
  EXPECT_EQ(this->Read(id), data);
  EXPECT_EQ(this->store_->Open(gone).status().code(), Code::kNotFound);
  EXPECT_EQ(this->ListIds(), std::set<std::string>{id});
}

}  // namespace
}  // namespace ck::storage
