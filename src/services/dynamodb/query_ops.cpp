// Query and Scan: a prefix scan over the table's (or one partition's) items
// in key order, with the key condition, Limit (items evaluated), the 1 MB
// page cap, FilterExpression (after Limit, as AWS applies it), projection and
// ExclusiveStartKey / LastEvaluatedKey paging.
#include "services/dynamodb/attribute_value.h"
#include "services/dynamodb/dynamodb_internal.h"
#include "services/dynamodb/dynamodb_service.h"
#include "services/dynamodb/expression.h"
#include "storage/key_codec.h"

namespace ck::services {

using nlohmann::json;
using ddb::DdbValidation;
using ddb::Str;

namespace {

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

// Checks the key condition's shape and returns the partition key value.
Result<json> AnalyzeKeyCondition(const ddb::Table& t, const ddb::Condition& c, bool* has_range) {
  std::vector<const ddb::Condition*> parts;
  Conjuncts(c, &parts);
  std::optional<json> hash;
  *has_range = false;
  for (const auto* p : parts) {
    std::string bad = OperatorName(*p);
    if (!bad.empty()) return DdbValidation("Invalid operator used in KeyConditionExpression: " + bad);
    const ddb::Operand& lhs = p->operands[0];
    if (lhs.kind != ddb::Operand::kPath || lhs.path.size() != 1)
      return DdbValidation("Invalid KeyConditionExpression: The key condition must be on a key attribute");
    const std::string& attr = lhs.path[0].name;
    for (size_t i = 1; i < p->operands.size(); ++i)
      if (p->operands[i].kind != ddb::Operand::kValue)
        return DdbValidation("Invalid KeyConditionExpression: The operand of a key condition must be a value");
    if (attr == t.hash_key) {
      if (p->kind != ddb::Condition::kCompare || p->op != "=")
        return DdbValidation("Query key condition not supported");
      if (hash) return DdbValidation("KeyConditionExpressions must only contain one condition per key");
      hash = p->operands[1].value;
      if (ddb::TypeOf(*hash) != t.hash_type)
        return DdbValidation("One or more parameter values were invalid: Condition parameter type does not match schema type");
    } else if (!t.range_key.empty() && attr == t.range_key) {
      if (*has_range) return DdbValidation("KeyConditionExpressions must only contain one condition per key");
      *has_range = true;
      for (size_t i = 1; i < p->operands.size(); ++i) {
        std::string vt = ddb::TypeOf(p->operands[i].value);
        if (vt != t.range_type)
          return DdbValidation("One or more parameter values were invalid: Condition parameter type does not match schema type");
      }
    } else {
      return DdbValidation("Query condition missed key schema element: " + (hash ? t.range_key : t.hash_key));
    }
  }
  if (!hash) return DdbValidation("Query condition missed key schema element: " + t.hash_key);
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

}  // namespace

Result<json> DynamoDbService::QueryOrScan(const json& in, RequestContext& ctx, bool query) {
  for (const char* p : {"KeyConditions", "QueryFilter", "ScanFilter", "AttributesToGet", "ConditionalOperator"})
    if (in.contains(p))
      return Unimplemented(std::string("crosskey's DynamoDB does not implement the legacy parameter ") + p +
                           "; use expressions")
               .WithAws("NotImplementedException", 501);
  if (in.contains("IndexName")) return Unimplemented("crosskey's DynamoDB does not implement secondary indexes")
               .WithAws("NotImplementedException", 501);
  CK_ASSIGN_OR_RETURN(ddb::Table t, LoadTable(in, ctx, query ? "Query" : "Scan"));

  ddb::ExpressionContext ex(in.value("ExpressionAttributeNames", json(nullptr)),
                            in.value("ExpressionAttributeValues", json(nullptr)));
  if (auto v = in.find("ExpressionAttributeValues"); v != in.end() && v->is_object())
    for (auto& [k, av] : v->items()) {
      json copy = av;
      Status s = ddb::ValidateAndNormalize(&copy);
      if (!s.ok()) return DdbValidation("ExpressionAttributeValues contains invalid value: " + s.message() + " for key " + k);
    }
  std::optional<ddb::Condition> key_cond, filter;
  std::optional<std::vector<ddb::Path>> projection;
  std::string prefix = t.TableKeyPrefix();
  if (query) {
    if (!in.contains("KeyConditionExpression"))
      return DdbValidation("Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.");
    CK_ASSIGN_OR_RETURN(key_cond, ex.ParseCondition(Str(in, "KeyConditionExpression"), "KeyConditionExpression"));
  }
  if (in.contains("FilterExpression")) {
    CK_ASSIGN_OR_RETURN(filter, ex.ParseCondition(Str(in, "FilterExpression"), "FilterExpression"));
  }
  if (in.contains("ProjectionExpression")) {
    CK_ASSIGN_OR_RETURN(projection, ex.ParseProjection(Str(in, "ProjectionExpression")));
  }
  CK_RETURN_IF_ERROR(ex.CheckAllUsed());
  bool has_range = false;
  if (query) {
    // Key conditions normalize their values (numbers) so comparisons are exact.
    CK_ASSIGN_OR_RETURN(json hash, AnalyzeKeyCondition(t, *key_cond, &has_range));
    CK_RETURN_IF_ERROR(ddb::ValidateAndNormalize(&hash));
    storage::AppendKeyPart(&prefix, ddb::KeyBytes(hash));
    if (filter) {
      std::vector<std::string> names;
      CollectNames(*filter, &names);
      for (const auto& n : names)
        if (n == t.hash_key || n == t.range_key)
          return DdbValidation("Filter Expression can only contain non-primary key attributes: Primary key attribute: " + n);
    }
  }
  std::string select = Str(in, "Select", projection ? "SPECIFIC_ATTRIBUTES" : "ALL_ATTRIBUTES");
  if (select == "ALL_PROJECTED_ATTRIBUTES")
    return DdbValidation("One or more parameter values were invalid: Select type ALL_PROJECTED_ATTRIBUTES is supported only for index queries");
  if (projection && select != "SPECIFIC_ATTRIBUTES")
    return DdbValidation("One or more parameter values were invalid: Cannot specify the ProjectionExpression when choosing to get " + select);
  bool forward = in.value("ScanIndexForward", true);
  size_t limit = in.contains("Limit") ? static_cast<size_t>(in["Limit"].get<long long>()) : SIZE_MAX;
  int total_segments = in.value("TotalSegments", 0);
  int segment = in.value("Segment", 0);
  if (in.contains("Segment") != in.contains("TotalSegments"))
    return DdbValidation("The TotalSegments parameter is required but was not present in the request when Segment parameter is present");
  if (total_segments > 0 && segment >= total_segments)
    return DdbValidation("The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: " +
                         std::to_string(segment) + " is not less than TotalSegments: " + std::to_string(total_segments));

  storage::ScanOptions opt{.prefix = prefix, .limit = 256, .reverse = query && !forward};
  if (auto esk = in.find("ExclusiveStartKey"); esk != in.end() && esk->is_object()) {
    json k = *esk;
    for (auto& [n, v] : k.items()) CK_RETURN_IF_ERROR(ddb::ValidateAndNormalize(&v));
    CK_RETURN_IF_ERROR(ddb::ValidateKeyParam(t, k, "The provided starting key is invalid: "));
    opt.start_after = ddb::ItemStorageKey(t, k);
  }
  CK_ASSIGN_OR_RETURN(ddb::TableKey key, UnwrapTableKey(t, ctx));

  json items = json::array();
  size_t scanned = 0, count = 0, bytes = 0;
  json last_key;
  bool stopped = false;
  while (!stopped) {
    CK_ASSIGN_OR_RETURN(auto recs, store_.Scan(ddb::kItems, opt));
    for (const auto& r : recs) {
      CK_ASSIGN_OR_RETURN(json item, ddb::OpenItem(key, t, r.key, r.value));
      if (total_segments > 0 &&
          static_cast<int>(Fnv1a(ddb::KeyBytes(item.at(t.hash_key))) % static_cast<uint32_t>(total_segments)) != segment)
        continue;
      if (has_range) {
        CK_ASSIGN_OR_RETURN(bool in_range, ddb::Evaluate(*key_cond, item));
        if (!in_range) continue;
      }
      ++scanned;
      bytes += ddb::ItemSize(item);
      bool keep = true;
      if (filter) {
        CK_ASSIGN_OR_RETURN(keep, ddb::Evaluate(*filter, item));
      }
      if (keep) {
        ++count;
        if (select != "COUNT") items.push_back(projection ? ddb::Project(item, *projection) : item);
      }
      if (scanned >= limit || bytes >= ddb::kMaxPageBytes) {
        last_key = ddb::KeyOf(t, item);
        stopped = true;
        break;
      }
    }
    if (recs.size() < opt.limit) break;
    opt.start_after = recs.back().key;
  }
  json out = {{"Count", count}, {"ScannedCount", scanned}};
  if (select != "COUNT") out["Items"] = items;
  if (!last_key.is_null()) out["LastEvaluatedKey"] = last_key;
  std::string rcc = Str(in, "ReturnConsumedCapacity", "NONE");
  if (rcc != "NONE") {
    double units = std::max(0.5, static_cast<double>((bytes + 4095) / 4096) * 0.5);
    out["ConsumedCapacity"] = {{"TableName", t.name}, {"CapacityUnits", units}};
  }
  return out;
}

}  // namespace ck::services
