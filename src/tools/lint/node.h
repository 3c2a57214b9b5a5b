// Node: one value of an infrastructure definition, whatever the format it was
// read from (Terraform plan/state JSON, HCL, CloudFormation YAML or JSON, AWS
// CLI JSON), with the span it was written at.
//
// Literal values are kString/kNumber/kBool/kNull/kList/kMap. What the linter
// cannot evaluate is kExpr: an HCL reference, function call or template, a
// CloudFormation intrinsic function (`!Ref`, `Fn::GetAtt`, `!Sub`, ...), or a
// plan value "known after apply". Expressions keep what they reference so that
// the format's reader can still say what they evaluate to (a key ARN, a key
// id, an alias name) without evaluating them.
//
// Terraform nested blocks are lists of maps (as in `terraform show -json`), so
// a reader walks the same shape whether the source was HCL or a plan.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "tools/lint/source.h"

namespace ck::tools::lint {

// Marks an interpolation in a template's `literal` (U+E000 ... U+E001).
inline constexpr std::string_view kHoleBegin = "\xEE\x80\x80";
inline constexpr std::string_view kHoleEnd = "\xEE\x80\x81";

enum class Kind : unsigned char { kNull, kBool, kNumber, kString, kList, kMap, kExpr };

struct Field;

struct Node {
  Kind kind = Kind::kNull;
  // kString: the value. kBool/kNumber: the literal text. kExpr: the expression
  // as written, or a description ("(known after apply)").
  std::string text;
  std::vector<Node> items;    // kList elements; kExpr: arguments of a call or intrinsic
  std::vector<Field> fields;  // kMap entries, in source order
  Span span;
  // kString: `span` covers exactly the literal as written (quotes included)
  // on one line, so --fix may replace those bytes.
  bool replaceable = false;
  char quote = 0;  // kString as written: '"', '\'', or 0 (unquoted YAML scalar)
  // kString: the value's bytes are the file's bytes from `raw_offset` on (no
  // escapes, no indentation stripped), so positions inside the value (a JSON
  // policy in a heredoc) map back to the file.
  bool raw = false;
  uint32_t raw_offset = 0;

  // kExpr only.
  std::string fn;                 // HCL: function name, "template", "traversal", "operator", "for";
                                  // CloudFormation: "Ref", "Fn::GetAtt", "Fn::Sub", "Fn::Join", ...
  std::vector<std::string> refs;  // HCL: traversals ("aws_kms_key.k.arn", index steps dropped);
                                  // CloudFormation: "Logical" or "Logical.Attribute"
  // Templates (HCL "${...}" strings and heredocs, CloudFormation Fn::Sub):
  // the text with each interpolation replaced by kHoleBegin + its index in
  // `items` + kHoleEnd.
  std::string literal;
  std::vector<std::string> labels;  // HCL blocks: their labels

  bool is_string() const { return kind == Kind::kString; }
  bool is_map() const { return kind == Kind::kMap; }
  bool is_list() const { return kind == Kind::kList; }
  bool is_expr() const { return kind == Kind::kExpr; }
  // kBool true, or the string "true".
  bool is_true() const { return (kind == Kind::kBool || kind == Kind::kString) && text == "true"; }

  // The value of map entry `key`, or nullptr.
  const Node* Get(std::string_view key) const;
  Node* GetMutable(std::string_view key);
  // The string value of map entry `key`, or "" when absent or not a string.
  std::string_view Str(std::string_view key) const;
  // A list's items, a map or scalar as a list of one, nothing for null.
  // (Terraform nested blocks are lists; CloudFormation often allows either.)
  std::vector<const Node*> Each() const;
};

struct Field {
  std::string key;
  Span key_span;
  Node value;
};

// A template's literal text before its first interpolation.
std::string_view TemplatePrefix(const Node& n);

Node MakeString(std::string value, Span span);
Node MakeExpr(std::string text, std::string fn, Span span);

}  // namespace ck::tools::lint
