#include "services/dynamodb/operation_support.h"

#include "services/dynamodb/attribute_value.h"
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

namespace {
bool Given(const std::optional<std::string>* text) { return text && *text; }
}  // namespace

Result<Expressions> ParseExpressions(const ExpressionParams& p) {
  const bool has_names = p.names && *p.names, has_values = p.values && *p.values;
  Json values = has_values ? ValuesJson(*p.values) : Json(nullptr);
  ddb::ExpressionContext ctx(has_names ? NamesJson(*p.names) : Json(nullptr), values);
  if (has_values)
    for (auto& [k, av] : values.items()) {
      Json copy = av;
      Status s = ddb::ValidateAndNormalize(&copy);
      if (!s.ok())
        return errors::Validation("ExpressionAttributeValues contains invalid value: " + s.message() + " for key " + k);
    }
  Expressions e;
  if (Given(p.condition)) {
    CK_ASSIGN_OR_RETURN(e.condition, ctx.ParseCondition(**p.condition, "ConditionExpression"));
  }
  if (Given(p.projection)) {
    CK_ASSIGN_OR_RETURN(e.projection, ctx.ParseProjection(**p.projection));
  }
  if (Given(p.update)) {
    CK_ASSIGN_OR_RETURN(e.update, ctx.ParseUpdate(**p.update));
  }
  if (has_names && (*p.names)->empty()) return errors::Validation("ExpressionAttributeNames must not be empty");
  if (has_values && (*p.values)->empty()) return errors::Validation("ExpressionAttributeValues must not be empty");
  if ((has_names || has_values) && !e.condition && !e.projection && !e.update)
    return errors::Validation(
        "ExpressionAttributeNames and ExpressionAttributeValues can only be specified when using expressions");
  CK_RETURN_IF_ERROR(ctx.CheckAllUsed());
  return e;
}

Result<bool> ConditionHolds(const Expressions& e, const std::optional<Json>& old) {
  if (!e.condition) return true;
  return ddb::Evaluate(*e.condition, old ? *old : Json::object());
}

Status ConditionFailed(const std::optional<Json>& old, bool return_old) {
  Status s = errors::ConditionalCheckFailed("The conditional request failed");
  if (return_old && old && old->is_object() && !old->empty()) s.WithJsonField("Item", old->dump());
  return s;
}

bool ReturnOldOnFailure(const std::optional<EnumValue<api::dynamodb::ReturnValuesOnConditionCheckFailure>>& v) {
  return v && *v == api::dynamodb::ReturnValuesOnConditionCheckFailure::kAllOld;
}

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
