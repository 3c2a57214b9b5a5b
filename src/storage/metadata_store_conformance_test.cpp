// One suite for every MetadataStore backend: each backend must behave the same,
// byte for byte. A new backend adds a traits struct to the type list below.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <random>
#include <thread>

#include "storage/memory_metadata_store.h"
#include "storage/metadata_store.h"
#include "storage/sqlite_metadata_store.h"
#include "storage/storage_test_util.h"

namespace ck::storage {
namespace {

struct MemoryBackend {
  static constexpr bool kPersistent = false;
  static Result<std::unique_ptr<MetadataStore>> Open(const std::string&) {
    return NewMemoryMetadataStore();
  }
};

struct SqliteBackend {
  static constexpr bool kPersistent = true;
  static Result<std::unique_ptr<MetadataStore>> Open(const std::string& dir) {
    return OpenSqliteMetadataStore(dir + "/meta.db", SqliteOptions{.fsync = false});
  }
};

struct SqliteFsyncBackend {
  static constexpr bool kPersistent = true;
  static Result<std::unique_ptr<MetadataStore>> Open(const std::string& dir) {
    return OpenSqliteMetadataStore(dir + "/meta.db", SqliteOptions{.fsync = true});
  }
};

template <typename Backend>
class MetadataStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { Reopen(); }

  void Reopen() {
    if (store_) {
      ASSERT_TRUE(store_->Close().ok());
    }
    store_.reset();
    auto s = Backend::Open(dir_.path());
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
  }

  void Put(const std::string& table, const std::string& key, const std::string& value) {
    WriteBatch b;
    b.Put(table, key, value);
    Status s = store_->Apply(b);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  std::optional<std::string> Get(const std::string& table, const std::string& key) {
    auto r = store_->Get(table, key);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : std::nullopt;
  }

  std::vector<std::string> ScanKeys(const std::string& table, const ScanOptions& o) {
    auto r = store_->Scan(table, o);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    std::vector<std::string> keys;
    if (r.ok()) {
      for (auto& rec : *r) keys.push_back(rec.key);
    }
    return keys;
  }

  testing::TempDir dir_;
  std::unique_ptr<MetadataStore> store_;
};

using Backends = ::testing::Types<MemoryBackend, SqliteBackend, SqliteFsyncBackend>;
TYPED_TEST_SUITE(MetadataStoreTest, Backends);

TYPED_TEST(MetadataStoreTest, GetMissingIsNullopt) {
  EXPECT_EQ(this->Get("t", "nope"), std::nullopt);
}

TYPED_TEST(MetadataStoreTest, PutOverwriteDelete) {
  this->Put("t", "k", "v1");
  EXPECT_EQ(this->Get("t", "k"), "v1");
  this->Put("t", "k", "v2");
  EXPECT_EQ(this->Get("t", "k"), "v2");
  WriteBatch b;
  b.Delete("t", "k");
  b.Delete("t", "never-existed");  // deleting a missing key is not an error
  ASSERT_TRUE(this->store_->Apply(b).ok());
  EXPECT_EQ(this->Get("t", "k"), std::nullopt);
}

TYPED_TEST(MetadataStoreTest, ArbitraryBytesRoundTrip) {
  std::string key("\0k\xff\x80", 4);
  std::string value("\0\x01\xfe\xff{\"json\":1}", 14);
  this->Put("t", key, value);
  this->Put("t", "", "");  // empty key and empty value are legal
  EXPECT_EQ(this->Get("t", key), value);
  EXPECT_EQ(this->Get("t", ""), "");
  EXPECT_EQ(this->Get("t", std::string("\0k\xff", 3)), std::nullopt);
  std::string big(1 << 20, 'x');
  for (size_t i = 0; i < big.size(); i += 4096) big[i] = static_cast<char>(i / 4096);
  this->Put("t", "big", big);
  EXPECT_EQ(this->Get("t", "big"), big);
}

TYPED_TEST(MetadataStoreTest, TablesAreIndependent) {
  this->Put("a", "k", "in-a");
  this->Put("a.b", "k", "in-ab");
  this->Put("b", "k2", "in-b");
  EXPECT_EQ(this->Get("a", "k"), "in-a");
  EXPECT_EQ(this->Get("a.b", "k"), "in-ab");
  EXPECT_EQ(this->Get("b", "k"), std::nullopt);
  EXPECT_EQ(this->ScanKeys("a", {}), std::vector<std::string>{"k"});
  EXPECT_EQ(*this->store_->Count("a", ""), 1u);
  EXPECT_EQ(*this->store_->Count("missing", ""), 0u);
  EXPECT_TRUE(this->ScanKeys("missing", {}).empty());
}

TYPED_TEST(MetadataStoreTest, InvalidTableNamesRejected) {
  for (std::string bad : {std::string(""), std::string("a b"), std::string("x'y"),
                          std::string(129, 'a')}) {
    EXPECT_EQ(this->store_->Get(bad, "k").status().code(), Code::kInvalidArgument) << bad;
    EXPECT_EQ(this->store_->Scan(bad, {}).status().code(), Code::kInvalidArgument) << bad;
    WriteBatch b;
    b.Put("good", "k", "v");
    b.Put(bad, "k", "v");
    EXPECT_EQ(this->store_->Apply(b).code(), Code::kInvalidArgument) << bad;
  }
  EXPECT_EQ(this->Get("good", "k"), std::nullopt);
}

TYPED_TEST(MetadataStoreTest, FailedPreconditionChangesNothing) {
  this->Put("t", "exists", "old");
  this->Put("t", "victim", "keep");
  WriteBatch b;
  b.Put("t", "new", "v");
  b.Put("t", "exists", "overwritten");
  b.Delete("t", "victim");
  b.Put("u", "other-table", "v");
  b.ExpectAbsent("t", "absent");  // holds
  b.ExpectAbsent("t", "exists");  // fails
  Status s = this->store_->Apply(b);
  EXPECT_EQ(s.code(), Code::kAborted);
  EXPECT_TRUE(IsPreconditionFailure(s));
  EXPECT_NE(s.message().find("t[exists]"), std::string::npos) << s.message();
  EXPECT_EQ(this->Get("t", "new"), std::nullopt);
  EXPECT_EQ(this->Get("t", "exists"), "old");
  EXPECT_EQ(this->Get("t", "victim"), "keep");
  EXPECT_EQ(this->Get("u", "other-table"), std::nullopt);
}

TYPED_TEST(MetadataStoreTest, ExpectValueComparesExactBytes) {
  this->Put("t", "k", std::string("v\0x", 3));
  auto apply_if = [&](std::string expected, std::string next) {
    WriteBatch b;
    b.ExpectValue("t", "k", std::move(expected));
    b.Put("t", "k", std::move(next));
    return this->store_->Apply(b);
  };
  EXPECT_EQ(apply_if("v", "bad").code(), Code::kAborted);                   // prefix
  EXPECT_EQ(apply_if(std::string("v\0xy", 4), "bad").code(), Code::kAborted);  // longer
  EXPECT_EQ(apply_if(std::string("v\0X", 3), "bad").code(), Code::kAborted);   // case
  EXPECT_EQ(this->Get("t", "k"), std::string("v\0x", 3));
  EXPECT_TRUE(apply_if(std::string("v\0x", 3), "next").ok());
  EXPECT_EQ(this->Get("t", "k"), "next");
  WriteBatch b;
  b.ExpectValue("t", "absent", "");
  b.Put("t", "absent", "x");
  EXPECT_EQ(this->store_->Apply(b).code(), Code::kAborted);
  EXPECT_EQ(this->Get("t", "absent"), std::nullopt);
}

TYPED_TEST(MetadataStoreTest, PreconditionsSeeStateBeforeTheBatch) {
  WriteBatch b;
  b.Put("t", "k", "v");
  b.ExpectAbsent("t", "k");  // added after the Put, still checked before it
  ASSERT_TRUE(this->store_->Apply(b).ok());
  EXPECT_EQ(this->Get("t", "k"), "v");
}

TYPED_TEST(MetadataStoreTest, LaterMutationInBatchWins) {
  WriteBatch b;
  b.Put("t", "a", "1");
  b.Put("t", "a", "2");
  b.Put("t", "b", "1");
  b.Delete("t", "b");
  b.Delete("t", "c");
  b.Put("t", "c", "3");
  ASSERT_TRUE(this->store_->Apply(b).ok());
  EXPECT_EQ(this->Get("t", "a"), "2");
  EXPECT_EQ(this->Get("t", "b"), std::nullopt);
  EXPECT_EQ(this->Get("t", "c"), "3");
  EXPECT_TRUE(this->store_->Apply(WriteBatch()).ok());
}

TYPED_TEST(MetadataStoreTest, ScanOrdersByKeyBytes) {
  // memcmp order: unsigned bytes, shorter prefix first; UTF-8 sorts by code point.
  const std::vector<std::string> sorted = {
      std::string(""),
      std::string("\0", 1),
      std::string("A"),
      std::string("Z"),
      std::string("a"),
      std::string("a\0", 2),
      std::string("a\0b", 3),
      std::string("ab"),
      std::string("\x7f"),
      std::string("\xc3\xa9"),          // U+00E9
      std::string("\xe2\x82\xac"),      // U+20AC
      std::string("\xef\xbf\xbd"),      // U+FFFD
      std::string("\xf0\x9f\x98\x80"),  // U+1F600
      std::string("\xff"),
      std::string("\xff\x00", 2),
      std::string("\xff\xff"),
  };
  std::vector<std::string> shuffled = sorted;
  std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937(7));
  for (const auto& k : shuffled) this->Put("t", k, "v:" + k);
  EXPECT_EQ(this->ScanKeys("t", {}), sorted);
  std::vector<std::string> reversed(sorted.rbegin(), sorted.rend());
  EXPECT_EQ(this->ScanKeys("t", {.reverse = true}), reversed);
  auto recs = this->store_->Scan("t", {});
  ASSERT_TRUE(recs.ok());
  for (const auto& r : *recs) EXPECT_EQ(r.value, "v:" + r.key);
}

TYPED_TEST(MetadataStoreTest, PrefixScanHandlesFFBytes) {
  for (std::string k : {std::string("a"), std::string("a\xfe"), std::string("a\xff"),
                        std::string("a\xff\x00", 3), std::string("a\xff\xff"),
                        std::string("a\xff\xff\xff"), std::string("b"), std::string("\xff"),
                        std::string("\xff\xff\x01")}) {
    this->Put("t", k, "v");
  }
  EXPECT_EQ(this->ScanKeys("t", {.prefix = "a\xff"}),
            (std::vector<std::string>{"a\xff", std::string("a\xff\x00", 3), "a\xff\xff",
                                      "a\xff\xff\xff"}));
  EXPECT_EQ(this->ScanKeys("t", {.prefix = "\xff\xff"}),
            std::vector<std::string>{"\xff\xff\x01"});
  EXPECT_EQ(this->ScanKeys("t", {.prefix = "\xff", .reverse = true}),
            (std::vector<std::string>{"\xff\xff\x01", "\xff"}));
  EXPECT_EQ(*this->store_->Count("t", "a\xff"), 4u);
  EXPECT_EQ(*this->store_->Count("t", "a"), 6u);
  EXPECT_EQ(*this->store_->Count("t", "\xff"), 2u);
  EXPECT_EQ(*this->store_->Count("t", ""), 9u);
  EXPECT_EQ(*this->store_->Count("t", "c"), 0u);
}

TYPED_TEST(MetadataStoreTest, PagingVisitsEveryKeyOnceInBothDirections) {
  std::vector<std::string> all;
  for (int i = 0; i < 25; ++i) {
    char k[16];
    std::snprintf(k, sizeof k, "p/%03d", i);
    all.push_back(k);
    this->Put("t", k, "v");
  }
  this->Put("t", "o", "outside");
  this->Put("t", "q", "outside");
  for (bool reverse : {false, true}) {
    std::vector<std::string> seen;
    ScanOptions o{.prefix = "p/", .limit = 10, .reverse = reverse};
    for (int page = 0; page < 10; ++page) {
      auto keys = this->ScanKeys("t", o);
      EXPECT_LE(keys.size(), 10u);
      if (keys.empty()) break;
      seen.insert(seen.end(), keys.begin(), keys.end());
      o.start_after = keys.back();
    }
    std::vector<std::string> want = all;
    if (reverse) std::reverse(want.begin(), want.end());
    EXPECT_EQ(seen, want) << "reverse=" << reverse;
  }
}

TYPED_TEST(MetadataStoreTest, StartAtIsInclusiveStartAfterExclusive) {
  for (std::string k : {"a", "b", "c", "d", "e"}) this->Put("t", k, "v");
  using V = std::vector<std::string>;
  EXPECT_EQ(this->ScanKeys("t", {.start_after = "b"}), (V{"c", "d", "e"}));
  EXPECT_EQ(this->ScanKeys("t", {.start_at = "b"}), (V{"b", "c", "d", "e"}));
  EXPECT_EQ(this->ScanKeys("t", {.start_after = "bb"}), (V{"c", "d", "e"}));
  EXPECT_EQ(this->ScanKeys("t", {.start_after = "d", .reverse = true}), (V{"c", "b", "a"}));
  EXPECT_EQ(this->ScanKeys("t", {.start_at = "d", .reverse = true}), (V{"d", "c", "b", "a"}));
  EXPECT_EQ(this->ScanKeys("t", {.start_at = "b", .limit = 2}), (V{"b", "c"}));
  EXPECT_EQ(this->ScanKeys("t", {.start_after = "e"}), V{});
  EXPECT_EQ(this->ScanKeys("t", {.start_after = "a", .reverse = true}), V{});
  EXPECT_EQ(this->ScanKeys("t", {.limit = 0}), V{});
  auto both = this->store_->Scan("t", {.start_after = "a", .start_at = "b"});
  EXPECT_EQ(both.status().code(), Code::kInvalidArgument);
}

TYPED_TEST(MetadataStoreTest, StartCombinesWithPrefix) {
  for (std::string k : {"a1", "b1", "b2", "b3", "c1"}) this->Put("t", k, "v");
  using V = std::vector<std::string>;
  // A start below the prefix range does not widen it; one above empties it.
  EXPECT_EQ(this->ScanKeys("t", {.prefix = "b", .start_after = "a9"}), (V{"b1", "b2", "b3"}));
  EXPECT_EQ(this->ScanKeys("t", {.prefix = "b", .start_after = "c"}), V{});
  EXPECT_EQ(this->ScanKeys("t", {.prefix = "b", .start_after = "b1"}), (V{"b2", "b3"}));
  EXPECT_EQ(this->ScanKeys("t", {.prefix = "b", .start_at = "zz", .reverse = true}),
            (V{"b3", "b2", "b1"}));
  EXPECT_EQ(this->ScanKeys("t", {.prefix = "b", .start_after = "b3", .reverse = true}),
            (V{"b2", "b1"}));
  EXPECT_EQ(this->ScanKeys("t", {.prefix = "b", .start_at = "a", .reverse = true}), V{});
}

TYPED_TEST(MetadataStoreTest, ReadersSeeWholeBatchesWhileOneThreadWrites) {
  constexpr int kWrites = 300;
  std::atomic<bool> stop{false};
  std::atomic<int> bad{0};
  std::atomic<long> reads{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 4; ++r) {
    readers.emplace_back([&] {
      long last = -1;
      while (!stop.load()) {
        auto recs = this->store_->Scan("inv", {});
        if (!recs.ok()) {
          ++bad;
          continue;
        }
        // Every batch writes x and y with the same counter, so a scan that
        // sees different values saw half a batch.
        if (recs->size() == 2 && (*recs)[0].value != (*recs)[1].value) ++bad;
        auto g = this->store_->Get("inv", "x");
        if (!g.ok()) ++bad;
        if (g.ok() && g->has_value()) {
          long v = std::stol(**g);
          if (v < last) ++bad;  // never goes backwards
          last = v;
        }
        ++reads;
      }
    });
  }
  // The memory backend writes in microseconds: let readers start first and
  // yield between writes so reads really interleave with them.
  while (reads.load() < 4) std::this_thread::yield();
  const long reads_before = reads.load();
  for (int i = 0; i < kWrites; ++i) {
    std::this_thread::yield();
    WriteBatch b;
    b.Put("inv", "x", std::to_string(i));
    b.Put("inv", "y", std::to_string(i));
    ASSERT_TRUE(this->store_->Apply(b).ok());
  }
  stop = true;
  for (auto& t : readers) t.join();
  EXPECT_EQ(bad.load(), 0);
  EXPECT_GT(reads.load(), reads_before);
  EXPECT_EQ(this->Get("inv", "y"), std::to_string(kWrites - 1));
}

TYPED_TEST(MetadataStoreTest, ConcurrentCreateHasExactlyOneWinner) {
  constexpr int kKeys = 40;
  constexpr int kThreads = 6;
  std::atomic<int> wins{0};
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int k = 0; k < kKeys; ++k) {
        WriteBatch b;
        b.ExpectAbsent("lock", std::to_string(k));
        b.Put("lock", std::to_string(k), std::to_string(t));
        Status s = this->store_->Apply(b);
        if (s.ok()) {
          ++wins;
        } else if (!IsPreconditionFailure(s)) {
          ++errors;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(wins.load(), kKeys);
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(*this->store_->Count("lock", ""), static_cast<uint64_t>(kKeys));
}

TYPED_TEST(MetadataStoreTest, CompareAndSwapIncrementsAreNotLost) {
  constexpr int kThreads = 4;
  constexpr int kIncrements = 50;
  this->Put("ctr", "n", "0");
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kIncrements;) {
        auto cur = this->store_->Get("ctr", "n");
        if (!cur.ok() || !cur->has_value()) {
          ++errors;
          return;
        }
        WriteBatch b;
        b.ExpectValue("ctr", "n", **cur);
        b.Put("ctr", "n", std::to_string(std::stoi(**cur) + 1));
        Status s = this->store_->Apply(b);
        if (s.ok()) {
          ++i;
        } else if (!IsPreconditionFailure(s)) {
          ++errors;
          return;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(this->Get("ctr", "n"), std::to_string(kThreads * kIncrements));
}

TYPED_TEST(MetadataStoreTest, DataSurvivesReopen) {
  if (!TypeParam::kPersistent) GTEST_SKIP() << "not a persistent backend";
  this->Put("t", "k", "v");
  this->Put("t", std::string("\xff\0", 2), "bin");
  WriteBatch b;
  b.Delete("t", "k");
  b.Put("t", "k2", "v2");
  ASSERT_TRUE(this->store_->Apply(b).ok());
  this->Reopen();
  EXPECT_EQ(this->Get("t", "k"), std::nullopt);
  EXPECT_EQ(this->Get("t", "k2"), "v2");
  EXPECT_EQ(this->Get("t", std::string("\xff\0", 2)), "bin");
  EXPECT_EQ(*this->store_->Count("t", ""), 2u);
}

TYPED_TEST(MetadataStoreTest, CallsAfterCloseFail) {
  this->Put("t", "k", "v");
  ASSERT_TRUE(this->store_->Close().ok());
  EXPECT_TRUE(this->store_->Close().ok());  // idempotent
  EXPECT_EQ(this->store_->Get("t", "k").status().code(), Code::kUnavailable);
  EXPECT_EQ(this->store_->Scan("t", {}).status().code(), Code::kUnavailable);
  WriteBatch b;
  b.Put("t", "k", "v");
  EXPECT_EQ(this->store_->Apply(b).code(), Code::kUnavailable);
  this->store_.reset();
}

}  // namespace
}  // namespace ck::storage
