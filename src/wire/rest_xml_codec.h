// The rest-xml protocol (S3): request head + body → typed input document,
// typed output → status, headers and XML body. Typed documents are as
// described in json_codec.h. Routing is ServiceModel::MatchRestOperation.
//
// Thread safety: stateless functions over immutable models.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "http/message.h"
#include "wire/model.h"

namespace ck::wire {

// Uri labels (from MatchRestOperation), querystring and header members
// (x-amz-meta-* into the "headers"-located map, header timestamps RFC 1123
// unless the model says otherwise) and the payload: a structure parsed from
// `body` by the model's locationNames/flattened lists, a string payload as
// text. A streaming or blob payload is left out of the document (pass an
// empty body). Malformed XML, or a required structure payload that is
// missing → "MalformedXML" (400). A header or query value that does not
// convert → "InvalidArgument" (400).
Result<nlohmann::json> DecodeRestXmlRequest(const ServiceModel& model, const Operation& op,
                                            const http::RequestHead& head,
                                            const std::map<std::string, std::string>& labels, std::string_view body);

// Sets status (the operation's responseCode, or a statusCode member),
// header members (RFC 1123 timestamps, x-amz-meta-* from the map) and the
// XML body (declaration + root element named by the payload member or the
// output's locationName, with the S3 namespace; ISO 8601 timestamps with
// milliseconds). A string payload is written as is; a streaming/blob
// payload is left to the caller (out->stream / out->body).
void EncodeRestXmlResponse(const ServiceModel& model, const Operation& op, const nlohmann::json& output,
                           http::Response* out);

// The S3 MalformedXML error.
Status MalformedXml();

}  // namespace ck::wire
