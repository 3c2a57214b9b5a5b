#include "services/dynamodb/dynamodb_service.h"

#include "base/codec.h"
#include "core/arn.h"
#include "crypto/aead.h"
#include "crypto/hash.h"
#include "services/dynamodb/attribute_value.h"
#include "services/dynamodb/dynamodb_internal.h"
#include "services/dynamodb/limits.h"
#include "storage/key_codec.h"

namespace ck::services {

using nlohmann::json;

namespace ddb {

std::string Str(const Json& in, const char* key, const std::string& fallback) {
  auto it = in.find(key);
  return it != in.end() && it->is_string() ? it->get<std::string>() : fallback;
}

Status ResourceNotFound(const std::string& message) { return AwsError("ResourceNotFoundException", 400, message); }

Json Table::ToJson() const {
  return {{"name", name}, {"arn", arn}, {"id", id}, {"account", account}, {"region", region},
          {"created", created}, {"hash_key", hash_key}, {"hash_type", hash_type}, {"range_key", range_key},
          {"range_type", range_type}, {"attribute_definitions", attribute_definitions},
          {"billing_mode", billing_mode}, {"rcu", rcu}, {"wcu", wcu}, {"deletion_protection", deletion_protection},
          {"sse_kms", sse_kms}, {"kms_key_arn", kms_key_arn}, {"wrapped_key", Base64Encode(wrapped_key)},
          {"creator", creator}, {"tags", tags}};
}

Table Table::FromJson(const Json& j) {
  Table t;
  t.name = j.value("name", "");
  t.arn = j.value("arn", "");
  t.id = j.value("id", "");
  t.account = j.value("account", "");
  t.region = j.value("region", "");
  t.created = j.value("created", 0.0);
  t.hash_key = j.value("hash_key", "");
  t.hash_type = j.value("hash_type", "");
  t.range_key = j.value("range_key", "");
  t.range_type = j.value("range_type", "");
  t.attribute_definitions = j.value("attribute_definitions", Json::array());
  t.billing_mode = j.value("billing_mode", "PROVISIONED");
  t.rcu = j.value("rcu", 0LL);
  t.wcu = j.value("wcu", 0LL);
  t.deletion_protection = j.value("deletion_protection", false);
  t.sse_kms = j.value("sse_kms", false);
  t.kms_key_arn = j.value("kms_key_arn", "");
  t.wrapped_key = Base64Decode(j.value("wrapped_key", "")).value_or("");
  t.creator = j.value("creator", Json::object());
  t.tags = j.value("tags", Json::array());
  return t;
}

Json Table::KeySchema() const {
  Json ks = Json::array({{{"AttributeName", hash_key}, {"KeyType", "HASH"}}});
  if (!range_key.empty()) ks.push_back({{"AttributeName", range_key}, {"KeyType", "RANGE"}});
  return ks;
}

std::string Table::TableKeyPrefix() const {
  std::string k;
  storage::AppendKeyPart(&k, account);
  storage::AppendKeyPart(&k, region);
  storage::AppendKeyPart(&k, id);
  return k;
}

std::string TableRecordKey(const std::string& account, const std::string& region, const std::string& name) {
  std::string k;
  storage::AppendKeyPart(&k, account);
  storage::AppendKeyPart(&k, region);
  storage::AppendKeyPart(&k, name);
  return k;
}

std::string ItemStorageKey(const Table& t, const Json& key_attrs) {
  std::string k = t.TableKeyPrefix();
  storage::AppendKeyPart(&k, KeyBytes(key_attrs.at(t.hash_key)));
  if (!t.range_key.empty()) storage::AppendKeyPart(&k, KeyBytes(key_attrs.at(t.range_key)));
  return k;
}

Json KeyOf(const Table& t, const Json& item) {
  Json k = Json::object();
  k[t.hash_key] = item.at(t.hash_key);
  if (!t.range_key.empty()) k[t.range_key] = item.at(t.range_key);
  return k;
}

namespace {

Status CheckKeyValue(const std::string& name, const std::string& type, const Json& v, bool item) {
  std::string actual = TypeOf(v);
  if (actual != type) {
    if (item)
      return DdbValidation("One or more parameter values were invalid: Type mismatch for key " + name +
                           " expected: " + type + " actual: " + actual);
    return DdbValidation("The provided key element does not match the schema");
  }
  if ((type == "S" || type == "B") && v[type].get<std::string>().empty())
    return DdbValidation(std::string("One or more parameter values are not valid. The AttributeValue for a key "
                                     "attribute cannot contain an empty ") +
                         (type == "S" ? "string" : "binary") + " value. Key: " + name);
  return Status::Ok();
}

}  // namespace

Status ValidateItemKey(const Table& t, const Json& item) {
  for (const auto& [name, type] : {std::pair{t.hash_key, t.hash_type}, std::pair{t.range_key, t.range_type}}) {
    if (name.empty()) continue;
    auto it = item.find(name);
    if (it == item.end())
      return DdbValidation("One or more parameter values were invalid: Missing the key " + name + " in the item");
    CK_RETURN_IF_ERROR(CheckKeyValue(name, type, *it, true));
    CK_RETURN_IF_ERROR(CheckKeySize(*it, name == t.hash_key));
  }
  return Status::Ok();
}

Status ValidateKeyParam(const Table& t, const Json& key, const std::string& what) {
  size_t want = t.range_key.empty() ? 1 : 2;
  if (!key.is_object() || key.size() != want || !key.contains(t.hash_key) ||
      (!t.range_key.empty() && !key.contains(t.range_key)))
    return DdbValidation(what + "The provided key element does not match the schema");
  for (const auto& [name, type] : {std::pair{t.hash_key, t.hash_type}, std::pair{t.range_key, t.range_type}}) {
    if (name.empty()) continue;
    Status s = CheckKeyValue(name, type, key.at(name), false);
    if (s.ok()) s = CheckKeySize(key.at(name), name == t.hash_key);
    if (!s.ok()) return DdbValidation(what + s.message());
  }
  return Status::Ok();
}

std::string SealItem(const TableKey& k, const Table& t, const std::string& storage_key, const Json& item) {
  std::string out;
  crypto::AesGcmSeal(k.bytes, crypto::RandomBytes(crypto::kAesGcmIvSize), t.id + '\0' + storage_key, item.dump(), &out);
  return out;
}

Result<Json> OpenItem(const TableKey& k, const Table& t, const std::string& storage_key, const std::string& sealed) {
  auto plain = crypto::AesGcmOpen(k.bytes, t.id + '\0' + storage_key, sealed);
  if (!plain) return DataLoss("an item of table " + t.name + " failed its integrity check");
  try {
    return Json::parse(*plain);
  } catch (const std::exception&) {
    return DataLoss("an item of table " + t.name + " is not valid JSON");
  }
}

Json PrincipalToJson(const Principal& p) {
  return {{"arn", p.arn}, {"account", p.account}, {"type", static_cast<int>(p.type)}, {"role_arn", p.role_arn},
          {"user_id", p.user_id}, {"username", p.username}, {"session_name", p.session_name},
          {"access_key_id", p.access_key_id}};
}

Principal PrincipalFromJson(const Json& j) {
  Principal p;
  p.arn = j.value("arn", "");
  p.account = j.value("account", "");
  p.type = static_cast<Principal::Type>(j.value("type", static_cast<int>(Principal::Type::kRoot)));
  p.role_arn = j.value("role_arn", "");
  p.user_id = j.value("user_id", "");
  p.username = j.value("username", "");
  p.session_name = j.value("session_name", "");
  p.access_key_id = j.value("access_key_id", "");
  return p;
}

}  // namespace ddb

DynamoDbService::DynamoDbService(storage::MetadataStore& store, PolicyAuthorizer& authorizer, KmsClient& kms,
                                 const Clock& clock, const std::string& owned_key_seed)
    : store_(store),
      authz_(authorizer),
      kms_(kms),
      clock_(clock),
      owned_root_(crypto::HmacSha256(owned_key_seed, "crosskey/dynamodb/aws-owned-key/v1")) {}

Result<json> DynamoDbService::Invoke(std::string_view op, const json& in, RequestContext& ctx) {
  if (ctx.principal.is_anonymous())
    return AwsError("MissingAuthenticationTokenException", 400, "Missing Authentication Token");
  try {
    if (op == "CreateTable") return CreateTable(in, ctx);
    if (op == "DescribeTable") return DescribeTable(in, ctx);
    if (op == "UpdateTable") return UpdateTable(in, ctx);
    if (op == "DeleteTable") return DeleteTable(in, ctx);
    if (op == "ListTables") return ListTables(in, ctx);
    if (op == "PutItem") return PutItem(in, ctx);
    if (op == "GetItem") return GetItem(in, ctx);
    if (op == "DeleteItem") return DeleteItem(in, ctx);
    if (op == "UpdateItem") return UpdateItem(in, ctx);
    if (op == "BatchWriteItem") return BatchWriteItem(in, ctx);
    if (op == "BatchGetItem") return BatchGetItem(in, ctx);
    if (op == "Query") return QueryOrScan(in, ctx, true);
    if (op == "Scan") return QueryOrScan(in, ctx, false);
  } catch (const std::exception& e) {
    // nlohmann type errors on malformed stored/inbound documents.
    return Internal(std::string("dynamodb: ") + e.what());
  }
  return Unimplemented("DynamoDB " + std::string(op) + " is not implemented by crosskey")
               .WithAws("NotImplementedException", 501);
}

KmsCaller DynamoDbService::CallerFor(const RequestContext& ctx) const {
  return ForwardAccessCaller(ctx, "dynamodb", ctx.region);
}

Status DynamoDbService::Authorize(RequestContext& ctx, const std::string& action, const std::string& account,
                                  const std::string& resource) {
  AuthzRequest r;
  r.principal = &ctx.principal;
  r.action = "dynamodb:" + action;
  r.resource = resource;
  r.resource_account = account;
  r.region = ctx.region;
  r.source_ip = ctx.source_ip;
  r.secure_transport = ctx.secure_transport;
  CK_ASSIGN_OR_RETURN(auto result, authz_.Authorize(r));
  if (!result.allowed()) return AccessDeniedFor(result, "AccessDeniedException", 400);
  return Status::Ok();
}

Result<ddb::Table> DynamoDbService::LoadTableByName(const std::string& name_or_arn, RequestContext& ctx,
                                                    const std::string& action) {
  std::string account = ctx.principal.account, region = ctx.region, name = name_or_arn;
  if (StartsWith(name_or_arn, "arn:")) {
    auto arn = core::Arn::Parse(name_or_arn);
    if (!arn.ok() || arn->service != "dynamodb" || arn->ResourceType() != "table")
      return ddb::DdbValidation("Invalid TableName: " + name_or_arn);
    account = arn->account;
    region = arn->region;
    name = std::string(arn->ResourceId());
  }
  std::string arn = "arn:aws:dynamodb:" + region + ":" + account + ":table/" + name;
  CK_RETURN_IF_ERROR(Authorize(ctx, action, account, arn));
  CK_ASSIGN_OR_RETURN(auto raw, store_.Get(ddb::kTables, ddb::TableRecordKey(account, region, name)));
  if (!raw) {
    if (action == "DescribeTable" || action == "DeleteTable" || action == "UpdateTable")
      return ddb::ResourceNotFound("Requested resource not found: Table: " + name + " not found");
    return ddb::ResourceNotFound();
  }
  return ddb::Table::FromJson(json::parse(*raw));
}

Result<ddb::Table> DynamoDbService::LoadTable(const json& in, RequestContext& ctx, const std::string& action,
                                              const std::string& field) {
  return LoadTableByName(ddb::Str(in, field.c_str()), ctx, action);
}

Result<ddb::TableKey> DynamoDbService::UnwrapTableKey(const ddb::Table& t, RequestContext& ctx) {
  if (!t.sse_kms) {
    auto plain = crypto::AesGcmOpen(owned_root_, t.id, t.wrapped_key);
    if (!plain) return DataLoss("table key of " + t.name + " failed its integrity check");
    return ddb::TableKey{*plain};
  }
  KmsEncryptionContext context = {{"aws:dynamodb:tableName", t.name}, {"aws:dynamodb:subscriberId", t.account}};
  auto dec = kms_.Decrypt(t.wrapped_key, context, CallerFor(ctx));
  if (!dec.ok()) {
    const Status& s = dec.status();
    // The caller lacks kms:Decrypt: an access error in KMS's words.
    if (s.aws_code() == "AccessDeniedException") return AwsError("AccessDeniedException", 400, s.message());
    // Disabled, pending deletion, missing key: the table is inaccessible
    // (DescribeTable reports INACCESSIBLE_ENCRYPTION_CREDENTIALS). The exact
    // AWS code for item operations is UNVERIFIED; see docs/dynamodb.md.
    return AwsError("ValidationException", 400,
                    "The table's AWS KMS key is inaccessible (" + s.aws_code() + ": " + s.message() + ")");
  }
  return ddb::TableKey{std::move(dec->plaintext)};
}

}  // namespace ck::services
