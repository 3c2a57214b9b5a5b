// The codecs in the client direction, for crosskey's own AWS clients (the
// audit and fix tools): an operation's input document → the HTTP request a
// server expects, and the server's response → the output document or the
// AWS error. The mirror of the server codecs (json_codec.h, query_codec.h,
// rest_xml_codec.h), over the same models and the same document conventions.
//
// S3 requests are path-style ("/bucket/key"); the caller adds the host.
//
// Thread safety: stateless functions over immutable models.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "http/message.h"
#include "wire/model.h"

namespace ck::wire {

struct ClientRequest {
  std::string method;
  std::string path;  // percent-encoded, e.g. "/bucket/a%20key"
  std::vector<std::pair<std::string, std::string>> query;  // decoded name/value pairs
  http::Headers headers;  // content-type, x-amz-target, S3 header members
  std::string body;
  // The operation requires a body checksum (S3 PutBucketEncryption, DeleteObjects, ...):
  // the sender adds Content-MD5.
  bool needs_content_md5 = false;

  // path?query, percent-encoded as SigV4 expects.
  std::string Target() const;
};

Result<ClientRequest> EncodeClientRequest(const ServiceModel& model, const Operation& op,
                                          const nlohmann::json& input);

// A 2xx response → the output document (lenient: members the model calls
// required may be missing). A streaming payload (S3 GetObject's Body) is
// left out: the body is the caller's.
Result<nlohmann::json> DecodeClientResponse(const ServiceModel& model, const Operation& op, int status,
                                            const http::Headers& headers, std::string_view body);

// A non-2xx response → a Status whose aws_code() and message() are the
// server's, http_status() the status, and canonical code from the status
// (403 PermissionDenied, 404 NotFound, 5xx Unavailable/Internal, else
// InvalidArgument). S3 error fields (BucketName, Region, …) are kept.
Status DecodeClientError(const ServiceModel& model, int status, const http::Headers& headers,
                         std::string_view body);

}  // namespace ck::wire
