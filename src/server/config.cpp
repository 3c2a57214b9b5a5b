#include "server/config.h"

#include <fstream>
#include <set>
#include <sstream>

#include <toml++/toml.h>

namespace ck::server {

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
    if (node && node->source().begin.line) where += ":" + std::to_string(node->source().begin.line);
    return InvalidArgument(where + ": " + field + ": " + what);
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
      CK_RETURN_IF_ERROR(Str(*pt, pctx, "document", &p.document, true));
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
    CK_RETURN_IF_ERROR(r.Account(t, ctx, &u.account));
    CK_RETURN_IF_ERROR(r.Str(t, ctx, "name", &u.name, true));
    CK_RETURN_IF_ERROR(r.Str(t, ctx, "path", &u.path, false));
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
    CK_RETURN_IF_ERROR(r.Account(t, ctx, &ro.account));
    CK_RETURN_IF_ERROR(r.Str(t, ctx, "name", &ro.name, true));
    CK_RETURN_IF_ERROR(r.Str(t, ctx, "path", &ro.path, false));
    CK_RETURN_IF_ERROR(r.Str(t, ctx, "trust_policy", &ro.trust_policy, true));
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
    CK_RETURN_IF_ERROR(r.Account(t, ctx, &k.account));
    for (auto [name, field] : {std::pair{"region", &k.region}, {"alias", &k.alias},
                               {"description", &k.description}, {"policy", &k.policy},
                               {"key_spec", &k.key_spec}, {"key_usage", &k.key_usage}})
      CK_RETURN_IF_ERROR(r.Str(t, ctx, name, field, false));
    if (k.alias.empty()) return r.Error(&t, ctx + ".alias", "is required (it identifies the key across restarts)");
    if (k.alias.rfind("alias/", 0) != 0)
      return r.Error(t.get("alias"), ctx + ".alias", "must start with \"alias/\"");
    c.keys.push_back(std::move(k));
    return Status::Ok();
  }));
  CK_RETURN_IF_ERROR(r.Each(root, "buckets", [&](const toml::table& t, const std::string& ctx) -> Status {
    CK_RETURN_IF_ERROR(r.Known(t, ctx, {"account", "name", "region"}));
    BucketConfig b;
    CK_RETURN_IF_ERROR(r.Account(t, ctx, &b.account));
    CK_RETURN_IF_ERROR(r.Str(t, ctx, "name", &b.name, true));
    CK_RETURN_IF_ERROR(r.Str(t, ctx, "region", &b.region, false));
    c.buckets.push_back(std::move(b));
    return Status::Ok();
  }));
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
