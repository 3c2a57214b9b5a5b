#include "server/seed.h"

namespace ck::server {

namespace {
std::string PathOrSlash(const std::string& p) { return p.empty() ? "/" : p; }
}  // namespace

Status ApplyConfig(const Config& config, services::IdentityStore& identities, const Clock& clock) {
  for (const auto& a : config.accounts) {
    if (!a.access_key_id.empty()) {
      services::AccessKey key{a.access_key_id, a.secret_access_key, a.id, "", true, clock.Now()};
      CK_RETURN_IF_ERROR(identities.PutAccessKey(key));
    }
  }
  for (const auto& u : config.users) {
    CK_ASSIGN_OR_RETURN(auto existing, identities.GetUser(u.account, u.name));
    services::IamUser user;
    user.account = u.account;
    user.name = u.name;
    user.path = PathOrSlash(u.path);
    user.user_id = existing ? existing->user_id : services::NewIamId("AIDA");
    user.arn = "arn:aws:iam::" + u.account + ":user" + user.path + u.name;
    user.created = existing ? existing->created : clock.Now();
    for (const auto& p : u.policies) user.inline_policies[p.name] = p.document;
    if (existing) user.attached_policies = existing->attached_policies;
    CK_RETURN_IF_ERROR(identities.PutUser(user, false));
    if (!u.access_key_id.empty()) {
      services::AccessKey key{u.access_key_id, u.secret_access_key, u.account, u.name, true, clock.Now()};
      CK_RETURN_IF_ERROR(identities.PutAccessKey(key));
    }
  }
  for (const auto& r : config.roles) {
    CK_ASSIGN_OR_RETURN(auto existing, identities.GetRole(r.account, r.name));
    services::IamRole role;
    role.account = r.account;
    role.name = r.name;
    role.path = PathOrSlash(r.path);
    role.role_id = existing ? existing->role_id : services::NewIamId("AROA");
    role.arn = "arn:aws:iam::" + r.account + ":role" + role.path + r.name;
    role.trust_policy = r.trust_policy;
    role.max_session_duration = r.max_session_duration;
    role.created = existing ? existing->created : clock.Now();
    for (const auto& p : r.policies) role.inline_policies[p.name] = p.document;
    if (existing) role.attached_policies = existing->attached_policies;
    CK_RETURN_IF_ERROR(identities.PutRole(role, false));
  }
  return Status::Ok();
}

}  // namespace ck::server
