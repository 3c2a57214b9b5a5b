#include "services/kms/key_store.h"

#include <spdlog/spdlog.h>

namespace ck::services::kmsimpl {

using nlohmann::json;

namespace {
constexpr char kKeys[] = "kms.keys";
constexpr char kAliases[] = "kms.aliases";
}  // namespace

KeyStore::KeyStore(storage::MetadataStore& store, std::string master_key, PolicyAuthorizer& authorizer,
                   const Clock& clock)
    : store_(store), master_key_(std::move(master_key)), authorizer_(authorizer), clock_(clock) {}

Status KeyStore::Hydrate(core::kms::KeyRecord& k) {
  for (auto& m : k.materials) {
    if (!m.plain.empty() || m.wrapped.empty()) continue;
    CK_ASSIGN_OR_RETURN(m.plain, core::kms::UnwrapMaterial(master_key_, k.arn, m.version, m.wrapped));
  }
  auto parsed = authorizer_.Parse(k.policy, core::iam::PolicyKind::kKeyPolicy);
  if (!parsed.ok()) return parsed.status();
  k.parsed_policy = *parsed;
  if (!k.symmetric() && core::kms::FamilyOf(k.spec) != core::kms::SpecFamily::kHmac && !k.materials.empty()) {
    CK_ASSIGN_OR_RETURN(k.asymmetric, core::kms::AsymmetricKey::Load(k.Current().plain));
  }
  return Status::Ok();
}

Status KeyStore::Load() {
  std::unique_lock wl(write_mu_);
  storage::ScanOptions opt;
  opt.limit = 1000;
  for (;;) {
    CK_ASSIGN_OR_RETURN(auto records, store_.Scan(kKeys, opt));
    for (const auto& r : records) {
      json j = json::parse(r.value, nullptr, false);
      if (j.is_discarded()) return DataLoss("corrupt KMS key record " + r.key);
      CK_ASSIGN_OR_RETURN(auto key, core::kms::KeyFromStorage(j));
      CK_RETURN_IF_ERROR(Hydrate(key));
      std::unique_lock lock(mu_);
      keys_[r.key] = std::make_shared<const core::kms::KeyRecord>(std::move(key));
    }
    if (records.size() < opt.limit) break;
    opt.start_after = records.back().key;
  }
  opt = {};
  for (;;) {
    CK_ASSIGN_OR_RETURN(auto records, store_.Scan(kAliases, opt));
    for (const auto& r : records) {
      json j = json::parse(r.value, nullptr, false);
      if (j.is_discarded()) return DataLoss("corrupt KMS alias record " + r.key);
      std::unique_lock lock(mu_);
      aliases_[r.key] = core::kms::AliasFromStorage(j);
    }
    if (records.size() < opt.limit) break;
    opt.start_after = records.back().key;
  }
  return Status::Ok();
}

Status KeyStore::Persist(const core::kms::KeyRecord& k, bool must_not_exist) {
  storage::WriteBatch b;
  std::string key = KeyKey(k.account, k.region, k.id);
  if (must_not_exist) b.ExpectAbsent(kKeys, key);
  b.Put(kKeys, key, core::kms::KeyToStorage(k).dump());
  return store_.Apply(b);
}

KeyPtr KeyStore::Maintain(KeyPtr key) {
  if (!key) return key;
  TimePoint now = clock_.Now();
  bool expired = key->state == core::kms::KeyState::kPendingDeletion && key->deletion_date && now >= *key->deletion_date;
  bool rotate = key->rotation_enabled && key->next_rotation && now >= *key->next_rotation &&
                key->state == core::kms::KeyState::kEnabled;
  if (!expired && !rotate) return key;
  std::lock_guard wl(write_mu_);
  std::string k = KeyKey(key->account, key->region, key->id);
  if (expired) {
    storage::WriteBatch b;
    b.Delete(kKeys, k);
    std::vector<std::string> dangling;
    {
      std::shared_lock lock(mu_);
      for (const auto& [ak, a] : aliases_)
        if (a.account == key->account && a.region == key->region && a.target_key_id == key->id) dangling.push_back(ak);
    }
    for (const auto& ak : dangling) b.Delete(kAliases, ak);
    if (!store_.Apply(b).ok()) return key;
    std::unique_lock lock(mu_);
    keys_.erase(k);
    for (const auto& ak : dangling) aliases_.erase(ak);
    return nullptr;
  }
  core::kms::KeyRecord copy = *key;
  while (copy.next_rotation && now >= *copy.next_rotation) {
    if (!AddMaterial(copy, "AUTOMATIC").ok()) return key;
    copy.materials.back().created = *copy.next_rotation;
    copy.next_rotation = *copy.next_rotation + std::chrono::hours(24) * copy.rotation_period_days;
  }
  if (!Persist(copy, false).ok()) return key;
  auto published = std::make_shared<const core::kms::KeyRecord>(std::move(copy));
  std::unique_lock lock(mu_);
  keys_[k] = published;
  return published;
}

KeyPtr KeyStore::FindKey(const std::string& account, const std::string& region, const std::string& key_id) {
  KeyPtr key;
  {
    std::shared_lock lock(mu_);
    auto it = keys_.find(KeyKey(account, region, key_id));
    if (it == keys_.end()) return nullptr;
    key = it->second;
  }
  return Maintain(std::move(key));
}

std::optional<std::string> KeyStore::FindAlias(const std::string& account, const std::string& region,
                                               const std::string& name) {
  std::shared_lock lock(mu_);
  auto it = aliases_.find(KeyKey(account, region, name));
  if (it == aliases_.end()) return std::nullopt;
  return it->second.target_key_id;
}

Status KeyStore::AddMaterial(core::kms::KeyRecord& k, const std::string& rotation_type) {
  CK_ASSIGN_OR_RETURN(std::string material, core::kms::GenerateMaterial(k.spec));
  core::kms::MaterialVersion v;
  v.version = k.materials.empty() ? 1 : k.materials.back().version + 1;
  v.material_id = core::kms::NewKeyMaterialId();
  v.created = clock_.Now();
  v.rotation_type = rotation_type;
  v.wrapped = core::kms::WrapMaterial(master_key_, k.arn, v.version, material);
  v.plain = std::move(material);
  k.materials.push_back(std::move(v));
  return Status::Ok();
}

Result<KeyPtr> KeyStore::CreateKey(core::kms::KeyRecord k) {
  k.arn = core::kms::KeyArn(k.region, k.account, k.id);
  if (k.origin != "EXTERNAL") CK_RETURN_IF_ERROR(AddMaterial(k, ""));
  CK_RETURN_IF_ERROR(Hydrate(k));
  std::lock_guard wl(write_mu_);
  CK_RETURN_IF_ERROR(Persist(k, true));
  auto published = std::make_shared<const core::kms::KeyRecord>(std::move(k));
  std::unique_lock lock(mu_);
  keys_[KeyKey(published->account, published->region, published->id)] = published;
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
  k.id = core::kms::NewKeyId();
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
  std::string ak = KeyKey(account, region, alias);
  {
    std::shared_lock lock(mu_);
    auto it = aliases_.find(ak);
    if (it != aliases_.end()) {  // a concurrent first use won
      auto kit = keys_.find(KeyKey(account, region, it->second.target_key_id));
      if (kit != keys_.end()) return kit->second;
    }
  }
  core::kms::AliasRecord a{account, region, alias, k.id, k.created, k.created};
  storage::WriteBatch b;
  b.Put(kKeys, KeyKey(account, region, k.id), core::kms::KeyToStorage(k).dump());
  b.Put(kAliases, ak, core::kms::AliasToStorage(a).dump());
  CK_RETURN_IF_ERROR(store_.Apply(b));
  auto published = std::make_shared<const core::kms::KeyRecord>(std::move(k));
  std::unique_lock lock(mu_);
  keys_[KeyKey(account, region, published->id)] = published;
  aliases_[ak] = a;
  spdlog::info("kms: created AWS managed key {} for {}", published->arn, alias);
  return published;
}

Result<KeyPtr> KeyStore::Update(const std::string& account, const std::string& region, const std::string& key_id,
                                const std::function<Status(core::kms::KeyRecord&)>& fn) {
  std::lock_guard wl(write_mu_);
  std::string k = KeyKey(account, region, key_id);
  KeyPtr current;
  {
    std::shared_lock lock(mu_);
    auto it = keys_.find(k);
    if (it != keys_.end()) current = it->second;
  }
  if (!current) return AwsError("NotFoundException", 400, core::kms::KeyDoesNotExist(core::kms::KeyArn(region, account, key_id)));
  core::kms::KeyRecord copy = *current;
  std::string old_policy = copy.policy;
  CK_RETURN_IF_ERROR(fn(copy));
  if (copy.policy != old_policy) {
    auto parsed = authorizer_.Parse(copy.policy, core::iam::PolicyKind::kKeyPolicy);
    if (!parsed.ok()) return parsed.status();
    copy.parsed_policy = *parsed;
  }
  CK_RETURN_IF_ERROR(Persist(copy, false));
  auto published = std::make_shared<const core::kms::KeyRecord>(std::move(copy));
  std::unique_lock lock(mu_);
  keys_[k] = published;
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
  auto it = aliases_.find(KeyKey(account, region, name));
  if (it == aliases_.end()) return std::nullopt;
  return it->second;
}

Status KeyStore::PutAlias(const core::kms::AliasRecord& a, bool must_not_exist) {
  std::lock_guard wl(write_mu_);
  std::string k = KeyKey(a.account, a.region, a.name);
  {
    std::shared_lock lock(mu_);
    bool exists = aliases_.count(k) > 0;
    if (must_not_exist && exists)
      return AwsError("AlreadyExistsException", 400, "An alias with the name " + a.arn() + " already exists");
    if (!must_not_exist && !exists) return AwsError("NotFoundException", 400, "Alias " + a.arn() + " is not found.");
  }
  storage::WriteBatch b;
  b.Put(kAliases, k, core::kms::AliasToStorage(a).dump());
  CK_RETURN_IF_ERROR(store_.Apply(b));
  std::unique_lock lock(mu_);
  aliases_[k] = a;
  return Status::Ok();
}

Status KeyStore::DeleteAlias(const std::string& account, const std::string& region, const std::string& name) {
  std::lock_guard wl(write_mu_);
  std::string k = KeyKey(account, region, name);
  storage::WriteBatch b;
  b.Delete(kAliases, k);
  CK_RETURN_IF_ERROR(store_.Apply(b));
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

}  // namespace ck::services::kmsimpl
