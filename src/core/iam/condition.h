// The Condition element: one operator applied to one context key with a list
// of policy values, and its evaluation against a request.
//
// Rules implemented (IAM user guide, "Condition operators" and "Multivalued
// context keys"):
// - Several values for one key are ORed; a negated operator (StringNotEquals,
//   NotIpAddress, ArnNotLike, ...) is the negation of its positive form, so its
//   values act as AND ("matches none of them").
// - "If the key that you specify in a policy condition is not present in the
//   request context, the values do not match and the condition is false. If
//   the policy condition requires that the key is not matched, such as
//   StringNotLike or ArnNotLike, and the right key is not present, the
//   condition is true." A key with no values counts as not present.
// - ...IfExists: true when the key is absent, else the operator as usual.
// - Null: "true" means the key must be absent, "false" that it is present.
// - ForAllValues: true when every context value matches (vacuously true when
//   the key is absent or empty). ForAnyValue: true when at least one does
//   (false when absent or empty). For a negated operator under a set
//   qualifier, the per-value test is "matches none of the policy values".
// - Without a qualifier a multivalued key behaves like ForAnyValue for
//   positive operators; a negated operator is the negation of that.
// - String operators are case-sensitive except the IgnoreCase ones; Bool is
//   case-insensitive ("True" = "true"). Date values are ISO 8601
//   (2024-01-01, 2024-01-01T00:00:00Z, with fraction or offset) or epoch
//   seconds. IpAddress takes IPv4/IPv6 addresses or CIDR ranges. ArnEquals and
//   ArnLike both match each of the six colon-separated parts with wildcards.
// - A value that does not parse for its operator (a non-number under
//   NumericEquals) matches nothing. A condition value holding a variable that
//   does not resolve matches nothing.
//
// Immutable after parsing; thread-safe to read.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "core/iam/policy_string.h"

namespace ck::core::iam {

enum class ConditionOp : uint8_t {
  kStringEquals,
  kStringEqualsIgnoreCase,
  kStringLike,
  kNumericEquals,
  kNumericLessThan,
  kNumericLessThanEquals,
  kNumericGreaterThan,
  kNumericGreaterThanEquals,
  kDateEquals,
  kDateLessThan,
  kDateLessThanEquals,
  kDateGreaterThan,
  kDateGreaterThanEquals,
  kBool,
  kBinaryEquals,
  kIpAddress,
  kArnEquals,
  kArnLike,
  kNull,
};

enum class SetQualifier : uint8_t { kNone, kForAnyValue, kForAllValues };

// "ForAnyValue:StringNotEqualsIfExists" → {kStringEquals, negated, if_exists, kForAnyValue}.
struct OperatorSpec {
  ConditionOp op = ConditionOp::kStringEquals;
  bool negated = false;
  bool if_exists = false;
  SetQualifier set = SetQualifier::kNone;
};
// Fails (InvalidArgument) on an unknown name, or NullIfExists.
Result<OperatorSpec> ParseConditionOperator(std::string_view name);

// A 128-bit address with prefix length; IPv4 is kept as 4 bytes.
struct IpRange {
  bool v6 = false;
  uint8_t bytes[16] = {};
  int prefix = 0;  // bits
};
bool ParseIpRange(std::string_view text, IpRange* out);
bool IpInRange(const IpRange& range, const IpRange& addr);
// Epoch seconds from ISO 8601 or a plain number.
bool ParsePolicyDate(std::string_view text, double* epoch_seconds);

struct ConditionValue {
  PolicyString text;
  // Pre-parsed forms, valid when !text.needs_resolve() and the *_ok flag is set.
  bool number_ok = false;
  double number = 0;
  bool ip_ok = false;
  IpRange ip;
};

struct Condition {
  std::string op_name;  // as written
  OperatorSpec spec;
  std::string key;  // as written; looked up case-insensitively
  std::vector<ConditionValue> values;
};

// Builds the pre-parsed forms of a value for the operator.
ConditionValue MakeConditionValue(ConditionOp op, std::string_view raw, bool variables_enabled);

bool EvaluateCondition(const Condition& c, const ValueSource& source);

}  // namespace ck::core::iam
