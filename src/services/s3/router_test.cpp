// The S3 router as a table of requests: (method, Host, path and query, one
// header) → endpoint, bucket, key; and the answers for requests no endpoint
// serves.
#include "services/s3/router.h"

#include <gtest/gtest.h>

#include "services/s3/operations.h"
#include "wire/model.h"

namespace ck::services::s3 {
namespace {

using E = Endpoint;

struct Case {
  const char* method;
  const char* host;
  const char* target;  // path and query as sent
  const char* header;  // one extra header name, or ""
  Endpoint endpoint;
  const char* bucket;
  const char* key;
  const char* operation;  // the model's operation ("" for none)
};

constexpr char kLocal[] = "localhost:4566";

const Case kCases[] = {
    // Path style.
    {"GET", kLocal, "/", "", E::kListBuckets, "", "", "ListBuckets"},
    {"PUT", kLocal, "/b1", "", E::kCreateBucket, "b1", "", "CreateBucket"},
    {"PUT", kLocal, "/b1/", "", E::kCreateBucket, "b1", "", "CreateBucket"},
    {"HEAD", kLocal, "/b1", "", E::kHeadBucket, "b1", "", "HeadBucket"},
    {"DELETE", kLocal, "/b1", "", E::kDeleteBucket, "b1", "", "DeleteBucket"},
    {"GET", kLocal, "/b1", "", E::kListObjects, "b1", "", "ListObjects"},
    {"GET", kLocal, "/b1?list-type=2&prefix=a%2F&delimiter=%2F", "", E::kListObjectsV2, "b1", "", "ListObjectsV2"},
    {"GET", kLocal, "/b1?list-type=1", "", E::kListObjects, "b1", "", "ListObjects"},
    {"GET", kLocal, "/b1?versions", "", E::kListObjectVersions, "b1", "", "ListObjectVersions"},
    {"GET", kLocal, "/b1?uploads", "", E::kListMultipartUploads, "b1", "", "ListMultipartUploads"},
    {"GET", kLocal, "/b1?location", "", E::kGetBucketLocation, "b1", "", "GetBucketLocation"},
    {"POST", kLocal, "/b1?delete", "", E::kDeleteObjects, "b1", "", "DeleteObjects"},
    // Bucket sub-resources.
    {"GET", kLocal, "/b1?tagging", "", E::kGetBucketTagging, "b1", "", "GetBucketTagging"},
    {"PUT", kLocal, "/b1?tagging", "", E::kPutBucketTagging, "b1", "", "PutBucketTagging"},
    {"DELETE", kLocal, "/b1?tagging", "", E::kDeleteBucketTagging, "b1", "", "DeleteBucketTagging"},
    {"GET", kLocal, "/b1?policy", "", E::kGetBucketPolicy, "b1", "", "GetBucketPolicy"},
    {"PUT", kLocal, "/b1?policy", "", E::kPutBucketPolicy, "b1", "", "PutBucketPolicy"},
    {"DELETE", kLocal, "/b1?policy", "", E::kDeleteBucketPolicy, "b1", "", "DeleteBucketPolicy"},
    {"GET", kLocal, "/b1?policyStatus", "", E::kGetBucketPolicyStatus, "b1", "", "GetBucketPolicyStatus"},
    {"GET", kLocal, "/b1?cors", "", E::kGetBucketCors, "b1", "", "GetBucketCors"},
    {"PUT", kLocal, "/b1?cors", "", E::kPutBucketCors, "b1", "", "PutBucketCors"},
    {"DELETE", kLocal, "/b1?cors", "", E::kDeleteBucketCors, "b1", "", "DeleteBucketCors"},
    {"GET", kLocal, "/b1?publicAccessBlock", "", E::kGetPublicAccessBlock, "b1", "", "GetPublicAccessBlock"},
    {"PUT", kLocal, "/b1?publicAccessBlock", "", E::kPutPublicAccessBlock, "b1", "", "PutPublicAccessBlock"},
    {"GET", kLocal, "/b1?ownershipControls", "", E::kGetBucketOwnershipControls, "b1", "",
     "GetBucketOwnershipControls"},
    {"DELETE", kLocal, "/b1?ownershipControls", "", E::kDeleteBucketOwnershipControls, "b1", "",
     "DeleteBucketOwnershipControls"},
    {"GET", kLocal, "/b1?versioning", "", E::kGetBucketVersioning, "b1", "", "GetBucketVersioning"},
    {"PUT", kLocal, "/b1?versioning", "", E::kPutBucketVersioning, "b1", "", "PutBucketVersioning"},
    {"GET", kLocal, "/b1?acl", "", E::kGetBucketAcl, "b1", "", "GetBucketAcl"},
    {"PUT", kLocal, "/b1?acl", "", E::kPutBucketAcl, "b1", "", "PutBucketAcl"},
    {"GET", kLocal, "/b1?encryption", "", E::kGetBucketEncryption, "b1", "", "GetBucketEncryption"},
    {"DELETE", kLocal, "/b1?encryption", "", E::kDeleteBucketEncryption, "b1", "", "DeleteBucketEncryption"},
    {"GET", kLocal, "/b1?lifecycle", "", E::kGetBucketLifecycleConfiguration, "b1", "",
     "GetBucketLifecycleConfiguration"},
    {"DELETE", kLocal, "/b1?lifecycle", "", E::kDeleteBucketLifecycle, "b1", "", "DeleteBucketLifecycle"},
    {"GET", kLocal, "/b1?website", "", E::kGetBucketWebsite, "b1", "", "GetBucketWebsite"},
    {"GET", kLocal, "/b1?replication", "", E::kGetBucketReplication, "b1", "", "GetBucketReplication"},
    {"GET", kLocal, "/b1?object-lock", "", E::kGetObjectLockConfiguration, "b1", "", "GetObjectLockConfiguration"},
    {"GET", kLocal, "/b1?logging", "", E::kGetBucketLogging, "b1", "", "GetBucketLogging"},
    {"GET", kLocal, "/b1?accelerate", "", E::kGetBucketAccelerateConfiguration, "b1", "",
     "GetBucketAccelerateConfiguration"},
    {"GET", kLocal, "/b1?requestPayment", "", E::kGetBucketRequestPayment, "b1", "", "GetBucketRequestPayment"},
    {"GET", kLocal, "/b1?notification", "", E::kGetBucketNotificationConfiguration, "b1", "",
     "GetBucketNotificationConfiguration"},
    {"PUT", kLocal, "/b1?lifecycle", "", E::kPutBucketLifecycleConfiguration, "b1", "",
     "PutBucketLifecycleConfiguration"},
    {"PUT", kLocal, "/b1?website", "", E::kPutBucketWebsite, "b1", "", "PutBucketWebsite"},
    {"GET", kLocal, "/b1?analytics", "", E::kListBucketAnalyticsConfigurations, "b1", "",
     "ListBucketAnalyticsConfigurations"},
    {"GET", kLocal, "/b1?metrics&id=m", "", E::kGetBucketMetricsConfiguration, "b1", "",
     "GetBucketMetricsConfiguration"},
    {"DELETE", kLocal, "/b1?intelligent-tiering&id=t", "", E::kDeleteBucketIntelligentTieringConfiguration, "b1", "",
     "DeleteBucketIntelligentTieringConfiguration"},
    // Objects.
    {"PUT", kLocal, "/b1/key", "", E::kPutObject, "b1", "key", "PutObject"},
    {"PUT", kLocal, "/b1/dir/sub/a%20b%2Fc.txt?x-id=PutObject", "", E::kPutObject, "b1", "dir/sub/a b/c.txt",
     "PutObject"},
    {"PUT", kLocal, "/b1/key", "x-amz-copy-source", E::kCopyObject, "b1", "key", "CopyObject"},
    {"GET", kLocal, "/b1/key", "", E::kGetObject, "b1", "key", "GetObject"},
    {"GET", kLocal, "/b1/key?versionId=v1", "", E::kGetObject, "b1", "key", "GetObject"},
    {"GET", kLocal, "/b1/key?partNumber=2", "", E::kGetObject, "b1", "key", "GetObject"},
    {"GET", kLocal, "/b1/key?list-type=2", "", E::kGetObject, "b1", "key", "GetObject"},
    {"HEAD", kLocal, "/b1/key", "", E::kHeadObject, "b1", "key", "HeadObject"},
    {"DELETE", kLocal, "/b1/key", "", E::kDeleteObject, "b1", "key", "DeleteObject"},
    {"DELETE", kLocal, "/b1/key?versionId=v1", "", E::kDeleteObject, "b1", "key", "DeleteObject"},
    {"GET", kLocal, "/b1/key?tagging", "", E::kGetObjectTagging, "b1", "key", "GetObjectTagging"},
    {"PUT", kLocal, "/b1/key?tagging", "", E::kPutObjectTagging, "b1", "key", "PutObjectTagging"},
    {"DELETE", kLocal, "/b1/key?tagging&versionId=v1", "", E::kDeleteObjectTagging, "b1", "key", "DeleteObjectTagging"},
    {"GET", kLocal, "/b1/key?acl", "", E::kGetObjectAcl, "b1", "key", "GetObjectAcl"},
    {"PUT", kLocal, "/b1/key?acl", "", E::kPutObjectAcl, "b1", "key", "PutObjectAcl"},
    {"GET", kLocal, "/b1/key?attributes", "x-amz-object-attributes", E::kGetObjectAttributes, "b1", "key",
     "GetObjectAttributes"},
    // Multipart uploads.
    {"POST", kLocal, "/b1/key?uploads", "", E::kCreateMultipartUpload, "b1", "key", "CreateMultipartUpload"},
    {"PUT", kLocal, "/b1/key?partNumber=1&uploadId=u", "", E::kUploadPart, "b1", "key", "UploadPart"},
    {"PUT", kLocal, "/b1/key?partNumber=1&uploadId=u", "x-amz-copy-source", E::kUploadPartCopy, "b1", "key",
     "UploadPartCopy"},
    {"POST", kLocal, "/b1/key?uploadId=u", "", E::kCompleteMultipartUpload, "b1", "key", "CompleteMultipartUpload"},
    {"DELETE", kLocal, "/b1/key?uploadId=u", "", E::kAbortMultipartUpload, "b1", "key", "AbortMultipartUpload"},
    {"GET", kLocal, "/b1/key?uploadId=u", "", E::kListParts, "b1", "key", "ListParts"},
    // Virtual-hosted style: the bucket is in the Host.
    {"GET", "b1.s3.localhost:4566", "/", "", E::kListObjects, "b1", "", "ListObjects"},
    {"GET", "b1.localhost:4566", "/dir/key?tagging", "", E::kGetObjectTagging, "b1", "dir/key", "GetObjectTagging"},
    {"PUT", "b1.localhost", "/k", "x-amz-copy-source", E::kCopyObject, "b1", "k", "CopyObject"},
    {"GET", "b1.s3.us-east-1.amazonaws.com", "/a%20b", "", E::kGetObject, "b1", "a b", "GetObject"},
    {"GET", "B1.s3-us-west-2.amazonaws.com", "/?list-type=2", "", E::kListObjectsV2, "b1", "", "ListObjectsV2"},
    {"GET", "b1.localhost.localstack.cloud:4566", "/?uploads", "", E::kListMultipartUploads, "b1", "",
     "ListMultipartUploads"},
    {"GET", "s3.localhost:4566", "/b1", "", E::kListObjects, "b1", "", "ListObjects"},
    {"GET", "127.0.0.1:4566", "/", "", E::kListBuckets, "", "", "ListBuckets"},
    // CORS preflight.
    {"OPTIONS", kLocal, "/b1/dir/a%20b", "", E::kPreflight, "b1", "dir/a b", ""},
    {"OPTIONS", "b1.localhost:4566", "/k", "", E::kPreflight, "b1", "k", ""},
    {"OPTIONS", kLocal, "/b1", "", E::kPreflight, "b1", "", ""},
    // Object Lock.
    {"GET", kLocal, "/b1/key?retention", "", E::kGetObjectRetention, "b1", "key", "GetObjectRetention"},
    {"PUT", kLocal, "/b1/key?legal-hold", "", E::kPutObjectLegalHold, "b1", "key", "PutObjectLegalHold"},
    {"PUT", kLocal, "/b1/key?retention", "", E::kPutObjectRetention, "b1", "key", "PutObjectRetention"},
    {"GET", kLocal, "/b1/key?legal-hold", "", E::kGetObjectLegalHold, "b1", "key", "GetObjectLegalHold"},
    {"PUT", kLocal, "/b1?logging", "", E::kPutBucketLogging, "b1", "", "PutBucketLogging"},
    {"DELETE", kLocal, "/b1?website", "", E::kDeleteBucketWebsite, "b1", "", "DeleteBucketWebsite"},
    {"GET", kLocal, "/b1?metrics", "", E::kListBucketMetricsConfigurations, "b1", "",
     "ListBucketMetricsConfigurations"},
    {"PUT", kLocal, "/b1?object-lock", "", E::kPutObjectLockConfiguration, "b1", "", "PutObjectLockConfiguration"},
    // Operations of the model crosskey does not serve.
    {"PUT", kLocal, "/b1?replication", "", E::kUnimplemented, "b1", "", "PutBucketReplication"},
    {"PUT", kLocal, "/b1?notification", "", E::kUnimplemented, "b1", "", "PutBucketNotificationConfiguration"},
    {"GET", kLocal, "/b1?inventory", "", E::kUnimplemented, "b1", "", "ListBucketInventoryConfigurations"},
    {"POST", kLocal, "/b1/key?restore", "", E::kUnimplemented, "b1", "key", "RestoreObject"},
    {"GET", kLocal, "/b1/key?torrent", "", E::kUnimplemented, "b1", "key", "GetObjectTorrent"},
    // No operation at all.
    {"POST", kLocal, "/b1", "", E::kNoRoute, "", "", ""},
    {"POST", kLocal, "/b1/key", "", E::kNoRoute, "", "", ""},
    {"PATCH", kLocal, "/b1/key", "", E::kNoRoute, "", "", ""},
};

http::RequestHead Head(const Case& c) {
  http::RequestHead head;
  head.method = c.method;
  EXPECT_TRUE(http::ParseTarget(c.target, &head)) << c.target;
  head.headers.Add("host", c.host);
  if (*c.header) head.headers.Add(c.header, "src-bucket/src-key");
  return head;
}

TEST(S3Router, Table) {
  const wire::ServiceModel* model = wire::FindService("s3");
  ASSERT_NE(model, nullptr);
  for (const Case& c : kCases) {
    SCOPED_TRACE(std::string(c.method) + " " + c.host + " " + c.target + " " + c.header);
    http::RequestHead head = Head(c);
    Route r = RouteRequest(*model, head);
    EXPECT_EQ(EndpointName(r.endpoint), EndpointName(c.endpoint));
    EXPECT_EQ(r.bucket, c.bucket);
    EXPECT_EQ(r.key, c.key);
    EXPECT_EQ(r.operation ? r.operation->name : "", c.operation);
  }
}

TEST(S3Router, EveryServedEndpointIsInTheTable) {
  size_t served = 0;
  for (const Case& c : kCases)
    if (c.endpoint > E::kPreflight) ++served;
  EXPECT_GE(served, static_cast<size_t>(E::kCount) - 3 - 4) << "a few endpoints share one table row";
  for (size_t i = static_cast<size_t>(E::kPreflight) + 1; i < static_cast<size_t>(E::kCount); ++i)
    EXPECT_NE(Endpoints().Find(static_cast<Endpoint>(i)), nullptr) << EndpointName(static_cast<Endpoint>(i));
  EXPECT_EQ(Endpoints().Find(E::kNoRoute), nullptr);
  EXPECT_EQ(Endpoints().Find(E::kUnimplemented), nullptr);
  EXPECT_EQ(Endpoints().Find(E::kPreflight), nullptr);
}

TEST(S3Router, TableMatchesTheModel) {
  Status s = Endpoints().CheckAgainst(*wire::FindService("s3"));
  EXPECT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(Endpoints().Find(E::kPutObject)->body, BodyKind::kStreamed);
  EXPECT_EQ(Endpoints().Find(E::kUploadPart)->body, BodyKind::kStreamed);
  EXPECT_EQ(Endpoints().Find(E::kPutBucketPolicy)->body, BodyKind::kBuffered);
  EXPECT_EQ(Endpoints().Find(E::kCompleteMultipartUpload)->body, BodyKind::kBuffered);
  EXPECT_EQ(Endpoints().Find(E::kCopyObject)->body, BodyKind::kNone);
  EXPECT_EQ(Endpoints().Find(E::kGetObject)->body, BodyKind::kNone);
  EXPECT_EQ(Endpoints().Find(E::kHeadBucket)->meta.iam_action, "s3:ListBucket");
  EXPECT_EQ(Endpoints().Find(E::kDeleteBucketCors)->meta.iam_action, "s3:PutBucketCORS");
  EXPECT_EQ(Endpoints().Find(E::kGetBucketEncryption)->meta.iam_action, "s3:GetEncryptionConfiguration");
  EXPECT_FALSE(Endpoints().Find(E::kPutObject)->meta.read_only);
  EXPECT_TRUE(Endpoints().Find(E::kListObjectsV2)->meta.read_only);
}

struct ErrorCase {
  const char* method;
  const char* target;
  int status;
  const char* code;
  const char* field;  // "Name=Value" expected among the error's fields, or ""
};

const ErrorCase kErrors[] = {
    {"PUT", "/b1?replication", 501, "NotImplemented", "Header=PutBucketReplication"},
    {"GET", "/b1?inventory&id=a", 501, "NotImplemented", "Header=GetBucketInventoryConfiguration"},
    {"POST", "/b1", 501, "NotImplemented", ""},
    {"PATCH", "/b1/key", 405, "MethodNotAllowed", "Method=PATCH"},
    {"PROPFIND", "/b1", 405, "MethodNotAllowed", "ResourceType=OBJECT"},
};

TEST(S3Router, RequestsWithoutAnEndpoint) {
  const wire::ServiceModel* model = wire::FindService("s3");
  for (const ErrorCase& e : kErrors) {
    SCOPED_TRACE(std::string(e.method) + " " + e.target);
    http::RequestHead head;
    head.method = e.method;
    ASSERT_TRUE(http::ParseTarget(e.target, &head));
    head.headers.Add("host", kLocal);
    Route r = RouteRequest(*model, head);
    Status s = RouteError(r, head.method);
    EXPECT_EQ(s.http_status(), e.status);
    EXPECT_EQ(s.aws_code(), e.code);
    EXPECT_EQ(s.message(), e.status == 501 ? "A header you provided implies functionality that is not implemented"
                                           : "The specified method is not allowed against this resource.");
    if (*e.field) {
      std::string want = e.field;
      bool found = false;
      for (const auto& [name, value] : s.fields()) found = found || name + "=" + value == want;
      EXPECT_TRUE(found) << want;
    } else {
      EXPECT_TRUE(s.fields().empty());
    }
  }
}

TEST(S3Router, RequestsNotInUtf8) {
  auto check = [](const char* target, const char* header, const char* value) {
    http::RequestHead head;
    head.method = "GET";
    EXPECT_TRUE(http::ParseTarget(target, &head)) << target;
    head.headers.Add("host", kLocal);
    if (*header) head.headers.Add(header, value);
    return CheckRequestEncoding(head);
  };
  EXPECT_TRUE(check("/b1/caf%C3%A9?prefix=%C3%A9", "x-amz-meta-a", "caf\xC3\xA9").ok());
  for (const char* target : {"/b1/a%FFb", "/b1/k?x-id=%FF", "/b1/k?%C3=1"}) {
    SCOPED_TRACE(target);
    Status s = check(target, "", "");
    EXPECT_EQ(s.http_status(), 400);
    EXPECT_EQ(s.aws_code(), "InvalidURI");
    EXPECT_EQ(s.message(), "Couldn't parse the specified URI.");
  }
  Status s = check("/b1/k", "x-amz-meta-a", "\xFF");
  EXPECT_EQ(s.aws_code(), "InvalidArgument");
  ASSERT_EQ(s.fields().size(), 1u);
  EXPECT_EQ(s.fields()[0].first, "ArgumentName");
  EXPECT_EQ(s.fields()[0].second, "x-amz-meta-a");  // the value is not echoed
  s = check("/b1/k", "x-\xFF", "v");
  ASSERT_EQ(s.fields().size(), 1u);
  EXPECT_EQ(s.fields()[0].second, "header");
}

}  // namespace
}  // namespace ck::services::s3
