// The stored form of a secret and its versions, and the version-stage rules
// (AWSCURRENT / AWSPREVIOUS / AWSPENDING) Secrets Manager applies when a new
// version arrives or a stage moves.
//
// Storage: table "sm.secrets", key KeyPart(account) KeyPart(region)
// KeyPart(name) → a JSON object whose member names are the field names of
// secret_record.cpp (renaming one is a format change); "versions" maps each
// version id to its record. Times are epoch seconds; 0 means "not set". A
// version's value is never stored in clear: it is sealed with AES-256-GCM
// under a data key from KMS GenerateDataKey (encryption context
// {"SecretARN", "SecretVersionId"}), and the record keeps the KMS ciphertext
// blob of that data key next to the sealed bytes. A binary value is sealed as
// its base64 text.
//
// Thread safety: plain values.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/fields.h"

namespace ck::services::sm {

inline constexpr char kSecrets[] = "sm.secrets";
inline constexpr size_t kMaxVersions = 100;

// As the client gave it ({"Key", "Value"}).
struct SecretTag {
  std::optional<std::string> key, value;
};
CK_DECLARE_FIELDS(SecretTag);

struct SecretVersion {
  std::string id;  // the key of Secret::versions (not stored inside the version)
  std::vector<std::string> stages;
  TimePoint created{};
  uint64_t seq = 0;        // creation order
  bool binary = false;     // SecretBinary vs SecretString
  Bytes data_key_blob;     // KMS CiphertextBlob
  Bytes sealed;            // iv || ciphertext || tag
  std::string key_arn;     // the KMS key that protects it
  // Sealed under the default key aws/secretsmanager (the secret had no
  // KmsKeyId): ListSecretVersionIds shows "DefaultEncryptionKey". Written only
  // when true.
  std::optional<bool> default_key;
  // The day of the last GetSecretValue of this version; unset = never.
  std::optional<TimePoint> last_accessed;
};
CK_DECLARE_FIELDS(SecretVersion);

struct Secret {
  std::string name, arn, account, region, description;
  std::string kms_key_id;  // as the user gave it; "" = aws/secretsmanager
  TimePoint created{}, last_changed{}, last_accessed{};
  TimePoint deleted{};        // DeletedDate; unset = not scheduled
  TimePoint deletion_date{};  // when it is purged
  std::string policy;
  std::vector<SecretTag> tags;
  // The secret has been tagged (Tags at creation, TagResource or
  // UntagResource): DescribeSecret then shows "Tags" even when it is empty.
  // Written only when true.
  std::optional<bool> tagged;
  std::map<std::string, SecretVersion> versions;
  uint64_t next_seq = 1;

  bool scheduled_for_deletion() const { return deleted != TimePoint{}; }

  // The stored JSON form (ToDocument/FromDocument); FromJson leaves what it
  // cannot read at its default.
  Document ToJson() const;
  static Secret FromJson(const Document& j);

  SecretVersion* WithStage(const std::string& stage);
  const SecretVersion* WithStage(const std::string& stage) const;
  // Adds the version with `stages`; AWSCURRENT moves here and the old
  // current becomes AWSPREVIOUS (and loses AWSPENDING), as AWS does. Prunes unlabeled versions
  // beyond kMaxVersions (oldest first).
  void AddVersion(SecretVersion v, const std::vector<std::string>& stages);
  // Moves `stage` to `to` (empty: only remove from `from`).
  void MoveStage(const std::string& stage, const std::string& from, const std::string& to);
  // Labeled versions: id → stages.
  std::map<std::string, std::vector<std::string>> VersionIdsToStages() const;
};
CK_DECLARE_FIELDS(Secret);

std::string RecordKey(const std::string& account, const std::string& region, const std::string& name);
// "arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME-XXXXXX" with a fresh suffix.
std::string NewSecretArn(const std::string& region, const std::string& account, const std::string& name);

}  // namespace ck::services::sm
