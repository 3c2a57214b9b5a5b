// The stored table record ("ddb.tables") and the storage keys of tables and
// items. The field names below are the on-disk format (table_record_test.cpp
// decodes a record as written before the field tables existed); renaming one
// is a format change.
//
// Thread safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/dynamodb.h"
#include "base/fields.h"
#include "core/principal.h"

namespace ck::services::dynamodb {

inline constexpr char kTables[] = "ddb.tables";
inline constexpr char kItems[] = "ddb.items";

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

  std::vector<api::dynamodb::KeySchemaElement> KeySchema() const;
  // The storage-key prefix of this table's items.
  std::string ItemPrefix() const;
};
CK_DECLARE_FIELDS(TableRecord);

// "ddb.tables" key: KeyPart(account) KeyPart(region) KeyPart(name).
std::string TableRecordKey(const std::string& account, const std::string& region, const std::string& name);
// The prefix of every table record of an account in a region.
std::string TableRecordPrefix(const std::string& account, const std::string& region);

}  // namespace ck::services::dynamodb
