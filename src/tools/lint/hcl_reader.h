// Terraform's native syntax (HCL 2), read far enough for `crosskey lint`:
// bodies of attributes and blocks, and expressions as values with spans.
//
// A file becomes a kMap body: each attribute is a field holding its value;
// each block type is a field holding a kList of the blocks of that type (in
// order), each block a kMap body with its `labels` and a span from the type
// keyword to the closing brace. So `resource "aws_s3_bucket" "b" { ... }`
// is body.Get("resource")->items[i] with labels {"aws_s3_bucket", "b"}, and
// nested blocks read like `terraform show -json` values (lists of maps).
//
// Literals (strings without interpolation, numbers, bools, null, tuples,
// objects) become literal nodes; a string literal's span covers its quotes.
// Everything else becomes kExpr, keeping what it references: a traversal
// (`aws_kms_key.k.arn`, `var.x`), a function call with its arguments
// (`jsonencode({...})`), a template with its literal text and holes, an
// operator or conditional expression, or a for expression. Heredocs are
// strings (or templates) whose span covers the whole heredoc.
//
// Pure functions; thread-safe.
#pragma once

#include <string_view>

#include "tools/lint/json_reader.h"
#include "tools/lint/node.h"

namespace ck::tools::lint {

bool ParseHcl(std::string_view text, uint32_t file, Node* body, ParseError* error);

// Appends `s` as an HCL quoted string literal (quotes included), escaping
// quotes, backslashes, control characters and "${" / "%{".
void AppendHclString(std::string* out, std::string_view s);

}  // namespace ck::tools::lint
