// Pieces the item, transaction, query and scan operations share: the refusal
// of legacy parameters, the expression parameters parsed together (with
// DynamoDB's checks of unused or empty placeholder maps), conditions and
// their failure, and ConsumedCapacity. Internal to the DynamoDB service files.
//
// Thread safety: pure functions.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <type_traits>

#include "api/dynamodb.h"
#include "base/status.h"
#include "services/dynamodb/expression.h"
#include "services/dynamodb/items.h"

namespace ck::services::dynamodb {

Status LegacyParameter(const char* name);

// The legacy (pre-expression) parameters a request carries answer 501
// rather than being ignored; the first present one, in this order, is named.
template <typename In>
Status RefuseLegacy(const In& in) {
  if constexpr (requires { in.key_conditions; })
    if (in.key_conditions) return LegacyParameter("KeyConditions");
  if constexpr (requires { in.query_filter; })
    if (in.query_filter) return LegacyParameter("QueryFilter");
  if constexpr (requires { in.scan_filter; })
    if (in.scan_filter) return LegacyParameter("ScanFilter");
  if constexpr (requires { in.expected; })
    if (in.expected) return LegacyParameter("Expected");
  if constexpr (requires { in.attributes_to_get; })
    if (in.attributes_to_get) return LegacyParameter("AttributesToGet");
  if constexpr (requires { in.attribute_updates; })
    if (in.attribute_updates) return LegacyParameter("AttributeUpdates");
  if constexpr (requires { in.conditional_operator; })
    if (in.conditional_operator) return LegacyParameter("ConditionalOperator");
  return Status::Ok();
}

// ExpressionAttributeNames / ExpressionAttributeValues as the expression
// code takes them: an object, or null when absent.
Json NamesJson(const std::optional<std::map<std::string, std::string>>& names);
Json ValuesJson(const std::optional<ApiItem>& values);

// The expression parameters of one request (members it lacks stay null).
struct ExpressionParams {
  const std::optional<std::string>* condition = nullptr;
  const std::optional<std::string>* projection = nullptr;
  const std::optional<std::string>* update = nullptr;
  const std::optional<std::map<std::string, std::string>>* names = nullptr;
  const std::optional<ApiItem>* values = nullptr;
};

template <typename M>
inline constexpr bool kOptionalString = std::is_same_v<std::remove_cvref_t<M>, std::optional<std::string>>;

// The optional expressions of a request shape (a required one, like a
// ConditionCheck's ConditionExpression, the caller points to itself).
template <typename In>
ExpressionParams ParamsOf(const In& in) {
  ExpressionParams p;
  if constexpr (requires { in.condition_expression; })
    if constexpr (kOptionalString<decltype(in.condition_expression)>) p.condition = &in.condition_expression;
  if constexpr (requires { in.projection_expression; }) p.projection = &in.projection_expression;
  if constexpr (requires { in.update_expression; })
    if constexpr (kOptionalString<decltype(in.update_expression)>) p.update = &in.update_expression;
  if constexpr (requires { in.expression_attribute_names; }) p.names = &in.expression_attribute_names;
  if constexpr (requires { in.expression_attribute_values; }) p.values = &in.expression_attribute_values;
  return p;
}

struct Expressions {
  std::optional<ddb::Condition> condition;
  std::optional<std::vector<ddb::Path>> projection;
  std::optional<std::vector<ddb::UpdateAction>> update;
};

// Parses the expressions, checking placeholders (all used, maps not empty,
// maps only with expressions).
Result<Expressions> ParseExpressions(const ExpressionParams& p);
template <typename In>
Result<Expressions> ParseExpressions(const In& in) {
  return ParseExpressions(ParamsOf(in));
}

// Whether the condition (if any) holds for the item as stored (nullopt: absent).
Result<bool> ConditionHolds(const Expressions& e, const std::optional<Json>& old);

// ConditionalCheckFailedException "The conditional request failed"; with
// `return_old` (ReturnValuesOnConditionCheckFailure ALL_OLD) it carries the
// item as it was ("Item", recorded), when there was one.
Status ConditionFailed(const std::optional<Json>& old, bool return_old);
bool ReturnOldOnFailure(const std::optional<EnumValue<api::dynamodb::ReturnValuesOnConditionCheckFailure>>& v);

// The ConsumedCapacity to report for `units` on `table`, or none when the
// request asked for none.
using ReturnConsumed = std::optional<EnumValue<api::dynamodb::ReturnConsumedCapacity>>;
std::optional<api::dynamodb::ConsumedCapacity> Consumed(const ReturnConsumed& asked, const std::string& table,
                                                        double units);

}  // namespace ck::services::dynamodb
