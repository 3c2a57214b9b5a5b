// The AWS query protocol (STS, IAM): form parameters → typed input document,
// typed output → <OpResponse><OpResult>…</OpResult><ResponseMetadata/>.
// Typed documents are as described in json_codec.h.
//
// Thread safety: stateless functions over immutable models.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "wire/model.h"

namespace ck::wire {

using FormParams = std::vector<std::pair<std::string, std::string>>;

// Un-flattens the form (lists "Name.member.N", flattened lists "Name.N",
// maps "Name.entry.N.key/value", structures "A.B"), converts types and
// validates. Errors: "ValidationError" (400, sender fault) with AWS's
// "N validation error(s) detected: …" message. Action and Version are not
// members and are ignored, as are unknown parameters.
Result<nlohmann::json> DecodeQueryRequest(const ServiceModel& model, const Operation& op, const FormParams& form);

// <OpResponse xmlns="…"><OpResult>…</OpResult><ResponseMetadata><RequestId>…
// Timestamps ISO 8601 (milliseconds only when non-zero).
std::string EncodeQueryResponse(const ServiceModel& model, const Operation& op, const nlohmann::json& output,
                                std::string_view request_id);

// Splits an application/x-www-form-urlencoded body (or a query string) into
// decoded pairs; nullopt on bad percent-encoding.
std::optional<FormParams> ParseForm(std::string_view body);

}  // namespace ck::wire
