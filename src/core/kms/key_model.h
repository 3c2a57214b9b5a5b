// The KMS data model: keys (with their material versions, policy and grants)
// and aliases, plus their storage form. A KeyRecord is immutable once
// published: writers copy, change and publish a new one, so readers can hold a
// shared_ptr without locks. Unwrapped material and the parsed policy live only
// in memory (never in the storage form).
//
// Storage form: each record type has a field table (base/fields.h), so
// FromDocument/ToDocument are its codec (RecordTable<KeyRecord> stores it).
// The field names are the stored JSON keys ("kms.keys", "kms.aliases"):
//   key:      account region id description state spec usage origin manager
//             created deletion_date pending_window_days policy tags
//             rotation_enabled rotation_period_days next_rotation
//             on_demand_started materials pending_material grants
//   material: version id created rotation_type wrapped (base64)
//             expiration_model valid_to description (imported material)
//   grant:    id name grantee retiring issuing_account token operations
//             equals subset created
//   alias:    account region name target created updated
// Timestamps are epoch seconds, tags [[key, value], ...], state its KeyState
// name. Members added later are optional, left out when absent, so records
// of keys that do not use them are written as before. Renaming a field is a format change (key_model_test.cpp holds records
// as written before the field tables).
//
// Thread safety: value types; a published const KeyRecord is safe to share.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/fields.h"
#include "base/status.h"
#include "core/iam/policy_document.h"
#include "core/kms/key_material.h"

namespace ck::core::kms {

enum class KeyState { kEnabled, kDisabled, kPendingDeletion, kPendingImport };
const char* KeyStateName(KeyState s);

struct MaterialVersion {
  uint64_t version = 0;       // the blob header's (32-bit) material version
  std::string material_id;    // 64 hex characters (KeyMaterialId)
  TimePoint created{};
  std::string rotation_type;  // "" for the original material, AUTOMATIC, ON_DEMAND
  Bytes wrapped;              // AES-GCM under the master key; the only stored form
  std::string plain;          // in memory only
  // Imported material (origin EXTERNAL). Material that was deleted
  // (DeleteImportedKeyMaterial) or expired keeps its record without `wrapped`:
  // it is still the key's, to be imported again (ImportState PENDING_IMPORT).
  std::optional<std::string> expiration_model;  // KEY_MATERIAL_EXPIRES or KEY_MATERIAL_DOES_NOT_EXPIRE
  std::optional<TimePoint> valid_to;
  std::optional<std::string> description;  // KeyMaterialDescription

  bool imported() const { return !wrapped.empty(); }
};

struct GrantConstraints {
  std::optional<std::map<std::string, std::string>> context_equals;
  std::optional<std::map<std::string, std::string>> context_subset;
};

struct Grant {
  std::string grant_id, name, grantee, retiring, issuing_account, token;
  std::vector<std::string> operations;
  GrantConstraints constraints;
  TimePoint created{};
};

// One tag; stored as the pair [key, value].
struct KeyTag {
  std::string key, value;
  bool operator==(const KeyTag&) const = default;
};

struct KeyRecord {
  std::string account, region, id, arn;
  std::string description;
  KeyState state = KeyState::kEnabled;
  std::string spec = "SYMMETRIC_DEFAULT";
  std::string usage = "ENCRYPT_DECRYPT";
  std::string origin = "AWS_KMS";
  std::string manager = "CUSTOMER";  // or "AWS"
  TimePoint created{};
  std::optional<TimePoint> deletion_date;
  int pending_window_days = 0;
  std::string policy;
  std::shared_ptr<const iam::Policy> parsed_policy;  // memory only
  std::vector<KeyTag> tags;
  bool rotation_enabled = false;
  int rotation_period_days = 365;
  std::optional<TimePoint> next_rotation;
  std::optional<TimePoint> on_demand_rotation_started;
  std::vector<MaterialVersion> materials;  // ascending version; back() is current
  // Imported material waiting for RotateKeyOnDemand to become current
  // (KeyMaterialState PENDING_ROTATION; symmetric EXTERNAL keys, at most one).
  std::optional<MaterialVersion> pending_material;
  std::vector<Grant> grants;
  std::shared_ptr<const AsymmetricKey> asymmetric;  // memory only

  const MaterialVersion* Material(uint32_t version) const;
  const MaterialVersion& Current() const { return materials.back(); }
  bool symmetric() const { return spec == "SYMMETRIC_DEFAULT"; }
  bool external() const { return origin == "EXTERNAL"; }
  // A multi-Region (primary) key: AWS gives those, and only those, ids "mrk-...".
  bool multi_region() const { return id.starts_with("mrk-"); }
  // Whether every material of the key is imported: what an EXTERNAL key needs
  // to leave PendingImport. Material pending rotation does not count (AWS:
  // deleting or expiring it leaves the key's state as it is).
  bool AllMaterialImported() const;
  // The earliest ValidTo of the key's imported material, if any expires.
  std::optional<TimePoint> NextExpiry() const;
};

struct AliasRecord {
  std::string account, region, name;  // name includes "alias/"
  std::string target_key_id;
  TimePoint created{}, updated{};
  std::string arn() const { return "arn:aws:kms:" + region + ":" + account + ":" + name; }
};

std::string KeyArn(const std::string& region, const std::string& account, const std::string& id);

// Storage form (no plaintext material, no parsed policy). Decoding a key
// fills its arn; an unknown state name is an error.
CK_DECLARE_FIELDS(MaterialVersion);
CK_DECLARE_FIELDS(Grant);
CK_DECLARE_FIELDS(KeyRecord);
CK_DECLARE_FIELDS(AliasRecord);
CK_DECLARE_FIELDS(KeyTag);
Status FromDocument(const Document& d, KeyState* out, const DecodeOptions& o = {});
Document ToDocument(KeyState state);

// Wraps / unwraps material under the server master key; the AAD binds it to
// the key ARN and version so stored material cannot be moved between keys.
std::string WrapMaterial(std::string_view master_key, const std::string& arn, uint64_t version,
                         std::string_view material);
Result<std::string> UnwrapMaterial(std::string_view master_key, const std::string& arn, uint64_t version,
                                   std::string_view wrapped);

}  // namespace ck::core::kms
