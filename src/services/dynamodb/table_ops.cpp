// Table operations: CreateTable, DescribeTable, UpdateTable, DeleteTable,
// ListTables, and the table settings UpdateContinuousBackups /
// DescribeContinuousBackups and Update/Describe/ListContributorInsights.
// CreateTable answers CREATING, as AWS does, but there is no provisioning to
// wait for: DescribeTable shows the table ACTIVE at once, so waiters succeed
// on their first poll.
#include <algorithm>
#include <cctype>
#include <map>
#include <set>

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

// A KeySchema (HASH, optionally followed by RANGE) → its attribute names.
Status ParseKeySchema(const std::vector<api::KeySchemaElement>& ks, std::string* hash, std::string* range) {
  for (const auto& k : ks) {
    if (k.key_type == api::KeyType::kHash && hash->empty()) {
      *hash = k.attribute_name;
    } else if (k.key_type == api::KeyType::kRange && range->empty() && !hash->empty()) {
      *range = k.attribute_name;
    } else {
      return errors::Validation("1 validation error detected: Value '" + fields::EncodeValue(ks).dump() +
                                "' at 'keySchema' failed to satisfy constraint: Member must have a HASH key first, "
                                "optionally followed by a RANGE key");  // exact AWS text UNVERIFIED
    }
  }
  if (hash->empty()) return errors::Validation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
  return Status::Ok();
}

// Secondary index definitions → index records (key attributes not yet typed).
// Texts of the index validation errors are DynamoDB's as commonly quoted;
// UNVERIFIED against a recording.
Status ParseProjection(const api::Projection& p, const std::string& index, IndexRecord* out) {
  (void)index;
  if (!p.projection_type)
    return errors::Validation("One or more parameter values were invalid: Unknown ProjectionType: null");
  out->projection = std::string(p.projection_type->str());
  bool include = *p.projection_type == api::ProjectionType::kInclude;
  bool has_attrs = p.non_key_attributes && !p.non_key_attributes->empty();
  if (include && !has_attrs)
    return errors::Validation("One or more parameter values were invalid: ProjectionType is INCLUDE, but "
                              "NonKeyAttributes is not specified");
  if (!include && p.non_key_attributes)
    return errors::Validation("One or more parameter values were invalid: ProjectionType is " + out->projection +
                              ", but NonKeyAttributes is specified");
  if (include) out->non_key_attributes = *p.non_key_attributes;
  return Status::Ok();
}

Status SetIndexes(const api::CreateTableInput& in, TableRecord* t) {
  std::vector<IndexRecord> indexes;
  std::set<std::string> names;
  auto add = [&](IndexRecord r, const std::vector<api::KeySchemaElement>& ks, const api::Projection& p) -> Status {
    if (!names.insert(r.name).second)
      return errors::Validation("One or more parameter values were invalid: Duplicate index name: " + r.name);
    CK_RETURN_IF_ERROR(ParseKeySchema(ks, &r.hash_key, &r.range_key));
    CK_RETURN_IF_ERROR(ParseProjection(p, r.name, &r));
    indexes.push_back(std::move(r));
    return Status::Ok();
  };
  for (const auto& l : in.local_secondary_indexes.value_or(std::vector<api::LocalSecondaryIndex>{})) {
    if (t->range_key.empty())
      return errors::Validation("One or more parameter values were invalid: Table KeySchema does not have a range "
                                "key, which is required when specifying a LocalSecondaryIndex");
    IndexRecord r;
    r.name = l.index_name;
    CK_RETURN_IF_ERROR(add(std::move(r), l.key_schema, l.projection));
    const IndexRecord& added = indexes.back();
    if (added.hash_key != t->hash_key)
      return errors::Validation("One or more parameter values were invalid: Index KeySchema does not have the same "
                                "leading hash key as table KeySchema for index: " + added.name +
                                ". index hash key: " + added.hash_key + ", table hash key: " + t->hash_key);
    if (added.range_key.empty())
      return errors::Validation("One or more parameter values were invalid: Index KeySchema must have a range key "
                                "for index: " + added.name);
  }
  for (const auto& g : in.global_secondary_indexes.value_or(std::vector<api::GlobalSecondaryIndex>{})) {
    IndexRecord r;
    r.name = g.index_name;
    r.global = true;
    if (in.billing_mode && *in.billing_mode == api::BillingMode::kPayPerRequest) {
      if (g.provisioned_throughput)
        return errors::Validation("One or more parameter values were invalid: ProvisionedThroughput should not be "
                                  "specified for index: " + r.name + " when BillingMode is PAY_PER_REQUEST");
    } else {
      if (!g.provisioned_throughput)
        return errors::Validation("One or more parameter values were invalid: ProvisionedThroughput must be "
                                  "specified for index: " + r.name);
      r.rcu = g.provisioned_throughput->read_capacity_units;
      r.wcu = g.provisioned_throughput->write_capacity_units;
    }
    CK_RETURN_IF_ERROR(add(std::move(r), g.key_schema, g.projection));
  }
  if (!indexes.empty()) t->indexes = std::move(indexes);
  return Status::Ok();
}

// KeySchema, AttributeDefinitions and the indexes' key schemas → the
// record's key attributes and types. Every defined attribute must be a key
// of the table or of an index, and every key attribute defined.
Status SetKeySchema(const api::CreateTableInput& in, TableRecord* t) {
  std::vector<api::AttributeDefinition> ad = in.attribute_definitions.value_or(std::vector<api::AttributeDefinition>{});
  std::vector<api::KeySchemaElement> ks = in.key_schema.value_or(std::vector<api::KeySchemaElement>{});
  std::map<std::string, std::string> defs;
  for (const auto& d : ad) defs[d.attribute_name] = std::string(d.attribute_type.str());
  CK_RETURN_IF_ERROR(ParseKeySchema(ks, &t->hash_key, &t->range_key));
  CK_RETURN_IF_ERROR(SetIndexes(in, t));
  std::vector<std::string> keys = {t->hash_key};
  if (!t->range_key.empty()) keys.push_back(t->range_key);
  if (t->indexes)
    for (const auto& i : *t->indexes)
      for (const auto& k : {i.hash_key, i.range_key})
        if (!k.empty() && std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
  std::vector<std::string> missing, all;
  for (const auto& k : keys)
    if (!defs.count(k)) missing.push_back(k);
  for (const auto& [n, _] : defs) all.push_back(n);
  if (!missing.empty())
    return errors::Validation("One or more parameter values were invalid: Some index key attributes are not defined "
                              "in AttributeDefinitions. Keys: [" + JoinNames(missing) + "], AttributeDefinitions: [" +
                              JoinNames(all) + "]");
  if (defs.size() != keys.size())
    return errors::Validation("One or more parameter values were invalid: Number of attributes in KeySchema does not "
                              "exactly match number of attributes defined in AttributeDefinitions");
  for (const auto& [name, type] : defs)
    if (type != "S" && type != "N" && type != "B") return errors::Validation("Member must satisfy enum value set: [B, N, S]");
  t->hash_type = defs[t->hash_key];
  if (!t->range_key.empty()) t->range_type = defs[t->range_key];
  if (t->indexes)
    for (auto& i : *t->indexes) {
      i.hash_type = defs[i.hash_key];
      if (!i.range_key.empty()) i.range_type = defs[i.range_key];
    }
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

namespace {

// On-demand tables and indexes show this warm throughput until told otherwise.
constexpr int64_t kOnDemandWarmRead = 12000, kOnDemandWarmWrite = 4000;

std::vector<api::KeySchemaElement> IndexKeySchema(const IndexRecord& i) {
  std::vector<api::KeySchemaElement> ks = {{i.hash_key, api::KeyType::kHash}};
  if (!i.range_key.empty()) ks.push_back({i.range_key, api::KeyType::kRange});
  return ks;
}

api::Projection IndexProjection(const IndexRecord& i) {
  api::Projection p;
  p.projection_type = api::ProjectionType::kAll;
  if (i.projection == "KEYS_ONLY") p.projection_type = api::ProjectionType::kKeysOnly;
  if (i.projection == "INCLUDE") {
    p.projection_type = api::ProjectionType::kInclude;
    p.non_key_attributes = i.non_key_attributes;
  }
  return p;
}

api::ProvisionedThroughputDescription Throughput(int64_t rcu, int64_t wcu) {
  api::ProvisionedThroughputDescription pt;
  pt.number_of_decreases_today = 0;
  pt.read_capacity_units = rcu;
  pt.write_capacity_units = wcu;
  return pt;
}

// The indexes of a TableDescription: local ones with their key schema and
// projection; global ones also with a status (CREATING in CreateTable's
// answer), throughput and, in DescribeTable's, warm throughput.
void DescribeIndexes(const TableRecord& t, DynamoDbService::DescribeFor what, bool on_demand,
                     api::TableDescription* d) {
  using DescribeFor = DynamoDbService::DescribeFor;
  for (const auto& i : *t.indexes) {
    std::string arn = t.arn + "/index/" + i.name;
    if (!i.global) {
      api::LocalSecondaryIndexDescription l;
      l.index_name = i.name;
      l.key_schema = IndexKeySchema(i);
      l.projection = IndexProjection(i);
      l.index_size_bytes = 0;  // AWS refreshes index sizes about every six hours
      l.item_count = 0;
      l.index_arn = arn;
      if (!d->local_secondary_indexes) d->local_secondary_indexes.emplace();
      d->local_secondary_indexes->push_back(std::move(l));
      continue;
    }
    api::GlobalSecondaryIndexDescription g;
    g.index_name = i.name;
    g.key_schema = IndexKeySchema(i);
    g.projection = IndexProjection(i);
    g.index_status = what == DescribeFor::kCreate ? api::IndexStatus::kCreating : api::IndexStatus::kActive;
    g.provisioned_throughput = Throughput(i.rcu, i.wcu);
    g.index_size_bytes = 0;
    g.item_count = 0;
    g.index_arn = arn;
    if (what == DescribeFor::kDescribe) {
      api::GlobalSecondaryIndexWarmThroughputDescription warm;
      warm.read_units_per_second = on_demand ? kOnDemandWarmRead : i.rcu;
      warm.write_units_per_second = on_demand ? kOnDemandWarmWrite : i.wcu;
      warm.status = api::IndexStatus::kActive;
      g.warm_throughput = warm;
    }
    if (!d->global_secondary_indexes) d->global_secondary_indexes.emplace();
    d->global_secondary_indexes->push_back(std::move(g));
  }
}

}  // namespace

Result<api::TableDescription> DynamoDbService::Describe(const TableRecord& t, RequestContext& ctx, DescribeFor what) {
  const bool check_key = what == DescribeFor::kDescribe;
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
  d.provisioned_throughput = Throughput(t.rcu, t.wcu);
  d.deletion_protection_enabled = t.deletion_protection;
  // AWS shows a billing summary only for tables that are, or once were,
  // on demand; the switch time only once the table exists (not in
  // CreateTable's answer).
  const bool on_demand = t.billing_mode == kPayPerRequest;
  if (on_demand || t.on_demand_since) {
    api::BillingModeSummary billing;
    billing.billing_mode = on_demand ? api::BillingMode::kPayPerRequest : api::BillingMode::kProvisioned;
    if (what != DescribeFor::kCreate)
      billing.last_update_to_pay_per_request_date_time = t.on_demand_since ? *t.on_demand_since : t.created;
    d.billing_mode_summary = billing;
  }
  d.table_status = what == DescribeFor::kCreate ? api::TableStatus::kCreating : api::TableStatus::kActive;
  if (what == DescribeFor::kDelete) {
    // DeleteTable's answer leaves out the schema, the creation time and the
    // billing summary (recorded).
    d.attribute_definitions.reset();
    d.key_schema.reset();
    d.creation_date_time.reset();
    d.billing_mode_summary.reset();
  }
  // Warm throughput: DescribeTable always shows it (on demand 12000/4000, else
  // the provisioned capacity, unless CreateTable asked for more); CreateTable's
  // answer only when it was asked for, as UPDATING.
  if (what == DescribeFor::kDescribe || (what == DescribeFor::kCreate && t.warm_read)) {
    api::TableWarmThroughputDescription warm;
    warm.read_units_per_second = t.warm_read ? *t.warm_read : on_demand ? kOnDemandWarmRead : t.rcu;
    warm.write_units_per_second = t.warm_write ? *t.warm_write : on_demand ? kOnDemandWarmWrite : t.wcu;
    warm.status = what == DescribeFor::kCreate ? api::TableStatus::kUpdating : api::TableStatus::kActive;
    d.warm_throughput = warm;
  }
  if (t.indexes) DescribeIndexes(t, what, on_demand, &d);
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
  if (t.billing_mode == kPayPerRequest) t.on_demand_since = std::chrono::time_point_cast<std::chrono::seconds>(clock_.Now());
  if (in.warm_throughput) {
    if (in.warm_throughput->read_units_per_second) t.warm_read = *in.warm_throughput->read_units_per_second;
    if (in.warm_throughput->write_units_per_second) t.warm_write = *in.warm_throughput->write_units_per_second;
    if (t.warm_read && !t.warm_write) t.warm_write = t.billing_mode == kPayPerRequest ? kOnDemandWarmWrite : t.wcu;
    if (t.warm_write && !t.warm_read) t.warm_read = t.billing_mode == kPayPerRequest ? kOnDemandWarmRead : t.rcu;
  }
  t.deletion_protection = in.deletion_protection_enabled.value_or(false);
  if (in.tags) t.tags = *in.tags;
  CK_ASSIGN_OR_RETURN(SseChoice sse, ParseSse(in.sse_specification));
  t.id = ids::Uuid4();
  CK_RETURN_IF_ERROR(WrapTableKey(t, sse, nullptr, ctx));
  t.creator = StoredPrincipal::Of(ctx.principal);
  t.created = std::chrono::time_point_cast<std::chrono::seconds>(clock_.Now());
  if (t.on_demand_since) t.on_demand_since = t.created;

  storage::WriteBatch b;
  std::string rk = TableRecordKey(t.account, t.region, t.name);
  b.ExpectAbsent(kTables, rk);
  tables_.Put(b, rk, t);
  Status s = store_.Apply(b);
  if (storage::IsPreconditionFailure(s)) return errors::ResourceInUse("Table already exists: " + t.name);
  CK_RETURN_IF_ERROR(s);
  ctx.log_note = t.sse_kms ? "sse key " + t.kms_key_arn : "sse AWS owned key";
  api::CreateTableOutput out;
  CK_ASSIGN_OR_RETURN(out.table_description, Describe(t, ctx, DescribeFor::kCreate));
  return out;
}

Result<api::DescribeTableOutput> DynamoDbService::DescribeTable(const api::DescribeTableInput& in,
                                                                RequestContext& ctx) {
  CK_ASSIGN_OR_RETURN(TableRecord t, LoadTable(in.table_name, ctx, "DescribeTable"));
  api::DescribeTableOutput out;
  CK_ASSIGN_OR_RETURN(out.table, Describe(t, ctx, DescribeFor::kDescribe));
  return out;
}

Result<api::UpdateTableOutput> DynamoDbService::UpdateTable(const api::UpdateTableInput& in, RequestContext& ctx) {
  for (auto [given, name] : {std::pair{in.global_secondary_index_updates.has_value(), "GlobalSecondaryIndexUpdates"},
                             std::pair{in.replica_updates.has_value(), "ReplicaUpdates"},
                             std::pair{in.stream_specification.has_value(), "StreamSpecification"}})
    if (given) return errors::NotImplemented(std::string("crosskey's DynamoDB does not implement UpdateTable ") + name);
  std::string before;
  CK_ASSIGN_OR_RETURN(TableRecord t, LoadTable(in.table_name, ctx, "UpdateTable", &before));
  if (in.billing_mode) {
    std::string mode(in.billing_mode->str());
    if (mode == kPayPerRequest && t.billing_mode != kPayPerRequest)
      t.on_demand_since = std::chrono::time_point_cast<std::chrono::seconds>(clock_.Now());
    t.billing_mode = std::move(mode);
  }
  if (in.provisioned_throughput) {
    if (t.billing_mode == kPayPerRequest) return NoThroughputOnDemand();
    t.rcu = in.provisioned_throughput->read_capacity_units;
    t.wcu = in.provisioned_throughput->write_capacity_units;
  }
  if (t.billing_mode == kPayPerRequest) t.rcu = t.wcu = 0;
  if (in.deletion_protection_enabled) t.deletion_protection = *in.deletion_protection_enabled;
  // The answer to a key change shows the encryption the table had, as UPDATING.
  std::optional<api::SSEDescription> sse_before;
  if (in.sse_specification) {
    sse_before.emplace();
    sse_before->status = api::SSEStatus::kUpdating;
    if (t.sse_kms) {
      sse_before->sse_type = api::SSEType::kKms;
      sse_before->kms_master_key_arn = t.kms_key_arn;
    }
  }
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
  CK_ASSIGN_OR_RETURN(api::TableDescription d, Describe(t, ctx, DescribeFor::kUpdate));
  d.table_status = api::TableStatus::kUpdating;
  // Right after a key change AWS answers with the encryption the table had,
  // as UPDATING: {"Status": "UPDATING"} from the AWS owned key (CloudTrail
  // sample, AWS-SEMANTICS §3), and the old SSEType and key ARN from a KMS key
  // (recorded: disabling SSE on an aws/dynamodb table). DescribeTable shows
  // the new encryption immediately after.
  if (sse_before) d.sse_description = std::move(sse_before);
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
  CK_ASSIGN_OR_RETURN(api::TableDescription d, Describe(t, ctx, DescribeFor::kDelete));
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

template <typename Change>
Result<TableRecord> DynamoDbService::ChangeTable(const std::string& name, RequestContext& ctx, const std::string& action,
                                                 Change&& change) {
  for (int attempt = 0; attempt < 8; ++attempt) {
    std::string before;
    CK_ASSIGN_OR_RETURN(TableRecord t, LoadTable(name, ctx, action, &before));
    CK_RETURN_IF_ERROR(change(t));
    storage::WriteBatch b;
    std::string rk = TableRecordKey(t.account, t.region, t.name);
    b.ExpectValue(kTables, rk, before);
    tables_.Put(b, rk, t);
    Status s = store_.Apply(b);
    if (storage::IsPreconditionFailure(s)) continue;
    CK_RETURN_IF_ERROR(s);
    return t;
  }
  return errors::ResourceInUse("Attempt to change a resource which is still in use: Table is being updated: " + name);
}

namespace {

constexpr int32_t kDefaultRecoveryDays = 35;

// Continuous backups are always on; point-in-time recovery when enabled,
// restorable from when it was enabled to (typically) five minutes ago.
api::ContinuousBackupsDescription Backups(const TableRecord& t, TimePoint now) {
  api::ContinuousBackupsDescription d;
  d.continuous_backups_status = api::ContinuousBackupsStatus::kEnabled;
  api::PointInTimeRecoveryDescription p;
  if (t.pitr_since) {
    p.point_in_time_recovery_status = api::PointInTimeRecoveryStatus::kEnabled;
    p.recovery_period_in_days = t.pitr_days.value_or(kDefaultRecoveryDays);
    p.earliest_restorable_date_time = *t.pitr_since;
    p.latest_restorable_date_time =
        std::max<TimePoint>(*t.pitr_since, std::chrono::time_point_cast<std::chrono::seconds>(now - std::chrono::minutes(5)));
  } else {
    p.point_in_time_recovery_status = api::PointInTimeRecoveryStatus::kDisabled;
  }
  d.point_in_time_recovery_description = p;
  return d;
}

// The backup operations name a missing table in their own words
// (TableNotFoundException; text UNVERIFIED).
template <typename T>
Result<T> TableNotFoundAsBackupError(Result<T> r, const std::string& name) {
  if (!r.ok() && r.status().code() == Code::kNotFound) return errors::TableNotFound("Table not found: " + name);
  return r;
}

}  // namespace

Result<api::UpdateContinuousBackupsOutput> DynamoDbService::UpdateContinuousBackups(
    const api::UpdateContinuousBackupsInput& in, RequestContext& ctx) {
  const auto& spec = in.point_in_time_recovery_specification;
  const TimePoint now = std::chrono::time_point_cast<std::chrono::seconds>(clock_.Now());
  auto changed = ChangeTable(in.table_name, ctx, "UpdateContinuousBackups", [&](TableRecord& t) {
    if (spec.point_in_time_recovery_enabled) {
      if (!t.pitr_since) t.pitr_since = now;
      t.pitr_days = spec.recovery_period_in_days.value_or(t.pitr_days.value_or(kDefaultRecoveryDays));
    } else {
      t.pitr_since.reset();
      t.pitr_days.reset();
    }
    return Status::Ok();
  });
  CK_ASSIGN_OR_RETURN(TableRecord t, TableNotFoundAsBackupError(std::move(changed), in.table_name));
  api::UpdateContinuousBackupsOutput out;
  out.continuous_backups_description = Backups(t, clock_.Now());
  return out;
}

Result<api::DescribeContinuousBackupsOutput> DynamoDbService::DescribeContinuousBackups(
    const api::DescribeContinuousBackupsInput& in, RequestContext& ctx) {
  CK_ASSIGN_OR_RETURN(TableRecord t, TableNotFoundAsBackupError(LoadTable(in.table_name, ctx, "DescribeContinuousBackups"),
                                                                in.table_name));
  api::DescribeContinuousBackupsOutput out;
  out.continuous_backups_description = Backups(t, clock_.Now());
  return out;
}

namespace {

// Contributor Insights of the table (index "") or one of its indexes.
Status CheckInsightsIndex(const TableRecord& t, const std::optional<std::string>& index) {
  if (index && !t.FindIndex(*index))  // text UNVERIFIED
    return errors::ResourceNotFound("Requested resource not found: Index: " + *index + " not found");
  return Status::Ok();
}

}  // namespace

// UpdateContributorInsights answers ENABLING / DISABLING; DescribeContributorInsights
// shows ENABLED / DISABLED at once (no statistics are kept).
Result<api::UpdateContributorInsightsOutput> DynamoDbService::UpdateContributorInsights(
    const api::UpdateContributorInsightsInput& in, RequestContext& ctx) {
  const bool enable = in.contributor_insights_action == api::ContributorInsightsAction::kEnable;
  const std::string which = in.index_name.value_or("");
  const TimePoint now = std::chrono::time_point_cast<std::chrono::seconds>(clock_.Now());
  CK_ASSIGN_OR_RETURN(TableRecord t, ChangeTable(in.table_name, ctx, "UpdateContributorInsights", [&](TableRecord& t) {
                        CK_RETURN_IF_ERROR(CheckInsightsIndex(t, in.index_name));
                        if (enable) {
                          if (!t.insights) t.insights.emplace();
                          t.insights->emplace(which, now);
                        } else if (t.insights) {
                          t.insights->erase(which);
                          if (t.insights->empty()) t.insights.reset();
                        }
                        return Status::Ok();
                      }));
  api::UpdateContributorInsightsOutput out;
  out.table_name = t.name;
  out.index_name = in.index_name;
  out.contributor_insights_status =
      enable ? api::ContributorInsightsStatus::kEnabling : api::ContributorInsightsStatus::kDisabling;
  if (in.contributor_insights_mode) out.contributor_insights_mode = *in.contributor_insights_mode;
  return out;
}

Result<api::DescribeContributorInsightsOutput> DynamoDbService::DescribeContributorInsights(
    const api::DescribeContributorInsightsInput& in, RequestContext& ctx) {
  CK_ASSIGN_OR_RETURN(TableRecord t, LoadTable(in.table_name, ctx, "DescribeContributorInsights"));
  CK_RETURN_IF_ERROR(CheckInsightsIndex(t, in.index_name));
  api::DescribeContributorInsightsOutput out;
  out.table_name = t.name;
  out.index_name = in.index_name;
  const std::string which = in.index_name.value_or("");
  auto it = t.insights ? t.insights->find(which) : std::map<std::string, TimePoint>::const_iterator();
  if (t.insights && it != t.insights->end()) {
    out.contributor_insights_status = api::ContributorInsightsStatus::kEnabled;
    out.last_update_date_time = it->second;
  } else {
    out.contributor_insights_status = api::ContributorInsightsStatus::kDisabled;
  }
  return out;
}

}  // namespace ck::services::dynamodb
