#include "services/gateway/gateway.h"

#include <spdlog/spdlog.h>

#include "core/ids.h"
#include "wire/errors.h"
#include "wire/model.h"

namespace ck::services {

namespace {
std::string NewS3RequestId() { return ids::Hex(8, ids::SystemRandom(), /*upper=*/true); }
std::string NewHostId() { return ids::Base64(24); }
}  // namespace

// Defined in buffered_call.cpp and payload_stage.cpp.
std::unique_ptr<http::BodySink> MakeBufferedCall(Gateway& gw, Route route, RequestContext ctx, Authenticated who,
                                                 std::shared_ptr<RequestTrace> trace);
std::unique_ptr<http::BodySink> MakePayloadStage(Gateway& gw, Route route, http::RequestHead& head,
                                                 RequestContext ctx, const Authenticated& who,
                                                 StreamingService& s3, std::shared_ptr<RequestTrace> trace);

Gateway::Gateway(GatewayOptions options, CredentialResolver& credentials, const Clock& wall_clock)
    : options_(std::move(options)), authenticator_(credentials, wall_clock), clock_(wall_clock),
      decisions_(options_.decision_records, options_.decision_file) {}

Status Gateway::Register(Service* service) {
  CK_RETURN_IF_ERROR(service->CheckModel());
  services_[std::string(service->name())] = service;
  return Status::Ok();
}

Service* Gateway::FindService(const std::string& name) const {
  auto it = services_.find(name);
  return it == services_.end() ? nullptr : it->second;
}

std::vector<std::string> Gateway::ServiceNames() const {
  std::vector<std::string> out;
  for (const auto& [name, s] : services_) out.push_back(name);
  if (s3_) out.push_back("s3");
  return out;
}

http::Response Gateway::LimitError(int status, const std::string& code, const std::string& message) {
  http::Response r;
  // The code and status come from the HTTP layer's own limits (http/server.h).
  wire::RenderS3Error(Status(Code::kResourceExhausted, message).WithAws(code, status), NewS3RequestId(), NewHostId(),
                      &r);
  return r;
}

http::Response Gateway::Error(const Route& route, const http::RequestHead& head, Status status) {
  ++stats_.errors;
  http::Response r;
  switch (route.protocol) {
    case Protocol::kJson:
      // DynamoDB qualifies its error types ("com.amazonaws.dynamodb.v20120810#...");
      // Secrets Manager names the text "Message".
      wire::RenderJsonError(status, head.request_id, route.json_1_0, &r,
                            route.service == "dynamodb" ? "com.amazonaws.dynamodb.v20120810" : "",
                            route.service == "secretsmanager" ? "Message" : "message");
      break;
    case Protocol::kQuery: {
      const wire::ServiceModel* m = wire::FindService(route.service);
      wire::RenderQueryError(status, head.request_id, m ? m->xml_namespace() : "", &r);
      break;
    }
    default:
      wire::RenderS3Error(status, head.request_id, NewHostId(), &r, head.method == "HEAD");
      break;
  }
  return r;
}

std::unique_ptr<http::BodySink> Gateway::Begin(http::RequestHead& head) {
  ++stats_.requests;
  Route route = RouteRequest(head);
  head.request_id = route.protocol == Protocol::kRestXml ? NewS3RequestId() : ids::Uuid4();
  TraceRoute(head, route);
  if (route.protocol == Protocol::kInternal) return Admin(head, route);
  auto trace = std::make_shared<RequestTrace>(decisions_, head, route);
  RequestContext ctx;
  ctx.head = &head;
  ctx.request_id = head.request_id;
  ctx.service = route.service;
  ctx.operation = route.operation;
  ctx.region = options_.default_region;
  ctx.now = clock_.Now();
  ctx.source_ip = head.remote_ip;
  ctx.secure_transport = head.secure;  // aws:SecureTransport
  auto who = authenticator_.Authenticate(route, head);
  if (spdlog::should_log(spdlog::level::trace)) {
    // Never the secret, the signature or the signing key: who, and what was checked.
    if (!who.ok())
      spdlog::trace("{} auth: refused: {} {}", head.request_id, who.status().aws_code(), who.status().message());
    else
      spdlog::trace("{} auth: principal={} account={} region={}{}", head.request_id, who->principal.arn,
                    who->principal.account, who->region.empty() ? ctx.region : who->region,
                    who->deferred_secret ? " (signature checked once the body's hash is known)" : "");
  }
  if (!who.ok()) {
    http::Response r = Error(route, head, who.status());
    trace->Finish(r, 0, r.body.size());
    return std::make_unique<http::FixedResponseSink>(std::move(r));
  }
  ctx.principal = who->principal;
  if (!who->region.empty()) ctx.region = who->region;
  trace->SetCaller(ctx);
  if (route.protocol == Protocol::kRestXml) {
    if (!s3_) {
      http::Response r = Error(route, head, wire::S3NotImplemented());
      trace->Finish(r, 0, r.body.size());
      return std::make_unique<http::FixedResponseSink>(std::move(r));
    }
    return MakePayloadStage(*this, route, head, std::move(ctx), *who, *s3_, trace);
  }
  return MakeBufferedCall(*this, std::move(route), std::move(ctx), std::move(*who), trace);
}

void Gateway::TraceRoute(const http::RequestHead& head, const Route& route) const {
  if (!spdlog::should_log(spdlog::level::trace)) return;
  static constexpr const char* kProtocols[] = {"rest-xml", "json", "query", "internal"};
  spdlog::trace("{} route: {} {} from {} -> service={} protocol={} operation={}{}", head.request_id, head.method,
                head.raw_path, head.remote_ip, route.service, kProtocols[static_cast<int>(route.protocol)],
                route.operation.empty() ? "(decided by the service)" : route.operation,
                route.unknown ? " (not served: unknown operation)" : "");
}

// /_crosskey/*: answered by the admin service and logged like any request
// (health probes, which may come every second, only at debug level).
std::unique_ptr<http::BodySink> Gateway::Admin(const http::RequestHead& head, const Route& route) {
  auto start = std::chrono::steady_clock::now();
  http::Response r;
  if (admin_) r = admin_->Handle(head);
  else r.status = 404;
  if (head.path != "/_crosskey/health" || spdlog::should_log(spdlog::level::debug)) {
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start).count();
    spdlog::info("{} - crosskey {} {} {} in=0 out={} {}us{}", head.request_id, head.method, head.path, r.status,
                 r.body.size(), us, r.error_code.empty() ? "" : " error=" + r.error_code);
  }
  (void)route;
  return std::make_unique<http::FixedResponseSink>(std::move(r));
}

RequestTrace::RequestTrace(core::explain::RecordLog& log, const http::RequestHead& head, const Route& route)
    : log_(log), record_(std::make_shared<core::explain::Record>()), request_id_(head.request_id),
      service_(route.service), operation_(route.operation), start_(std::chrono::steady_clock::now()) {
  record_->request_id = head.request_id;
  record_->time = FormatIso8601(std::chrono::system_clock::now(), true);
  record_->service = route.service;
}

void RequestTrace::SetCaller(const RequestContext& ctx) {
  principal_ = ctx.principal.arn;
  record_->principal = ctx.principal.arn;
}

void RequestTrace::Finish(const http::Response& r, uint64_t bytes_in, uint64_t bytes_out, const std::string& note) {
  if (finished_) return;
  finished_ = true;
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start_).count();
  const std::string& op = operation_.empty() ? std::string("-") : operation_;
  std::string error = r.error_code.empty() ? "" : " error=" + r.error_code;
  bool with_message = !r.error_message.empty() && (r.status >= 500 || spdlog::should_log(spdlog::level::debug));
  spdlog::info("{} {} {} {} {} in={} out={} {}us{}{}{}{}", request_id_, principal_.empty() ? "-" : principal_,
               service_, op, r.status, bytes_in, bytes_out, us, note.empty() ? "" : " ", note, error,
               with_message ? " message=\"" + r.error_message + "\"" : "");
  record_->operation = operation_;
  record_->status = r.status;
  record_->error_code = r.error_code;
  record_->error_message = r.error_message;
  log_.Add(std::move(record_));
}

}  // namespace ck::services
