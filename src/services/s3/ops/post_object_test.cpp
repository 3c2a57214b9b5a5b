#include "services/s3/ops/post_object.h"

#include <gtest/gtest.h>

namespace ck::services::s3 {
namespace {

std::optional<std::string> BucketOf(const char* method, const char* target, const char* host = "127.0.0.1:4566") {
  http::RequestHead head;
  head.method = method;
  EXPECT_TRUE(http::ParseTarget(target, &head));
  head.headers.Add("host", host);
  return PostObjectBucket(head);
}

TEST(PostObjectTest, WhichRequestsAreFormUploads) {
  EXPECT_EQ(BucketOf("POST", "/b1"), "b1");
  EXPECT_EQ(BucketOf("POST", "/b1/"), "b1");
  EXPECT_EQ(BucketOf("POST", "/", "b1.s3.localhost:4566"), "b1");
  EXPECT_EQ(BucketOf("POST", "/", "b1.localhost"), "b1");
  EXPECT_EQ(BucketOf("POST", "/b1?delete"), std::nullopt);       // DeleteObjects
  EXPECT_EQ(BucketOf("POST", "/b1/key?uploads"), std::nullopt);  // CreateMultipartUpload
  EXPECT_EQ(BucketOf("POST", "/b1/key"), std::nullopt);
  EXPECT_EQ(BucketOf("POST", "/"), std::nullopt);  // no bucket
  EXPECT_EQ(BucketOf("POST", "/key", "b1.s3.localhost"), std::nullopt);
  EXPECT_EQ(BucketOf("PUT", "/b1"), std::nullopt);
}

}  // namespace
}  // namespace ck::services::s3
