// ObjectCache and its use by ObjectStore: a cached current record never
// outlives a write of its key (overwrite, versioned write, delete marker,
// version delete, in-place update, multipart completion), and a store read
// that raced a write is not cached.
#include "services/s3/object_cache.h"

#include <gtest/gtest.h>

#include "services/s3/object_store.h"
#include "storage/memory_blob_store.h"
#include "storage/memory_metadata_store.h"

namespace ck::services::s3 {
namespace {

std::shared_ptr<const ObjectRecord> Rec(const std::string& etag) {
  auto r = std::make_shared<ObjectRecord>();
  r->key = "k";
  r->etag = etag;
  return r;
}

TEST(ObjectCache, OfferedValueIsFoundUntilInvalidated) {
  ObjectCache cache;
  EXPECT_FALSE(cache.Find("row").has_value());
  cache.Offer("row", cache.Begin("row"), Rec("a"));
  auto known = cache.Find("row");
  ASSERT_TRUE(known.has_value() && *known);
  EXPECT_EQ((*known)->etag, "a");
  cache.Invalidate("row");
  EXPECT_FALSE(cache.Find("row").has_value());
}

TEST(ObjectCache, AbsenceIsCachedToo) {
  ObjectCache cache;
  cache.Offer("row", cache.Begin("row"), nullptr);
  auto known = cache.Find("row");
  ASSERT_TRUE(known.has_value());
  EXPECT_EQ(*known, nullptr);
}

TEST(ObjectCache, ReadThatRacedAWriteIsNotCached) {
  ObjectCache cache;
  uint64_t token = cache.Begin("row");    // reader starts, reads the old value...
  cache.Invalidate("row");                // ...a write of the key lands...
  cache.Offer("row", token, Rec("old"));  // ...the stale value is refused
  EXPECT_FALSE(cache.Find("row").has_value());
  cache.Offer("row", cache.Begin("row"), Rec("new"));
  EXPECT_EQ((*cache.Find("row"))->etag, "new");
}

TEST(ObjectCache, MemoryIsBounded) {
  ObjectCache cache;
  for (int i = 0; i < 100000; ++i) {
    std::string k = "row" + std::to_string(i);
    cache.Offer(k, cache.Begin(k), Rec("x"));
  }
  EXPECT_LE(cache.size(), ObjectCache::kShards * ObjectCache::kMaxPerShard);
}

class ObjectStoreCacheTest : public ::testing::Test {
 protected:
  ObjectStoreCacheTest()
      : meta_(storage::NewMemoryMetadataStore()), blobs_(storage::NewMemoryBlobStore()), store_(*meta_, *blobs_) {}

  BucketRecord Bucket(const std::string& versioning) {
    BucketRecord b;
    b.name = "bkt";
    b.owner = "111111111111";
    b.region = "us-east-1";
    b.versioning = EnumValue<api::s3::BucketVersioningStatus>::Parse(versioning);
    return b;
  }
  ObjectRecord Put(const BucketRecord& b, const std::string& etag, bool marker = false) {
    ObjectRecord rec;
    rec.key = "k";
    rec.etag = etag;
    rec.delete_marker = marker;
    EXPECT_TRUE(store_.Commit(b, rec).ok());
    return rec;
  }
  // The current etag as a GET sees it ("" when there is no current version).
  std::string CurrentEtag() {
    auto cur = store_.Current("bkt", "k");
    EXPECT_TRUE(cur.ok());
    return cur.ok() && *cur ? (*cur)->etag : "";
  }
  std::string GetEtag(const BucketRecord& b) {
    auto v = store_.Version(b, "k", "");
    return v.ok() ? v->etag : v.status().aws_code();
  }

  std::unique_ptr<storage::MetadataStore> meta_;
  std::unique_ptr<storage::BlobStore> blobs_;
  ObjectStore store_;
};

TEST_F(ObjectStoreCacheTest, OverwriteAndDeleteUnversioned) {
  BucketRecord b = Bucket("");
  EXPECT_EQ(GetEtag(b), "NoSuchKey");  // absence cached...
  Put(b, "one");
  EXPECT_EQ(GetEtag(b), "one");  // ...and dropped by the write
  EXPECT_EQ(GetEtag(b), "one");  // served from the cache
  Put(b, "two");
  EXPECT_EQ(GetEtag(b), "two");
  ASSERT_TRUE(store_.DeleteUnversioned(b, "k").ok());
  EXPECT_EQ(GetEtag(b), "NoSuchKey");
}

TEST_F(ObjectStoreCacheTest, VersionedWritesMarkersAndVersionDeletes) {
  BucketRecord b = Bucket("Enabled");
  ObjectRecord v1 = Put(b, "one");
  EXPECT_EQ(GetEtag(b), "one");
  ObjectRecord v2 = Put(b, "two");
  EXPECT_EQ(GetEtag(b), "two");
  ObjectRecord dm = Put(b, "", /*marker=*/true);
  auto marker = store_.Version(b, "k", "");
  ASSERT_TRUE(marker.ok());
  EXPECT_TRUE(marker->delete_marker);
  ASSERT_TRUE(store_.DeleteVersion(b, "k", dm.version_id).ok());
  EXPECT_EQ(GetEtag(b), "two");  // the current row follows the newest remaining version
  ASSERT_TRUE(store_.DeleteVersion(b, "k", v2.version_id).ok());
  EXPECT_EQ(GetEtag(b), "one");
  ASSERT_TRUE(store_.DeleteVersion(b, "k", v1.version_id).ok());
  EXPECT_EQ(GetEtag(b), "NoSuchKey");
}

TEST_F(ObjectStoreCacheTest, InPlaceUpdateOfTheCurrentVersion) {
  BucketRecord b = Bucket("Enabled");
  Put(b, "one");
  ASSERT_EQ(CurrentEtag(), "one");
  ObjectRecord out;
  ASSERT_TRUE(store_
                  .UpdateVersion(
                      b, "k", "",
                      [](ObjectRecord& r) {
                        r.tags = {{"t", "v"}};
                      },
                      &out)
                  .ok());
  auto cur = store_.Current("bkt", "k");
  ASSERT_TRUE(cur.ok() && *cur);
  ASSERT_EQ((*cur)->tags.size(), 1u);
  EXPECT_EQ((*cur)->tags[0].key, "t");
}

TEST_F(ObjectStoreCacheTest, MultipartCompletionReplacesTheCachedRecord) {
  BucketRecord b = Bucket("");
  Put(b, "single");
  ASSERT_EQ(CurrentEtag(), "single");
  UploadRecord u;
  u.upload_id = "up1";
  u.key = "k";
  ASSERT_TRUE(store_.CreateUpload("bkt", u).ok());
  auto open = store_.Upload("bkt", "k", "up1");
  ASSERT_TRUE(open.ok());
  ObjectRecord done;
  done.key = "k";
  done.etag = "abc-2";
  done.upload_id = "up1";
  std::vector<PartRecord> parts;
  CommitConditions cond;
  cond.completes = &*open;
  cond.parts = &parts;
  ASSERT_TRUE(store_.Commit(b, done, cond).ok());
  EXPECT_EQ(CurrentEtag(), "abc-2");
}

TEST_F(ObjectStoreCacheTest, FailedConditionalWriteKeepsTheRecord) {
  BucketRecord b = Bucket("");
  Put(b, "one");
  ASSERT_EQ(CurrentEtag(), "one");
  ObjectRecord rec;
  rec.key = "k";
  rec.etag = "two";
  CommitConditions cond;
  cond.if_none_match_star = true;
  EXPECT_FALSE(store_.Commit(b, rec, cond).ok());
  EXPECT_EQ(CurrentEtag(), "one");
}

TEST_F(ObjectStoreCacheTest, ANewStoreOverTheSameDataStartsCold) {
  BucketRecord b = Bucket("");
  Put(b, "one");
  ASSERT_EQ(CurrentEtag(), "one");
  ObjectStore restarted(*meta_, *blobs_);  // a restart: the cache is not persisted
  auto cur = restarted.Current("bkt", "k");
  ASSERT_TRUE(cur.ok() && *cur);
  EXPECT_EQ((*cur)->etag, "one");
}

// An overwrite starts from the row the key's last commit left instead of
// reading it. When the row changed behind that hint, the overwrite still
// lands on the real current row: the stale hint only costs an attempt.
TEST_F(ObjectStoreCacheTest, OverwriteFromAStaleLastCommittedRowStillReplacesTheRealOne) {
  BucketRecord b = Bucket("");
  auto seg = [&](const std::string& data) {
    auto w = blobs_->NewWriter();
    EXPECT_TRUE((*w)->Append(data).ok());
    auto id = (*w)->Commit();
    EXPECT_TRUE(id.ok());
    Segment s;
    s.blob = *id;
    s.size = data.size();
    return s;
  };
  ObjectRecord first;
  first.key = "k";
  first.etag = "first";
  first.segments = {seg("one")};
  ASSERT_TRUE(store_.Commit(b, first).ok());  // remembered as the key's row

  // Another writer's row replaces it behind the store's back.
  ObjectRecord other = first;
  other.etag = "other";
  other.seq = first.seq + 100;
  other.segments = {seg("two")};
  std::string okey;
  {
    auto rows = meta_->Scan(kObjectsTable, {});
    ASSERT_TRUE(rows.ok());
    ASSERT_EQ(rows->size(), 1u);
    okey = (*rows)[0].key;
  }
  storage::WriteBatch sneak;
  sneak.Put(kObjectsTable, okey, RecordTable<ObjectRecord>::Encode(other));
  ASSERT_TRUE(meta_->Apply(sneak).ok());

  ObjectRecord third;
  third.key = "k";
  third.etag = "third";
  third.segments = {seg("three")};
  ASSERT_TRUE(store_.Commit(b, third).ok());
  EXPECT_EQ(CurrentEtag(), "third");
  // The blob released is the one the real row named, not the hint's.
  EXPECT_EQ(blobs_->Open(other.segments[0].blob).status().code(), Code::kNotFound);
  EXPECT_TRUE(blobs_->Open(first.segments[0].blob).ok());
  EXPECT_TRUE(blobs_->Open(third.segments[0].blob).ok());
}

}  // namespace
}  // namespace ck::services::s3
