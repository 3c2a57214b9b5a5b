// IdentityStore: IAM users, access keys, roles and STS sessions as records in
// the MetadataStore. Shared by the IAM and STS services and by the credential
// resolver that authentication uses. Names are unique per account without
// regard to case (as in IAM) but keep the case they were created with.
//
// Thread safety: stateless over a thread-safe MetadataStore.
#pragma once

#include <atomic>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/clock.h"
#include "base/status.h"
#include "storage/metadata_store.h"

namespace ck::services {

struct IamUser {
  std::string account, name, path = "/", user_id, arn;
  TimePoint created;
  std::map<std::string, std::string> inline_policies;  // name -> document
  std::vector<std::string> attached_policies;          // managed policy ARNs
  std::vector<std::pair<std::string, std::string>> tags;
};

struct IamRole {
  std::string account, name, path = "/", role_id, arn, description;
  std::string trust_policy;
  int max_session_duration = 3600;
  TimePoint created;
  std::map<std::string, std::string> inline_policies;
  std::vector<std::string> attached_policies;
  std::vector<std::pair<std::string, std::string>> tags;
};

struct AccessKey {
  std::string access_key_id, secret, account, user_name;  // user_name empty: the account root
  bool active = true;
  TimePoint created;
};

// Temporary credentials from STS.
struct StsSession {
  std::string access_key_id, secret, session_token, account;
  std::string kind;  // "assumed-role" | "session-token"
  std::string role_arn, role_name, role_id, session_name;  // assumed roles
  std::string user_name;                                   // GetSessionToken of a user
  bool chained = false;
  TimePoint expiration;
  std::optional<std::string> session_policy;
  std::vector<std::string> session_policy_arns;
};

class IdentityStore {
 public:
  explicit IdentityStore(storage::MetadataStore& store) : store_(store) {}

  Result<std::optional<IamUser>> GetUser(const std::string& account, const std::string& name);
  // Creates or (when overwrite) replaces; kAlreadyExists if it exists and !overwrite.
  Status PutUser(const IamUser& user, bool must_not_exist);
  Status DeleteUser(const std::string& account, const std::string& name);
  Result<std::vector<IamUser>> ListUsers(const std::string& account);

  Result<std::optional<IamRole>> GetRole(const std::string& account, const std::string& name);
  Status PutRole(const IamRole& role, bool must_not_exist);
  Status DeleteRole(const std::string& account, const std::string& name);
  Result<std::vector<IamRole>> ListRoles(const std::string& account);

  Result<std::optional<AccessKey>> GetAccessKey(const std::string& id);
  Status PutAccessKey(const AccessKey& key);
  Status DeleteAccessKey(const std::string& id);
  Result<std::vector<AccessKey>> ListAccessKeys(const std::string& account, const std::string& user_name);

  Result<std::optional<StsSession>> GetSession(const std::string& access_key_id);
  Status PutSession(const StsSession& session);

  // Generic JSON records for managed policies and other IAM entities.
  Result<std::optional<nlohmann::json>> GetRecord(const std::string& table, const std::string& key);
  Status PutRecord(const std::string& table, const std::string& key, const nlohmann::json& value,
                   bool must_not_exist);
  Status DeleteRecord(const std::string& table, const std::string& key);
  Result<std::vector<nlohmann::json>> ScanRecords(const std::string& table, const std::string& prefix);

  storage::MetadataStore& store() { return store_; }

  // Counts writes that can change a principal's identity policies (users,
  // roles, and the generic records that hold managed policies). A cache of
  // policy sets reads it before reading the store and rebuilds whatever it
  // built at an older value.
  uint64_t policy_generation() const { return policy_generation_.load(std::memory_order_acquire); }
  // The same for what authentication reads: access keys, STS sessions, users.
  uint64_t credential_generation() const { return credential_generation_.load(std::memory_order_acquire); }

 private:
  Status PolicyChange(Status s) {
    policy_generation_.fetch_add(1, std::memory_order_acq_rel);
    return s;
  }
  Status CredentialChange(Status s) {
    credential_generation_.fetch_add(1, std::memory_order_acq_rel);
    return s;
  }

  storage::MetadataStore& store_;
  std::atomic<uint64_t> policy_generation_{0};
  std::atomic<uint64_t> credential_generation_{0};
};

// AWS-format ids: a 4-letter prefix ("AIDA", "AROA", "AKIA", "ASIA", "ANPA")
// followed by 16 upper-case base32 characters.
std::string NewIamId(std::string_view prefix);
std::string NewSecretAccessKey();
std::string NewSessionToken();

}  // namespace ck::services
