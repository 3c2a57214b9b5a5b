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
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "wire/model.h"

namespace ck::wire {

// How a service words a violation where it departs from Coral's wording.
// IAM (AWS recordings): an enum violation reads "Value at 'status' failed to
// satisfy constraint: Member must satisfy enum value set" (no value, no
// set), and it never shows a service-specific credential id; other values it
// shows ("Value 'bad name' at 'roleName' ...").
struct ValidationStyle {
  bool coral_enums = true;                       // false: IAM's enum wording
  std::vector<std::string_view> hidden_members;  // paths whose value is left out
};
const ValidationStyle& IamValidationStyle();

// Appends one message per violated constraint, in member order.
void CollectViolations(const Shape& shape, const nlohmann::json& value, const std::string& path,
                       std::vector<std::string>* out, const ValidationStyle& style = {});

// "1 validation error detected: a" / "2 validation errors detected: a; b".
std::string FormatViolations(const std::vector<std::string>& violations);

// Validates an operation input; OK, or an AWS error with `aws_code`
// ("ValidationException" for JSON services, "ValidationError" for query).
Status ValidateInput(const Shape& input, const nlohmann::json& doc, const std::string& aws_code,
                     const ValidationStyle& style = {});

// AWS's spelling of a member in a path: first letter lower-cased.
std::string CamelMember(const std::string& name);

}  // namespace ck::wire
