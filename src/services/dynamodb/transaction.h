// The transaction engine TransactWriteItems / TransactGetItems and PartiQL's
// ExecuteTransaction share (transact_ops.cpp): actions checked up front, then
// read, evaluated and committed all or nothing in one store batch whose
// preconditions pin every item read. Internal to the DynamoDB service files.
//
// Thread safety: plain values.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/fields.h"
#include "base/status.h"
#include "services/dynamodb/items.h"
#include "services/dynamodb/operation_support.h"
#include "services/dynamodb/table_record.h"

namespace ck::services::dynamodb {

// A table a transaction names, loaded once (by name or ARN as written).
struct TransactTable {
  std::string name;
  TableRecord record;
  std::optional<TableKey> key;  // unwrapped before the reads
};

// One write of a transaction, checked and ready to run.
struct WriteAction {
  enum Kind { kCheck, kPut, kUpdate, kDelete } kind = kCheck;
  size_t table = 0;          // index into the transaction's tables
  std::string sk;            // storage key of the target item
  Json key;                  // its key attributes
  std::optional<Json> item;  // kPut: the new item
  Expressions ex;            // condition; kUpdate: the update actions
  bool return_old = false;   // ReturnValuesOnConditionCheckFailure ALL_OLD
  // PartiQL: INSERT fails on an existing item ("DuplicateItem"); UPDATE on a
  // missing one (the condition fails); DELETE of a missing item succeeds
  // whatever its condition says.
  bool insert = false, must_exist = false, condition_if_exists = false;
};

// One read of a transaction.
struct ReadAction {
  size_t table = 0;
  std::string sk;
  Expressions ex;  // projection
};

// A ClientRequestToken: where it is kept and the request's digest.
struct TransactToken {
  std::string key, digest;
};

// Why an action of a cancelled transaction could not run ("None": it could):
// a CancellationReason as AWS lists it.
struct CancelReason {
  std::string code = "None";  // ConditionalCheckFailed, DuplicateItem, ValidationError, TransactionConflict
  std::string message;
  std::optional<Json> item;  // ReturnValuesOnConditionCheckFailure ALL_OLD
};

// A client request token's record ("ddb.tokens"): the request's digest and
// when it ran.
struct TokenRecord {
  std::string digest;
  TimePoint at{};
};
CK_DECLARE_FIELDS(TokenRecord);

// "Transaction request cannot include multiple operations on one item".
Status DuplicateTarget();
// TransactionCanceledException for the reasons (one per action, in order).
Status Cancelled(const std::vector<CancelReason>& reasons);
// Every action's reason when the transaction kept meeting concurrent changes.
std::vector<CancelReason> ConflictReasons(size_t n);
// The storage key of a client request token.
std::string TokenKey(const std::string& account, const std::string& region, const std::string& token);

}  // namespace ck::services::dynamodb
