// Error envelopes, one per protocol, from a ck::Status (aws_code,
// http_status, message, fields) and the request id. A status without an AWS
// code is mapped from its canonical code to a sensible AWS code for the
// protocol (InternalFailure / InternalError, ServiceUnavailable, ...).
// Also the protocols' own "no such operation" errors.
//
// Thread safety: stateless functions.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"
#include "http/message.h"

namespace ck::wire {

enum class ErrorProtocol { kJson, kQuery, kS3 };

// The AWS code and HTTP status a status renders with under `protocol`.
std::pair<std::string, int> AwsCodeFor(const Status& status, ErrorProtocol protocol);

// {"__type":"Code","message":"..."} (+ status fields as string members),
// x-amzn-requestid, Content-Type application/x-amz-json-1.0 / 1.1.
// `type_namespace` qualifies __type as DynamoDB does
// ("com.amazonaws.dynamodb.v20120810" → "com.amazonaws.dynamodb.v20120810#Code";
// Coral's own errors get com.amazon.coral.service# / com.amazon.coral.validate#).
// botocore keeps the part after '#'. `message_member` is the member that
// carries the text: "message" for most services, "Message" for Secrets
// Manager (its modeled errors' member, which botocore also reads into the
// parsed response's top-level "Message").
void RenderJsonError(const Status& status, std::string_view request_id, bool json_1_0, http::Response* out,
                     std::string_view type_namespace = {}, std::string_view message_member = "message");

// <ErrorResponse xmlns="…"><Error><Type>Sender|Receiver</Type><Code/><Message/></Error>
// <RequestId/></ErrorResponse>, Content-Type text/xml, x-amzn-requestid.
void RenderQueryError(const Status& status, std::string_view request_id, std::string_view xml_namespace,
                      http::Response* out);

// <?xml …?>\n<Error><Code/><Message/>{fields}<RequestId/><HostId/></Error>,
// Content-Type application/xml, x-amz-request-id, x-amz-id-2. A HEAD
// request gets the status and headers only.
void RenderS3Error(const Status& status, std::string_view request_id, std::string_view host_id,
                   http::Response* out, bool head_request = false);

// JSON protocols: X-Amz-Target names no operation.
Status UnknownJsonOperation();
// Query protocol: "Could not find operation AssumeRolex for version 2011-06-15".
Status QueryInvalidAction(std::string_view action, std::string_view version);
// S3: a request no operation matches.
Status S3NotImplemented();

}  // namespace ck::wire
