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

class Reader {
 public:
  explicit Reader(std::string source) : source_(std::move(source)) {}

  Status Error(const toml::node* node, const std::string& field, const std::string& what) const {
    std::string where = source_;
    if (node && node->source().begin.line) where.append(":").append(std::to_string(node->source().begin.line));
    where.append(": ").append(field).append(": ").append(what);
    return InvalidArgument(std::move(where));
  }

  // Reads an optional string field of a table; wrong type is an error.
  Status Str(const toml::table& t, const std::string& ctx, const char* key, std::string* out, bool required) const {
    const toml::node* n = t.get(key);
    if (!n) {
      if (required) return Error(&t, ctx + "." + key, "is required");
      return Status::Ok();
    }
    if (!n->is_string()) return Error(n, ctx + "." + key, "must be a string");
    *out = n->as_string()->get();
    return Status::Ok();
  }

  Status Int(const toml::table& t, const std::string& ctx, const char* key, int* out) const {
    const toml::node* n = t.get(key);
    if (!n) return Status::Ok();
    if (!n->is_integer()) return Error(n, ctx + "." + key, "must be an integer");
    *out = static_cast<int>(n->as_integer()->get());
    return Status::Ok();
  }

  Origin OriginOf(const toml::table& t, const std::string& ctx) const {
    return Origin{source_, static_cast<int>(t.source().begin.line), ctx};
  }

  // The document must pass the parser the IAM and KMS APIs use.
  Status Policy(const toml::table& t, const std::string& field_ctx, const toml::node* at, const std::string& doc,
                core::iam::PolicyKind kind) const {
    auto parsed = core::iam::ParsePolicy(doc, kind);
    if (!parsed.ok()) return Error(at ? at : &t, field_ctx, "MalformedPolicyDocument: " + parsed.status().message());
    return Status::Ok();
  }

  // IAM names: 1..max characters of letters, digits and +=,.@_-.
  Status IamName(const toml::table& t, const std::string& field_ctx, const char* key, const std::string& v,
                 size_t max) const {
    bool ok = !v.empty() && v.size() <= max;
    for (char c : v)
      if (!(std::isalnum(static_cast<unsigned char>(c)) ||
            std::string_view("+=,.@_-").find(c) != std::string_view::npos))
        ok = false;
    if (!ok)
      return Error(t.get(key), field_ctx,
                   "must be 1 to " + std::to_string(max) + " characters of letters, digits and +=,.@_-");
    return Status::Ok();
  }

  // IAM paths: "/" or "/…/" of printable ASCII, at most 512 characters.
  Status IamPath(const toml::table& t, const std::string& field_ctx, const std::string& v) const {
    bool ok = !v.empty() && v.size() <= 512 && v.front() == '/' && v.back() == '/';
    for (char c : v)
      if (c < 0x21 || c > 0x7e) ok = false;
    if (!ok)
      return Error(t.get("path"), field_ctx, "must start and end with / (printable ASCII, at most 512 characters)");
    return Status::Ok();
  }

  Status Known(const toml::table& t, const std::string& ctx, std::set<std::string> allowed) const {
    for (const auto& [k, v] : t) {
      if (!allowed.count(std::string(k.str()))) return Error(&v, ctx + "." + std::string(k.str()), "unknown field");
    }
    return Status::Ok();
  }

  Status Account(const toml::table& t, const std::string& ctx, std::string* out) const {
    CK_RETURN_IF_ERROR(Str(t, ctx, "account", out, true));
    if (!IsAccountId(*out)) return Error(t.get("account"), ctx + ".account", "must be a 12-digit account id");
    return Status::Ok();
  }

  Status Policies(const toml::table& t, const std::string& ctx, std::vector<InlinePolicy>* out) const {
    const toml::node* n = t.get("policies");
    if (!n) return Status::Ok();
    const toml::array* arr = n->as_array();
    if (!arr) return Error(n, ctx + ".policies", "must be an array of { name, document } tables");
    for (size_t i = 0; i < arr->size(); ++i) {
      const toml::table* pt = (*arr)[i].as_table();
      std::string pctx = ctx + ".policies[" + std::to_string(i) + "]";
      if (!pt) return Error(&(*arr)[i], pctx, "must be a table { name, document }");
      CK_RETURN_IF_ERROR(Known(*pt, pctx, {"name", "document"}));
      InlinePolicy p;
      CK_RETURN_IF_ERROR(Str(*pt, pctx, "name", &p.name, true));
      CK_RETURN_IF_ERROR(IamName(*pt, pctx + ".name", "name", p.name, 128));
      for (const auto& earlier : *out)
        if (earlier.name == p.name)
          return Error(pt->get("name"), pctx + ".name", "\"" + p.name + "\" is declared twice");
      CK_RETURN_IF_ERROR(Str(*pt, pctx, "document", &p.document, true));
      CK_RETURN_IF_ERROR(
          Policy(*pt, pctx + ".document", pt->get("document"), p.document, core::iam::PolicyKind::kIdentity));
      out->push_back(std::move(p));
    }
    return Status::Ok();
  }

  template <typename Fn>
  Status Each(const toml::table& root, const char* name, Fn fn) const {
    const toml::node* n = root.get(name);
    if (!n) return Status::Ok();
    const toml::array* arr = n->as_array();
    if (!arr) return Error(n, name, "must be an array of tables ([[" + std::string(name) + "]])");
    for (size_t i = 0; i < arr->size(); ++i) {
      const toml::table* t = (*arr)[i].as_table();
      std::string ctx = std::string(name) + "[" + std::to_string(i) + "]";
      if (!t) return Error(&(*arr)[i], ctx, "must be a table");
      CK_RETURN_IF_ERROR(fn(*t, ctx));
    }
    return Status::Ok();
  }

 private:
  std::string source_;
};

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
  Reader r(source_name);
  Config c;
  c.source = source_name;
  CK_RETURN_IF_ERROR(r.Known(root, "config", {"region", "accounts", "users", "roles", "keys", "buckets"}));
  if (root.get("region")) {
    std::string region;
    CK_RETURN_IF_ERROR(r.Str(root, "config", "region", &region, false));
    c.region = region;
  }
  CK_RETURN_IF_ERROR(r.Each(root, "accounts", [&](const toml::table& t, const std::string& ctx) -> Status {
    CK_RETURN_IF_ERROR(r.Known(t, ctx, {"id", "name", "access_key_id", "secret_access_key"}));
    AccountConfig a;
    a.origin = r.OriginOf(t, ctx);
    CK_RETURN_IF_ERROR(r.Str(t, ctx, "id", &a.id, true));
    if (!IsAccountId(a.id)) return r.Error(t.get("id"), ctx + ".id", "must be a 12-digit account id");
    CK_RETURN_IF_ERROR(r.Str(t, ctx, "name", &a.name, false));
    CK_RETURN_IF_ERROR(r.Str(t, ctx, "access_key_id", &a.access_key_id, false));
    CK_RETURN_IF_ERROR(r.Str(t, ctx, "secret_access_key", &a.secret_access_key, false));
    if (a.access_key_id.empty() != a.secret_access_key.empty())
      return r.Error(&t, ctx, "access_key_id and secret_access_key go together");
    c.accounts.push_back(std::move(a));
    return Status::Ok();
  }));
  CK_RETURN_IF_ERROR(r.Each(root, "users", [&](const toml::table& t, const std::string& ctx) -> Status {
    CK_RETURN_IF_ERROR(r.Known(t, ctx, {"account", "name", "path", "access_key_id", "secret_access_key", "policies"}));
    UserConfig u;
    u.origin = r.OriginOf(t, ctx);
    CK_RETURN_IF_ERROR(r.Account(t, ctx, &u.account));
    CK_RETURN_IF_ERROR(r.Str(t, ctx, "name", &u.name, true));
    CK_RETURN_IF_ERROR(r.IamName(t, ctx + ".name", "name", u.name, 64));
    CK_RETURN_IF_ERROR(r.Str(t, ctx, "path", &u.path, false));
    CK_RETURN_IF_ERROR(r.IamPath(t, ctx + ".path", u.path));
    CK_RETURN_IF_ERROR(r.Str(t, ctx, "access_key_id", &u.access_key_id, false));
    CK_RETURN_IF_ERROR(r.Str(t, ctx, "secret_access_key", &u.secret_access_key, false));
    if (u.access_key_id.empty() != u.secret_access_key.empty())
      return r.Error(&t, ctx, "access_key_id and secret_access_key go together");
    if (!u.access_key_id.empty() && (u.access_key_id.size() < 16 || u.access_key_id.size() > 128))
      return r.Error(t.get("access_key_id"), ctx + ".access_key_id", "must be 16 to 128 characters");
    CK_RETURN_IF_ERROR(r.Policies(t, ctx, &u.policies));
    c.users.push_back(std::move(u));
    return Status::Ok();
  }));
  CK_RETURN_IF_ERROR(r.Each(root, "roles", [&](const toml::table& t, const std::string& ctx) -> Status {
    CK_RETURN_IF_ERROR(
        r.Known(t, ctx, {"account", "name", "path", "trust_policy", "max_session_duration", "policies"}));
    RoleConfig ro;
    ro.origin = r.OriginOf(t, ctx);
    CK_RETURN_IF_ERROR(r.Account(t, ctx, &ro.account));
    CK_RETURN_IF_ERROR(r.Str(t, ctx, "name", &ro.name, true));
    CK_RETURN_IF_ERROR(r.IamName(t, ctx + ".name", "name", ro.name, 64));
    CK_RETURN_IF_ERROR(r.Str(t, ctx, "path", &ro.path, false));
    CK_RETURN_IF_ERROR(r.IamPath(t, ctx + ".path", ro.path));
    CK_RETURN_IF_ERROR(r.Str(t, ctx, "trust_policy", &ro.trust_policy, true));
    CK_RETURN_IF_ERROR(
        r.Policy(t, ctx + ".trust_policy", t.get("trust_policy"), ro.trust_policy, core::iam::PolicyKind::kTrust));
    CK_RETURN_IF_ERROR(r.Int(t, ctx, "max_session_duration", &ro.max_session_duration));
    if (ro.max_session_duration < 3600 || ro.max_session_duration > 43200)
      return r.Error(t.get("max_session_duration"), ctx + ".max_session_duration", "must be 3600 to 43200 seconds");
    CK_RETURN_IF_ERROR(r.Policies(t, ctx, &ro.policies));
    c.roles.push_back(std::move(ro));
    return Status::Ok();
  }));
  CK_RETURN_IF_ERROR(r.Each(root, "keys", [&](const toml::table& t, const std::string& ctx) -> Status {
    CK_RETURN_IF_ERROR(
        r.Known(t, ctx, {"account", "region", "alias", "description", "policy", "key_spec", "key_usage"}));
    KeyConfig k;
    k.origin = r.OriginOf(t, ctx);
    CK_RETURN_IF_ERROR(r.Account(t, ctx, &k.account));
    for (auto [name, field] : {std::pair{"region", &k.region}, {"alias", &k.alias},
                               {"description", &k.description}, {"policy", &k.policy},
                               {"key_spec", &k.key_spec}, {"key_usage", &k.key_usage}})
      CK_RETURN_IF_ERROR(r.Str(t, ctx, name, field, false));
    if (k.alias.empty()) return r.Error(&t, ctx + ".alias", "is required (it identifies the key across restarts)");
    if (k.alias.rfind("alias/", 0) != 0)
      return r.Error(t.get("alias"), ctx + ".alias", "must start with \"alias/\"");
    if (!k.policy.empty())
      CK_RETURN_IF_ERROR(r.Policy(t, ctx + ".policy", t.get("policy"), k.policy, core::iam::PolicyKind::kKeyPolicy));
    c.keys.push_back(std::move(k));
    return Status::Ok();
  }));
  CK_RETURN_IF_ERROR(r.Each(root, "buckets", [&](const toml::table& t, const std::string& ctx) -> Status {
    CK_RETURN_IF_ERROR(r.Known(t, ctx, {"account", "name", "region"}));
    BucketConfig b;
    b.origin = r.OriginOf(t, ctx);
    CK_RETURN_IF_ERROR(r.Account(t, ctx, &b.account));
    CK_RETURN_IF_ERROR(r.Str(t, ctx, "name", &b.name, true));
    CK_RETURN_IF_ERROR(r.Str(t, ctx, "region", &b.region, false));
    c.buckets.push_back(std::move(b));
    return Status::Ok();
  }));
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
