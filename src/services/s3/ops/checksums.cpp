// What an upload's head says: its length, and its integrity headers
// (Content-MD5 and the flexible checksums: x-amz-checksum-*, a trailer, or
// the SDK's algorithm header, read as the header family they are).
#include "base/codec.h"
#include "crypto/checksum.h"
#include "services/s3/ops/common.h"

namespace ck::services::s3 {

namespace {

// An x-amz-checksum-<algorithm> header (not -algorithm, -type or -mode).
std::optional<crypto::ChecksumAlgorithm> ChecksumHeader(const std::string& name) {
  if (!StartsWith(name, "x-amz-checksum-") || name == "x-amz-checksum-algorithm" || name == "x-amz-checksum-type" ||
      name == "x-amz-checksum-mode")
    return std::nullopt;
  return crypto::ParseChecksumAlgorithm(name);
}

constexpr char kUnsupportedAlgorithm[] =
    "Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, "
    "CRC64NVME, SHA1, SHA256]";

}  // namespace

Status CheckContentLength(const Call& c, uint64_t max) {
  if (!c.ctx.body || !c.ctx.body->content_length) {
    // A body sent chunked without its length (no Content-Length, no
    // x-amz-decoded-content-length) is a feature S3 does not have.
    if (auto te = c.RawHeader("transfer-encoding"); te && ToLower(*te).find("chunked") != std::string::npos)
      return errors::Unsupported("Transfer-Encoding");
    return errors::MissingContentLength("You must provide the Content-Length HTTP header.");
  }
  if (*c.ctx.body->content_length > max)
    return errors::EntityTooLarge("Your proposed upload exceeds the maximum allowed size")
        .WithField("ProposedSize", std::to_string(*c.ctx.body->content_length))
        .WithField("MaxSizeAllowed", std::to_string(max));
  return Status::Ok();
}

Result<std::optional<crypto::ChecksumAlgorithm>> RequestedChecksum(const Call& c) {
  if (auto md5 = c.RawHeader("content-md5")) {
    auto raw = Base64Decode(Trim(*md5));
    if (!raw || raw->size() != 16) return errors::InvalidDigest("The Content-MD5 you specified was invalid.");
  }
  std::optional<crypto::ChecksumAlgorithm> alg;
  auto pick = [&](crypto::ChecksumAlgorithm a) -> Status {
    if (alg && *alg != a)
      return errors::InvalidRequest(
          "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.");
    alg = a;
    return Status::Ok();
  };
  // More than one algorithm is refused before any value is looked at.
  for (const auto& [name, value] : c.head->headers.all())
    if (auto a = ChecksumHeader(name)) CK_RETURN_IF_ERROR(pick(*a));
  for (const auto& [name, value] : c.head->headers.all()) {
    auto a = ChecksumHeader(name);
    if (!a) continue;
    auto raw = Base64Decode(Trim(value));
    if (!raw || raw->size() != crypto::ChecksumDigestSize(*a))
      return errors::InvalidRequest("Value for " + name + " header is invalid.");
  }
  if (auto t = c.RawHeader("x-amz-trailer")) {
    if (auto a = crypto::ParseChecksumAlgorithm(Trim(*t))) CK_RETURN_IF_ERROR(pick(*a));
  }
  for (const char* h : {"x-amz-sdk-checksum-algorithm", "x-amz-checksum-algorithm"}) {
    if (auto v = c.RawHeader(h)) {
      auto a = crypto::ParseChecksumAlgorithm(Trim(*v));
      if (!a) return errors::InvalidRequest(kUnsupportedAlgorithm);
      if (!alg) alg = a;
    }
  }
  return alg;
}

Status VerifyDigests(const Call& c, const WrittenSegment& w) {
  if (auto md5 = c.RawHeader("content-md5")) {
    auto raw = Base64Decode(Trim(*md5));
    if (!raw || *raw != w.md5_raw)
      return errors::BadDigest("The Content-MD5 you specified did not match what we received.")
          .WithField("ExpectedDigest", HexEncode(raw.value_or("")))
          .WithField("CalculatedDigest", Base64Encode(w.md5_raw));
  }
  for (const auto& [name, value] : c.head->headers.all()) {
    auto a = ChecksumHeader(name);
    if (!a) continue;
    if (std::string(Trim(value)) != w.segment.checksum)
      return errors::BadDigest(std::string("The ") + crypto::ChecksumAlgorithmName(*a) +
                               " you specified did not match the calculated checksum.");
  }
  return Status::Ok();
}

}  // namespace ck::services::s3
