#include "auth/chunked.h"

#include <gtest/gtest.h>

#include "auth/auth_test_util.h"
#include "base/codec.h"
#include "crypto/hash.h"

namespace ck::auth {
namespace {

using crypto::ChecksumAlgorithm;
using testing::At;
using testing::MakeHead;

// Feeds `body` in pieces of `step` bytes (0 = all at once) and finishes.
Status Decode(ChunkedDecoder& d, std::string_view body, size_t step, std::string* out) {
  auto emit = [out](std::string_view s) {
    out->append(s);
    return Status::Ok();
  };
  if (step == 0) step = body.size() ? body.size() : 1;
  for (size_t i = 0; i < body.size(); i += step) CK_RETURN_IF_ERROR(d.Feed(body.substr(i, step), emit));
  return d.Finish();
}

std::unique_ptr<ChunkedDecoder> MustCreate(ChunkedOptions opt) {
  auto d = ChunkedDecoder::Create(std::move(opt));
  EXPECT_TRUE(d.ok()) << d.status().ToString();
  return std::move(d).value();
}

// ---------------------------------------------------------------------------
// The S3 documentation's signed chunked upload example.

constexpr char kS3Secret[] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

struct SignedExample {
  http::RequestHead head;
  std::string body;
};

SignedExample MakeSignedExample() {
  SignedExample ex;
  ex.head = MakeHead(
      "PUT", "/examplebucket/chunkObject.txt",
      {{"Host", "s3.amazonaws.com"},
       {"x-amz-date", "20130524T000000Z"},
       {"x-amz-storage-class", "REDUCED_REDUNDANCY"},
       {"Authorization",
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders="
        "content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;"
        "x-amz-storage-class,Signature=4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9"},
       {"x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"},
       {"Content-Encoding", "aws-chunked"},
       {"x-amz-decoded-content-length", "66560"},
       {"Content-Length", "66824"}});
  ex.body = "10000;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648\r\n" +
            std::string(65536, 'a') +
            "\r\n400;chunk-signature=0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497\r\n" +
            std::string(1024, 'a') +
            "\r\n0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\n\r\n";
  return ex;
}

Result<std::unique_ptr<ChunkedDecoder>> DecoderFor(const http::RequestHead& head) {
  CK_ASSIGN_OR_RETURN(SigV4Request req, ParseSigV4(head));
  SigningContext ctx;
  CK_RETURN_IF_ERROR(VerifySignature(head, req, kS3Secret, "", At("20130524T000000Z"), &ctx));
  CK_ASSIGN_OR_RETURN(ChunkedOptions opt, ChunkedOptionsFromHead(head, req.payload_mode, ctx));
  return ChunkedDecoder::Create(std::move(opt));
}

TEST(ChunkedSigned, AwsExampleWholeAndByteAtATime) {
  SignedExample ex = MakeSignedExample();
  ASSERT_EQ(ex.body.size(), 66824u);
  for (size_t step : {size_t{0}, size_t{1}, size_t{7}, size_t{4096}}) {
    auto d = DecoderFor(ex.head);
    ASSERT_TRUE(d.ok()) << d.status().ToString();
    std::string out;
    Status s = Decode(**d, ex.body, step, &out);
    EXPECT_TRUE(s.ok()) << step << ": " << s.ToString();
    EXPECT_EQ(out, std::string(66560, 'a'));
    EXPECT_EQ((*d)->decoded_bytes(), 66560u);
    EXPECT_TRUE((*d)->done());
  }
}

TEST(ChunkedSigned, BadChunkSignatureFailsAtThatChunk) {
  SignedExample ex = MakeSignedExample();
  ex.body.replace(ex.body.find("0055627c"), 8, "0055627d");
  auto d = DecoderFor(ex.head);
  ASSERT_TRUE(d.ok());
  std::string out;
  Status s = Decode(**d, ex.body, 1000, &out);
  EXPECT_EQ(s.aws_code(), "SignatureDoesNotMatch");
  EXPECT_EQ(s.http_status(), 403);
  EXPECT_TRUE(StartsWith(
      s.fields().empty() ? "" : s.fields()[0].second,
      "AWS4-HMAC-SHA256-PAYLOAD\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
      "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648\n"));
  // The first chunk was good and emitted; the caller discards it.
  EXPECT_GE(out.size(), 65536u);
  EXPECT_EQ(d.value()->Feed("x", [](std::string_view) { return Status::Ok(); }).aws_code(), "SignatureDoesNotMatch");
}

TEST(ChunkedSigned, AlteredDataOrFinalSignatureRejected) {
  SignedExample ex = MakeSignedExample();
  ex.body[200] = 'b';
  auto d = DecoderFor(ex.head);
  ASSERT_TRUE(d.ok());
  std::string out;
  EXPECT_EQ(Decode(**d, ex.body, 0, &out).aws_code(), "SignatureDoesNotMatch");

  ex = MakeSignedExample();
  ex.body.replace(ex.body.find("b6c6ea8a"), 8, "00000000");
  d = DecoderFor(ex.head);
  ASSERT_TRUE(d.ok());
  out.clear();
  EXPECT_EQ(Decode(**d, ex.body, 0, &out).aws_code(), "SignatureDoesNotMatch");
}

TEST(ChunkedSigned, MissingChunkSignatureIsMalformed) {
  SignedExample ex = MakeSignedExample();
  auto d = DecoderFor(ex.head);
  ASSERT_TRUE(d.ok());
  std::string out;
  EXPECT_EQ(Decode(**d, "5\r\nhello\r\n0\r\n\r\n", 0, &out).aws_code(), "InvalidRequest");
}

// ---------------------------------------------------------------------------
// STREAMING-UNSIGNED-PAYLOAD-TRAILER (boto3 / AWS CLI default).

constexpr char kHelloCrc32[] = "DUoRhQ==";  // crc32("hello world") = 0x0D4A1185

ChunkedOptions UnsignedOpts(std::vector<std::string> trailers = {"x-amz-checksum-crc32"},
                            std::optional<uint64_t> len = 11) {
  ChunkedOptions o;
  o.mode = PayloadMode::kStreamingUnsignedTrailer;
  o.declared_trailers = std::move(trailers);
  o.decoded_content_length = len;
  return o;
}

std::string UnsignedBody(std::string_view checksum_line = "x-amz-checksum-crc32:DUoRhQ==") {
  return "5\r\nhello\r\n6\r\n world\r\n0\r\n" + std::string(checksum_line) + "\r\n\r\n";
}

TEST(ChunkedUnsigned, Crc32TrailerVerifiedAnySplit) {
  ASSERT_EQ(crypto::ComputeChecksumBase64(ChecksumAlgorithm::kCrc32, "hello world"), kHelloCrc32);
  std::string body = UnsignedBody();
  for (size_t step : {size_t{0}, size_t{1}, size_t{2}, size_t{3}, size_t{10}}) {
    auto d = MustCreate(UnsignedOpts());
    std::string out;
    Status s = Decode(*d, body, step, &out);
    ASSERT_TRUE(s.ok()) << step << ": " << s.ToString();
    EXPECT_EQ(out, "hello world");
    ASSERT_EQ(d->trailers().size(), 1u);
    EXPECT_EQ(d->trailers()[0].first, "x-amz-checksum-crc32");
    EXPECT_EQ(d->trailers()[0].second, kHelloCrc32);
    ASSERT_EQ(d->checksums().size(), 1u);
    EXPECT_EQ(d->checksums()[0].algorithm, ChecksumAlgorithm::kCrc32);
  }
}

TEST(ChunkedUnsigned, OptionsFromBoto3StyleHead) {
  auto head = MakeHead("PUT", "/b/k", {{"Content-Encoding", "aws-chunked"},
                                       {"x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER"},
                                       {"x-amz-trailer", "x-amz-checksum-crc32"},
                                       {"x-amz-decoded-content-length", "11"}});
  auto opt = ChunkedOptionsFromHead(head, PayloadMode::kStreamingUnsignedTrailer);
  ASSERT_TRUE(opt.ok());
  EXPECT_EQ(opt->decoded_content_length, 11u);
  EXPECT_EQ(opt->declared_trailers, std::vector<std::string>{"x-amz-checksum-crc32"});
  auto d = MustCreate(*opt);
  std::string out;
  EXPECT_TRUE(Decode(*d, UnsignedBody(), 1, &out).ok());

  head.headers.Set("x-amz-trailer", "x-amz-meta-foo");
  EXPECT_EQ(ChunkedOptionsFromHead(head, PayloadMode::kStreamingUnsignedTrailer).status().aws_code(),
            "InvalidRequest");
  head.headers.Set("x-amz-trailer", "x-amz-checksum-crc32");
  head.headers.Set("x-amz-decoded-content-length", "1x");
  EXPECT_FALSE(ChunkedOptionsFromHead(head, PayloadMode::kStreamingUnsignedTrailer).ok());
}

TEST(ChunkedUnsigned, ChecksumMismatchIsBadDigest) {
  auto d = MustCreate(UnsignedOpts());
  std::string out;
  Status s = Decode(*d, UnsignedBody("x-amz-checksum-crc32:AAAAAA=="), 0, &out);
  EXPECT_EQ(s.aws_code(), "BadDigest");
  EXPECT_EQ(s.http_status(), 400);
  EXPECT_EQ(s.message(), "The CRC32 you specified did not match the calculated checksum.");

  auto d2 = MustCreate(UnsignedOpts());
  EXPECT_EQ(Decode(*d2, UnsignedBody("x-amz-checksum-crc32:notbase64"), 0, &out).aws_code(), "InvalidRequest");
}

TEST(ChunkedUnsigned, OtherAlgorithmsAndNoTrailer) {
  for (auto alg : {ChecksumAlgorithm::kCrc32c, ChecksumAlgorithm::kCrc64Nvme, ChecksumAlgorithm::kSha256}) {
    std::string name = crypto::ChecksumHeaderName(alg);
    auto d = MustCreate(UnsignedOpts({name}));
    std::string out;
    Status s = Decode(*d, UnsignedBody(name + ":" + crypto::ComputeChecksumBase64(alg, "hello world")), 3, &out);
    EXPECT_TRUE(s.ok()) << name << ": " << s.ToString();
  }
  auto d = MustCreate(UnsignedOpts({}));
  std::string out;
  EXPECT_TRUE(Decode(*d, "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", 1, &out).ok());
  EXPECT_EQ(out, "hello world");
}

TEST(ChunkedUnsigned, EveryTruncationFails) {
  std::string body = UnsignedBody();
  for (size_t n = 0; n < body.size(); ++n) {
    auto d = MustCreate(UnsignedOpts());
    std::string out;
    Status s = Decode(*d, body.substr(0, n), 1, &out);
    if (n == body.size() - 2) {
      // Only the closing empty line is missing and every declared trailer arrived: accepted.
      EXPECT_TRUE(s.ok()) << s.ToString();
      continue;
    }
    EXPECT_FALSE(s.ok()) << "prefix " << n;
    if (n < body.size() - 2 && n > 0) {
      EXPECT_EQ(s.aws_code(), "IncompleteBody") << "prefix " << n;
    }
  }
}

TEST(ChunkedUnsigned, MalformedFraming) {
  struct Case {
    std::string body, code;
  };
  std::vector<Case> cases = {
      {"zz\r\nhello\r\n", "InvalidRequest"},                     // not hex
      {"\r\n", "InvalidRequest"},                                // empty size
      {"5\nhello\r\n", "InvalidRequest"},                        // LF only
      {"5\r\nhelloXX0\r\n\r\n", "InvalidRequest"},               // data not followed by CRLF
      {"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\nextra", "InvalidRequest"},  // bytes after the end
      {std::string(5000, '1'), "InvalidRequest"},                // size line over 4 KiB
      {"5\r\nhello\r\n6\r\n world\r\n0\r\nnot-a-header\r\n\r\n", "MalformedTrailerError"},
      {"5\r\nhello\r\n6\r\n world\r\n0\r\n" + std::string(17000, 'x'), "MalformedTrailerError"},
      {"fffffffffffffffff\r\n", "InvalidRequest"},               // overflow
  };
  for (const auto& c : cases) {
    auto d = MustCreate(UnsignedOpts({}, std::nullopt));
    std::string out;
    EXPECT_EQ(Decode(*d, c.body, 0, &out).aws_code(), c.code) << c.body.substr(0, 40);
    auto d1 = MustCreate(UnsignedOpts({}, std::nullopt));
    out.clear();
    EXPECT_EQ(Decode(*d1, c.body, 1, &out).aws_code(), c.code) << "bytewise " << c.body.substr(0, 40);
  }
}

TEST(ChunkedUnsigned, DecodedLengthMustMatch) {
  std::string out;
  auto longer = MustCreate(UnsignedOpts({"x-amz-checksum-crc32"}, 10));
  Status s = Decode(*longer, UnsignedBody(), 1, &out);
  EXPECT_EQ(s.aws_code(), "IncompleteBody");
  EXPECT_LE(out.size(), 10u);  // stopped before writing past the declared length
  auto shorter = MustCreate(UnsignedOpts({"x-amz-checksum-crc32"}, 12));
  EXPECT_EQ(Decode(*shorter, UnsignedBody(), 0, &out).aws_code(), "IncompleteBody");
}

TEST(ChunkedUnsigned, TrailerMustMatchDeclaration) {
  std::string out;
  auto missing = MustCreate(UnsignedOpts({"x-amz-checksum-crc32"}));
  EXPECT_EQ(Decode(*missing, "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", 0, &out).aws_code(),
            "MalformedTrailerError");
  auto undeclared = MustCreate(UnsignedOpts({}));
  EXPECT_EQ(Decode(*undeclared, UnsignedBody(), 0, &out).aws_code(), "MalformedTrailerError");
}

TEST(ChunkedUnsigned, EmitErrorStopsDecoding) {
  auto d = MustCreate(UnsignedOpts());
  Status s = d->Feed(UnsignedBody(), [](std::string_view) { return Internal("disk full"); });
  EXPECT_EQ(s.code(), Code::kInternal);
  EXPECT_EQ(d->Finish().code(), Code::kInternal);
}

TEST(ChunkedCreate, RejectsBadModes) {
  ChunkedOptions o;
  o.mode = PayloadMode::kUnsigned;
  EXPECT_FALSE(ChunkedDecoder::Create(o).ok());
  o.mode = PayloadMode::kStreamingSigned;  // no signing context
  EXPECT_FALSE(ChunkedDecoder::Create(o).ok());
}

// ---------------------------------------------------------------------------
// STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, signed the way the SDKs do.

struct SignedTrailerBody {
  SigningContext ctx;
  std::string body;
};

SignedTrailerBody MakeSignedTrailer(std::string_view checksum_value) {
  SignedTrailerBody r;
  r.ctx.signing_key = DeriveSigningKey("secret", "20240102", "us-east-1", "s3");
  r.ctx.amz_date_text = "20240102T030405Z";
  r.ctx.scope = "20240102/us-east-1/s3/aws4_request";
  r.ctx.seed_signature = std::string(64, 'a');
  std::string prev = r.ctx.seed_signature;
  auto chunk_sig = [&](std::string_view data) {
    std::string sts = "AWS4-HMAC-SHA256-PAYLOAD\n" + r.ctx.amz_date_text + "\n" + r.ctx.scope + "\n" + prev + "\n" +
                      std::string(kEmptySha256) + "\n" + HexEncode(crypto::Sha256(data));
    prev = SignString(r.ctx.signing_key, sts);
    return prev;
  };
  r.body = "b;chunk-signature=" + chunk_sig("hello world") + "\r\nhello world\r\n";
  r.body += "0;chunk-signature=" + chunk_sig("") + "\r\n";
  std::string trailer = "x-amz-checksum-crc32c:" + std::string(checksum_value) + "\n";
  std::string sts = "AWS4-HMAC-SHA256-TRAILER\n" + r.ctx.amz_date_text + "\n" + r.ctx.scope + "\n" + prev + "\n" +
                    HexEncode(crypto::Sha256(trailer));
  r.body += "x-amz-checksum-crc32c:" + std::string(checksum_value) + "\r\n";
  r.body += "x-amz-trailer-signature:" + SignString(r.ctx.signing_key, sts) + "\r\n\r\n";
  return r;
}

TEST(ChunkedSignedTrailer, VerifiesChunksTrailerSignatureAndChecksum) {
  std::string crc = crypto::ComputeChecksumBase64(ChecksumAlgorithm::kCrc32c, "hello world");
  SignedTrailerBody st = MakeSignedTrailer(crc);
  ChunkedOptions o;
  o.mode = PayloadMode::kStreamingSignedTrailer;
  o.signing = st.ctx;
  o.declared_trailers = {"x-amz-checksum-crc32c"};
  o.decoded_content_length = 11;
  for (size_t step : {size_t{0}, size_t{1}}) {
    auto d = MustCreate(o);
    std::string out;
    Status s = Decode(*d, st.body, step, &out);
    EXPECT_TRUE(s.ok()) << s.ToString();
    EXPECT_EQ(out, "hello world");
    ASSERT_EQ(d->trailers().size(), 1u);  // the signature line is not a trailer
  }
  // Tampered trailer signature.
  std::string bad = st.body;
  size_t pos = bad.find("x-amz-trailer-signature:") + 24;
  bad[pos] = bad[pos] == '0' ? '1' : '0';
  auto d = MustCreate(o);
  std::string out;
  EXPECT_EQ(Decode(*d, bad, 0, &out).aws_code(), "SignatureDoesNotMatch");
  // A correctly signed trailer carrying the wrong checksum.
  auto wrong = MakeSignedTrailer(crypto::ComputeChecksumBase64(ChecksumAlgorithm::kCrc32c, "other"));
  auto d2 = MustCreate(o);
  EXPECT_EQ(Decode(*d2, wrong.body, 0, &out).aws_code(), "BadDigest");
  // Missing trailer signature.
  std::string unsigned_trailer = st.body.substr(0, st.body.find("x-amz-trailer-signature")) + "\r\n";
  auto d3 = MustCreate(o);
  EXPECT_EQ(Decode(*d3, unsigned_trailer, 0, &out).aws_code(), "MalformedTrailerError");
}

}  // namespace
}  // namespace ck::auth
