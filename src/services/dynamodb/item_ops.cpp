// Item operations: PutItem, GetItem, DeleteItem, UpdateItem, BatchWriteItem,
// BatchGetItem. Writes read the current sealed record, evaluate the
// condition, and apply with a precondition on the bytes they read, retrying
// on a concurrent change, so conditional writes are linearizable.
#include <set>

#include "services/dynamodb/attribute_value.h"
#include "services/dynamodb/dynamodb_internal.h"
#include "services/dynamodb/dynamodb_service.h"
#include "services/dynamodb/expression.h"

namespace ck::services {

using nlohmann::json;
using ddb::DdbValidation;
using ddb::Str;

namespace {

constexpr int kWriteAttempts = 8;

Status RefuseLegacy(const json& in) {
  for (const char* p : {"Expected", "AttributesToGet", "AttributeUpdates", "ConditionalOperator", "KeyConditions",
                        "QueryFilter", "ScanFilter"})
    if (in.contains(p))
      return Unimplemented(std::string("crosskey's DynamoDB does not implement the legacy parameter ") + p +
                           "; use expressions")
               .WithAws("NotImplementedException", 501);
  return Status::Ok();
}

Status ConditionFailed() {
  return AwsError("ConditionalCheckFailedException", 400, "The conditional request failed");
}

json Consumed(const json& in, const std::string& table, double units) {
  std::string rcc = Str(in, "ReturnConsumedCapacity", "NONE");
  if (rcc == "NONE") return nullptr;
  json c = {{"TableName", table}, {"CapacityUnits", units}};
  if (rcc == "INDEXES") c["Table"] = {{"CapacityUnits", units}};
  return c;
}

void AddConsumed(json* out, const json& in, const std::string& table, double units) {
  json c = Consumed(in, table, units);
  if (!c.is_null()) (*out)["ConsumedCapacity"] = c;
}

struct Expressions {
  std::optional<ddb::Condition> condition;
  std::optional<std::vector<ddb::Path>> projection;
  std::optional<std::vector<ddb::UpdateAction>> update;
};

Result<Expressions> ParseExpressions(const json& in, bool update_allowed, bool projection_allowed) {
  ddb::ExpressionContext ctx(in.value("ExpressionAttributeNames", json(nullptr)),
                             in.value("ExpressionAttributeValues", json(nullptr)));
  if (auto v = in.find("ExpressionAttributeValues"); v != in.end() && v->is_object())
    for (auto& [k, av] : v->items()) {
      json copy = av;
      Status s = ddb::ValidateAndNormalize(&copy);
      if (!s.ok()) return DdbValidation("ExpressionAttributeValues contains invalid value: " + s.message() + " for key " + k);
    }
  Expressions e;
  if (in.contains("ConditionExpression")) {
    CK_ASSIGN_OR_RETURN(e.condition, ctx.ParseCondition(Str(in, "ConditionExpression"), "ConditionExpression"));
  }
  if (projection_allowed && in.contains("ProjectionExpression")) {
    CK_ASSIGN_OR_RETURN(e.projection, ctx.ParseProjection(Str(in, "ProjectionExpression")));
  }
  if (update_allowed && in.contains("UpdateExpression")) {
    CK_ASSIGN_OR_RETURN(e.update, ctx.ParseUpdate(Str(in, "UpdateExpression")));
  }
  if (in.contains("ExpressionAttributeNames") && in["ExpressionAttributeNames"].empty())
    return DdbValidation("ExpressionAttributeNames must not be empty");
  if (in.contains("ExpressionAttributeValues") && in["ExpressionAttributeValues"].empty())
    return DdbValidation("ExpressionAttributeValues must not be empty");
  if ((in.contains("ExpressionAttributeNames") || in.contains("ExpressionAttributeValues")) && !e.condition &&
      !e.projection && !e.update)
    return DdbValidation(
        "ExpressionAttributeNames and ExpressionAttributeValues can only be specified when using expressions");
  CK_RETURN_IF_ERROR(ctx.CheckAllUsed());
  return e;
}

Result<bool> ConditionHolds(const Expressions& e, const std::optional<json>& old) {
  if (!e.condition) return true;
  return ddb::Evaluate(*e.condition, old ? *old : json::object());
}

// The item before and after one conditional write (nullopt: absent).
struct ItemChange {
  std::optional<json> old, now;
};

// One conditional write of the item stored at `sk`: reads it, checks the
// condition against it, asks `next` for the new item (nullopt deletes it) and
// commits only if the stored item is still the one read, retrying a bounded
// number of times when another writer got in between.
template <typename Next>
Result<ItemChange> WriteItem(storage::MetadataStore& store, const ddb::Table& t, const ddb::TableKey& key,
                             const std::string& sk, const Expressions& ex, Next&& next) {
  for (int attempt = 0; attempt < kWriteAttempts; ++attempt) {
    CK_ASSIGN_OR_RETURN(auto raw, store.Get(ddb::kItems, sk));
    ItemChange change;
    if (raw) {
      CK_ASSIGN_OR_RETURN(change.old, ddb::OpenItem(key, t, sk, *raw));
    }
    CK_ASSIGN_OR_RETURN(bool ok, ConditionHolds(ex, change.old));
    if (!ok) return ConditionFailed();
    CK_ASSIGN_OR_RETURN(change.now, next(change.old));
    if (!raw && !change.now) return change;  // deleting an absent item writes nothing
    storage::WriteBatch b;
    if (raw) {
      b.ExpectValue(ddb::kItems, sk, *raw);
    } else {
      b.ExpectAbsent(ddb::kItems, sk);
    }
    if (change.now) {
      b.Put(ddb::kItems, sk, ddb::SealItem(key, t, sk, *change.now));
    } else {
      b.Delete(ddb::kItems, sk);
    }
    Status s = store.Apply(b);
    if (storage::IsPreconditionFailure(s)) continue;
    CK_RETURN_IF_ERROR(s);
    return change;
  }
  return AwsError("TransactionConflictException", 400, "Transaction is ongoing for the item");
}

}  // namespace

Result<json> DynamoDbService::PutItem(const json& in, RequestContext& ctx) {
  CK_RETURN_IF_ERROR(RefuseLegacy(in));
  std::string rv = Str(in, "ReturnValues", "NONE");
  if (rv != "NONE" && rv != "ALL_OLD")
    return DdbValidation("ReturnValues can only be ALL_OLD or NONE");
  CK_ASSIGN_OR_RETURN(ddb::Table t, LoadTable(in, ctx, "PutItem"));
  json item = in.value("Item", json::object());
  CK_RETURN_IF_ERROR(ddb::ValidateItem(&item));
  CK_RETURN_IF_ERROR(ddb::ValidateItemKey(t, item));
  if (ddb::ItemSize(item) > ddb::kMaxItemBytes) return DdbValidation("Item size has exceeded the maximum allowed size");
  CK_ASSIGN_OR_RETURN(Expressions ex, ParseExpressions(in, false, false));
  CK_ASSIGN_OR_RETURN(ddb::TableKey key, UnwrapTableKey(t, ctx));
  std::string sk = ddb::ItemStorageKey(t, item);
  CK_ASSIGN_OR_RETURN(ItemChange change, WriteItem(store_, t, key, sk, ex, [&](const std::optional<json>&) {
                        return Result<std::optional<json>>(item);
                      }));
  json out = json::object();
  if (rv == "ALL_OLD" && change.old) out["Attributes"] = *change.old;
  AddConsumed(&out, in, t.name, 1.0);
  return out;
}

Result<json> DynamoDbService::GetItem(const json& in, RequestContext& ctx) {
  CK_RETURN_IF_ERROR(RefuseLegacy(in));
  CK_ASSIGN_OR_RETURN(ddb::Table t, LoadTable(in, ctx, "GetItem"));
  json k = in.value("Key", json::object());
  for (auto& [n, v] : k.items()) CK_RETURN_IF_ERROR(ddb::ValidateAndNormalize(&v));
  CK_RETURN_IF_ERROR(ddb::ValidateKeyParam(t, k));
  CK_ASSIGN_OR_RETURN(Expressions ex, ParseExpressions(in, false, true));
  CK_ASSIGN_OR_RETURN(ddb::TableKey key, UnwrapTableKey(t, ctx));
  std::string sk = ddb::ItemStorageKey(t, k);
  CK_ASSIGN_OR_RETURN(auto raw, store_.Get(ddb::kItems, sk));
  json out = json::object();
  if (raw) {
    CK_ASSIGN_OR_RETURN(json item, ddb::OpenItem(key, t, sk, *raw));
    out["Item"] = ex.projection ? ddb::Project(item, *ex.projection) : item;
  }
  AddConsumed(&out, in, t.name, in.value("ConsistentRead", false) ? 1.0 : 0.5);
  return out;
}

Result<json> DynamoDbService::DeleteItem(const json& in, RequestContext& ctx) {
  CK_RETURN_IF_ERROR(RefuseLegacy(in));
  std::string rv = Str(in, "ReturnValues", "NONE");
  if (rv != "NONE" && rv != "ALL_OLD") return DdbValidation("ReturnValues can only be ALL_OLD or NONE");
  CK_ASSIGN_OR_RETURN(ddb::Table t, LoadTable(in, ctx, "DeleteItem"));
  json k = in.value("Key", json::object());
  for (auto& [n, v] : k.items()) CK_RETURN_IF_ERROR(ddb::ValidateAndNormalize(&v));
  CK_RETURN_IF_ERROR(ddb::ValidateKeyParam(t, k));
  CK_ASSIGN_OR_RETURN(Expressions ex, ParseExpressions(in, false, false));
  CK_ASSIGN_OR_RETURN(ddb::TableKey key, UnwrapTableKey(t, ctx));
  std::string sk = ddb::ItemStorageKey(t, k);
  CK_ASSIGN_OR_RETURN(ItemChange change, WriteItem(store_, t, key, sk, ex, [](const std::optional<json>&) {
                        return Result<std::optional<json>>(std::nullopt);
                      }));
  json out = json::object();
  if (rv == "ALL_OLD" && change.old) out["Attributes"] = *change.old;
  AddConsumed(&out, in, t.name, 1.0);
  return out;
}

Result<json> DynamoDbService::UpdateItem(const json& in, RequestContext& ctx) {
  CK_RETURN_IF_ERROR(RefuseLegacy(in));
  std::string rv = Str(in, "ReturnValues", "NONE");
  CK_ASSIGN_OR_RETURN(ddb::Table t, LoadTable(in, ctx, "UpdateItem"));
  json k = in.value("Key", json::object());
  for (auto& [n, v] : k.items()) CK_RETURN_IF_ERROR(ddb::ValidateAndNormalize(&v));
  CK_RETURN_IF_ERROR(ddb::ValidateKeyParam(t, k));
  CK_ASSIGN_OR_RETURN(Expressions ex, ParseExpressions(in, true, false));
  std::vector<ddb::Path> touched;
  if (ex.update)
    for (const auto& a : *ex.update) {
      if (a.path[0].name == t.hash_key || a.path[0].name == t.range_key)
        return DdbValidation("One or more parameter values were invalid: Cannot update attribute " + a.path[0].name +
                             ". This attribute is part of the key");
      touched.push_back(a.path);
    }
  CK_ASSIGN_OR_RETURN(ddb::TableKey key, UnwrapTableKey(t, ctx));
  std::string sk = ddb::ItemStorageKey(t, k);
  auto next = [&](const std::optional<json>& old) -> Result<std::optional<json>> {
    json item = old ? *old : k;
    if (ex.update) CK_RETURN_IF_ERROR(ddb::ApplyUpdate(*ex.update, &item));
    if (ddb::ItemSize(item) > ddb::kMaxItemBytes)
      return DdbValidation("Item size to update has exceeded the maximum allowed size");
    return std::optional<json>(std::move(item));
  };
  CK_ASSIGN_OR_RETURN(ItemChange change, WriteItem(store_, t, key, sk, ex, next));
  const json& item = *change.now;
  json out = json::object();
  json attrs;
  if (rv == "ALL_OLD" && change.old) attrs = *change.old;
  else if (rv == "ALL_NEW") attrs = item;
  else if (rv == "UPDATED_OLD" && change.old) attrs = ddb::Project(*change.old, touched);
  else if (rv == "UPDATED_NEW") attrs = ddb::Project(item, touched);
  if (attrs.is_object() && !attrs.empty()) out["Attributes"] = attrs;
  AddConsumed(&out, in, t.name, 1.0);
  return out;
}

Result<json> DynamoDbService::BatchWriteItem(const json& in, RequestContext& ctx) {
  const json& req = in.value("RequestItems", json::object());
  size_t total = 0;
  for (auto& [name, list] : req.items()) total += list.size();
  if (total == 0 || total > 25)
    return DdbValidation("1 validation error detected: Value at 'requestItems' failed to satisfy constraint: Map value "
                         "must satisfy constraint: [Member must have length less than or equal to 25, Member must "
                         "have length greater than or equal to 1]");
  // Validate everything first, then write each table's batch atomically.
  struct Pending {
    ddb::Table table;
    ddb::TableKey key;
    std::vector<std::pair<std::string, std::optional<json>>> writes;  // storage key, item (nullopt = delete)
  };
  std::vector<Pending> pending;
  for (auto& [name, list] : req.items()) {
    Pending p;
    bool has_put = false, has_delete = false;
    for (const json& r : list) {
      if (r.contains("PutRequest")) has_put = true;
      if (r.contains("DeleteRequest")) has_delete = true;
    }
    std::string action = has_put && has_delete ? "PutItem" : has_put ? "PutItem" : "DeleteItem";
    CK_ASSIGN_OR_RETURN(p.table, LoadTableByName(name, ctx, action));
    if (has_put && has_delete) CK_RETURN_IF_ERROR(Authorize(ctx, "DeleteItem", p.table.account, p.table.arn));
    std::set<std::string> seen;
    for (const json& r : list) {
      std::string sk;
      std::optional<json> item;
      if (r.contains("PutRequest")) {
        json it = r["PutRequest"].value("Item", json::object());
        CK_RETURN_IF_ERROR(ddb::ValidateItem(&it));
        CK_RETURN_IF_ERROR(ddb::ValidateItemKey(p.table, it));
        if (ddb::ItemSize(it) > ddb::kMaxItemBytes) return DdbValidation("Item size has exceeded the maximum allowed size");
        sk = ddb::ItemStorageKey(p.table, it);
        item = std::move(it);
      } else if (r.contains("DeleteRequest")) {
        json k = r["DeleteRequest"].value("Key", json::object());
        for (auto& [n, v] : k.items()) CK_RETURN_IF_ERROR(ddb::ValidateAndNormalize(&v));
        CK_RETURN_IF_ERROR(ddb::ValidateKeyParam(p.table, k));
        sk = ddb::ItemStorageKey(p.table, k);
      } else {
        return DdbValidation("Supplied AttributeValue has no PutRequest or DeleteRequest");
      }
      if (!seen.insert(sk).second) return DdbValidation("Provided list of item keys contains duplicates");
      p.writes.emplace_back(std::move(sk), std::move(item));
    }
    pending.push_back(std::move(p));
  }
  json consumed = json::array();
  for (auto& p : pending) {
    CK_ASSIGN_OR_RETURN(p.key, UnwrapTableKey(p.table, ctx));
    storage::WriteBatch b;
    for (const auto& [sk, item] : p.writes) {
      if (item) b.Put(ddb::kItems, sk, ddb::SealItem(p.key, p.table, sk, *item));
      else b.Delete(ddb::kItems, sk);
    }
    CK_RETURN_IF_ERROR(store_.Apply(b));
    json c = Consumed(in, p.table.name, static_cast<double>(p.writes.size()));
    if (!c.is_null()) consumed.push_back(c);
  }
  json out = {{"UnprocessedItems", json::object()}};
  if (!consumed.empty()) out["ConsumedCapacity"] = consumed;
  return out;
}

Result<json> DynamoDbService::BatchGetItem(const json& in, RequestContext& ctx) {
  const json& req = in.value("RequestItems", json::object());
  size_t total = 0;
  for (auto& [name, spec] : req.items()) total += spec.value("Keys", json::array()).size();
  if (total > 100)
    return DdbValidation("Too many items requested for the BatchGetItem call");
  json responses = json::object();
  json consumed = json::array();
  for (auto& [name, spec] : req.items()) {
    CK_RETURN_IF_ERROR(RefuseLegacy(spec));
    CK_ASSIGN_OR_RETURN(ddb::Table t, LoadTableByName(name, ctx, "BatchGetItem"));
    CK_ASSIGN_OR_RETURN(Expressions ex, ParseExpressions(spec, false, true));
    std::vector<std::string> keys;
    std::set<std::string> seen;
    for (json k : spec.value("Keys", json::array())) {
      for (auto& [n, v] : k.items()) CK_RETURN_IF_ERROR(ddb::ValidateAndNormalize(&v));
      CK_RETURN_IF_ERROR(ddb::ValidateKeyParam(t, k));
      std::string sk = ddb::ItemStorageKey(t, k);
      if (!seen.insert(sk).second) return DdbValidation("Provided list of item keys contains duplicates");
      keys.push_back(std::move(sk));
    }
    CK_ASSIGN_OR_RETURN(ddb::TableKey key, UnwrapTableKey(t, ctx));
    json items = json::array();
    for (const auto& sk : keys) {
      CK_ASSIGN_OR_RETURN(auto raw, store_.Get(ddb::kItems, sk));
      if (!raw) continue;
      CK_ASSIGN_OR_RETURN(json item, ddb::OpenItem(key, t, sk, *raw));
      items.push_back(ex.projection ? ddb::Project(item, *ex.projection) : item);
    }
    responses[name] = items;
    json c = Consumed(in, t.name, static_cast<double>(keys.size()) * 0.5);
    if (!c.is_null()) consumed.push_back(c);
  }
  json out = {{"Responses", responses}, {"UnprocessedKeys", json::object()}};
  if (!consumed.empty()) out["ConsumedCapacity"] = consumed;
  return out;
}

}  // namespace ck::services
