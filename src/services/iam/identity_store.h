// IdentityStore: IAM users, access keys, roles, customer managed policies and
// STS sessions as records in the MetadataStore. Shared by the IAM and STS
// services, the authorizer (identity policies) and the credential resolver
// that authentication uses. Names are unique per account without regard to
// case (as in IAM) but keep the case they were created with.
//
// Storage (each record a JSON object whose member names are the field names
// below; renaming one is a format change):
//   "iam.users"       ACCOUNT "/" lower(name) → IamUser
//   "iam.roles"       ACCOUNT "/" lower(name) → IamRole
//   "iam.groups"      ACCOUNT "/" lower(name) → IamGroup
//   "iam.access_keys" access key id           → AccessKey
//   "iam.policies"    policy ARN              → ManagedPolicy
//   "sts.sessions"    access key id           → StsSession
//
// Thread safety: safe for concurrent use (the MetadataStore is).
#pragma once

#include <atomic>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/fields.h"
#include "base/status.h"
#include "services/common/record_table.h"
#include "storage/metadata_store.h"

namespace ck::services {

struct IamTag {
  std::string key, value;
};
CK_DECLARE_FIELDS(IamTag);

struct IamUser {
  std::string account, name, path = "/", user_id, arn;
  TimePoint created;
  std::map<std::string, std::string> inline_policies;  // name -> document
  std::vector<std::string> attached_policies;          // managed policy ARNs
  std::vector<IamTag> tags;
  std::optional<std::string> permissions_boundary;  // managed policy ARN
  std::optional<std::vector<std::string>> groups;   // names of the groups it is in (absent: none)
};
CK_DECLARE_FIELDS(IamUser);

struct IamGroup {
  std::string account, name, path = "/", group_id, arn;
  TimePoint created;
  std::map<std::string, std::string> inline_policies;
  std::vector<std::string> attached_policies;
};
CK_DECLARE_FIELDS(IamGroup);

struct IamRole {
  std::string account, name, path = "/", role_id, arn, description;
  std::string trust_policy;
  int32_t max_session_duration = 3600;
  TimePoint created;
  std::map<std::string, std::string> inline_policies;
  std::vector<std::string> attached_policies;
  std::vector<IamTag> tags;
  std::optional<std::string> permissions_boundary;  // managed policy ARN
};
CK_DECLARE_FIELDS(IamRole);

struct AccessKey {
  std::string access_key_id, secret, account, user_name;  // user_name empty: the account root
  bool active = true;
  TimePoint created;
};
CK_DECLARE_FIELDS(AccessKey);

// Temporary credentials from STS.
struct StsSession {
  std::string access_key_id, secret, session_token, account;
  std::string kind;  // "assumed-role" | "session-token" | "federated-user"
  std::string role_arn, role_name, role_id, session_name;  // assumed roles
  std::string user_name;  // GetSessionToken / GetFederationToken of a user (empty: the root)
  bool chained = false;
  TimePoint expiration;
  std::optional<std::string> session_policy;
  std::vector<std::string> session_policy_arns;
  // Optional so that records written before them encode unchanged.
  std::optional<std::string> federated_name;                // GetFederationToken's Name
  std::optional<std::vector<IamTag>> session_tags;          // AssumeRole / GetFederationToken Tags
  std::optional<std::vector<std::string>> transitive_tag_keys;  // keys of session_tags that pass on when chaining
};
CK_DECLARE_FIELDS(StsSession);

struct ManagedPolicyVersion {
  std::string id;  // "v1"
  std::string document;
  TimePoint created;
};
CK_DECLARE_FIELDS(ManagedPolicyVersion);

// A managed policy: a customer's (stored), or an AWS managed one (aws, built
// from PolicyAuthorizer::AwsManagedPolicy, never stored).
struct ManagedPolicy {
  std::string arn, name, path = "/", id;
  std::string default_version = "v1";
  std::string document;  // the default version's
  std::string description;
  std::vector<ManagedPolicyVersion> versions;
  int32_t next_version = 2;
  TimePoint created;
  std::optional<TimePoint> updated;
  int32_t attachments = 0;
  std::optional<int32_t> boundary_uses;  // users and roles it bounds (written when set)
  bool aws = false;                      // not stored
};
CK_DECLARE_FIELDS(ManagedPolicy);

// One table of identity records and the generations a write to it bumps.
template <typename R>
class IdentityTable {
 public:
  IdentityTable(storage::MetadataStore& store, std::string name,
                std::initializer_list<std::atomic<uint64_t>*> generations)
      : table_(store, std::move(name)), generations_(generations) {}

  Result<std::optional<R>> Get(std::string_view key) { return table_.Get(key); }
  // Creates or replaces; kAlreadyExists if it exists and must_not_exist.
  Status Put(std::string_view key, const R& record, bool must_not_exist) {
    storage::WriteBatch b;
    if (must_not_exist) b.ExpectAbsent(table_.name(), std::string(key));
    table_.Put(b, key, record);
    Status s = Changed(table_.store().Apply(b));
    if (storage::IsPreconditionFailure(s)) return AlreadyExists(std::string(key));
    return s;
  }
  Status Delete(std::string_view key) { return Changed(table_.Delete(key)); }
  // Every record under `prefix`, in key order.
  Result<std::vector<R>> List(std::string_view prefix) {
    CK_ASSIGN_OR_RETURN(auto all, table_.ScanAll(prefix));
    std::vector<R> out;
    out.reserve(all.size());
    for (auto& [key, record] : all) out.push_back(std::move(record));
    return out;
  }

 private:
  // Bumped after the write: a reader that cached what it read before the
  // write has an older generation on its next use.
  Status Changed(Status s) {
    for (auto* g : generations_) g->fetch_add(1, std::memory_order_acq_rel);
    return s;
  }

  RecordTable<R> table_;
  std::vector<std::atomic<uint64_t>*> generations_;
};

class IdentityStore {
 public:
  explicit IdentityStore(storage::MetadataStore& store);

  // The store the tables live in (the config seeding keeps its own record there).
  storage::MetadataStore& store() { return store_; }

  // Users: kAlreadyExists from PutUser when must_not_exist and it exists.
  // ListUsers / ListRoles of "" list every account's.
  Result<std::optional<IamUser>> GetUser(const std::string& account, const std::string& name);
  Status PutUser(const IamUser& user, bool must_not_exist);
  Status DeleteUser(const std::string& account, const std::string& name);
  Result<std::vector<IamUser>> ListUsers(const std::string& account);

  Result<std::optional<IamRole>> GetRole(const std::string& account, const std::string& name);
  Status PutRole(const IamRole& role, bool must_not_exist);
  Status DeleteRole(const std::string& account, const std::string& name);
  Result<std::vector<IamRole>> ListRoles(const std::string& account);

  Result<std::optional<IamGroup>> GetGroup(const std::string& account, const std::string& name);
  Status PutGroup(const IamGroup& group, bool must_not_exist);
  Status DeleteGroup(const std::string& account, const std::string& name);
  Result<std::vector<IamGroup>> ListGroups(const std::string& account);

  Result<std::optional<AccessKey>> GetAccessKey(const std::string& id);
  Status PutAccessKey(const AccessKey& key);
  Status DeleteAccessKey(const std::string& id);
  // The keys of `user_name` (empty: the root's) in `account`.
  Result<std::vector<AccessKey>> ListAccessKeys(const std::string& account, const std::string& user_name);

  Result<std::optional<StsSession>> GetSession(const std::string& access_key_id);
  Status PutSession(const StsSession& session);

  // Customer managed policies, by ARN.
  Result<std::optional<ManagedPolicy>> GetPolicy(const std::string& arn);
  Status PutPolicy(const ManagedPolicy& policy, bool must_not_exist);
  Status DeletePolicy(const std::string& arn);
  Result<std::vector<ManagedPolicy>> ListPolicies(const std::string& arn_prefix);

  // Counts writes that can change a principal's identity policies (users,
  // roles, managed policies). A cache of policy sets reads it before reading
  // the store and rebuilds whatever it built at an older value.
  uint64_t policy_generation() const { return policy_generation_.load(std::memory_order_acquire); }
  // The same for what authentication reads: access keys, STS sessions, users.
  uint64_t credential_generation() const { return credential_generation_.load(std::memory_order_acquire); }

 private:
  storage::MetadataStore& store_;
  std::atomic<uint64_t> policy_generation_{0};
  std::atomic<uint64_t> credential_generation_{0};
  IdentityTable<IamUser> users_;
  IdentityTable<IamRole> roles_;
  IdentityTable<IamGroup> groups_;
  IdentityTable<AccessKey> keys_;
  IdentityTable<StsSession> sessions_;
  IdentityTable<ManagedPolicy> policies_;
};

// AWS-format ids (core/ids.h): a 4-letter prefix ("AIDA", "AROA", "AKIA",
// "ASIA", "ANPA") followed by 16 characters of [A-Z2-7].
std::string NewIamId(std::string_view prefix);
// 40 characters, like AWS secret access keys.
std::string NewSecretAccessKey();
std::string NewSessionToken();

}  // namespace ck::services
