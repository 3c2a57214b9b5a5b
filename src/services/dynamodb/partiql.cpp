#include "services/dynamodb/partiql.h"

#include <cctype>
#include <set>

#include "base/codec.h"
#include "services/dynamodb/attribute_value.h"

namespace ck::services::ddb {

namespace {

constexpr int kMaxDepth = 32;       // nested values and parentheses
constexpr int kMaxOperators = 300;  // as for expressions (limits.h)

struct Tok {
  enum Kind { kIdent, kQuoted, kString, kNumber, kPunct, kParam, kEnd } kind;
  std::string text;
};

Status Malformed(const std::string& detail) {
  return DdbValidation("Statement wasn't well formed, can't be processed: " + detail);
}

Result<std::vector<Tok>> Lex(const std::string& s) {
  std::vector<Tok> out;
  size_t i = 0;
  auto starts = [&](const char* p) { return s.compare(i, std::char_traits<char>::length(p), p) == 0; };
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (std::isspace(c)) {
      ++i;
    } else if (c == '\'' || c == '"') {
      // '' (or "") inside a literal is the quote itself.
      std::string text;
      size_t j = i + 1;
      for (;;) {
        if (j >= s.size()) return Malformed("unterminated quoted text");
        if (s[j] == static_cast<char>(c)) {
          if (j + 1 < s.size() && s[j + 1] == static_cast<char>(c)) {
            text += s[j];
            j += 2;
            continue;
          }
          break;
        }
        text += s[j++];
      }
      out.push_back({c == '\'' ? Tok::kString : Tok::kQuoted, std::move(text)});
      i = j + 1;
    } else if (std::isalpha(c) || c == '_') {
      size_t j = i;
      while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_')) ++j;
      out.push_back({Tok::kIdent, s.substr(i, j - i)});
      i = j;
    } else if (std::isdigit(c) || (c == '.' && i + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[i + 1])))) {
      size_t j = i;
      while (j < s.size() && (std::isdigit(static_cast<unsigned char>(s[j])) || s[j] == '.')) ++j;
      if (j < s.size() && (s[j] == 'e' || s[j] == 'E')) {
        size_t k = j + 1;
        if (k < s.size() && (s[k] == '+' || s[k] == '-')) ++k;
        if (k < s.size() && std::isdigit(static_cast<unsigned char>(s[k]))) {
          j = k;
          while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
        }
      }
      out.push_back({Tok::kNumber, s.substr(i, j - i)});
      i = j;
    } else if (c == '?') {
      out.push_back({Tok::kParam, "?"});
      ++i;
    } else if (starts("<<") || starts(">>") || starts("<>") || starts("!=") || starts("<=") || starts(">=")) {
      out.push_back({Tok::kPunct, s.substr(i, 2)});
      i += 2;
    } else if (std::string_view("{}[](),:.=<>+-*;").find(static_cast<char>(c)) != std::string_view::npos) {
      out.push_back({Tok::kPunct, std::string(1, static_cast<char>(c))});
      ++i;
    } else {
      return Malformed("unexpected character '" + std::string(1, static_cast<char>(c)) + "'");
    }
  }
  out.push_back({Tok::kEnd, "<EOF>"});
  return out;
}

class Parser {
 public:
  Parser(std::vector<Tok> toks, const std::vector<Json>& params) : t_(std::move(toks)), params_(params) {}

  Result<PartiqlStatement> Statement() {
    PartiqlStatement st;
    if (Kw("SELECT")) {
      st.kind = PartiqlStatement::kSelect;
      if (!Punct("*")) {
        st.projection.emplace();
        do {
          CK_ASSIGN_OR_RETURN(Path p, ParsePath());
          st.projection->push_back(std::move(p));
        } while (Punct(","));
      }
      CK_RETURN_IF_ERROR(ExpectKw("FROM"));
      CK_ASSIGN_OR_RETURN(st.table, Name());
      if (Punct(".")) {
        CK_ASSIGN_OR_RETURN(st.index, Name());
      }
      if (Kw("WHERE")) {
        CK_ASSIGN_OR_RETURN(st.where, Or(0));
      }
    } else if (Kw("INSERT")) {
      st.kind = PartiqlStatement::kInsert;
      CK_RETURN_IF_ERROR(ExpectKw("INTO"));
      CK_ASSIGN_OR_RETURN(st.table, Name());
      CK_RETURN_IF_ERROR(ExpectKw("VALUE"));
      if (Peek().text != "{") return Unexpected();
      CK_ASSIGN_OR_RETURN(Json v, Value(0));
      st.item = std::move(ContentOf(v));
    } else if (Kw("UPDATE")) {
      st.kind = PartiqlStatement::kUpdate;
      CK_ASSIGN_OR_RETURN(st.table, Name());
      bool any = false;
      for (;;) {
        if (Kw("SET")) {
          do {
            UpdateAction a;
            a.kind = UpdateAction::kSet;
            CK_ASSIGN_OR_RETURN(a.path, ParsePath());
            CK_RETURN_IF_ERROR(Expect("="));
            CK_ASSIGN_OR_RETURN(a.value, SetValue());
            st.updates.push_back(std::move(a));
          } while (Punct(","));
        } else if (Kw("REMOVE")) {
          do {
            UpdateAction a;
            a.kind = UpdateAction::kRemove;
            CK_ASSIGN_OR_RETURN(a.path, ParsePath());
            st.updates.push_back(std::move(a));
          } while (Punct(","));
        } else {
          break;
        }
        any = true;
      }
      if (!any) return Unexpected();
      CK_RETURN_IF_ERROR(ExpectKw("WHERE"));
      CK_ASSIGN_OR_RETURN(st.where, Or(0));
    } else if (Kw("DELETE")) {
      st.kind = PartiqlStatement::kDelete;
      CK_RETURN_IF_ERROR(ExpectKw("FROM"));
      CK_ASSIGN_OR_RETURN(st.table, Name());
      CK_RETURN_IF_ERROR(ExpectKw("WHERE"));
      CK_ASSIGN_OR_RETURN(st.where, Or(0));
    } else {
      return Unexpected();
    }
    Punct(";");
    if (Peek().kind != Tok::kEnd) return Unexpected();
    if (next_param_ != params_.size())
      return DdbValidation("Number of parameters in request and statement don't match.");
    return st;
  }

 private:
  const Tok& Peek(size_t ahead = 0) const { return t_[std::min(pos_ + ahead, t_.size() - 1)]; }
  bool Kw(const char* word) {
    if (Peek().kind == Tok::kIdent && EqualsIgnoreCase(Peek().text, word)) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool IsKw(const char* word, size_t ahead = 0) const {
    return Peek(ahead).kind == Tok::kIdent && EqualsIgnoreCase(Peek(ahead).text, word);
  }
  bool Punct(const char* p) {
    if (Peek().kind == Tok::kPunct && Peek().text == p) {
      ++pos_;
      return true;
    }
    return false;
  }
  Status Unexpected() const {
    const Tok& t = Peek();
    if (t.kind == Tok::kEnd) return Malformed("Unexpected end of statement");
    return Malformed("Unexpected token: " + t.text);
  }
  Status Expect(const char* p) { return Punct(p) ? Status::Ok() : Unexpected(); }
  Status ExpectKw(const char* w) { return Kw(w) ? Status::Ok() : Unexpected(); }
  Status Count() {
    if (++operators_ > kMaxOperators) return Malformed("too many operators");
    return Status::Ok();
  }

  Result<std::string> Name() {
    const Tok& t = Peek();
    if (t.kind != Tok::kIdent && t.kind != Tok::kQuoted) return Unexpected();
    ++pos_;
    return t.text;
  }

  Result<Path> ParsePath() {
    Path p;
    CK_ASSIGN_OR_RETURN(std::string first, Name());
    p.push_back({first, -1});
    for (;;) {
      if (Punct(".")) {
        CK_ASSIGN_OR_RETURN(std::string n, Name());
        p.push_back({n, -1});
      } else if (Peek().text == "[" && Peek(1).kind == Tok::kNumber) {
        pos_ += 1;
        const std::string& digits = Peek().text;
        if (digits.find_first_not_of("0123456789") != std::string::npos || digits.size() > 9) return Unexpected();
        p.push_back({"", std::stoi(digits)});
        ++pos_;
        CK_RETURN_IF_ERROR(Expect("]"));
      } else {
        return p;
      }
    }
  }

  // A literal or parameter as an AttributeValue.
  Result<Json> Value(int depth) {
    if (depth > kMaxDepth) return Malformed("values nested too deeply");
    const Tok& t = Peek();
    if (t.kind == Tok::kString) {
      ++pos_;
      return Json{{"S", t.text}};
    }
    if (t.kind == Tok::kNumber || (t.text == "-" && Peek(1).kind == Tok::kNumber)) {
      std::string text;
      if (t.text == "-") {
        text = "-";
        ++pos_;
      }
      text += Peek().text;
      ++pos_;
      Json v = {{"N", text}};
      CK_RETURN_IF_ERROR(ValidateAndNormalize(&v));
      return v;
    }
    if (t.kind == Tok::kParam) {
      ++pos_;
      if (next_param_ >= params_.size())
        return DdbValidation("Number of parameters in request and statement don't match.");
      Json v = params_[next_param_++];
      CK_RETURN_IF_ERROR(ValidateAndNormalize(&v));
      return v;
    }
    if (IsKw("TRUE") || IsKw("FALSE")) {
      bool b = IsKw("TRUE");
      ++pos_;
      return Json{{"BOOL", b}};
    }
    if (IsKw("NULL")) {
      ++pos_;
      return Json{{"NULL", true}};
    }
    if (Punct("[")) return List(depth);
    if (Punct("{")) return Map(depth);
    if (Punct("<<")) return Set(depth);
    return Unexpected();
  }

  // [v, ...] (after the "[").
  Result<Json> List(int depth) {
    Json list = Json::array();
    if (Punct("]")) return Json{{"L", std::move(list)}};
    do {
      CK_ASSIGN_OR_RETURN(Json v, Value(depth + 1));
      list.push_back(std::move(v));
    } while (Punct(","));
    CK_RETURN_IF_ERROR(Expect("]"));
    return Json{{"L", std::move(list)}};
  }

  // {'k': v, ...} (after the "{").
  Result<Json> Map(int depth) {
    Json map = Json::object();
    if (Punct("}")) return Json{{"M", std::move(map)}};
    do {
      const Tok& k = Peek();
      if (k.kind != Tok::kString && k.kind != Tok::kQuoted) return Unexpected();
      std::string key = k.text;
      ++pos_;
      CK_RETURN_IF_ERROR(Expect(":"));
      CK_ASSIGN_OR_RETURN(Json v, Value(depth + 1));
      if (map.contains(key)) return Malformed("duplicate map key " + key);
      map[key] = std::move(v);
    } while (Punct(","));
    CK_RETURN_IF_ERROR(Expect("}"));
    return Json{{"M", std::move(map)}};
  }

  // <<v, ...>> (after the "<<"): members of one type S, N or B.
  Result<Json> Set(int depth) {
    std::vector<Json> members;
    do {
      CK_ASSIGN_OR_RETURN(Json v, Value(depth + 1));
      members.push_back(std::move(v));
    } while (Punct(","));
    CK_RETURN_IF_ERROR(Expect(">>"));
    std::string type = TypeOf(members[0]);
    if (type != "S" && type != "N" && type != "B") return Malformed("sets hold strings, numbers or binaries");
    Json set = Json::array();
    for (auto& m : members) {
      if (TypeOf(m) != type) return Malformed("a set's members must have one type");
      set.push_back(std::move(ContentOf(m)));
    }
    Json v = {{type + "S", std::move(set)}};
    CK_RETURN_IF_ERROR(ValidateAndNormalize(&v));
    return v;
  }

  bool AtValue() const {
    const Tok& t = Peek();
    return t.kind == Tok::kString || t.kind == Tok::kNumber || t.kind == Tok::kParam || t.text == "[" ||
           t.text == "{" || t.text == "<<" || (t.text == "-" && Peek(1).kind == Tok::kNumber) || IsKw("TRUE") ||
           IsKw("FALSE") || IsKw("NULL");
  }

  Result<Operand> Term(int depth) {
    Operand o;
    if (AtValue()) {
      o.kind = Operand::kValue;
      CK_ASSIGN_OR_RETURN(o.value, Value(depth));
      return o;
    }
    if (IsKw("size") && Peek(1).text == "(") {
      pos_ += 2;
      CK_RETURN_IF_ERROR(Count());
      o.kind = Operand::kSize;
      CK_ASSIGN_OR_RETURN(o.path, ParsePath());
      CK_RETURN_IF_ERROR(Expect(")"));
      return o;
    }
    o.kind = Operand::kPath;
    CK_ASSIGN_OR_RETURN(o.path, ParsePath());
    return o;
  }

  Result<Operand> SetValue() {
    CK_ASSIGN_OR_RETURN(Operand left, Term(0));
    if (Peek().text == "+" || Peek().text == "-") {
      Operand o;
      o.kind = Peek().text == "+" ? Operand::kPlus : Operand::kMinus;
      ++pos_;
      CK_RETURN_IF_ERROR(Count());
      CK_ASSIGN_OR_RETURN(Operand right, Term(0));
      o.args = {std::move(left), std::move(right)};
      return o;
    }
    return left;
  }

  Result<Condition> Or(int depth) {
    CK_ASSIGN_OR_RETURN(Condition first, And(depth));
    if (!IsKw("OR")) return first;
    Condition c;
    c.kind = Condition::kOr;
    c.children.push_back(std::move(first));
    while (Kw("OR")) {
      CK_RETURN_IF_ERROR(Count());
      CK_ASSIGN_OR_RETURN(Condition next, And(depth));
      c.children.push_back(std::move(next));
    }
    return c;
  }

  Result<Condition> And(int depth) {
    CK_ASSIGN_OR_RETURN(Condition first, Not(depth));
    if (!IsKw("AND")) return first;
    Condition c;
    c.kind = Condition::kAnd;
    c.children.push_back(std::move(first));
    while (Kw("AND")) {
      CK_RETURN_IF_ERROR(Count());
      CK_ASSIGN_OR_RETURN(Condition next, Not(depth));
      c.children.push_back(std::move(next));
    }
    return c;
  }

  Result<Condition> Not(int depth) {
    if (Kw("NOT")) {
      CK_RETURN_IF_ERROR(Count());
      if (depth + 1 > kMaxDepth) return Malformed("conditions nested too deeply");
      Condition c;
      c.kind = Condition::kNot;
      CK_ASSIGN_OR_RETURN(Condition inner, Not(depth + 1));
      c.children.push_back(std::move(inner));
      return c;
    }
    return Predicate(depth);
  }

  Result<Condition> Function(Condition::Kind kind) {
    pos_ += 2;  // name and "("
    CK_RETURN_IF_ERROR(Count());
    Condition c;
    c.kind = kind;
    Operand path;
    path.kind = Operand::kPath;
    CK_ASSIGN_OR_RETURN(path.path, ParsePath());
    CK_RETURN_IF_ERROR(Expect(","));
    CK_ASSIGN_OR_RETURN(Operand arg, Term(0));
    CK_RETURN_IF_ERROR(Expect(")"));
    c.operands = {std::move(path), std::move(arg)};
    return c;
  }

  Result<Condition> Predicate(int depth) {
    if (Punct("(")) {
      if (depth + 1 > kMaxDepth) return Malformed("conditions nested too deeply");
      CK_ASSIGN_OR_RETURN(Condition inner, Or(depth + 1));
      CK_RETURN_IF_ERROR(Expect(")"));
      return inner;
    }
    if (Peek(1).text == "(") {
      if (IsKw("begins_with")) return Function(Condition::kBeginsWith);
      if (IsKw("contains")) return Function(Condition::kContains);
      if (IsKw("attribute_type")) return Function(Condition::kType);
    }
    CK_ASSIGN_OR_RETURN(Operand left, Term(0));
    Condition c;
    if (Kw("IS")) {
      CK_RETURN_IF_ERROR(Count());
      bool negated = Kw("NOT");
      if (left.kind != Operand::kPath) return Unexpected();
      if (Kw("MISSING")) {
        c.kind = negated ? Condition::kExists : Condition::kNotExists;
        c.operands = {std::move(left)};
        return c;
      }
      if (!Kw("NULL")) return Unexpected();
      c.kind = Condition::kType;
      Operand type;
      type.kind = Operand::kValue;
      type.value = Json{{"S", "NULL"}};
      c.operands = {std::move(left), std::move(type)};
      if (!negated) return c;
      Condition n;
      n.kind = Condition::kNot;
      n.children.push_back(std::move(c));
      return n;
    }
    if (Kw("BETWEEN")) {
      CK_RETURN_IF_ERROR(Count());
      CK_ASSIGN_OR_RETURN(Operand lo, Term(0));
      CK_RETURN_IF_ERROR(ExpectKw("AND"));
      CK_ASSIGN_OR_RETURN(Operand hi, Term(0));
      c.kind = Condition::kBetween;
      c.operands = {std::move(left), std::move(lo), std::move(hi)};
      return c;
    }
    if (Kw("IN")) {
      CK_RETURN_IF_ERROR(Count());
      const char* close = Punct("[") ? "]" : Punct("(") ? ")" : nullptr;
      if (!close) return Unexpected();
      c.kind = Condition::kIn;
      c.operands.push_back(std::move(left));
      do {
        CK_ASSIGN_OR_RETURN(Operand v, Term(0));
        c.operands.push_back(std::move(v));
        if (c.operands.size() > 101) return Malformed("too many IN operands");
      } while (Punct(","));
      CK_RETURN_IF_ERROR(Expect(close));
      return c;
    }
    static const std::set<std::string> kOps = {"=", "<>", "!=", "<", "<=", ">", ">="};
    if (Peek().kind != Tok::kPunct || !kOps.count(Peek().text)) return Unexpected();
    c.kind = Condition::kCompare;
    c.op = Peek().text == "!=" ? "<>" : Peek().text;
    ++pos_;
    CK_RETURN_IF_ERROR(Count());
    CK_ASSIGN_OR_RETURN(Operand right, Term(0));
    c.operands = {std::move(left), std::move(right)};
    return c;
  }

  std::vector<Tok> t_;
  const std::vector<Json>& params_;
  size_t pos_ = 0, next_param_ = 0;
  int operators_ = 0;
};

void Conjuncts(const Condition& c, std::vector<const Condition*>* out) {
  if (c.kind == Condition::kAnd) {
    for (const auto& ch : c.children) Conjuncts(ch, out);
  } else {
    out->push_back(&c);
  }
}

// `attr = value` (either way round) on a top-level attribute: its name.
std::optional<std::string> EqualityName(const Condition& c) {
  if (c.kind != Condition::kCompare || c.op != "=") return std::nullopt;
  const Operand& a = c.operands[0];
  const Operand& b = c.operands[1];
  if (a.kind == Operand::kPath && a.path.size() == 1 && b.kind == Operand::kValue) return a.path[0].name;
  if (b.kind == Operand::kPath && b.path.size() == 1 && a.kind == Operand::kValue) return b.path[0].name;
  return std::nullopt;
}

}  // namespace

Result<PartiqlStatement> ParsePartiql(const std::string& text, const std::vector<Json>& parameters) {
  CK_ASSIGN_OR_RETURN(auto toks, Lex(text));
  Parser p(std::move(toks), parameters);
  return p.Statement();
}

std::vector<std::pair<std::string, Json>> EqualityConjuncts(const Condition& c) {
  std::vector<const Condition*> parts;
  Conjuncts(c, &parts);
  std::vector<std::pair<std::string, Json>> out;
  std::set<std::string> seen;
  for (const auto* p : parts) {
    auto name = EqualityName(*p);
    if (!name || !seen.insert(*name).second) continue;
    const Operand& v = p->operands[0].kind == Operand::kValue ? p->operands[0] : p->operands[1];
    out.emplace_back(*name, v.value);
  }
  return out;
}

std::optional<Condition> WithoutEqualities(const Condition& c, const std::vector<std::string>& names) {
  std::vector<const Condition*> parts;
  Conjuncts(c, &parts);
  std::set<std::string> removed;
  Condition rest;
  rest.kind = Condition::kAnd;
  for (const auto* p : parts) {
    auto name = EqualityName(*p);
    if (name && std::find(names.begin(), names.end(), *name) != names.end() && removed.insert(*name).second) continue;
    rest.children.push_back(*p);
  }
  if (rest.children.empty()) return std::nullopt;
  if (rest.children.size() == 1) return rest.children[0];
  return rest;
}

}  // namespace ck::services::ddb
