// Query and Scan: a prefix scan over the table's (or one partition's) items
// in key order, with the key condition, Limit (items evaluated), the 1 MB
// page cap, FilterExpression (after Limit, as AWS applies it), projection and
// ExclusiveStartKey / LastEvaluatedKey paging.
#include <algorithm>

#include "base/cancel.h"
#include "services/dynamodb/attribute_value.h"
#include "services/dynamodb/dynamodb_service.h"
#include "services/dynamodb/errors.h"
#include "services/dynamodb/expression.h"
#include "services/dynamodb/operation_support.h"
#include "storage/key_codec.h"

namespace ck::services::dynamodb {

namespace api = ::ck::api::dynamodb;

// The parameters Query and Scan share (Scan's have no key condition or
// direction, Query's no segments).
struct ReadRequest {
  bool query = false;
  const std::string* table_name = nullptr;
  bool index_name = false;
  const std::optional<std::string>* key_condition = nullptr;
  const std::optional<std::string>* filter = nullptr;
  const std::optional<std::string>* projection = nullptr;
  const std::optional<std::map<std::string, std::string>>* names = nullptr;
  const std::optional<ApiItem>* values = nullptr;
  const std::optional<EnumValue<api::Select>>* select = nullptr;
  std::optional<int32_t> limit, segment, total_segments;
  bool forward = true;
  const std::optional<ApiItem>* exclusive_start_key = nullptr;
  const ReturnConsumed* consumed = nullptr;
};

struct ReadResult {
  bool count_only = false;
  std::vector<ApiItem> items;
  int32_t count = 0, scanned = 0;
  std::optional<ApiItem> last_key;
  std::optional<api::ConsumedCapacity> consumed;
};

namespace {

template <typename In>
ReadRequest RequestOf(const In& in) {
  ReadRequest r;
  r.table_name = &in.table_name;
  r.index_name = in.index_name.has_value();
  r.filter = &in.filter_expression;
  r.projection = &in.projection_expression;
  r.names = &in.expression_attribute_names;
  r.values = &in.expression_attribute_values;
  r.select = &in.select;
  r.limit = in.limit;
  r.exclusive_start_key = &in.exclusive_start_key;
  r.consumed = &in.return_consumed_capacity;
  if constexpr (requires { in.key_condition_expression; }) {
    r.query = true;
    r.key_condition = &in.key_condition_expression;
    r.forward = in.scan_index_forward.value_or(true);
  } else {
    r.segment = in.segment;
    r.total_segments = in.total_segments;
  }
  return r;
}

template <typename Out>
Out OutputOf(ReadResult&& r) {
  Out out;
  out.count = r.count;
  out.scanned_count = r.scanned;
  if (!r.count_only) out.items = std::move(r.items);
  out.last_evaluated_key = std::move(r.last_key);
  out.consumed_capacity = std::move(r.consumed);
  return out;
}

void Conjuncts(const ddb::Condition& c, std::vector<const ddb::Condition*>* out) {
  if (c.kind == ddb::Condition::kAnd) {
    for (const auto& child : c.children) Conjuncts(child, out);
  } else {
    out->push_back(&c);
  }
}

const char* OperatorName(const ddb::Condition& c) {
  switch (c.kind) {
    case ddb::Condition::kOr: return "OR";
    case ddb::Condition::kNot: return "NOT";
    case ddb::Condition::kIn: return "IN";
    case ddb::Condition::kContains: return "contains";
    case ddb::Condition::kExists: return "attribute_exists";
    case ddb::Condition::kNotExists: return "attribute_not_exists";
    case ddb::Condition::kType: return "attribute_type";
    case ddb::Condition::kCompare: return c.op == "<>" ? "<>" : "";
    default: return "";
  }
}

Status SchemaTypeMismatch() {
  return errors::Validation("One or more parameter values were invalid: Condition parameter type does not match schema type");
}

Status OneConditionPerKey() {
  return errors::Validation("KeyConditionExpressions must only contain one condition per key");
}

// Checks the key condition's shape and returns the partition key value.
Result<Json> AnalyzeKeyCondition(const TableRecord& t, const ddb::Condition& c, bool* has_range) {
  std::vector<const ddb::Condition*> parts;
  Conjuncts(c, &parts);
  std::optional<Json> hash;
  *has_range = false;
  for (const auto* p : parts) {
    std::string bad = OperatorName(*p);
    if (!bad.empty()) return errors::Validation("Invalid operator used in KeyConditionExpression: " + bad);
    const ddb::Operand& lhs = p->operands[0];
    if (lhs.kind != ddb::Operand::kPath || lhs.path.size() != 1)
      return errors::Validation("Invalid KeyConditionExpression: The key condition must be on a key attribute");
    const std::string& attr = lhs.path[0].name;
    for (size_t i = 1; i < p->operands.size(); ++i)
      if (p->operands[i].kind != ddb::Operand::kValue)
        return errors::Validation("Invalid KeyConditionExpression: The operand of a key condition must be a value");
    if (attr == t.hash_key) {
      if (p->kind != ddb::Condition::kCompare || p->op != "=")
        return errors::Validation("Query key condition not supported");
      if (hash) return OneConditionPerKey();
      hash = p->operands[1].value;
      if (ddb::TypeOf(*hash) != t.hash_type) return SchemaTypeMismatch();
    } else if (!t.range_key.empty() && attr == t.range_key) {
      if (*has_range) return OneConditionPerKey();
      *has_range = true;
      for (size_t i = 1; i < p->operands.size(); ++i)
        if (ddb::TypeOf(p->operands[i].value) != t.range_type) return SchemaTypeMismatch();
    } else {
      return errors::Validation("Query condition missed key schema element: " + (hash ? t.range_key : t.hash_key));
    }
  }
  if (!hash) return errors::Validation("Query condition missed key schema element: " + t.hash_key);
  return *hash;
}

void CollectNames(const ddb::Condition& c, std::vector<std::string>* out) {
  for (const auto& o : c.operands) {
    if (o.kind == ddb::Operand::kPath || o.kind == ddb::Operand::kSize) out->push_back(o.path[0].name);
  }
  for (const auto& ch : c.children) CollectNames(ch, out);
}

uint32_t Fnv1a(const std::string& s) {
  uint32_t h = 2166136261u;
  for (unsigned char c : s) h = (h ^ c) * 16777619u;
  return h;
}

// A read, checked and ready to run.
struct ReadPlan {
  std::optional<ddb::Condition> key_condition, filter;
  std::optional<std::vector<ddb::Path>> projection;
  bool has_range = false;
  std::string select;
  size_t limit = SIZE_MAX;
  int segment = 0, total_segments = 0;
  storage::ScanOptions scan;
};

// The expressions, and for a Query the partition the key condition names.
Status PlanExpressions(const ReadRequest& in, const TableRecord& t, ReadPlan* plan) {
  Json values = *in.values ? ValuesJson(*in.values) : Json(nullptr);
  ddb::ExpressionContext ex(*in.names ? NamesJson(*in.names) : Json(nullptr), values);
  if (*in.values)
    for (const auto& [name, av] : values.items()) {
      Json copy = av;
      Status s = ddb::ValidateAndNormalize(&copy);
      if (!s.ok())
        return errors::Validation("ExpressionAttributeValues contains invalid value: " + s.message() + " for key " + name);
    }
  plan->scan.prefix = t.ItemPrefix();
  if (in.query) {
    if (!*in.key_condition)
      return errors::Validation(
          "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.");
    CK_ASSIGN_OR_RETURN(plan->key_condition, ex.ParseCondition(**in.key_condition, "KeyConditionExpression"));
  }
  if (*in.filter) {
    CK_ASSIGN_OR_RETURN(plan->filter, ex.ParseCondition(**in.filter, "FilterExpression"));
  }
  if (*in.projection) {
    CK_ASSIGN_OR_RETURN(plan->projection, ex.ParseProjection(**in.projection));
  }
  CK_RETURN_IF_ERROR(ex.CheckAllUsed());
  if (!in.query) return Status::Ok();
  // Key conditions normalize their values (numbers) so comparisons are exact.
  CK_ASSIGN_OR_RETURN(Json hash, AnalyzeKeyCondition(t, *plan->key_condition, &plan->has_range));
  CK_RETURN_IF_ERROR(ddb::ValidateAndNormalize(&hash));
  storage::AppendKeyPart(&plan->scan.prefix, ddb::KeyBytes(hash));
  if (plan->filter) {
    std::vector<std::string> names;
    CollectNames(*plan->filter, &names);
    for (const auto& n : names)
      if (n == t.hash_key || n == t.range_key)
        return errors::Validation(
            "Filter Expression can only contain non-primary key attributes: Primary key attribute: " + n);
  }
  return Status::Ok();
}

Result<ReadPlan> Plan(const ReadRequest& in, const TableRecord& t) {
  ReadPlan plan;
  CK_RETURN_IF_ERROR(PlanExpressions(in, t, &plan));
  plan.select = *in.select ? std::string((*in.select)->str())
                           : plan.projection ? "SPECIFIC_ATTRIBUTES" : "ALL_ATTRIBUTES";
  if (plan.select == "ALL_PROJECTED_ATTRIBUTES")
    return errors::Validation("One or more parameter values were invalid: Select type ALL_PROJECTED_ATTRIBUTES is "
                              "supported only for index queries");
  if (plan.projection && plan.select != "SPECIFIC_ATTRIBUTES")
    return errors::Validation("One or more parameter values were invalid: Cannot specify the ProjectionExpression "
                              "when choosing to get " + plan.select);
  if (in.limit) plan.limit = static_cast<size_t>(*in.limit);
  plan.total_segments = in.total_segments.value_or(0);
  plan.segment = in.segment.value_or(0);
  if (in.segment.has_value() != in.total_segments.has_value())
    return errors::Validation("The TotalSegments parameter is required but was not present in the request when "
                              "Segment parameter is present");
  if (plan.total_segments > 0 && plan.segment >= plan.total_segments)
    return errors::Validation("The Segment parameter is zero-based and must be less than parameter TotalSegments: "
                              "Segment: " + std::to_string(plan.segment) + " is not less than TotalSegments: " +
                              std::to_string(plan.total_segments));
  plan.scan.limit = 256;
  plan.scan.reverse = in.query && !in.forward;
  if (*in.exclusive_start_key) {
    CK_ASSIGN_OR_RETURN(Json k, KeyParam(t, **in.exclusive_start_key, "The provided starting key is invalid: "));
    plan.scan.start_after = ItemStorageKey(t, k);
  }
  return plan;
}

// One item met by the scan: counted, filtered, kept. False when the page is full.
Result<bool> Visit(const ReadPlan& plan, const TableRecord& t, const Json& item, ReadResult* r, size_t* bytes) {
  ++r->scanned;
  *bytes += ddb::ItemSize(item);
  bool keep = true;
  if (plan.filter) {
    CK_ASSIGN_OR_RETURN(keep, ddb::Evaluate(*plan.filter, item));
  }
  if (keep) {
    ++r->count;
    if (!r->count_only) {
      CK_ASSIGN_OR_RETURN(ApiItem typed, ToApi(plan.projection ? ddb::Project(item, *plan.projection) : item));
      r->items.push_back(std::move(typed));
    }
  }
  if (static_cast<size_t>(r->scanned) < plan.limit && *bytes < kMaxPageBytes) return true;
  CK_ASSIGN_OR_RETURN(r->last_key, ToApi(KeyOf(t, item)));
  return false;
}

}  // namespace

Result<ReadResult> DynamoDbService::Read(const ReadRequest& in, RequestContext& ctx) {
  if (in.index_name) return errors::NotImplemented("crosskey's DynamoDB does not implement secondary indexes");
  CK_ASSIGN_OR_RETURN(TableRecord t, LoadTable(*in.table_name, ctx, in.query ? "Query" : "Scan"));
  CK_ASSIGN_OR_RETURN(ReadPlan plan, Plan(in, t));
  CK_ASSIGN_OR_RETURN(TableKey key, UnwrapTableKey(t, ctx));
  ReadResult r;
  r.count_only = plan.select == "COUNT";
  size_t bytes = 0;
  for (bool more = true; more;) {
    CK_RETURN_IF_ERROR(CheckCancelled());  // shutting down: stop between pages
    CK_ASSIGN_OR_RETURN(auto recs, store_.Scan(kItems, plan.scan));
    for (const auto& rec : recs) {
      CK_RETURN_IF_ERROR(CheckCancelled());
      CK_ASSIGN_OR_RETURN(Json item, OpenItem(key, t, rec.key, rec.value));
      if (plan.total_segments > 0 &&
          static_cast<int>(Fnv1a(ddb::KeyBytes(item.at(t.hash_key))) % static_cast<uint32_t>(plan.total_segments)) !=
              plan.segment)
        continue;
      if (plan.has_range) {
        CK_ASSIGN_OR_RETURN(bool in_range, ddb::Evaluate(*plan.key_condition, item));
        if (!in_range) continue;
      }
      CK_ASSIGN_OR_RETURN(more, Visit(plan, t, item, &r, &bytes));
      if (!more) break;
    }
    if (recs.size() < plan.scan.limit) break;
    plan.scan.start_after = recs.back().key;
  }
  if (*in.consumed && **in.consumed != api::ReturnConsumedCapacity::kNone) {
    r.consumed.emplace();
    r.consumed->table_name = t.name;
    r.consumed->capacity_units = std::max(0.5, static_cast<double>((bytes + 4095) / 4096) * 0.5);
  }
  return r;
}

Result<api::QueryOutput> DynamoDbService::Query(const api::QueryInput& in, RequestContext& ctx) {
  CK_RETURN_IF_ERROR(RefuseLegacy(in));
  CK_ASSIGN_OR_RETURN(ReadResult r, Read(RequestOf(in), ctx));
  return OutputOf<api::QueryOutput>(std::move(r));
}

Result<api::ScanOutput> DynamoDbService::Scan(const api::ScanInput& in, RequestContext& ctx) {
  CK_RETURN_IF_ERROR(RefuseLegacy(in));
  CK_ASSIGN_OR_RETURN(ReadResult r, Read(RequestOf(in), ctx));
  return OutputOf<api::ScanOutput>(std::move(r));
}

}  // namespace ck::services::dynamodb
