#include "services/s3/bucket_cache.h"

#include <gtest/gtest.h>

#include "storage/memory_metadata_store.h"

namespace ck::services::s3 {
namespace {

void Put(storage::MetadataStore& meta, const std::string& name, const std::string& versioning) {
  BucketRecord b;
  b.name = name;
  b.owner = "111111111111";
  b.region = "us-east-1";
  b.versioning = EnumValue<api::s3::BucketVersioningStatus>::Parse(versioning);
  storage::WriteBatch batch;
  batch.Put(kBucketsTable, name, ToDocument(b).dump());
  ASSERT_TRUE(meta.Apply(batch).ok());
}

TEST(BucketCache, ServesReadsUntilAChange) {
  auto meta = storage::NewMemoryMetadataStore();
  BucketCache cache(*meta);
  auto missing = cache.Get("bkt");
  ASSERT_TRUE(missing.ok());
  EXPECT_EQ(*missing, nullptr);
  Put(*meta, "bkt", "");  // creation needs no Changed(): absent buckets are not cached
  auto first = cache.Get("bkt");
  ASSERT_TRUE(first.ok() && *first);
  EXPECT_EQ((*first)->versioning.str(), "");
  Put(*meta, "bkt", "Enabled");
  EXPECT_EQ((*cache.Get("bkt"))->versioning.str(), "") << "cached until Changed()";
  cache.Changed();
  EXPECT_EQ((*cache.Get("bkt"))->versioning.str(), "Enabled");
  storage::WriteBatch del;
  del.Delete(kBucketsTable, "bkt");
  ASSERT_TRUE(meta->Apply(del).ok());
  cache.Changed();
  EXPECT_EQ(*cache.Get("bkt"), nullptr);
}

}  // namespace
}  // namespace ck::services::s3
