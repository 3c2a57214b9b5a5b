// DynamoDB (JSON 1.0, DynamoDB_20120810.*): tables and items, encrypted at
// rest, with the key-resolution behaviour of AWS-SEMANTICS §3: an
// SSESpecification's key (id, ARN, alias or alias ARN) is resolved through
// KMS as the caller when the table is created or updated, and the key ARN is
// stored, so re-pointing an alias later changes nothing.
//
// Encryption at rest: each table has a random 256-bit table key. Items are
// sealed with it (AES-256-GCM, AAD = table id + storage key). The table key
// is wrapped either by KMS (customer managed key or aws/dynamodb; the KMS
// ciphertext blob is stored in the table record, encryption context
// {"aws:dynamodb:tableName", "aws:dynamodb:subscriberId"}) or, for the AWS
// owned key, by a server key derived from `owned_key_seed`. Every item
// request unwraps the table key with one KMS Decrypt as the caller (via
// dynamodb), so a disabled key or a missing kms:Decrypt permission fails the
// request at once; nothing is cached.
//
// Storage:
//   "ddb.tables": KeyPart(account) KeyPart(region) KeyPart(table name) → table JSON
//   "ddb.items":  KeyPart(account) KeyPart(region) KeyPart(table id)
//                 KeyPart(hash key bytes) [KeyPart(range key bytes)] → sealed item
// Key bytes are order-preserving (S: UTF-8, N: Decimal::SortableBytes, B: raw),
// so Query reads a partition in sort-key order with a prefix scan.
//
// Thread safety: safe for concurrent use; item writes use store preconditions
// (optimistic concurrency) so concurrent conditional writes stay correct.
#pragma once

#include <string>

#include "base/clock.h"
#include "services/authorizer.h"
#include "services/kms/kms_client.h"
#include "services/service.h"
#include "storage/metadata_store.h"

namespace ck::services {

namespace ddb {
struct Table;
struct TableKey;
}  // namespace ddb

class DynamoDbService final : public Service {
 public:
  // `owned_key_seed`: secret bytes (e.g. the server master key) from which
  // the "AWS owned key" that wraps tables without SSE is derived.
  DynamoDbService(storage::MetadataStore& store, PolicyAuthorizer& authorizer, KmsClient& kms, const Clock& clock,
                  const std::string& owned_key_seed);

  std::string_view name() const override { return "dynamodb"; }
  Result<nlohmann::json> Invoke(std::string_view operation, const nlohmann::json& input,
                                RequestContext& ctx) override;

 private:
  using Json = nlohmann::json;

  // table_ops.cpp
  Result<Json> CreateTable(const Json& in, RequestContext& ctx);
  Result<Json> DescribeTable(const Json& in, RequestContext& ctx);
  Result<Json> UpdateTable(const Json& in, RequestContext& ctx);
  Result<Json> DeleteTable(const Json& in, RequestContext& ctx);
  Result<Json> ListTables(const Json& in, RequestContext& ctx);
  Result<Json> TableDescription(const ddb::Table& t, RequestContext& ctx, bool check_key);

  // item_ops.cpp
  Result<Json> PutItem(const Json& in, RequestContext& ctx);
  Result<Json> GetItem(const Json& in, RequestContext& ctx);
  Result<Json> DeleteItem(const Json& in, RequestContext& ctx);
  Result<Json> UpdateItem(const Json& in, RequestContext& ctx);
  Result<Json> BatchWriteItem(const Json& in, RequestContext& ctx);
  Result<Json> BatchGetItem(const Json& in, RequestContext& ctx);

  // query_ops.cpp
  Result<Json> QueryOrScan(const Json& in, RequestContext& ctx, bool query);

  // Shared plumbing (dynamodb_service.cpp).
  Status Authorize(RequestContext& ctx, const std::string& action, const std::string& account,
                   const std::string& resource);
  // Resolves TableName (name or ARN) and authorizes `action` on it.
  Result<ddb::Table> LoadTable(const Json& in, RequestContext& ctx, const std::string& action,
                               const std::string& field = "TableName");
  Result<ddb::Table> LoadTableByName(const std::string& name_or_arn, RequestContext& ctx,
                                     const std::string& action);
  Result<ddb::TableKey> UnwrapTableKey(const ddb::Table& t, RequestContext& ctx);
  KmsCaller CallerFor(const RequestContext& ctx) const;

  storage::MetadataStore& store_;
  PolicyAuthorizer& authz_;
  KmsClient& kms_;
  const Clock& clock_;
  std::string owned_root_;  // 32 bytes
};

}  // namespace ck::services
