#include "services/kms/key_store.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "core/ids.h"
#include "services/kms/errors.h"

namespace ck::services::kms {

namespace {
constexpr char kKeys[] = "kms.keys";
constexpr char kAliases[] = "kms.aliases";
}  // namespace

KeyStore::KeyStore(storage::MetadataStore& store, std::string master_key, PolicyAuthorizer& authorizer,
                   const Clock& clock)
    : store_(store),
      key_records_(store, kKeys),
      alias_records_(store, kAliases),
      master_key_(std::move(master_key)),
      authorizer_(authorizer),
      clock_(clock) {}

Status KeyStore::Hydrate(core::kms::KeyRecord& k) {
  for (auto& m : k.materials) {
    if (!m.plain.empty() || m.wrapped.empty()) continue;
    CK_ASSIGN_OR_RETURN(m.plain, core::kms::UnwrapMaterial(master_key_, k.arn, m.version, m.wrapped.view()));
  }
  if (k.pending_material && k.pending_material->plain.empty() && !k.pending_material->wrapped.empty()) {
    auto& m = *k.pending_material;
    CK_ASSIGN_OR_RETURN(m.plain, core::kms::UnwrapMaterial(master_key_, k.arn, m.version, m.wrapped.view()));
  }
  auto parsed = authorizer_.Parse(k.policy, core::iam::PolicyKind::kKeyPolicy);
  if (!parsed.ok()) return parsed.status();
  k.parsed_policy = *parsed;
  return LoadAsymmetric(k);
}

Status KeyStore::LoadAsymmetric(core::kms::KeyRecord& k) {
  auto family = core::kms::FamilyOf(k.spec);
  if (family != core::kms::SpecFamily::kRsa && family != core::kms::SpecFamily::kEcc) return Status::Ok();
  if (k.materials.empty() || k.Current().plain.empty()) {
    k.asymmetric.reset();
    return Status::Ok();
  }
  if (!k.asymmetric) {
    CK_ASSIGN_OR_RETURN(k.asymmetric, core::kms::AsymmetricKey::Load(k.Current().plain));
  }
  return Status::Ok();
}

Status KeyStore::Load() {
  std::unique_lock wl(write_mu_);
  CK_ASSIGN_OR_RETURN(auto keys, key_records_.ScanAll());
  for (auto& [record_key, key] : keys) {
    CK_RETURN_IF_ERROR(Hydrate(key));
    std::unique_lock lock(mu_);
    keys_[record_key] = std::make_shared<const core::kms::KeyRecord>(std::move(key));
  }
  CK_ASSIGN_OR_RETURN(auto aliases, alias_records_.ScanAll());
  std::unique_lock lock(mu_);
  for (auto& [record_key, alias] : aliases) aliases_[record_key] = std::move(alias);
  return Status::Ok();
}

Status KeyStore::Persist(const core::kms::KeyRecord& k, bool must_not_exist) {
  storage::WriteBatch b;
  std::string key = RecordKey(k.account, k.region, k.id);
  if (must_not_exist) b.ExpectAbsent(kKeys, key);
  key_records_.Put(b, key, k);
  return store_.Apply(b);
}

void KeyStore::Publish(KeyPtr key) {
  std::string k = RecordKey(key->account, key->region, key->id);
  std::unique_lock lock(mu_);
  keys_[k] = std::move(key);
}

// A key whose deletion date has passed goes, with the aliases that name it.
KeyPtr KeyStore::Expire(const KeyPtr& key) {
  std::string k = RecordKey(key->account, key->region, key->id);
  storage::WriteBatch b;
  key_records_.Delete(b, k);
  std::vector<std::string> dangling;
  {
    std::shared_lock lock(mu_);
    for (const auto& [ak, a] : aliases_)
      if (a.account == key->account && a.region == key->region && a.target_key_id == key->id) dangling.push_back(ak);
  }
  for (const auto& ak : dangling) alias_records_.Delete(b, ak);
  if (!store_.Apply(b).ok()) return key;
  std::unique_lock lock(mu_);
  keys_.erase(k);
  for (const auto& ak : dangling) aliases_.erase(ak);
  return nullptr;
}

// Every rotation date that has passed adds a material version dated then.
KeyPtr KeyStore::Rotate(const KeyPtr& key, TimePoint now) {
  core::kms::KeyRecord copy = *key;
  while (copy.next_rotation && now >= *copy.next_rotation) {
    if (!AddMaterial(copy, "AUTOMATIC").ok()) return key;
    copy.materials.back().created = *copy.next_rotation;
    copy.next_rotation = *copy.next_rotation + std::chrono::hours(24) * copy.rotation_period_days;
  }
  if (!Persist(copy, false).ok()) return key;
  auto published = std::make_shared<const core::kms::KeyRecord>(std::move(copy));
  Publish(published);
  return published;
}

// Imported material whose ValidTo has passed is deleted, as
// DeleteImportedKeyMaterial would: the key is PendingImport until it is
// imported again (unless it is pending deletion).
KeyPtr KeyStore::ExpireMaterial(const KeyPtr& key, TimePoint now) {
  core::kms::KeyRecord copy = *key;
  auto expire = [&](core::kms::MaterialVersion& m) {
    if (!m.imported() || !m.valid_to || now < *m.valid_to) return false;
    m.wrapped = Bytes();
    m.plain.clear();
    m.expiration_model.reset();
    m.valid_to.reset();
    return true;
  };
  bool in_use = false;  // material pending rotation expires without changing the key's state
  for (auto& m : copy.materials) in_use = expire(m) || in_use;
  if (copy.pending_material) expire(*copy.pending_material);
  if (in_use && copy.state != core::kms::KeyState::kPendingDeletion) copy.state = core::kms::KeyState::kPendingImport;
  if (!LoadAsymmetric(copy).ok() || !Persist(copy, false).ok()) return key;
  auto published = std::make_shared<const core::kms::KeyRecord>(std::move(copy));
  Publish(published);
  spdlog::info("kms: imported key material of {} expired", published->arn);
  return published;
}

namespace {

// What time has done to a key since it was last written.
enum class Due { kNothing, kDeletion, kRotation, kMaterialExpiry };

Due DueFor(const core::kms::KeyRecord& k, TimePoint now) {
  if (k.state == core::kms::KeyState::kPendingDeletion && k.deletion_date && now >= *k.deletion_date)
    return Due::kDeletion;
  if (k.rotation_enabled && k.next_rotation && now >= *k.next_rotation && k.state == core::kms::KeyState::kEnabled)
    return Due::kRotation;
  if (k.external()) {
    auto expiry = k.NextExpiry();
    if (expiry && now >= *expiry) return Due::kMaterialExpiry;
  }
  return Due::kNothing;
}

}  // namespace

KeyPtr KeyStore::Maintain(KeyPtr key) {
  if (!key) return key;
  TimePoint now = clock_.Now();
  if (DueFor(*key, now) == Due::kNothing) return key;
  std::lock_guard wl(write_mu_);
  {  // the record as it is now: another writer may have changed it meanwhile
    std::shared_lock lock(mu_);
    auto it = keys_.find(RecordKey(key->account, key->region, key->id));
    if (it == keys_.end()) return nullptr;
    key = it->second;
  }
  switch (DueFor(*key, now)) {
    case Due::kNothing: return key;
    case Due::kDeletion: return Expire(key);
    case Due::kRotation: return Rotate(key, now);
    case Due::kMaterialExpiry: return ExpireMaterial(key, now);
  }
  return key;
}

KeyPtr KeyStore::FindKey(const std::string& account, const std::string& region, const std::string& key_id) {
  KeyPtr key;
  {
    std::shared_lock lock(mu_);
    auto it = keys_.find(RecordKey(account, region, key_id));
    if (it == keys_.end()) return nullptr;
    key = it->second;
  }
  return Maintain(std::move(key));
}

std::optional<std::string> KeyStore::FindAlias(const std::string& account, const std::string& region,
                                               const std::string& name) {
  std::shared_lock lock(mu_);
  auto it = aliases_.find(RecordKey(account, region, name));
  if (it == aliases_.end()) return std::nullopt;
  return it->second.target_key_id;
}

Status KeyStore::AddMaterial(core::kms::KeyRecord& k, const std::string& rotation_type) {
  CK_ASSIGN_OR_RETURN(std::string material, core::kms::GenerateMaterial(k.spec));
  core::kms::MaterialVersion v;
  v.version = k.materials.empty() ? 1 : k.materials.back().version + 1;
  v.material_id = ids::Hex(32);
  v.created = clock_.Now();
  v.rotation_type = rotation_type;
  v.wrapped = core::kms::WrapMaterial(master_key_, k.arn, v.version, material);
  v.plain = std::move(material);
  k.materials.push_back(std::move(v));
  return Status::Ok();
}

void KeyStore::SetMaterial(const core::kms::KeyRecord& k, core::kms::MaterialVersion& m, std::string plain) {
  m.wrapped = core::kms::WrapMaterial(master_key_, k.arn, m.version, plain);
  m.plain = std::move(plain);
}

std::string KeyStore::SealImportToken(const std::string& key_arn, const core::kms::ImportParameters& p) {
  return core::kms::SealImportToken(master_key_, key_arn, p);
}

Result<core::kms::ImportParameters> KeyStore::OpenImportToken(const std::string& key_arn, std::string_view token) {
  return core::kms::OpenImportToken(master_key_, key_arn, token, clock_.Now());
}

Result<KeyPtr> KeyStore::CreateKey(core::kms::KeyRecord k) {
  k.arn = core::kms::KeyArn(k.region, k.account, k.id);
  if (k.origin != "EXTERNAL") CK_RETURN_IF_ERROR(AddMaterial(k, ""));
  CK_RETURN_IF_ERROR(Hydrate(k));
  std::lock_guard wl(write_mu_);
  CK_RETURN_IF_ERROR(Persist(k, true));
  auto published = std::make_shared<const core::kms::KeyRecord>(std::move(k));
  Publish(published);
  return published;
}

Result<KeyPtr> KeyStore::EnsureManagedKey(const std::string& account, const std::string& region,
                                          const core::kms::ManagedAlias& m) {
  std::string alias(m.alias);
  if (auto target = FindAlias(account, region, alias)) {
    if (auto key = FindKey(account, region, *target)) return key;
  }
  core::kms::KeyRecord k;
  k.account = account;
  k.region = region;
  k.id = ids::Uuid4();
  k.arn = core::kms::KeyArn(region, account, k.id);
  k.description = std::string(m.description);
  k.manager = "AWS";
  k.created = clock_.Now();
  k.policy = core::kms::ManagedKeyPolicy(m, account, region);
  // AWS rotates AWS managed keys every year, always.
  k.rotation_enabled = true;
  k.next_rotation = k.created + std::chrono::hours(24 * 365);
  CK_RETURN_IF_ERROR(AddMaterial(k, ""));
  CK_RETURN_IF_ERROR(Hydrate(k));

  std::lock_guard wl(write_mu_);
  std::string ak = RecordKey(account, region, alias);
  {
    std::shared_lock lock(mu_);
    auto it = aliases_.find(ak);
    if (it != aliases_.end()) {  // a concurrent first use won
      auto kit = keys_.find(RecordKey(account, region, it->second.target_key_id));
      if (kit != keys_.end()) return kit->second;
    }
  }
  core::kms::AliasRecord a{account, region, alias, k.id, k.created, k.created};
  storage::WriteBatch b;
  key_records_.Put(b, RecordKey(account, region, k.id), k);
  alias_records_.Put(b, ak, a);
  CK_RETURN_IF_ERROR(store_.Apply(b));
  auto published = std::make_shared<const core::kms::KeyRecord>(std::move(k));
  Publish(published);
  {
    std::unique_lock lock(mu_);
    aliases_[ak] = a;
  }
  spdlog::info("kms: created AWS managed key {} for {}", published->arn, alias);
  return published;
}

Result<KeyPtr> KeyStore::Update(const std::string& account, const std::string& region, const std::string& key_id,
                                const std::function<Status(core::kms::KeyRecord&)>& fn) {
  std::lock_guard wl(write_mu_);
  KeyPtr current;
  {
    std::shared_lock lock(mu_);
    auto it = keys_.find(RecordKey(account, region, key_id));
    if (it != keys_.end()) current = it->second;
  }
  if (!current) return errors::NotFound(core::kms::KeyDoesNotExist(core::kms::KeyArn(region, account, key_id)));
  core::kms::KeyRecord copy = *current;
  std::string old_policy = copy.policy;
  CK_RETURN_IF_ERROR(fn(copy));
  if (copy.policy != old_policy) {
    auto parsed = authorizer_.Parse(copy.policy, core::iam::PolicyKind::kKeyPolicy);
    if (!parsed.ok()) return parsed.status();
    copy.parsed_policy = *parsed;
  }
  CK_RETURN_IF_ERROR(LoadAsymmetric(copy));
  CK_RETURN_IF_ERROR(Persist(copy, false));
  auto published = std::make_shared<const core::kms::KeyRecord>(std::move(copy));
  Publish(published);
  return published;
}

std::vector<KeyPtr> KeyStore::ListKeys(const std::string& account, const std::string& region) {
  std::vector<KeyPtr> out;
  {
    std::shared_lock lock(mu_);
    for (const auto& [k, v] : keys_)
      if (v->account == account && v->region == region) out.push_back(v);
  }
  std::sort(out.begin(), out.end(), [](const KeyPtr& a, const KeyPtr& b) { return a->id < b->id; });
  return out;
}

std::vector<KeyPtr> KeyStore::AllKeys(const std::string& region) {
  std::vector<KeyPtr> out;
  std::shared_lock lock(mu_);
  for (const auto& [k, v] : keys_)
    if (v->region == region) out.push_back(v);
  return out;
}

std::optional<core::kms::AliasRecord> KeyStore::GetAlias(const std::string& account, const std::string& region,
                                                         const std::string& name) {
  std::shared_lock lock(mu_);
  auto it = aliases_.find(RecordKey(account, region, name));
  if (it == aliases_.end()) return std::nullopt;
  return it->second;
}

Status KeyStore::PutAlias(const core::kms::AliasRecord& a, bool must_not_exist) {
  std::lock_guard wl(write_mu_);
  std::string k = RecordKey(a.account, a.region, a.name);
  {
    std::shared_lock lock(mu_);
    bool exists = aliases_.count(k) > 0;
    if (must_not_exist && exists)
      return errors::AlreadyExists("An alias with the name " + a.arn() + " already exists");
    if (!must_not_exist && !exists) return errors::NotFound("Alias " + a.arn() + " is not found.");
  }
  CK_RETURN_IF_ERROR(alias_records_.Put(k, a));
  std::unique_lock lock(mu_);
  aliases_[k] = a;
  return Status::Ok();
}

Status KeyStore::DeleteAlias(const std::string& account, const std::string& region, const std::string& name) {
  std::lock_guard wl(write_mu_);
  std::string k = RecordKey(account, region, name);
  CK_RETURN_IF_ERROR(alias_records_.Delete(k));
  std::unique_lock lock(mu_);
  aliases_.erase(k);
  return Status::Ok();
}

std::vector<core::kms::AliasRecord> KeyStore::ListAliases(const std::string& account, const std::string& region) {
  std::vector<core::kms::AliasRecord> out;
  std::string prefix = account + "/" + region + "/";
  std::shared_lock lock(mu_);
  for (auto it = aliases_.lower_bound(prefix); it != aliases_.end() && it->first.starts_with(prefix); ++it)
    out.push_back(it->second);
  return out;
}

}  // namespace ck::services::kms
