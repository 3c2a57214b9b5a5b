#include "auth/chunked.h"

#include <algorithm>
#include <charconv>
#include <cstring>

#include "base/codec.h"

namespace ck::auth {

namespace {

Status Malformed(std::string detail) {
  return InvalidArgument("Invalid aws-chunked encoding: " + detail).WithAws("InvalidRequest", 400);
}
Status Incomplete() {
  return InvalidArgument("The request body terminated unexpectedly").WithAws("IncompleteBody", 400);
}
Status MalformedTrailer() {
  return InvalidArgument(
             "The request contained trailing data that was not well-formed or did not conform to our published "
             "schema.")
      .WithAws("MalformedTrailerError", 400);
}

bool IsLowerHex64(std::string_view s) {
  return s.size() == 64 &&
         std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

Status ChunkSignatureMismatch(std::string_view string_to_sign, std::string_view provided) {
  return Unauthenticated(
             "The request signature we calculated does not match the signature you provided. Check your key and "
             "signing method.")
      .WithAws("SignatureDoesNotMatch", 403)
      .WithField("StringToSign", std::string(string_to_sign))
      .WithField("SignatureProvided", std::string(provided));
}

}  // namespace

Result<ChunkedOptions> ChunkedOptionsFromHead(const http::RequestHead& head, PayloadMode mode,
                                              SigningContext signing) {
  ChunkedOptions opt;
  opt.mode = mode;
  opt.signing = std::move(signing);
  if (auto v = head.headers.Get("x-amz-decoded-content-length")) {
    std::string_view t = Trim(*v);
    uint64_t n = 0;
    auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), n);
    if (t.empty() || ec != std::errc() || ptr != t.data() + t.size())
      return InvalidArgument("x-amz-decoded-content-length is not a valid number")
          .WithAws("InvalidArgument", 400)
          .WithField("ArgumentName", "x-amz-decoded-content-length")
          .WithField("ArgumentValue", std::string(*v));
    opt.decoded_content_length = n;
  }
  for (const auto& [k, v] : head.headers.all()) {
    if (k != "x-amz-trailer") continue;
    size_t start = 0;
    std::string_view all = v;
    while (start <= all.size()) {
      size_t comma = all.find(',', start);
      std::string_view name = Trim(all.substr(start, comma == std::string_view::npos ? all.npos : comma - start));
      if (!name.empty()) {
        std::string lower = ToLower(name);
        if (!StartsWith(lower, "x-amz-checksum-") || !crypto::ParseChecksumAlgorithm(lower))
          return InvalidArgument("The value specified in the x-amz-trailer header is not supported")
              .WithAws("InvalidRequest", 400);
        opt.declared_trailers.push_back(std::move(lower));
      }
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
  }
  return opt;
}

Result<std::unique_ptr<ChunkedDecoder>> ChunkedDecoder::Create(ChunkedOptions options) {
  if (!IsStreaming(options.mode)) return InvalidArgument("ChunkedDecoder needs a STREAMING-* payload mode");
  bool is_signed = options.mode != PayloadMode::kStreamingUnsignedTrailer;
  if (is_signed && (options.signing.signing_key.empty() || options.signing.seed_signature.empty()))
    return InvalidArgument("signed aws-chunked body without a verified seed signature");
  for (const auto& name : options.declared_trailers)
    if (!crypto::ParseChecksumAlgorithm(name))
      return InvalidArgument("The value specified in the x-amz-trailer header is not supported")
          .WithAws("InvalidRequest", 400);
  return std::unique_ptr<ChunkedDecoder>(new ChunkedDecoder(std::move(options)));
}

ChunkedDecoder::ChunkedDecoder(ChunkedOptions options) : opt_(std::move(options)) {
  previous_signature_ = opt_.signing.seed_signature;
  if (has_trailer())
    for (const auto& name : opt_.declared_trailers) checksummers_.emplace_back(*crypto::ParseChecksumAlgorithm(name));
}

bool ChunkedDecoder::signed_mode() const { return opt_.mode != PayloadMode::kStreamingUnsignedTrailer; }
bool ChunkedDecoder::has_trailer() const { return opt_.mode != PayloadMode::kStreamingSigned; }

Status ChunkedDecoder::Fail(Status s) {
  state_ = State::kFailed;
  error_ = s;
  return s;
}

Status ChunkedDecoder::Feed(std::string_view in, const Emit& emit) {
  if (state_ == State::kFailed) return error_;
  while (!in.empty()) {
    switch (state_) {
      case State::kSizeLine:
      case State::kTrailer: {
        const size_t limit = state_ == State::kSizeLine ? kMaxChunkLine : kMaxTrailerBytes - trailer_bytes_;
        const void* nl = std::memchr(in.data(), '\n', in.size());
        size_t take = nl ? static_cast<size_t>(static_cast<const char*>(nl) - in.data()) + 1 : in.size();
        if (line_.size() + take > limit + 2) {
          return Fail(state_ == State::kSizeLine ? Malformed("chunk size line too long") : MalformedTrailer());
        }
        line_.append(in.substr(0, take));
        in.remove_prefix(take);
        if (!nl) break;
        if (line_.size() < 2 || line_[line_.size() - 2] != '\r')
          return Fail(state_ == State::kSizeLine ? Malformed("chunk line not terminated by CRLF")
                                                 : MalformedTrailer());
        std::string line = std::move(line_);
        line_.clear();
        line.resize(line.size() - 2);
        if (state_ == State::kSizeLine) {
          if (Status s = OnSizeLine(line); !s.ok()) return Fail(s);
        } else {
          trailer_bytes_ += line.size() + 2;
          if (Status s = OnTrailerLine(line); !s.ok()) return Fail(s);
        }
        break;
      }
      case State::kData: {
        size_t take = static_cast<size_t>(std::min<uint64_t>(chunk_remaining_, in.size()));
        std::string_view data = in.substr(0, take);
        in.remove_prefix(take);
        chunk_remaining_ -= take;
        decoded_bytes_ += take;
        if (opt_.decoded_content_length && decoded_bytes_ > *opt_.decoded_content_length)
          return Fail(CheckLength());
        if (chunk_hash_) chunk_hash_->Update(data);
        for (auto& c : checksummers_) c.Update(data);
        if (Status s = emit(data); !s.ok()) return Fail(s);
        if (chunk_remaining_ == 0) state_ = State::kDataCr;
        break;
      }
      case State::kDataCr:
      case State::kFinalCr:
        if (in[0] != '\r') return Fail(Malformed("chunk data not followed by CRLF"));
        in.remove_prefix(1);
        state_ = state_ == State::kDataCr ? State::kDataLf : State::kFinalLf;
        break;
      case State::kDataLf:
      case State::kFinalLf:
        if (in[0] != '\n') return Fail(Malformed("chunk data not followed by CRLF"));
        in.remove_prefix(1);
        if (state_ == State::kFinalLf) {
          if (Status s = CheckLength(); !s.ok()) return Fail(s);
          state_ = State::kDone;
          break;
        }
        if (Status s = EndChunk(); !s.ok()) return Fail(s);
        state_ = State::kSizeLine;
        break;
      case State::kDone: return Fail(Malformed("data after the final chunk"));
      case State::kFailed: return error_;
    }
  }
  return Status::Ok();
}

Status ChunkedDecoder::OnSizeLine(std::string_view line) {
  std::string_view size_part = line.substr(0, line.find(';'));
  std::string_view ext = size_part.size() < line.size() ? line.substr(size_part.size() + 1) : std::string_view();
  size_part = Trim(size_part);
  uint64_t size = 0;
  if (size_part.empty() || size_part.size() > 15) return Malformed("invalid chunk size '" + std::string(size_part) + "'");
  auto [ptr, ec] = std::from_chars(size_part.data(), size_part.data() + size_part.size(), size, 16);
  if (ec != std::errc() || ptr != size_part.data() + size_part.size())
    return Malformed("invalid chunk size '" + std::string(size_part) + "'");
  chunk_signature_.clear();
  if (signed_mode()) {
    ext = Trim(ext);
    constexpr std::string_view kKey = "chunk-signature=";
    if (!StartsWith(ext, kKey)) return Malformed("chunk without chunk-signature");
    chunk_signature_ = ToLower(Trim(ext.substr(kKey.size())));
    if (!IsLowerHex64(chunk_signature_)) return Malformed("invalid chunk-signature");
    chunk_hash_.emplace(crypto::DigestAlgorithm::kSha256);
  }
  chunk_remaining_ = size;
  if (size > 0) {
    state_ = State::kData;
    return Status::Ok();
  }
  last_chunk_ = true;
  CK_RETURN_IF_ERROR(EndChunk());
  state_ = has_trailer() ? State::kTrailer : State::kFinalCr;
  return Status::Ok();
}

Status ChunkedDecoder::EndChunk() {
  if (!signed_mode()) return Status::Ok();
  std::string sts = "AWS4-HMAC-SHA256-PAYLOAD\n" + opt_.signing.amz_date_text + "\n" + opt_.signing.scope + "\n" +
                    previous_signature_ + "\n" + std::string(kEmptySha256) + "\n" + HexEncode(chunk_hash_->Final());
  chunk_hash_.reset();
  if (!ConstantTimeEquals(SignString(opt_.signing.signing_key, sts), chunk_signature_))
    return ChunkSignatureMismatch(sts, chunk_signature_);
  previous_signature_ = chunk_signature_;
  return Status::Ok();
}

Status ChunkedDecoder::OnTrailerLine(std::string_view line) {
  if (line.empty()) {
    CK_RETURN_IF_ERROR(EndTrailer());
    state_ = State::kDone;
    return Status::Ok();
  }
  auto colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return MalformedTrailer();
  std::string name = ToLower(Trim(line.substr(0, colon)));
  std::string value(Trim(line.substr(colon + 1)));
  if (name == "x-amz-trailer-signature") {
    if (!signed_mode() || !trailer_signature_.empty()) return MalformedTrailer();
    trailer_signature_ = ToLower(value);
    return Status::Ok();
  }
  if (!trailer_signature_.empty()) return MalformedTrailer();  // the signature comes last
  trailers_.emplace_back(std::move(name), std::move(value));
  return Status::Ok();
}

Status ChunkedDecoder::EndTrailer() {
  if (signed_mode()) {
    if (trailer_signature_.empty()) return MalformedTrailer();
    std::string canonical;
    for (const auto& [k, v] : trailers_) canonical += k + ":" + v + "\n";
    std::string sts = "AWS4-HMAC-SHA256-TRAILER\n" + opt_.signing.amz_date_text + "\n" + opt_.signing.scope + "\n" +
                      previous_signature_ + "\n" + HexEncode(crypto::Sha256(canonical));
    if (!ConstantTimeEquals(SignString(opt_.signing.signing_key, sts), trailer_signature_))
      return ChunkSignatureMismatch(sts, trailer_signature_);
  }
  // Every declared trailer must be present and every checksum trailer declared.
  for (const auto& name : opt_.declared_trailers) {
    bool found = std::any_of(trailers_.begin(), trailers_.end(), [&](const auto& kv) { return kv.first == name; });
    if (!found) return MalformedTrailer();
  }
  for (const auto& [k, v] : trailers_) {
    if (!StartsWith(k, "x-amz-checksum-")) continue;
    auto it = std::find(opt_.declared_trailers.begin(), opt_.declared_trailers.end(), k);
    if (it == opt_.declared_trailers.end()) return MalformedTrailer();
    auto& summer = checksummers_[static_cast<size_t>(it - opt_.declared_trailers.begin())];
    auto decoded = Base64Decode(v);
    if (!decoded || decoded->size() != crypto::ChecksumDigestSize(summer.algorithm()))
      return InvalidArgument("Value for " + k + " trailing header is invalid.").WithAws("InvalidRequest", 400);
    std::string actual = summer.FinalBase64();
    if (actual != v)
      return DataLoss(std::string("The ") + crypto::ChecksumAlgorithmName(summer.algorithm()) +
                      " you specified did not match the calculated checksum.")
          .WithAws("BadDigest", 400);
    verified_.push_back({summer.algorithm(), v});
  }
  return CheckLength();
}

Status ChunkedDecoder::CheckLength() const {
  if (opt_.decoded_content_length && decoded_bytes_ != *opt_.decoded_content_length)
    return InvalidArgument("You did not provide the number of bytes specified by the Content-Length HTTP header")
        .WithAws("IncompleteBody", 400)
        .WithField("NumberBytesExpected", std::to_string(*opt_.decoded_content_length))
        .WithField("NumberBytesProvided", std::to_string(decoded_bytes_));
  return Status::Ok();
}

Status ChunkedDecoder::Finish() {
  switch (state_) {
    case State::kDone: return Status::Ok();
    case State::kFailed: return error_;
    case State::kFinalCr:
      // "0;chunk-signature=..CRLF" without the closing empty line: complete
      // enough, everything has been verified.
      state_ = State::kDone;
      return CheckLength();
    case State::kTrailer:
      // Trailer lines all complete but the closing empty line missing.
      if (line_.empty() && !trailers_.empty()) {
        if (Status s = EndTrailer(); !s.ok()) return Fail(s);
        state_ = State::kDone;
        return Status::Ok();
      }
      return Fail(Incomplete());
    default: return Fail(Incomplete());
  }
}

}  // namespace ck::auth
