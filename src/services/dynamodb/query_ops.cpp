// Query and Scan: a prefix scan over the table's (or one partition's) items
// in key order, with the key condition, Limit (items evaluated), the 1 MB
// page cap, FilterExpression (after Limit, as AWS applies it), projection and
// ExclusiveStartKey / LastEvaluatedKey paging.
//
// A read of a secondary index (IndexName) visits the table's items that carry
// the index's key attributes, ordered by the index key (then the table key),
// each reduced to the index's projection; its LastEvaluatedKey holds the
// table key and the index key, as in AWS. Index entries are not stored, so an
// index read reads the whole table.
#include <algorithm>
#include <set>

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
  const std::optional<std::string>* index_name = nullptr;
  std::optional<bool> consistent_read;
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
  r.index_name = &in.index_name;
  r.consistent_read = in.consistent_read;
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

// The table as an index presents it: the index's key attributes in the
// table's key fields, so the key-condition checks read the same way.
TableRecord IndexView(const TableRecord& t, const IndexRecord& i) {
  TableRecord v;
  v.name = t.name;
  v.hash_key = i.hash_key;
  v.hash_type = i.hash_type;
  v.range_key = i.range_key;
  v.range_type = i.range_type;
  return v;
}

// The item as the index holds it: everything (ALL), or the table and index
// keys (KEYS_ONLY) and the listed attributes (INCLUDE).
Json ProjectForIndex(const TableRecord& t, const IndexRecord& i, const Json& item) {
  if (i.projection == "ALL") return item;
  Json out = Json::object();
  auto keep = [&](const std::string& name) {
    if (name.empty()) return;
    auto it = item.find(name);
    if (it != item.end()) out[name] = *it;
  };
  for (const auto& n : {t.hash_key, t.range_key, i.hash_key, i.range_key}) keep(n);
  for (const auto& n : i.non_key_attributes) keep(n);
  return out;
}

// The position of an item in an index: index key, then table key, as bytes
// that order as the index does.
std::string IndexPosition(const TableRecord& t, const IndexRecord& i, const Json& item) {
  std::string k;
  storage::AppendKeyPart(&k, ddb::KeyBytes(item.at(i.hash_key)));
  if (!i.range_key.empty()) storage::AppendKeyPart(&k, ddb::KeyBytes(item.at(i.range_key)));
  storage::AppendKeyPart(&k, ItemStorageKey(t, item));
  return k;
}

// The table and index key attributes of an item (an index read's LastEvaluatedKey).
Json IndexKeyOf(const TableRecord& t, const IndexRecord& i, const Json& item) {
  Json k = KeyOf(t, item);
  k[i.hash_key] = item.at(i.hash_key);
  if (!i.range_key.empty()) k[i.range_key] = item.at(i.range_key);
  return k;
}

bool HasIndexKeys(const IndexRecord& i, const Json& item) {
  auto typed = [&](const std::string& name, const std::string& type) {
    auto it = item.find(name);
    return it != item.end() && ddb::TypeOf(*it) == type;
  };
  return typed(i.hash_key, i.hash_type) && (i.range_key.empty() || typed(i.range_key, i.range_type));
}

uint32_t Fnv1a(const std::string& s) {
  uint32_t h = 2166136261u;
  for (unsigned char c : s) h = (h ^ c) * 16777619u;
  return h;
}

// A read, checked and ready to run.
struct ReadPlan {
  const IndexRecord* index = nullptr;  // an index read
  std::string index_start;              // its ExclusiveStartKey as an IndexPosition
  std::string hash_bytes;               // an index Query's partition (KeyBytes)
  std::optional<ddb::Condition> key_condition, filter;
  std::optional<std::vector<ddb::Path>> projection;
  bool has_range = false;
  std::string select;
  size_t limit = SIZE_MAX;
  int segment = 0, total_segments = 0;
  storage::ScanOptions scan;
};

// The expressions, and for a Query the partition the key condition names.
Status PlanExpressions(const ReadRequest& in, const TableRecord& table, ReadPlan* plan) {
  // Key conditions and filters speak of the index's keys for an index read.
  const TableRecord view = plan->index ? IndexView(table, *plan->index) : TableRecord();
  const TableRecord& t = plan->index ? view : table;
  Json values = *in.values ? ValuesJson(*in.values) : Json(nullptr);
  ddb::ExpressionContext ex(*in.names ? NamesJson(*in.names) : Json(nullptr), values);
  if (*in.values)
    for (const auto& [name, av] : values.items()) {
      Json copy = av;
      Status s = ddb::ValidateAndNormalize(&copy);
      if (!s.ok())
        return errors::Validation("ExpressionAttributeValues contains invalid value: " + s.message() + " for key " + name);
    }
  plan->scan.prefix = table.ItemPrefix();
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
  if (plan->index) {
    plan->hash_bytes = ddb::KeyBytes(hash);
  } else {
    storage::AppendKeyPart(&plan->scan.prefix, ddb::KeyBytes(hash));
  }
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
  if (*in.index_name) {
    plan.index = t.FindIndex(**in.index_name);
    if (!plan.index) return errors::Validation("The table does not have the specified index: " + **in.index_name);
    if (plan.index->global && in.consistent_read.value_or(false))
      return errors::Validation("Consistent reads are not supported on global secondary indexes");
  }
  CK_RETURN_IF_ERROR(PlanExpressions(in, t, &plan));
  plan.select = *in.select ? std::string((*in.select)->str())
                : plan.projection ? "SPECIFIC_ATTRIBUTES"
                : plan.index      ? "ALL_PROJECTED_ATTRIBUTES"
                                  : "ALL_ATTRIBUTES";
  if (plan.select == "ALL_PROJECTED_ATTRIBUTES" && !plan.index)
    return errors::Validation("One or more parameter values were invalid: Select type ALL_PROJECTED_ATTRIBUTES is "
                              "supported only for index queries");
  // Texts of the index refusals as DynamoDB answers them (UNVERIFIED against a recording).
  if (plan.select == "ALL_ATTRIBUTES" && plan.index && plan.index->global && plan.index->projection != "ALL")
    return errors::Validation("One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not "
                              "supported for global secondary index " + plan.index->name +
                              " because its projection type is not ALL");
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
  if (*in.exclusive_start_key && plan.index) {
    // The table key and the index key, nothing else.
    const IndexRecord& i = *plan.index;
    Json k = ToJson(**in.exclusive_start_key);
    for (auto& [name, v] : k.items()) CK_RETURN_IF_ERROR(ddb::ValidateAndNormalize(&v));
    std::set<std::string> want;
    for (const auto& n : {t.hash_key, t.range_key, i.hash_key, i.range_key})
      if (!n.empty()) want.insert(n);
    bool ok = k.size() == want.size();
    for (const auto& n : want) ok = ok && k.contains(n);
    if (ok) ok = HasIndexKeys(i, k) && ddb::TypeOf(k.at(t.hash_key)) == t.hash_type &&
                 (t.range_key.empty() || ddb::TypeOf(k.at(t.range_key)) == t.range_type);
    if (!ok) return errors::Validation("The provided starting key is invalid: The provided key element does not match the schema");
    plan.index_start = IndexPosition(t, i, k);
  } else if (*in.exclusive_start_key) {
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
  CK_ASSIGN_OR_RETURN(r->last_key, ToApi(plan.index ? IndexKeyOf(t, *plan.index, item) : KeyOf(t, item)));
  return false;
}

}  // namespace

Result<ReadResult> DynamoDbService::Read(const ReadRequest& in, RequestContext& ctx) {
  CK_ASSIGN_OR_RETURN(TableRecord t, LoadTable(*in.table_name, ctx, in.query ? "Query" : "Scan"));
  CK_ASSIGN_OR_RETURN(ReadPlan plan, Plan(in, t));
  CK_ASSIGN_OR_RETURN(TableKey key, UnwrapTableKey(t, ctx));
  ReadResult r;
  r.count_only = plan.select == "COUNT";
  size_t bytes = 0;
  if (plan.index) {
    // Every item carrying the index key (of the queried partition), in index order.
    const IndexRecord& i = *plan.index;
    std::vector<std::pair<std::string, Json>> rows;
    storage::ScanOptions all{.prefix = t.ItemPrefix(), .limit = 256};
    for (;;) {
      CK_RETURN_IF_ERROR(CheckCancelled());
      CK_ASSIGN_OR_RETURN(auto recs, store_.Scan(kItems, all));
      for (const auto& rec : recs) {
        CK_ASSIGN_OR_RETURN(Json item, OpenItem(key, t, rec.key, rec.value));
        if (!HasIndexKeys(i, item)) continue;
        if (in.query && ddb::KeyBytes(item.at(i.hash_key)) != plan.hash_bytes) continue;
        std::string pos = IndexPosition(t, i, item);
        if (!plan.index_start.empty() && (plan.scan.reverse ? pos >= plan.index_start : pos <= plan.index_start))
          continue;
        rows.emplace_back(std::move(pos), std::move(item));
      }
      if (recs.size() < all.limit) break;
      all.start_after = recs.back().key;
    }
    std::sort(rows.begin(), rows.end(), [&](const auto& a, const auto& b) {
      return plan.scan.reverse ? a.first > b.first : a.first < b.first;
    });
    for (auto& [pos, item] : rows) {
      CK_RETURN_IF_ERROR(CheckCancelled());
      if (plan.total_segments > 0 &&
          static_cast<int>(Fnv1a(ddb::KeyBytes(item.at(i.hash_key))) % static_cast<uint32_t>(plan.total_segments)) !=
              plan.segment)
        continue;
      if (plan.has_range) {
        CK_ASSIGN_OR_RETURN(bool in_range, ddb::Evaluate(*plan.key_condition, item));
        if (!in_range) continue;
      }
      // The index holds the projected item; ALL_ATTRIBUTES of a local index
      // reads the rest from the table.
      Json held = plan.select == "ALL_ATTRIBUTES" ? item : ProjectForIndex(t, i, item);
      CK_ASSIGN_OR_RETURN(bool more, Visit(plan, t, held, &r, &bytes));
      if (!more) {
        // The page's last key names the table and index keys of the item, projected or not.
        CK_ASSIGN_OR_RETURN(r.last_key, ToApi(IndexKeyOf(t, i, item)));
        break;
      }
    }
  }
  for (bool more = !plan.index; more;) {
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
