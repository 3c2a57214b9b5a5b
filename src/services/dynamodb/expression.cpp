#include "services/dynamodb/expression.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <set>

#include "base/codec.h"
#include "services/dynamodb/attribute_value.h"
#include "services/dynamodb/decimal.h"
#include "services/dynamodb/limits.h"

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
    ctx_.used_names_.insert(tok.text);
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
        int index = 0;
        const std::string& digits = Peek().text;
        auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), index);
        if (ec != std::errc()) return Syntax();  // past INT_MAX (AWS's answer is not known)
        p.push_back({"", index});
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
    ctx_.used_values_.insert(tok.text);
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
      CK_RETURN_IF_ERROR(CountOperator());
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

  // One operator or function more; refused past DynamoDB's limit, so that
  // neither parsing nor the recursion over the parsed tree goes deeper.
  Status CountOperator() {
    if (++operators_ > ctx_.limits_.max_operators) return TooManyOperators(kind_, operators_);
    return Status::Ok();
  }

  // condition := disjunct (OR disjunct)*; disjunct := negation (AND negation)*;
  // negation := NOT negation | '(' condition ')' | primary. Parsed without
  // recursion (operator precedence with explicit stacks), so parentheses may
  // nest as deep as the expression's length allows; AND/OR/NOT nodes are
  // bounded by the operator limit.
  Result<Condition> ParseCondition() {
    enum Op { kOpenParen, kOr, kAnd, kNot };
    std::vector<Op> ops;
    std::vector<Condition> out;
    auto precedence = [](Op op) { return op == kOr ? 1 : op == kAnd ? 2 : 3; };
    auto reduce = [&]() {
      Op op = ops.back();
      ops.pop_back();
      Condition c;
      if (op == kNot) {
        c.kind = Condition::kNot;
        c.children.push_back(std::move(out.back()));
        out.pop_back();
      } else {
        // a AND b AND c is one node of three children: chains stay flat.
        Condition::Kind kind = op == kAnd ? Condition::kAnd : Condition::kOr;
        Condition right = std::move(out.back());
        out.pop_back();
        if (out.back().kind == kind) {
          out.back().children.push_back(std::move(right));
          return;
        }
        c.kind = kind;
        c.children.push_back(std::move(out.back()));
        c.children.push_back(std::move(right));
        out.pop_back();
      }
      out.push_back(std::move(c));
    };
    bool want_operand = true;
    for (;;) {
      if (want_operand) {
        if (Kw(Peek(), "NOT")) {
          CK_RETURN_IF_ERROR(CountOperator());
          ++pos_;
          ops.push_back(kNot);
        } else if (Punct("(")) {
          ops.push_back(kOpenParen);
        } else {
          CK_ASSIGN_OR_RETURN(Condition c, ParsePrimary());
          out.push_back(std::move(c));
          want_operand = false;
        }
        continue;
      }
      bool is_or = Kw(Peek(), "OR");
      if (is_or || Kw(Peek(), "AND")) {
        CK_RETURN_IF_ERROR(CountOperator());
        ++pos_;
        Op op = is_or ? kOr : kAnd;
        while (!ops.empty() && ops.back() != kOpenParen && precedence(ops.back()) >= precedence(op)) reduce();
        ops.push_back(op);
        want_operand = true;
        continue;
      }
      if (Peek().kind == Token::kPunct && Peek().text == ")" &&
          std::find(ops.begin(), ops.end(), kOpenParen) != ops.end()) {
        ++pos_;
        while (ops.back() != kOpenParen) reduce();
        ops.pop_back();
        continue;
      }
      break;  // the caller decides whether what follows may follow
    }
    while (!ops.empty()) {
      if (ops.back() == kOpenParen) return Syntax();  // an unclosed '('
      reduce();
    }
    return std::move(out.back());
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
    CK_RETURN_IF_ERROR(CountOperator());
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

  // A comparison, BETWEEN, IN or function call: no nested conditions.
  Result<Condition> ParsePrimary() {
    if (Peek().kind == Token::kIdent && !Kw(Peek(), "size") && Peek(1).kind == Token::kPunct &&
        Peek(1).text == "(")
      return ParseFunction();
    CK_ASSIGN_OR_RETURN(Operand left, ParseOperand());
    Condition c;
    if (Kw(Peek(), "BETWEEN")) {
      CK_RETURN_IF_ERROR(CountOperator());
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
      CK_RETURN_IF_ERROR(CountOperator());
      ++pos_;
      c.kind = Condition::kIn;
      c.operands.push_back(std::move(left));
      CK_RETURN_IF_ERROR(Expect("("));
      do {
        CK_ASSIGN_OR_RETURN(Operand o, ParseOperand());
        c.operands.push_back(std::move(o));
      } while (Punct(","));
      CK_RETURN_IF_ERROR(Expect(")"));
      if (c.operands.size() - 1 > ctx_.limits_.max_in_operands) return TooManyInOperands(kind_, c.operands.size() - 1);
      return c;
    }
    const Token& op = Peek();
    static const std::set<std::string> kOps = {"=", "<>", "<", "<=", ">", ">="};
    if (op.kind != Token::kPunct || !kOps.count(op.text)) return Syntax();
    CK_RETURN_IF_ERROR(CountOperator());
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
      CK_RETURN_IF_ERROR(CountOperator());  // before recursing into the arguments
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
      CK_RETURN_IF_ERROR(CountOperator());
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
    // Sorted, a path that is a prefix of another sorts next to a path it is a
    // prefix of, so neighbours tell whether any pair overlaps in n log n; only
    // then are pairs searched in request order, for the message.
    std::vector<const Path*> sorted;
    for (const auto& a : out) sorted.push_back(&a.path);
    auto elem_less = [](const PathElem& x, const PathElem& y) {
      return x.index != y.index ? x.index < y.index : x.name < y.name;
    };
    std::sort(sorted.begin(), sorted.end(), [&](const Path* x, const Path* y) {
      return std::lexicographical_compare(x->begin(), x->end(), y->begin(), y->end(), elem_less);
    });
    bool any_overlap = false;
    for (size_t i = 1; i < sorted.size() && !any_overlap; ++i) {
      const Path& a = *sorted[i - 1];
      const Path& b = *sorted[i];
      any_overlap = a.size() <= b.size() && std::equal(a.begin(), a.end(), b.begin(), [](const PathElem& x, const PathElem& y) {
                      return x.name == y.name && x.index == y.index;
                    });
    }
    if (!any_overlap) return out;
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
  int operators_ = 0;
};

ExpressionContext::ExpressionContext(const Json& names, const Json& values, ExpressionLimits limits)
    : names_(names), values_(values), limits_(limits) {}

namespace {
Result<std::vector<Token>> Lex(const std::string& text, const std::string& kind, const ExpressionLimits& limits) {
  if (text.empty()) return DdbValidation("Invalid " + kind + ": The expression can not be empty;");
  if (text.size() > limits.max_bytes) return ExpressionTooLarge(kind, text.size());
  std::string bad;
  auto toks = Tokenize(text, &bad);
  if (!toks) return DdbValidation("Invalid " + kind + ": Syntax error; token: \"" + bad + "\", near: \"" + text + "\"");
  return std::move(*toks);
}
}  // namespace

Status ExpressionContext::CheckSubstitutions() {
  if (checked_) return Status::Ok();
  checked_ = true;
  size_t total = 0;
  if (names_.is_object())
    for (auto it = names_.begin(); it != names_.end(); ++it) {
      if (it.key().size() > kMaxPlaceholderBytes) return PlaceholderTooLong("ExpressionAttributeNames", it.key());
      // An empty name would write an attribute no item may have (found by
      // ddb_expression_fuzz: SET #e = :v with "#e": "").
      if (!it->is_string() || it->get_ref<const std::string&>().empty())
        return DdbValidation("ExpressionAttributeNames contains invalid value: Empty attribute name for key " + it.key());
      total += it.key().size() + it->get_ref<const std::string&>().size();
    }
  if (values_.is_object())
    for (auto it = values_.begin(); it != values_.end(); ++it) {
      if (it.key().size() > kMaxPlaceholderBytes) return PlaceholderTooLong("ExpressionAttributeValues", it.key());
      total += it.key().size() + AttributeValueSize(*it);
    }
  if (total > kMaxSubstitutionBytes) return SubstitutionsTooLarge(total);
  return Status::Ok();
}

Result<Condition> ExpressionContext::ParseCondition(const std::string& text, const std::string& kind) {
  CK_RETURN_IF_ERROR(CheckSubstitutions());
  CK_ASSIGN_OR_RETURN(auto toks, Lex(text, kind, limits_));
  Parser p(*this, std::move(toks), kind);
  CK_ASSIGN_OR_RETURN(Condition c, p.ParseCondition());
  if (!p.AtEnd()) return p.Syntax();
  return c;
}

Result<std::vector<Path>> ExpressionContext::ParseProjection(const std::string& text) {
  CK_RETURN_IF_ERROR(CheckSubstitutions());
  CK_ASSIGN_OR_RETURN(auto toks, Lex(text, "ProjectionExpression", limits_));
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
  CK_RETURN_IF_ERROR(CheckSubstitutions());
  CK_ASSIGN_OR_RETURN(auto toks, Lex(text, "UpdateExpression", limits_));
  Parser p(*this, std::move(toks), "UpdateExpression");
  return p.ParseUpdate();
}

Status ExpressionContext::CheckAllUsed() const {
  auto unused = [](const Json& supplied, const std::set<std::string>& used) {
    std::string list;
    if (!supplied.is_object()) return list;
    for (auto it = supplied.begin(); it != supplied.end(); ++it)
      if (!used.count(it.key())) list += (list.empty() ? "" : ", ") + it.key();
    return list;
  };
  std::string v = unused(values_, used_values_);
  if (!v.empty()) return DdbValidation("Value provided in ExpressionAttributeValues unused in expressions: keys: {" + v + "}");
  std::string n = unused(names_, used_names_);
  if (!n.empty()) return DdbValidation("Value provided in ExpressionAttributeNames unused in expressions: keys: {" + n + "}");
  return Status::Ok();
}

}  // namespace ck::services::ddb
