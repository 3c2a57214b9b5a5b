// The stored table record ("ddb.tables") and the storage keys of tables and
// items. The field names below are the on-disk format (table_record_test.cpp
// decodes a record as written before the field tables existed); renaming one
// is a format change.
//
// Thread safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "api/dynamodb.h"
#include "base/fields.h"
#include "core/principal.h"

namespace ck::services::dynamodb {

inline constexpr char kTables[] = "ddb.tables";
inline constexpr char kItems[] = "ddb.items";
// TransactWriteItems' client request tokens: KeyPart(account) KeyPart(region)
// KeyPart(token) → {"digest": <SHA-256 of the request's items>, "at": <epoch seconds>}.
inline constexpr char kTokens[] = "ddb.tokens";

// The principal that created the table or last changed its key: DescribeTable
// checks the key's state as this principal (AWS uses its grant).
struct StoredPrincipal {
  std::string arn, account;
  int32_t type = 0;  // Principal::Type
  std::string role_arn, user_id, username, session_name, access_key_id;

  static StoredPrincipal Of(const Principal& p);
  Principal ToPrincipal() const;
};
CK_DECLARE_FIELDS(StoredPrincipal);

// A secondary index. Index entries are not stored: an index read visits the
// table's items that carry the index key attributes (docs/dynamodb.md).
struct IndexRecord {
  std::string name;
  bool global = false;                                     // GSI; false: LSI
  std::string hash_key, hash_type, range_key, range_type;  // range_* empty when there is no sort key
  std::string projection = "ALL";                          // ALL | KEYS_ONLY | INCLUDE
  std::vector<std::string> non_key_attributes;             // INCLUDE
  int64_t rcu = 0, wcu = 0;                                // GSIs of PROVISIONED tables
};
CK_DECLARE_FIELDS(IndexRecord);

struct TableRecord {
  std::string name, arn, id, account, region;
  TimePoint created{};  // whole seconds
  std::string hash_key, hash_type, range_key, range_type;  // range_* empty when there is no sort key
  std::vector<api::dynamodb::AttributeDefinition> attribute_definitions;
  std::string billing_mode = "PROVISIONED";  // or PAY_PER_REQUEST
  int64_t rcu = 0, wcu = 0;
  bool deletion_protection = false;
  // Encryption at rest. sse_kms false: the AWS owned key, and wrapped_key is
  // the table key sealed under the server's owned-key root. sse_kms true:
  // wrapped_key is a KMS ciphertext blob of kms_key_arn. Without
  // sealed_table_key that blob's plaintext is the table key; with it (a table
  // re-keyed by UpdateTable) the plaintext is a data key and the table key is
  // sealed_table_key opened with it, so the items need no rewrite. (Records
  // written before re-keying existed never have it.)
  bool sse_kms = false;
  std::string kms_key_arn;
  Bytes wrapped_key;
  std::optional<Bytes> sealed_table_key;
  StoredPrincipal creator;
  std::vector<api::dynamodb::Tag> tags;
  // Members added later are optional, so records written before them encode
  // to the same bytes.
  std::optional<int64_t> warm_read, warm_write;  // CreateTable's WarmThroughput
  std::optional<TimePoint> on_demand_since;      // last switch to PAY_PER_REQUEST
  std::optional<TimePoint> pitr_since;           // point-in-time recovery enabled since
  std::optional<int32_t> pitr_days;              // its recovery period
  // Contributor Insights: enabled since, for the table ("") and by index name.
  std::optional<std::map<std::string, TimePoint>> insights;
  std::optional<std::vector<IndexRecord>> indexes;

  std::vector<api::dynamodb::KeySchemaElement> KeySchema() const;
  // The index of this name, or null.
  const IndexRecord* FindIndex(const std::string& index_name) const;
  // The storage-key prefix of this table's items.
  std::string ItemPrefix() const;
};
CK_DECLARE_FIELDS(TableRecord);

// "ddb.tables" key: KeyPart(account) KeyPart(region) KeyPart(name).
std::string TableRecordKey(const std::string& account, const std::string& region, const std::string& name);
// The prefix of every table record of an account in a region.
std::string TableRecordPrefix(const std::string& account, const std::string& region);

}  // namespace ck::services::dynamodb
