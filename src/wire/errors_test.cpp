#include "wire/errors.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace ck::wire {
namespace {

TEST(ErrorsTest, JsonEnvelope) {
  http::Response r;
  RenderJsonError(AwsError("NotFoundException", 400, "Alias arn:aws:kms:us-east-1:2:alias/my-key is not found."),
                  "rid-1", false, &r);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body,
            R"({"__type":"NotFoundException","message":"Alias arn:aws:kms:us-east-1:2:alias/my-key is not found."})");
  EXPECT_EQ(r.headers.GetOr("x-amzn-requestid"), "rid-1");
  EXPECT_EQ(r.headers.GetOr("content-type"), "application/x-amz-json-1.1");
}

TEST(ErrorsTest, DynamoDbQualifiedTypes) {
  http::Response r;
  RenderJsonError(AwsError("ResourceNotFoundException", 400, "Requested resource not found"), "x", true, &r,
                  "com.amazonaws.dynamodb.v20120810");
  auto body = nlohmann::json::parse(r.body);
  EXPECT_EQ(body["__type"], "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException");
  EXPECT_EQ(r.headers.GetOr("content-type"), "application/x-amz-json-1.0");
  http::Response v;
  RenderJsonError(AwsError("ValidationException", 400, "m"), "x", true, &v, "com.amazonaws.dynamodb.v20120810");
  EXPECT_EQ(nlohmann::json::parse(v.body)["__type"], "com.amazon.coral.validate#ValidationException");
  http::Response s;
  RenderJsonError(AwsError("SerializationException", 400, ""), "x", true, &s, "com.amazonaws.dynamodb.v20120810");
  EXPECT_EQ(nlohmann::json::parse(s.body)["__type"], "com.amazon.coral.service#SerializationException");
}

TEST(ErrorsTest, SecretsManagerNamesTheTextMessage) {
  // Secrets Manager's raw error body is {"Message": ..., "__type": ...} (AWS recording).
  http::Response r;
  RenderJsonError(AwsError("InvalidRequestException", 400, "m"), "x", false, &r, "", "Message");
  auto body = nlohmann::json::parse(r.body);
  EXPECT_EQ(body["Message"], "m");
  EXPECT_FALSE(body.contains("message"));
  EXPECT_EQ(body["__type"], "InvalidRequestException");
}

TEST(ErrorsTest, JsonFieldsRenderAsJsonValues) {
  http::Response r;
  RenderJsonError(AwsError("ConditionalCheckFailedException", 400, "The conditional request failed")
                      .WithJsonField("Item", R"({"id":{"S":"1"}})"),
                  "x", true, &r, "com.amazonaws.dynamodb.v20120810");
  auto body = nlohmann::json::parse(r.body);
  EXPECT_EQ(body["Item"], nlohmann::json::parse(R"({"id":{"S":"1"}})"));
  EXPECT_EQ(body["message"], "The conditional request failed");
  // The XML protocols do not render them.
  http::Response q;
  RenderQueryError(AwsError("X", 400, "m").WithJsonField("Item", "{}"), "rid", "ns", &q);
  EXPECT_EQ(q.body.find("Item"), std::string::npos);
}

TEST(ErrorsTest, JsonCanonicalFallback) {
  http::Response r;
  RenderJsonError(Internal("db down"), "x", false, &r);
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(nlohmann::json::parse(r.body)["__type"], "InternalFailure");
  http::Response u;
  RenderJsonError(UnknownJsonOperation(), "x", false, &u);
  EXPECT_EQ(u.status, 400);
  EXPECT_EQ(nlohmann::json::parse(u.body)["__type"], "UnknownOperationException");
}

TEST(ErrorsTest, QueryEnvelope) {
  http::Response r;
  RenderQueryError(AwsError("ValidationError", 400, "1 validation error detected: x"), "rid",
                   "https://sts.amazonaws.com/doc/2011-06-15/", &r);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body,
            "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type>"
            "<Code>ValidationError</Code><Message>1 validation error detected: x</Message></Error>"
            "<RequestId>rid</RequestId></ErrorResponse>");
  EXPECT_EQ(r.headers.GetOr("content-type"), "text/xml");

  http::Response s;
  RenderQueryError(Status(Code::kUnavailable, "busy"), "rid", "ns", &s);
  EXPECT_EQ(s.status, 503);
  EXPECT_NE(s.body.find("<Type>Receiver</Type><Code>ServiceUnavailable</Code>"), std::string::npos);

  http::Response a;
  RenderQueryError(QueryInvalidAction("AssumeRolex", "2011-06-15"), "rid", "ns", &a);
  EXPECT_NE(a.body.find("<Code>InvalidAction</Code><Message>Could not find operation AssumeRolex for version "
                        "2011-06-15</Message>"),
            std::string::npos);
}

TEST(ErrorsTest, S3Envelope) {
  http::Response r;
  RenderS3Error(AwsError("NoSuchBucket", 404, "The specified bucket does not exist").WithField("BucketName", "b<1>"),
                "REQ", "HOST", &r);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchBucket</Code>"
            "<Message>The specified bucket does not exist</Message><BucketName>b&lt;1&gt;</BucketName>"
            "<RequestId>REQ</RequestId><HostId>HOST</HostId></Error>");
  EXPECT_EQ(r.headers.GetOr("content-type"), "application/xml");
  EXPECT_EQ(r.headers.GetOr("x-amz-request-id"), "REQ");
  EXPECT_EQ(r.headers.GetOr("x-amz-id-2"), "HOST");

  http::Response h;
  RenderS3Error(AwsError("NoSuchKey", 404, "The specified key does not exist."), "REQ", "HOST", &h, true);
  EXPECT_EQ(h.status, 404);
  EXPECT_TRUE(h.body.empty());
  EXPECT_FALSE(h.headers.Has("content-type"));

  http::Response n;
  RenderS3Error(S3NotImplemented(), "REQ", "HOST", &n);
  EXPECT_EQ(n.status, 501);
  EXPECT_NE(n.body.find("<Code>NotImplemented</Code><Message>A header you provided implies functionality that "
                        "is not implemented</Message>"),
            std::string::npos);

  http::Response i;
  RenderS3Error(Internal("boom"), "REQ", "HOST", &i);
  EXPECT_EQ(i.status, 500);
  EXPECT_NE(i.body.find("<Code>InternalError</Code>"), std::string::npos);
}

}  // namespace
}  // namespace ck::wire

namespace ck::wire {
namespace {

// A failure of crosskey itself never shows its detail (file paths, store
// errors) to the client: AWS's generic text goes out, the detail to the log.
TEST(ErrorsTest, InternalDetailStaysInTheLog) {
  Status failure = Internal("write /data/blobs/tmp/0123abcd: No such file or directory");
  http::Response s3;
  RenderS3Error(failure, "REQ", "HOST", &s3);
  EXPECT_EQ(s3.status, 500);
  EXPECT_EQ(s3.body.find("/data/blobs"), std::string::npos) << s3.body;
  EXPECT_NE(s3.body.find("<Message>We encountered an internal error. Please try again.</Message>"), std::string::npos);
  EXPECT_EQ(s3.error_code, "InternalError");
  EXPECT_EQ(s3.error_message, failure.message());

  http::Response json;
  RenderJsonError(DataLoss("blob 0123 is shorter than recorded"), "x", true, &json);
  EXPECT_EQ(json.body.find("shorter"), std::string::npos) << json.body;
  EXPECT_EQ(json.error_code, "InternalFailure");

  http::Response query;
  RenderQueryError(failure, "x", "", &query);
  EXPECT_EQ(query.body.find("/data/blobs"), std::string::npos) << query.body;

  http::Response unavailable;
  RenderS3Error(Status(Code::kUnavailable, "sqlite:/data/metadata.db is closed"), "REQ", "HOST", &unavailable);
  EXPECT_EQ(unavailable.status, 503);
  EXPECT_EQ(unavailable.body.find("/data"), std::string::npos) << unavailable.body;
  EXPECT_NE(unavailable.body.find("<Message>Service is unable to handle request.</Message>"), std::string::npos);

  // Errors the service named keep their message.
  http::Response named;
  RenderS3Error(AwsError("NoSuchKey", 404, "The specified key does not exist."), "REQ", "HOST", &named);
  EXPECT_NE(named.body.find("The specified key does not exist."), std::string::npos);
  EXPECT_EQ(named.error_code, "NoSuchKey");
  EXPECT_EQ(named.error_message, "The specified key does not exist.");
}

}  // namespace
}  // namespace ck::wire
