// The interfaces services implement, and the per-request context the gateway
// hands them. A service never sees HTTP framing or signatures: it gets the
// authenticated Principal, the region and a decoded input document, and
// returns an output document or a Status carrying the AWS error.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/fields.h"
#include "base/status.h"
#include "core/principal.h"
#include "http/message.h"

namespace ck::services {

// What the payload stage learned about the body; filled while the body
// streams, complete before the service's sink is finished.
struct BodyInfo {
  // x-amz-decoded-content-length for aws-chunked bodies, else Content-Length.
  std::optional<uint64_t> content_length;
  bool aws_chunked = false;
  // Checksum trailers, verified against the data: {"x-amz-checksum-crc32", base64}.
  std::vector<std::pair<std::string, std::string>> trailers;
};

struct RequestContext {
  Principal principal;
  std::string region;          // from the credential scope, else the server's default
  std::string request_id;
  std::string service;         // "kms"
  std::string operation;       // "Encrypt"
  TimePoint now;
  std::string source_ip;
  bool secure_transport = false;
  const http::RequestHead* head = nullptr;
  // Set by services for the access log (e.g. the resolved key, a warning).
  std::string log_note;
  // Streaming services only: shared with the gateway's payload stage.
  std::shared_ptr<BodyInfo> body;
};

// A service spoken through a buffered protocol (JSON or query): the gateway
// decodes the body with the service model, calls Invoke, encodes the result.
class Service {
 public:
  virtual ~Service() = default;
  virtual std::string_view name() const = 0;
  // Unimplemented status (any AWS code) for operations in the model that
  // this service does not implement; the gateway renders it.
  virtual Result<Document> Invoke(std::string_view operation, const Document& input, RequestContext& ctx) = 0;
  // Start-up check that the service's operation table matches its model.
  virtual Status CheckModel() const { return Status::Ok(); }
};

// A service that streams bodies (S3): it receives the head after
// authentication and returns the sink that consumes the body. When
// `operation` is given, it receives the operation's name ("PutObject") once
// the service has recognised the request, for the access log.
class StreamingService {
 public:
  virtual ~StreamingService() = default;
  virtual std::unique_ptr<http::BodySink> Begin(RequestContext ctx, std::string* operation = nullptr) = 0;
};

}  // namespace ck::services
