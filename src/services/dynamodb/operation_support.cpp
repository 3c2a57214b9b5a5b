#include "services/dynamodb/operation_support.h"

#include "services/dynamodb/errors.h"

namespace ck::services::dynamodb {

Status LegacyParameter(const char* name) {
  return errors::NotImplemented(std::string("crosskey's DynamoDB does not implement the legacy parameter ") + name +
                                "; use expressions");
}

Json NamesJson(const std::optional<std::map<std::string, std::string>>& names) {
  return names ? fields::EncodeValue(*names) : Json(nullptr);
}

Json ValuesJson(const std::optional<ApiItem>& values) { return values ? ToJson(*values) : Json(nullptr); }

std::optional<api::dynamodb::ConsumedCapacity> Consumed(const ReturnConsumed& asked, const std::string& table,
                                                        double units) {
  if (!asked || *asked == api::dynamodb::ReturnConsumedCapacity::kNone) return std::nullopt;
  api::dynamodb::ConsumedCapacity c;
  c.table_name = table;
  c.capacity_units = units;
  if (*asked == api::dynamodb::ReturnConsumedCapacity::kIndexes) {
    c.table.emplace();
    c.table->capacity_units = units;
  }
  return c;
}

}  // namespace ck::services::dynamodb
