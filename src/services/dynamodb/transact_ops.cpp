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
#include "services/common/record_table.h"
#include "services/dynamodb/attribute_value.h"
#include "services/dynamodb/dynamodb_service.h"
#include "services/dynamodb/errors.h"
#include "services/dynamodb/operation_support.h"
#include "services/dynamodb/transaction.h"
#include "storage/key_codec.h"

namespace ck::services::dynamodb {

namespace api = ::ck::api::dynamodb;

namespace {

constexpr int kTransactAttempts = 8;
constexpr auto kTokenLifetime = std::chrono::minutes(10);

}  // namespace

Status DuplicateTarget() {
  return errors::Validation("Transaction request cannot include multiple operations on one item");
}

// "Transaction cancelled, please refer cancellation reasons for specific
// reasons [ConditionalCheckFailed, None]" (recorded) with the reasons as
// the exception's CancellationReasons.
Status Cancelled(const std::vector<CancelReason>& reasons) {
  std::string codes;
  Json list = Json::array();
  for (const auto& r : reasons) {
    codes += (codes.empty() ? "" : ", ") + r.code;
    Json one = {{"Code", r.code}};
    if (!r.message.empty()) one["Message"] = r.message;
    if (r.item) one["Item"] = *r.item;
    list.push_back(std::move(one));
  }
  return errors::TransactionCanceled(
             "Transaction cancelled, please refer cancellation reasons for specific reasons [" + codes + "]")
      .WithJsonField("CancellationReasons", list.dump());
}

std::vector<CancelReason> ConflictReasons(size_t n) {
  return std::vector<CancelReason>(n, CancelReason{"TransactionConflict", "Transaction is ongoing for the item",
                                                   std::nullopt});
}

namespace {
template <class V, class S>
void TokenFields(V& v, S& s) {
  v("digest", s.digest, true);
  v("at", s.at, true);
}
}  // namespace

CK_DEFINE_FIELDS(TokenRecord, TokenFields)

std::string TokenKey(const std::string& account, const std::string& region, const std::string& token) {
  std::string k;
  storage::AppendKeyPart(&k, account);
  storage::AppendKeyPart(&k, region);
  storage::AppendKeyPart(&k, token);
  return k;
}

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
  std::optional<TransactToken> token;
  if (in.client_request_token)
    token = TransactToken{TokenKey(ctx.principal.account, ctx.region, *in.client_request_token),
                          HexEncode(crypto::Sha256(fields::EncodeValue(in.transact_items).dump()))};
  CK_ASSIGN_OR_RETURN(auto reasons, CommitWrites(tables, actions, token, ctx));
  if (reasons) return Cancelled(*reasons);
  std::vector<size_t> per_table(tables.size(), 0);
  for (const auto& a : actions) ++per_table[a.table];
  api::TransactWriteItemsOutput out;
  out.consumed_capacity = TransactConsumed(in.return_consumed_capacity, tables, per_table);
  return out;
}

// The client request token: true when a live record says the same request
// already ran (nothing to do), else the token's record joins the batch.
Result<bool> DynamoDbService::StageToken(const TransactToken& token, storage::WriteBatch& b) {
  RecordTable<TokenRecord> tokens(store_, kTokens);
  CK_ASSIGN_OR_RETURN(auto stored, store_.Get(kTokens, token.key));
  if (stored) {
    auto rec = tokens.Decode(token.key, *stored);
    if (rec.ok() && clock_.Now() < rec->at + kTokenLifetime) {
      if (rec->digest != token.digest)  // exact AWS text UNVERIFIED
        return errors::IdempotentParameterMismatch(
            "Request with the same client request token but different parameters was already processed");
      return true;
    }
    b.ExpectValue(kTokens, token.key, *stored);
  } else {
    b.ExpectAbsent(kTokens, token.key);
  }
  tokens.Put(b, token.key, TokenRecord{token.digest, clock_.Now()});
  return false;
}

// One write of a transaction against the item as stored now: its
// precondition and its change join the batch, or the reason it cannot run.
Result<CancelReason> DynamoDbService::StageWrite(const TransactTable& lt, const WriteAction& a,
                                                 storage::WriteBatch& b) {
  const TableRecord& t = lt.record;
  CK_ASSIGN_OR_RETURN(auto raw, store_.Get(kItems, a.sk));
  std::optional<Json> old;
  if (raw) {
    CK_ASSIGN_OR_RETURN(old, OpenItem(*lt.key, t, a.sk, *raw));
    b.ExpectValue(kItems, a.sk, *raw);
  } else {
    b.ExpectAbsent(kItems, a.sk);
  }
  bool holds = true;
  if (old || !a.condition_if_exists) {
    CK_ASSIGN_OR_RETURN(holds, ConditionHolds(a.ex, old));
  }
  if (a.insert && old) return CancelReason{"DuplicateItem", "Duplicate primary key exists in table", std::nullopt};
  if (!holds || (a.must_exist && !old)) {
    CancelReason r{"ConditionalCheckFailed", "The conditional request failed", std::nullopt};
    if (a.return_old && old && !old->empty()) r.item = *old;
    return r;
  }
  if (a.kind == WriteAction::kPut) {
    b.Put(kItems, a.sk, SealItem(*lt.key, t, a.sk, *a.item));
  } else if (a.kind == WriteAction::kDelete) {
    if (raw) b.Delete(kItems, a.sk);
  } else if (a.kind == WriteAction::kUpdate) {
    Json item = old ? *old : a.key;
    Status s = ddb::ApplyUpdate(*a.ex.update, &item);
    if (s.ok() && ddb::ItemSize(item) > kMaxItemBytes)
      s = errors::Validation("Item size to update has exceeded the maximum allowed size");
    if (s.ok()) s = CheckIndexKeys(t, item);
    if (s.code() == Code::kInvalidArgument) return CancelReason{"ValidationError", s.message(), std::nullopt};
    CK_RETURN_IF_ERROR(s);
    b.Put(kItems, a.sk, SealItem(*lt.key, t, a.sk, item));
  }
  return CancelReason{};
}

Result<std::optional<std::vector<CancelReason>>> DynamoDbService::CommitWrites(
    std::vector<TransactTable>& tables, const std::vector<WriteAction>& actions,
    const std::optional<TransactToken>& token, RequestContext& ctx) {
  using Reasons = std::optional<std::vector<CancelReason>>;
  for (auto& lt : tables) {
    if (!lt.key) {
      CK_ASSIGN_OR_RETURN(lt.key, UnwrapTableKey(lt.record, ctx));
    }
  }
  for (int attempt = 0; attempt < kTransactAttempts; ++attempt) {
    storage::WriteBatch b;
    if (token) {
      CK_ASSIGN_OR_RETURN(bool done, StageToken(*token, b));
      if (done) return Reasons();  // done before: nothing more to write
    }
    std::vector<CancelReason> reasons;
    bool cancelled = false;
    for (const auto& a : actions) {
      CK_ASSIGN_OR_RETURN(CancelReason r, StageWrite(tables[a.table], a, b));
      cancelled = cancelled || r.code != "None";
      reasons.push_back(std::move(r));
    }
    if (cancelled) return Reasons(std::move(reasons));
    Status s = store_.Apply(b);
    if (storage::IsPreconditionFailure(s)) continue;
    CK_RETURN_IF_ERROR(s);
    return Reasons();
  }
  return Reasons(ConflictReasons(actions.size()));
}

Result<std::vector<std::optional<Json>>> DynamoDbService::ReadConsistently(std::vector<TransactTable>& tables,
                                                                          const std::vector<ReadAction>& reads,
                                                                          RequestContext& ctx) {
  for (auto& lt : tables) {
    if (!lt.key) {
      CK_ASSIGN_OR_RETURN(lt.key, UnwrapTableKey(lt.record, ctx));
    }
  }
  for (int attempt = 0; attempt < kTransactAttempts; ++attempt) {
    storage::WriteBatch pins;
    std::vector<std::optional<Json>> out;
    for (const auto& a : reads) {
      const TransactTable& lt = tables[a.table];
      CK_ASSIGN_OR_RETURN(auto raw, store_.Get(kItems, a.sk));
      if (!raw) {
        pins.ExpectAbsent(kItems, a.sk);
        out.emplace_back();
        continue;
      }
      pins.ExpectValue(kItems, a.sk, *raw);
      CK_ASSIGN_OR_RETURN(Json item, OpenItem(*lt.key, lt.record, a.sk, *raw));
      out.emplace_back(a.ex.projection ? ddb::Project(item, *a.ex.projection) : std::move(item));
    }
    // Nothing changed between the first read and the last: a snapshot.
    Status s = store_.Apply(pins);
    if (storage::IsPreconditionFailure(s)) continue;
    CK_RETURN_IF_ERROR(s);
    return out;
  }
  return Cancelled(ConflictReasons(reads.size()));
}

Result<api::TransactGetItemsOutput> DynamoDbService::TransactGetItems(const api::TransactGetItemsInput& in,
                                                                      RequestContext& ctx) {
  std::vector<TransactTable> tables;
  std::vector<ReadAction> reads;
  std::set<std::string> targets;
  for (const auto& ti : in.transact_items) {
    const api::Get& g = ti.get;
    ReadAction a;
    CK_ASSIGN_OR_RETURN(a.table, LoadForTransaction(tables, g.table_name, ctx, "GetItem"));
    CK_ASSIGN_OR_RETURN(Json key, KeyParam(tables[a.table].record, g.key));
    CK_ASSIGN_OR_RETURN(a.ex, ParseExpressions(g));
    a.sk = ItemStorageKey(tables[a.table].record, key);
    if (!targets.insert(a.sk).second) return DuplicateTarget();
    reads.push_back(std::move(a));
  }
  CK_ASSIGN_OR_RETURN(auto items, ReadConsistently(tables, reads, ctx));
  api::TransactGetItemsOutput out;
  out.responses.emplace();
  for (const auto& item : items) {
    api::ItemResponse r;
    if (item) {
      CK_ASSIGN_OR_RETURN(r.item, ToApi(*item));
    }
    out.responses->push_back(std::move(r));
  }
  std::vector<size_t> per_table(tables.size(), 0);
  for (const auto& a : reads) ++per_table[a.table];
  out.consumed_capacity = TransactConsumed(in.return_consumed_capacity, tables, per_table);
  return out;
}

}  // namespace ck::services::dynamodb
