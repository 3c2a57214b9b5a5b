// Items as the service keeps them: JSON documents of attribute name →
// AttributeValue in its wire form ({"S": "x"}, {"N": "1.5"}, {"B": "<base64>"},
// ...; attribute_value.h), converted from and to the API's typed values at
// the edge. Also the items' storage keys, key validation and sealing.
//
//   "ddb.items": TableRecord::ItemPrefix() KeyPart(hash key bytes) [KeyPart(range key bytes)]
//                → AES-256-GCM(table key, AAD = table id '\0' storage key, item JSON)
//
// Thread safety: pure functions.
#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "api/dynamodb.h"
#include "base/status.h"
#include "services/dynamodb/table_record.h"

namespace ck::services::dynamodb {

using Json = nlohmann::json;
using ApiItem = std::map<std::string, api::dynamodb::AttributeValue>;

inline constexpr size_t kMaxItemBytes = 400 * 1024;
inline constexpr size_t kMaxPageBytes = 1024 * 1024;

struct TableKey {
  std::string bytes;  // 32-byte table key
};

// The typed values as an item document (numbers not yet normalized).
Json ToJson(const ApiItem& item);
// An item document as typed values.
Result<ApiItem> ToApi(const Json& item);

// How a full item's missing or mistyped key attribute is refused: PutItem
// (and transactions) name the attribute ("Missing the key id in the item",
// "Type mismatch for key id ..."); BatchWriteItem answers "The provided key
// element does not match the schema" (recorded).
enum class ItemKeyErrors { kNamed, kSchema };

// A full item (PutItem, BatchWriteItem): validated, numbers normalized, key
// attributes present with the schema's types, index key attributes (when
// present) of their declared types, within the item size limit.
Result<Json> ItemParam(const TableRecord& t, const ApiItem& item, ItemKeyErrors errors = ItemKeyErrors::kNamed);
// The secondary-index key attributes an item carries must have the types the
// table declares for them (also checked on the result of an update).
Status CheckIndexKeys(const TableRecord& t, const Json& item);
// A Key parameter (GetItem, DeleteItem, UpdateItem, BatchGetItem,
// ExclusiveStartKey): validated, normalized, exactly the key schema's
// attributes. `what` prefixes the schema-mismatch message.
Result<Json> KeyParam(const TableRecord& t, const ApiItem& key, const std::string& what = "");

// Storage key of an item with these (validated) key attributes.
std::string ItemStorageKey(const TableRecord& t, const Json& key_attrs);
// Only the key attributes of an item.
Json KeyOf(const TableRecord& t, const Json& item);

std::string SealItem(const TableKey& k, const TableRecord& t, const std::string& storage_key, const Json& item);
Result<Json> OpenItem(const TableKey& k, const TableRecord& t, const std::string& storage_key,
                      const std::string& sealed);

}  // namespace ck::services::dynamodb
