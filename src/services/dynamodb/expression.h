// DynamoDB expressions: condition/filter/key-condition expressions,
// projection expressions and update expressions, parsed into small trees and
// evaluated against items (JSON objects of name → AttributeValue).
// `#name` and `:value` placeholders resolve through an ExpressionContext that
// also remembers which placeholders were used, so the request can be refused
// with DynamoDB's "unused in expressions" error, as AWS does.
//
// Limits (limits.h) are enforced while parsing: an expression over 4 KB is
// refused before it is read, operators and functions are counted as they are
// met (at most 300), IN lists hold at most 100 values. Parsing is linear in
// the expression's length and never recurses deeper than the operator limit,
// so a parsed tree is at most that deep for Evaluate and ApplyUpdate.
//
// Thread safety: parsed trees are immutable values; a context is per request.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "services/dynamodb/limits.h"

namespace ck::services::ddb {

using Json = nlohmann::json;

struct PathElem {
  std::string name;  // map member (or top-level attribute)
  int index = -1;    // >= 0: list element
};
using Path = std::vector<PathElem>;
std::string PathToString(const Path& p);

struct Operand {
  enum Kind { kPath, kValue, kSize, kIfNotExists, kListAppend, kPlus, kMinus };
  Kind kind = kValue;
  Path path;
  Json value;
  std::string placeholder;  // ":v", for messages
  std::vector<Operand> args;
};

struct Condition {
  enum Kind { kCompare, kBetween, kIn, kAnd, kOr, kNot, kExists, kNotExists, kType, kBeginsWith, kContains };
  Kind kind = kCompare;
  std::string op;  // kCompare: "=", "<>", "<", "<=", ">", ">="
  std::vector<Operand> operands;
  // kAnd / kOr: two or more (a chain of one operator is one node); kNot: one.
  std::vector<Condition> children;
};

struct UpdateAction {
  enum Kind { kSet, kRemove, kAdd, kDelete };
  Kind kind = kSet;
  Path path;
  Operand value;
};

// The limits a context parses under: DynamoDB's, unless a test needs others.
struct ExpressionLimits {
  size_t max_bytes = kMaxExpressionBytes;
  int max_operators = kMaxExpressionOperators;
  size_t max_in_operands = kMaxInOperands;
};

class ExpressionContext {
 public:
  // Either may be null/absent (json null).
  ExpressionContext(const Json& names, const Json& values, ExpressionLimits limits = {});

  // `kind` names the request member in messages: "ConditionExpression".
  Result<Condition> ParseCondition(const std::string& text, const std::string& kind);
  Result<std::vector<Path>> ParseProjection(const std::string& text);
  Result<std::vector<UpdateAction>> ParseUpdate(const std::string& text);

  // Refuses placeholders that were supplied but never used (call after parsing all).
  Status CheckAllUsed() const;

 private:
  friend class Parser;
  // The placeholder limits (limits.h), checked once, by the first Parse*.
  Status CheckSubstitutions();

  Json names_, values_;
  ExpressionLimits limits_;
  std::set<std::string> used_names_, used_values_;
  bool checked_ = false;
};

// nullopt when the path does not exist in the item.
std::optional<Json> ResolvePath(const Json& item, const Path& path);
Result<bool> Evaluate(const Condition& c, const Json& item);
// The item reduced to the projected paths.
Json Project(const Json& item, const std::vector<Path>& paths);
// Applies the actions to *item in order. Errors carry DynamoDB's messages.
Status ApplyUpdate(const std::vector<UpdateAction>& actions, Json* item);

}  // namespace ck::services::ddb
