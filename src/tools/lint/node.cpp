#include "tools/lint/node.h"

namespace ck::tools::lint {

const Node* Node::Get(std::string_view key) const {
  if (kind != Kind::kMap) return nullptr;
  for (const Field& f : fields)
    if (f.key == key) return &f.value;
  return nullptr;
}

Node* Node::GetMutable(std::string_view key) {
  if (kind != Kind::kMap) return nullptr;
  for (Field& f : fields)
    if (f.key == key) return &f.value;
  return nullptr;
}

std::string_view Node::Str(std::string_view key) const {
  const Node* n = Get(key);
  return n && n->kind == Kind::kString ? std::string_view(n->text) : std::string_view();
}

std::vector<const Node*> Node::Each() const {
  std::vector<const Node*> out;
  if (kind == Kind::kList) {
    for (const Node& n : items) out.push_back(&n);
  } else if (kind != Kind::kNull) {
    out.push_back(this);
  }
  return out;
}

std::string_view TemplatePrefix(const Node& n) {
  std::string_view l = n.literal;
  return l.substr(0, l.find(kHoleBegin));
}

Node MakeString(std::string value, Span span) {
  Node n;
  n.kind = Kind::kString;
  n.text = std::move(value);
  n.span = span;
  return n;
}

Node MakeExpr(std::string text, std::string fn, Span span) {
  Node n;
  n.kind = Kind::kExpr;
  n.text = std::move(text);
  n.fn = std::move(fn);
  n.span = span;
  return n;
}

}  // namespace ck::tools::lint
