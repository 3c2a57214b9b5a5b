// The stored form of a secret and its versions, and the version-stage rules
// (AWSCURRENT / AWSPREVIOUS / AWSPENDING) Secrets Manager applies when a new
// version arrives or a stage moves.
//
// Storage: table "sm.secrets", key KeyPart(account) KeyPart(region)
// KeyPart(name) → JSON. A version's value is never stored in clear: it is
// sealed with AES-256-GCM under a data key from KMS GenerateDataKey
// (encryption context {"SecretARN", "SecretVersionId"}), and the record keeps
// the KMS ciphertext blob of that data key next to the sealed bytes.
//
// Thread safety: plain values.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace ck::services::sm {

using Json = nlohmann::json;

inline constexpr char kSecrets[] = "sm.secrets";
inline constexpr size_t kMaxVersions = 100;

struct SecretVersion {
  std::string id;
  std::vector<std::string> stages;
  double created = 0;
  uint64_t seq = 0;         // creation order
  bool binary = false;      // SecretBinary vs SecretString
  std::string data_key_blob;  // KMS CiphertextBlob (raw bytes)
  std::string sealed;         // iv || ciphertext || tag
  std::string key_arn;        // the KMS key that protects it
};

struct Secret {
  std::string name, arn, account, region, description;
  std::string kms_key_id;  // as the user gave it; "" = aws/secretsmanager
  double created = 0, last_changed = 0, last_accessed = 0;
  double deleted = 0;       // DeletedDate; 0 = not scheduled
  double deletion_date = 0;  // when it is purged
  std::string policy;
  Json tags = Json::array();
  std::map<std::string, SecretVersion> versions;
  uint64_t next_seq = 1;

  Json ToJson() const;
  static Secret FromJson(const Json& j);

  SecretVersion* WithStage(const std::string& stage);
  // Adds the version with `stages`; AWSCURRENT moves here and the old
  // current becomes AWSPREVIOUS, as AWS does. Prunes unlabeled versions
  // beyond kMaxVersions (oldest first).
  void AddVersion(SecretVersion v, const std::vector<std::string>& stages);
  // Moves `stage` to `to` (empty: only remove from `from`).
  void MoveStage(const std::string& stage, const std::string& from, const std::string& to);
  Json VersionIdsToStages() const;
};

std::string RecordKey(const std::string& account, const std::string& region, const std::string& name);
// "arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME-XXXXXX" with a fresh suffix.
std::string NewSecretArn(const std::string& region, const std::string& account, const std::string& name);

}  // namespace ck::services::sm
