// Model constraint validation (required, min/max, pattern, enum) of a typed
// input document, worded as AWS's Coral front end words it:
//   1 validation error detected: Value 'x' at 'keyId' failed to satisfy
//   constraint: Member must have length less than or equal to 2048
// Member paths are camelCased (first letter lower-case); list elements read
// 'tags.1.member.key'; sensitive members omit the value ("Value at 'x'").
//
// Thread safety: stateless functions.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "wire/model.h"

namespace ck::wire {

// Appends one message per violated constraint, in member order.
void CollectViolations(const Shape& shape, const nlohmann::json& value, const std::string& path,
                       std::vector<std::string>* out);

// "1 validation error detected: a" / "2 validation errors detected: a; b".
std::string FormatViolations(const std::vector<std::string>& violations);

// Validates an operation input; OK, or an AWS error with `aws_code`
// ("ValidationException" for JSON services, "ValidationError" for query).
Status ValidateInput(const Shape& input, const nlohmann::json& doc, const std::string& aws_code);

// AWS's spelling of a member in a path: first letter lower-cased.
std::string CamelMember(const std::string& name);

}  // namespace ck::wire
