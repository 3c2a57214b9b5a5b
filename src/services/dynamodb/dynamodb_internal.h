// Internal to the DynamoDB service files: the table record, item sealing and
// storage keys. Not a public interface.
//
// Thread safety: plain values and pure functions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "core/principal.h"

namespace ck::services::ddb {

using Json = nlohmann::json;

inline constexpr char kTables[] = "ddb.tables";
inline constexpr char kItems[] = "ddb.items";
inline constexpr size_t kMaxItemBytes = 400 * 1024;
inline constexpr size_t kMaxPageBytes = 1024 * 1024;

struct Table {
  std::string name, arn, id, account, region;
  double created = 0;
  std::string hash_key, hash_type, range_key, range_type;  // range empty when none
  Json attribute_definitions = Json::array();
  std::string billing_mode = "PROVISIONED";
  long long rcu = 0, wcu = 0;
  bool deletion_protection = false;
  // Encryption: sse_kms false → AWS owned key (wrapped_key sealed by the server).
  bool sse_kms = false;
  std::string kms_key_arn;
  std::string wrapped_key;  // KMS ciphertext blob, or owned-key-sealed bytes
  Json creator;             // principal that created/last re-keyed the table (key-state checks)
  Json tags = Json::array();

  Json ToJson() const;
  static Table FromJson(const Json& j);
  Json KeySchema() const;
  std::string TableKeyPrefix() const;  // the items of this table
};

struct TableKey {
  std::string bytes;  // 32-byte table key
};

std::string TableRecordKey(const std::string& account, const std::string& region, const std::string& name);
// Storage key of an item with these key attributes (already validated).
std::string ItemStorageKey(const Table& t, const Json& key_attrs);
// Only the key attributes of an item.
Json KeyOf(const Table& t, const Json& item);

// Validates a full item's key attributes (PutItem): "Missing the key ... in the item".
Status ValidateItemKey(const Table& t, const Json& item);
// Validates a Key parameter (GetItem, DeleteItem, UpdateItem, ExclusiveStartKey).
Status ValidateKeyParam(const Table& t, const Json& key, const std::string& what = "");

std::string SealItem(const TableKey& k, const Table& t, const std::string& storage_key, const Json& item);
Result<Json> OpenItem(const TableKey& k, const Table& t, const std::string& storage_key, const std::string& sealed);

Json PrincipalToJson(const Principal& p);
Principal PrincipalFromJson(const Json& j);

Status ResourceNotFound(const std::string& message = "Requested resource not found");
std::string Str(const Json& in, const char* key, const std::string& fallback = "");

}  // namespace ck::services::ddb
