#include "auth/sigv2.h"

#include <gtest/gtest.h>

#include "base/codec.h"
#include "crypto/hash.h"

namespace ck::auth {
namespace {

http::RequestHead Head(std::string method, std::string target, std::vector<std::pair<std::string, std::string>> h) {
  http::RequestHead head;
  head.method = std::move(method);
  EXPECT_TRUE(http::ParseTarget(target, &head));
  for (auto& [k, v] : h) head.headers.Add(k, v);
  return head;
}

// The example from the Amazon S3 SigV2 documentation ("Object GET").
TEST(SigV2, DocumentationExampleGetObject) {
  auto head = Head("GET", "/awsexamplebucket1/photos/puppy.jpg",
                   {{"Host", "s3.us-west-1.amazonaws.com"}, {"Date", "Tue, 27 Mar 2007 19:36:42 +0000"},
                    {"Authorization", "AWS AKIAIOSFODNN7EXAMPLE:qgk2+6Sv9/oM7G3qLEjTH1a1l1g="}});
  auto parsed = ParseSigV2(head);
  ASSERT_TRUE(parsed.has_value());
  ASSERT_TRUE(parsed->ok()) << parsed->status().ToString();
  EXPECT_EQ(SigV2StringToSign(head, **parsed),
            "GET\n\n\nTue, 27 Mar 2007 19:36:42 +0000\n/awsexamplebucket1/photos/puppy.jpg");
  EXPECT_TRUE(VerifySigV2(head, **parsed, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY").ok());
  EXPECT_FALSE(VerifySigV2(head, **parsed, "wrong").ok());
}

TEST(SigV2, PresignedUrlVerifiesAndExpires) {
  std::string sts = "GET\n\n\n1175139620\n/awsexamplebucket1/photos/puppy.jpg";
  std::string sig = Base64Encode(crypto::HmacSha1("secret", sts));
  auto head = Head("GET", "/awsexamplebucket1/photos/puppy.jpg?AWSAccessKeyId=AK&Expires=1175139620&Signature=" +
                              UriEncode(sig), {});
  auto parsed = ParseSigV2(head);
  ASSERT_TRUE(parsed && parsed->ok());
  EXPECT_TRUE((*parsed)->presigned);
  EXPECT_EQ(SigV2StringToSign(head, **parsed), sts);
  EXPECT_TRUE(VerifySigV2(head, **parsed, "secret").ok());
  Status late = CheckSigV2Time(**parsed, FromEpochSeconds(1175139621));
  EXPECT_EQ(late.aws_code(), "AccessDenied");
  EXPECT_EQ(late.message(), "Request has expired");
  EXPECT_TRUE(CheckSigV2Time(**parsed, FromEpochSeconds(1175139600)).ok());
}

TEST(SigV2, DatesCenturiesAwayAreSkewedNotOverflowed) {
  // Found by fuzzing (sigv4_fuzz): a Date of 1689 made the skew's nanosecond
  // difference overflow (undefined behaviour) instead of RequestTimeTooSkewed.
  for (const char* date : {"Sun, 30 Aug 1689 12:36:00 GMT", "Sun, 30 Aug 2261 12:36:00 GMT"}) {
    auto head = Head("GET", "/bucket/k", {{"Date", date}, {"Authorization", "AWS AK:c2lnbmF0dXJl"}});
    auto parsed = ParseSigV2(head);
    ASSERT_TRUE(parsed && parsed->ok()) << date;
    Status s = CheckSigV2Time(**parsed, FromEpochSeconds(1440938160));
    EXPECT_EQ(s.aws_code(), "RequestTimeTooSkewed") << date;
  }
}

TEST(SigV2, SubResourcesAndAmzHeadersAreCanonicalized) {
  auto head = Head("PUT", "/b/k?uploadId=xyz&partNumber=2&foo=bar",
                   {{"Content-Type", "text/plain"}, {"X-Amz-Meta-B", "2"}, {"x-amz-meta-a", " 1 "},
                    {"x-amz-date", "Tue, 27 Mar 2007 19:36:42 +0000"}, {"Date", "ignored"},
                    {"Authorization", "AWS AK:sig"}});
  auto parsed = ParseSigV2(head);
  ASSERT_TRUE(parsed && parsed->ok());
  EXPECT_EQ(SigV2StringToSign(head, **parsed),
            "PUT\n\ntext/plain\n\nx-amz-date:Tue, 27 Mar 2007 19:36:42 +0000\nx-amz-meta-a:1\nx-amz-meta-b:2\n"
            "/b/k?partNumber=2&uploadId=xyz");
}

// A bucket addressed path-style is signed as "/bucket/" (botocore and S3 agree),
// like the virtual-hosted "/" of the bucket's host; sub-resources follow it.
TEST(SigV2, BucketRequestsEndWithSlash) {
  auto head = Head("GET", "/b?versioning", {{"Date", "Tue, 27 Mar 2007 19:36:42 +0000"}, {"Authorization", "AWS AK:s"}});
  auto parsed = ParseSigV2(head);
  ASSERT_TRUE(parsed && parsed->ok());
  EXPECT_EQ(SigV2StringToSign(head, **parsed), "GET\n\n\nTue, 27 Mar 2007 19:36:42 +0000\n/b/?versioning");
  auto vhost = Head("GET", "/?versioning",
                    {{"Host", "b.localhost:4566"}, {"Date", "Tue, 27 Mar 2007 19:36:42 +0000"}, {"Authorization", "AWS AK:s"}});
  auto vparsed = ParseSigV2(vhost);
  ASSERT_TRUE(vparsed && vparsed->ok());
  EXPECT_EQ(SigV2StringToSign(vhost, **vparsed), "GET\n\n\nTue, 27 Mar 2007 19:36:42 +0000\n/b/?versioning");
  auto list = Head("GET", "/", {{"Date", "Tue, 27 Mar 2007 19:36:42 +0000"}, {"Authorization", "AWS AK:s"}});
  auto lparsed = ParseSigV2(list);
  ASSERT_TRUE(lparsed && lparsed->ok());
  EXPECT_EQ(SigV2StringToSign(list, **lparsed), "GET\n\n\nTue, 27 Mar 2007 19:36:42 +0000\n/");
}

TEST(SigV2, NotSigV2) {
  EXPECT_FALSE(ParseSigV2(Head("GET", "/b/k", {{"Authorization", "AWS4-HMAC-SHA256 Credential=x"}})).has_value());
  EXPECT_FALSE(ParseSigV2(Head("GET", "/b/k?X-Amz-Signature=x", {})).has_value());
}

}  // namespace
}  // namespace ck::auth
