#include "services/iam/identity_store.h"

#include "base/codec.h"
#include "core/ids.h"

namespace ck::services {

namespace {

// The stored member names. Only the names that identify a record are
// required; the others decode to their defaults when absent.
template <class V, class S>
void TagFields(V& v, S& s) {
  v("Key", s.key, true);
  v("Value", s.value, false);
}

template <class V, class S>
void UserFields(V& v, S& s) {
  v("account", s.account, true);
  v("name", s.name, true);
  v("path", s.path, false);
  v("user_id", s.user_id, false);
  v("arn", s.arn, false);
  v("created", s.created, false);
  v("inline", s.inline_policies, false);
  v("attached", s.attached_policies, false);
  v("tags", s.tags, false);
  v("boundary", s.permissions_boundary, false);
  v("groups", s.groups, false);
}

template <class V, class S>
void GroupFields(V& v, S& s) {
  v("account", s.account, true);
  v("name", s.name, true);
  v("path", s.path, false);
  v("group_id", s.group_id, false);
  v("arn", s.arn, false);
  v("created", s.created, false);
  v("inline", s.inline_policies, false);
  v("attached", s.attached_policies, false);
}

template <class V, class S>
void RoleFields(V& v, S& s) {
  v("account", s.account, true);
  v("name", s.name, true);
  v("path", s.path, false);
  v("role_id", s.role_id, false);
  v("arn", s.arn, false);
  v("description", s.description, false);
  v("trust", s.trust_policy, false);
  v("max_session", s.max_session_duration, false);
  v("created", s.created, false);
  v("inline", s.inline_policies, false);
  v("attached", s.attached_policies, false);
  v("tags", s.tags, false);
  v("boundary", s.permissions_boundary, false);
}

template <class V, class S>
void KeyFields(V& v, S& s) {
  v("id", s.access_key_id, true);
  v("secret", s.secret, false);
  v("account", s.account, true);
  v("user", s.user_name, false);
  v("active", s.active, false);
  v("created", s.created, false);
}

template <class V, class S>
void SessionFields(V& v, S& s) {
  v("id", s.access_key_id, true);
  v("secret", s.secret, false);
  v("token", s.session_token, false);
  v("account", s.account, true);
  v("kind", s.kind, false);
  v("role_arn", s.role_arn, false);
  v("role_name", s.role_name, false);
  v("role_id", s.role_id, false);
  v("session_name", s.session_name, false);
  v("user", s.user_name, false);
  v("chained", s.chained, false);
  v("expiration", s.expiration, false);
  v("policy", s.session_policy, false);
  v("policy_arns", s.session_policy_arns, false);
  v("federated_name", s.federated_name, false);
  v("session_tags", s.session_tags, false);
  v("transitive_tag_keys", s.transitive_tag_keys, false);
}

template <class V, class S>
void PolicyVersionFields(V& v, S& s) {
  v("id", s.id, true);
  v("document", s.document, false);
  v("created", s.created, false);
}

template <class V, class S>
void PolicyFields(V& v, S& s) {
  v("arn", s.arn, true);
  v("name", s.name, true);
  v("path", s.path, false);
  v("id", s.id, false);
  v("default_version", s.default_version, false);
  v("document", s.document, false);
  v("description", s.description, false);
  v("versions", s.versions, false);
  v("next_version", s.next_version, false);
  v("created", s.created, false);
  v("updated", s.updated, false);
  v("attachments", s.attachments, false);
  v("boundary_uses", s.boundary_uses, false);
}

std::string NameKey(const std::string& account, const std::string& name) { return account + "/" + ToLower(name); }

}  // namespace

CK_DEFINE_FIELDS(IamTag, TagFields)
CK_DEFINE_FIELDS(IamUser, UserFields)
CK_DEFINE_FIELDS(IamRole, RoleFields)
CK_DEFINE_FIELDS(IamGroup, GroupFields)
CK_DEFINE_FIELDS(AccessKey, KeyFields)
CK_DEFINE_FIELDS(StsSession, SessionFields)
CK_DEFINE_FIELDS(ManagedPolicyVersion, PolicyVersionFields)
CK_DEFINE_FIELDS(ManagedPolicy, PolicyFields)

IdentityStore::IdentityStore(storage::MetadataStore& store)
    : store_(store),
      users_(store, "iam.users", {&policy_generation_, &credential_generation_}),
      roles_(store, "iam.roles", {&policy_generation_}),
      groups_(store, "iam.groups", {&policy_generation_}),
      keys_(store, "iam.access_keys", {&credential_generation_}),
      sessions_(store, "sts.sessions", {&credential_generation_}),
      policies_(store, "iam.policies", {&policy_generation_}) {}

Result<std::optional<IamUser>> IdentityStore::GetUser(const std::string& account, const std::string& name) {
  return users_.Get(NameKey(account, name));
}
Status IdentityStore::PutUser(const IamUser& u, bool must_not_exist) {
  return users_.Put(NameKey(u.account, u.name), u, must_not_exist);
}
Status IdentityStore::DeleteUser(const std::string& account, const std::string& name) {
  return users_.Delete(NameKey(account, name));
}
Result<std::vector<IamUser>> IdentityStore::ListUsers(const std::string& account) {
  return users_.List(account.empty() ? "" : account + "/");
}

Result<std::optional<IamRole>> IdentityStore::GetRole(const std::string& account, const std::string& name) {
  return roles_.Get(NameKey(account, name));
}
Status IdentityStore::PutRole(const IamRole& r, bool must_not_exist) {
  return roles_.Put(NameKey(r.account, r.name), r, must_not_exist);
}
Status IdentityStore::DeleteRole(const std::string& account, const std::string& name) {
  return roles_.Delete(NameKey(account, name));
}
Result<std::vector<IamRole>> IdentityStore::ListRoles(const std::string& account) {
  return roles_.List(account.empty() ? "" : account + "/");
}

Result<std::optional<IamGroup>> IdentityStore::GetGroup(const std::string& account, const std::string& name) {
  return groups_.Get(NameKey(account, name));
}
Status IdentityStore::PutGroup(const IamGroup& g, bool must_not_exist) {
  return groups_.Put(NameKey(g.account, g.name), g, must_not_exist);
}
Status IdentityStore::DeleteGroup(const std::string& account, const std::string& name) {
  return groups_.Delete(NameKey(account, name));
}
Result<std::vector<IamGroup>> IdentityStore::ListGroups(const std::string& account) {
  return groups_.List(account + "/");
}

Result<std::optional<AccessKey>> IdentityStore::GetAccessKey(const std::string& id) { return keys_.Get(id); }
Status IdentityStore::PutAccessKey(const AccessKey& k) { return keys_.Put(k.access_key_id, k, false); }
Status IdentityStore::DeleteAccessKey(const std::string& id) { return keys_.Delete(id); }
Result<std::vector<AccessKey>> IdentityStore::ListAccessKeys(const std::string& account, const std::string& user) {
  CK_ASSIGN_OR_RETURN(auto all, keys_.List(""));
  std::erase_if(all, [&](const AccessKey& k) { return k.account != account || ToLower(k.user_name) != ToLower(user); });
  return all;
}

Result<std::optional<StsSession>> IdentityStore::GetSession(const std::string& id) { return sessions_.Get(id); }
Status IdentityStore::PutSession(const StsSession& s) { return sessions_.Put(s.access_key_id, s, true); }

Result<std::optional<ManagedPolicy>> IdentityStore::GetPolicy(const std::string& arn) { return policies_.Get(arn); }
Status IdentityStore::PutPolicy(const ManagedPolicy& p, bool must_not_exist) {
  return policies_.Put(p.arn, p, must_not_exist);
}
Status IdentityStore::DeletePolicy(const std::string& arn) { return policies_.Delete(arn); }
Result<std::vector<ManagedPolicy>> IdentityStore::ListPolicies(const std::string& arn_prefix) {
  return policies_.List(arn_prefix);
}

std::string NewIamId(std::string_view prefix) { return ids::IamId(prefix, prefix.size() + 16); }

std::string NewSecretAccessKey() { return ids::Base64(30); }

std::string NewSessionToken() { return "FwoGZXIvYXdzE" + ids::Base64(96); }

}  // namespace ck::services
