#include "auth/sigv4.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "auth/auth_test_util.h"
#include "base/codec.h"
#include "crypto/hash.h"

namespace ck::auth {
namespace {

using testing::At;
using testing::MakeHead;
using testing::SignHeaderAuth;

std::string FieldOf(const Status& s, std::string_view name) {
  for (const auto& [k, v] : s.fields())
    if (k == name) return v;
  return "<absent>";
}

// ---------------------------------------------------------------------------
// AWS's published test suite (test/vectors/sigv4/aws-sig-v4-test-suite.txt).

struct SuiteCase {
  std::string name, req, creq, sts;
};

std::vector<SuiteCase> LoadSuite() {
  std::ifstream in(std::string(CK_SIGV4_VECTORS_DIR) + "/aws-sig-v4-test-suite.txt");
  std::vector<SuiteCase> cases;
  std::string line;
  std::string* target = nullptr;
  bool first = true;
  while (std::getline(in, line)) {
    if (StartsWith(line, "# ")) continue;
    if (StartsWith(line, "### ")) {
      cases.push_back({line.substr(4), "", "", ""});
      target = nullptr;
    } else if (StartsWith(line, "--- ")) {
      std::string section = line.substr(4);
      target = section == "req" ? &cases.back().req : section == "creq" ? &cases.back().creq : &cases.back().sts;
      first = true;
    } else if (target) {
      if (!first) *target += '\n';
      *target += line;
      first = false;
    }
  }
  return cases;
}

// Parses "METHOD target HTTP/1.1\nName:value...\n\nbody" into a head and body.
http::RequestHead ParseRawRequest(const std::string& raw, std::string* body) {
  std::istringstream in(raw);
  std::string line;
  std::getline(in, line);
  auto sp = line.find(' ');
  auto http = line.rfind(" HTTP/1.1");
  http::RequestHead head = MakeHead(line.substr(0, sp), line.substr(sp + 1, http - sp - 1), {});
  while (std::getline(in, line) && !line.empty()) {
    auto colon = line.find(':');
    head.headers.Add(line.substr(0, colon), std::string(Trim(line.substr(colon + 1))));
  }
  std::string rest((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  *body = rest;
  return head;
}

constexpr char kSuiteSecret[] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

TEST(SigV4Suite, AllVectorsCanonicalizeAndVerify) {
  auto cases = LoadSuite();
  ASSERT_EQ(cases.size(), 28u);
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    std::string body;
    http::RequestHead head = ParseRawRequest(c.req, &body);
    auto req = ParseSigV4(head);
    ASSERT_TRUE(req.ok()) << req.status().ToString();
    EXPECT_EQ(req->kind, AuthKind::kHeader);
    EXPECT_EQ(req->access_key_id, "AKIDEXAMPLE");
    EXPECT_EQ(req->service, "service");
    std::string payload = HexEncode(crypto::Sha256(body));
    std::string creq = BuildCanonicalRequest(head, *req, payload);
    EXPECT_EQ(creq, c.creq);
    EXPECT_EQ(BuildStringToSign(req->amz_date_text, req->Scope(), creq), c.sts);
    SigningContext ctx;
    Status s = VerifySignature(head, *req, kSuiteSecret, payload, At("20150830T123600Z"), &ctx);
    EXPECT_TRUE(s.ok()) << s.ToString();
    EXPECT_EQ(ctx.seed_signature, req->signature);
    Status bad = VerifySignature(head, *req, "wrong", payload, At("20150830T123600Z"));
    EXPECT_EQ(bad.aws_code(), "SignatureDoesNotMatch");
    EXPECT_EQ(FieldOf(bad, "CanonicalRequest"), c.creq);
  }
}

TEST(SigV4Suite, DerivedKeyMatchesPublishedExample) {
  // From the AWS "derive a signing key" example (iam, 20150830).
  EXPECT_EQ(HexEncode(DeriveSigningKey(kSuiteSecret, "20150830", "us-east-1", "iam")),
            "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9");
}

// ---------------------------------------------------------------------------
// S3 examples from the S3 SigV4 documentation.

constexpr char kS3Secret[] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
constexpr char kS3Akid[] = "AKIAIOSFODNN7EXAMPLE";
constexpr char kS3Cred[] = "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, ";

Status VerifyS3(http::RequestHead& head, std::string_view now = "20130524T000000Z") {
  auto req = ParseSigV4(head);
  if (!req.ok()) return req.status();
  return VerifySignature(head, *req, kS3Secret, "", At(now));
}

TEST(SigV4S3, GetObjectWithRange) {
  auto head = MakeHead("GET", "/test.txt",
                       {{"Host", "examplebucket.s3.amazonaws.com"},
                        {"Range", "bytes=0-9"},
                        {"x-amz-content-sha256", std::string(kEmptySha256)},
                        {"x-amz-date", "20130524T000000Z"},
                        {"Authorization", std::string(kS3Cred) +
                                              "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
                                              "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"}});
  auto req = ParseSigV4(head);
  ASSERT_TRUE(req.ok());
  EXPECT_EQ(req->payload_mode, PayloadMode::kSha256);
  EXPECT_EQ(BuildCanonicalRequest(head, *req, req->payload_hash),
            "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n"
            "x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
            "x-amz-date:20130524T000000Z\n\nhost;range;x-amz-content-sha256;x-amz-date\n"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_TRUE(VerifyS3(head).ok());
}

TEST(SigV4S3, PutObjectDollarKeyWithDateHeader) {
  auto head = MakeHead("PUT", "/test$file.text",
                       {{"Host", "examplebucket.s3.amazonaws.com"},
                        {"Date", "Fri, 24 May 2013 00:00:00 GMT"},
                        {"x-amz-date", "20130524T000000Z"},
                        {"x-amz-storage-class", "REDUCED_REDUNDANCY"},
                        {"x-amz-content-sha256", "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072"},
                        {"Authorization",
                         std::string(kS3Cred) +
                             "SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class, "
                             "Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd"}});
  EXPECT_TRUE(VerifyS3(head).ok());
  EXPECT_EQ(HexEncode(crypto::Sha256("Welcome to Amazon S3.")),
            "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
  // The same key sent percent-encoded (as botocore does) canonicalizes the same.
  auto encoded = head;
  http::ParseTarget("/test%24file.text", &encoded);
  EXPECT_TRUE(VerifyS3(encoded).ok());
}

TEST(SigV4S3, GetBucketLifecycleAndListObjects) {
  auto lifecycle = MakeHead("GET", "/?lifecycle",
                            {{"Host", "examplebucket.s3.amazonaws.com"},
                             {"x-amz-date", "20130524T000000Z"},
                             {"x-amz-content-sha256", std::string(kEmptySha256)},
                             {"Authorization", std::string(kS3Cred) +
                                                   "SignedHeaders=host;x-amz-content-sha256;x-amz-date, "
                                                   "Signature=fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543"}});
  EXPECT_TRUE(VerifyS3(lifecycle).ok());
  auto list = MakeHead("GET", "/?max-keys=2&prefix=J",
                       {{"Host", "examplebucket.s3.amazonaws.com"},
                        {"x-amz-date", "20130524T000000Z"},
                        {"x-amz-content-sha256", std::string(kEmptySha256)},
                        {"Authorization", std::string(kS3Cred) +
                                              "SignedHeaders=host;x-amz-content-sha256;x-amz-date, "
                                              "Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"}});
  EXPECT_TRUE(VerifyS3(list).ok());
}

constexpr char kPresignedTarget[] =
    "/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2F"
    "aws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature="
    "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";

TEST(SigV4S3, PresignedUrlExample) {
  auto head = MakeHead("GET", kPresignedTarget, {{"Host", "examplebucket.s3.amazonaws.com"}});
  auto req = ParseSigV4(head);
  ASSERT_TRUE(req.ok()) << req.status().ToString();
  EXPECT_EQ(req->kind, AuthKind::kPresigned);
  EXPECT_EQ(req->access_key_id, kS3Akid);
  EXPECT_EQ(req->expires_seconds, 86400);
  EXPECT_EQ(req->payload_hash, "UNSIGNED-PAYLOAD");
  EXPECT_EQ(req->signed_headers, std::vector<std::string>{"host"});
  EXPECT_TRUE(VerifySignature(head, *req, kS3Secret, "", At("20130524T000000Z")).ok());
  // Valid up to the last second of the day it grants, then expired.
  EXPECT_TRUE(VerifySignature(head, *req, kS3Secret, "", At("20130525T000000Z")).ok());
  Status expired = VerifySignature(head, *req, kS3Secret, "", At("20130525T000001Z"));
  EXPECT_EQ(expired.aws_code(), "AccessDenied");
  EXPECT_EQ(expired.message(), "Request has expired");
  EXPECT_EQ(expired.http_status(), 403);
  EXPECT_EQ(FieldOf(expired, "X-Amz-Expires"), "86400");
  // Signed for a time far in the future of the server's clock.
  Status early = VerifySignature(head, *req, kS3Secret, "", At("20130523T234400Z"));
  EXPECT_EQ(early.aws_code(), "AccessDenied");
  EXPECT_TRUE(VerifySignature(head, *req, kS3Secret, "", At("20130523T234600Z")).ok());
  // Tampering with another query parameter breaks the signature.
  auto tampered = MakeHead("GET", std::string(kPresignedTarget) + "&versionId=1",
                           {{"Host", "examplebucket.s3.amazonaws.com"}});
  auto treq = ParseSigV4(tampered);
  ASSERT_TRUE(treq.ok());
  EXPECT_EQ(VerifySignature(tampered, *treq, kS3Secret, "", At("20130524T000000Z")).aws_code(),
            "SignatureDoesNotMatch");
}

TEST(SigV4S3, PresignedParameterErrors) {
  auto with = [](std::string_view from, std::string_view to) {
    std::string t = kPresignedTarget;
    t.replace(t.find(from), from.size(), to);
    return ParseSigV4(MakeHead("GET", t, {{"Host", "examplebucket.s3.amazonaws.com"}})).status();
  };
  Status too_long = with("X-Amz-Expires=86400", "X-Amz-Expires=604801");
  EXPECT_EQ(too_long.aws_code(), "AuthorizationQueryParametersError");
  EXPECT_EQ(too_long.message(), "X-Amz-Expires must be less than a week (in seconds) that is 604800");
  EXPECT_TRUE(with("X-Amz-Expires=86400", "X-Amz-Expires=604800").ok());
  EXPECT_EQ(with("X-Amz-Expires=86400", "X-Amz-Expires=0").aws_code(), "AuthorizationQueryParametersError");
  EXPECT_EQ(with("X-Amz-Expires=86400", "X-Amz-Expires=abc").aws_code(), "AuthorizationQueryParametersError");
  EXPECT_EQ(with("&X-Amz-Date=20130524T000000Z", "").aws_code(), "AuthorizationQueryParametersError");
  EXPECT_EQ(with("aws4_request", "aws5_request").aws_code(), "AuthorizationQueryParametersError");
  EXPECT_EQ(with("X-Amz-Algorithm=AWS4-HMAC-SHA256", "X-Amz-Algorithm=HMAC").aws_code(),
            "AuthorizationQueryParametersError");
}

TEST(SigV4S3, PresignedSecurityTokenFromQuery) {
  auto head = MakeHead("GET", std::string(kPresignedTarget) + "&X-Amz-Security-Token=tok%2Fen",
                       {{"Host", "examplebucket.s3.amazonaws.com"}});
  auto req = ParseSigV4(head);
  ASSERT_TRUE(req.ok());
  EXPECT_EQ(req->security_token, "tok/en");
}

// ---------------------------------------------------------------------------
// Forms real clients produce.

http::RequestHead LocalS3Put() {
  return MakeHead("PUT", "/bucket/dir/a%20b%2Bc%C3%BC.txt?x-id=PutObject",
                  {{"Host", "127.0.0.1:4566"},
                   {"x-amz-date", "20240102T030405Z"},
                   {"x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER"},
                   {"x-amz-meta-empty", ""},
                   {"Content-Encoding", "aws-chunked"},
                   {"x-amz-trailer", "x-amz-checksum-crc32"}});
}

TEST(SigV4Clients, HostWithPortEmptyHeaderAndStreamingTrailer) {
  auto head = LocalS3Put();
  std::vector<std::string> signed_headers = {"content-encoding", "host", "x-amz-content-sha256", "x-amz-date",
                                             "x-amz-meta-empty", "x-amz-trailer"};
  SignHeaderAuth(&head, "AKID", "secret", "20240102", "us-east-1", "s3", signed_headers,
                 "STREAMING-UNSIGNED-PAYLOAD-TRAILER");
  auto req = ParseSigV4(head);
  ASSERT_TRUE(req.ok()) << req.status().ToString();
  EXPECT_EQ(req->payload_mode, PayloadMode::kStreamingUnsignedTrailer);
  std::string creq = BuildCanonicalRequest(head, *req, req->payload_hash);
  EXPECT_NE(creq.find("\nhost:127.0.0.1:4566\n"), std::string::npos);
  EXPECT_NE(creq.find("\nx-amz-meta-empty:\n"), std::string::npos);
  EXPECT_EQ(creq.substr(0, creq.find("\nx-id")), "PUT\n/bucket/dir/a%20b%2Bc%C3%BC.txt");
  SigningContext ctx;
  Status s = VerifySignature(head, *req, "secret", "", At("20240102T030405Z"), &ctx);
  EXPECT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(ctx.scope, "20240102/us-east-1/s3/aws4_request");
  EXPECT_EQ(ctx.amz_date_text, "20240102T030405Z");
  EXPECT_EQ(ctx.signing_key, DeriveSigningKey("secret", "20240102", "us-east-1", "s3"));
  // A signed header changed after signing.
  head.headers.Set("x-amz-meta-empty", "x");
  EXPECT_EQ(VerifySignature(head, *req, "secret", "", At("20240102T030405Z")).aws_code(), "SignatureDoesNotMatch");
}

TEST(SigV4Clients, ClockSkew) {
  auto head = LocalS3Put();
  SignHeaderAuth(&head, "AKID", "secret", "20240102", "us-east-1", "s3", {"host", "x-amz-date"},
                 "STREAMING-UNSIGNED-PAYLOAD-TRAILER");
  auto req = ParseSigV4(head);
  ASSERT_TRUE(req.ok());
  FakeClock clock(At("20240102T030405Z"));
  clock.Advance(std::chrono::minutes(15));
  EXPECT_TRUE(VerifySignature(head, *req, "secret", "", clock.Now()).ok());
  clock.Advance(std::chrono::seconds(1));
  Status late = VerifySignature(head, *req, "secret", "", clock.Now());
  EXPECT_EQ(late.aws_code(), "RequestTimeTooSkewed");
  EXPECT_EQ(late.http_status(), 403);
  EXPECT_EQ(late.message(), "The difference between the request time and the current time is too large.");
  EXPECT_EQ(FieldOf(late, "RequestTime"), "20240102T030405Z");
  clock.Set(At("20240102T024904Z"));  // 15 min 1 s early
  EXPECT_EQ(VerifySignature(head, *req, "secret", "", clock.Now()).aws_code(), "RequestTimeTooSkewed");
}

TEST(SigV4Clients, NonS3ServiceUsesComputedBodyHashAndDoubleEncoding) {
  std::string body = "Action=GetCallerIdentity&Version=2011-06-15";
  std::string hash = HexEncode(crypto::Sha256(body));
  auto head = MakeHead("POST", "/", {{"Host", "localhost:4566"},
                                     {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"},
                                     {"X-Amz-Date", "20240102T030405Z"},
                                     {"X-Amz-Security-Token", "session"}});
  SignHeaderAuth(&head, "ASIA", "s", "20240102", "us-east-1", "sts",
                 {"content-type", "host", "x-amz-date", "x-amz-security-token"}, hash);
  auto req = ParseSigV4(head);
  ASSERT_TRUE(req.ok());
  EXPECT_EQ(req->payload_mode, PayloadMode::kNotDeclared);
  EXPECT_TRUE(req->payload_hash.empty());
  EXPECT_EQ(req->security_token, "session");
  EXPECT_TRUE(VerifySignature(head, *req, "s", hash, At("20240102T030405Z")).ok());
  EXPECT_EQ(VerifySignature(head, *req, "s", kEmptySha256, At("20240102T030405Z")).aws_code(),
            "SignatureDoesNotMatch");
  EXPECT_EQ(CanonicalUri("/a%20b/./c//", false), "/a%2520b/c/");
  EXPECT_EQ(CanonicalUri("/a%20b/./c//", true), "/a%20b/./c//");
  EXPECT_EQ(CanonicalUri("/bucket/a%2Fb/%7Ex!", true), "/bucket/a%2Fb/~x%21");
  EXPECT_EQ(CanonicalUri("", true), "/");
}

TEST(SigV4Clients, QueryCanonicalization) {
  EXPECT_EQ(CanonicalQueryString("b=2&a=1&acl", false), "a=1&acl=&b=2");
  EXPECT_EQ(CanonicalQueryString("prefix=a/b&delimiter=%2F", false), "delimiter=%2F&prefix=a%2Fb");
  EXPECT_EQ(CanonicalQueryString("X-Amz-Signature=abc&X-Amz-Date=1", true), "X-Amz-Date=1");
  EXPECT_EQ(CanonicalQueryString("X-Amz-Signature=abc", false), "X-Amz-Signature=abc");
  EXPECT_EQ(CanonicalQueryString("k=a+b", false), "k=a%2Bb");
  EXPECT_EQ(CanonicalQueryString("k=a+b", false, true), "k=a%20b");
  EXPECT_EQ(CanonicalQueryString("uploads=&a=%e2%82%ac", false), "a=%E2%82%AC&uploads=");
}

TEST(SigV4Clients, LiteralPlusInQueryAcceptedEitherWay) {
  for (bool client_means_space : {false, true}) {
    auto head = MakeHead("GET", "/bucket?prefix=a+b", {{"Host", "h"},
                                                       {"x-amz-date", "20240102T030405Z"},
                                                       {"x-amz-content-sha256", "UNSIGNED-PAYLOAD"}});
    SigV4Request r;
    r.kind = AuthKind::kHeader;
    r.service = "s3";
    r.signed_headers = {"host", "x-amz-date"};
    std::string creq = BuildCanonicalRequest(head, r, "UNSIGNED-PAYLOAD", client_means_space);
    std::string sts = BuildStringToSign("20240102T030405Z", "20240102/us-east-1/s3/aws4_request", creq);
    std::string sig = SignString(DeriveSigningKey("k", "20240102", "us-east-1", "s3"), sts);
    head.headers.Add("Authorization", "AWS4-HMAC-SHA256 Credential=A/20240102/us-east-1/s3/aws4_request,"
                                      "SignedHeaders=host;x-amz-date,Signature=" + sig);  // no spaces: also valid
    auto req = ParseSigV4(head);
    ASSERT_TRUE(req.ok()) << req.status().ToString();
    EXPECT_TRUE(VerifySignature(head, *req, "k", "", At("20240102T030405Z")).ok()) << client_means_space;
  }
}

// ---------------------------------------------------------------------------
// Malformed and unsupported input.

Status ParseAuth(std::string authz, std::vector<std::pair<std::string, std::string>> extra = {}) {
  std::vector<std::pair<std::string, std::string>> h = {{"Host", "h"}, {"x-amz-date", "20150830T123600Z"}};
  for (auto& e : extra) h.push_back(e);
  h.emplace_back("Authorization", authz);
  return ParseSigV4(MakeHead("GET", "/", h)).status();
}

TEST(SigV4Errors, MissingSignatureParameter) {
  std::string a = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
                  "SignedHeaders=host;x-amz-date";
  Status s = ParseAuth(a);
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_EQ(s.aws_code(), "IncompleteSignature");
  EXPECT_EQ(s.message(), "Authorization header requires 'Signature' parameter. Authorization=" + a);
  Status all = ParseAuth("AWS4-HMAC-SHA256");
  EXPECT_EQ(all.message(),
            "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' "
            "parameter. Authorization header requires 'SignedHeaders' parameter. Authorization=AWS4-HMAC-SHA256");
}

TEST(SigV4Errors, MalformedCredentialAndPairs) {
  EXPECT_EQ(ParseAuth("AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/iam, SignedHeaders=host, Signature=ab")
                .aws_code(),
            "IncompleteSignature");
  Status term = ParseAuth(
      "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/iam/aws5_request, SignedHeaders=host, Signature=ab");
  EXPECT_EQ(term.message(), "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'.");
  Status pair = ParseAuth("AWS4-HMAC-SHA256 Credential, SignedHeaders=host, Signature=ab");
  EXPECT_EQ(pair.aws_code(), "IncompleteSignature");
  EXPECT_NE(pair.message().find("missing equal-sign"), std::string::npos);
}

TEST(SigV4Errors, MissingDate) {
  auto head = MakeHead("GET", "/", {{"Host", "h"},
                                    {"Authorization", "AWS4-HMAC-SHA256 Credential=A/20150830/us-east-1/iam/"
                                                      "aws4_request, SignedHeaders=host, Signature=ab"}});
  Status s = ParseSigV4(head).status();
  EXPECT_EQ(s.aws_code(), "IncompleteSignature");
  EXPECT_TRUE(StartsWith(s.message(), "Authorization header requires existence of either a 'X-Amz-Date' or a "
                                      "'Date' header. Authorization="));
  head.headers.Add("Date", "Sun, 30 Aug 2015 12:36:00 GMT");
  auto req = ParseSigV4(head);
  ASSERT_TRUE(req.ok());
  EXPECT_EQ(req->amz_date_text, "20150830T123600Z");
}

TEST(SigV4Errors, SigV2AndOtherAlgorithmsUnsupported) {
  Status v2 = ParseAuth("AWS AKIAIOSFODNN7EXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg=");
  EXPECT_EQ(v2.aws_code(), "InvalidRequest");
  EXPECT_EQ(v2.message(),
            "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.");
  EXPECT_EQ(ParseAuth("AWS4-ECDSA-P256-SHA256 Credential=x").aws_code(), "InvalidRequest");
  auto v2query = MakeHead("GET", "/b/k?AWSAccessKeyId=A&Expires=1&Signature=x", {{"Host", "h"}});
  EXPECT_EQ(ParseSigV4(v2query).status().aws_code(), "InvalidRequest");
}

TEST(SigV4Errors, HeaderAndQueryTogether) {
  auto head = MakeHead("GET", kPresignedTarget,
                       {{"Host", "examplebucket.s3.amazonaws.com"},
                        {"Authorization", "AWS4-HMAC-SHA256 Credential=A/20130524/us-east-1/s3/aws4_request, "
                                          "SignedHeaders=host, Signature=ab"}});
  EXPECT_EQ(ParseSigV4(head).status().aws_code(), "InvalidArgument");
}

TEST(SigV4Errors, S3RequiresContentSha256) {
  std::string a = "AWS4-HMAC-SHA256 Credential=A/20150830/us-east-1/s3/aws4_request, SignedHeaders=host, "
                  "Signature=ab";
  Status s = ParseAuth(a);
  EXPECT_EQ(s.aws_code(), "InvalidRequest");
  EXPECT_EQ(s.message(), "Missing required header for this request: x-amz-content-sha256");
  EXPECT_EQ(ParseAuth(a, {{"x-amz-content-sha256", "nope"}}).aws_code(), "InvalidArgument");
  EXPECT_TRUE(ParseAuth(a, {{"x-amz-content-sha256", "UNSIGNED-PAYLOAD"}}).ok());
  // Non-S3 services do not need it.
  EXPECT_TRUE(ParseAuth("AWS4-HMAC-SHA256 Credential=A/20150830/us-east-1/kms/aws4_request, SignedHeaders=host, "
                        "Signature=ab")
                  .ok());
}

TEST(SigV4Errors, CredentialDateMustMatchRequestDate) {
  auto head = MakeHead("GET", "/", {{"Host", "h"}, {"x-amz-date", "20150830T123600Z"}});
  SignHeaderAuth(&head, "A", "k", "20150831", "us-east-1", "kms", {"host", "x-amz-date"}, kEmptySha256);
  auto req = ParseSigV4(head);
  ASSERT_TRUE(req.ok());
  Status s = VerifySignature(head, *req, "k", "", At("20150830T123600Z"));
  EXPECT_EQ(s.aws_code(), "SignatureDoesNotMatch");
  EXPECT_NE(s.message().find("Date in Credential scope does not match"), std::string::npos);
}

TEST(SigV4Errors, AnonymousAndMismatchFields) {
  auto anon = ParseSigV4(MakeHead("GET", "/bucket/key?list-type=2", {{"Host", "h"}}));
  ASSERT_TRUE(anon.ok());
  EXPECT_EQ(anon->kind, AuthKind::kNone);

  auto head = MakeHead("GET", "/", {{"Host", "h"}, {"x-amz-date", "20150830T123600Z"}});
  SignHeaderAuth(&head, "AKIDX", "right", "20150830", "us-east-1", "kms", {"host", "x-amz-date"}, kEmptySha256);
  auto req = ParseSigV4(head);
  ASSERT_TRUE(req.ok());
  Status s = VerifySignature(head, *req, "wrong", "", At("20150830T123600Z"));
  EXPECT_EQ(s.code(), Code::kUnauthenticated);
  EXPECT_EQ(s.http_status(), 403);
  EXPECT_EQ(s.message(),
            "The request signature we calculated does not match the signature you provided. Check your AWS Secret "
            "Access Key and signing method. Consult the service documentation for details.");
  EXPECT_EQ(FieldOf(s, "AWSAccessKeyId"), "AKIDX");
  EXPECT_EQ(FieldOf(s, "SignatureProvided"), req->signature);
  EXPECT_TRUE(StartsWith(FieldOf(s, "StringToSign"), "AWS4-HMAC-SHA256\n20150830T123600Z\n"));
  EXPECT_TRUE(StartsWith(FieldOf(s, "StringToSignBytes"), "41 57 53 34"));
  EXPECT_EQ(FieldOf(s, "CanonicalRequest"), BuildCanonicalRequest(head, *req, kEmptySha256));
}

TEST(SigV4Errors, ContentSha256Check) {
  EXPECT_TRUE(CheckContentSha256(kEmptySha256, HexEncode(crypto::Sha256(""))).ok());
  Status s = CheckContentSha256(kEmptySha256, HexEncode(crypto::Sha256("x")));
  EXPECT_EQ(s.aws_code(), "XAmzContentSHA256Mismatch");
  EXPECT_EQ(s.http_status(), 400);
}

TEST(SigV4Errors, ConstantTimeEquals) {
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "ab"));
}

}  // namespace
}  // namespace ck::auth
