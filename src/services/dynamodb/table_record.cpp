#include "services/dynamodb/table_record.h"

#include "storage/key_codec.h"

namespace ck::services::dynamodb {

namespace {

template <class V, class S>
void PrincipalFields(V& v, S& s) {
  v("arn", s.arn, false);
  v("account", s.account, false);
  v("type", s.type, false);
  v("role_arn", s.role_arn, false);
  v("user_id", s.user_id, false);
  v("username", s.username, false);
  v("session_name", s.session_name, false);
  v("access_key_id", s.access_key_id, false);
}

template <class V, class S>
void IndexFields(V& v, S& s) {
  v("name", s.name, true);
  v("global", s.global, false);
  v("hash_key", s.hash_key, true);
  v("hash_type", s.hash_type, true);
  v("range_key", s.range_key, false);
  v("range_type", s.range_type, false);
  v("projection", s.projection, false);
  v("non_key_attributes", s.non_key_attributes, false);
  v("rcu", s.rcu, false);
  v("wcu", s.wcu, false);
}

template <class V, class S>
void TableFields(V& v, S& s) {
  v("name", s.name, true);
  v("arn", s.arn, true);
  v("id", s.id, true);
  v("account", s.account, true);
  v("region", s.region, true);
  v("created", s.created, false);
  v("hash_key", s.hash_key, true);
  v("hash_type", s.hash_type, true);
  v("range_key", s.range_key, false);
  v("range_type", s.range_type, false);
  v("attribute_definitions", s.attribute_definitions, false);
  v("billing_mode", s.billing_mode, false);
  v("rcu", s.rcu, false);
  v("wcu", s.wcu, false);
  v("deletion_protection", s.deletion_protection, false);
  v("sse_kms", s.sse_kms, false);
  v("kms_key_arn", s.kms_key_arn, false);
  v("wrapped_key", s.wrapped_key, true);
  v("sealed_table_key", s.sealed_table_key, false);
  v("creator", s.creator, false);
  v("tags", s.tags, false);
  v("warm_read", s.warm_read, false);
  v("warm_write", s.warm_write, false);
  v("on_demand_since", s.on_demand_since, false);
  v("pitr_since", s.pitr_since, false);
  v("pitr_days", s.pitr_days, false);
  v("insights", s.insights, false);
  v("indexes", s.indexes, false);
}

}  // namespace

CK_DEFINE_FIELDS(StoredPrincipal, PrincipalFields)
CK_DEFINE_FIELDS(IndexRecord, IndexFields)
CK_DEFINE_FIELDS(TableRecord, TableFields)

StoredPrincipal StoredPrincipal::Of(const Principal& p) {
  StoredPrincipal s;
  s.arn = p.arn;
  s.account = p.account;
  s.type = static_cast<int32_t>(p.type);
  s.role_arn = p.role_arn;
  s.user_id = p.user_id;
  s.username = p.username;
  s.session_name = p.session_name;
  s.access_key_id = p.access_key_id;
  return s;
}

Principal StoredPrincipal::ToPrincipal() const {
  Principal p;
  p.arn = arn;
  p.account = account;
  p.type = static_cast<Principal::Type>(type);
  p.role_arn = role_arn;
  p.user_id = user_id;
  p.username = username;
  p.session_name = session_name;
  p.access_key_id = access_key_id;
  return p;
}

std::vector<api::dynamodb::KeySchemaElement> TableRecord::KeySchema() const {
  std::vector<api::dynamodb::KeySchemaElement> ks = {{hash_key, api::dynamodb::KeyType::kHash}};
  if (!range_key.empty()) ks.push_back({range_key, api::dynamodb::KeyType::kRange});
  return ks;
}

const IndexRecord* TableRecord::FindIndex(const std::string& index_name) const {
  if (!indexes) return nullptr;
  for (const auto& i : *indexes)
    if (i.name == index_name) return &i;
  return nullptr;
}

std::string TableRecord::ItemPrefix() const {
  std::string k;
  storage::AppendKeyPart(&k, account);
  storage::AppendKeyPart(&k, region);
  storage::AppendKeyPart(&k, id);
  return k;
}

std::string TableRecordPrefix(const std::string& account, const std::string& region) {
  std::string k;
  storage::AppendKeyPart(&k, account);
  storage::AppendKeyPart(&k, region);
  return k;
}

std::string TableRecordKey(const std::string& account, const std::string& region, const std::string& name) {
  std::string k = TableRecordPrefix(account, region);
  storage::AppendKeyPart(&k, name);
  return k;
}

}  // namespace ck::services::dynamodb
