// Arn: the value type for an Amazon Resource Name,
// `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`.
//
// Parsing splits at the first five colons only, so the resource part keeps any
// colons of its own (`arn:aws:logs:us-east-1:1:log-group:name:*`). Region and
// account may be empty (`arn:aws:s3:::bucket/key`, `arn:aws:iam::1:role/r`).
// Plain value type; no shared state, safe to use from any thread.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace ck::core {

struct Arn {
  std::string partition;  // "aws", "aws-cn", "aws-us-gov"
  std::string service;    // "kms", "s3", "iam", "sts"
  std::string region;     // may be empty
  std::string account;    // may be empty
  std::string resource;   // everything after the fifth colon

  // Fails with InvalidArgument unless `text` starts with "arn:", has at least
  // six colon-separated parts, and partition, service and resource are non-empty.
  static Result<Arn> Parse(std::string_view text);
  static bool IsArn(std::string_view text) { return Parse(text).ok(); }

  std::string ToString() const;

  // The resource split at its first '/' or ':' (whichever comes first):
  // "key/1234" → type "key", id "1234"; "role/path/Name" → "role", "path/Name";
  // "function:f:1" → "function", "f:1". With no separator the type is empty and
  // the id is the whole resource ("bucket" in arn:aws:s3:::bucket).
  std::string_view ResourceType() const;
  std::string_view ResourceId() const;
  // The last '/'-separated element of the resource: "role/path/Name" → "Name".
  std::string_view ResourceName() const;

  friend bool operator==(const Arn&, const Arn&) = default;
};

}  // namespace ck::core
