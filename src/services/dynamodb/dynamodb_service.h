// DynamoDB (JSON 1.0, DynamoDB_20120810.*): tables and items, encrypted at
// rest, with the key-resolution behaviour of AWS-SEMANTICS §3: an
// SSESpecification's key (id, ARN, alias or alias ARN) is resolved through
// KMS as the caller when the table is created or updated, and the key ARN is
// stored, so re-pointing an alias later changes nothing.
//
// Each operation is a typed function over the generated shapes
// (api/dynamodb.h), registered in the service's OperationTable; model
// operations not in the table answer NotImplementedException. Items are kept
// as attribute-value documents (items.h) and converted at the edge.
//
// Encryption at rest: each table has a random 256-bit table key. Items are
// sealed with it (AES-256-GCM, AAD = table id + storage key). The table key
// is wrapped either by KMS (customer managed key or aws/dynamodb; the KMS
// ciphertext blob is stored in the table record, encryption context
// {"aws:dynamodb:tableName", "aws:dynamodb:subscriberId"}) or, for the AWS
// owned key, by a server key derived from `owned_key_seed`. Every item
// request unwraps the table key with one KMS Decrypt as the caller (via
// dynamodb), so a disabled key or a missing kms:Decrypt permission fails the
// request at once; nothing is cached. Records and keys: table_record.h, items.h.
//
// Thread safety: safe for concurrent use; item writes use store preconditions
// (optimistic concurrency) so concurrent conditional writes stay correct.
#pragma once

#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>

#include "api/dynamodb.h"
#include "base/clock.h"
#include "services/authorizer.h"
#include "services/common/operation_table.h"
#include "services/common/record_table.h"
#include "services/dynamodb/items.h"
#include "services/dynamodb/table_record.h"
#include "services/kms/kms_client.h"
#include "services/service.h"
#include "storage/metadata_store.h"

namespace ck::services::ddb {
struct PartiqlStatement;
}  // namespace ck::services::ddb

namespace ck::services::dynamodb {

struct SseChoice;
struct ReadRequest;
struct ReadResult;
struct TransactTable;
struct WriteAction;
struct ReadAction;
struct TransactToken;
struct CancelReason;

class DynamoDbService final : public Service {
 public:
  // `owned_key_seed`: secret bytes (e.g. the server master key) from which
  // the "AWS owned key" that wraps tables without SSE is derived.
  DynamoDbService(storage::MetadataStore& store, PolicyAuthorizer& authorizer, KmsClient& kms, const Clock& clock,
                  const std::string& owned_key_seed);

  // What a TableDescription answers: CreateTable's (CREATING, no key check,
  // no warm throughput unless asked for), UpdateTable's and DeleteTable's,
  // or DescribeTable's (checks the KMS key's state).
  enum class DescribeFor { kCreate, kUpdate, kDelete, kDescribe };

  std::string_view name() const override { return "dynamodb"; }
  Result<Document> Invoke(std::string_view operation, const Document& input, RequestContext& ctx) override;
  Status CheckModel() const override;

  // table_ops.cpp
  Result<api::dynamodb::CreateTableOutput> CreateTable(const api::dynamodb::CreateTableInput& in,
                                                       RequestContext& ctx);
  Result<api::dynamodb::DescribeTableOutput> DescribeTable(const api::dynamodb::DescribeTableInput& in,
                                                           RequestContext& ctx);
  Result<api::dynamodb::UpdateTableOutput> UpdateTable(const api::dynamodb::UpdateTableInput& in,
                                                       RequestContext& ctx);
  Result<api::dynamodb::DeleteTableOutput> DeleteTable(const api::dynamodb::DeleteTableInput& in,
                                                       RequestContext& ctx);
  Result<api::dynamodb::ListTablesOutput> ListTables(const api::dynamodb::ListTablesInput& in, RequestContext& ctx);
  Result<api::dynamodb::UpdateContinuousBackupsOutput> UpdateContinuousBackups(
      const api::dynamodb::UpdateContinuousBackupsInput& in, RequestContext& ctx);
  Result<api::dynamodb::DescribeContinuousBackupsOutput> DescribeContinuousBackups(
      const api::dynamodb::DescribeContinuousBackupsInput& in, RequestContext& ctx);
  Result<api::dynamodb::UpdateContributorInsightsOutput> UpdateContributorInsights(
      const api::dynamodb::UpdateContributorInsightsInput& in, RequestContext& ctx);
  Result<api::dynamodb::DescribeContributorInsightsOutput> DescribeContributorInsights(
      const api::dynamodb::DescribeContributorInsightsInput& in, RequestContext& ctx);

  // item_ops.cpp
  Result<api::dynamodb::PutItemOutput> PutItem(const api::dynamodb::PutItemInput& in, RequestContext& ctx);
  Result<api::dynamodb::GetItemOutput> GetItem(const api::dynamodb::GetItemInput& in, RequestContext& ctx);
  Result<api::dynamodb::DeleteItemOutput> DeleteItem(const api::dynamodb::DeleteItemInput& in, RequestContext& ctx);
  Result<api::dynamodb::UpdateItemOutput> UpdateItem(const api::dynamodb::UpdateItemInput& in, RequestContext& ctx);
  Result<api::dynamodb::BatchWriteItemOutput> BatchWriteItem(const api::dynamodb::BatchWriteItemInput& in,
                                                             RequestContext& ctx);
  Result<api::dynamodb::BatchGetItemOutput> BatchGetItem(const api::dynamodb::BatchGetItemInput& in,
                                                         RequestContext& ctx);

  // transact_ops.cpp
  Result<api::dynamodb::TransactWriteItemsOutput> TransactWriteItems(const api::dynamodb::TransactWriteItemsInput& in,
                                                                     RequestContext& ctx);
  Result<api::dynamodb::TransactGetItemsOutput> TransactGetItems(const api::dynamodb::TransactGetItemsInput& in,
                                                                 RequestContext& ctx);

  // partiql_ops.cpp
  Result<api::dynamodb::ExecuteStatementOutput> ExecuteStatement(const api::dynamodb::ExecuteStatementInput& in,
                                                                 RequestContext& ctx);
  Result<api::dynamodb::BatchExecuteStatementOutput> BatchExecuteStatement(
      const api::dynamodb::BatchExecuteStatementInput& in, RequestContext& ctx);
  Result<api::dynamodb::ExecuteTransactionOutput> ExecuteTransaction(const api::dynamodb::ExecuteTransactionInput& in,
                                                                     RequestContext& ctx);

  // query_ops.cpp
  Result<api::dynamodb::QueryOutput> Query(const api::dynamodb::QueryInput& in, RequestContext& ctx);
  Result<api::dynamodb::ScanOutput> Scan(const api::dynamodb::ScanInput& in, RequestContext& ctx);

 private:
  static const OperationTable<DynamoDbService>& Operations();

  // table_ops.cpp
  Result<api::dynamodb::TableDescription> Describe(const TableRecord& t, RequestContext& ctx, DescribeFor what);
  // Reads, changes and writes back a table record (compare-and-swap), for
  // the table-setting operations.
  template <typename Change>
  Result<TableRecord> ChangeTable(const std::string& name, RequestContext& ctx, const std::string& action,
                                  Change&& change);
  // Wraps a new table key under `sse` (CreateTable) or re-wraps `table_key` (UpdateTable).
  Status WrapTableKey(TableRecord& t, const SseChoice& sse, const std::string* table_key, RequestContext& ctx);

  // transact_ops.cpp: the index of `name` in `tables`, loading it (and
  // authorizing dynamodb:`action` on it) the first time.
  Result<size_t> LoadForTransaction(std::vector<TransactTable>& tables, const std::string& name, RequestContext& ctx,
                                    const std::string& action);
  // Runs the writes all or nothing (transaction.h): nullopt when committed
  // (or already committed under `token`), else the cancellation reasons.
  Result<std::optional<std::vector<CancelReason>>> CommitWrites(std::vector<TransactTable>& tables,
                                                                const std::vector<WriteAction>& actions,
                                                                const std::optional<TransactToken>& token,
                                                                RequestContext& ctx);
  Result<bool> StageToken(const TransactToken& token, storage::WriteBatch& b);
  Result<CancelReason> StageWrite(const TransactTable& table, const WriteAction& a, storage::WriteBatch& b);
  // The items (projected; nullopt: absent) as of one moment.
  Result<std::vector<std::optional<nlohmann::json>>> ReadConsistently(std::vector<TransactTable>& tables,
                                                                      const std::vector<ReadAction>& reads,
                                                                      RequestContext& ctx);

  // partiql_ops.cpp: an INSERT, UPDATE or DELETE statement as a transaction write.
  Result<WriteAction> PartiqlWrite(const ddb::PartiqlStatement& st, std::vector<TransactTable>& tables,
                                   RequestContext& ctx, bool return_old);
  // One statement of a BatchExecuteStatement: the item a read found.
  Result<std::optional<ApiItem>> BatchStatement(const ddb::PartiqlStatement& st,
                                                const api::dynamodb::BatchStatementRequest& req,
                                                std::set<std::string>& targets, RequestContext& ctx);

  // query_ops.cpp
  Result<ReadResult> Read(const ReadRequest& in, RequestContext& ctx);

  // Shared plumbing (dynamodb_service.cpp).
  Status Authorize(RequestContext& ctx, const std::string& action, const std::string& account,
                   const std::string& resource);
  // Resolves a table name or ARN and authorizes dynamodb:`action` on it.
  // `stored` (optional) receives the record's bytes as read, for a
  // compare-and-swap write.
  Result<TableRecord> LoadTable(const std::string& name_or_arn, RequestContext& ctx, const std::string& action,
                                std::string* stored = nullptr);
  Result<TableKey> UnwrapTableKey(const TableRecord& t, RequestContext& ctx);
  KmsCaller CallerFor(const RequestContext& ctx) const;

  // The table record as read, decoded: reused while the stored bytes are the
  // same, so an item request does not parse its table's record again.
  Result<TableRecord> DecodeTable(const std::string& key, const std::string& stored);

  storage::MetadataStore& store_;
  RecordTable<TableRecord> tables_;
  struct DecodedTable {
    std::string stored;
    TableRecord record;
  };
  std::mutex decoded_mu_;  // guards decoded_
  std::unordered_map<std::string, std::shared_ptr<const DecodedTable>> decoded_;  // by record key
  PolicyAuthorizer& authz_;
  KmsClient& kms_;
  const Clock& clock_;
  std::string owned_root_;  // 32 bytes
};

}  // namespace ck::services::dynamodb
