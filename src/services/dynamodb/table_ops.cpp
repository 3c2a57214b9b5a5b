// Table operations: CreateTable, DescribeTable, UpdateTable, DeleteTable,
// ListTables. Tables are ACTIVE as soon as CreateTable returns (there is no
// provisioning to wait for; waiters succeed on their first poll).
#include <cctype>
#include <set>

#include "base/codec.h"
#include "crypto/aead.h"
#include "crypto/hash.h"
#include "services/dynamodb/attribute_value.h"
#include "services/dynamodb/dynamodb_internal.h"
#include "services/dynamodb/dynamodb_service.h"
#include "storage/key_codec.h"

namespace ck::services {

using nlohmann::json;
using ddb::DdbValidation;
using ddb::Str;

namespace {

std::string NewUuid() {
  std::string h = HexEncode(crypto::RandomBytes(16));
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-4" + h.substr(13, 3) + "-a" + h.substr(17, 3) + "-" + h.substr(20, 12);
}

// What an SSESpecification asks for: AWS owned (kms=false) or a KMS key reference ("" = aws/dynamodb).
struct SseChoice {
  bool kms = false;
  std::string key_ref;
};

Result<SseChoice> ParseSse(const json& spec) {
  SseChoice c;
  if (!spec.is_object()) return c;
  bool enabled = spec.value("Enabled", false);
  std::string type = Str(spec, "SSEType");
  std::string key = Str(spec, "KMSMasterKeyId");
  if (!key.empty() && type != "KMS") return DdbValidation("SSEType KMS is required if KMSMasterKeyId is specified");
  if (!enabled) {
    if (!key.empty() || type == "KMS")
      return DdbValidation("One or more parameter values were invalid: SSEType and KMSMasterKeyId can only be "
                           "specified when SSE is enabled");  // exact AWS text UNVERIFIED
    return c;
  }
  if (type == "AES256") return c;  // legacy value: the AWS owned key
  c.kms = true;
  c.key_ref = key.empty() ? "alias/aws/dynamodb" : key;
  return c;
}

}  // namespace

Result<json> DynamoDbService::TableDescription(const ddb::Table& t, RequestContext& ctx, bool check_key) {
  CK_ASSIGN_OR_RETURN(uint64_t count, store_.Count(ddb::kItems, t.TableKeyPrefix()));
  std::string status = "ACTIVE";
  json d = {{"TableName", t.name},
            {"TableArn", t.arn},
            {"TableId", t.id},
            {"AttributeDefinitions", t.attribute_definitions},
            {"KeySchema", t.KeySchema()},
            {"CreationDateTime", t.created},
            {"ItemCount", count},
            {"TableSizeBytes", 0},
            {"ProvisionedThroughput",
             {{"NumberOfDecreasesToday", 0}, {"ReadCapacityUnits", t.rcu}, {"WriteCapacityUnits", t.wcu}}},
            {"DeletionProtectionEnabled", t.deletion_protection}};
  if (t.billing_mode == "PAY_PER_REQUEST")
    d["BillingModeSummary"] = {{"BillingMode", "PAY_PER_REQUEST"}, {"LastUpdateToPayPerRequestDateTime", t.created}};
  else
    d["BillingModeSummary"] = {{"BillingMode", "PROVISIONED"}};
  if (t.sse_kms) {
    json sse = {{"Status", "ENABLED"}, {"SSEType", "KMS"}, {"KMSMasterKeyArn", t.kms_key_arn}};
    if (check_key) {
      // The key-state check runs as the principal that configured the key
      // (DynamoDB uses that principal's grant in AWS). Disabled, pending
      // deletion, gone or no longer accessible → the table is inaccessible.
      KmsCaller caller = CallerFor(ctx);
      caller.principal = ddb::PrincipalFromJson(t.creator);
      auto desc = kms_.DescribeKey(t.kms_key_arn, caller);
      if (!desc.ok() || desc->key_state != "Enabled") {
        status = "INACCESSIBLE_ENCRYPTION_CREDENTIALS";
        sse["InaccessibleEncryptionDateTime"] = ToEpochSeconds(clock_.Now());
      }
    }
    d["SSEDescription"] = sse;
  }
  d["TableStatus"] = status;
  return d;
}

Result<json> DynamoDbService::CreateTable(const json& in, RequestContext& ctx) {
  if (in.contains("GlobalSecondaryIndexes") || in.contains("LocalSecondaryIndexes"))
    return Unimplemented("crosskey's DynamoDB does not implement secondary indexes")
               .WithAws("NotImplementedException", 501);
  if (in.contains("StreamSpecification") && in["StreamSpecification"].value("StreamEnabled", false))
    return Unimplemented("crosskey's DynamoDB does not implement streams")
               .WithAws("NotImplementedException", 501);
  ddb::Table t;
  t.name = Str(in, "TableName");
  if (t.name.size() < 3 || t.name.size() > 255)
    return DdbValidation("1 validation error detected: Value '" + t.name + "' at 'tableName' failed to satisfy "
                         "constraint: Member must have length " +
                         (t.name.size() < 3 ? "greater than or equal to 3" : "less than or equal to 255"));
  for (char c : t.name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '.')
      return DdbValidation("1 validation error detected: Value '" + t.name + "' at 'tableName' failed to satisfy "
                           "constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
  t.account = ctx.principal.account;
  t.region = ctx.region;
  t.arn = "arn:aws:dynamodb:" + t.region + ":" + t.account + ":table/" + t.name;
  CK_RETURN_IF_ERROR(Authorize(ctx, "CreateTable", t.account, t.arn));

  // Key schema and attribute definitions.
  std::map<std::string, std::string> defs;
  for (const auto& d : in.value("AttributeDefinitions", json::array())) defs[Str(d, "AttributeName")] = Str(d, "AttributeType");
  const json& ks = in.value("KeySchema", json::array());
  for (const auto& k : ks) {
    std::string type = Str(k, "KeyType");
    if (type == "HASH" && t.hash_key.empty()) t.hash_key = Str(k, "AttributeName");
    else if (type == "RANGE" && t.range_key.empty() && !t.hash_key.empty()) t.range_key = Str(k, "AttributeName");
    else
      return DdbValidation("1 validation error detected: Value '" + json(ks).dump() +
                           "' at 'keySchema' failed to satisfy constraint: Member must have a HASH key first, "
                           "optionally followed by a RANGE key");  // exact AWS text UNVERIFIED
  }
  if (t.hash_key.empty()) return DdbValidation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
  std::vector<std::string> missing;
  for (const auto& k : {t.hash_key, t.range_key})
    if (!k.empty() && !defs.count(k)) missing.push_back(k);
  if (!missing.empty()) {
    std::string keys, all;
    for (const auto& m : missing) keys += (keys.empty() ? "" : ", ") + m;
    for (const auto& [n, _] : defs) all += (all.empty() ? "" : ", ") + n;
    return DdbValidation("One or more parameter values were invalid: Some index key attributes are not defined in "
                         "AttributeDefinitions. Keys: [" + keys + "], AttributeDefinitions: [" + all + "]");
  }
  if (defs.size() != (t.range_key.empty() ? 1u : 2u))
    return DdbValidation("One or more parameter values were invalid: Number of attributes in KeySchema does not "
                         "exactly match number of attributes defined in AttributeDefinitions");
  t.hash_type = defs[t.hash_key];
  if (!t.range_key.empty()) t.range_type = defs[t.range_key];
  for (const auto& type : {t.hash_type, t.range_type})
    if (!type.empty() && type != "S" && type != "N" && type != "B")
      return DdbValidation("Member must satisfy enum value set: [B, N, S]");
  t.attribute_definitions = in.value("AttributeDefinitions", json::array());

  // Billing.
  t.billing_mode = Str(in, "BillingMode", "PROVISIONED");
  const json pt = in.value("ProvisionedThroughput", json(nullptr));
  if (t.billing_mode == "PROVISIONED") {
    if (!pt.is_object())
      return DdbValidation("One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits "
                           "must both be specified when BillingMode is PROVISIONED");
    t.rcu = pt.value("ReadCapacityUnits", 0LL);
    t.wcu = pt.value("WriteCapacityUnits", 0LL);
  } else if (pt.is_object()) {
    return DdbValidation("One or more parameter values were invalid: Neither ReadCapacityUnits nor "
                         "WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
  }
  t.deletion_protection = in.value("DeletionProtectionEnabled", false);
  t.tags = in.value("Tags", json::array());

  // Encryption: resolve the key NOW, as the caller, and keep the ARN.
  CK_ASSIGN_OR_RETURN(auto sse, ParseSse(in.value("SSESpecification", json(nullptr))));
  t.id = NewUuid();
  std::string table_key;
  if (sse.kms) {
    KmsEncryptionContext context = {{"aws:dynamodb:tableName", t.name}, {"aws:dynamodb:subscriberId", t.account}};
    auto dk = kms_.GenerateDataKey(sse.key_ref, context, CallerFor(ctx));
    // UNVERIFIED (AWS-SEMANTICS §3): a missing/unusable key at CreateTable →
    // ValidationException carrying KMS's message.
    if (!dk.ok()) return DdbValidation(dk.status().message());
    t.sse_kms = true;
    t.kms_key_arn = dk->key_arn;
    t.wrapped_key = dk->ciphertext_blob;
  } else {
    table_key = crypto::RandomBytes(32);
    crypto::AesGcmSeal(owned_root_, crypto::RandomBytes(crypto::kAesGcmIvSize), t.id, table_key, &t.wrapped_key);
  }
  t.creator = ddb::PrincipalToJson(ctx.principal);
  t.created = static_cast<double>(static_cast<int64_t>(ToEpochSeconds(clock_.Now())));

  storage::WriteBatch b;
  std::string rk = ddb::TableRecordKey(t.account, t.region, t.name);
  b.ExpectAbsent(ddb::kTables, rk);
  b.Put(ddb::kTables, rk, t.ToJson().dump());
  Status s = store_.Apply(b);
  if (storage::IsPreconditionFailure(s)) return AwsError("ResourceInUseException", 400, "Table already exists: " + t.name);
  CK_RETURN_IF_ERROR(s);
  ctx.log_note = t.sse_kms ? "sse key " + t.kms_key_arn : "sse AWS owned key";
  CK_ASSIGN_OR_RETURN(json d, TableDescription(t, ctx, false));
  return json{{"TableDescription", d}};
}

Result<json> DynamoDbService::DescribeTable(const json& in, RequestContext& ctx) {
  CK_ASSIGN_OR_RETURN(ddb::Table t, LoadTable(in, ctx, "DescribeTable"));
  CK_ASSIGN_OR_RETURN(json d, TableDescription(t, ctx, true));
  return json{{"Table", d}};
}

Result<json> DynamoDbService::UpdateTable(const json& in, RequestContext& ctx) {
  for (const char* unsupported : {"GlobalSecondaryIndexUpdates", "ReplicaUpdates", "StreamSpecification"})
    if (in.contains(unsupported))
      return Unimplemented(std::string("crosskey's DynamoDB does not implement UpdateTable ") + unsupported)
               .WithAws("NotImplementedException", 501);
  CK_ASSIGN_OR_RETURN(ddb::Table t, LoadTable(in, ctx, "UpdateTable"));
  std::string rk = ddb::TableRecordKey(t.account, t.region, t.name);
  std::string before = t.ToJson().dump();
  bool sse_changed = false;
  if (in.contains("BillingMode")) t.billing_mode = Str(in, "BillingMode");
  if (auto pt = in.find("ProvisionedThroughput"); pt != in.end() && pt->is_object()) {
    if (t.billing_mode == "PAY_PER_REQUEST")
      return DdbValidation("One or more parameter values were invalid: Neither ReadCapacityUnits nor "
                           "WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
    t.rcu = pt->value("ReadCapacityUnits", t.rcu);
    t.wcu = pt->value("WriteCapacityUnits", t.wcu);
  }
  if (t.billing_mode == "PAY_PER_REQUEST") t.rcu = t.wcu = 0;
  if (in.contains("DeletionProtectionEnabled")) t.deletion_protection = in["DeletionProtectionEnabled"].get<bool>();
  if (auto spec = in.find("SSESpecification"); spec != in.end() && spec->is_object()) {
    CK_ASSIGN_OR_RETURN(auto sse, ParseSse(*spec));
    // Re-wrap the same table key under the new key: items need no rewrite
    // (DynamoDB likewise only re-encrypts the table key).
    CK_ASSIGN_OR_RETURN(ddb::TableKey key, UnwrapTableKey(t, ctx));
    if (sse.kms) {
      KmsEncryptionContext context = {{"aws:dynamodb:tableName", t.name}, {"aws:dynamodb:subscriberId", t.account}};
      auto wrapped = kms_.Encrypt(sse.key_ref, key.bytes, context, CallerFor(ctx));
      if (!wrapped.ok()) return DdbValidation(wrapped.status().message());  // UNVERIFIED, as CreateTable
      t.sse_kms = true;
      t.kms_key_arn = wrapped->key_arn;
      t.wrapped_key = wrapped->ciphertext_blob;
    } else {
      t.sse_kms = false;
      t.kms_key_arn.clear();
      t.wrapped_key.clear();
      crypto::AesGcmSeal(owned_root_, crypto::RandomBytes(crypto::kAesGcmIvSize), t.id, key.bytes, &t.wrapped_key);
    }
    t.creator = ddb::PrincipalToJson(ctx.principal);
    sse_changed = true;
  }
  storage::WriteBatch b;
  b.ExpectValue(ddb::kTables, rk, before);
  b.Put(ddb::kTables, rk, t.ToJson().dump());
  Status s = store_.Apply(b);
  if (storage::IsPreconditionFailure(s))
    return AwsError("ResourceInUseException", 400, "Attempt to change a resource which is still in use: Table is being updated: " + t.name);
  CK_RETURN_IF_ERROR(s);
  CK_ASSIGN_OR_RETURN(json d, TableDescription(t, ctx, false));
  d["TableStatus"] = "UPDATING";
  // Right after a key change AWS answers with only the status (AWS-SEMANTICS §3);
  // DescribeTable shows ENABLED with the new key ARN immediately after.
  if (sse_changed) d["SSEDescription"] = {{"Status", "UPDATING"}};
  return json{{"TableDescription", d}};
}

Result<json> DynamoDbService::DeleteTable(const json& in, RequestContext& ctx) {
  CK_ASSIGN_OR_RETURN(ddb::Table t, LoadTable(in, ctx, "DeleteTable"));
  if (t.deletion_protection)
    return AwsError("ResourceInUseException", 400,
                    "Resource cannot be deleted as it is currently protected against deletion. Disable deletion "
                    "protection first.");
  CK_ASSIGN_OR_RETURN(json d, TableDescription(t, ctx, false));
  storage::WriteBatch b;
  std::string rk = ddb::TableRecordKey(t.account, t.region, t.name);
  b.ExpectValue(ddb::kTables, rk, t.ToJson().dump());
  b.Delete(ddb::kTables, rk);
  Status s = store_.Apply(b);
  if (storage::IsPreconditionFailure(s)) return ddb::ResourceNotFound("Requested resource not found: Table: " + t.name + " not found");
  CK_RETURN_IF_ERROR(s);
  // Items live under the table's unique id, so a re-created table never sees
  // them; delete them in chunks.
  for (;;) {
    CK_ASSIGN_OR_RETURN(auto recs, store_.Scan(ddb::kItems, {.prefix = t.TableKeyPrefix(), .limit = 500}));
    if (recs.empty()) break;
    storage::WriteBatch del;
    for (const auto& r : recs) del.Delete(ddb::kItems, r.key);
    CK_RETURN_IF_ERROR(store_.Apply(del));
  }
  d["TableStatus"] = "DELETING";
  return json{{"TableDescription", d}};
}

Result<json> DynamoDbService::ListTables(const json& in, RequestContext& ctx) {
  CK_RETURN_IF_ERROR(Authorize(ctx, "ListTables", ctx.principal.account,
                               "arn:aws:dynamodb:" + ctx.region + ":" + ctx.principal.account + ":table/*"));
  size_t limit = static_cast<size_t>(in.value("Limit", 100));
  std::string prefix;
  storage::AppendKeyPart(&prefix, ctx.principal.account);
  storage::AppendKeyPart(&prefix, ctx.region);
  storage::ScanOptions opt{.prefix = prefix, .limit = limit + 1};
  if (std::string start = Str(in, "ExclusiveStartTableName"); !start.empty())
    opt.start_after = ddb::TableRecordKey(ctx.principal.account, ctx.region, start);
  CK_ASSIGN_OR_RETURN(auto recs, store_.Scan(ddb::kTables, opt));
  json names = json::array();
  for (size_t i = 0; i < recs.size() && i < limit; ++i) names.push_back(json::parse(recs[i].value)["name"]);
  json out = {{"TableNames", names}};
  if (recs.size() > limit && !names.empty()) out["LastEvaluatedTableName"] = names.back();
  return out;
}

}  // namespace ck::services
