// The S3 routing table: (method, path, query, headers) → operation, as S3's
// front end resolves it from the model's requestUri templates.
#include <set>

#include <gtest/gtest.h>

#include "http/message.h"
#include "wire/model.h"

namespace ck::wire {
namespace {

struct Case {
  const char* method;
  const char* target;   // path and query as sent
  const char* header;   // one extra header name, or ""
  const char* expected; // operation name, or "" for no match
};

const Case kCases[] = {
    {"GET", "/", "", "ListBuckets"},
    {"PUT", "/bucket", "", "CreateBucket"},
    {"PUT", "/bucket/", "", "CreateBucket"},
    {"HEAD", "/bucket", "", "HeadBucket"},
    {"DELETE", "/bucket", "", "DeleteBucket"},
    {"GET", "/bucket", "", "ListObjects"},
    {"GET", "/bucket?list-type=2", "", "ListObjectsV2"},
    {"GET", "/bucket?list-type=2&prefix=a%2Fb&delimiter=%2F", "", "ListObjectsV2"},
    {"GET", "/bucket?prefix=x&max-keys=10", "", "ListObjects"},
    {"GET", "/bucket?versions", "", "ListObjectVersions"},
    {"GET", "/bucket?uploads", "", "ListMultipartUploads"},
    {"GET", "/bucket?location", "", "GetBucketLocation"},
    {"GET", "/bucket?encryption", "", "GetBucketEncryption"},
    {"PUT", "/bucket?encryption", "", "PutBucketEncryption"},
    {"DELETE", "/bucket?encryption", "", "DeleteBucketEncryption"},
    {"GET", "/bucket?policy", "", "GetBucketPolicy"},
    {"PUT", "/bucket?policy", "", "PutBucketPolicy"},
    {"DELETE", "/bucket?policy", "", "DeleteBucketPolicy"},
    {"GET", "/bucket?policyStatus", "", "GetBucketPolicyStatus"},
    {"GET", "/bucket?acl", "", "GetBucketAcl"},
    {"PUT", "/bucket?acl", "", "PutBucketAcl"},
    {"GET", "/bucket?versioning", "", "GetBucketVersioning"},
    {"PUT", "/bucket?versioning", "", "PutBucketVersioning"},
    {"GET", "/bucket?tagging", "", "GetBucketTagging"},
    {"PUT", "/bucket?tagging", "", "PutBucketTagging"},
    {"DELETE", "/bucket?tagging", "", "DeleteBucketTagging"},
    {"GET", "/bucket?cors", "", "GetBucketCors"},
    {"PUT", "/bucket?cors", "", "PutBucketCors"},
    {"GET", "/bucket?lifecycle", "", "GetBucketLifecycleConfiguration"},
    {"PUT", "/bucket?lifecycle", "", "PutBucketLifecycleConfiguration"},
    {"GET", "/bucket?notification", "", "GetBucketNotificationConfiguration"},
    {"GET", "/bucket?ownershipControls", "", "GetBucketOwnershipControls"},
    {"GET", "/bucket?publicAccessBlock", "", "GetPublicAccessBlock"},
    {"PUT", "/bucket?publicAccessBlock", "", "PutPublicAccessBlock"},
    {"GET", "/bucket?object-lock", "", "GetObjectLockConfiguration"},
    {"GET", "/bucket?website", "", "GetBucketWebsite"},
    {"GET", "/bucket?logging", "", "GetBucketLogging"},
    {"GET", "/bucket?analytics", "", "ListBucketAnalyticsConfigurations"},
    {"GET", "/bucket?analytics&id=a1", "", "GetBucketAnalyticsConfiguration"},
    {"GET", "/bucket?metrics&id=m", "", "GetBucketMetricsConfiguration"},
    {"POST", "/bucket?delete", "", "DeleteObjects"},
    {"PUT", "/bucket/key", "", "PutObject"},
    {"PUT", "/bucket/dir/sub/key.txt", "", "PutObject"},
    {"PUT", "/bucket/key?x-id=PutObject", "", "PutObject"},
    {"PUT", "/bucket/key", "x-amz-copy-source", "CopyObject"},
    {"PUT", "/bucket/key?partNumber=1&uploadId=abc", "", "UploadPart"},
    {"PUT", "/bucket/key?partNumber=1&uploadId=abc", "x-amz-copy-source", "UploadPartCopy"},
    {"GET", "/bucket/key", "", "GetObject"},
    {"GET", "/bucket/key?x-id=GetObject", "", "GetObject"},
    {"GET", "/bucket/key?versionId=v1", "", "GetObject"},
    {"GET", "/bucket/key?partNumber=2", "", "GetObject"},
    {"HEAD", "/bucket/key", "", "HeadObject"},
    {"DELETE", "/bucket/key", "", "DeleteObject"},
    {"DELETE", "/bucket/key?versionId=v1", "", "DeleteObject"},
    {"DELETE", "/bucket/key?uploadId=abc", "", "AbortMultipartUpload"},
    {"POST", "/bucket/key?uploads", "", "CreateMultipartUpload"},
    {"POST", "/bucket/key?uploadId=abc", "", "CompleteMultipartUpload"},
    {"GET", "/bucket/key?uploadId=abc", "", "ListParts"},
    {"GET", "/bucket/key?tagging", "", "GetObjectTagging"},
    {"PUT", "/bucket/key?tagging", "", "PutObjectTagging"},
    {"DELETE", "/bucket/key?tagging", "", "DeleteObjectTagging"},
    {"GET", "/bucket/key?acl", "", "GetObjectAcl"},
    {"PUT", "/bucket/key?acl", "", "PutObjectAcl"},
    {"GET", "/bucket/key?attributes", "x-amz-object-attributes", "GetObjectAttributes"},
    {"GET", "/bucket/key?retention", "", "GetObjectRetention"},
    {"PUT", "/bucket/key?legal-hold", "", "PutObjectLegalHold"},
    {"POST", "/bucket/key?restore", "", "RestoreObject"},
    {"POST", "/bucket/key?select&select-type=2", "", "SelectObjectContent"},
    {"GET", "/bucket/key?torrent", "", "GetObjectTorrent"},
    // No operation: wrong method or shape of path.
    {"POST", "/bucket", "", ""},
    {"PATCH", "/bucket/key", "", ""},
    {"POST", "/bucket/key", "", ""},
    {"GET", "/bucket/key?list-type=2", "", "GetObject"},
};

TEST(S3RoutingTest, Table) {
  const ServiceModel* s3 = FindService("s3");
  ASSERT_NE(s3, nullptr);
  size_t distinct = 0;
  std::set<std::string> ops;
  for (const Case& c : kCases) {
    http::RequestHead head;
    ASSERT_TRUE(http::ParseTarget(c.target, &head)) << c.target;
    if (*c.header) head.headers.Add(c.header, "src-bucket/src-key");
    auto match = s3->MatchRestOperation(c.method, head.raw_path, head.query, head.headers);
    if (!*c.expected) {
      EXPECT_FALSE(match.has_value()) << c.method << " " << c.target << " → " << match->operation->name;
      continue;
    }
    ASSERT_TRUE(match.has_value()) << c.method << " " << c.target;
    EXPECT_EQ(match->operation->name, c.expected) << c.method << " " << c.target << " " << c.header;
    ops.insert(c.expected);
  }
  distinct = ops.size();
  EXPECT_GE(distinct, 40u);
}

TEST(S3RoutingTest, LabelsAreDecoded) {
  const ServiceModel* s3 = FindService("s3");
  http::RequestHead head;
  ASSERT_TRUE(http::ParseTarget("/my-bucket/dir/a%20b%2Fc.txt?x-id=GetObject", &head));
  auto match = s3->MatchRestOperation("GET", head.raw_path, head.query, head.headers);
  ASSERT_TRUE(match.has_value());
  EXPECT_EQ(match->operation->name, "GetObject");
  EXPECT_EQ(match->labels.at("Bucket"), "my-bucket");
  EXPECT_EQ(match->labels.at("Key"), "dir/a b/c.txt");

  ASSERT_TRUE(http::ParseTarget("/my-bucket?list-type=2", &head));
  match = s3->MatchRestOperation("GET", head.raw_path, head.query, head.headers);
  ASSERT_TRUE(match.has_value());
  EXPECT_EQ(match->labels.size(), 1u);
  EXPECT_EQ(match->labels.at("Bucket"), "my-bucket");
}

TEST(S3RoutingTest, ListTypeValueMustMatch) {
  const ServiceModel* s3 = FindService("s3");
  http::RequestHead head;
  ASSERT_TRUE(http::ParseTarget("/b?list-type=1", &head));
  auto match = s3->MatchRestOperation("GET", head.raw_path, head.query, head.headers);
  ASSERT_TRUE(match.has_value());
  EXPECT_EQ(match->operation->name, "ListObjects");
}

}  // namespace
}  // namespace ck::wire
