// JSON (RFC 8259) into a Node tree that remembers where each value was
// written: Terraform plans and state, CloudFormation JSON templates, AWS CLI
// output, and policy documents embedded in any of them.
//
// CloudFormation intrinsic functions are not interpreted here (a map with one
// "Ref" or "Fn::..." key stays a map); the CloudFormation reader does that.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "tools/lint/node.h"

namespace ck::tools::lint {

struct ParseError {
  uint32_t offset = 0;  // byte offset in the file
  std::string message;
};

// Parses `text`, which starts at byte `base` of file `file`. With `exact`
// false the text is not the file's bytes (a JSON document decoded out of a
// string value), so every node gets the span `whole` instead and none is
// replaceable.
bool ParseJson(std::string_view text, uint32_t file, uint32_t base, bool exact, Span whole, Node* out,
               ParseError* error);

// Appends `s` as a JSON string literal (quotes included).
// Appends code point `cp` in UTF-8.
void AppendUtf8(std::string* out, uint32_t cp);
// Appends the two-character escape of ", \\, newline, CR or tab (the escapes
// JSON and HCL strings share); false for any other character.
bool AppendShortEscape(std::string* out, char c);
void AppendJsonString(std::string* out, std::string_view s);

}  // namespace ck::tools::lint
