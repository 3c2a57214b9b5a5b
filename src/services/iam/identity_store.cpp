#include "services/iam/identity_store.h"

#include "base/codec.h"
#include "crypto/hash.h"

namespace ck::services {

using nlohmann::json;

namespace {
constexpr char kUsers[] = "iam.users";
constexpr char kRoles[] = "iam.roles";
constexpr char kKeys[] = "iam.access_keys";
constexpr char kSessions[] = "sts.sessions";

std::string NameKey(const std::string& account, const std::string& name) { return account + "/" + ToLower(name); }

json Tags(const std::vector<std::pair<std::string, std::string>>& tags) {
  json a = json::array();
  for (const auto& [k, v] : tags) a.push_back({{"Key", k}, {"Value", v}});
  return a;
}
std::vector<std::pair<std::string, std::string>> Tags(const json& a) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& t : a) out.emplace_back(t.value("Key", ""), t.value("Value", ""));
  return out;
}

json ToJson(const IamUser& u) {
  return {{"account", u.account},   {"name", u.name},
          {"path", u.path},         {"user_id", u.user_id},
          {"arn", u.arn},           {"created", ToEpochSeconds(u.created)},
          {"inline", u.inline_policies}, {"attached", u.attached_policies},
          {"tags", Tags(u.tags)}};
}
IamUser UserFrom(const json& j) {
  IamUser u;
  u.account = j.value("account", "");
  u.name = j.value("name", "");
  u.path = j.value("path", "/");
  u.user_id = j.value("user_id", "");
  u.arn = j.value("arn", "");
  u.created = FromEpochSeconds(j.value("created", 0.0));
  u.inline_policies = j.value("inline", std::map<std::string, std::string>{});
  u.attached_policies = j.value("attached", std::vector<std::string>{});
  u.tags = Tags(j.value("tags", json::array()));
  return u;
}

json ToJson(const IamRole& r) {
  return {{"account", r.account},
          {"name", r.name},
          {"path", r.path},
          {"role_id", r.role_id},
          {"arn", r.arn},
          {"description", r.description},
          {"trust", r.trust_policy},
          {"max_session", r.max_session_duration},
          {"created", ToEpochSeconds(r.created)},
          {"inline", r.inline_policies},
          {"attached", r.attached_policies},
          {"tags", Tags(r.tags)}};
}
IamRole RoleFrom(const json& j) {
  IamRole r;
  r.account = j.value("account", "");
  r.name = j.value("name", "");
  r.path = j.value("path", "/");
  r.role_id = j.value("role_id", "");
  r.arn = j.value("arn", "");
  r.description = j.value("description", "");
  r.trust_policy = j.value("trust", "");
  r.max_session_duration = j.value("max_session", 3600);
  r.created = FromEpochSeconds(j.value("created", 0.0));
  r.inline_policies = j.value("inline", std::map<std::string, std::string>{});
  r.attached_policies = j.value("attached", std::vector<std::string>{});
  r.tags = Tags(j.value("tags", json::array()));
  return r;
}

json ToJson(const AccessKey& k) {
  return {{"id", k.access_key_id}, {"secret", k.secret}, {"account", k.account},
          {"user", k.user_name},   {"active", k.active}, {"created", ToEpochSeconds(k.created)}};
}
AccessKey KeyFrom(const json& j) {
  AccessKey k;
  k.access_key_id = j.value("id", "");
  k.secret = j.value("secret", "");
  k.account = j.value("account", "");
  k.user_name = j.value("user", "");
  k.active = j.value("active", true);
  k.created = FromEpochSeconds(j.value("created", 0.0));
  return k;
}

json ToJson(const StsSession& s) {
  json j = {{"id", s.access_key_id},
            {"secret", s.secret},
            {"token", s.session_token},
            {"account", s.account},
            {"kind", s.kind},
            {"role_arn", s.role_arn},
            {"role_name", s.role_name},
            {"role_id", s.role_id},
            {"session_name", s.session_name},
            {"user", s.user_name},
            {"chained", s.chained},
            {"expiration", ToEpochSeconds(s.expiration)},
            {"policy_arns", s.session_policy_arns}};
  if (s.session_policy) j["policy"] = *s.session_policy;
  return j;
}
StsSession SessionFrom(const json& j) {
  StsSession s;
  s.access_key_id = j.value("id", "");
  s.secret = j.value("secret", "");
  s.session_token = j.value("token", "");
  s.account = j.value("account", "");
  s.kind = j.value("kind", "");
  s.role_arn = j.value("role_arn", "");
  s.role_name = j.value("role_name", "");
  s.role_id = j.value("role_id", "");
  s.session_name = j.value("session_name", "");
  s.user_name = j.value("user", "");
  s.chained = j.value("chained", false);
  s.expiration = FromEpochSeconds(j.value("expiration", 0.0));
  if (j.contains("policy")) s.session_policy = j["policy"].get<std::string>();
  s.session_policy_arns = j.value("policy_arns", std::vector<std::string>{});
  return s;
}

template <typename T, typename F>
Result<std::optional<T>> GetAs(storage::MetadataStore& store, const char* table, const std::string& key, F from) {
  CK_ASSIGN_OR_RETURN(auto raw, store.Get(table, key));
  if (!raw) return std::optional<T>();
  try {
    return std::optional<T>(from(json::parse(*raw)));
  } catch (const std::exception& e) {
    return DataLoss(std::string("corrupt record in ") + table + ": " + e.what());
  }
}

Status PutJson(storage::MetadataStore& store, const std::string& table, const std::string& key, const json& value,
               bool must_not_exist) {
  storage::WriteBatch b;
  if (must_not_exist) b.ExpectAbsent(table, key);
  b.Put(table, key, value.dump());
  Status s = store.Apply(b);
  if (storage::IsPreconditionFailure(s)) return AlreadyExists(key);
  return s;
}

Status DeleteKey(storage::MetadataStore& store, const std::string& table, const std::string& key) {
  storage::WriteBatch b;
  b.Delete(table, key);
  return store.Apply(b);
}

template <typename T, typename F>
Result<std::vector<T>> ScanAs(storage::MetadataStore& store, const char* table, const std::string& prefix, F from) {
  std::vector<T> out;
  storage::ScanOptions opt;
  opt.prefix = prefix;
  opt.limit = 1000;
  for (;;) {
    CK_ASSIGN_OR_RETURN(auto page, store.Scan(table, opt));
    for (auto& r : page) {
      try {
        out.push_back(from(json::parse(r.value)));
      } catch (const std::exception& e) {
        return DataLoss(std::string("corrupt record in ") + table + ": " + e.what());
      }
    }
    if (page.size() < opt.limit) break;
    opt.start_after = page.back().key;
  }
  return out;
}
}  // namespace

Result<std::optional<IamUser>> IdentityStore::GetUser(const std::string& account, const std::string& name) {
  return GetAs<IamUser>(store_, kUsers, NameKey(account, name), UserFrom);
}
Status IdentityStore::PutUser(const IamUser& u, bool must_not_exist) {
  return CredentialChange(PolicyChange(PutJson(store_, kUsers, NameKey(u.account, u.name), ToJson(u), must_not_exist)));
}
Status IdentityStore::DeleteUser(const std::string& account, const std::string& name) {
  return CredentialChange(PolicyChange(DeleteKey(store_, kUsers, NameKey(account, name))));
}
Result<std::vector<IamUser>> IdentityStore::ListUsers(const std::string& account) {
  return ScanAs<IamUser>(store_, kUsers, account + "/", UserFrom);
}

Result<std::optional<IamRole>> IdentityStore::GetRole(const std::string& account, const std::string& name) {
  return GetAs<IamRole>(store_, kRoles, NameKey(account, name), RoleFrom);
}
Status IdentityStore::PutRole(const IamRole& r, bool must_not_exist) {
  return PolicyChange(PutJson(store_, kRoles, NameKey(r.account, r.name), ToJson(r), must_not_exist));
}
Status IdentityStore::DeleteRole(const std::string& account, const std::string& name) {
  return PolicyChange(DeleteKey(store_, kRoles, NameKey(account, name)));
}
Result<std::vector<IamRole>> IdentityStore::ListRoles(const std::string& account) {
  return ScanAs<IamRole>(store_, kRoles, account + "/", RoleFrom);
}

Result<std::optional<AccessKey>> IdentityStore::GetAccessKey(const std::string& id) {
  return GetAs<AccessKey>(store_, kKeys, id, KeyFrom);
}
Status IdentityStore::PutAccessKey(const AccessKey& k) {
  return CredentialChange(PutJson(store_, kKeys, k.access_key_id, ToJson(k), false));
}
Status IdentityStore::DeleteAccessKey(const std::string& id) { return CredentialChange(DeleteKey(store_, kKeys, id)); }
Result<std::vector<AccessKey>> IdentityStore::ListAccessKeys(const std::string& account, const std::string& user) {
  CK_ASSIGN_OR_RETURN(auto all, ScanAs<AccessKey>(store_, kKeys, "", KeyFrom));
  std::vector<AccessKey> out;
  for (auto& k : all)
    if (k.account == account && ToLower(k.user_name) == ToLower(user)) out.push_back(std::move(k));
  return out;
}

Result<std::optional<StsSession>> IdentityStore::GetSession(const std::string& id) {
  return GetAs<StsSession>(store_, kSessions, id, SessionFrom);
}
Status IdentityStore::PutSession(const StsSession& s) {
  return CredentialChange(PutJson(store_, kSessions, s.access_key_id, ToJson(s), true));
}

Result<std::optional<json>> IdentityStore::GetRecord(const std::string& table, const std::string& key) {
  CK_ASSIGN_OR_RETURN(auto raw, store_.Get(table, key));
  if (!raw) return std::optional<json>();
  try {
    return std::optional<json>(json::parse(*raw));
  } catch (const std::exception& e) {
    return DataLoss("corrupt record in " + table + ": " + e.what());
  }
}
Status IdentityStore::PutRecord(const std::string& table, const std::string& key, const json& value,
                                bool must_not_exist) {
  return PolicyChange(PutJson(store_, table, key, value, must_not_exist));
}
Status IdentityStore::DeleteRecord(const std::string& table, const std::string& key) {
  return PolicyChange(DeleteKey(store_, table, key));
}
Result<std::vector<json>> IdentityStore::ScanRecords(const std::string& table, const std::string& prefix) {
  return ScanAs<json>(store_, table.c_str(), prefix, [](const json& j) { return j; });
}

std::string NewIamId(std::string_view prefix) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  std::string raw = crypto::RandomBytes(16);
  std::string out(prefix);
  for (int i = 0; i < 16; ++i) out += kAlphabet[static_cast<unsigned char>(raw[i]) & 31];
  return out;
}

std::string NewSecretAccessKey() {
  // 40 characters like AWS secrets: base64 of 30 random bytes.
  return Base64Encode(crypto::RandomBytes(30));
}

std::string NewSessionToken() {
  return "FwoGZXIvYXdzE" + Base64Encode(crypto::RandomBytes(96));
}

}  // namespace ck::services
