// KeyStore: KMS keys, aliases and grants, persisted in the MetadataStore as
// typed records (RecordTable; "kms.keys": ACCOUNT/REGION/KEYID,
// "kms.aliases": ACCOUNT/REGION/alias/NAME; formats in core/kms/key_model.h)
// and served from memory. All records are loaded at start; every write goes
// to the store first and is published to the cache only when it committed,
// so the cache never shows state the store does not have. Published
// KeyRecords are immutable snapshots carrying the unwrapped material and the
// parsed key policy, which keeps the crypto hot path free of storage reads
// and JSON.
//
// It is the core::kms::KeyDirectory that resolution uses (and the read-only
// KeyCatalog other readers see), including lazy
// creation of AWS managed keys, automatic rotation when a key's rotation date
// has passed, deletion of keys whose deletion date has passed, and deletion
// of imported key material whose ValidTo has passed (the key goes back to
// PendingImport).
//
// Thread safety: safe for concurrent use. Readers take a shared lock; writers
// are serialized by a separate mutex so read-modify-write is atomic.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/clock.h"
#include "core/kms/key_import.h"
#include "core/kms/key_model.h"
#include "core/kms/resolver.h"
#include "services/kms/key_catalog.h"
#include "services/authorizer.h"
#include "services/common/record_table.h"
#include "storage/metadata_store.h"

namespace ck::services::kms {

using KeyPtr = std::shared_ptr<const core::kms::KeyRecord>;

class KeyStore final : public core::kms::KeyDirectory, public KeyCatalog {
 public:
  KeyStore(storage::MetadataStore& store, std::string master_key, PolicyAuthorizer& authorizer, const Clock& clock);

  // Loads every key and alias; fails if a record is corrupt or stored
  // material does not unwrap.
  Status Load();

  // core::kms::KeyDirectory
  KeyPtr FindKey(const std::string& account, const std::string& region, const std::string& key_id) override;
  std::optional<std::string> FindAlias(const std::string& account, const std::string& region,
                                       const std::string& alias_name) override;
  Result<KeyPtr> EnsureManagedKey(const std::string& account, const std::string& region,
                                  const core::kms::ManagedAlias& alias) override;

  // Creates a key: generates material (unless origin EXTERNAL), wraps it, stores.
  Result<KeyPtr> CreateKey(core::kms::KeyRecord draft);
  // Read-modify-write of one key; `fn` edits a copy. NotFound when absent.
  Result<KeyPtr> Update(const std::string& account, const std::string& region, const std::string& key_id,
                        const std::function<Status(core::kms::KeyRecord&)>& fn);
  // Adds a new material version to a key being edited in Update.
  Status AddMaterial(core::kms::KeyRecord& key, const std::string& rotation_type);
  // Gives `m`, a material of the key being edited in Update, the key
  // material `plain` (wrapped under the master key for storage).
  void SetMaterial(const core::kms::KeyRecord& key, core::kms::MaterialVersion& m, std::string plain);

  // Import tokens (core/kms/key_import.h), sealed under the master key.
  std::string SealImportToken(const std::string& key_arn, const core::kms::ImportParameters& p);
  Result<core::kms::ImportParameters> OpenImportToken(const std::string& key_arn, std::string_view token);

  // The account's keys in the region, by key id.
  std::vector<KeyPtr> ListKeys(const std::string& account, const std::string& region);
  // Every account's keys in the region, unordered.
  std::vector<KeyPtr> AllKeys(const std::string& region) override;

  std::optional<core::kms::AliasRecord> GetAlias(const std::string& account, const std::string& region,
                                                 const std::string& name);
  // must_not_exist: CreateAlias; otherwise the alias must exist (UpdateAlias).
  Status PutAlias(const core::kms::AliasRecord& alias, bool must_not_exist);
  Status DeleteAlias(const std::string& account, const std::string& region, const std::string& name);
  // The account's aliases in the region, by name.
  std::vector<core::kms::AliasRecord> ListAliases(const std::string& account, const std::string& region) override;

 private:
  static std::string RecordKey(const std::string& a, const std::string& r, const std::string& id) {
    std::string k;
    k.reserve(a.size() + r.size() + id.size() + 2);
    k.append(a).append("/").append(r).append("/").append(id);
    return k;
  }
  // Unwraps material, parses the policy, loads asymmetric keys.
  Status Hydrate(core::kms::KeyRecord& key);
  // Loads the asymmetric key of the current material (none while its
  // imported material is deleted).
  static Status LoadAsymmetric(core::kms::KeyRecord& key);
  Status Persist(const core::kms::KeyRecord& key, bool must_not_exist);
  // Applies time-based transitions (rotation, deletion) under write_mu_.
  KeyPtr Maintain(KeyPtr key);
  KeyPtr Expire(const KeyPtr& key);
  KeyPtr Rotate(const KeyPtr& key, TimePoint now);
  KeyPtr ExpireMaterial(const KeyPtr& key, TimePoint now);
  void Publish(KeyPtr key);

  storage::MetadataStore& store_;
  RecordTable<core::kms::KeyRecord> key_records_;
  RecordTable<core::kms::AliasRecord> alias_records_;
  std::string master_key_;
  PolicyAuthorizer& authorizer_;
  const Clock& clock_;
  std::mutex write_mu_;
  mutable std::shared_mutex mu_;
  std::unordered_map<std::string, KeyPtr> keys_;
  std::map<std::string, core::kms::AliasRecord> aliases_;
};

}  // namespace ck::services::kms
