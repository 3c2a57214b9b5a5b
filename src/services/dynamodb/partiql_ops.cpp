// PartiQL: ExecuteStatement, BatchExecuteStatement, ExecuteTransaction.
//
// Statements (partiql.h) become the same actions as the item operations:
// INSERT is a put that fails on an existing item (DuplicateItemException
// "Duplicate primary key exists in table"), UPDATE an update of an item that
// must exist, DELETE a delete (of nothing when the item is absent), each with
// the WHERE clause beyond the key equalities as its condition; writes run
// through the transaction engine (transaction.h), so a single statement and
// a transaction of many commit the same way. SELECT reads one partition when
// the WHERE clause fixes the partition key, else the whole table, filtered by
// the WHERE clause, Limit items a page, NextToken to go on.
//
// Authorization: dynamodb:PartiQLSelect / PartiQLInsert / PartiQLUpdate /
// PartiQLDelete on the table (AWS's PartiQL actions).
#include <set>

#include "base/cancel.h"
#include "base/codec.h"
#include "crypto/hash.h"
#include "services/dynamodb/attribute_value.h"
#include "services/dynamodb/dynamodb_service.h"
#include "services/dynamodb/errors.h"
#include "services/dynamodb/operation_support.h"
#include "services/dynamodb/partiql.h"
#include "services/dynamodb/transaction.h"
#include "storage/key_codec.h"

namespace ck::services::dynamodb {

namespace api = ::ck::api::dynamodb;

namespace {

const char* ActionOf(const ddb::PartiqlStatement& st) {
  switch (st.kind) {
    case ddb::PartiqlStatement::kSelect: return "PartiQLSelect";
    case ddb::PartiqlStatement::kInsert: return "PartiQLInsert";
    case ddb::PartiqlStatement::kUpdate: return "PartiQLUpdate";
    case ddb::PartiqlStatement::kDelete: return "PartiQLDelete";
  }
  return "PartiQLSelect";
}

Result<ddb::PartiqlStatement> Parse(const std::string& text, const std::optional<std::vector<api::AttributeValue>>& params) {
  std::vector<Json> values;
  for (const auto& p : params.value_or(std::vector<api::AttributeValue>{})) values.push_back(fields::EncodeValue(p));
  return ddb::ParsePartiql(text, values);
}

Status NoKeyEquality() {
  return errors::Validation("Where clause does not contain a mandatory equality on all key attributes");
}

// The key a WHERE clause fixes with equalities on all key attributes, or nullopt.
Result<std::optional<Json>> KeyFromWhere(const TableRecord& t, const std::optional<ddb::Condition>& where) {
  if (!where) return std::optional<Json>();
  Json key = Json::object();
  for (auto& [name, value] : ddb::EqualityConjuncts(*where))
    if (name == t.hash_key || name == t.range_key) key[name] = value;
  if (!key.contains(t.hash_key) || (!t.range_key.empty() && !key.contains(t.range_key))) return std::optional<Json>();
  CK_ASSIGN_OR_RETURN(ApiItem typed, ToApi(key));
  CK_ASSIGN_OR_RETURN(Json checked, KeyParam(t, typed));
  return std::optional<Json>(std::move(checked));
}

std::vector<std::string> KeyNames(const TableRecord& t) {
  std::vector<std::string> names = {t.hash_key};
  if (!t.range_key.empty()) names.push_back(t.range_key);
  return names;
}

// The BatchStatementError code for a failed statement.
std::string BatchErrorCode(const Status& s) {
  const std::string& code = s.aws_code();
  if (code == "ConditionalCheckFailedException") return "ConditionalCheckFailed";
  if (code == "DuplicateItemException") return "DuplicateItem";
  if (code == "ResourceNotFoundException") return "ResourceNotFound";
  if (code == "AccessDeniedException") return "AccessDenied";
  if (code == "TransactionConflictException") return "TransactionConflict";
  if (code == "ValidationException") return "ValidationError";
  return "InternalServerError";
}

// A single statement's cancellation as the error its operation answers.
Status SingleFailure(const CancelReason& reason) {
  if (reason.code == "DuplicateItem") return errors::DuplicateItem(reason.message);
  if (reason.code == "ConditionalCheckFailed") return ConditionFailed(reason.item, reason.item.has_value());
  if (reason.code == "TransactionConflict") return errors::TransactionConflict(reason.message);
  return errors::Validation(reason.message);
}

}  // namespace

Result<WriteAction> DynamoDbService::PartiqlWrite(const ddb::PartiqlStatement& st, std::vector<TransactTable>& tables,
                                                  RequestContext& ctx, bool return_old) {
  WriteAction a;
  a.return_old = return_old;
  CK_ASSIGN_OR_RETURN(a.table, LoadForTransaction(tables, st.table, ctx, ActionOf(st)));
  const TableRecord& t = tables[a.table].record;
  if (st.kind == ddb::PartiqlStatement::kInsert) {
    CK_ASSIGN_OR_RETURN(ApiItem typed, ToApi(st.item));
    a.kind = WriteAction::kPut;
    a.insert = true;
    CK_ASSIGN_OR_RETURN(a.item, ItemParam(t, typed));
    a.key = KeyOf(t, *a.item);
  } else {
    CK_ASSIGN_OR_RETURN(std::optional<Json> key, KeyFromWhere(t, st.where));
    if (!key) return NoKeyEquality();
    a.key = std::move(*key);
    a.ex.condition = ddb::WithoutEqualities(*st.where, KeyNames(t));
    if (st.kind == ddb::PartiqlStatement::kUpdate) {
      a.kind = WriteAction::kUpdate;
      a.must_exist = true;
      for (const auto& u : st.updates)
        if (u.path[0].name == t.hash_key || u.path[0].name == t.range_key)
          return errors::Validation("One or more parameter values were invalid: Cannot update attribute " +
                                    u.path[0].name + ". This attribute is part of the key");
      a.ex.update = st.updates;
    } else {
      a.kind = WriteAction::kDelete;
      a.condition_if_exists = true;
    }
  }
  a.sk = ItemStorageKey(t, a.key);
  return a;
}

Result<api::ExecuteStatementOutput> DynamoDbService::ExecuteStatement(const api::ExecuteStatementInput& in,
                                                                      RequestContext& ctx) {
  CK_ASSIGN_OR_RETURN(ddb::PartiqlStatement st, Parse(in.statement, in.parameters));
  api::ExecuteStatementOutput out;
  if (st.kind != ddb::PartiqlStatement::kSelect) {
    std::vector<TransactTable> tables;
    CK_ASSIGN_OR_RETURN(WriteAction a,
                        PartiqlWrite(st, tables, ctx, ReturnOldOnFailure(in.return_values_on_condition_check_failure)));
    CK_ASSIGN_OR_RETURN(auto reasons, CommitWrites(tables, {a}, std::nullopt, ctx));
    if (reasons) return SingleFailure((*reasons)[0]);
    out.items.emplace();
    out.consumed_capacity = Consumed(in.return_consumed_capacity, tables[0].record.name, 1.0);
    return out;
  }

  CK_ASSIGN_OR_RETURN(TableRecord t, LoadTable(st.table, ctx, "PartiQLSelect"));
  if (!st.index.empty())  // text UNVERIFIED
    return errors::Validation("crosskey's DynamoDB does not run PartiQL SELECT on an index: " + st.index);
  // One partition when the WHERE clause fixes the partition key.
  storage::ScanOptions scan{.prefix = t.ItemPrefix(), .limit = 256};
  if (st.where)
    for (auto& [name, value] : ddb::EqualityConjuncts(*st.where))
      if (name == t.hash_key && ddb::TypeOf(value) == t.hash_type) {
        storage::AppendKeyPart(&scan.prefix, ddb::KeyBytes(value));
        break;
      }
  if (in.next_token) {
    auto after = Base64Decode(*in.next_token);
    if (!after || after->rfind(scan.prefix, 0) != 0)  // text UNVERIFIED
      return errors::Validation("Invalid NextToken");
    scan.start_after = *after;
  }
  const size_t limit = in.limit ? static_cast<size_t>(*in.limit) : SIZE_MAX;
  CK_ASSIGN_OR_RETURN(TableKey key, UnwrapTableKey(t, ctx));
  out.items.emplace();
  size_t evaluated = 0, bytes = 0;
  std::string last;
  bool more_left = false;
  for (bool more = true; more;) {
    CK_RETURN_IF_ERROR(CheckCancelled());
    CK_ASSIGN_OR_RETURN(auto recs, store_.Scan(kItems, scan));
    for (const auto& rec : recs) {
      if (evaluated >= limit || bytes >= kMaxPageBytes) {
        more_left = true;
        more = false;
        break;
      }
      CK_ASSIGN_OR_RETURN(Json item, OpenItem(key, t, rec.key, rec.value));
      ++evaluated;
      bytes += ddb::ItemSize(item);
      last = rec.key;
      bool keep = true;
      if (st.where) {
        CK_ASSIGN_OR_RETURN(keep, ddb::Evaluate(*st.where, item));
      }
      if (!keep) continue;
      CK_ASSIGN_OR_RETURN(ApiItem typed, ToApi(st.projection ? ddb::Project(item, *st.projection) : item));
      out.items->push_back(std::move(typed));
    }
    if (!more) break;
    if (recs.size() < scan.limit) break;
    scan.start_after = recs.back().key;
  }
  if (more_left) out.next_token = Base64Encode(last);
  out.consumed_capacity = Consumed(in.return_consumed_capacity, t.name,
                                   std::max(0.5, static_cast<double>((bytes + 4095) / 4096) * 0.5));
  return out;
}

namespace {

// A failed batch statement's Error: the cancellation code, the message, and
// the item a failed condition returns.
api::BatchStatementError BatchError(const Status& s) {
  api::BatchStatementError e;
  e.code = EnumValue<api::BatchStatementErrorCodeEnum>::Parse(BatchErrorCode(s));
  e.message = s.message();
  for (const auto& [name, text] : s.json_fields()) {
    if (name != "Item") continue;
    auto item = ToApi(Json::parse(text));
    if (item.ok()) e.item = std::move(*item);
  }
  return e;
}

}  // namespace

Result<std::optional<ApiItem>> DynamoDbService::BatchStatement(const ddb::PartiqlStatement& st,
                                                               const api::BatchStatementRequest& req,
                                                               std::set<std::string>& targets, RequestContext& ctx) {
  std::vector<TransactTable> tables;
  if (st.kind != ddb::PartiqlStatement::kSelect) {
    CK_ASSIGN_OR_RETURN(WriteAction a,
                        PartiqlWrite(st, tables, ctx, ReturnOldOnFailure(req.return_values_on_condition_check_failure)));
    if (!targets.insert(a.sk).second)  // text UNVERIFIED
      return errors::Validation("Batch statements cannot include multiple operations on one item");
    CK_ASSIGN_OR_RETURN(auto reasons, CommitWrites(tables, {a}, std::nullopt, ctx));
    if (reasons) return SingleFailure((*reasons)[0]);
    return std::optional<ApiItem>();
  }
  // A batch reads single items: the WHERE clause fixes the whole key.
  CK_ASSIGN_OR_RETURN(size_t i, LoadForTransaction(tables, st.table, ctx, "PartiQLSelect"));
  const TableRecord& t = tables[i].record;
  CK_ASSIGN_OR_RETURN(std::optional<Json> key, KeyFromWhere(t, st.where));
  if (!key) return NoKeyEquality();
  ReadAction r;
  r.sk = ItemStorageKey(t, *key);
  if (st.projection) r.ex.projection = st.projection;
  CK_ASSIGN_OR_RETURN(auto items, ReadConsistently(tables, {r}, ctx));
  if (!items[0]) return std::optional<ApiItem>();
  if (auto rest = ddb::WithoutEqualities(*st.where, KeyNames(t))) {
    CK_ASSIGN_OR_RETURN(bool keep, ddb::Evaluate(*rest, *items[0]));
    if (!keep) return std::optional<ApiItem>();
  }
  CK_ASSIGN_OR_RETURN(ApiItem typed, ToApi(*items[0]));
  return std::optional<ApiItem>(std::move(typed));
}

Result<api::BatchExecuteStatementOutput> DynamoDbService::BatchExecuteStatement(
    const api::BatchExecuteStatementInput& in, RequestContext& ctx) {
  std::vector<Result<ddb::PartiqlStatement>> parsed;
  bool reads = false, writes = false;
  for (const auto& r : in.statements) {
    parsed.push_back(Parse(r.statement, r.parameters));
    if (parsed.back().ok()) (parsed.back()->kind == ddb::PartiqlStatement::kSelect ? reads : writes) = true;
  }
  if (reads && writes)  // text UNVERIFIED
    return errors::Validation("Statements in a batch must be all read statements or all write statements");
  // Each statement succeeds or fails on its own.
  api::BatchExecuteStatementOutput out;
  out.responses.emplace();
  std::set<std::string> targets;
  for (size_t i = 0; i < in.statements.size(); ++i) {
    api::BatchStatementResponse resp;
    if (!parsed[i].ok()) {
      resp.error = BatchError(parsed[i].status());
    } else {
      resp.table_name = parsed[i]->table;
      auto item = BatchStatement(*parsed[i], in.statements[i], targets, ctx);
      if (!item.ok()) {
        resp.error = BatchError(item.status());
      } else {
        resp.item = std::move(*item);
      }
    }
    out.responses->push_back(std::move(resp));
  }
  return out;
}

Result<api::ExecuteTransactionOutput> DynamoDbService::ExecuteTransaction(const api::ExecuteTransactionInput& in,
                                                                          RequestContext& ctx) {
  std::vector<ddb::PartiqlStatement> statements;
  bool reads = false, writes = false;
  for (const auto& p : in.transact_statements) {
    CK_ASSIGN_OR_RETURN(ddb::PartiqlStatement st, Parse(p.statement, p.parameters));
    (st.kind == ddb::PartiqlStatement::kSelect ? reads : writes) = true;
    statements.push_back(std::move(st));
  }
  if (reads && writes)  // text UNVERIFIED
    return errors::Validation("Transactions must be all read statements or all write statements");
  std::vector<TransactTable> tables;
  std::set<std::string> targets;
  api::ExecuteTransactionOutput out;
  out.responses.emplace();
  if (reads) {
    std::vector<ReadAction> gets;
    std::vector<std::optional<ddb::Condition>> rests;
    for (const auto& st : statements) {
      ReadAction r;
      CK_ASSIGN_OR_RETURN(r.table, LoadForTransaction(tables, st.table, ctx, "PartiQLSelect"));
      const TableRecord& t = tables[r.table].record;
      CK_ASSIGN_OR_RETURN(std::optional<Json> key, KeyFromWhere(t, st.where));
      if (!key) return NoKeyEquality();
      r.sk = ItemStorageKey(t, *key);
      if (!targets.insert(r.sk).second) return DuplicateTarget();
      if (st.projection) r.ex.projection = st.projection;
      rests.push_back(ddb::WithoutEqualities(*st.where, KeyNames(t)));
      gets.push_back(std::move(r));
    }
    CK_ASSIGN_OR_RETURN(auto items, ReadConsistently(tables, gets, ctx));
    for (size_t i = 0; i < items.size(); ++i) {
      api::ItemResponse r;
      bool keep = items[i].has_value();
      if (keep && rests[i]) {
        CK_ASSIGN_OR_RETURN(keep, ddb::Evaluate(*rests[i], *items[i]));
      }
      if (keep) {
        CK_ASSIGN_OR_RETURN(r.item, ToApi(*items[i]));
      }
      out.responses->push_back(std::move(r));
    }
    return out;
  }
  std::vector<WriteAction> actions;
  for (size_t i = 0; i < statements.size(); ++i) {
    CK_ASSIGN_OR_RETURN(WriteAction a,
                        PartiqlWrite(statements[i], tables, ctx,
                                     ReturnOldOnFailure(in.transact_statements[i].return_values_on_condition_check_failure)));
    if (!targets.insert(a.sk).second) return DuplicateTarget();
    actions.push_back(std::move(a));
  }
  std::optional<TransactToken> token;
  if (in.client_request_token)
    token = TransactToken{TokenKey(ctx.principal.account, ctx.region, "partiql/" + *in.client_request_token),
                          HexEncode(crypto::Sha256(fields::EncodeValue(in.transact_statements).dump()))};
  CK_ASSIGN_OR_RETURN(auto reasons, CommitWrites(tables, actions, token, ctx));
  if (reasons) return Cancelled(*reasons);
  return out;  // writes answer "Responses": [] (recorded)
}

}  // namespace ck::services::dynamodb
