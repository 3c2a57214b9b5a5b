#include "auth/signer.h"

#include <gtest/gtest.h>

#include "auth/sigv4.h"

namespace ck::auth {
namespace {

constexpr char kSecret[] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

TimePoint VectorTime() { return *ParseAmzDate("20150830T123600Z"); }

http::RequestHead Head(std::string method, std::string target) {
  http::RequestHead h;
  h.method = std::move(method);
  EXPECT_TRUE(http::ParseTarget(target, &h));
  h.headers.Add("host", "example.amazonaws.com");
  return h;
}

// AWS's own test-suite case "get-vanilla".
TEST(Signer, MatchesTheAwsTestSuite) {
  http::RequestHead h = Head("GET", "/");
  SignSigV4(h, {"AKIDEXAMPLE", kSecret, ""}, "us-east-1", "service", kEmptySha256, VectorTime());
  EXPECT_EQ(h.headers.GetOr("authorization"),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
            "SignedHeaders=host;x-amz-date, "
            "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
}

// What the client signs, the server's verifier accepts; a changed byte fails.
TEST(Signer, RoundTripsThroughTheVerifier) {
  for (std::string service : {"s3", "kms"}) {
    http::RequestHead h = Head("PUT", "/bucket/a%20key?tagging");
    h.headers.Add("content-type", "application/xml");
    h.headers.Add("x-amz-meta-a", "b");
    SignSigV4(h, {"AKIAX", "secret", "token"}, "eu-west-1", service, kEmptySha256, VectorTime());
    auto parsed = ParseSigV4(h);
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    EXPECT_EQ(parsed->security_token, "token");
    EXPECT_EQ(parsed->region, "eu-west-1");
    EXPECT_TRUE(VerifySignature(h, *parsed, "secret", kEmptySha256, VectorTime()).ok()) << service;
    h.headers.Set("x-amz-meta-a", "c");
    EXPECT_FALSE(VerifySignature(h, *parsed, "secret", kEmptySha256, VectorTime()).ok()) << service;
  }
}

}  // namespace
}  // namespace ck::auth
