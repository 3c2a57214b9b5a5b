#include "wire/errors.h"

#include <nlohmann/json.hpp>

#include "wire/xml_writer.h"

namespace ck::wire {

std::pair<std::string, int> AwsCodeFor(const Status& status, ErrorProtocol p) {
  if (!status.aws_code().empty()) return {status.aws_code(), status.http_status()};
  bool json = p == ErrorProtocol::kJson, query = p == ErrorProtocol::kQuery;
  switch (status.code()) {
    case Code::kOk:
    case Code::kInternal:
    case Code::kDataLoss:
      return {json || query ? "InternalFailure" : "InternalError", 500};
    case Code::kUnavailable:
      return {json || query ? "ServiceUnavailable" : "ServiceUnavailable", 503};
    case Code::kInvalidArgument:
    case Code::kOutOfRange:
      if (p == ErrorProtocol::kS3 && status.code() == Code::kOutOfRange) return {"InvalidRange", 416};
      return {json ? "ValidationException" : query ? "ValidationError" : "InvalidArgument", 400};
    case Code::kFailedPrecondition:
      return {json ? "ValidationException" : query ? "ValidationError" : "PreconditionFailed",
              p == ErrorProtocol::kS3 ? 412 : 400};
    case Code::kNotFound:
      return {json ? "ResourceNotFoundException" : query ? "NoSuchEntity" : "NotFound", json ? 400 : 404};
    case Code::kAlreadyExists:
      return {json ? "AlreadyExistsException" : query ? "EntityAlreadyExists" : "OperationAborted",
              json ? 400 : 409};
    case Code::kPermissionDenied:
      return {json ? "AccessDeniedException" : "AccessDenied", json ? 400 : 403};
    case Code::kUnauthenticated:
      return {json ? "UnrecognizedClientException" : query ? "InvalidClientTokenId" : "InvalidAccessKeyId",
              json ? 400 : 403};
    case Code::kResourceExhausted:
      return {json ? "ThrottlingException" : query ? "Throttling" : "SlowDown", p == ErrorProtocol::kS3 ? 503 : 400};
    case Code::kUnimplemented:
      return {json ? "UnknownOperationException" : query ? "InvalidAction" : "NotImplemented",
              p == ErrorProtocol::kS3 ? 501 : 400};
    case Code::kAborted:
      return {json ? "ConflictException" : query ? "ConcurrentModification" : "OperationAborted", 409};
  }
  return {"InternalFailure", 500};
}

namespace {

// The message a client sees. A failure of crosskey itself (a 5xx the service
// did not name) may carry file paths or store details: those go to the log
// only, and the client gets AWS's generic text.
std::string ClientMessage(const Status& status, int http_status, ErrorProtocol p, http::Response* out) {
  out->error_message = status.message();
  if (!status.aws_code().empty() || http_status < 500) return status.message();
  bool s3 = p == ErrorProtocol::kS3;
  if (http_status == 503)
    return s3 ? "Service is unable to handle request."
              : "The request has failed due to a temporary failure of the server.";
  return s3 ? "We encountered an internal error. Please try again."
            : "The request processing has failed because of an unknown error, exception or failure.";
}

}  // namespace

void RenderJsonError(const Status& status, std::string_view request_id, bool json_1_0, http::Response* out,
                     std::string_view type_namespace, std::string_view message_member) {
  auto [code, http_status] = AwsCodeFor(status, ErrorProtocol::kJson);
  std::string type = code;
  if (!type_namespace.empty() && code.find('#') == std::string::npos) {
    if (code == "SerializationException" || code == "UnknownOperationException" ||
        code == "AccessDeniedException" || code == "UnrecognizedClientException" ||
        code == "InvalidSignatureException" || code == "MissingAuthenticationTokenException")
      type = "com.amazon.coral.service#" + code;
    else if (code == "ValidationException")
      type = "com.amazon.coral.validate#" + code;
    else
      type = std::string(type_namespace) + "#" + code;
  }
  nlohmann::ordered_json body;
  body["__type"] = type;
  body[std::string(message_member)] = ClientMessage(status, http_status, ErrorProtocol::kJson, out);
  out->error_code = code;
  for (const auto& [k, v] : status.fields()) body[k] = v;
  for (const auto& [k, v] : status.json_fields()) {
    auto parsed = nlohmann::ordered_json::parse(v, nullptr, /*allow_exceptions=*/false);
    if (!parsed.is_discarded()) body[k] = std::move(parsed);
  }
  out->status = http_status;
  out->body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  out->headers.Set("x-amzn-requestid", std::string(request_id));
  out->headers.Set("content-type", json_1_0 ? "application/x-amz-json-1.0" : "application/x-amz-json-1.1");
}

void RenderQueryError(const Status& status, std::string_view request_id, std::string_view xml_namespace,
                      http::Response* out) {
  auto [code, http_status] = AwsCodeFor(status, ErrorProtocol::kQuery);
  XmlWriter w;
  w.BeginOpen("ErrorResponse");
  if (!xml_namespace.empty()) w.Attribute("xmlns", xml_namespace);
  w.EndOpen();
  w.Open("Error");
  w.Element("Type", status.is_server_fault() || http_status >= 500 ? "Receiver" : "Sender");
  w.Element("Code", code);
  w.Element("Message", ClientMessage(status, http_status, ErrorProtocol::kQuery, out));
  out->error_code = code;
  for (const auto& [k, v] : status.fields()) w.Element(k, v);
  w.Close("Error");
  w.Element("RequestId", request_id);
  w.Close("ErrorResponse");
  out->status = http_status;
  out->body = w.Take();
  out->headers.Set("x-amzn-requestid", std::string(request_id));
  out->headers.Set("content-type", "text/xml");
}

void RenderS3Error(const Status& status, std::string_view request_id, std::string_view host_id,
                   http::Response* out, bool head_request) {
  auto [code, http_status] = AwsCodeFor(status, ErrorProtocol::kS3);
  out->status = http_status;
  out->error_code = code;
  std::string message = ClientMessage(status, http_status, ErrorProtocol::kS3, out);
  out->headers.Set("x-amz-request-id", std::string(request_id));
  out->headers.Set("x-amz-id-2", std::string(host_id));
  if (head_request) {
    out->body.clear();
    return;
  }
  XmlWriter w;
  w.Declaration();
  w.Open("Error");
  w.Element("Code", code);
  w.Element("Message", message);
  for (const auto& [k, v] : status.fields()) w.Element(k, v);
  w.Element("RequestId", request_id);
  w.Element("HostId", host_id);
  w.Close("Error");
  out->body = w.Take();
  out->headers.Set("content-type", "application/xml");
}

Status UnknownJsonOperation() { return AwsError("UnknownOperationException", 400, ""); }

Status QueryInvalidAction(std::string_view action, std::string_view version) {
  return AwsError("InvalidAction", 400,
                  "Could not find operation " + std::string(action) + " for version " + std::string(version));
}

Status S3NotImplemented() {
  return AwsError("NotImplemented", 501, "A header you provided implies functionality that is not implemented");
}

}  // namespace ck::wire
