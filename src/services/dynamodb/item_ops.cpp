// Item operations: PutItem, GetItem, DeleteItem, UpdateItem, BatchWriteItem,
// BatchGetItem. Writes read the current sealed record, evaluate the
// condition, and apply with a precondition on the bytes they read, retrying
// on a concurrent change, so conditional writes are linearizable.
#include <set>

#include "services/dynamodb/attribute_value.h"
#include "services/dynamodb/dynamodb_service.h"
#include "services/dynamodb/errors.h"
#include "services/dynamodb/expression.h"
#include "services/dynamodb/operation_support.h"

namespace ck::services::dynamodb {

namespace api = ::ck::api::dynamodb;

namespace {

constexpr int kWriteAttempts = 8;

// ReturnValues of PutItem and DeleteItem: NONE or ALL_OLD.
Status OnlyAllOldOrNone(const std::optional<EnumValue<api::ReturnValue>>& rv) {
  if (rv && *rv != api::ReturnValue::kNone && *rv != api::ReturnValue::kAllOld)
    return errors::Validation("ReturnValues can only be ALL_OLD or NONE");
  return Status::Ok();
}

bool Wants(const std::optional<EnumValue<api::ReturnValue>>& rv, api::ReturnValue v) { return rv && *rv == v; }

// The item before and after one conditional write (nullopt: absent).
struct ItemChange {
  std::optional<Json> old, now;
};

// One conditional write of the item stored at `sk`: reads it, checks the
// condition against it, asks `next` for the new item (nullopt deletes it) and
// commits only if the stored item is still the one read, retrying a bounded
// number of times when another writer got in between. A failed condition
// carries the item as it was when `return_old` (ReturnValuesOnConditionCheckFailure ALL_OLD).
template <typename Next>
Result<ItemChange> WriteItem(storage::MetadataStore& store, const TableRecord& t, const TableKey& key,
                             const std::string& sk, const Expressions& ex, bool return_old, Next&& next) {
  for (int attempt = 0; attempt < kWriteAttempts; ++attempt) {
    CK_ASSIGN_OR_RETURN(auto raw, store.Get(kItems, sk));
    ItemChange change;
    if (raw) {
      CK_ASSIGN_OR_RETURN(change.old, OpenItem(key, t, sk, *raw));
    }
    CK_ASSIGN_OR_RETURN(bool ok, ConditionHolds(ex, change.old));
    if (!ok) return ConditionFailed(change.old, return_old);
    CK_ASSIGN_OR_RETURN(change.now, next(change.old));
    if (!raw && !change.now) return change;  // deleting an absent item writes nothing
    storage::WriteBatch b;
    if (raw) {
      b.ExpectValue(kItems, sk, *raw);
    } else {
      b.ExpectAbsent(kItems, sk);
    }
    if (change.now) {
      b.Put(kItems, sk, SealItem(key, t, sk, *change.now));
    } else {
      b.Delete(kItems, sk);
    }
    Status s = store.Apply(b);
    if (storage::IsPreconditionFailure(s)) continue;
    CK_RETURN_IF_ERROR(s);
    return change;
  }
  return errors::TransactionConflict("Transaction is ongoing for the item");
}

// `item` for a response: nullopt when absent or empty.
Result<std::optional<ApiItem>> Attributes(const std::optional<Json>& item) {
  if (!item || !item->is_object() || item->empty()) return std::optional<ApiItem>();
  CK_ASSIGN_OR_RETURN(ApiItem out, ToApi(*item));
  return std::optional<ApiItem>(std::move(out));
}

// PutItem's and DeleteItem's answer: the old item when ReturnValues is ALL_OLD.
template <typename Out, typename In>
Result<Out> ReplacedOutput(const In& in, const TableRecord& t, const ItemChange& change) {
  Out out;
  if (Wants(in.return_values, api::ReturnValue::kAllOld)) {
    CK_ASSIGN_OR_RETURN(out.attributes, Attributes(change.old));
  }
  out.consumed_capacity = Consumed(in.return_consumed_capacity, t.name, 1.0);
  return out;
}

// BatchWriteItem's and BatchGetItem's "Provided list of item keys contains duplicates".
Status AddUnique(std::set<std::string>& seen, const std::string& sk) {
  if (!seen.insert(sk).second) return errors::Validation("Provided list of item keys contains duplicates");
  return Status::Ok();
}

// The batch operations list one ConsumedCapacity per table, when asked.
void AddConsumed(std::optional<std::vector<api::ConsumedCapacity>>& list,
                 std::optional<api::ConsumedCapacity> c) {
  if (!c) return;
  if (!list) list.emplace();
  list->push_back(std::move(*c));
}

}  // namespace

Result<api::PutItemOutput> DynamoDbService::PutItem(const api::PutItemInput& in, RequestContext& ctx) {
  CK_RETURN_IF_ERROR(RefuseLegacy(in));
  CK_RETURN_IF_ERROR(OnlyAllOldOrNone(in.return_values));
  CK_ASSIGN_OR_RETURN(TableRecord t, LoadTable(in.table_name, ctx, "PutItem"));
  CK_ASSIGN_OR_RETURN(Json item, ItemParam(t, in.item));
  CK_ASSIGN_OR_RETURN(Expressions ex, ParseExpressions(in));
  CK_ASSIGN_OR_RETURN(TableKey key, UnwrapTableKey(t, ctx));
  std::string sk = ItemStorageKey(t, item);
  CK_ASSIGN_OR_RETURN(ItemChange change,
                      WriteItem(store_, t, key, sk, ex, ReturnOldOnFailure(in.return_values_on_condition_check_failure),
                                [&](const std::optional<Json>&) { return Result<std::optional<Json>>(item); }));
  return ReplacedOutput<api::PutItemOutput>(in, t, change);
}

Result<api::GetItemOutput> DynamoDbService::GetItem(const api::GetItemInput& in, RequestContext& ctx) {
  CK_RETURN_IF_ERROR(RefuseLegacy(in));
  CK_ASSIGN_OR_RETURN(TableRecord t, LoadTable(in.table_name, ctx, "GetItem"));
  CK_ASSIGN_OR_RETURN(Json k, KeyParam(t, in.key));
  CK_ASSIGN_OR_RETURN(Expressions ex, ParseExpressions(in));
  CK_ASSIGN_OR_RETURN(TableKey key, UnwrapTableKey(t, ctx));
  std::string sk = ItemStorageKey(t, k);
  CK_ASSIGN_OR_RETURN(auto raw, store_.Get(kItems, sk));
  api::GetItemOutput out;
  if (raw) {
    CK_ASSIGN_OR_RETURN(Json item, OpenItem(key, t, sk, *raw));
    CK_ASSIGN_OR_RETURN(out.item, ToApi(ex.projection ? ddb::Project(item, *ex.projection) : item));
  }
  out.consumed_capacity = Consumed(in.return_consumed_capacity, t.name, in.consistent_read.value_or(false) ? 1.0 : 0.5);
  return out;
}

Result<api::DeleteItemOutput> DynamoDbService::DeleteItem(const api::DeleteItemInput& in, RequestContext& ctx) {
  CK_RETURN_IF_ERROR(RefuseLegacy(in));
  CK_RETURN_IF_ERROR(OnlyAllOldOrNone(in.return_values));
  CK_ASSIGN_OR_RETURN(TableRecord t, LoadTable(in.table_name, ctx, "DeleteItem"));
  CK_ASSIGN_OR_RETURN(Json k, KeyParam(t, in.key));
  CK_ASSIGN_OR_RETURN(Expressions ex, ParseExpressions(in));
  CK_ASSIGN_OR_RETURN(TableKey key, UnwrapTableKey(t, ctx));
  std::string sk = ItemStorageKey(t, k);
  CK_ASSIGN_OR_RETURN(ItemChange change,
                      WriteItem(store_, t, key, sk, ex, ReturnOldOnFailure(in.return_values_on_condition_check_failure),
                                [](const std::optional<Json>&) { return Result<std::optional<Json>>(std::nullopt); }));
  return ReplacedOutput<api::DeleteItemOutput>(in, t, change);
}

Result<api::UpdateItemOutput> DynamoDbService::UpdateItem(const api::UpdateItemInput& in, RequestContext& ctx) {
  CK_RETURN_IF_ERROR(RefuseLegacy(in));
  CK_ASSIGN_OR_RETURN(TableRecord t, LoadTable(in.table_name, ctx, "UpdateItem"));
  CK_ASSIGN_OR_RETURN(Json k, KeyParam(t, in.key));
  CK_ASSIGN_OR_RETURN(Expressions ex, ParseExpressions(in));
  std::vector<ddb::Path> touched;
  if (ex.update)
    for (const auto& a : *ex.update) {
      if (a.path[0].name == t.hash_key || a.path[0].name == t.range_key)
        return errors::Validation("One or more parameter values were invalid: Cannot update attribute " +
                                  a.path[0].name + ". This attribute is part of the key");
      touched.push_back(a.path);
    }
  CK_ASSIGN_OR_RETURN(TableKey key, UnwrapTableKey(t, ctx));
  std::string sk = ItemStorageKey(t, k);
  auto next = [&](const std::optional<Json>& old) -> Result<std::optional<Json>> {
    Json item = old ? *old : k;
    if (ex.update) CK_RETURN_IF_ERROR(ddb::ApplyUpdate(*ex.update, &item));
    if (ddb::ItemSize(item) > kMaxItemBytes)
      return errors::Validation("Item size to update has exceeded the maximum allowed size");
    CK_RETURN_IF_ERROR(CheckIndexKeys(t, item));
    return std::optional<Json>(std::move(item));
  };
  CK_ASSIGN_OR_RETURN(ItemChange change,
                      WriteItem(store_, t, key, sk, ex, ReturnOldOnFailure(in.return_values_on_condition_check_failure),
                                next));
  const Json& item = *change.now;
  std::optional<Json> attrs;
  if (Wants(in.return_values, api::ReturnValue::kAllOld) && change.old) attrs = *change.old;
  else if (Wants(in.return_values, api::ReturnValue::kAllNew)) attrs = item;
  else if (Wants(in.return_values, api::ReturnValue::kUpdatedOld) && change.old) attrs = ddb::Project(*change.old, touched);
  else if (Wants(in.return_values, api::ReturnValue::kUpdatedNew)) attrs = ddb::Project(item, touched);
  api::UpdateItemOutput out;
  CK_ASSIGN_OR_RETURN(out.attributes, Attributes(attrs));
  out.consumed_capacity = Consumed(in.return_consumed_capacity, t.name, 1.0);
  return out;
}

Result<api::BatchWriteItemOutput> DynamoDbService::BatchWriteItem(const api::BatchWriteItemInput& in,
                                                                  RequestContext& ctx) {
  size_t total = 0;
  for (const auto& [name, list] : in.request_items) total += list.size();
  if (total == 0 || total > 25)
    return errors::Validation("1 validation error detected: Value at 'requestItems' failed to satisfy constraint: Map "
                              "value must satisfy constraint: [Member must have length less than or equal to 25, "
                              "Member must have length greater than or equal to 1]");
  // Validate everything first, then write each table's batch atomically.
  struct Pending {
    TableRecord table;
    std::vector<std::pair<std::string, std::optional<Json>>> writes;  // storage key, item (nullopt = delete)
  };
  std::vector<Pending> pending;
  for (const auto& [name, list] : in.request_items) {
    Pending p;
    bool has_put = false, has_delete = false;
    for (const auto& r : list) {
      has_put = has_put || r.put_request;
      has_delete = has_delete || r.delete_request;
    }
    CK_ASSIGN_OR_RETURN(p.table, LoadTable(name, ctx, has_put ? "PutItem" : "DeleteItem"));
    if (has_put && has_delete) CK_RETURN_IF_ERROR(Authorize(ctx, "DeleteItem", p.table.account, p.table.arn));
    std::set<std::string> seen;
    for (const auto& r : list) {
      std::optional<Json> item;
      Json key;
      if (r.put_request) {
        CK_ASSIGN_OR_RETURN(item, ItemParam(p.table, r.put_request->item, ItemKeyErrors::kSchema));
      } else if (r.delete_request) {
        CK_ASSIGN_OR_RETURN(key, KeyParam(p.table, r.delete_request->key));
      } else {
        return errors::Validation("Supplied AttributeValue has no PutRequest or DeleteRequest");
      }
      std::string sk = ItemStorageKey(p.table, item ? *item : key);
      CK_RETURN_IF_ERROR(AddUnique(seen, sk));
      p.writes.emplace_back(std::move(sk), std::move(item));
    }
    pending.push_back(std::move(p));
  }
  api::BatchWriteItemOutput out;
  out.unprocessed_items.emplace();
  for (auto& p : pending) {
    CK_ASSIGN_OR_RETURN(TableKey key, UnwrapTableKey(p.table, ctx));
    storage::WriteBatch b;
    for (const auto& [sk, item] : p.writes) {
      if (item) b.Put(kItems, sk, SealItem(key, p.table, sk, *item));
      else b.Delete(kItems, sk);
    }
    CK_RETURN_IF_ERROR(store_.Apply(b));
    AddConsumed(out.consumed_capacity,
                Consumed(in.return_consumed_capacity, p.table.name, static_cast<double>(p.writes.size())));
  }
  return out;
}

Result<api::BatchGetItemOutput> DynamoDbService::BatchGetItem(const api::BatchGetItemInput& in, RequestContext& ctx) {
  size_t total = 0;
  for (const auto& [name, spec] : in.request_items) total += spec.keys.size();
  if (total > 100) return errors::Validation("Too many items requested for the BatchGetItem call");
  api::BatchGetItemOutput out;
  out.responses.emplace();
  out.unprocessed_keys.emplace();
  for (const auto& [name, spec] : in.request_items) {
    CK_RETURN_IF_ERROR(RefuseLegacy(spec));
    CK_ASSIGN_OR_RETURN(TableRecord t, LoadTable(name, ctx, "BatchGetItem"));
    CK_ASSIGN_OR_RETURN(Expressions ex, ParseExpressions(spec));
    std::vector<std::string> keys;
    std::set<std::string> seen;
    for (const auto& k : spec.keys) {
      CK_ASSIGN_OR_RETURN(Json kj, KeyParam(t, k));
      std::string sk = ItemStorageKey(t, kj);
      CK_RETURN_IF_ERROR(AddUnique(seen, sk));
      keys.push_back(std::move(sk));
    }
    CK_ASSIGN_OR_RETURN(TableKey key, UnwrapTableKey(t, ctx));
    auto& items = (*out.responses)[name];
    for (const auto& sk : keys) {
      CK_ASSIGN_OR_RETURN(auto raw, store_.Get(kItems, sk));
      if (!raw) continue;
      CK_ASSIGN_OR_RETURN(Json item, OpenItem(key, t, sk, *raw));
      CK_ASSIGN_OR_RETURN(ApiItem typed, ToApi(ex.projection ? ddb::Project(item, *ex.projection) : item));
      items.push_back(std::move(typed));
    }
    AddConsumed(out.consumed_capacity,
                Consumed(in.return_consumed_capacity, t.name, static_cast<double>(keys.size()) * 0.5));
  }
  return out;
}

}  // namespace ck::services::dynamodb
