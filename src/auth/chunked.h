// Push-based decoder for aws-chunked request bodies (Content-Encoding:
// aws-chunked), in the three forms clients send:
//   STREAMING-AWS4-HMAC-SHA256-PAYLOAD          hex;chunk-signature=sig CRLF data CRLF ... 0;chunk-signature=sig CRLF CRLF
//   STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER  signed chunks, then trailer lines and x-amz-trailer-signature
//   STREAMING-UNSIGNED-PAYLOAD-TRAILER          hex CRLF data CRLF ... 0 CRLF trailer lines CRLF
//                                               (boto3 / AWS CLI / SDK JS v3 default for PutObject, UploadPart)
//
// Memory is bounded (a size line <= 4 KiB, the trailer <= 16 KiB); chunk data
// is hashed and passed to `emit` as it arrives, never buffered. Consequence:
// a chunk's signature is known good only when the chunk ends, and trailer
// checksums only at the end, so data emitted before an error must be thrown
// away by the caller (write to a temporary file, delete it on any error).
// Input may be split anywhere, down to one byte per Feed.
//
// Errors (all carry an AWS code):
//   truncated body (Finish before the end)          kInvalidArgument  IncompleteBody 400
//   decoded bytes != x-amz-decoded-content-length   kInvalidArgument  IncompleteBody 400
//   bad size line, missing CRLF, oversize line,
//   missing chunk-signature, bytes after the end    kInvalidArgument  InvalidRequest 400
//   chunk or trailer signature wrong                kUnauthenticated  SignatureDoesNotMatch 403 (+ StringToSign)
//   trailer malformed / declared trailer missing /
//   undeclared checksum trailer                     kInvalidArgument  MalformedTrailerError 400
//   trailer checksum not base64 of the right size   kInvalidArgument  InvalidRequest 400
//   trailer checksum differs from the data          kDataLoss         BadDigest 400
// Not thread-safe: one decoder per request body.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "auth/sigv4.h"
#include "base/status.h"
#include "crypto/checksum.h"
#include "crypto/hash.h"
#include "http/message.h"

namespace ck::auth {

inline constexpr size_t kMaxChunkLine = 4096;
inline constexpr size_t kMaxTrailerBytes = 16 * 1024;

struct ChunkedOptions {
  // kStreamingSigned, kStreamingSignedTrailer or kStreamingUnsignedTrailer.
  PayloadMode mode = PayloadMode::kStreamingUnsignedTrailer;
  // Signed modes: from VerifySignature (seed signature = the request's).
  SigningContext signing;
  // x-amz-decoded-content-length, when the client sent it.
  std::optional<uint64_t> decoded_content_length;
  // Lower-case trailer names announced in x-amz-trailer.
  std::vector<std::string> declared_trailers;
};

// Reads x-amz-decoded-content-length and x-amz-trailer from the request.
// Errors: non-numeric decoded length (InvalidArgument "InvalidArgument"),
// unsupported x-amz-trailer value (InvalidRequest).
Result<ChunkedOptions> ChunkedOptionsFromHead(const http::RequestHead& head, PayloadMode mode,
                                              SigningContext signing = {});

struct VerifiedChecksum {
  crypto::ChecksumAlgorithm algorithm;
  std::string base64;  // as sent in the trailer, and equal to the data's
};

class ChunkedDecoder {
 public:
  using Emit = std::function<Status(std::string_view)>;

  // InvalidArgument for a non-streaming mode or a signed mode without a signing key.
  static Result<std::unique_ptr<ChunkedDecoder>> Create(ChunkedOptions options);

  // Decodes `input`, calling `emit` with payload bytes in order. After an
  // error every further call returns that error.
  Status Feed(std::string_view input, const Emit& emit);
  // The body ended: fails unless the stream was complete and consistent.
  Status Finish();

  bool done() const { return state_ == State::kDone; }
  uint64_t decoded_bytes() const { return decoded_bytes_; }
  // Trailer lines other than x-amz-trailer-signature, names lower-case, in order.
  const std::vector<std::pair<std::string, std::string>>& trailers() const { return trailers_; }
  // Checksum trailers that matched the data (valid after Finish succeeded).
  const std::vector<VerifiedChecksum>& checksums() const { return verified_; }

 private:
  enum class State { kSizeLine, kData, kDataCr, kDataLf, kTrailer, kFinalCr, kFinalLf, kDone, kFailed };

  explicit ChunkedDecoder(ChunkedOptions options);
  bool signed_mode() const;
  bool has_trailer() const;
  Status Fail(Status s);
  Status OnSizeLine(std::string_view line);
  Status EndChunk();
  Status OnTrailerLine(std::string_view line);
  Status EndTrailer();
  Status CheckLength() const;

  ChunkedOptions opt_;
  State state_ = State::kSizeLine;
  Status error_;
  std::string line_;             // partial size or trailer line
  size_t trailer_bytes_ = 0;
  uint64_t chunk_remaining_ = 0;
  bool last_chunk_ = false;
  std::string chunk_signature_;  // declared for the current chunk
  std::string previous_signature_;
  std::optional<crypto::Hasher> chunk_hash_;
  uint64_t decoded_bytes_ = 0;
  std::vector<crypto::Checksummer> checksummers_;
  std::vector<std::pair<std::string, std::string>> trailers_;
  std::string trailer_signature_;
  std::vector<VerifiedChecksum> verified_;
};

}  // namespace ck::auth
