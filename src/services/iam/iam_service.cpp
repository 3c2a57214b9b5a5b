#include "services/iam/iam_service.h"

#include <algorithm>

#include "base/codec.h"
#include "core/iam/policy_document.h"

namespace ck::services {

using nlohmann::json;

namespace {

constexpr char kPolicies[] = "iam.policies";

Status NoSuchEntity(const std::string& message) { return AwsError("NoSuchEntity", 404, message); }
Status AlreadyExistsError(const std::string& message) { return AwsError("EntityAlreadyExists", 409, message); }
Status DeleteConflict(const std::string& message) { return AwsError("DeleteConflict", 409, message); }

double Epoch(TimePoint t) { return static_cast<double>(static_cast<int64_t>(ToEpochSeconds(t))); }

std::string Str(const json& in, const char* key, const std::string& fallback = "") {
  auto it = in.find(key);
  return it != in.end() && it->is_string() ? it->get<std::string>() : fallback;
}

// IAM returns policy documents URL-encoded (botocore decodes them).
std::string EncodeDocument(const std::string& doc) { return UriEncode(doc); }

json TagsJson(const std::vector<std::pair<std::string, std::string>>& tags) {
  json a = json::array();
  for (const auto& [k, v] : tags) a.push_back({{"Key", k}, {"Value", v}});
  return a;
}

json UserJson(const IamUser& u) {
  json j = {{"Path", u.path}, {"UserName", u.name}, {"UserId", u.user_id}, {"Arn", u.arn},
            {"CreateDate", Epoch(u.created)}};
  if (!u.tags.empty()) j["Tags"] = TagsJson(u.tags);
  return j;
}

json RoleJson(const IamRole& r, bool with_document) {
  json j = {{"Path", r.path},
            {"RoleName", r.name},
            {"RoleId", r.role_id},
            {"Arn", r.arn},
            {"CreateDate", Epoch(r.created)},
            {"MaxSessionDuration", r.max_session_duration}};
  if (with_document) j["AssumeRolePolicyDocument"] = EncodeDocument(r.trust_policy);
  if (!r.description.empty()) j["Description"] = r.description;
  if (!r.tags.empty()) j["Tags"] = TagsJson(r.tags);
  return j;
}

std::string AccountOfArn(const std::string& arn) {
  // arn:aws:iam::ACCOUNT:policy/...
  size_t pos = 0;
  for (int i = 0; i < 4 && pos != std::string::npos; ++i) pos = arn.find(':', pos + 1);
  if (pos == std::string::npos) return "";
  size_t end = arn.find(':', pos + 1);
  return arn.substr(pos + 1, end - pos - 1);
}

std::vector<std::pair<std::string, std::string>> ParseTags(const json& in) {
  std::vector<std::pair<std::string, std::string>> out;
  if (auto it = in.find("Tags"); it != in.end() && it->is_array())
    for (const auto& t : *it) out.emplace_back(Str(t, "Key"), Str(t, "Value"));
  return out;
}

}  // namespace

Status IamService::Authorize(RequestContext& ctx, std::string_view operation, const std::string& resource) {
  AuthzRequest r;
  r.principal = &ctx.principal;
  r.action = "iam:" + std::string(operation);
  r.resource = resource;
  r.resource_account = ctx.principal.account;
  r.region = ctx.region;
  r.source_ip = ctx.source_ip;
  CK_ASSIGN_OR_RETURN(auto result, authz_.Authorize(r));
  if (!result.allowed()) return AccessDeniedFor(result, "AccessDenied", 403);
  return Status::Ok();
}

Status IamService::ValidateDocument(const std::string& doc, bool trust, bool managed) {
  core::iam::ParseOptions opt;
  opt.require_2012_version = managed;
  auto parsed = core::iam::ParsePolicy(doc, trust ? core::iam::PolicyKind::kTrust : core::iam::PolicyKind::kIdentity, opt);
  if (!parsed.ok()) return AwsError("MalformedPolicyDocument", 400, parsed.status().message());
  return Status::Ok();
}

Result<IamUser> IamService::MustGetUser(const std::string& account, const std::string& name) {
  CK_ASSIGN_OR_RETURN(auto user, ids_.GetUser(account, name));
  if (!user) return NoSuchEntity("The user with name " + name + " cannot be found.");
  return std::move(*user);
}

Result<IamRole> IamService::MustGetRole(const std::string& account, const std::string& name) {
  CK_ASSIGN_OR_RETURN(auto role, ids_.GetRole(account, name));
  if (!role) return NoSuchEntity("The role with name " + name + " cannot be found.");
  return std::move(*role);
}

Result<json> IamService::Invoke(std::string_view op, const json& in, RequestContext& ctx) {
  if (ctx.principal.is_anonymous()) return AwsError("MissingAuthenticationToken", 403, "Request is missing Authentication Token");
  if (op == "CreateUser") return CreateUser(in, ctx);
  if (op == "GetUser") return GetUser(in, ctx);
  if (op == "DeleteUser") return DeleteUser(in, ctx);
  if (op == "ListUsers") return ListUsers(in, ctx);
  if (op == "CreateAccessKey") return CreateAccessKey(in, ctx);
  if (op == "DeleteAccessKey") return DeleteAccessKey(in, ctx);
  if (op == "ListAccessKeys") return ListAccessKeys(in, ctx);
  if (op == "UpdateAccessKey") return UpdateAccessKey(in, ctx);
  if (op == "CreateRole") return CreateRole(in, ctx);
  if (op == "GetRole") return GetRole(in, ctx);
  if (op == "DeleteRole") return DeleteRole(in, ctx);
  if (op == "ListRoles") return ListRoles(in, ctx);
  if (op == "UpdateAssumeRolePolicy") return UpdateAssumeRolePolicy(in, ctx);
  if (op == "TagRole") return TagRole(in, ctx);
  if (op == "UntagRole") return UntagRole(in, ctx);
  if (op == "ListRoleTags") return ListRoleTags(in, ctx);
  if (op == "PutUserPolicy") return PutInline(in, ctx, false);
  if (op == "GetUserPolicy") return GetInline(in, ctx, false);
  if (op == "DeleteUserPolicy") return DeleteInline(in, ctx, false);
  if (op == "ListUserPolicies") return ListInline(in, ctx, false);
  if (op == "PutRolePolicy") return PutInline(in, ctx, true);
  if (op == "GetRolePolicy") return GetInline(in, ctx, true);
  if (op == "DeleteRolePolicy") return DeleteInline(in, ctx, true);
  if (op == "ListRolePolicies") return ListInline(in, ctx, true);
  if (op == "CreatePolicy") return CreatePolicy(in, ctx);
  if (op == "GetPolicy") return GetPolicy(in, ctx);
  if (op == "GetPolicyVersion") return GetPolicyVersion(in, ctx);
  if (op == "CreatePolicyVersion") return CreatePolicyVersion(in, ctx);
  if (op == "DeletePolicy") return DeletePolicy(in, ctx);
  if (op == "ListPolicies") return ListPolicies(in, ctx);
  if (op == "AttachUserPolicy") return Attach(in, ctx, false, true);
  if (op == "DetachUserPolicy") return Attach(in, ctx, false, false);
  if (op == "AttachRolePolicy") return Attach(in, ctx, true, true);
  if (op == "DetachRolePolicy") return Attach(in, ctx, true, false);
  if (op == "ListAttachedUserPolicies") return ListAttached(in, ctx, false);
  if (op == "ListAttachedRolePolicies") return ListAttached(in, ctx, true);
  return Unimplemented("IAM " + std::string(op) + " is not implemented by crosskey");
}

// ---- users ----

Result<json> IamService::CreateUser(const json& in, RequestContext& ctx) {
  const std::string& account = ctx.principal.account;
  IamUser u;
  u.account = account;
  u.name = Str(in, "UserName");
  u.path = Str(in, "Path", "/");
  u.arn = "arn:aws:iam::" + account + ":user" + u.path + u.name;
  CK_RETURN_IF_ERROR(Authorize(ctx, "CreateUser", u.arn));
  u.user_id = NewIamId("AIDA");
  u.created = clock_.Now();
  u.tags = ParseTags(in);
  Status s = ids_.PutUser(u, true);
  if (s.code() == Code::kAlreadyExists) return AlreadyExistsError("User with name " + u.name + " already exists.");
  CK_RETURN_IF_ERROR(s);
  return json{{"User", UserJson(u)}};
}

Result<json> IamService::GetUser(const json& in, RequestContext& ctx) {
  std::string name = Str(in, "UserName");
  if (name.empty()) {
    // No name: the calling user itself.
    if (ctx.principal.type == Principal::Type::kRoot) {
      return json{{"User", {{"UserId", ctx.principal.account}, {"Arn", ctx.principal.arn},
                            {"CreateDate", Epoch(clock_.Now())}}}};
    }
    if (ctx.principal.type != Principal::Type::kUser)
      return AwsError("ValidationError", 400, "Must specify userName when calling with non-User credentials");
    name = ctx.principal.username;
  }
  CK_ASSIGN_OR_RETURN(auto u, MustGetUser(ctx.principal.account, name));
  CK_RETURN_IF_ERROR(Authorize(ctx, "GetUser", u.arn));
  return json{{"User", UserJson(u)}};
}

Result<json> IamService::DeleteUser(const json& in, RequestContext& ctx) {
  CK_ASSIGN_OR_RETURN(auto u, MustGetUser(ctx.principal.account, Str(in, "UserName")));
  CK_RETURN_IF_ERROR(Authorize(ctx, "DeleteUser", u.arn));
  if (!u.inline_policies.empty()) return DeleteConflict("Cannot delete entity, must delete policies first.");
  if (!u.attached_policies.empty()) return DeleteConflict("Cannot delete entity, must detach all policies first.");
  CK_ASSIGN_OR_RETURN(auto keys, ids_.ListAccessKeys(u.account, u.name));
  if (!keys.empty()) return DeleteConflict("Cannot delete entity, must delete access keys first.");
  CK_RETURN_IF_ERROR(ids_.DeleteUser(u.account, u.name));
  return json::object();
}

Result<json> IamService::ListUsers(const json& in, RequestContext& ctx) {
  CK_RETURN_IF_ERROR(Authorize(ctx, "ListUsers", "arn:aws:iam::" + ctx.principal.account + ":user/"));
  CK_ASSIGN_OR_RETURN(auto users, ids_.ListUsers(ctx.principal.account));
  std::string prefix = Str(in, "PathPrefix", "/");
  json out = json::array();
  for (const auto& u : users)
    if (StartsWith(u.path, prefix)) out.push_back(UserJson(u));
  return json{{"Users", out}, {"IsTruncated", false}};
}

Result<json> IamService::CreateAccessKey(const json& in, RequestContext& ctx) {
  std::string name = Str(in, "UserName");
  if (name.empty() && ctx.principal.type == Principal::Type::kUser) name = ctx.principal.username;
  AccessKey k;
  k.account = ctx.principal.account;
  if (!name.empty()) {
    CK_ASSIGN_OR_RETURN(auto u, MustGetUser(k.account, name));
    CK_RETURN_IF_ERROR(Authorize(ctx, "CreateAccessKey", u.arn));
    CK_ASSIGN_OR_RETURN(auto existing, ids_.ListAccessKeys(k.account, u.name));
    if (existing.size() >= 2) return AwsError("LimitExceeded", 409, "Cannot exceed quota for AccessKeysPerUser: 2");
    k.user_name = u.name;
  } else {
    CK_RETURN_IF_ERROR(Authorize(ctx, "CreateAccessKey", ctx.principal.arn));
  }
  k.access_key_id = NewIamId("AKIA");
  k.secret = NewSecretAccessKey();
  k.created = clock_.Now();
  CK_RETURN_IF_ERROR(ids_.PutAccessKey(k));
  json key = {{"AccessKeyId", k.access_key_id}, {"SecretAccessKey", k.secret}, {"Status", "Active"},
              {"CreateDate", Epoch(k.created)}};
  if (!k.user_name.empty()) key["UserName"] = k.user_name;
  return json{{"AccessKey", key}};
}

Result<json> IamService::DeleteAccessKey(const json& in, RequestContext& ctx) {
  std::string id = Str(in, "AccessKeyId");
  CK_ASSIGN_OR_RETURN(auto key, ids_.GetAccessKey(id));
  if (!key || key->account != ctx.principal.account)
    return NoSuchEntity("The Access Key with id " + id + " cannot be found.");
  CK_RETURN_IF_ERROR(Authorize(ctx, "DeleteAccessKey", "arn:aws:iam::" + key->account + ":user/" + key->user_name));
  CK_RETURN_IF_ERROR(ids_.DeleteAccessKey(id));
  return json::object();
}

Result<json> IamService::ListAccessKeys(const json& in, RequestContext& ctx) {
  std::string name = Str(in, "UserName");
  if (name.empty() && ctx.principal.type == Principal::Type::kUser) name = ctx.principal.username;
  if (!name.empty()) {
    CK_ASSIGN_OR_RETURN(auto u, MustGetUser(ctx.principal.account, name));
    CK_RETURN_IF_ERROR(Authorize(ctx, "ListAccessKeys", u.arn));
    name = u.name;
  }
  CK_ASSIGN_OR_RETURN(auto keys, ids_.ListAccessKeys(ctx.principal.account, name));
  json out = json::array();
  for (const auto& k : keys) {
    json m = {{"AccessKeyId", k.access_key_id}, {"Status", k.active ? "Active" : "Inactive"},
              {"CreateDate", Epoch(k.created)}};
    if (!k.user_name.empty()) m["UserName"] = k.user_name;
    out.push_back(m);
  }
  return json{{"AccessKeyMetadata", out}, {"IsTruncated", false}};
}

Result<json> IamService::UpdateAccessKey(const json& in, RequestContext& ctx) {
  std::string id = Str(in, "AccessKeyId");
  CK_ASSIGN_OR_RETURN(auto key, ids_.GetAccessKey(id));
  if (!key || key->account != ctx.principal.account)
    return NoSuchEntity("The Access Key with id " + id + " cannot be found.");
  CK_RETURN_IF_ERROR(Authorize(ctx, "UpdateAccessKey", "arn:aws:iam::" + key->account + ":user/" + key->user_name));
  key->active = Str(in, "Status") == "Active";
  CK_RETURN_IF_ERROR(ids_.PutAccessKey(*key));
  return json::object();
}

// ---- roles ----

Result<json> IamService::CreateRole(const json& in, RequestContext& ctx) {
  IamRole r;
  r.account = ctx.principal.account;
  r.name = Str(in, "RoleName");
  r.path = Str(in, "Path", "/");
  r.arn = "arn:aws:iam::" + r.account + ":role" + r.path + r.name;
  CK_RETURN_IF_ERROR(Authorize(ctx, "CreateRole", r.arn));
  r.trust_policy = Str(in, "AssumeRolePolicyDocument");
  CK_RETURN_IF_ERROR(ValidateDocument(r.trust_policy, true, false));
  r.description = Str(in, "Description");
  r.max_session_duration = in.value("MaxSessionDuration", 3600);
  r.role_id = NewIamId("AROA");
  r.created = clock_.Now();
  r.tags = ParseTags(in);
  Status s = ids_.PutRole(r, true);
  if (s.code() == Code::kAlreadyExists) return AlreadyExistsError("Role with name " + r.name + " already exists.");
  CK_RETURN_IF_ERROR(s);
  return json{{"Role", RoleJson(r, true)}};
}

Result<json> IamService::GetRole(const json& in, RequestContext& ctx) {
  CK_ASSIGN_OR_RETURN(auto r, MustGetRole(ctx.principal.account, Str(in, "RoleName")));
  CK_RETURN_IF_ERROR(Authorize(ctx, "GetRole", r.arn));
  return json{{"Role", RoleJson(r, true)}};
}

Result<json> IamService::DeleteRole(const json& in, RequestContext& ctx) {
  CK_ASSIGN_OR_RETURN(auto r, MustGetRole(ctx.principal.account, Str(in, "RoleName")));
  CK_RETURN_IF_ERROR(Authorize(ctx, "DeleteRole", r.arn));
  if (!r.inline_policies.empty()) return DeleteConflict("Cannot delete entity, must delete policies first.");
  if (!r.attached_policies.empty()) return DeleteConflict("Cannot delete entity, must detach all policies first.");
  CK_RETURN_IF_ERROR(ids_.DeleteRole(r.account, r.name));
  return json::object();
}

Result<json> IamService::ListRoles(const json& in, RequestContext& ctx) {
  CK_RETURN_IF_ERROR(Authorize(ctx, "ListRoles", "arn:aws:iam::" + ctx.principal.account + ":role/"));
  CK_ASSIGN_OR_RETURN(auto roles, ids_.ListRoles(ctx.principal.account));
  std::string prefix = Str(in, "PathPrefix", "/");
  json out = json::array();
  for (const auto& r : roles)
    if (StartsWith(r.path, prefix)) out.push_back(RoleJson(r, true));
  return json{{"Roles", out}, {"IsTruncated", false}};
}

Result<json> IamService::UpdateAssumeRolePolicy(const json& in, RequestContext& ctx) {
  CK_ASSIGN_OR_RETURN(auto r, MustGetRole(ctx.principal.account, Str(in, "RoleName")));
  CK_RETURN_IF_ERROR(Authorize(ctx, "UpdateAssumeRolePolicy", r.arn));
  std::string doc = Str(in, "PolicyDocument");
  CK_RETURN_IF_ERROR(ValidateDocument(doc, true, false));
  r.trust_policy = doc;
  CK_RETURN_IF_ERROR(ids_.PutRole(r, false));
  return json::object();
}

Result<json> IamService::TagRole(const json& in, RequestContext& ctx) {
  CK_ASSIGN_OR_RETURN(auto r, MustGetRole(ctx.principal.account, Str(in, "RoleName")));
  CK_RETURN_IF_ERROR(Authorize(ctx, "TagRole", r.arn));
  for (auto& [k, v] : ParseTags(in)) {
    auto it = std::find_if(r.tags.begin(), r.tags.end(), [&](const auto& t) { return t.first == k; });
    if (it != r.tags.end()) it->second = v;
    else r.tags.emplace_back(k, v);
  }
  if (r.tags.size() > 50) return AwsError("LimitExceeded", 409, "Cannot exceed quota for TagsPerRole: 50");
  CK_RETURN_IF_ERROR(ids_.PutRole(r, false));
  return json::object();
}

Result<json> IamService::UntagRole(const json& in, RequestContext& ctx) {
  CK_ASSIGN_OR_RETURN(auto r, MustGetRole(ctx.principal.account, Str(in, "RoleName")));
  CK_RETURN_IF_ERROR(Authorize(ctx, "UntagRole", r.arn));
  for (const auto& key : in.value("TagKeys", json::array()))
    std::erase_if(r.tags, [&](const auto& t) { return t.first == key.get<std::string>(); });
  CK_RETURN_IF_ERROR(ids_.PutRole(r, false));
  return json::object();
}

Result<json> IamService::ListRoleTags(const json& in, RequestContext& ctx) {
  CK_ASSIGN_OR_RETURN(auto r, MustGetRole(ctx.principal.account, Str(in, "RoleName")));
  CK_RETURN_IF_ERROR(Authorize(ctx, "ListRoleTags", r.arn));
  return json{{"Tags", TagsJson(r.tags)}, {"IsTruncated", false}};
}

// ---- inline policies ----

Result<json> IamService::PutInline(const json& in, RequestContext& ctx, bool role) {
  std::string doc = Str(in, "PolicyDocument"), policy = Str(in, "PolicyName");
  CK_RETURN_IF_ERROR(ValidateDocument(doc, false, false));
  if (role) {
    CK_ASSIGN_OR_RETURN(auto r, MustGetRole(ctx.principal.account, Str(in, "RoleName")));
    CK_RETURN_IF_ERROR(Authorize(ctx, "PutRolePolicy", r.arn));
    r.inline_policies[policy] = doc;
    CK_RETURN_IF_ERROR(ids_.PutRole(r, false));
  } else {
    CK_ASSIGN_OR_RETURN(auto u, MustGetUser(ctx.principal.account, Str(in, "UserName")));
    CK_RETURN_IF_ERROR(Authorize(ctx, "PutUserPolicy", u.arn));
    u.inline_policies[policy] = doc;
    CK_RETURN_IF_ERROR(ids_.PutUser(u, false));
  }
  return json::object();
}

Result<json> IamService::GetInline(const json& in, RequestContext& ctx, bool role) {
  std::string policy = Str(in, "PolicyName");
  std::map<std::string, std::string> policies;
  json out;
  if (role) {
    CK_ASSIGN_OR_RETURN(auto r, MustGetRole(ctx.principal.account, Str(in, "RoleName")));
    CK_RETURN_IF_ERROR(Authorize(ctx, "GetRolePolicy", r.arn));
    policies = r.inline_policies;
    out["RoleName"] = r.name;
  } else {
    CK_ASSIGN_OR_RETURN(auto u, MustGetUser(ctx.principal.account, Str(in, "UserName")));
    CK_RETURN_IF_ERROR(Authorize(ctx, "GetUserPolicy", u.arn));
    policies = u.inline_policies;
    out["UserName"] = u.name;
  }
  auto it = policies.find(policy);
  if (it == policies.end())
    return NoSuchEntity(std::string("The ") + (role ? "role" : "user") + " policy with name " + policy +
                        " cannot be found.");
  out["PolicyName"] = policy;
  out["PolicyDocument"] = EncodeDocument(it->second);
  return out;
}

Result<json> IamService::DeleteInline(const json& in, RequestContext& ctx, bool role) {
  std::string policy = Str(in, "PolicyName");
  auto missing = [&] {
    return NoSuchEntity(std::string("The ") + (role ? "role" : "user") + " policy with name " + policy +
                        " cannot be found.");
  };
  if (role) {
    CK_ASSIGN_OR_RETURN(auto r, MustGetRole(ctx.principal.account, Str(in, "RoleName")));
    CK_RETURN_IF_ERROR(Authorize(ctx, "DeleteRolePolicy", r.arn));
    if (!r.inline_policies.erase(policy)) return missing();
    CK_RETURN_IF_ERROR(ids_.PutRole(r, false));
  } else {
    CK_ASSIGN_OR_RETURN(auto u, MustGetUser(ctx.principal.account, Str(in, "UserName")));
    CK_RETURN_IF_ERROR(Authorize(ctx, "DeleteUserPolicy", u.arn));
    if (!u.inline_policies.erase(policy)) return missing();
    CK_RETURN_IF_ERROR(ids_.PutUser(u, false));
  }
  return json::object();
}

Result<json> IamService::ListInline(const json& in, RequestContext& ctx, bool role) {
  json names = json::array();
  if (role) {
    CK_ASSIGN_OR_RETURN(auto r, MustGetRole(ctx.principal.account, Str(in, "RoleName")));
    CK_RETURN_IF_ERROR(Authorize(ctx, "ListRolePolicies", r.arn));
    for (const auto& [n, d] : r.inline_policies) names.push_back(n);
  } else {
    CK_ASSIGN_OR_RETURN(auto u, MustGetUser(ctx.principal.account, Str(in, "UserName")));
    CK_RETURN_IF_ERROR(Authorize(ctx, "ListUserPolicies", u.arn));
    for (const auto& [n, d] : u.inline_policies) names.push_back(n);
  }
  return json{{"PolicyNames", names}, {"IsTruncated", false}};
}

// ---- managed policies ----

Result<json> IamService::LoadManagedPolicy(const std::string& arn) {
  if (const char* doc = PolicyAuthorizer::AwsManagedPolicy(arn)) {
    std::string name = arn.substr(arn.rfind('/') + 1);
    return json{{"arn", arn},         {"name", name},       {"path", "/"},
                {"id", "ANPA" + std::string(16, 'A')}, {"default_version", "v1"},
                {"document", doc},    {"versions", {{{"id", "v1"}, {"document", doc}, {"created", 0.0}}}},
                {"created", 0.0},     {"attachments", 0},   {"aws", true}};
  }
  CK_ASSIGN_OR_RETURN(auto record, ids_.GetRecord(kPolicies, arn));
  if (!record) return NoSuchEntity("Policy " + arn + " does not exist or is not attachable.");
  return std::move(*record);
}

namespace {
json PolicyJson(const json& p) {
  return {{"PolicyName", p.value("name", "")},
          {"PolicyId", p.value("id", "")},
          {"Arn", p.value("arn", "")},
          {"Path", p.value("path", "/")},
          {"DefaultVersionId", p.value("default_version", "v1")},
          {"AttachmentCount", p.value("attachments", 0)},
          {"PermissionsBoundaryUsageCount", 0},
          {"IsAttachable", true},
          {"Description", p.value("description", "")},
          {"CreateDate", p.value("created", 0.0)},
          {"UpdateDate", p.value("updated", p.value("created", 0.0))}};
}
}  // namespace

Result<json> IamService::CreatePolicy(const json& in, RequestContext& ctx) {
  std::string name = Str(in, "PolicyName"), path = Str(in, "Path", "/");
  std::string arn = "arn:aws:iam::" + ctx.principal.account + ":policy" + path + name;
  CK_RETURN_IF_ERROR(Authorize(ctx, "CreatePolicy", arn));
  std::string doc = Str(in, "PolicyDocument");
  CK_RETURN_IF_ERROR(ValidateDocument(doc, false, true));
  double now = Epoch(clock_.Now());
  json p = {{"arn", arn},
            {"name", name},
            {"path", path},
            {"id", NewIamId("ANPA")},
            {"default_version", "v1"},
            {"document", doc},
            {"description", Str(in, "Description")},
            {"versions", {{{"id", "v1"}, {"document", doc}, {"created", now}}}},
            {"next_version", 2},
            {"created", now},
            {"updated", now},
            {"attachments", 0}};
  Status s = ids_.PutRecord(kPolicies, arn, p, true);
  if (s.code() == Code::kAlreadyExists)
    return AlreadyExistsError("A policy called " + name + " already exists. Duplicate names are not allowed.");
  CK_RETURN_IF_ERROR(s);
  return json{{"Policy", PolicyJson(p)}};
}

Result<json> IamService::GetPolicy(const json& in, RequestContext& ctx) {
  std::string arn = Str(in, "PolicyArn");
  CK_RETURN_IF_ERROR(Authorize(ctx, "GetPolicy", arn));
  CK_ASSIGN_OR_RETURN(auto p, LoadManagedPolicy(arn));
  return json{{"Policy", PolicyJson(p)}};
}

Result<json> IamService::GetPolicyVersion(const json& in, RequestContext& ctx) {
  std::string arn = Str(in, "PolicyArn"), version = Str(in, "VersionId");
  CK_RETURN_IF_ERROR(Authorize(ctx, "GetPolicyVersion", arn));
  CK_ASSIGN_OR_RETURN(auto p, LoadManagedPolicy(arn));
  for (const auto& v : p["versions"]) {
    if (v.value("id", "") == version) {
      return json{{"PolicyVersion",
                   {{"Document", EncodeDocument(v.value("document", ""))},
                    {"VersionId", version},
                    {"IsDefaultVersion", version == p.value("default_version", "")},
                    {"CreateDate", v.value("created", 0.0)}}}};
    }
  }
  return NoSuchEntity("Policy " + arn + " version " + version + " does not exist or is not attachable.");
}

Result<json> IamService::CreatePolicyVersion(const json& in, RequestContext& ctx) {
  std::string arn = Str(in, "PolicyArn");
  CK_RETURN_IF_ERROR(Authorize(ctx, "CreatePolicyVersion", arn));
  if (PolicyAuthorizer::AwsManagedPolicy(arn) || AccountOfArn(arn) != ctx.principal.account)
    return NoSuchEntity("Policy " + arn + " does not exist or is not attachable.");
  CK_ASSIGN_OR_RETURN(auto p, LoadManagedPolicy(arn));
  std::string doc = Str(in, "PolicyDocument");
  CK_RETURN_IF_ERROR(ValidateDocument(doc, false, true));
  if (p["versions"].size() >= 5)
    return AwsError("LimitExceeded", 409,
                    "A managed policy can have up to 5 versions. Before you create a new version, you must delete an "
                    "existing version.");
  int n = p.value("next_version", 2);
  std::string id = "v" + std::to_string(n);
  double now = Epoch(clock_.Now());
  p["versions"].push_back({{"id", id}, {"document", doc}, {"created", now}});
  p["next_version"] = n + 1;
  p["updated"] = now;
  bool make_default = in.value("SetAsDefault", false);
  if (make_default) {
    p["default_version"] = id;
    p["document"] = doc;
  }
  CK_RETURN_IF_ERROR(ids_.PutRecord(kPolicies, arn, p, false));
  return json{{"PolicyVersion", {{"VersionId", id}, {"IsDefaultVersion", make_default}, {"CreateDate", now}}}};
}

Result<json> IamService::DeletePolicy(const json& in, RequestContext& ctx) {
  std::string arn = Str(in, "PolicyArn");
  CK_RETURN_IF_ERROR(Authorize(ctx, "DeletePolicy", arn));
  if (PolicyAuthorizer::AwsManagedPolicy(arn) || AccountOfArn(arn) != ctx.principal.account)
    return NoSuchEntity("Policy " + arn + " does not exist or is not attachable.");
  CK_ASSIGN_OR_RETURN(auto p, LoadManagedPolicy(arn));
  if (p.value("attachments", 0) > 0) return DeleteConflict("Cannot delete a policy attached to entities.");
  CK_RETURN_IF_ERROR(ids_.DeleteRecord(kPolicies, arn));
  return json::object();
}

Result<json> IamService::ListPolicies(const json& in, RequestContext& ctx) {
  CK_RETURN_IF_ERROR(Authorize(ctx, "ListPolicies", "arn:aws:iam::" + ctx.principal.account + ":policy/"));
  std::string scope = Str(in, "Scope", "All");
  bool only_attached = in.value("OnlyAttached", false);
  json out = json::array();
  if (scope != "Local") {
    for (const char* arn : {"arn:aws:iam::aws:policy/AdministratorAccess", "arn:aws:iam::aws:policy/ReadOnlyAccess",
                            "arn:aws:iam::aws:policy/AmazonS3FullAccess",
                            "arn:aws:iam::aws:policy/AWSKeyManagementServicePowerUser"}) {
      auto p = LoadManagedPolicy(arn);
      if (p.ok() && !only_attached) out.push_back(PolicyJson(*p));
    }
  }
  if (scope != "AWS") {
    CK_ASSIGN_OR_RETURN(auto all, ids_.ScanRecords(kPolicies, "arn:aws:iam::" + ctx.principal.account + ":"));
    for (const auto& p : all)
      if (!only_attached || p.value("attachments", 0) > 0) out.push_back(PolicyJson(p));
  }
  return json{{"Policies", out}, {"IsTruncated", false}};
}

Result<json> IamService::Attach(const json& in, RequestContext& ctx, bool role, bool attach) {
  std::string arn = Str(in, "PolicyArn");
  CK_ASSIGN_OR_RETURN(auto p, LoadManagedPolicy(arn));
  bool aws_managed = p.value("aws", false);
  std::vector<std::string>* attached = nullptr;
  IamRole r;
  IamUser u;
  const char* action = role ? (attach ? "AttachRolePolicy" : "DetachRolePolicy")
                            : (attach ? "AttachUserPolicy" : "DetachUserPolicy");
  if (role) {
    CK_ASSIGN_OR_RETURN(r, MustGetRole(ctx.principal.account, Str(in, "RoleName")));
    CK_RETURN_IF_ERROR(Authorize(ctx, action, r.arn));
    attached = &r.attached_policies;
  } else {
    CK_ASSIGN_OR_RETURN(u, MustGetUser(ctx.principal.account, Str(in, "UserName")));
    CK_RETURN_IF_ERROR(Authorize(ctx, action, u.arn));
    attached = &u.attached_policies;
  }
  auto it = std::find(attached->begin(), attached->end(), arn);
  int delta = 0;
  if (attach && it == attached->end()) {
    attached->push_back(arn);
    delta = 1;
  } else if (!attach) {
    if (it == attached->end()) return NoSuchEntity("Policy " + arn + " was not found.");
    attached->erase(it);
    delta = -1;
  }
  if (role) CK_RETURN_IF_ERROR(ids_.PutRole(r, false));
  else CK_RETURN_IF_ERROR(ids_.PutUser(u, false));
  if (delta && !aws_managed) {
    p["attachments"] = p.value("attachments", 0) + delta;
    CK_RETURN_IF_ERROR(ids_.PutRecord(kPolicies, arn, p, false));
  }
  return json::object();
}

Result<json> IamService::ListAttached(const json& in, RequestContext& ctx, bool role) {
  std::vector<std::string> attached;
  if (role) {
    CK_ASSIGN_OR_RETURN(auto r, MustGetRole(ctx.principal.account, Str(in, "RoleName")));
    CK_RETURN_IF_ERROR(Authorize(ctx, "ListAttachedRolePolicies", r.arn));
    attached = r.attached_policies;
  } else {
    CK_ASSIGN_OR_RETURN(auto u, MustGetUser(ctx.principal.account, Str(in, "UserName")));
    CK_RETURN_IF_ERROR(Authorize(ctx, "ListAttachedUserPolicies", u.arn));
    attached = u.attached_policies;
  }
  json out = json::array();
  for (const auto& arn : attached) out.push_back({{"PolicyName", arn.substr(arn.rfind('/') + 1)}, {"PolicyArn", arn}});
  return json{{"AttachedPolicies", out}, {"IsTruncated", false}};
}

}  // namespace ck::services
