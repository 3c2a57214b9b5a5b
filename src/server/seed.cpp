#include "server/seed.h"

#include <map>
#include <set>
#include <tuple>

#include <spdlog/spdlog.h>

#include "base/codec.h"
#include "base/fields.h"
#include "services/common/record_table.h"

namespace ck::server {

namespace {

// What the last start applied from the config, to withdraw what the config
// stopped declaring.
constexpr char kConfigTable[] = "crosskey.config";
constexpr char kAppliedKey[] = "applied";

using PolicyRef = std::tuple<std::string, std::string, std::string>;  // account, user or role, policy name

// The stored form: {"access_keys": [ID...], "user_policies": [[ACCOUNT, NAME, POLICY]...], "role_policies": ...}.
struct AppliedRecord {
  std::vector<std::string> access_keys;
  std::vector<std::vector<std::string>> user_policies, role_policies;
};
CK_DECLARE_FIELDS(AppliedRecord);
template <class V, class S>
void AppliedFields(V& v, S& s) {
  v("access_keys", s.access_keys, false);
  v("user_policies", s.user_policies, false);
  v("role_policies", s.role_policies, false);
}
CK_DEFINE_FIELDS(AppliedRecord, AppliedFields)

struct Applied {
  std::set<std::string> access_keys;
  std::set<PolicyRef> user_policies, role_policies;

  AppliedRecord ToRecord() const {
    auto refs = [](const std::set<PolicyRef>& s) {
      std::vector<std::vector<std::string>> a;
      for (const auto& [acct, owner, name] : s) a.push_back({acct, owner, name});
      return a;
    };
    return {{access_keys.begin(), access_keys.end()}, refs(user_policies), refs(role_policies)};
  }
  static Applied From(const AppliedRecord& r) {
    Applied a;
    a.access_keys.insert(r.access_keys.begin(), r.access_keys.end());
    auto refs = [](const std::vector<std::vector<std::string>>& in, std::set<PolicyRef>* out) {
      for (const auto& ref : in)
        if (ref.size() == 3) out->emplace(ref[0], ref[1], ref[2]);
    };
    refs(r.user_policies, &a.user_policies);
    refs(r.role_policies, &a.role_policies);
    return a;
  }
};

Result<Applied> LoadApplied(services::RecordTable<AppliedRecord>& table) {
  CK_ASSIGN_OR_RETURN(auto record, table.Get(kAppliedKey));
  if (!record) return Applied{};
  return Applied::From(*record);
}

// A declared access key: (re)written unless it belongs to someone the config
// never gave it to (an API-made key of another identity).
Status PutDeclaredKey(services::IdentityStore& ids, const Applied& before, const Origin& origin, const std::string& id,
                      const std::string& secret, const std::string& account, const std::string& user,
                      const Clock& clock) {
  CK_ASSIGN_OR_RETURN(auto existing, ids.GetAccessKey(id));
  services::AccessKey key{id, secret, account, user, true, clock.Now()};
  if (existing) {
    bool same_owner = existing->account == account && existing->user_name == user;
    if (!same_owner && !before.access_keys.count(id))
      return InvalidArgument(origin.Where("access_key_id") + ": access key id " + id + " already belongs to " +
                             (existing->user_name.empty() ? "the root" : "user " + existing->user_name) +
                             " of account " + existing->account + " (made through the API)");
    if (same_owner) key.created = existing->created;
    if (same_owner && (existing->secret != secret || !existing->active))
      spdlog::info("config: access key {} reset to the config's secret and Active", id);
  }
  return ids.PutAccessKey(key);
}

// Sets the config's inline policies on `policies`, logging what it changes.
void ResetPolicies(const std::vector<InlinePolicy>& declared, const std::string& owner,
                   std::map<std::string, std::string>* policies) {
  for (const auto& p : declared) {
    auto it = policies->find(p.name);
    if (it != policies->end() && it->second != p.document)
      spdlog::info("config: {}: inline policy '{}' reset to the config's document", owner, p.name);
    (*policies)[p.name] = p.document;
  }
}

// A configured user: created, or reset to the config's path and policies
// (what the API added beside them is kept).
Status ApplyUser(const UserConfig& u, const Applied& before, services::IdentityStore& identities, const Clock& clock,
                 Applied* now) {
  CK_ASSIGN_OR_RETURN(auto existing, identities.GetUser(u.account, u.name));
  services::IamUser user;
  if (existing) {
    user = *existing;  // keeps what the API added: other policies, attachments, tags
    if (user.path != u.path) spdlog::info("config: user {}: path reset to {}", user.arn, u.path);
  } else {
    user.account = u.account;
    user.name = u.name;
    user.user_id = services::NewIamId("AIDA");
    user.created = clock.Now();
  }
  user.path = u.path.empty() ? "/" : u.path;
  user.arn = "arn:aws:iam::" + u.account + ":user" + user.path + user.name;
  ResetPolicies(u.policies, "user " + user.arn, &user.inline_policies);
  for (const auto& p : u.policies) now->user_policies.emplace(u.account, ToLower(u.name), p.name);
  CK_RETURN_IF_ERROR(identities.PutUser(user, false));
  if (!u.access_key_id.empty()) {
    CK_RETURN_IF_ERROR(PutDeclaredKey(identities, before, u.origin, u.access_key_id, u.secret_access_key, u.account,
                                      user.name, clock));
    now->access_keys.insert(u.access_key_id);
  }
  return Status::Ok();
}

// A configured role: created, or reset to the config's trust policy, session
// duration, path and policies.
Status ApplyRole(const RoleConfig& r, services::IdentityStore& identities, const Clock& clock, Applied* now) {
  CK_ASSIGN_OR_RETURN(auto existing, identities.GetRole(r.account, r.name));
  services::IamRole role;
  if (existing) {
    role = *existing;
    if (role.trust_policy != r.trust_policy)
      spdlog::info("config: role {}: trust policy reset to the config's document", role.arn);
    if (role.max_session_duration != r.max_session_duration)
      spdlog::info("config: role {}: maximum session duration reset to {} s", role.arn, r.max_session_duration);
  } else {
    role.account = r.account;
    role.name = r.name;
    role.role_id = services::NewIamId("AROA");
    role.created = clock.Now();
  }
  role.path = r.path.empty() ? "/" : r.path;
  role.arn = "arn:aws:iam::" + r.account + ":role" + role.path + role.name;
  role.trust_policy = r.trust_policy;
  role.max_session_duration = r.max_session_duration;
  ResetPolicies(r.policies, "role " + role.arn, &role.inline_policies);
  for (const auto& p : r.policies) now->role_policies.emplace(r.account, ToLower(r.name), p.name);
  CK_RETURN_IF_ERROR(identities.PutRole(role, false));
  return Status::Ok();
}

// Withdraws what an earlier config applied and this one no longer declares.
Status Withdraw(const Applied& before, const Applied& now, services::IdentityStore& identities) {
  for (const auto& id : before.access_keys) {
    if (now.access_keys.count(id)) continue;
    CK_ASSIGN_OR_RETURN(auto key, identities.GetAccessKey(id));
    if (!key) continue;
    CK_RETURN_IF_ERROR(identities.DeleteAccessKey(id));
    spdlog::info("config: access key {} is no longer in the config: deleted", id);
  }
  for (const auto& ref : before.user_policies) {
    if (now.user_policies.count(ref)) continue;
    const auto& [account, name, policy] = ref;
    CK_ASSIGN_OR_RETURN(auto user, identities.GetUser(account, name));
    if (!user || !user->inline_policies.erase(policy)) continue;
    CK_RETURN_IF_ERROR(identities.PutUser(*user, false));
    spdlog::info("config: user {}: inline policy '{}' is no longer in the config: deleted", user->arn, policy);
  }
  for (const auto& ref : before.role_policies) {
    if (now.role_policies.count(ref)) continue;
    const auto& [account, name, policy] = ref;
    CK_ASSIGN_OR_RETURN(auto role, identities.GetRole(account, name));
    if (!role || !role->inline_policies.erase(policy)) continue;
    CK_RETURN_IF_ERROR(identities.PutRole(*role, false));
    spdlog::info("config: role {}: inline policy '{}' is no longer in the config: deleted", role->arn, policy);
  }
  return Status::Ok();
}

}  // namespace

Status ApplyConfig(const Config& config, services::IdentityStore& identities, const Clock& clock) {
  services::RecordTable<AppliedRecord> applied(identities.store(), kConfigTable);
  CK_ASSIGN_OR_RETURN(Applied before, LoadApplied(applied));
  Applied now;
  for (const auto& a : config.accounts) {
    if (a.access_key_id.empty()) continue;
    CK_RETURN_IF_ERROR(
        PutDeclaredKey(identities, before, a.origin, a.access_key_id, a.secret_access_key, a.id, "", clock));
    now.access_keys.insert(a.access_key_id);
  }
  for (const auto& u : config.users) CK_RETURN_IF_ERROR(ApplyUser(u, before, identities, clock, &now));
  for (const auto& r : config.roles) CK_RETURN_IF_ERROR(ApplyRole(r, identities, clock, &now));
  CK_RETURN_IF_ERROR(Withdraw(before, now, identities));
  return applied.Put(kAppliedKey, now.ToRecord());
}

}  // namespace ck::server
