#include "tools/lint/hcl_reader.h"

#include "tools/lint/json_reader.h"

#include <algorithm>
#include <cctype>

namespace ck::tools::lint {

namespace {

constexpr int kMaxDepth = 200;

bool IsIdentStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsIdentChar(char c) { return IsIdentStart(c) || (c >= '0' && c <= '9') || c == '-'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

void MergeRefs(Node* into, const Node& from) {
  for (const std::string& r : from.refs)
    if (std::find(into->refs.begin(), into->refs.end(), r) == into->refs.end()) into->refs.push_back(r);
}

class Parser {
 public:
  Parser(std::string_view text, uint32_t file) : s_(text), file_(file) {}

  bool File(Node* body) {
    body->kind = Kind::kMap;
    body->span = SpanOf(0, s_.size());
    return Body(body, /*nested=*/false, 0);
  }

  ParseError error() const { return error_; }

 private:
  Span SpanOf(size_t begin, size_t end) const {
    return {file_, static_cast<uint32_t>(begin), static_cast<uint32_t>(end)};
  }
  bool AtEnd() const { return pos_ >= s_.size(); }
  char Peek(size_t ahead = 0) const { return pos_ + ahead < s_.size() ? s_[pos_ + ahead] : '\0'; }
  bool LookingAt(std::string_view t) const { return s_.substr(pos_, t.size()) == t; }

  bool Fail(std::string message) { return FailAt(pos_, std::move(message)); }
  bool FailAt(size_t at, std::string message) {
    if (error_.message.empty()) {
      error_.offset = static_cast<uint32_t>(at);
      error_.message = std::move(message);
    }
    return false;
  }

  // Spaces, tabs, carriage returns and comments; newlines too when `newlines`.
  // A line comment stops before its newline.
  bool Skip(bool newlines) {
    for (;;) {
      char c = Peek();
      if (c == ' ' || c == '\t' || c == '\r' || (newlines && c == '\n')) {
        ++pos_;
      } else if (c == '#' || (c == '/' && Peek(1) == '/')) {
        while (!AtEnd() && Peek() != '\n') ++pos_;
      } else if (c == '/' && Peek(1) == '*') {
        size_t at = pos_;
        size_t end = s_.find("*/", pos_ + 2);
        if (end == std::string_view::npos) return FailAt(at, "unterminated /* comment");
        pos_ = end + 2;
      } else {
        return true;
      }
    }
  }

  std::string_view Ident() {
    size_t begin = pos_;
    if (!IsIdentStart(Peek())) return {};
    while (IsIdentChar(Peek())) ++pos_;
    return s_.substr(begin, pos_ - begin);
  }

  bool Body(Node* body, bool nested, int depth) {
    if (depth > kMaxDepth) return Fail("blocks nested too deeply");
    for (;;) {
      if (!Skip(true)) return false;
      if (AtEnd()) {
        if (nested) return Fail("missing '}' at the end of the file");
        return true;
      }
      if (Peek() == '}') {
        if (!nested) return Fail("unexpected '}'");
        return true;  // the caller consumes it
      }
      size_t start = pos_;
      std::string name(Ident());
      if (name.empty()) return Fail("expected an attribute name or a block type");
      Span name_span = SpanOf(start, pos_);
      if (!Skip(false)) return false;
      if (Peek() == '=' && Peek(1) != '=') {
        ++pos_;
        if (!Skip(false)) return false;
        Field f;
        f.key = std::move(name);
        f.key_span = name_span;
        if (!Expr(&f.value, false, depth + 1)) return false;
        body->fields.push_back(std::move(f));
      } else {
        Node block;
        block.kind = Kind::kMap;
        for (;;) {
          if (Peek() == '"') {
            Node label;
            if (!Quoted(&label, depth + 1)) return false;
            block.labels.push_back(label.is_string() ? label.text : label.literal);
          } else if (IsIdentStart(Peek())) {
            block.labels.emplace_back(Ident());
          } else {
            break;
          }
          if (!Skip(false)) return false;
        }
        if (Peek() != '{') return Fail("expected '=' or '{' after \"" + name + "\"");
        ++pos_;
        if (!Body(&block, true, depth + 1)) return false;
        ++pos_;  // '}'
        block.span = SpanOf(start, pos_);
        Node* list = body->GetMutable(name);
        if (!list || list->fn != "blocks") {
          Field f;
          f.key = name;
          f.key_span = name_span;
          f.value.kind = Kind::kList;
          f.value.fn = "blocks";
          f.value.span = block.span;
          body->fields.push_back(std::move(f));
          list = &body->fields.back().value;
        }
        list->items.push_back(std::move(block));
      }
      if (!Skip(false)) return false;
      if (!AtEnd() && Peek() != '\n' && Peek() != '}') return Fail("expected a newline after an attribute or block");
    }
  }

  // Binary operators, longest first.
  size_t BinaryOperator() const {
    static constexpr std::string_view kOps[] = {"==", "!=", "<=", ">=", "&&", "||", "<", ">", "+", "-", "*", "/", "%"};
    for (std::string_view op : kOps)
      if (LookingAt(op)) return op.size();
    return 0;
  }

  bool Expr(Node* out, bool newlines, int depth) {
    if (depth > kMaxDepth) return Fail("expression nested too deeply");
    size_t start = pos_;
    if (!Unary(out, newlines, depth)) return false;
    Node compound = MakeExpr("", "operator", {});
    MergeRefs(&compound, *out);
    bool is_compound = false;
    for (;;) {
      size_t save = pos_;
      if (!Skip(newlines)) return false;
      if (size_t n = BinaryOperator()) {
        pos_ += n;
        if (!Skip(newlines)) return false;
        Node rhs;
        if (!Unary(&rhs, newlines, depth + 1)) return false;
        MergeRefs(&compound, rhs);
        is_compound = true;
        continue;
      }
      if (Peek() == '?') {
        ++pos_;
        Node a, b;
        if (!Skip(newlines) || !Expr(&a, newlines, depth + 1) || !Skip(newlines)) return false;
        if (Peek() != ':') return Fail("expected ':' in a conditional expression");
        ++pos_;
        if (!Skip(newlines) || !Expr(&b, newlines, depth + 1)) return false;
        MergeRefs(&compound, a);
        MergeRefs(&compound, b);
        is_compound = true;
        continue;
      }
      pos_ = save;
      break;
    }
    if (is_compound) {
      compound.text = std::string(s_.substr(start, pos_ - start));
      compound.span = SpanOf(start, pos_);
      *out = std::move(compound);
    }
    return true;
  }

  bool Unary(Node* out, bool newlines, int depth) {
    if (Peek() == '!' || (Peek() == '-' && !IsDigit(Peek(1)))) {
      size_t start = pos_++;
      if (!Skip(newlines)) return false;
      Node inner;
      if (!Unary(&inner, newlines, depth + 1)) return false;
      *out = MakeExpr(std::string(s_.substr(start, pos_ - start)), "operator", SpanOf(start, pos_));
      MergeRefs(out, inner);
      return true;
    }
    return Term(out, depth);
  }

  bool IsForExpression() {
    size_t save = pos_;
    ++pos_;
    bool is_for = Skip(true) && LookingAt("for") && (Peek(3) == ' ' || Peek(3) == '\t' || Peek(3) == '\n');
    pos_ = save;
    error_ = {};
    return is_for;
  }

  // From an opening bracket to just past its matching close, skipping strings and comments.
  bool SkipBalanced(int depth) {
    size_t start = pos_;
    int level = 0;
    while (!AtEnd()) {
      char c = Peek();
      if (c == '"') {
        Node ignored;
        if (!Quoted(&ignored, depth + 1)) return false;
      } else if (c == '#' || (c == '/' && (Peek(1) == '/' || Peek(1) == '*'))) {
        if (!Skip(false)) return false;
      } else if (c == '(' || c == '[' || c == '{') {
        ++level;
        ++pos_;
      } else if (c == ')' || c == ']' || c == '}') {
        --level;
        ++pos_;
        if (level == 0) return true;
      } else {
        ++pos_;
      }
    }
    return FailAt(start, "unbalanced bracket");
  }

  bool Term(Node* out, int depth) {
    if (depth > kMaxDepth) return Fail("expression nested too deeply");
    size_t start = pos_;
    char c = Peek();
    if (IsDigit(c) || (c == '-' && IsDigit(Peek(1)))) {
      ++pos_;
      while (IsDigit(Peek()) || (Peek() == '.' && IsDigit(Peek(1))) || Peek() == 'e' || Peek() == 'E' ||
             ((Peek() == '+' || Peek() == '-') && (s_[pos_ - 1] == 'e' || s_[pos_ - 1] == 'E')))
        ++pos_;
      out->kind = Kind::kNumber;
      out->text = std::string(s_.substr(start, pos_ - start));
      out->span = SpanOf(start, pos_);
    } else if (c == '"') {
      if (!Quoted(out, depth)) return false;
    } else if (c == '<' && Peek(1) == '<') {
      if (!Heredoc(out, depth)) return false;
    } else if (c == '[' || c == '{') {
      if (IsForExpression()) {
        if (!SkipBalanced(depth)) return false;
        *out = MakeExpr(std::string(s_.substr(start, pos_ - start)), "for", SpanOf(start, pos_));
        // What a for expression iterates over still matters to "what does this reference".
        size_t in = out->text.find(" in ");
        if (in != std::string::npos) {
          size_t b = in + 4;
          while (b < out->text.size() && out->text[b] == ' ') ++b;
          size_t e = b;
          while (e < out->text.size() && (IsIdentChar(out->text[e]) || out->text[e] == '.')) ++e;
          if (e > b) out->refs.push_back(out->text.substr(b, e - b));
        }
      } else if (c == '[') {
        if (!Tuple(out, depth)) return false;
      } else {
        if (!Object(out, depth)) return false;
      }
    } else if (c == '(') {
      ++pos_;
      if (!Skip(true) || !Expr(out, true, depth + 1) || !Skip(true)) return false;
      if (Peek() != ')') return Fail("expected ')'");
      ++pos_;
      out->replaceable = false;
    } else if (IsIdentStart(c)) {
      std::string name(Ident());
      while (LookingAt("::") && IsIdentStart(Peek(2))) {  // provider::NAME::FUNCTION
        pos_ += 2;
        name += "::";
        name += Ident();
      }
      size_t after_name = pos_;
      if (!Skip(false)) return false;
      if (Peek() == '(') {
        if (!Call(out, name, start, depth)) return false;
      } else {
        pos_ = after_name;
        if ((name == "true" || name == "false" || name == "null") && Peek() != '.' && Peek() != '[') {
          out->kind = name == "null" ? Kind::kNull : Kind::kBool;
          out->text = name;
          out->span = SpanOf(start, pos_);
          return true;
        }
        *out = MakeExpr(name, "traversal", SpanOf(start, pos_));
        out->refs.push_back(name);
      }
    } else if (AtEnd()) {
      return Fail("unexpected end of file where an expression should be");
    } else {
      unsigned char u = static_cast<unsigned char>(c);
      if (u < 0x20 || u >= 0x7F) return Fail("unexpected byte " + std::to_string(u) + " where an expression should be");
      return Fail(std::string("unexpected '") + c + "' where an expression should be");
    }
    return Postfix(out, start, depth);
  }

  // Attribute access, index and splat steps after a term.
  bool Postfix(Node* out, size_t start, int depth) {
    bool stepped = false;
    for (;;) {
      if (Peek() == '.' && IsIdentStart(Peek(1))) {
        ++pos_;
        std::string_view attr = Ident();
        if (out->fn == "traversal" && !out->refs.empty()) out->refs.back() += "." + std::string(attr);
      } else if (Peek() == '.' && (IsDigit(Peek(1)) || Peek(1) == '*')) {
        ++pos_;
        while (IsDigit(Peek()) || Peek() == '*') ++pos_;
      } else if (Peek() == '[') {
        ++pos_;
        if (!Skip(true)) return false;
        if (Peek() == '*') {
          ++pos_;
        } else {
          Node index;
          if (!Expr(&index, true, depth + 1)) return false;
          if (index.is_expr()) MergeRefs(out, index);
        }
        if (!Skip(true)) return false;
        if (Peek() != ']') return Fail("expected ']'");
        ++pos_;
      } else {
        break;
      }
      stepped = true;
    }
    if (stepped) {
      if (!out->is_expr()) {
        // An index into a literal (["a", "b"][0]): not a literal any more.
        Node e = MakeExpr("", "operator", {});
        MergeRefs(&e, *out);
        *out = std::move(e);
      }
      out->text = std::string(s_.substr(start, pos_ - start));
      out->span = SpanOf(start, pos_);
    }
    return true;
  }

  bool Call(Node* out, const std::string& name, size_t start, int depth) {
    ++pos_;  // '('
    Node call = MakeExpr("", name, {});
    for (;;) {
      if (!Skip(true)) return false;
      if (Peek() == ')') break;
      Node arg;
      if (!Expr(&arg, true, depth + 1)) return false;
      MergeRefs(&call, arg);
      call.items.push_back(std::move(arg));
      if (!Skip(true)) return false;
      if (LookingAt("...")) pos_ += 3;
      if (!Skip(true)) return false;
      if (Peek() == ',') {
        ++pos_;
      } else if (Peek() != ')') {
        return Fail("expected ',' or ')' in the arguments of " + name + "()");
      }
    }
    ++pos_;
    call.text = std::string(s_.substr(start, pos_ - start));
    call.span = SpanOf(start, pos_);
    *out = std::move(call);
    return true;
  }

  bool Tuple(Node* out, int depth) {
    size_t start = pos_++;
    out->kind = Kind::kList;
    for (;;) {
      if (!Skip(true)) return false;
      if (Peek() == ']') break;
      Node item;
      if (!Expr(&item, true, depth + 1)) return false;
      out->items.push_back(std::move(item));
      if (!Skip(true)) return false;
      if (Peek() == ',') {
        ++pos_;
      } else if (Peek() != ']') {
        return Fail("expected ',' or ']' in a list");
      }
    }
    ++pos_;
    out->span = SpanOf(start, pos_);
    return true;
  }

  bool Object(Node* out, int depth) {
    size_t start = pos_++;
    out->kind = Kind::kMap;
    for (;;) {
      if (!Skip(true)) return false;
      if (Peek() == '}') break;
      Field f;
      size_t key_start = pos_;
      if (Peek() == '"') {
        Node key;
        if (!Quoted(&key, depth + 1)) return false;
        f.key = key.text;
      } else if (IsIdentStart(Peek())) {
        f.key = std::string(Ident());
      } else if (Peek() == '(') {
        Node key;
        if (!Term(&key, depth + 1)) return false;
        f.key = key.is_string() ? key.text : "(" + key.text + ")";
      } else {
        return Fail("expected an object key");
      }
      f.key_span = SpanOf(key_start, pos_);
      if (!Skip(false)) return false;
      if (Peek() != '=' && Peek() != ':') return Fail("expected '=' or ':' after an object key");
      ++pos_;
      if (!Skip(false)) return false;
      if (!Expr(&f.value, false, depth + 1)) return false;
      out->fields.push_back(std::move(f));
      if (!Skip(false)) return false;
      if (Peek() == ',') {
        ++pos_;
      } else if (Peek() != '\n' && Peek() != '}') {
        return Fail("expected ',', a newline or '}' in an object");
      }
    }
    ++pos_;
    out->span = SpanOf(start, pos_);
    return true;
  }

  // After "${" or "%{": the interpolation or directive up to and including its '}'.
  bool Interpolation(bool directive, Node* hole, int depth) {
    if (Peek() == '~') ++pos_;
    if (directive) {
      // %{ if ... }, %{ for ... }, %{ endif }: kept opaque.
      int level = 1;
      while (!AtEnd()) {
        char c = Peek();
        if (c == '"') {
          Node ignored;
          if (!Quoted(&ignored, depth + 1)) return false;
          continue;
        }
        ++pos_;
        if (c == '{') ++level;
        if (c == '}' && --level == 0) return true;
      }
      return Fail("unterminated %{ directive");
    }
    if (!Skip(true) || !Expr(hole, true, depth + 1) || !Skip(true)) return false;
    if (Peek() == '~') ++pos_;
    if (Peek() != '}') return Fail("expected '}' at the end of an interpolation");
    ++pos_;
    return true;
  }

  // An escape in a quoted string (at the backslash); appends what it stands for.
  bool Escape(std::string* lit) {
    char e = Peek(1);
    pos_ += 2;
    switch (e) {
      case 'n':
        *lit += '\n';
        return true;
      case 'r':
        *lit += '\r';
        return true;
      case 't':
        *lit += '\t';
        return true;
      case '"':
        *lit += '"';
        return true;
      case '\\':
        *lit += '\\';
        return true;
      case 'u':
      case 'U': {
        size_t digits = e == 'u' ? 4 : 8;
        uint32_t cp = 0;
        for (size_t i = 0; i < digits; ++i) {
          char h = Peek();
          if (!std::isxdigit(static_cast<unsigned char>(h))) return Fail("bad unicode escape");
          cp = cp * 16 + (IsDigit(h) ? h - '0' : (std::tolower(h) - 'a' + 10));
          ++pos_;
        }
        AppendUtf8(lit, cp);
        return true;
      }
      default:
        return FailAt(pos_ - 2, std::string("bad escape '\\") + e + "' in a string");
    }
  }

  // An interpolation of a template: kept as an item, marked in the literal text.
  static void AddHole(Node hole, Node* tmpl, std::string* lit) {
    MergeRefs(tmpl, hole);
    *lit += kHoleBegin;
    *lit += std::to_string(tmpl->items.size());
    *lit += kHoleEnd;
    tmpl->items.push_back(std::move(hole));
  }

  // A heredoc's lines up to the one holding only the marker; with <<- the
  // smallest indentation of non-blank lines is removed.
  bool HeredocContent(size_t start, const std::string& marker, bool indented, std::string* content) {
    std::vector<std::string_view> lines;
    for (;;) {
      if (AtEnd()) return FailAt(start, "heredoc <<" + marker + " has no closing " + marker);
      size_t eol = s_.find('\n', pos_);
      if (eol == std::string_view::npos) eol = s_.size();
      std::string_view line = s_.substr(pos_, eol - pos_);
      std::string_view trimmed = line;
      while (!trimmed.empty() && (trimmed.front() == ' ' || trimmed.front() == '\t')) trimmed.remove_prefix(1);
      while (!trimmed.empty() && (trimmed.back() == ' ' || trimmed.back() == '\t' || trimmed.back() == '\r'))
        trimmed.remove_suffix(1);
      if (trimmed == marker) {
        pos_ += line.find(marker) + marker.size();
        break;
      }
      lines.push_back(line);
      pos_ = eol < s_.size() ? eol + 1 : eol;
    }
    size_t strip = 0;
    if (indented) {
      strip = std::string_view::npos;
      for (std::string_view l : lines) {
        size_t n = l.find_first_not_of(" \t");
        if (n != std::string_view::npos) strip = std::min(strip, n);
      }
      if (strip == std::string_view::npos) strip = 0;
    }
    for (std::string_view l : lines) {
      *content += l.substr(std::min(strip, l.size()));
      *content += '\n';
    }
    return true;
  }

  bool Quoted(Node* out, int depth) {
    size_t start = pos_++;
    std::string lit;
    Node tmpl = MakeExpr("", "template", {});
    bool is_template = false;
    for (;;) {
      if (AtEnd()) return FailAt(start, "unterminated string");
      char c = Peek();
      if (c == '"') {
        ++pos_;
        break;
      }
      if (c == '\n') return FailAt(start, "unterminated string (a quoted string cannot span lines)");
      if (c == '\\') {
        if (!Escape(&lit)) return false;
        continue;
      }
      if ((c == '$' || c == '%') && Peek(1) == c && Peek(2) == '{') {
        lit += c;
        lit += '{';
        pos_ += 3;
        continue;
      }
      if ((c == '$' || c == '%') && Peek(1) == '{') {
        pos_ += 2;
        Node hole;
        if (!Interpolation(c == '%', &hole, depth)) return false;
        is_template = true;
        AddHole(std::move(hole), &tmpl, &lit);
        continue;
      }
      lit += c;
      ++pos_;
    }
    if (is_template) {
      tmpl.text = std::string(s_.substr(start, pos_ - start));
      tmpl.span = SpanOf(start, pos_);
      tmpl.literal = std::move(lit);
      *out = std::move(tmpl);
    } else {
      bool raw = lit.size() + 2 == pos_ - start;  // no escapes
      *out = MakeString(std::move(lit), SpanOf(start, pos_));
      out->replaceable = true;
      out->quote = '"';
      out->raw = raw;
      out->raw_offset = static_cast<uint32_t>(start + 1);
    }
    return true;
  }

  bool Heredoc(Node* out, int depth) {
    size_t start = pos_;
    pos_ += 2;
    bool indented = Peek() == '-';
    if (indented) ++pos_;
    std::string marker(Ident());
    if (marker.empty()) return Fail("expected a heredoc marker after <<");
    while (Peek() == ' ' || Peek() == '\t' || Peek() == '\r') ++pos_;
    if (Peek() != '\n') return Fail("expected a newline after the heredoc marker");
    ++pos_;
    size_t content_start = pos_;
    std::string content;
    if (!HeredocContent(start, marker, indented, &content)) return false;
    // Interpolations, as in quoted strings (no escapes other than $${ and %%{).
    std::string lit;
    Node tmpl = MakeExpr("", "template", {});
    bool is_template = false;
    Parser inner(content, file_);
    for (size_t i = 0; i < content.size();) {
      char c = content[i];
      if ((c == '$' || c == '%') && i + 2 < content.size() && content[i + 1] == c && content[i + 2] == '{') {
        lit += c;
        lit += '{';
        i += 3;
      } else if ((c == '$' || c == '%') && i + 1 < content.size() && content[i + 1] == '{') {
        inner.pos_ = i + 2;
        Node hole;
        if (!inner.Interpolation(c == '%', &hole, depth + 1)) {
          // Positions inside a stripped heredoc do not map back exactly; name the heredoc.
          return FailAt(start, "in heredoc <<" + marker + ": " + inner.error_.message);
        }
        i = inner.pos_;
        is_template = true;
        AddHole(std::move(hole), &tmpl, &lit);
      } else {
        lit += c;
        ++i;
      }
    }
    Span span = SpanOf(start, pos_);
    if (is_template) {
      tmpl.text = std::string(s_.substr(start, pos_ - start));
      tmpl.span = span;
      tmpl.literal = std::move(lit);
      *out = std::move(tmpl);
    } else {
      bool raw = !indented && lit == s_.substr(content_start, lit.size());
      *out = MakeString(std::move(lit), span);
      out->raw = raw;
      out->raw_offset = static_cast<uint32_t>(content_start);
    }
    return true;
  }

  std::string_view s_;
  uint32_t file_;
  size_t pos_ = 0;
  ParseError error_;
};

}  // namespace

bool ParseHcl(std::string_view text, uint32_t file, Node* body, ParseError* error) {
  Parser p(text, file);
  *body = Node();
  if (p.File(body)) return true;
  if (error) *error = p.error();
  return false;
}

void AppendHclString(std::string* out, std::string_view s) {
  out->push_back('"');
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (AppendShortEscape(out, c)) continue;
    out->push_back(c);
    // "${" and "%{" would start a template: doubled, they stand for themselves.
    if ((c == '$' || c == '%') && i + 1 < s.size() && s[i + 1] == '{') out->push_back(c);
  }
  out->push_back('"');
}

}  // namespace ck::tools::lint
