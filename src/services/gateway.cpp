#include "services/gateway.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "auth/chunked.h"
#include "auth/sigv2.h"
#include "auth/sigv4.h"
#include "base/codec.h"
#include "crypto/hash.h"
#include "wire/codec.h"

namespace ck::services {

using nlohmann::json;

namespace {

std::string NewS3RequestId() {
  std::string id = HexEncode(crypto::RandomBytes(8));
  for (auto& c : id) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return id;
}

std::string NewUuid() {
  std::string r = HexEncode(crypto::RandomBytes(16));
  r[12] = '4';
  return r.substr(0, 8) + "-" + r.substr(8, 4) + "-" + r.substr(12, 4) + "-" + r.substr(16, 4) + "-" + r.substr(20);
}

}  // namespace

Gateway::Gateway(GatewayOptions options, CredentialResolver& credentials, const Clock& clock,
                 OffsetClock* time_travel)
    : options_(std::move(options)), credentials_(credentials), clock_(clock), time_travel_(time_travel),
      started_(std::chrono::steady_clock::now()) {}

Status Gateway::Register(Service* service) {
  CK_RETURN_IF_ERROR(service->CheckModel());
  services_[std::string(service->name())] = service;
  return Status::Ok();
}

http::Response Gateway::LimitError(int status, const std::string& code, const std::string& message) {
  http::Response r;
  wire::RenderS3Error(AwsError(code, status, message), NewS3RequestId(), Base64Encode(crypto::RandomBytes(24)), &r);
  return r;
}

Status MapAuthError(const Route& route, Status status, std::string_view request_time, std::string_view server_time) {
  const std::string& code = status.aws_code();
  bool s3 = route.protocol == Protocol::kRestXml;
  bool json = route.protocol == Protocol::kJson;
  auto skew_message = [&] {
    // AWS words skew for non-S3 services this way (past and future variants).
    if (request_time < server_time)
      return "Signature expired: " + std::string(request_time) + " is now earlier than " +
             std::string(server_time) + " (" + std::string(server_time) + " - 15 min.)";
    return "Signature not yet current: " + std::string(request_time) + " is still later than " +
           std::string(server_time) + " (" + std::string(server_time) + " + 15 min.)";
  };
  if (code == "InvalidClientTokenId") {
    if (s3)
      return AwsError("InvalidAccessKeyId", 403, "The AWS Access Key Id you provided does not exist in our records.");
    if (json) return AwsError("UnrecognizedClientException", 400, status.message());
    return status;
  }
  if (code == "SignatureDoesNotMatch") {
    if (s3) return status;
    if (json) return AwsError("InvalidSignatureException", 400, status.message());
    return AwsError("SignatureDoesNotMatch", 403, status.message());
  }
  if (code == "RequestTimeTooSkewed") {
    if (s3) return status;
    if (json) return AwsError("InvalidSignatureException", 400, skew_message());
    return AwsError("SignatureDoesNotMatch", 403, skew_message());
  }
  if (code == "IncompleteSignature") {
    if (s3) return AwsError("AuthorizationHeaderMalformed", 400, status.message());
    if (json) return AwsError("IncompleteSignatureException", 400, status.message());
    return AwsError("IncompleteSignature", 400, status.message());
  }
  if (code == "ExpiredToken") {
    if (s3) return AwsError("ExpiredToken", 400, "The provided token has expired.");
    if (json) return AwsError("ExpiredTokenException", 400, status.message());
    return AwsError("ExpiredToken", 403, status.message());
  }
  if (code == "MissingAuthenticationToken") {
    if (json) return AwsError("MissingAuthenticationTokenException", 400, "Missing Authentication Token");
    return AwsError("MissingAuthenticationToken", 403, "Request is missing Authentication Token");
  }
  return status;
}

http::Response Gateway::Error(const Route& route, const http::RequestHead& head, Status status) {
  ++stats_.errors;
  http::Response r;
  switch (route.protocol) {
    case Protocol::kJson:
      // DynamoDB qualifies its error types ("com.amazonaws.dynamodb.v20120810#...").
      wire::RenderJsonError(status, head.request_id, route.json_1_0, &r,
                            route.service == "dynamodb" ? "com.amazonaws.dynamodb.v20120810" : "");
      break;
    case Protocol::kQuery: {
      const wire::ServiceModel* m = wire::FindService(route.service);
      wire::RenderQueryError(status, head.request_id, m ? m->xml_namespace() : "", &r);
      break;
    }
    default:
      wire::RenderS3Error(status, head.request_id, Base64Encode(crypto::RandomBytes(24)), &r, head.method == "HEAD");
      break;
  }
  return r;
}

Status Gateway::Authenticate(const Route& route, const http::RequestHead& head, RequestContext& ctx,
                             std::optional<std::string>* deferred_secret) {
  if (route.protocol == Protocol::kRestXml) {
    if (auto v2 = auth::ParseSigV2(head)) return AuthenticateSigV2(route, head, ctx, *v2);
  }
  auto parsed = auth::ParseSigV4(head);
  if (!parsed.ok()) return MapAuthError(route, parsed.status());
  auto trace = [&](std::string_view what) {
    spdlog::trace("{} auth: SigV4 {} access key {}: {}", head.request_id,
                  parsed->kind == auth::AuthKind::kPresigned ? "presigned" : "header", parsed->access_key_id, what);
  };
  if (parsed->kind == auth::AuthKind::kNone) {
    if (route.protocol != Protocol::kRestXml) {
      return MapAuthError(route, AwsError("MissingAuthenticationToken", 403, ""));
    }
    ctx.principal = Principal::Anonymous();
    return Status::Ok();
  }
  if (!parsed->region.empty()) ctx.region = parsed->region;
  TimePoint now = clock_.Now();
  auto resolved = credentials_.Resolve(parsed->access_key_id, parsed->security_token);
  if (!resolved.ok()) {
    Status s = resolved.status();
    if (route.protocol == Protocol::kRestXml && s.aws_code() == "InvalidClientTokenId")
      s = AwsError("InvalidAccessKeyId", 403, "The AWS Access Key Id you provided does not exist in our records.")
              .WithField("AWSAccessKeyId", parsed->access_key_id);
    return MapAuthError(route, s);
  }
  Status time_ok = auth::CheckRequestTime(*parsed, now);
  if (!time_ok.ok()) return MapAuthError(route, time_ok, parsed->amz_date_text, FormatAmzDate(now));
  ctx.principal = std::move(resolved->principal);
  if (!resolved->secret) {
    trace("unknown key, signature not checked (dev mode convention)");
    return Status::Ok();
  }
  bool declared = !parsed->payload_hash.empty();
  if (declared || route.protocol == Protocol::kRestXml) {
    Status s = auth::VerifySignature(head, *parsed, *resolved->secret, "", now);
    if (!s.ok()) return MapAuthError(route, s, parsed->amz_date_text, FormatAmzDate(now));
    trace("known key, signature verified");
    return Status::Ok();
  }
  trace("known key, signature to verify over the body");
  *deferred_secret = std::move(resolved->secret);
  return Status::Ok();
}

// Legacy S3 signatures (boto3 presigns with SigV2 by default). No region in
// the signature: the server's default region applies.
Status Gateway::AuthenticateSigV2(const Route& route, const http::RequestHead& head, RequestContext& ctx,
                                  const Result<auth::SigV2Request>& parsed) {
  if (!parsed.ok()) return parsed.status();
  auto resolved = credentials_.Resolve(parsed->access_key_id, head.headers.GetOr("x-amz-security-token"));
  if (!resolved.ok()) {
    Status s = resolved.status();
    if (s.aws_code() == "InvalidClientTokenId")
      s = AwsError("InvalidAccessKeyId", 403, "The AWS Access Key Id you provided does not exist in our records.")
              .WithField("AWSAccessKeyId", parsed->access_key_id);
    return MapAuthError(route, s);
  }
  CK_RETURN_IF_ERROR(auth::CheckSigV2Time(*parsed, clock_.Now()));
  if (resolved->secret) CK_RETURN_IF_ERROR(auth::VerifySigV2(head, *parsed, *resolved->secret));
  spdlog::trace("{} auth: SigV2 access key {}: {}", head.request_id, parsed->access_key_id,
                resolved->secret ? "known key, signature verified" : "unknown key, signature not checked (dev mode)");
  ctx.principal = std::move(resolved->principal);
  return Status::Ok();
}

// Buffers a JSON or query body, then finishes authentication and invokes.
class BufferedCall final : public http::BodySink {
 public:
  BufferedCall(Gateway* gw, Route route, RequestContext ctx, std::optional<std::string> deferred_secret,
               std::chrono::steady_clock::time_point start)
      : gw_(gw), route_(std::move(route)), ctx_(std::move(ctx)), secret_(std::move(deferred_secret)), start_(start) {}

  Status Write(std::string_view chunk) override {
    if (body_.size() + chunk.size() > gw_->options_.max_buffered_body) {
      too_large_ = true;
      return AwsError("RequestEntityTooLarge", 413, "Request body too large");
    }
    body_.append(chunk);
    return Status::Ok();
  }

  http::Response Finish() override {
    http::Response r;
    if (too_large_) {
      r = gw_->Error(route_, *ctx_.head,
                     AwsError(route_.protocol == Protocol::kJson ? "SerializationException" : "ValidationError", 413,
                              "Request body exceeds the maximum size of " +
                                  std::to_string(gw_->options_.max_buffered_body) + " bytes"));
    } else if (secret_) {
      auto parsed = auth::ParseSigV4(*ctx_.head);
      Status s = parsed.ok() ? auth::VerifySignature(*ctx_.head, *parsed, *secret_,
                                                     HexEncode(crypto::Sha256(body_)), gw_->clock_.Now())
                             : parsed.status();
      spdlog::trace("{} auth: signature over the body {}", ctx_.request_id,
                    s.ok() ? "verified" : "refused: " + s.aws_code());
      if (!s.ok()) r = gw_->Error(route_, *ctx_.head, MapAuthError(route_, s));
      else r = gw_->InvokeBuffered(route_, ctx_, body_);
    } else {
      r = gw_->InvokeBuffered(route_, ctx_, body_);
    }
    gw_->LogAccess(ctx_, r, body_.size(), r.body.size(), start_);
    return r;
  }

 private:
  Gateway* gw_;
  Route route_;
  RequestContext ctx_;
  std::optional<std::string> secret_;
  std::chrono::steady_clock::time_point start_;
  std::string body_;
  bool too_large_ = false;
};

http::Response Gateway::InvokeBuffered(const Route& route, RequestContext& ctx, const std::string& body) {
  const http::RequestHead& head = *ctx.head;
  const wire::ServiceModel* model = wire::FindService(route.service);
  auto it = services_.find(route.service);
  if (route.unknown || !model) {
    if (route.protocol == Protocol::kJson) return Error(route, head, wire::UnknownJsonOperation());
    return Error(route, head, wire::QueryInvalidAction(route.operation, model ? model->api_version() : ""));
  }
  const wire::Operation* op = nullptr;
  Result<json> input = json::object();
  if (route.protocol == Protocol::kJson) {
    ctx.operation = route.operation;
    op = model->FindOperation(route.operation);
    if (!op) return Error(route, head, wire::UnknownJsonOperation());
    input = wire::DecodeJsonRequest(*model, *op, body);
  } else {
    auto parsed_form = wire::ParseForm(head.method == "GET" ? std::string_view(head.raw_query) : std::string_view(body));
    if (!parsed_form) return Error(route, head, AwsError("MalformedQueryString", 400, "Malformed form body"));
    wire::FormParams& form = *parsed_form;
    std::string action;
    for (const auto& [k, v] : form)
      if (k == "Action") action = v;
    ctx.operation = action;
    op = model->FindOperation(action);
    if (!op) return Error(route, head, wire::QueryInvalidAction(action, model->api_version()));
    form.erase(std::remove_if(form.begin(), form.end(),
                              [](const auto& kv) { return kv.first == "Action" || kv.first == "Version"; }),
               form.end());
    input = wire::DecodeQueryRequest(*model, *op, form);
  }
  if (!input.ok()) return Error(route, head, input.status());
  if (it == services_.end()) {
    return Error(route, head,
                 Unimplemented("crosskey does not implement " + route.service + " yet")
                     .WithAws(route.protocol == Protocol::kJson ? "NotImplementedException" : "NotImplemented", 501));
  }
  auto output = it->second->Invoke(ctx.operation, *input, ctx);
  if (!output.ok()) {
    Status s = output.status();
    if (s.code() == Code::kUnimplemented && s.aws_code().empty())
      s.WithAws(route.protocol == Protocol::kJson ? "NotImplementedException" : "NotImplemented", 501);
    return Error(route, head, std::move(s));
  }
  http::Response r;
  if (route.protocol == Protocol::kJson) {
    r.body = wire::EncodeJsonResponse(*model, *op, *output);
    r.headers.Set("Content-Type", route.json_1_0 ? "application/x-amz-json-1.0" : "application/x-amz-json-1.1");
  } else {
    r.body = wire::EncodeQueryResponse(*model, *op, *output, head.request_id);
    r.headers.Set("Content-Type", "text/xml");
  }
  r.headers.Set("x-amzn-RequestId", head.request_id);
  return r;
}

http::Response Gateway::Internal(const http::RequestHead& head) {
  http::Response r;
  r.headers.Set("Content-Type", "application/json");
  if (head.path == "/_crosskey/health" && (head.method == "GET" || head.method == "HEAD")) {
    json services = json::array();
    for (const auto& [name, s] : services_) services.push_back(name);
    if (s3_) services.push_back("s3");
    auto uptime = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    json body = {{"status", "ok"},
                 {"version", options_.version},
                 {"services", services},
                 {"uptime_seconds", uptime},
                 {"region", options_.default_region},
                 {"strict", credentials_.strict()},
                 {"store", {{"metadata", options_.store_description}, {"blobs", options_.blob_description}}},
                 {"requests", stats_.requests.load()},
                 {"errors", stats_.errors.load()},
                 {"warnings", {{"foreign_key_resolutions", stats_.foreign_key_resolutions.load()}}}};
    if (options_.health_extra) options_.health_extra(body);
    r.body = body.dump();
    return r;
  }
  if (head.path == "/_crosskey/time" && head.method == "POST") {
    if (!time_travel_) {
      r.status = 403;
      r.body = json{{"error", "time travel is off; start crosskey with --enable-time-travel"}}.dump();
      return r;
    }
    auto advance = head.QueryValue("advance");
    long long seconds = advance ? std::atoll(std::string(*advance).c_str()) : 0;
    if (seconds < 0) {
      r.status = 400;
      r.body = json{{"error", "advance must be a non-negative number of seconds"}}.dump();
      return r;
    }
    time_travel_->Advance(std::chrono::seconds(seconds));
    r.body = json{{"offset_seconds", time_travel_->offset_seconds()},
                  {"now", FormatIso8601(time_travel_->Now())}}.dump();
    return r;
  }
  r.status = 404;
  r.body = json{{"error", "no such crosskey endpoint"}, {"path", head.path}}.dump();
  return r;
}

// The payload stage of a streaming request: decodes aws-chunked bodies
// (verifying chunk signatures and checksum trailers) and checks a declared
// x-amz-content-sha256 before letting the service finish. The inner sink is
// destroyed unfinished (so it discards what it wrote) on any failure.
class PayloadSink final : public http::BodySink {
 public:
  PayloadSink(Gateway* gw, Route route, const http::RequestHead* head, std::unique_ptr<http::BodySink> inner,
              std::shared_ptr<BodyInfo> info, auth::PayloadMode mode, std::string declared_sha256,
              std::unique_ptr<auth::ChunkedDecoder> decoder, RequestContext log_ctx,
              std::chrono::steady_clock::time_point start)
      : gw_(gw), route_(std::move(route)), head_(head), inner_(std::move(inner)), info_(std::move(info)),
        mode_(mode), declared_(std::move(declared_sha256)), decoder_(std::move(decoder)),
        hasher_(crypto::DigestAlgorithm::kSha256), log_ctx_(std::move(log_ctx)), start_(start) {}

  bool wants_body() const override { return inner_->wants_body(); }

  Status Write(std::string_view chunk) override {
    if (!failure_.ok()) return failure_;
    bytes_in_ += chunk.size();
    auto forward = [this](std::string_view data) {
      Status st = inner_->Write(data);
      if (!st.ok()) inner_failed_ = true;
      return st;
    };
    if (decoder_) {
      failure_ = decoder_->Feed(chunk, forward);
      return failure_;
    }
    if (mode_ == auth::PayloadMode::kSha256) hasher_.Update(chunk);
    failure_ = forward(chunk);
    return failure_;
  }

  http::Response Finish() override {
    http::Response r = FinishInner();
    gw_->LogAccess(log_ctx_, r, bytes_in_, r.stream ? r.content_length.value_or(0) : r.body.size(), start_);
    return r;
  }

 private:
  http::Response FinishInner() {
    // The service answered before the body (an early error) or failed while
    // writing it: its own Finish renders that answer.
    if (!inner_->wants_body() || inner_failed_) return inner_->Finish();
    if (failure_.ok() && decoder_) {
      failure_ = decoder_->Finish();
      if (failure_.ok()) {
        for (const auto& c : decoder_->checksums())
          info_->trailers.emplace_back(crypto::ChecksumHeaderName(c.algorithm), c.base64);
      }
    } else if (failure_.ok() && mode_ == auth::PayloadMode::kSha256) {
      failure_ = auth::CheckContentSha256(declared_, HexEncode(hasher_.Final()));
    }
    if (!failure_.ok()) {
      // The failure is the payload's own (signature, framing, digest): the
      // service never commits.
      inner_.reset();
      return gw_->Error(route_, *head_, failure_);
    }
    return inner_->Finish();
  }

  Gateway* gw_;
  Route route_;
  const http::RequestHead* head_;
  std::unique_ptr<http::BodySink> inner_;
  std::shared_ptr<BodyInfo> info_;
  auth::PayloadMode mode_;
  std::string declared_;
  std::unique_ptr<auth::ChunkedDecoder> decoder_;
  crypto::Hasher hasher_;
  Status failure_;
  bool inner_failed_ = false;
  RequestContext log_ctx_;
  std::chrono::steady_clock::time_point start_;
  uint64_t bytes_in_ = 0;
};

std::unique_ptr<http::BodySink> Gateway::Begin(http::RequestHead& head) {
  auto start = std::chrono::steady_clock::now();
  ++stats_.requests;
  Route route = RouteRequest(head);
  head.request_id = route.protocol == Protocol::kRestXml ? NewS3RequestId() : NewUuid();
  if (spdlog::should_log(spdlog::level::trace)) {
    static constexpr const char* kProtocols[] = {"rest-xml", "json", "query", "internal"};
    spdlog::trace("{} route: {} {} from {} -> service={} protocol={} operation={}{}", head.request_id, head.method,
                  head.raw_path, head.remote_ip, route.service, kProtocols[static_cast<int>(route.protocol)],
                  route.operation.empty() ? "(decided by the service)" : route.operation,
                  route.unknown ? " (not served: unknown operation)" : "");
  }
  if (route.protocol == Protocol::kInternal) {
    http::Response r = Internal(head);
    RequestContext ctx;
    ctx.request_id = head.request_id;
    ctx.service = "crosskey";
    ctx.operation = head.method + " " + head.path;
    if (head.path == "/_crosskey/health") {
      // Health probes may come every second: their lines only at debug level.
      if (spdlog::should_log(spdlog::level::debug)) LogAccess(ctx, r, 0, r.body.size(), start);
    } else {
      LogAccess(ctx, r, 0, r.body.size(), start);
    }
    return std::make_unique<http::FixedResponseSink>(std::move(r));
  }

  RequestContext ctx;
  ctx.head = &head;
  ctx.request_id = head.request_id;
  ctx.service = route.service;
  ctx.operation = route.operation;
  ctx.region = options_.default_region;
  ctx.now = clock_.Now();
  ctx.source_ip = head.remote_ip;

  std::optional<std::string> deferred_secret;
  Status auth = Authenticate(route, head, ctx, &deferred_secret);
  if (spdlog::should_log(spdlog::level::trace)) {
    // Never the secret, the signature or the signing key: who, and what was checked.
    if (!auth.ok())
      spdlog::trace("{} auth: refused: {} {}", head.request_id, auth.aws_code(), auth.message());
    else
      spdlog::trace("{} auth: principal={} account={} region={}{}", head.request_id, ctx.principal.arn,
                    ctx.principal.account, ctx.region,
                    deferred_secret ? " (signature checked once the body's hash is known)" : "");
  }
  if (!auth.ok()) {
    http::Response r = Error(route, head, auth);
    LogAccess(ctx, r, 0, r.body.size(), start);
    return std::make_unique<http::FixedResponseSink>(std::move(r));
  }
  if (route.protocol == Protocol::kRestXml) {
    if (!s3_) {
      http::Response r = Error(route, head,
                               AwsError("NotImplemented", 501,
                                        "A header you provided implies functionality that is not implemented"));
      LogAccess(ctx, r, 0, r.body.size(), start);
      return std::make_unique<http::FixedResponseSink>(std::move(r));
    }
    return BeginStreaming(route, head, std::move(ctx), start);
  }
  return std::make_unique<BufferedCall>(this, std::move(route), std::move(ctx), std::move(deferred_secret), start);
}

void Gateway::LogAccess(const RequestContext& ctx, const http::Response& r, uint64_t bytes_in, uint64_t bytes_out,
                        std::chrono::steady_clock::time_point start) {
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start).count();
  std::string error;
  if (!r.error_code.empty()) {
    error = " error=" + r.error_code;
    // The message only at debug level (it may name resources); internal
    // failures always, since the client was not told.
    if (r.status >= 500 || spdlog::should_log(spdlog::level::debug))
      error += " message=" + nlohmann::json(r.error_message).dump(-1, ' ', false, json::error_handler_t::replace);
  }
  auto level = r.status >= 500 ? spdlog::level::warn : spdlog::level::info;
  spdlog::log(level, "{} {} {} {} {} in={} out={} {}us{}{}{}", ctx.request_id,
              ctx.principal.arn.empty() ? "-" : ctx.principal.arn, ctx.service,
              ctx.operation.empty() ? "-" : ctx.operation, r.status, bytes_in, bytes_out, us, error,
              ctx.log_note.empty() ? "" : " ", ctx.log_note);
}

}  // namespace ck::services

namespace ck::services {

std::unique_ptr<http::BodySink> Gateway::BeginStreaming(const Route& route, http::RequestHead& head,
                                                        RequestContext ctx,
                                                        std::chrono::steady_clock::time_point start) {
  auto fail = [&](Status s) -> std::unique_ptr<http::BodySink> {
    http::Response r = Error(route, head, std::move(s));
    LogAccess(ctx, r, 0, r.body.size(), start);
    return std::make_unique<http::FixedResponseSink>(std::move(r));
  };
  auto info = std::make_shared<BodyInfo>();
  info->content_length = head.content_length;
  auth::PayloadMode mode = auth::PayloadMode::kUnsigned;
  std::string declared;
  std::unique_ptr<auth::ChunkedDecoder> decoder;
  if (auto sha = head.headers.Get("x-amz-content-sha256")) {
    auto classified = auth::ClassifyPayloadHash(*sha);
    if (!classified.ok()) return fail(classified.status());
    mode = *classified;
    declared = std::string(*sha);
  }
  if (auth::IsStreaming(mode)) {
    auth::SigningContext signing;
    if (mode != auth::PayloadMode::kStreamingUnsignedTrailer) {
      // Signed chunks chain from the request's signature, so the key must be known.
      auto parsed = auth::ParseSigV4(head);
      auto resolved = parsed.ok() ? credentials_.Resolve(parsed->access_key_id, parsed->security_token)
                                  : Result<ResolvedCredential>(parsed.status());
      if (!resolved.ok()) return fail(resolved.status());
      if (resolved->secret) {
        Status s = auth::VerifySignature(head, *parsed, *resolved->secret, "", clock_.Now(), &signing);
        if (!s.ok()) return fail(s);
      } else {
        // Dev convention (unknown secret): chunk signatures cannot be checked.
        mode = auth::PayloadMode::kStreamingUnsignedTrailer;
      }
    }
    auto options = auth::ChunkedOptionsFromHead(head, mode, signing);
    if (!options.ok()) return fail(options.status());
    if (!signing.signing_key.empty() || mode == auth::PayloadMode::kStreamingUnsignedTrailer) {
      options->mode = mode;
    }
    info->aws_chunked = true;
    info->content_length = options->decoded_content_length;
    auto created = auth::ChunkedDecoder::Create(std::move(*options));
    if (!created.ok()) return fail(created.status());
    decoder = std::move(*created);
  }
  ctx.body = info;
  RequestContext log_ctx;  // what the access log needs, without the body state
  log_ctx.request_id = ctx.request_id;
  log_ctx.principal = ctx.principal;
  log_ctx.service = ctx.service;
  std::string operation;
  auto inner = s3_->Begin(std::move(ctx), &operation);
  log_ctx.operation = operation.empty() ? head.method : operation;  // unrecognised: the method
  return std::make_unique<PayloadSink>(this, route, &head, std::move(inner), std::move(info), mode,
                                       std::move(declared), std::move(decoder), std::move(log_ctx), start);
}

}  // namespace ck::services
