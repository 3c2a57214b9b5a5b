#include "server/config.h"

#include <cctype>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <toml++/toml.h>

#include "base/codec.h"
#include "core/iam/policy_document.h"

namespace ck::server {

std::string Origin::Where(const std::string& field) const {
  std::string w = file;
  if (line > 0) w.append(":").append(std::to_string(line));
  w.append(": ").append(entry);
  if (!field.empty()) w.append(".").append(field);
  return w;
}

bool IsAccountId(std::string_view s) {
  if (s.size() != 12) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

namespace {

// Checks on one field's value: an error text, or nothing.
using Check = std::optional<std::string> (*)(const std::string& value);

std::optional<std::string> AccountId(const std::string& v) {
  if (IsAccountId(v)) return std::nullopt;
  return "must be a 12-digit account id";
}

// IAM names: 1..max characters of letters, digits and +=,.@_-.
template <size_t kMax>
std::optional<std::string> IamName(const std::string& v) {
  bool ok = !v.empty() && v.size() <= kMax;
  for (char c : v)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || std::string_view("+=,.@_-").find(c) != std::string_view::npos))
      ok = false;
  if (ok) return std::nullopt;
  return "must be 1 to " + std::to_string(kMax) + " characters of letters, digits and +=,.@_-";
}

// IAM paths: "/" or "/…/" of printable ASCII, at most 512 characters.
std::optional<std::string> IamPath(const std::string& v) {
  bool ok = !v.empty() && v.size() <= 512 && v.front() == '/' && v.back() == '/';
  for (char c : v)
    if (c < 0x21 || c > 0x7e) ok = false;
  if (ok) return std::nullopt;
  return "must start and end with / (printable ASCII, at most 512 characters)";
}

// Policy documents pass the parser the IAM and KMS APIs use.
template <core::iam::PolicyKind kKind>
std::optional<std::string> PolicyDocument(const std::string& v) {
  if (v.empty() && kKind == core::iam::PolicyKind::kKeyPolicy) return std::nullopt;  // the default key policy
  auto parsed = core::iam::ParsePolicy(v, kKind);
  if (parsed.ok()) return std::nullopt;
  return "MalformedPolicyDocument: " + parsed.status().message();
}

std::optional<std::string> AliasName(const std::string& v) {
  if (v.rfind("alias/", 0) == 0) return std::nullopt;
  return "must start with \"alias/\"";
}

enum Need { kOptional, kRequired };

// Reads one TOML table into a struct through its field table, the way
// base/fields.h reads documents, but reporting file:line: entry.field.
class TomlFields {
 public:
  TomlFields(const std::string& source, const toml::table& t, std::string ctx)
      : source_(source), t_(t), ctx_(std::move(ctx)) {}

  Status Error(const toml::node* node, const std::string& field, const std::string& what) const {
    std::string where = source_;
    if (node && node->source().begin.line) where.append(":").append(std::to_string(node->source().begin.line));
    where.append(": ").append(field.empty() ? ctx_ : ctx_ + "." + field).append(": ").append(what);
    return InvalidArgument(std::move(where));
  }

  void operator()(const char* name, std::string& out, Need need, Check check = nullptr) {
    const toml::node* n = Visit(name, need);
    if (!n) return;
    if (!n->is_string()) return Fail(n, name, "must be a string");
    out = n->as_string()->get();
    if (check)
      if (auto why = check(out)) Fail(n, name, *why);
  }
  void operator()(const char* name, int& out, Need need) {
    const toml::node* n = Visit(name, need);
    if (!n) return;
    if (!n->is_integer()) return Fail(n, name, "must be an integer");
    out = static_cast<int>(n->as_integer()->get());
  }
  template <typename T>
  void operator()(const char* name, std::vector<T>& out, Need need) {
    const toml::node* n = Visit(name, need);
    if (!n) return;
    const toml::array* arr = n->as_array();
    if (!arr) return Fail(n, name, "must be an array of tables");
    for (size_t i = 0; i < arr->size() && status_.ok(); ++i) {
      // Entries of the file's arrays read "users[0]"; nested ones "users[0].policies[1]".
      std::string item = (ctx_ == "config" ? "" : ctx_ + ".") + name + "[" + std::to_string(i) + "]";
      const toml::table* t = (*arr)[i].as_table();
      if (!t) return Fail(&(*arr)[i], std::string(name) + "[" + std::to_string(i) + "]", "must be a table");
      auto parsed = Read<T>(source_, *t, item);
      if (!parsed.ok()) status_ = parsed.status();
      else out.push_back(std::move(*parsed));
    }
  }

  // Every field of the table must be one the struct declares.
  Status Finish() {
    if (!status_.ok()) return status_;
    for (const auto& [k, v] : t_)
      if (!known_.count(std::string(k.str()))) return Error(&v, std::string(k.str()), "unknown field");
    return Status::Ok();
  }

  template <typename T>
  static Result<T> Read(const std::string& source, const toml::table& t, const std::string& ctx) {
    T out{};
    out.origin = Origin{source, static_cast<int>(t.source().begin.line), ctx};
    TomlFields v(source, t, ctx);
    Fields(v, out);
    CK_RETURN_IF_ERROR(v.Finish());
    CK_RETURN_IF_ERROR(Validate(out, v));
    return out;
  }

  const toml::table& table() const { return t_; }

 private:
  const toml::node* Visit(const char* name, Need need) {
    known_.insert(name);
    if (!status_.ok()) return nullptr;
    const toml::node* n = t_.get(name);
    if (!n && need == kRequired) Fail(&t_, name, "is required");
    return n;
  }
  void Fail(const toml::node* n, const std::string& field, const std::string& what) {
    if (status_.ok()) status_ = Error(n, field, what);
  }

  const std::string& source_;
  const toml::table& t_;
  std::string ctx_;
  std::set<std::string> known_;
  Status status_;
};

// The field tables: the config's format, one line per field.
template <class V>
void Fields(V& v, InlinePolicy& s) {
  v("name", s.name, kRequired, IamName<128>);
  v("document", s.document, kRequired, PolicyDocument<core::iam::PolicyKind::kIdentity>);
}
template <class V>
void Fields(V& v, AccountConfig& s) {
  v("id", s.id, kRequired, AccountId);
  v("name", s.name, kOptional);
  v("access_key_id", s.access_key_id, kOptional);
  v("secret_access_key", s.secret_access_key, kOptional);
}
template <class V>
void Fields(V& v, UserConfig& s) {
  v("account", s.account, kRequired, AccountId);
  v("name", s.name, kRequired, IamName<64>);
  v("path", s.path, kOptional, IamPath);
  v("access_key_id", s.access_key_id, kOptional);
  v("secret_access_key", s.secret_access_key, kOptional);
  v("policies", s.policies, kOptional);
}
template <class V>
void Fields(V& v, RoleConfig& s) {
  v("account", s.account, kRequired, AccountId);
  v("name", s.name, kRequired, IamName<64>);
  v("path", s.path, kOptional, IamPath);
  v("trust_policy", s.trust_policy, kRequired, PolicyDocument<core::iam::PolicyKind::kTrust>);
  v("max_session_duration", s.max_session_duration, kOptional);
  v("policies", s.policies, kOptional);
}
template <class V>
void Fields(V& v, KeyConfig& s) {
  v("account", s.account, kRequired, AccountId);
  v("region", s.region, kOptional);
  v("alias", s.alias, kOptional, AliasName);
  v("description", s.description, kOptional);
  v("policy", s.policy, kOptional, PolicyDocument<core::iam::PolicyKind::kKeyPolicy>);
  v("key_spec", s.key_spec, kOptional);
  v("key_usage", s.key_usage, kOptional);
}
template <class V>
void Fields(V& v, BucketConfig& s) {
  v("account", s.account, kRequired, AccountId);
  v("name", s.name, kRequired);
  v("region", s.region, kOptional);
}

// Rules that span fields of one entry.
Status KeyPair(const std::string& id, const std::string& secret, const TomlFields& v) {
  if (id.empty() != secret.empty()) return v.Error(&v.table(), "", "access_key_id and secret_access_key go together");
  return Status::Ok();
}
Status UniquePolicyNames(const std::vector<InlinePolicy>& policies, const TomlFields& v) {
  for (size_t i = 0; i < policies.size(); ++i)
    for (size_t j = 0; j < i; ++j)
      if (policies[j].name == policies[i].name)
        return InvalidArgument(policies[i].origin.Where("name") + ": \"" + policies[i].name + "\" is declared twice");
  (void)v;
  return Status::Ok();
}
Status Validate(const InlinePolicy&, const TomlFields&) { return Status::Ok(); }
Status Validate(const AccountConfig& a, const TomlFields& v) { return KeyPair(a.access_key_id, a.secret_access_key, v); }
Status Validate(const UserConfig& u, const TomlFields& v) {
  CK_RETURN_IF_ERROR(KeyPair(u.access_key_id, u.secret_access_key, v));
  if (!u.access_key_id.empty() && (u.access_key_id.size() < 16 || u.access_key_id.size() > 128))
    return v.Error(v.table().get("access_key_id"), "access_key_id", "must be 16 to 128 characters");
  return UniquePolicyNames(u.policies, v);
}
Status Validate(const RoleConfig& r, const TomlFields& v) {
  if (r.max_session_duration < 3600 || r.max_session_duration > 43200)
    return v.Error(v.table().get("max_session_duration"), "max_session_duration", "must be 3600 to 43200 seconds");
  return UniquePolicyNames(r.policies, v);
}
Status Validate(const KeyConfig& k, const TomlFields& v) {
  if (k.alias.empty()) return v.Error(&v.table(), "alias", "is required (it identifies the key across restarts)");
  return Status::Ok();
}
Status Validate(const BucketConfig&, const TomlFields&) { return Status::Ok(); }

// The whole file: a region and arrays of entries.
struct ConfigFile {
  Origin origin;
  std::string region;
  std::vector<AccountConfig> accounts;
  std::vector<UserConfig> users;
  std::vector<RoleConfig> roles;
  std::vector<KeyConfig> keys;
  std::vector<BucketConfig> buckets;
};
template <class V>
void Fields(V& v, ConfigFile& s) {
  v("region", s.region, kOptional);
  v("accounts", s.accounts, kOptional);
  v("users", s.users, kOptional);
  v("roles", s.roles, kOptional);
  v("keys", s.keys, kOptional);
  v("buckets", s.buckets, kOptional);
}
Status Validate(const ConfigFile&, const TomlFields&) { return Status::Ok(); }

// Each access key id, account, user, role, alias and bucket declared once (a
// second declaration would silently win over the first).
Status CheckUnique(const Config& c) {
  auto dup = [](const Origin& second, const std::string& field, const std::string& what, const Origin& first) {
    return InvalidArgument(second.Where(field) + ": " + what + " is already declared by " + first.entry +
                           (first.line ? " (line " + std::to_string(first.line) + ")" : ""));
  };
  std::map<std::string, const Origin*> keys;
  auto key = [&](const std::string& id, const Origin& o) -> Status {
    if (id.empty()) return Status::Ok();
    auto [it, added] = keys.emplace(id, &o);
    if (!added) return dup(o, "access_key_id", "access key id " + id, *it->second);
    return Status::Ok();
  };
  std::map<std::string, const Origin*> seen;
  auto once = [&](const std::string& kind, const std::string& id, const Origin& o, const std::string& field,
                  const std::string& what) -> Status {
    auto [it, added] = seen.emplace(kind + "\n" + id, &o);
    if (!added) return dup(o, field, what, *it->second);
    return Status::Ok();
  };
  for (const auto& a : c.accounts) {
    CK_RETURN_IF_ERROR(once("account", a.id, a.origin, "id", "account " + a.id));
    CK_RETURN_IF_ERROR(key(a.access_key_id, a.origin));
  }
  // IAM names are unique per account regardless of case.
  for (const auto& u : c.users) {
    CK_RETURN_IF_ERROR(once("user", u.account + "/" + ToLower(u.name), u.origin, "name",
                            "user " + u.name + " in account " + u.account));
    CK_RETURN_IF_ERROR(key(u.access_key_id, u.origin));
  }
  for (const auto& r : c.roles)
    CK_RETURN_IF_ERROR(once("role", r.account + "/" + ToLower(r.name), r.origin, "name",
                            "role " + r.name + " in account " + r.account));
  for (const auto& k : c.keys)
    CK_RETURN_IF_ERROR(once("alias", k.account + "/" + k.region + "/" + k.alias, k.origin, "alias",
                            k.alias + " in account " + k.account));
  for (const auto& b : c.buckets) CK_RETURN_IF_ERROR(once("bucket", b.name, b.origin, "name", "bucket " + b.name));
  return Status::Ok();
}

}  // namespace

Result<Config> ParseConfig(std::string_view text, const std::string& source_name) {
  toml::table root;
  try {
    root = toml::parse(text, source_name);
  } catch (const toml::parse_error& e) {
    return InvalidArgument(source_name + ":" + std::to_string(e.source().begin.line) + ":" +
                           std::to_string(e.source().begin.column) + ": " + std::string(e.description()));
  }
  CK_ASSIGN_OR_RETURN(ConfigFile file, TomlFields::Read<ConfigFile>(source_name, root, "config"));
  Config c;
  c.source = source_name;
  if (root.get("region")) c.region = file.region;
  c.accounts = std::move(file.accounts);
  c.users = std::move(file.users);
  c.roles = std::move(file.roles);
  c.keys = std::move(file.keys);
  c.buckets = std::move(file.buckets);
  CK_RETURN_IF_ERROR(CheckUnique(c));
  return c;
}

Result<Config> LoadConfigFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return InvalidArgument(path + ": cannot open config file");
  std::stringstream ss;
  ss << in.rdbuf();
  return ParseConfig(ss.str(), path);
}

}  // namespace ck::server
