// Pieces the item, query and scan operations share: the refusal of legacy
// parameters, the expression placeholders as the expression code reads them,
// and ConsumedCapacity. Internal to the DynamoDB service files.
//
// Thread safety: pure functions.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "api/dynamodb.h"
#include "base/status.h"
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

// The ConsumedCapacity to report for `units` on `table`, or none when the
// request asked for none.
using ReturnConsumed = std::optional<EnumValue<api::dynamodb::ReturnConsumedCapacity>>;
std::optional<api::dynamodb::ConsumedCapacity> Consumed(const ReturnConsumed& asked, const std::string& table,
                                                        double units);

}  // namespace ck::services::dynamodb
