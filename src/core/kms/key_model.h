// The KMS data model: keys (with their material versions, policy and grants)
// and aliases, plus their storage form. A KeyRecord is immutable once
// published: writers copy, change and publish a new one, so readers can hold a
// shared_ptr without locks. Unwrapped material and the parsed policy live only
// in memory (never in the storage form).
//
// Thread safety: value types; a published const KeyRecord is safe to share.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/clock.h"
#include "base/status.h"
#include "core/iam/policy_document.h"
#include "core/kms/key_material.h"

namespace ck::core::kms {

enum class KeyState { kEnabled, kDisabled, kPendingDeletion, kPendingImport };
const char* KeyStateName(KeyState s);

struct MaterialVersion {
  uint32_t version = 0;
  std::string material_id;    // 64 hex characters (KeyMaterialId)
  TimePoint created{};
  std::string rotation_type;  // "" for the original material, AUTOMATIC, ON_DEMAND
  std::string wrapped;        // AES-GCM under the master key; the only stored form
  std::string plain;          // in memory only
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
  std::vector<std::pair<std::string, std::string>> tags;
  bool rotation_enabled = false;
  int rotation_period_days = 365;
  std::optional<TimePoint> next_rotation;
  std::optional<TimePoint> on_demand_rotation_started;
  std::vector<MaterialVersion> materials;  // ascending version; back() is current
  std::vector<Grant> grants;
  std::shared_ptr<const AsymmetricKey> asymmetric;  // memory only

  const MaterialVersion* Material(uint32_t version) const;
  const MaterialVersion& Current() const { return materials.back(); }
  bool symmetric() const { return spec == "SYMMETRIC_DEFAULT"; }
};

struct AliasRecord {
  std::string account, region, name;  // name includes "alias/"
  std::string target_key_id;
  TimePoint created{}, updated{};
  std::string arn() const { return "arn:aws:kms:" + region + ":" + account + ":" + name; }
};

std::string KeyArn(const std::string& region, const std::string& account, const std::string& id);
std::string NewKeyId();            // UUID v4, lower case
std::string NewKeyMaterialId();    // 64 hex characters

// Storage form (no plaintext material, no parsed policy).
nlohmann::json KeyToStorage(const KeyRecord& key);
Result<KeyRecord> KeyFromStorage(const nlohmann::json& j);
nlohmann::json AliasToStorage(const AliasRecord& a);
AliasRecord AliasFromStorage(const nlohmann::json& j);

// The KeyMetadata shape of DescribeKey / CreateKey (timestamps as epoch seconds).
nlohmann::json KeyMetadataJson(const KeyRecord& key);
nlohmann::json GrantJson(const KeyRecord& key, const Grant& g);

// Wraps / unwraps material under the server master key; the AAD binds it to
// the key ARN and version so stored material cannot be moved between keys.
std::string WrapMaterial(std::string_view master_key, const std::string& arn, uint32_t version,
                         std::string_view material);
Result<std::string> UnwrapMaterial(std::string_view master_key, const std::string& arn, uint32_t version,
                                   std::string_view wrapped);

}  // namespace ck::core::kms
