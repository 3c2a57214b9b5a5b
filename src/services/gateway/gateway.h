// Gateway: the request pipeline, as fixed stages:
//
//   route (router.h, pure)
//   → /_crosskey/*: the admin service
//   → authenticate once (authenticator.h: Principal, region, signing context)
//   → protocol adapter: JSON and query bodies are buffered, decoded with the
//     service model and handed to the service's operation table
//     (buffered_call.cpp); S3 streams through the payload stage, which checks
//     aws-chunked signatures, trailers and declared digests (payload_stage.cpp)
//   → answer in the protocol's own envelope, an access-log line, and the
//     request's decision record (core/explain) filed for `crosskey explain`.
//
// Every request gets an answer: an exception escaping a service becomes a
// 500 in the protocol's format and a log line.
//
// Thread safety: Begin may run concurrently on every server thread; the
// gateway's own state is counters, the decision-record log and immutable
// configuration.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "base/clock.h"
#include "core/explain/record.h"
#include "http/message.h"
#include "services/credential_resolver.h"
#include "services/gateway/authenticator.h"
#include "services/gateway/router.h"
#include "services/service.h"

namespace ck::services {

struct GatewayOptions {
  std::string default_region = "us-east-1";
  size_t max_buffered_body = 20 * 1024 * 1024;  // JSON and query request bodies
  size_t decision_records = 10000;              // kept in memory for `crosskey explain`
  std::string decision_file;                    // also appended here as JSON lines, when set
};

struct GatewayStats {
  std::atomic<uint64_t> requests{0};
  std::atomic<uint64_t> errors{0};
  std::atomic<uint64_t> foreign_key_resolutions{0};  // unqualified key refs resolved outside the bucket owner's account
};

// What /_crosskey/* is answered by (services/admin).
class AdminHandler {
 public:
  virtual ~AdminHandler() = default;
  virtual http::Response Handle(const http::RequestHead& head) = 0;
};

class Gateway final : public http::Handler {
 public:
  // `wall_clock` checks request freshness (SigV4 skew, presigned expiry).
  Gateway(GatewayOptions options, CredentialResolver& credentials, const Clock& wall_clock);

  // JSON / query services by name(); fails when the service's operation
  // table does not match its model (a build error, caught at start).
  Status Register(Service* service);
  void RegisterS3(StreamingService* s3) { s3_ = s3; }
  void RegisterAdmin(AdminHandler* admin) { admin_ = admin; }

  std::unique_ptr<http::BodySink> Begin(http::RequestHead& head) override;

  GatewayStats& stats() { return stats_; }
  const core::explain::RecordLog& decisions() const { return decisions_; }
  std::vector<std::string> ServiceNames() const;
  // Renders an error for a request that never reached a service (limits).
  static http::Response LimitError(int status, const std::string& code, const std::string& message);

  // For the adapters (buffered_call.cpp, payload_stage.cpp).
  http::Response Error(const Route& route, const http::RequestHead& head, Status status);
  Service* FindService(const std::string& name) const;
  const GatewayOptions& options() const { return options_; }
  const Authenticator& authenticator() const { return authenticator_; }

 private:
  void TraceRoute(const http::RequestHead& head, const Route& route) const;
  std::unique_ptr<http::BodySink> Admin(const http::RequestHead& head, const Route& route);

  GatewayOptions options_;
  Authenticator authenticator_;
  const Clock& clock_;
  std::map<std::string, Service*, std::less<>> services_;
  StreamingService* s3_ = nullptr;
  AdminHandler* admin_ = nullptr;
  GatewayStats stats_;
  core::explain::RecordLog decisions_;
};

// One request's log line and decision record, finished when it is answered.
class RequestTrace {
 public:
  RequestTrace(core::explain::RecordLog& log, const http::RequestHead& head, const Route& route);
  // Null when records are not kept: the layers then trace nothing.
  core::explain::Record* record() { return log_.enabled() ? record_.get() : nullptr; }
  void SetCaller(const RequestContext& ctx);
  void SetOperation(const std::string& operation) { operation_ = operation; }
  // The access line: request id, principal, service, operation, status,
  // bytes, microseconds, then the AWS error code (and, at debug level or for
  // 5xx, its message); then the record is filed.
  void Finish(const http::Response& r, uint64_t bytes_in, uint64_t bytes_out, const std::string& note = "");

 private:
  core::explain::RecordLog& log_;
  std::shared_ptr<core::explain::Record> record_;
  std::string request_id_, principal_, service_, operation_;
  std::chrono::steady_clock::time_point start_;
  bool finished_ = false;
};

// Calls `fn` with the request's decision record current, turning an escaping
// exception into `on_exception(what)` (the adapters answer 500 with it).
template <typename F, typename E>
auto Guarded(RequestTrace& trace, F&& fn, E&& on_exception) -> decltype(fn()) {
  core::explain::Scope scope(trace.record());
  try {
    return fn();
  } catch (const std::exception& e) {
    return on_exception(e.what());
  } catch (...) {
    return on_exception("unknown exception");
  }
}

}  // namespace ck::services
