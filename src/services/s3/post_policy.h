// The policy document of a browser-form upload (POST Object): parsed from its
// JSON (after base64), then evaluated against the form's fields as S3 does:
//
//   - expiration (ISO 8601, UTC): "Invalid according to Policy: Policy expired.";
//   - conditions, in order: {"field": "value"} and ["eq", "$field", "value"]
//     (exact, values case-sensitive), ["starts-with", "$field", "prefix"]
//     ("" accepts anything), ["content-length-range", min, max] (integers or
//     strings of digits; checked against the file's size once it is known).
//     Field names are compared without case; "$bucket" is the bucket the form
//     is posted to. A failing condition is AccessDenied quoting it as the
//     policy wrote it ("Policy Condition failed: [\"eq\", \"$key\", \"a\"]");
//   - every form field but x-amz-signature, signature, AWSAccessKeyId, file,
//     policy and x-ignore-* must be named by a condition ("Extra input fields").
// A document that is not such a policy is InvalidPolicyDocument.
//
// Thread safety: values; functions are pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "wire/form_data.h"

namespace ck::services::s3 {

struct PostCondition {
  enum class Kind { kEq, kStartsWith, kLengthRange };
  Kind kind = Kind::kEq;
  // The field named, lower-cased, without its '$'; unset when the policy
  // named it without '$' (such a condition never holds).
  std::optional<std::string> field;
  std::string value;
  std::optional<uint64_t> min, max;  // kLengthRange; unset when not integers (never holds)
  std::string text;                  // as S3 quotes it: ["eq", "$key", "a"]
};

struct PostPolicy {
  TimePoint expiration;
  std::vector<PostCondition> conditions;
};

// Parses the decoded policy document.
Result<PostPolicy> ParsePostPolicy(std::string_view json);

// Expiration, every condition but content-length-range's size check, and the
// extra-field rule. `fields` are the form's fields before the file, `key` the
// key field's value as sent.
Status CheckPostPolicy(const PostPolicy& policy, const std::vector<wire::FormField>& fields, const std::string& bucket,
                       TimePoint now);

// The largest size content-length-range allows (the smallest of several), if any.
std::optional<uint64_t> PostMaxSize(const PostPolicy& policy);
// content-length-range against the file's size: EntityTooSmall / EntityTooLarge.
Status CheckPostSize(const PostPolicy& policy, uint64_t size);

// The value of a form field (name compared without case; the first one sent).
std::optional<std::string> FormValue(const std::vector<wire::FormField>& fields, std::string_view name);

}  // namespace ck::services::s3
