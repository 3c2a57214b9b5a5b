// The awsJson 1.0/1.1 protocol (KMS, DynamoDB, Secrets Manager, CloudTrail):
// request body → typed input document, typed output → response body.
//
// Typed documents (all codecs): structure → object keyed by member name,
// list → array, map → object, string/enum → string, integer/long → integer,
// float/double → number, boolean → bool, timestamp → epoch seconds (double),
// blob → base64 string.
//
// Thread safety: stateless functions over immutable models.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "wire/model.h"

namespace ck::wire {

// Parses, type-checks and validates. Malformed JSON or a value of the wrong
// type → "SerializationException" (400); constraint violations →
// "ValidationException" (400) with AWS's "N validation error(s) detected"
// message. Unknown members are dropped; null counts as absent.
Result<nlohmann::json> DecodeJsonRequest(const ServiceModel& model, const Operation& op, std::string_view body);

// Only modelled members are written; timestamps as epoch-second numbers,
// blobs as base64. "{}" when the operation has no output.
std::string EncodeJsonResponse(const ServiceModel& model, const Operation& op, const nlohmann::json& output);

// The X-Amz-Target of an operation: "TrentService.Encrypt".
std::string JsonTarget(const ServiceModel& model, const Operation& op);
// The operation an X-Amz-Target names, or null (wrong prefix or unknown).
const Operation* FindJsonOperation(const ServiceModel& model, std::string_view target);

// "application/x-amz-json-1.0" / "-1.1".
std::string JsonContentType(const ServiceModel& model);

}  // namespace ck::wire
