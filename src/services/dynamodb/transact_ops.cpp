// Transactions: TransactWriteItems and TransactGetItems, all or nothing.
//
// TransactWriteItems checks the whole request first (tables, permissions,
// keys, items, expressions, one action per item), then reads every target
// item, evaluates every condition and computes every new item. If any
// condition fails (or an update cannot apply) nothing is written and the
// answer is TransactionCanceledException with one cancellation reason per
// action, in request order: {"Code": "ConditionalCheckFailed", "Message":
// "The conditional request failed"} (plus "Item" with
// ReturnValuesOnConditionCheckFailure ALL_OLD), {"Code": "ValidationError",
// "Message": ...}, or {"Code": "None"}. Otherwise every write lands in one
// store batch whose preconditions pin every item read (ConditionCheck targets
// included), so the transaction is serializable; a concurrent change retries
// it from the reads.
//
// A ClientRequestToken is remembered for 10 minutes with a digest of the
// request (written in the same batch as the transaction): the same token and
// request again succeed without writing; the same token with another request
// is IdempotentParameterMismatchException.
//
// TransactGetItems reads the items and confirms, with a batch of
// preconditions only, that none changed in between: a consistent snapshot.
#include <set>

#include "base/codec.h"
#include "crypto/hash.h"
#include "services/dynamodb/attribute_value.h"
#include "services/dynamodb/dynamodb_service.h"
#include "services/dynamodb/errors.h"
#include "services/dynamodb/operation_support.h"
#include "storage/key_codec.h"

namespace ck::services::dynamodb {

namespace api = ::ck::api::dynamodb;

namespace {

constexpr int kTransactAttempts = 8;
constexpr auto kTokenLifetime = std::chrono::minutes(10);

// One action of a TransactWriteItems request, checked and ready to run.
struct WriteAction {
  enum Kind { kCheck, kPut, kUpdate, kDelete } kind = kCheck;
  size_t table = 0;  // index into the loaded tables
  std::string sk;    // storage key of the target item
  Json key;          // its key attributes
  std::optional<Json> item;  // Put: the new item
  Expressions ex;
  bool return_old = false;
};

Status DuplicateTarget() {
  return errors::Validation("Transaction request cannot include multiple operations on one item");
}

// "Transaction cancelled, please refer cancellation reasons for specific
// reasons [ConditionalCheckFailed, None]" (recorded) with the reasons as
// the exception's CancellationReasons.
Status Cancelled(const Json& reasons) {
  std::string codes;
  for (const auto& r : reasons) codes += (codes.empty() ? "" : ", ") + r.value("Code", std::string("None"));
  return errors::TransactionCanceled(
             "Transaction cancelled, please refer cancellation reasons for specific reasons [" + codes + "]")
      .WithJsonField("CancellationReasons", reasons.dump());
}

std::string TokenKey(const std::string& account, const std::string& region, const std::string& token) {
  std::string k;
  storage::AppendKeyPart(&k, account);
  storage::AppendKeyPart(&k, region);
  storage::AppendKeyPart(&k, token);
  return k;
}

}  // namespace

// A table the request names, loaded once (by name or ARN as written).
struct TransactTable {
  std::string name;
  TableRecord record;
  std::optional<TableKey> key;
};

// Consumed capacity of a transaction: two units per item and table.
static std::optional<std::vector<api::ConsumedCapacity>> TransactConsumed(const ReturnConsumed& asked,
                                                                   const std::vector<TransactTable>& tables,
                                                                   const std::vector<size_t>& per_table) {
  std::optional<std::vector<api::ConsumedCapacity>> out;
  for (size_t i = 0; i < tables.size(); ++i) {
    auto c = Consumed(asked, tables[i].record.name, 2.0 * static_cast<double>(per_table[i]));
    if (!c) continue;
    if (!out) out.emplace();
    out->push_back(std::move(*c));
  }
  return out;
}

Result<size_t> DynamoDbService::LoadForTransaction(std::vector<TransactTable>& tables, const std::string& name,
                                                   RequestContext& ctx, const std::string& action) {
  for (size_t i = 0; i < tables.size(); ++i)
    if (tables[i].name == name) {
      CK_RETURN_IF_ERROR(Authorize(ctx, action, tables[i].record.account, tables[i].record.arn));
      return i;
    }
  CK_ASSIGN_OR_RETURN(TableRecord t, LoadTable(name, ctx, action));
  tables.push_back(TransactTable{name, std::move(t), std::nullopt});
  return tables.size() - 1;
}

Result<api::TransactWriteItemsOutput> DynamoDbService::TransactWriteItems(const api::TransactWriteItemsInput& in,
                                                                          RequestContext& ctx) {
  std::vector<TransactTable> tables;
  std::vector<WriteAction> actions;
  std::set<std::string> targets;
  for (const auto& ti : in.transact_items) {
    int given = ti.condition_check.has_value() + ti.put.has_value() + ti.update.has_value() + ti.delete_.has_value();
    if (given != 1)  // exact AWS text UNVERIFIED
      return errors::Validation("TransactItems can only contain one of Check, Put, Update or Delete");
    WriteAction a;
    if (ti.condition_check) {
      const auto& c = *ti.condition_check;
      a.kind = WriteAction::kCheck;
      CK_ASSIGN_OR_RETURN(a.table, LoadForTransaction(tables, c.table_name, ctx, "ConditionCheckItem"));
      CK_ASSIGN_OR_RETURN(a.key, KeyParam(tables[a.table].record, c.key));
      std::optional<std::string> condition = c.condition_expression;
      ExpressionParams p = ParamsOf(c);
      p.condition = &condition;
      CK_ASSIGN_OR_RETURN(a.ex, ParseExpressions(p));
      a.return_old = ReturnOldOnFailure(c.return_values_on_condition_check_failure);
    } else if (ti.put) {
      const auto& c = *ti.put;
      a.kind = WriteAction::kPut;
      CK_ASSIGN_OR_RETURN(a.table, LoadForTransaction(tables, c.table_name, ctx, "PutItem"));
      CK_ASSIGN_OR_RETURN(a.item, ItemParam(tables[a.table].record, c.item));
      a.key = KeyOf(tables[a.table].record, *a.item);
      CK_ASSIGN_OR_RETURN(a.ex, ParseExpressions(c));
      a.return_old = ReturnOldOnFailure(c.return_values_on_condition_check_failure);
    } else if (ti.update) {
      const auto& c = *ti.update;
      a.kind = WriteAction::kUpdate;
      CK_ASSIGN_OR_RETURN(a.table, LoadForTransaction(tables, c.table_name, ctx, "UpdateItem"));
      const TableRecord& t = tables[a.table].record;
      CK_ASSIGN_OR_RETURN(a.key, KeyParam(t, c.key));
      std::optional<std::string> update = c.update_expression;
      ExpressionParams p = ParamsOf(c);
      p.update = &update;
      CK_ASSIGN_OR_RETURN(a.ex, ParseExpressions(p));
      for (const auto& u : *a.ex.update)
        if (u.path[0].name == t.hash_key || u.path[0].name == t.range_key)
          return errors::Validation("One or more parameter values were invalid: Cannot update attribute " +
                                    u.path[0].name + ". This attribute is part of the key");
      a.return_old = ReturnOldOnFailure(c.return_values_on_condition_check_failure);
    } else {
      const auto& c = *ti.delete_;
      a.kind = WriteAction::kDelete;
      CK_ASSIGN_OR_RETURN(a.table, LoadForTransaction(tables, c.table_name, ctx, "DeleteItem"));
      CK_ASSIGN_OR_RETURN(a.key, KeyParam(tables[a.table].record, c.key));
      CK_ASSIGN_OR_RETURN(a.ex, ParseExpressions(c));
      a.return_old = ReturnOldOnFailure(c.return_values_on_condition_check_failure);
    }
    a.sk = ItemStorageKey(tables[a.table].record, a.key);
    if (!targets.insert(a.sk).second) return DuplicateTarget();
    actions.push_back(std::move(a));
  }

  // Idempotency: the request's digest (maps are ordered, so the order members
  // were sent in does not matter, as in AWS).
  std::string token_key, digest;
  std::optional<std::string> token_stored;
  if (in.client_request_token) {
    token_key = TokenKey(ctx.principal.account, ctx.region, *in.client_request_token);
    digest = HexEncode(crypto::Sha256(fields::EncodeValue(in.transact_items).dump()));
  }

  for (auto& lt : tables) {
    CK_ASSIGN_OR_RETURN(lt.key, UnwrapTableKey(lt.record, ctx));
  }
  std::vector<size_t> per_table(tables.size(), 0);
  for (const auto& a : actions) ++per_table[a.table];

  for (int attempt = 0; attempt < kTransactAttempts; ++attempt) {
    storage::WriteBatch b;
    if (in.client_request_token) {
      CK_ASSIGN_OR_RETURN(token_stored, store_.Get(kTokens, token_key));
      if (token_stored) {
        Json rec = Json::parse(*token_stored, nullptr, false);
        bool live = rec.is_object() && clock_.Now() < FromEpochSeconds(rec.value("at", 0.0)) + kTokenLifetime;
        if (live) {
          if (rec.value("digest", std::string()) != digest)  // exact AWS text UNVERIFIED
            return errors::IdempotentParameterMismatch(
                "Request with the same client request token but different parameters was already processed");
          api::TransactWriteItemsOutput out;
          out.consumed_capacity = TransactConsumed(in.return_consumed_capacity, tables, per_table);
          return out;
        }
        b.ExpectValue(kTokens, token_key, *token_stored);
      } else {
        b.ExpectAbsent(kTokens, token_key);
      }
      Json rec = {{"digest", digest}, {"at", ToEpochSeconds(clock_.Now())}};
      b.Put(kTokens, token_key, rec.dump());
    }
    Json reasons = Json::array();
    bool cancelled = false;
    for (const auto& a : actions) {
      const TransactTable& lt = tables[a.table];
      const TableRecord& t = lt.record;
      CK_ASSIGN_OR_RETURN(auto raw, store_.Get(kItems, a.sk));
      std::optional<Json> old;
      if (raw) {
        CK_ASSIGN_OR_RETURN(old, OpenItem(*lt.key, t, a.sk, *raw));
        b.ExpectValue(kItems, a.sk, *raw);
      } else {
        b.ExpectAbsent(kItems, a.sk);
      }
      Json reason = {{"Code", "None"}};
      CK_ASSIGN_OR_RETURN(bool holds, ConditionHolds(a.ex, old));
      if (!holds) {
        reason = {{"Code", "ConditionalCheckFailed"}, {"Message", "The conditional request failed"}};
        if (a.return_old && old && !old->empty()) reason["Item"] = *old;
        cancelled = true;
      } else if (a.kind == WriteAction::kPut) {
        b.Put(kItems, a.sk, SealItem(*lt.key, t, a.sk, *a.item));
      } else if (a.kind == WriteAction::kDelete) {
        if (raw) b.Delete(kItems, a.sk);
      } else if (a.kind == WriteAction::kUpdate) {
        Json item = old ? *old : a.key;
        Status s = ddb::ApplyUpdate(*a.ex.update, &item);
        if (s.ok() && ddb::ItemSize(item) > kMaxItemBytes)
          s = errors::Validation("Item size to update has exceeded the maximum allowed size");
        if (s.ok()) s = CheckIndexKeys(t, item);
        if (s.ok()) {
          b.Put(kItems, a.sk, SealItem(*lt.key, t, a.sk, item));
        } else if (s.code() == Code::kInvalidArgument) {
          reason = {{"Code", "ValidationError"}, {"Message", s.message()}};
          cancelled = true;
        } else {
          return s;
        }
      }
      reasons.push_back(std::move(reason));
    }
    if (cancelled) return Cancelled(reasons);
    Status s = store_.Apply(b);
    if (storage::IsPreconditionFailure(s)) continue;
    CK_RETURN_IF_ERROR(s);
    api::TransactWriteItemsOutput out;
    out.consumed_capacity = TransactConsumed(in.return_consumed_capacity, tables, per_table);
    return out;
  }
  Json reasons = Json::array();
  for (size_t i = 0; i < actions.size(); ++i)
    reasons.push_back({{"Code", "TransactionConflict"}, {"Message", "Transaction is ongoing for the item"}});
  return Cancelled(reasons);
}

Result<api::TransactGetItemsOutput> DynamoDbService::TransactGetItems(const api::TransactGetItemsInput& in,
                                                                      RequestContext& ctx) {
  struct GetAction {
    size_t table = 0;
    std::string sk;
    Expressions ex;
  };
  std::vector<TransactTable> tables;
  std::vector<GetAction> gets;
  std::set<std::string> targets;
  for (const auto& ti : in.transact_items) {
    const api::Get& g = ti.get;
    GetAction a;
    CK_ASSIGN_OR_RETURN(a.table, LoadForTransaction(tables, g.table_name, ctx, "GetItem"));
    CK_ASSIGN_OR_RETURN(Json key, KeyParam(tables[a.table].record, g.key));
    CK_ASSIGN_OR_RETURN(a.ex, ParseExpressions(g));
    a.sk = ItemStorageKey(tables[a.table].record, key);
    if (!targets.insert(a.sk).second) return DuplicateTarget();
    gets.push_back(std::move(a));
  }
  for (auto& lt : tables) {
    CK_ASSIGN_OR_RETURN(lt.key, UnwrapTableKey(lt.record, ctx));
  }
  std::vector<size_t> per_table(tables.size(), 0);
  for (const auto& a : gets) ++per_table[a.table];

  for (int attempt = 0; attempt < kTransactAttempts; ++attempt) {
    storage::WriteBatch pins;
    api::TransactGetItemsOutput out;
    out.responses.emplace();
    for (const auto& a : gets) {
      const TransactTable& lt = tables[a.table];
      CK_ASSIGN_OR_RETURN(auto raw, store_.Get(kItems, a.sk));
      api::ItemResponse r;
      if (raw) {
        pins.ExpectValue(kItems, a.sk, *raw);
        CK_ASSIGN_OR_RETURN(Json item, OpenItem(*lt.key, lt.record, a.sk, *raw));
        CK_ASSIGN_OR_RETURN(r.item, ToApi(a.ex.projection ? ddb::Project(item, *a.ex.projection) : item));
      } else {
        pins.ExpectAbsent(kItems, a.sk);
      }
      out.responses->push_back(std::move(r));
    }
    // Nothing changed between the first read and the last: a snapshot.
    Status s = store_.Apply(pins);
    if (storage::IsPreconditionFailure(s)) continue;
    CK_RETURN_IF_ERROR(s);
    out.consumed_capacity = TransactConsumed(in.return_consumed_capacity, tables, per_table);
    return out;
  }
  Json reasons = Json::array();
  for (size_t i = 0; i < gets.size(); ++i)
    reasons.push_back({{"Code", "TransactionConflict"}, {"Message", "Transaction is ongoing for the item"}});
  return Cancelled(reasons);
}

}  // namespace ck::services::dynamodb
