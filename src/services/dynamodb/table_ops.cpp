// Table operations: CreateTable, DescribeTable, UpdateTable, DeleteTable,
// ListTables. Tables are ACTIVE as soon as CreateTable returns (there is no
// provisioning to wait for; waiters succeed on their first poll).
#include <cctype>
#include <map>

#include "core/ids.h"
#include "crypto/aead.h"
#include "crypto/hash.h"
#include "services/dynamodb/dynamodb_service.h"
#include "services/dynamodb/errors.h"

namespace ck::services::dynamodb {

namespace api = ::ck::api::dynamodb;

// What an SSESpecification asks for: AWS owned (kms=false) or a KMS key reference.
struct SseChoice {
  bool kms = false;
  std::string key_ref;
};

namespace {

constexpr char kPayPerRequest[] = "PAY_PER_REQUEST";

Result<SseChoice> ParseSse(const std::optional<api::SSESpecification>& spec) {
  SseChoice c;
  if (!spec) return c;
  bool enabled = spec->enabled.value_or(false);
  std::string type = spec->sse_type ? std::string(spec->sse_type->str()) : "";
  std::string key = spec->kms_master_key_id.value_or("");
  if (!key.empty() && type != "KMS") return errors::Validation("SSEType KMS is required if KMSMasterKeyId is specified");
  if (!enabled) {
    if (!key.empty() || type == "KMS")
      return errors::Validation("One or more parameter values were invalid: SSEType and KMSMasterKeyId can only be "
                                "specified when SSE is enabled");  // exact AWS text UNVERIFIED
    return c;
  }
  if (type == "AES256") return c;  // legacy value: the AWS owned key
  c.kms = true;
  c.key_ref = key.empty() ? "alias/aws/dynamodb" : key;
  return c;
}

Status ValidateTableName(const std::string& name) {
  const std::string prefix = "1 validation error detected: Value '" + name + "' at 'tableName' failed to satisfy "
                             "constraint: Member must ";
  if (name.size() < 3 || name.size() > 255)
    return errors::Validation(prefix + "have length " +
                              (name.size() < 3 ? "greater than or equal to 3" : "less than or equal to 255"));
  for (char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '.')
      return errors::Validation(prefix + "satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
  return Status::Ok();
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// KeySchema and AttributeDefinitions → the record's key attributes and types.
Status SetKeySchema(const api::CreateTableInput& in, TableRecord* t) {
  std::vector<api::AttributeDefinition> ad = in.attribute_definitions.value_or(std::vector<api::AttributeDefinition>{});
  std::vector<api::KeySchemaElement> ks = in.key_schema.value_or(std::vector<api::KeySchemaElement>{});
  std::map<std::string, std::string> defs;
  for (const auto& d : ad) defs[d.attribute_name] = std::string(d.attribute_type.str());
  for (const auto& k : ks) {
    if (k.key_type == api::KeyType::kHash && t->hash_key.empty()) {
      t->hash_key = k.attribute_name;
    } else if (k.key_type == api::KeyType::kRange && t->range_key.empty() && !t->hash_key.empty()) {
      t->range_key = k.attribute_name;
    } else {
      return errors::Validation("1 validation error detected: Value '" + fields::EncodeValue(ks).dump() +
                                "' at 'keySchema' failed to satisfy constraint: Member must have a HASH key first, "
                                "optionally followed by a RANGE key");  // exact AWS text UNVERIFIED
    }
  }
  if (t->hash_key.empty())
    return errors::Validation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
  std::vector<std::string> missing, all;
  for (const auto& k : {t->hash_key, t->range_key})
    if (!k.empty() && !defs.count(k)) missing.push_back(k);
  for (const auto& [n, _] : defs) all.push_back(n);
  if (!missing.empty())
    return errors::Validation("One or more parameter values were invalid: Some index key attributes are not defined "
                              "in AttributeDefinitions. Keys: [" + JoinNames(missing) + "], AttributeDefinitions: [" +
                              JoinNames(all) + "]");
  if (defs.size() != (t->range_key.empty() ? 1u : 2u))
    return errors::Validation("One or more parameter values were invalid: Number of attributes in KeySchema does not "
                              "exactly match number of attributes defined in AttributeDefinitions");
  t->hash_type = defs[t->hash_key];
  if (!t->range_key.empty()) t->range_type = defs[t->range_key];
  for (const auto& type : {t->hash_type, t->range_type})
    if (!type.empty() && type != "S" && type != "N" && type != "B")
      return errors::Validation("Member must satisfy enum value set: [B, N, S]");
  t->attribute_definitions = std::move(ad);
  return Status::Ok();
}

Status NoThroughputOnDemand() {
  return errors::Validation("One or more parameter values were invalid: Neither ReadCapacityUnits nor "
                            "WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
}

Status SetBilling(const api::CreateTableInput& in, TableRecord* t) {
  t->billing_mode = in.billing_mode ? std::string(in.billing_mode->str()) : "PROVISIONED";
  const auto& pt = in.provisioned_throughput;
  if (t->billing_mode != "PROVISIONED") return pt ? NoThroughputOnDemand() : Status::Ok();
  if (!pt)
    return errors::Validation("One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits "
                              "must both be specified when BillingMode is PROVISIONED");
  t->rcu = pt->read_capacity_units;
  t->wcu = pt->write_capacity_units;
  return Status::Ok();
}

}  // namespace

Result<api::TableDescription> DynamoDbService::Describe(const TableRecord& t, RequestContext& ctx, bool check_key) {
  CK_ASSIGN_OR_RETURN(uint64_t count, store_.Count(kItems, t.ItemPrefix()));
  api::TableDescription d;
  d.table_name = t.name;
  d.table_arn = t.arn;
  d.table_id = t.id;
  d.attribute_definitions = t.attribute_definitions;
  d.key_schema = t.KeySchema();
  d.creation_date_time = t.created;
  d.item_count = static_cast<int64_t>(count);
  d.table_size_bytes = 0;
  api::ProvisionedThroughputDescription pt;
  pt.number_of_decreases_today = 0;
  pt.read_capacity_units = t.rcu;
  pt.write_capacity_units = t.wcu;
  d.provisioned_throughput = pt;
  d.deletion_protection_enabled = t.deletion_protection;
  api::BillingModeSummary billing;
  billing.billing_mode = t.billing_mode == kPayPerRequest ? api::BillingMode::kPayPerRequest
                                                          : api::BillingMode::kProvisioned;
  if (t.billing_mode == kPayPerRequest) billing.last_update_to_pay_per_request_date_time = t.created;
  d.billing_mode_summary = billing;
  d.table_status = api::TableStatus::kActive;
  if (!t.sse_kms) return d;
  api::SSEDescription sse;
  sse.status = api::SSEStatus::kEnabled;
  sse.sse_type = api::SSEType::kKms;
  sse.kms_master_key_arn = t.kms_key_arn;
  if (check_key) {
    // The key-state check runs as the principal that configured the key
    // (DynamoDB uses that principal's grant in AWS). Disabled, pending
    // deletion, gone or no longer accessible → the table is inaccessible.
    KmsCaller caller = CallerFor(ctx);
    caller.principal = t.creator.ToPrincipal();
    auto desc = kms_.DescribeKey(t.kms_key_arn, caller);
    if (!desc.ok() || desc->key_state != "Enabled") {
      d.table_status = api::TableStatus::kInaccessibleEncryptionCredentials;
      sse.inaccessible_encryption_date_time = clock_.Now();
    }
  }
  d.sse_description = sse;
  return d;
}

Status DynamoDbService::WrapTableKey(TableRecord& t, const SseChoice& sse, const std::string* table_key,
                                     RequestContext& ctx) {
  t.sealed_table_key.reset();
  if (!sse.kms) {
    std::string key = table_key ? *table_key : crypto::RandomBytes(32), wrapped;
    crypto::AesGcmSeal(owned_root_, crypto::RandomBytes(crypto::kAesGcmIvSize), t.id, key, &wrapped);
    t.sse_kms = false;
    t.kms_key_arn.clear();
    t.wrapped_key = std::move(wrapped);
    return Status::Ok();
  }
  // Resolved NOW, as the caller; the key ARN is kept.
  KmsEncryptionContext context = {{"aws:dynamodb:tableName", t.name}, {"aws:dynamodb:subscriberId", t.account}};
  auto dk = kms_.GenerateDataKey(sse.key_ref, context, CallerFor(ctx));
  // UNVERIFIED (AWS-SEMANTICS §3): a missing/unusable key → ValidationException carrying KMS's message.
  if (!dk.ok()) return errors::Validation(dk.status().message());
  t.sse_kms = true;
  t.kms_key_arn = dk->key_arn;
  t.wrapped_key = std::move(dk->ciphertext_blob);
  if (table_key) {
    // Re-keying keeps the table key, sealed under the new data key, so the
    // items need no rewrite (DynamoDB likewise only re-encrypts the table key).
    std::string sealed;
    crypto::AesGcmSeal(dk->plaintext, crypto::RandomBytes(crypto::kAesGcmIvSize), t.id, *table_key, &sealed);
    t.sealed_table_key = Bytes(std::move(sealed));
  }
  return Status::Ok();
}

Result<api::CreateTableOutput> DynamoDbService::CreateTable(const api::CreateTableInput& in, RequestContext& ctx) {
  if (in.global_secondary_indexes || in.local_secondary_indexes)
    return errors::NotImplemented("crosskey's DynamoDB does not implement secondary indexes");
  if (in.stream_specification && in.stream_specification->stream_enabled)
    return errors::NotImplemented("crosskey's DynamoDB does not implement streams");
  TableRecord t;
  t.name = in.table_name;
  CK_RETURN_IF_ERROR(ValidateTableName(t.name));
  t.account = ctx.principal.account;
  t.region = ctx.region;
  t.arn = "arn:aws:dynamodb:" + t.region + ":" + t.account + ":table/" + t.name;
  CK_RETURN_IF_ERROR(Authorize(ctx, "CreateTable", t.account, t.arn));
  CK_RETURN_IF_ERROR(SetKeySchema(in, &t));
  CK_RETURN_IF_ERROR(SetBilling(in, &t));
  t.deletion_protection = in.deletion_protection_enabled.value_or(false);
  if (in.tags) t.tags = *in.tags;
  CK_ASSIGN_OR_RETURN(SseChoice sse, ParseSse(in.sse_specification));
  t.id = ids::Uuid4();
  CK_RETURN_IF_ERROR(WrapTableKey(t, sse, nullptr, ctx));
  t.creator = StoredPrincipal::Of(ctx.principal);
  t.created = std::chrono::time_point_cast<std::chrono::seconds>(clock_.Now());

  storage::WriteBatch b;
  std::string rk = TableRecordKey(t.account, t.region, t.name);
  b.ExpectAbsent(kTables, rk);
  tables_.Put(b, rk, t);
  Status s = store_.Apply(b);
  if (storage::IsPreconditionFailure(s)) return errors::ResourceInUse("Table already exists: " + t.name);
  CK_RETURN_IF_ERROR(s);
  ctx.log_note = t.sse_kms ? "sse key " + t.kms_key_arn : "sse AWS owned key";
  api::CreateTableOutput out;
  CK_ASSIGN_OR_RETURN(out.table_description, Describe(t, ctx, false));
  return out;
}

Result<api::DescribeTableOutput> DynamoDbService::DescribeTable(const api::DescribeTableInput& in,
                                                                RequestContext& ctx) {
  CK_ASSIGN_OR_RETURN(TableRecord t, LoadTable(in.table_name, ctx, "DescribeTable"));
  api::DescribeTableOutput out;
  CK_ASSIGN_OR_RETURN(out.table, Describe(t, ctx, true));
  return out;
}

Result<api::UpdateTableOutput> DynamoDbService::UpdateTable(const api::UpdateTableInput& in, RequestContext& ctx) {
  for (auto [given, name] : {std::pair{in.global_secondary_index_updates.has_value(), "GlobalSecondaryIndexUpdates"},
                             std::pair{in.replica_updates.has_value(), "ReplicaUpdates"},
                             std::pair{in.stream_specification.has_value(), "StreamSpecification"}})
    if (given) return errors::NotImplemented(std::string("crosskey's DynamoDB does not implement UpdateTable ") + name);
  std::string before;
  CK_ASSIGN_OR_RETURN(TableRecord t, LoadTable(in.table_name, ctx, "UpdateTable", &before));
  if (in.billing_mode) t.billing_mode = std::string(in.billing_mode->str());
  if (in.provisioned_throughput) {
    if (t.billing_mode == kPayPerRequest) return NoThroughputOnDemand();
    t.rcu = in.provisioned_throughput->read_capacity_units;
    t.wcu = in.provisioned_throughput->write_capacity_units;
  }
  if (t.billing_mode == kPayPerRequest) t.rcu = t.wcu = 0;
  if (in.deletion_protection_enabled) t.deletion_protection = *in.deletion_protection_enabled;
  if (in.sse_specification) {
    CK_ASSIGN_OR_RETURN(SseChoice sse, ParseSse(in.sse_specification));
    CK_ASSIGN_OR_RETURN(TableKey key, UnwrapTableKey(t, ctx));
    CK_RETURN_IF_ERROR(WrapTableKey(t, sse, &key.bytes, ctx));
    t.creator = StoredPrincipal::Of(ctx.principal);
  }
  storage::WriteBatch b;
  std::string rk = TableRecordKey(t.account, t.region, t.name);
  b.ExpectValue(kTables, rk, before);
  tables_.Put(b, rk, t);
  Status s = store_.Apply(b);
  if (storage::IsPreconditionFailure(s))
    return errors::ResourceInUse("Attempt to change a resource which is still in use: Table is being updated: " +
                                 t.name);
  CK_RETURN_IF_ERROR(s);
  CK_ASSIGN_OR_RETURN(api::TableDescription d, Describe(t, ctx, false));
  d.table_status = api::TableStatus::kUpdating;
  // Right after a key change AWS answers with only the status (AWS-SEMANTICS §3);
  // DescribeTable shows ENABLED with the new key ARN immediately after.
  if (in.sse_specification) {
    d.sse_description = api::SSEDescription{};
    d.sse_description->status = api::SSEStatus::kUpdating;
  }
  api::UpdateTableOutput out;
  out.table_description = std::move(d);
  return out;
}

Result<api::DeleteTableOutput> DynamoDbService::DeleteTable(const api::DeleteTableInput& in, RequestContext& ctx) {
  std::string stored;
  CK_ASSIGN_OR_RETURN(TableRecord t, LoadTable(in.table_name, ctx, "DeleteTable", &stored));
  if (t.deletion_protection)
    return errors::ResourceInUse("Resource cannot be deleted as it is currently protected against deletion. Disable "
                                 "deletion protection first.");
  CK_ASSIGN_OR_RETURN(api::TableDescription d, Describe(t, ctx, false));
  storage::WriteBatch b;
  std::string rk = TableRecordKey(t.account, t.region, t.name);
  b.ExpectValue(kTables, rk, stored);
  b.Delete(kTables, rk);
  Status s = store_.Apply(b);
  if (storage::IsPreconditionFailure(s))
    return errors::ResourceNotFound("Requested resource not found: Table: " + t.name + " not found");
  CK_RETURN_IF_ERROR(s);
  // Items live under the table's unique id, so a re-created table never sees
  // them; delete them in chunks.
  for (;;) {
    CK_ASSIGN_OR_RETURN(auto recs, store_.Scan(kItems, {.prefix = t.ItemPrefix(), .limit = 500}));
    if (recs.empty()) break;
    storage::WriteBatch del;
    for (const auto& r : recs) del.Delete(kItems, r.key);
    CK_RETURN_IF_ERROR(store_.Apply(del));
  }
  d.table_status = api::TableStatus::kDeleting;
  api::DeleteTableOutput out;
  out.table_description = std::move(d);
  return out;
}

Result<api::ListTablesOutput> DynamoDbService::ListTables(const api::ListTablesInput& in, RequestContext& ctx) {
  const std::string& account = ctx.principal.account;
  CK_RETURN_IF_ERROR(
      Authorize(ctx, "ListTables", account, "arn:aws:dynamodb:" + ctx.region + ":" + account + ":table/*"));
  size_t limit = static_cast<size_t>(in.limit.value_or(100));
  storage::ScanOptions opt{.prefix = TableRecordPrefix(account, ctx.region), .limit = limit + 1};
  if (in.exclusive_start_table_name && !in.exclusive_start_table_name->empty())
    opt.start_after = TableRecordKey(account, ctx.region, *in.exclusive_start_table_name);
  CK_ASSIGN_OR_RETURN(auto recs, store_.Scan(kTables, opt));
  api::ListTablesOutput out;
  out.table_names.emplace();
  for (size_t i = 0; i < recs.size() && i < limit; ++i) {
    CK_ASSIGN_OR_RETURN(TableRecord t, tables_.Decode(recs[i].key, recs[i].value));
    out.table_names->push_back(std::move(t.name));
  }
  if (recs.size() > limit && !out.table_names->empty()) out.last_evaluated_table_name = out.table_names->back();
  return out;
}

}  // namespace ck::services::dynamodb
