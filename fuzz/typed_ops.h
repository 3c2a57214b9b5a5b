// The typed decode the services run after the wire decoders: a request's
// input document (json, query or rest-xml decoded) turned into the
// operation's generated input struct (src/api, base/fields.h), as
// OperationTable (strict) and S3 (lenient) do. Every operation of every
// generated API is listed (gen_typed_ops.py writes the table at build time).
#pragma once

#include <map>
#include <string_view>
#include <utility>
#include <vector>

#include "base/fields.h"

namespace ck::fuzz {

struct TypedOp {
  std::string_view service, name;
  // Decodes `doc` into the input struct; when that succeeds, the struct is
  // encoded and the encoding decoded again, which must succeed.
  void (*decode)(const Document& doc, bool strict);
};

template <typename Op>
void DecodeTypedInput(const Document& doc, bool strict) {
  DecodeOptions options{.strict = strict};
  typename Op::Input input{};
  if (!FromDocument(doc, &input, options).ok()) return;
  Document again = ToDocument(input);
  typename Op::Input twice{};
  if (!FromDocument(again, &twice, options).ok()) __builtin_trap();  // what it encodes, it decodes
}

const std::vector<TypedOp>& TypedOps();

// Runs the typed decode of service/operation, when the generated API has it.
inline void DecodeTyped(std::string_view service, std::string_view op, const Document& doc, bool strict) {
  static const auto by_name = [] {
    std::map<std::pair<std::string_view, std::string_view>, const TypedOp*> m;
    for (const auto& t : TypedOps()) m[{t.service, t.name}] = &t;
    return m;
  }();
  auto it = by_name.find({service, op});
  if (it != by_name.end()) it->second->decode(doc, strict);
}

}  // namespace ck::fuzz
