// Gateway: the request pipeline, as fixed stages in one place:
//   route → authenticate (SigV4 → Principal) → decode (service model) →
//   invoke the service → encode, or render the error in the protocol's own
//   envelope. It is the http::Handler the server calls for every request.
//
// Thread safety: Begin may run concurrently on every server thread; the
// gateway's own state is counters and immutable configuration.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "auth/sigv2.h"
#include "base/clock.h"
#include "http/message.h"
#include "services/credential_resolver.h"
#include "services/router.h"
#include "services/service.h"

namespace ck::services {

struct GatewayOptions {
  std::string default_region = "us-east-1";
  size_t max_buffered_body = 20 * 1024 * 1024;  // JSON and query request bodies
  std::string version;
  std::string store_description;
  std::string blob_description;
  // Adds sections to /_crosskey/health (the composition root's own counters).
  std::function<void(nlohmann::json&)> health_extra;
};

struct GatewayStats {
  std::atomic<uint64_t> requests{0};
  std::atomic<uint64_t> errors{0};
  std::atomic<uint64_t> foreign_key_resolutions{0};  // unqualified key refs resolved outside the bucket owner's account
};

class Gateway final : public http::Handler {
 public:
  // `wall_clock` checks request freshness (SigV4 skew, presigned expiry);
  // `time_travel`, when set, is the logical clock /_crosskey/time may advance.
  Gateway(GatewayOptions options, CredentialResolver& credentials, const Clock& wall_clock,
          OffsetClock* time_travel = nullptr);

  // JSON / query services by name(); fails when the service's operation
  // table does not match its model (a build error, caught at start).
  Status Register(Service* service);
  void RegisterS3(StreamingService* s3) { s3_ = s3; }

  std::unique_ptr<http::BodySink> Begin(http::RequestHead& head) override;

  GatewayStats& stats() { return stats_; }
  // Renders an error for a request that never reached a service (limits).
  static http::Response LimitError(int status, const std::string& code, const std::string& message);

 private:
  friend class BufferedCall;
  friend class PayloadSink;
  std::unique_ptr<http::BodySink> BeginStreaming(const Route& route, http::RequestHead& head, RequestContext ctx,
                                                 std::chrono::steady_clock::time_point start);
  http::Response Internal(const http::RequestHead& head);
  http::Response Error(const Route& route, const http::RequestHead& head, Status status);
  // Stage 2: who is calling. Fills ctx.principal; may defer the signature
  // check to when the body's hash is known (`deferred_secret`).
  Status Authenticate(const Route& route, const http::RequestHead& head, RequestContext& ctx,
                      std::optional<std::string>* deferred_secret);
  Status AuthenticateSigV2(const Route& route, const http::RequestHead& head, RequestContext& ctx,
                           const Result<auth::SigV2Request>& parsed);
  http::Response InvokeBuffered(const Route& route, RequestContext& ctx, const std::string& body);
  // The access line: request id, principal, service, operation, status, bytes,
  // microseconds, then the AWS error code (and, at debug level, its message).
  void LogAccess(const RequestContext& ctx, const http::Response& r, uint64_t bytes_in, uint64_t bytes_out,
                 std::chrono::steady_clock::time_point start);

  GatewayOptions options_;
  CredentialResolver& credentials_;
  const Clock& clock_;
  OffsetClock* time_travel_;
  std::map<std::string, Service*, std::less<>> services_;
  StreamingService* s3_ = nullptr;
  GatewayStats stats_;
  std::chrono::steady_clock::time_point started_;
};

// Maps a generic authentication failure to the AWS error each protocol family
// uses. `request_time` / `server_time` are amz-dates for skew messages.
Status MapAuthError(const Route& route, Status status, std::string_view request_time = {},
                    std::string_view server_time = {});

}  // namespace ck::services
