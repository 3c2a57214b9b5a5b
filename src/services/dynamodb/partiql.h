// The PartiQL subset DynamoDB accepts (ExecuteStatement, BatchExecuteStatement,
// ExecuteTransaction), parsed into the same condition and update trees the
// expression language uses (expression.h):
//
//   SELECT * | path, ... FROM table[."index"] [WHERE condition]
//   INSERT INTO table VALUE {'attr': value, ...}
//   UPDATE table SET path = value [, ...] | REMOVE path [...] WHERE condition
//   DELETE FROM table WHERE condition
//
// Names may be double-quoted ("my-table", "a.b"); strings are single-quoted
// ('it''s'); values are strings, numbers, TRUE/FALSE, NULL, lists [...],
// maps {'k': v}, sets <<...>> and `?` parameters (taken in order from the
// request's Parameters). Conditions: = <> != < <= > >=, BETWEEN, IN [...],
// IS [NOT] MISSING, IS [NOT] NULL, AND/OR/NOT, parentheses, begins_with,
// contains, attribute_type, size. SET values: a value, a path, or one of them
// plus or minus another.
//
// Errors are DynamoDB's ValidationException "Statement wasn't well formed,
// can't be processed: ..." (the detail after the colon is crosskey's).
// Nesting is bounded (32 levels of values, 300 operators), so parsing and
// later recursion over the trees stay bounded.
//
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "services/dynamodb/expression.h"

namespace ck::services::ddb {

struct PartiqlStatement {
  enum Kind { kSelect, kInsert, kUpdate, kDelete } kind = kSelect;
  std::string table;
  std::string index;                        // SELECT ... FROM table."index"
  std::optional<std::vector<Path>> projection;  // SELECT paths; nullopt: *
  Json item;                                // INSERT: the item (attribute-value map)
  std::vector<UpdateAction> updates;        // UPDATE: SET / REMOVE actions
  std::optional<Condition> where;
};

// `parameters` are AttributeValues in wire form (JSON), consumed by `?` in order.
Result<PartiqlStatement> ParsePartiql(const std::string& text, const std::vector<Json>& parameters);

// The conjuncts of a WHERE clause that are `attr = value` on a top-level
// attribute: attribute → value (the first one for each attribute).
std::vector<std::pair<std::string, Json>> EqualityConjuncts(const Condition& c);
// The condition without the conjuncts that compare `names` for equality
// (nullopt when nothing else is left).
std::optional<Condition> WithoutEqualities(const Condition& c, const std::vector<std::string>& names);

}  // namespace ck::services::ddb
