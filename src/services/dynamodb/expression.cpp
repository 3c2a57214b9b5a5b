#include "services/dynamodb/expression.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "base/codec.h"
#include "services/dynamodb/attribute_value.h"
#include "services/dynamodb/decimal.h"

namespace ck::services::ddb {

namespace {

struct Token {
  enum Kind { kIdent, kName, kValue, kNumber, kPunct, kEnd };
  Kind kind;
  std::string text;
};

bool IsIdentStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool IsIdentChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

std::optional<std::vector<Token>> Tokenize(const std::string& s, std::string* bad) {
  std::vector<Token> out;
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
      continue;
    }
    if (c == '#' || c == ':') {
      size_t j = i + 1;
      while (j < s.size() && IsIdentChar(s[j])) ++j;
      if (j == i + 1) {
        *bad = std::string(1, c);
        return std::nullopt;
      }
      out.push_back({c == '#' ? Token::kName : Token::kValue, s.substr(i, j - i)});
      i = j;
    } else if (IsIdentStart(c)) {
      size_t j = i;
      while (j < s.size() && IsIdentChar(s[j])) ++j;
      out.push_back({Token::kIdent, s.substr(i, j - i)});
      i = j;
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      size_t j = i;
      while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
      out.push_back({Token::kNumber, s.substr(i, j - i)});
      i = j;
    } else if (c == '<' && i + 1 < s.size() && (s[i + 1] == '>' || s[i + 1] == '=')) {
      out.push_back({Token::kPunct, s.substr(i, 2)});
      i += 2;
    } else if (c == '>' && i + 1 < s.size() && s[i + 1] == '=') {
      out.push_back({Token::kPunct, ">="});
      i += 2;
    } else if (std::string_view("()[],.=<>+-").find(c) != std::string_view::npos) {
      out.push_back({Token::kPunct, std::string(1, c)});
      ++i;
    } else {
      *bad = std::string(1, c);
      return std::nullopt;
    }
  }
  out.push_back({Token::kEnd, "<EOF>"});
  return out;
}

bool Kw(const Token& t, const char* word) { return t.kind == Token::kIdent && EqualsIgnoreCase(t.text, word); }

}  // namespace

std::string PathToString(const Path& p) {
  std::string s;
  for (const auto& e : p) {
    if (e.index >= 0) {
      s += "[" + std::to_string(e.index) + "]";
    } else {
      if (!s.empty()) s += ".";
      s += e.name;
    }
  }
  return s;
}

class Parser {
 public:
  Parser(ExpressionContext& ctx, std::vector<Token> toks, std::string kind)
      : ctx_(ctx), t_(std::move(toks)), kind_(std::move(kind)) {}

  Status Err(const std::string& what) { return DdbValidation("Invalid " + kind_ + ": " + what); }
  Status Syntax() {
    const Token& tok = t_[pos_];
    std::string near;
    for (size_t i = pos_ > 0 ? pos_ - 1 : 0; i < std::min(t_.size(), pos_ + 2); ++i)
      if (t_[i].kind != Token::kEnd) near += (near.empty() ? "" : " ") + t_[i].text;
    return Err("Syntax error; token: \"" + tok.text + "\", near: \"" + near + "\"");
  }
  const Token& Peek(size_t ahead = 0) { return t_[std::min(pos_ + ahead, t_.size() - 1)]; }
  bool Punct(const char* p) {
    if (Peek().kind == Token::kPunct && Peek().text == p) {
      ++pos_;
      return true;
    }
    return false;
  }
  Status Expect(const char* p) { return Punct(p) ? Status::Ok() : Syntax(); }
  bool AtEnd() { return Peek().kind == Token::kEnd; }

  Result<std::string> Name(const Token& tok) {
    if (tok.kind == Token::kIdent) return tok.text;
    auto it = ctx_.names_.is_object() ? ctx_.names_.find(tok.text) : ctx_.names_.end();
    if (!ctx_.names_.is_object() || it == ctx_.names_.end() || !it->is_string())
      return Err("An expression attribute name used in the document path is not defined; attribute name: " + tok.text);
    ctx_.used_names_.push_back(tok.text);
    return it->get<std::string>();
  }

  Result<Path> ParsePath() {
    Path p;
    const Token& first = Peek();
    if (first.kind != Token::kIdent && first.kind != Token::kName) return Syntax();
    ++pos_;
    CK_ASSIGN_OR_RETURN(std::string n, Name(first));
    p.push_back({n, -1});
    for (;;) {
      if (Punct("[")) {
        if (Peek().kind != Token::kNumber) return Syntax();
        p.push_back({"", std::stoi(Peek().text)});
        ++pos_;
        CK_RETURN_IF_ERROR(Expect("]"));
      } else if (Peek().kind == Token::kPunct && Peek().text == "." ) {
        ++pos_;
        const Token& tok = Peek();
        if (tok.kind != Token::kIdent && tok.kind != Token::kName) return Syntax();
        ++pos_;
        CK_ASSIGN_OR_RETURN(std::string m, Name(tok));
        p.push_back({m, -1});
      } else {
        return p;
      }
    }
  }

  Result<Operand> ValueOperand() {
    const Token& tok = Peek();
    ++pos_;
    auto it = ctx_.values_.is_object() ? ctx_.values_.find(tok.text) : ctx_.values_.end();
    if (!ctx_.values_.is_object() || it == ctx_.values_.end())
      return Err("An expression attribute value used in expression is not defined; attribute value: " + tok.text);
    ctx_.used_values_.push_back(tok.text);
    Operand o;
    o.kind = Operand::kValue;
    o.value = *it;
    o.placeholder = tok.text;
    return o;
  }

  // Condition operands: path, :value, size(path).
  Result<Operand> ParseOperand() {
    const Token& tok = Peek();
    if (tok.kind == Token::kValue) return ValueOperand();
    if (Kw(tok, "size") && Peek(1).kind == Token::kPunct && Peek(1).text == "(") {
      pos_ += 2;
      Operand o;
      o.kind = Operand::kSize;
      CK_ASSIGN_OR_RETURN(o.path, ParsePath());
      CK_RETURN_IF_ERROR(Expect(")"));
      return o;
    }
    if (tok.kind == Token::kIdent && Peek(1).kind == Token::kPunct && Peek(1).text == "(")
      return Err("Invalid function name; function: " + tok.text);
    Operand o;
    o.kind = Operand::kPath;
    CK_ASSIGN_OR_RETURN(o.path, ParsePath());
    return o;
  }

  Result<Condition> ParseOr() {
    CK_ASSIGN_OR_RETURN(Condition left, ParseAnd());
    while (Kw(Peek(), "OR")) {
      ++pos_;
      CK_ASSIGN_OR_RETURN(Condition right, ParseAnd());
      Condition c;
      c.kind = Condition::kOr;
      c.children = {std::move(left), std::move(right)};
      left = std::move(c);
    }
    return left;
  }
  Result<Condition> ParseAnd() {
    CK_ASSIGN_OR_RETURN(Condition left, ParseNot());
    while (Kw(Peek(), "AND")) {
      ++pos_;
      CK_ASSIGN_OR_RETURN(Condition right, ParseNot());
      Condition c;
      c.kind = Condition::kAnd;
      c.children = {std::move(left), std::move(right)};
      left = std::move(c);
    }
    return left;
  }
  Result<Condition> ParseNot() {
    if (Kw(Peek(), "NOT")) {
      ++pos_;
      CK_ASSIGN_OR_RETURN(Condition inner, ParseNot());
      Condition c;
      c.kind = Condition::kNot;
      c.children = {std::move(inner)};
      return c;
    }
    return ParsePrimary();
  }

  Result<Condition> ParseFunction() {
    std::string fn = ToLower(Peek().text);
    Condition c;
    if (fn == "attribute_exists") c.kind = Condition::kExists;
    else if (fn == "attribute_not_exists") c.kind = Condition::kNotExists;
    else if (fn == "attribute_type") c.kind = Condition::kType;
    else if (fn == "begins_with") c.kind = Condition::kBeginsWith;
    else if (fn == "contains") c.kind = Condition::kContains;
    else if (fn == "size") return Syntax();
    else return Err("Invalid function name; function: " + Peek().text);
    pos_ += 2;  // name and "("
    Operand first;
    first.kind = Operand::kPath;
    CK_ASSIGN_OR_RETURN(first.path, ParsePath());
    c.operands.push_back(std::move(first));
    if (c.kind != Condition::kExists && c.kind != Condition::kNotExists) {
      CK_RETURN_IF_ERROR(Expect(","));
      CK_ASSIGN_OR_RETURN(Operand second, ParseOperand());
      c.operands.push_back(std::move(second));
    }
    CK_RETURN_IF_ERROR(Expect(")"));
    return c;
  }

  Result<Condition> ParsePrimary() {
    if (Punct("(")) {
      CK_ASSIGN_OR_RETURN(Condition inner, ParseOr());
      CK_RETURN_IF_ERROR(Expect(")"));
      return inner;
    }
    if (Peek().kind == Token::kIdent && !Kw(Peek(), "size") && Peek(1).kind == Token::kPunct &&
        Peek(1).text == "(")
      return ParseFunction();
    CK_ASSIGN_OR_RETURN(Operand left, ParseOperand());
    Condition c;
    if (Kw(Peek(), "BETWEEN")) {
      ++pos_;
      c.kind = Condition::kBetween;
      CK_ASSIGN_OR_RETURN(Operand lo, ParseOperand());
      if (!Kw(Peek(), "AND")) return Syntax();
      ++pos_;
      CK_ASSIGN_OR_RETURN(Operand hi, ParseOperand());
      c.operands = {std::move(left), std::move(lo), std::move(hi)};
      return c;
    }
    if (Kw(Peek(), "IN")) {
      ++pos_;
      c.kind = Condition::kIn;
      c.operands.push_back(std::move(left));
      CK_RETURN_IF_ERROR(Expect("("));
      do {
        CK_ASSIGN_OR_RETURN(Operand o, ParseOperand());
        c.operands.push_back(std::move(o));
      } while (Punct(","));
      CK_RETURN_IF_ERROR(Expect(")"));
      return c;
    }
    const Token& op = Peek();
    static const std::set<std::string> kOps = {"=", "<>", "<", "<=", ">", ">="};
    if (op.kind != Token::kPunct || !kOps.count(op.text)) return Syntax();
    ++pos_;
    c.kind = Condition::kCompare;
    c.op = op.text;
    CK_ASSIGN_OR_RETURN(Operand right, ParseOperand());
    c.operands = {std::move(left), std::move(right)};
    return c;
  }

  // Update expression values: operand [+|- operand], with if_not_exists and list_append.
  Result<Operand> ParseSetTerm() {
    const Token& tok = Peek();
    bool call = tok.kind == Token::kIdent && Peek(1).kind == Token::kPunct && Peek(1).text == "(";
    if (call) {
      std::string fn = ToLower(tok.text);
      Operand o;
      if (fn == "if_not_exists") o.kind = Operand::kIfNotExists;
      else if (fn == "list_append") o.kind = Operand::kListAppend;
      else return Err("Invalid function name; function: " + tok.text);
      pos_ += 2;
      if (o.kind == Operand::kIfNotExists) {
        Operand p;
        p.kind = Operand::kPath;
        CK_ASSIGN_OR_RETURN(p.path, ParsePath());
        o.args.push_back(std::move(p));
      } else {
        CK_ASSIGN_OR_RETURN(Operand a, ParseSetTerm());
        o.args.push_back(std::move(a));
      }
      CK_RETURN_IF_ERROR(Expect(","));
      CK_ASSIGN_OR_RETURN(Operand b, ParseSetTerm());
      o.args.push_back(std::move(b));
      CK_RETURN_IF_ERROR(Expect(")"));
      return o;
    }
    if (tok.kind == Token::kValue) return ValueOperand();
    Operand o;
    o.kind = Operand::kPath;
    CK_ASSIGN_OR_RETURN(o.path, ParsePath());
    return o;
  }
  Result<Operand> ParseSetValue() {
    CK_ASSIGN_OR_RETURN(Operand left, ParseSetTerm());
    if (Peek().kind == Token::kPunct && (Peek().text == "+" || Peek().text == "-")) {
      Operand o;
      o.kind = Peek().text == "+" ? Operand::kPlus : Operand::kMinus;
      ++pos_;
      CK_ASSIGN_OR_RETURN(Operand right, ParseSetTerm());
      o.args = {std::move(left), std::move(right)};
      return o;
    }
    return left;
  }

  Result<std::vector<UpdateAction>> ParseUpdate() {
    std::vector<UpdateAction> out;
    std::set<std::string> clauses;
    if (AtEnd()) return Syntax();
    while (!AtEnd()) {
      const Token& kw = Peek();
      UpdateAction::Kind kind;
      if (Kw(kw, "SET")) kind = UpdateAction::kSet;
      else if (Kw(kw, "REMOVE")) kind = UpdateAction::kRemove;
      else if (Kw(kw, "ADD")) kind = UpdateAction::kAdd;
      else if (Kw(kw, "DELETE")) kind = UpdateAction::kDelete;
      else return Syntax();
      if (!clauses.insert(ToLower(kw.text)).second)
        return Err("The \"" + std::string(ToLower(kw.text) == "set" ? "SET" : kw.text) +
                   "\" section can only be used once in an update expression;");
      ++pos_;
      do {
        UpdateAction a;
        a.kind = kind;
        CK_ASSIGN_OR_RETURN(a.path, ParsePath());
        if (kind == UpdateAction::kSet) {
          CK_RETURN_IF_ERROR(Expect("="));
          CK_ASSIGN_OR_RETURN(a.value, ParseSetValue());
        } else if (kind == UpdateAction::kAdd || kind == UpdateAction::kDelete) {
          if (Peek().kind != Token::kValue) return Syntax();
          CK_ASSIGN_OR_RETURN(a.value, ValueOperand());
        }
        out.push_back(std::move(a));
      } while (Punct(","));
    }
    // Overlapping paths are refused (AWS: "Two document paths overlap").
    for (size_t i = 0; i < out.size(); ++i)
      for (size_t j = i + 1; j < out.size(); ++j) {
        const Path& a = out[i].path;
        const Path& b = out[j].path;
        size_t n = std::min(a.size(), b.size());
        bool prefix = true;
        for (size_t k = 0; k < n && prefix; ++k) prefix = a[k].name == b[k].name && a[k].index == b[k].index;
        if (prefix) {
          auto list = [](const Path& p) {
            std::string s;
            for (const auto& e : p) s += (s.empty() ? "" : ", ") + (e.index >= 0 ? "[" + std::to_string(e.index) + "]" : e.name);
            return "[" + s + "]";
          };
          return Err(a.size() == b.size()
                         ? "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: " +
                               list(a) + ", path two: " + list(b)
                         : "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: " +
                               list(a) + ", path two: " + list(b));
        }
      }
    return out;
  }

  ExpressionContext& ctx_;
  std::vector<Token> t_;
  std::string kind_;
  size_t pos_ = 0;
};

ExpressionContext::ExpressionContext(const Json& names, const Json& values) : names_(names), values_(values) {}

namespace {
Result<std::vector<Token>> Lex(const std::string& text, const std::string& kind) {
  if (text.empty()) return DdbValidation("Invalid " + kind + ": The expression can not be empty;");
  std::string bad;
  auto toks = Tokenize(text, &bad);
  if (!toks) return DdbValidation("Invalid " + kind + ": Syntax error; token: \"" + bad + "\", near: \"" + text + "\"");
  return std::move(*toks);
}
}  // namespace

Result<Condition> ExpressionContext::ParseCondition(const std::string& text, const std::string& kind) {
  CK_ASSIGN_OR_RETURN(auto toks, Lex(text, kind));
  Parser p(*this, std::move(toks), kind);
  CK_ASSIGN_OR_RETURN(Condition c, p.ParseOr());
  if (!p.AtEnd()) return p.Syntax();
  return c;
}

Result<std::vector<Path>> ExpressionContext::ParseProjection(const std::string& text) {
  CK_ASSIGN_OR_RETURN(auto toks, Lex(text, "ProjectionExpression"));
  Parser p(*this, std::move(toks), "ProjectionExpression");
  std::vector<Path> out;
  do {
    CK_ASSIGN_OR_RETURN(Path path, p.ParsePath());
    out.push_back(std::move(path));
  } while (p.Punct(","));
  if (!p.AtEnd()) return p.Syntax();
  return out;
}

Result<std::vector<UpdateAction>> ExpressionContext::ParseUpdate(const std::string& text) {
  CK_ASSIGN_OR_RETURN(auto toks, Lex(text, "UpdateExpression"));
  Parser p(*this, std::move(toks), "UpdateExpression");
  return p.ParseUpdate();
}

Status ExpressionContext::CheckAllUsed() const {
  auto unused = [](const Json& supplied, const std::vector<std::string>& used) {
    std::string list;
    if (!supplied.is_object()) return list;
    for (auto it = supplied.begin(); it != supplied.end(); ++it)
      if (std::find(used.begin(), used.end(), it.key()) == used.end()) list += (list.empty() ? "" : ", ") + it.key();
    return list;
  };
  std::string v = unused(values_, used_values_);
  if (!v.empty()) return DdbValidation("Value provided in ExpressionAttributeValues unused in expressions: keys: {" + v + "}");
  std::string n = unused(names_, used_names_);
  if (!n.empty()) return DdbValidation("Value provided in ExpressionAttributeNames unused in expressions: keys: {" + n + "}");
  return Status::Ok();
}

}  // namespace ck::services::ddb
