// The S3 (streaming) protocol adapter: the payload stage between the socket
// and the S3 service. It decodes aws-chunked bodies (verifying chunk
// signatures, which chain from the request's signature the authenticator
// verified, and checksum trailers) and checks a declared
// x-amz-content-sha256 before letting the service finish. On any payload
// failure the service's sink is destroyed unfinished, so it commits nothing.
#include <optional>
#include <spdlog/spdlog.h>

#include "auth/chunked.h"
#include "base/codec.h"
#include "crypto/checksum.h"
#include "crypto/hash.h"
#include "services/gateway/gateway.h"

namespace ck::services {

namespace {

struct Payload {
  auth::PayloadMode mode = auth::PayloadMode::kUnsigned;
  std::string declared_sha256;
  std::unique_ptr<auth::ChunkedDecoder> decoder;
};

// What the body will be, from x-amz-content-sha256 and the signing context.
Result<Payload> PayloadOf(const http::RequestHead& head, const Authenticated& who, BodyInfo& info) {
  Payload p;
  if (auto sha = head.headers.Get("x-amz-content-sha256")) {
    CK_ASSIGN_OR_RETURN(p.mode, auth::ClassifyPayloadHash(*sha));
    p.declared_sha256 = std::string(*sha);
  }
  if (!auth::IsStreaming(p.mode)) return p;
  // Signed chunks chain from the request's signature; without a verified
  // signature (dev convention: unknown key) they cannot be checked.
  bool signed_chunks = p.mode != auth::PayloadMode::kStreamingUnsignedTrailer;
  if (signed_chunks && !who.signature_verified) p.mode = auth::PayloadMode::kStreamingUnsignedTrailer;
  CK_ASSIGN_OR_RETURN(auto options, auth::ChunkedOptionsFromHead(head, p.mode, who.signing));
  options.mode = p.mode;
  info.aws_chunked = true;
  info.content_length = options.decoded_content_length;
  CK_ASSIGN_OR_RETURN(p.decoder, auth::ChunkedDecoder::Create(std::move(options)));
  return p;
}

class PayloadSink final : public http::BodySink {
 public:
  PayloadSink(Gateway& gw, Route route, const http::RequestHead* head, std::unique_ptr<http::BodySink> inner,
              std::shared_ptr<BodyInfo> info, Payload payload, std::shared_ptr<RequestTrace> trace)
      : gw_(gw), route_(std::move(route)), head_(head), inner_(std::move(inner)), info_(std::move(info)),
        payload_(std::move(payload)), trace_(std::move(trace)) {}

  bool wants_body() const override { return inner_->wants_body(); }

  Status Write(std::string_view chunk) override {
    if (!failure_.ok()) return failure_;
    bytes_in_ += chunk.size();
    auto forward = [this](std::string_view data) {
      Status st = Guarded(*trace_, [&] { return inner_->Write(data); },
                          [](const std::string& what) { return Internal("exception writing the body: " + what); });
      if (!st.ok()) inner_failed_ = true;
      return st;
    };
    if (payload_.decoder) {
      failure_ = payload_.decoder->Feed(chunk, forward);
      return failure_;
    }
    if (payload_.mode == auth::PayloadMode::kSha256) {
      if (!hasher_) hasher_.emplace(crypto::DigestAlgorithm::kSha256);
      hasher_->Update(chunk);
    }
    failure_ = forward(chunk);
    return failure_;
  }

  http::Response Finish() override {
    http::Response r = Guarded(*trace_, [&] { return FinishInner(); }, [&](const std::string& what) {
      spdlog::error("{} exception escaped s3: {}", head_->request_id, what);
      inner_.reset();
      return gw_.Error(route_, *head_, Internal("exception: " + what));
    });
    trace_->Finish(r, bytes_in_, r.stream ? r.content_length.value_or(0) : r.body.size());
    return r;
  }

 private:
  http::Response FinishInner() {
    // The service answered before the body (an early error) or failed while
    // writing it: its own Finish renders that answer.
    if (!inner_->wants_body() || inner_failed_) return inner_->Finish();
    if (failure_.ok() && payload_.decoder) {
      failure_ = payload_.decoder->Finish();
      if (failure_.ok())
        for (const auto& c : payload_.decoder->checksums())
          info_->trailers.emplace_back(crypto::ChecksumHeaderName(c.algorithm), c.base64);
    } else if (failure_.ok() && payload_.mode == auth::PayloadMode::kSha256) {
      // Most requests (every GET) have no body: its digest is a constant.
      static constexpr std::string_view kEmptySha256 =
          "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
      failure_ = auth::CheckContentSha256(payload_.declared_sha256,
                                          hasher_ ? HexEncode(hasher_->Final()) : std::string(kEmptySha256));
    }
    if (!failure_.ok()) {
      inner_.reset();  // the payload's own failure: the service never commits
      return gw_.Error(route_, *head_, failure_);
    }
    return inner_->Finish();
  }

  Gateway& gw_;
  Route route_;
  const http::RequestHead* head_;
  std::unique_ptr<http::BodySink> inner_;
  std::shared_ptr<BodyInfo> info_;
  Payload payload_;
  std::optional<crypto::Hasher> hasher_;  // made by the first body byte
  std::shared_ptr<RequestTrace> trace_;
  Status failure_;
  bool inner_failed_ = false;
  uint64_t bytes_in_ = 0;
};

}  // namespace

std::unique_ptr<http::BodySink> MakePayloadStage(Gateway& gw, Route route, http::RequestHead& head,
                                                 RequestContext ctx, const Authenticated& who,
                                                 StreamingService& s3, std::shared_ptr<RequestTrace> trace) {
  auto info = std::make_shared<BodyInfo>();
  info->content_length = head.content_length;
  auto payload = PayloadOf(head, who, *info);
  if (!payload.ok()) {
    http::Response r = gw.Error(route, head, payload.status());
    trace->Finish(r, 0, r.body.size());
    return std::make_unique<http::FixedResponseSink>(std::move(r));
  }
  ctx.body = info;
  std::string operation;
  auto inner = Guarded(*trace, [&]() -> std::unique_ptr<http::BodySink> { return s3.Begin(std::move(ctx), &operation); },
                       [&](const std::string& what) -> std::unique_ptr<http::BodySink> {
                         spdlog::error("{} exception escaped s3: {}", head.request_id, what);
                         return std::make_unique<http::FixedResponseSink>(
                             gw.Error(route, head, Internal("exception: " + what)));
                       });
  trace->SetOperation(operation.empty() ? head.method : operation);  // unrecognised: the method
  return std::make_unique<PayloadSink>(gw, std::move(route), &head, std::move(inner), std::move(info),
                                       std::move(*payload), std::move(trace));
}

}  // namespace ck::services
