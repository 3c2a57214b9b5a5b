#include "services/dynamodb/items.h"

#include "crypto/aead.h"
#include "crypto/hash.h"
#include "services/dynamodb/attribute_value.h"
#include "services/dynamodb/errors.h"
#include "services/dynamodb/limits.h"
#include "storage/key_codec.h"

namespace ck::services::dynamodb {

namespace {

Status CheckKeyValue(const std::string& name, const std::string& type, const Json& v, bool item) {
  std::string actual = ddb::TypeOf(v);
  if (actual != type) {
    if (item)
      return errors::Validation("One or more parameter values were invalid: Type mismatch for key " + name +
                                " expected: " + type + " actual: " + actual);
    return errors::Validation("The provided key element does not match the schema");
  }
  if ((type == "S" || type == "B") && v[type].get<std::string>().empty())
    return errors::Validation(std::string("One or more parameter values are not valid. The AttributeValue for a key "
                                          "attribute cannot contain an empty ") +
                              (type == "S" ? "string" : "binary") + " value. Key: " + name);
  return Status::Ok();
}

// "Missing the key ... in the item" and type checks of a full item's key attributes.
Status ValidateItemKey(const TableRecord& t, const Json& item, ItemKeyErrors mode) {
  for (const auto& [name, type] : {std::pair{t.hash_key, t.hash_type}, std::pair{t.range_key, t.range_type}}) {
    if (name.empty()) continue;
    auto it = item.find(name);
    if (mode == ItemKeyErrors::kSchema && (it == item.end() || ddb::TypeOf(*it) != type))
      return errors::Validation("The provided key element does not match the schema");
    if (it == item.end())
      return errors::Validation("One or more parameter values were invalid: Missing the key " + name + " in the item");
    CK_RETURN_IF_ERROR(CheckKeyValue(name, type, *it, true));
    CK_RETURN_IF_ERROR(ddb::CheckKeySize(*it, name == t.hash_key));
  }
  return Status::Ok();
}

Status ValidateKeyParam(const TableRecord& t, const Json& key, const std::string& what) {
  size_t want = t.range_key.empty() ? 1 : 2;
  if (!key.is_object() || key.size() != want || !key.contains(t.hash_key) ||
      (!t.range_key.empty() && !key.contains(t.range_key)))
    return errors::Validation(what + "The provided key element does not match the schema");
  for (const auto& [name, type] : {std::pair{t.hash_key, t.hash_type}, std::pair{t.range_key, t.range_type}}) {
    if (name.empty()) continue;
    Status s = CheckKeyValue(name, type, key.at(name), false);
    if (s.ok()) s = ddb::CheckKeySize(key.at(name), name == t.hash_key);
    if (!s.ok()) return errors::Validation(what + s.message());
  }
  return Status::Ok();
}

}  // namespace

Json ToJson(const ApiItem& item) { return fields::EncodeValue(item); }

Result<ApiItem> ToApi(const Json& item) {
  ApiItem out;
  Status s = fields::DecodeValue(item, &out, DecodeOptions{}, "");
  if (!s.ok()) return Internal("dynamodb: a stored item does not decode: " + s.message());
  return out;
}

Status CheckIndexKeys(const TableRecord& t, const Json& item) {
  if (!t.indexes) return Status::Ok();
  // Texts as DynamoDB answers them (commonly quoted; UNVERIFIED against a recording).
  for (const auto& i : *t.indexes)
    for (const auto& [name, type] : {std::pair{i.hash_key, i.hash_type}, std::pair{i.range_key, i.range_type}}) {
      if (name.empty() || name == t.hash_key || name == t.range_key) continue;
      auto it = item.find(name);
      if (it == item.end()) continue;
      std::string actual = ddb::TypeOf(*it);
      if (actual != type)
        return errors::Validation("One or more parameter values were invalid: Type mismatch for Index Key " + name +
                                  " Expected: " + type + " Actual: " + actual + " IndexName: " + i.name);
      if ((type == "S" || type == "B") && ddb::TextOf(*it).empty())
        return errors::Validation("One or more parameter values are not valid. A value specified for a secondary "
                                  "index key is not supported. The AttributeValue for a key attribute cannot contain "
                                  "an empty " + std::string(type == "S" ? "string" : "binary") +
                                  " value. IndexName: " + i.name + ", IndexKey: " + name);
    }
  return Status::Ok();
}

Result<Json> ItemParam(const TableRecord& t, const ApiItem& item, ItemKeyErrors mode) {
  Json j = ToJson(item);
  CK_RETURN_IF_ERROR(ddb::ValidateItem(&j));
  CK_RETURN_IF_ERROR(ValidateItemKey(t, j, mode));
  CK_RETURN_IF_ERROR(CheckIndexKeys(t, j));
  if (ddb::ItemSize(j) > kMaxItemBytes) return errors::Validation("Item size has exceeded the maximum allowed size");
  return j;
}

Result<Json> KeyParam(const TableRecord& t, const ApiItem& key, const std::string& what) {
  Json j = ToJson(key);
  for (auto& [name, v] : j.items()) CK_RETURN_IF_ERROR(ddb::ValidateAndNormalize(&v));
  CK_RETURN_IF_ERROR(ValidateKeyParam(t, j, what));
  return j;
}

std::string ItemStorageKey(const TableRecord& t, const Json& key_attrs) {
  std::string k = t.ItemPrefix();
  storage::AppendKeyPart(&k, ddb::KeyBytes(key_attrs.at(t.hash_key)));
  if (!t.range_key.empty()) storage::AppendKeyPart(&k, ddb::KeyBytes(key_attrs.at(t.range_key)));
  return k;
}

Json KeyOf(const TableRecord& t, const Json& item) {
  Json k = Json::object();
  k[t.hash_key] = item.at(t.hash_key);
  if (!t.range_key.empty()) k[t.range_key] = item.at(t.range_key);
  return k;
}

std::string SealItem(const TableKey& k, const TableRecord& t, const std::string& storage_key, const Json& item) {
  std::string out;
  crypto::AesGcmSeal(k.bytes, crypto::RandomBytes(crypto::kAesGcmIvSize), t.id + '\0' + storage_key, item.dump(), &out);
  return out;
}

Result<Json> OpenItem(const TableKey& k, const TableRecord& t, const std::string& storage_key,
                      const std::string& sealed) {
  auto plain = crypto::AesGcmOpen(k.bytes, t.id + '\0' + storage_key, sealed);
  if (!plain) return DataLoss("an item of table " + t.name + " failed its integrity check");
  Json item = Json::parse(*plain, nullptr, /*allow_exceptions=*/false);
  if (item.is_discarded()) return DataLoss("an item of table " + t.name + " is not valid JSON");
  return item;
}

}  // namespace ck::services::dynamodb
