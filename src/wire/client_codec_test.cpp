// The client codecs are the server codecs' mirror: what a client encodes, the
// server decodes to the same document, and the other way for responses.
#include "wire/client_codec.h"

#include <gtest/gtest.h>

#include "wire/errors.h"
#include "wire/json_codec.h"
#include "wire/query_codec.h"
#include "wire/rest_xml_codec.h"

namespace ck::wire {
namespace {

using nlohmann::json;

const Operation& Op(const char* service, const char* name) {
  const Operation* op = FindService(service)->FindOperation(name);
  EXPECT_NE(op, nullptr) << name;
  return *op;
}

http::RequestHead HeadOf(const ClientRequest& r) {
  http::RequestHead h;
  h.method = r.method;
  EXPECT_TRUE(http::ParseTarget(r.Target(), &h)) << r.Target();
  h.headers = r.headers;
  return h;
}

TEST(ClientCodec, JsonRequestRoundTrips) {
  const ServiceModel& kms = *FindService("kms");
  json in = {{"KeyId", "alias/my-key"}, {"Plaintext", "aGk="}, {"EncryptionContext", {{"a", "1"}}}};
  auto req = EncodeClientRequest(kms, Op("kms", "Encrypt"), in);
  ASSERT_TRUE(req.ok());
  EXPECT_EQ(req->headers.GetOr("x-amz-target"), "TrentService.Encrypt");
  EXPECT_EQ(req->headers.GetOr("content-type"), "application/x-amz-json-1.1");
  auto decoded = DecodeJsonRequest(kms, Op("kms", "Encrypt"), req->body);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, in);
}

TEST(ClientCodec, QueryRequestRoundTrips) {
  const ServiceModel& iam = *FindService("iam");
  json in = {{"RoleName", "r1"},
             {"AssumeRolePolicyDocument", "{\"Version\":\"2012-10-17\"}"},
             {"Tags", json::array({{{"Key", "a"}, {"Value", "1"}}, {{"Key", "b"}, {"Value", "x y=z+"}}})}};
  auto req = EncodeClientRequest(iam, Op("iam", "CreateRole"), in);
  ASSERT_TRUE(req.ok());
  auto form = ParseForm(req->body);
  ASSERT_TRUE(form.has_value());
  EXPECT_EQ((*form)[0], (std::pair<std::string, std::string>{"Action", "CreateRole"}));
  FormParams params(form->begin() + 2, form->end());
  auto decoded = DecodeQueryRequest(iam, Op("iam", "CreateRole"), params);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(*decoded, in);
}

TEST(ClientCodec, RestXmlRequestRoundTrips) {
  const ServiceModel& s3 = *FindService("s3");
  json in = {{"Bucket", "bucket1"},
             {"Key", "dir/a key+b"},
             {"ContentType", "text/plain"},
             {"Metadata", {{"team", "x"}}},
             {"ServerSideEncryption", "aws:kms"},
             {"SSEKMSKeyId", "alias/my-key"}};
  auto req = EncodeClientRequest(s3, Op("s3", "PutObject"), in);
  ASSERT_TRUE(req.ok());
  EXPECT_EQ(req->method, "PUT");
  EXPECT_EQ(req->path, "/bucket1/dir/a%20key%2Bb");
  http::RequestHead head = HeadOf(*req);
  auto match = s3.MatchRestOperation(head.method, head.raw_path, head.query, head.headers);
  ASSERT_TRUE(match.has_value());
  EXPECT_EQ(match->operation->name, "PutObject");
  auto decoded = DecodeRestXmlRequest(s3, *match->operation, head, match->labels, req->body);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, in);
}

TEST(ClientCodec, RestXmlPayloadAndQueryMembers) {
  const ServiceModel& s3 = *FindService("s3");
  json enc = {{"Bucket", "b"},
              {"ServerSideEncryptionConfiguration",
               {{"Rules", json::array({{{"ApplyServerSideEncryptionByDefault",
                                         {{"SSEAlgorithm", "aws:kms"}, {"KMSMasterKeyID", "alias/k"}}},
                                        {"BucketKeyEnabled", true}}})}}}};
  auto req = EncodeClientRequest(s3, Op("s3", "PutBucketEncryption"), enc);
  ASSERT_TRUE(req.ok()) << req.status().ToString();
  EXPECT_TRUE(req->needs_content_md5);
  http::RequestHead head = HeadOf(*req);
  auto match = s3.MatchRestOperation(head.method, head.raw_path, head.query, head.headers);
  ASSERT_TRUE(match.has_value()) << req->Target();
  EXPECT_EQ(match->operation->name, "PutBucketEncryption");
  auto decoded = DecodeRestXmlRequest(s3, *match->operation, head, match->labels, req->body);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(*decoded, enc);

  json list = {{"Bucket", "b"}, {"Prefix", "a/"}, {"MaxKeys", 10}, {"ContinuationToken", "t"}};
  auto lreq = EncodeClientRequest(s3, Op("s3", "ListObjectsV2"), list);
  ASSERT_TRUE(lreq.ok());
  http::RequestHead lhead = HeadOf(*lreq);
  auto lmatch = s3.MatchRestOperation(lhead.method, lhead.raw_path, lhead.query, lhead.headers);
  ASSERT_TRUE(lmatch.has_value());
  EXPECT_EQ(lmatch->operation->name, "ListObjectsV2");
  auto ldecoded = DecodeRestXmlRequest(s3, *lmatch->operation, lhead, lmatch->labels, "");
  ASSERT_TRUE(ldecoded.ok());
  EXPECT_EQ(*ldecoded, list);
}

TEST(ClientCodec, ResponsesRoundTrip) {
  const ServiceModel& s3 = *FindService("s3");
  json head_out = {{"ContentLength", 5},
                   {"ETag", "\"abc\""},
                   {"ServerSideEncryption", "aws:kms"},
                   {"SSEKMSKeyId", "arn:aws:kms:us-east-1:111111111111:key/k"},
                   {"Metadata", {{"team", "x"}}},
                   {"LastModified", 1700000000.0}};
  http::Response r;
  EncodeRestXmlResponse(s3, Op("s3", "HeadObject"), head_out, &r);
  auto decoded = DecodeClientResponse(s3, Op("s3", "HeadObject"), r.status, r.headers, r.body);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, head_out);

  json versions = {{"IsTruncated", true},
                   {"Name", "b"},
                   {"NextKeyMarker", "k2"},
                   {"Versions", json::array({{{"Key", "k1"}, {"VersionId", "v1"}, {"IsLatest", true}, {"Size", 3}}})}};
  http::Response lr;
  EncodeRestXmlResponse(s3, Op("s3", "ListObjectVersions"), versions, &lr);
  auto ldecoded = DecodeClientResponse(s3, Op("s3", "ListObjectVersions"), lr.status, lr.headers, lr.body);
  ASSERT_TRUE(ldecoded.ok()) << ldecoded.status().ToString();
  EXPECT_EQ(*ldecoded, versions);

  const ServiceModel& sts = *FindService("sts");
  json who = {{"Account", "111111111111"}, {"Arn", "arn:aws:iam::111111111111:root"}, {"UserId", "111111111111"}};
  std::string xml = EncodeQueryResponse(sts, Op("sts", "GetCallerIdentity"), who, "req-1");
  auto sdecoded = DecodeClientResponse(sts, Op("sts", "GetCallerIdentity"), 200, {}, xml);
  ASSERT_TRUE(sdecoded.ok());
  EXPECT_EQ(*sdecoded, who);
}

TEST(ClientCodec, ErrorsKeepCodeMessageAndCanonicalCode) {
  http::Response s3err;
  RenderS3Error(AwsError("NoSuchBucket", 404, "The specified bucket does not exist").WithField("BucketName", "b"),
                "rid", "hid", &s3err);
  Status s = DecodeClientError(*FindService("s3"), s3err.status, s3err.headers, s3err.body);
  EXPECT_EQ(s.aws_code(), "NoSuchBucket");
  EXPECT_EQ(s.message(), "The specified bucket does not exist");
  EXPECT_EQ(s.code(), Code::kNotFound);
  ASSERT_FALSE(s.fields().empty());
  EXPECT_EQ(s.fields()[0].second, "b");

  http::Response kmserr;
  RenderJsonError(AwsError("NotFoundException", 400, "Alias x is not found."), "rid", false, &kmserr);
  Status k = DecodeClientError(*FindService("kms"), kmserr.status, kmserr.headers, kmserr.body);
  EXPECT_EQ(k.aws_code(), "NotFoundException");
  EXPECT_EQ(k.message(), "Alias x is not found.");
  EXPECT_EQ(k.code(), Code::kNotFound);

  http::Response stserr;
  RenderQueryError(AwsError("AccessDenied", 403, "nope"), "rid", "https://sts.amazonaws.com/doc/2011-06-15/", &stserr);
  Status q = DecodeClientError(*FindService("sts"), stserr.status, stserr.headers, stserr.body);
  EXPECT_EQ(q.aws_code(), "AccessDenied");
  EXPECT_EQ(q.code(), Code::kPermissionDenied);

  Status head404 = DecodeClientError(*FindService("s3"), 404, {}, "");
  EXPECT_EQ(head404.aws_code(), "NotFound");
  EXPECT_EQ(head404.code(), Code::kNotFound);
}

}  // namespace
}  // namespace ck::wire
