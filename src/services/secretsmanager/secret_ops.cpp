// Secrets Manager listing, stages, tags, resource policies, random passwords
// and BatchGetSecretValue.
#include <algorithm>

#include "base/codec.h"
#include "core/iam/policy_document.h"
#include "crypto/hash.h"
#include "services/secretsmanager/secretsmanager_service.h"
#include "storage/key_codec.h"

namespace ck::services {

using nlohmann::json;

namespace {

std::string Str(const json& in, const char* key, const std::string& fallback = "") {
  auto it = in.find(key);
  return it != in.end() && it->is_string() ? it->get<std::string>() : fallback;
}

Status InvalidParameter(const std::string& m) { return AwsError("InvalidParameterException", 400, m); }

// ListSecrets filter semantics: prefix match; a leading "!" negates.
bool MatchesFilter(const sm::Secret& s, const json& filter) {
  std::string key = Str(filter, "Key");
  for (const auto& vj : filter.value("Values", json::array())) {
    std::string v = vj.get<std::string>();
    bool negate = StartsWith(v, "!");
    if (negate) v = v.substr(1);
    auto pre = [&](const std::string& x) { return StartsWith(ToLower(x), ToLower(v)); };
    bool hit = false;
    if (key == "name" || key == "all") hit = hit || pre(s.name);
    if (key == "description" || key == "all") hit = hit || pre(s.description);
    for (const auto& t : s.tags) {
      if (key == "tag-key" || key == "all") hit = hit || StartsWith(Str(t, "Key"), v);
      if (key == "tag-value" || key == "all") hit = hit || StartsWith(Str(t, "Value"), v);
    }
    if (key == "primary-region") hit = hit || s.region == v;
    if (negate ? !hit : hit) return true;
  }
  return false;
}

std::string RandomPassword(const json& in, Status* error) {
  long long length = in.value("PasswordLength", 32LL);
  std::string exclude = Str(in, "ExcludeCharacters");
  bool no_num = in.value("ExcludeNumbers", false), no_punct = in.value("ExcludePunctuation", false),
       no_upper = in.value("ExcludeUppercase", false), no_lower = in.value("ExcludeLowercase", false),
       space = in.value("IncludeSpace", false), each = in.value("RequireEachIncludedType", true);
  std::vector<std::string> classes;
  auto filtered = [&](std::string chars) {
    chars.erase(std::remove_if(chars.begin(), chars.end(), [&](char c) { return exclude.find(c) != std::string::npos; }),
                chars.end());
    return chars;
  };
  if (!no_lower) classes.push_back(filtered("abcdefghijklmnopqrstuvwxyz"));
  if (!no_upper) classes.push_back(filtered("ABCDEFGHIJKLMNOPQRSTUVWXYZ"));
  if (!no_num) classes.push_back(filtered("0123456789"));
  if (!no_punct) classes.push_back(filtered("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"));
  if (space) classes.push_back(filtered(" "));
  classes.erase(std::remove_if(classes.begin(), classes.end(), [](const std::string& c) { return c.empty(); }),
                classes.end());
  std::string all;
  for (const auto& c : classes) all += c;
  if (all.empty() || (each && static_cast<long long>(classes.size()) > length)) {
    *error = InvalidParameter("The password length is too short to include each of the required character types.");
    return "";
  }
  auto pick = [](const std::string& set) {
    std::string r = crypto::RandomBytes(4);
    uint32_t x = (uint32_t(uint8_t(r[0])) << 24) | (uint32_t(uint8_t(r[1])) << 16) | (uint32_t(uint8_t(r[2])) << 8) |
                 uint8_t(r[3]);
    return set[x % set.size()];
  };
  std::string out;
  if (each)
    for (const auto& c : classes) out.push_back(pick(c));
  while (static_cast<long long>(out.size()) < length) out.push_back(pick(all));
  // Shuffle so the required characters are not always first.
  for (size_t i = out.size(); i > 1; --i) {
    std::string r = crypto::RandomBytes(2);
    size_t j = ((uint8_t(r[0]) << 8) | uint8_t(r[1])) % i;
    std::swap(out[i - 1], out[j]);
  }
  return out;
}

}  // namespace

Result<json> SecretsManagerService::ListSecrets(const json& in, RequestContext& ctx) {
  CK_RETURN_IF_ERROR(Authorize(ctx, "ListSecrets", ctx.principal.account, "*", ""));
  size_t max = static_cast<size_t>(in.value("MaxResults", 100LL));
  bool include_deleted = in.value("IncludePlannedDeletion", false);
  bool desc = Str(in, "SortOrder", "asc") == "desc";
  const json filters = in.value("Filters", json::array());
  std::string prefix;
  storage::AppendKeyPart(&prefix, ctx.principal.account);
  storage::AppendKeyPart(&prefix, ctx.region);
  storage::ScanOptions opt{.prefix = prefix, .limit = 200, .reverse = desc};
  if (std::string token = Str(in, "NextToken"); !token.empty()) {
    auto decoded = Base64Decode(token);
    if (!decoded) return InvalidParameter("Invalid NextToken.");
    opt.start_after = sm::RecordKey(ctx.principal.account, ctx.region, *decoded);
  }
  json list = json::array();
  std::string last_name;
  bool more = false;
  double now = Now();
  while (!more) {
    CK_ASSIGN_OR_RETURN(auto recs, store_.Scan(sm::kSecrets, opt));
    for (const auto& r : recs) {
      sm::Secret s = sm::Secret::FromJson(json::parse(r.value));
      if (s.deleted > 0 && (!include_deleted || s.deletion_date <= now)) continue;
      bool ok = true;
      for (const auto& f : filters) ok = ok && MatchesFilter(s, f);
      if (!ok) continue;
      if (list.size() == max) {
        more = true;
        break;
      }
      json e = DescribeOutput(s);
      e.erase("VersionIdsToStages");
      e["SecretVersionsToStages"] = s.VersionIdsToStages();
      list.push_back(std::move(e));
      last_name = s.name;
    }
    if (recs.size() < opt.limit) break;
    opt.start_after = recs.back().key;
  }
  json out = {{"SecretList", list}};
  if (more) out["NextToken"] = Base64Encode(last_name);
  return out;
}

Result<json> SecretsManagerService::ListSecretVersionIds(const json& in, RequestContext& ctx) {
  CK_ASSIGN_OR_RETURN(Located loc, LoadAuthorized(Str(in, "SecretId"), ctx, "ListSecretVersionIds", true));
  const sm::Secret& s = *loc.secret;
  bool deprecated = in.value("IncludeDeprecated", false);
  std::vector<const sm::SecretVersion*> vs;
  for (const auto& [id, v] : s.versions)
    if (deprecated || !v.stages.empty()) vs.push_back(&v);
  std::sort(vs.begin(), vs.end(), [](auto* a, auto* b) { return a->seq > b->seq; });
  size_t max = static_cast<size_t>(in.value("MaxResults", 100LL));
  size_t start = 0;
  if (std::string token = Str(in, "NextToken"); !token.empty()) start = std::strtoull(token.c_str(), nullptr, 10);
  json versions = json::array();
  for (size_t i = start; i < vs.size() && versions.size() < max; ++i) {
    json v = {{"VersionId", vs[i]->id}, {"CreatedDate", vs[i]->created}, {"KmsKeyIds", {vs[i]->key_arn}}};
    if (!vs[i]->stages.empty()) v["VersionStages"] = vs[i]->stages;
    versions.push_back(std::move(v));
  }
  json out = {{"ARN", s.arn}, {"Name", s.name}, {"Versions", versions}};
  if (start + versions.size() < vs.size()) out["NextToken"] = std::to_string(start + versions.size());
  return out;
}

Result<json> SecretsManagerService::UpdateSecretVersionStage(const json& in, RequestContext& ctx) {
  std::string stage = Str(in, "VersionStage"), from = Str(in, "RemoveFromVersionId"), to = Str(in, "MoveToVersionId");
  return Mutate(Str(in, "SecretId"), ctx, "UpdateSecretVersionStage", [&](sm::Secret& s) -> Result<json> {
    for (const auto& id : {from, to})
      if (!id.empty() && !s.versions.count(id))
        return InvalidParameter("The version " + id + " doesn't exist for the secret " + s.name + ".");
    sm::SecretVersion* holder = s.WithStage(stage);
    if (holder && !to.empty() && holder->id != to && holder->id != from)
      return InvalidParameter("The parameter RemoveFromVersionId doesn't match. Staging label " + stage +
                              " is currently attached to version " + holder->id +
                              ", so you must explicitly reference that version in RemoveFromVersionId.");
    if (!from.empty() && (!holder || holder->id != from))
      return InvalidParameter("The parameter RemoveFromVersionId doesn't match. Staging label " + stage +
                              " isn't attached to version " + from + ".");
    if (stage == "AWSCURRENT" && !to.empty() && holder && holder->id != to) {
      // Moving AWSCURRENT makes the old current AWSPREVIOUS (AWS does this automatically).
      std::string old = holder->id;
      s.MoveStage("AWSCURRENT", old, to);
      s.MoveStage("AWSPREVIOUS", "", old);
    } else {
      s.MoveStage(stage, from, to);
    }
    s.last_changed = Now();
    return json{{"ARN", s.arn}, {"Name", s.name}};
  });
}

Result<json> SecretsManagerService::TagResource(const json& in, RequestContext& ctx, bool tag) {
  return Mutate(Str(in, "SecretId"), ctx, tag ? "TagResource" : "UntagResource", [&](sm::Secret& s) -> Result<json> {
    json kept = json::array();
    std::vector<std::string> drop;
    if (tag)
      for (const auto& t : in.value("Tags", json::array())) drop.push_back(Str(t, "Key"));
    else
      drop = in.value("TagKeys", std::vector<std::string>{});
    for (const auto& t : s.tags)
      if (std::find(drop.begin(), drop.end(), Str(t, "Key")) == drop.end()) kept.push_back(t);
    if (tag)
      for (const auto& t : in.value("Tags", json::array())) kept.push_back(t);
    if (kept.size() > 50) return AwsError("ValidationException", 400, "Number of tags exceeds the limit of 50.");
    s.tags = kept;
    return json::object();
  });
}

Result<json> SecretsManagerService::PutResourcePolicy(const json& in, RequestContext& ctx) {
  std::string policy = Str(in, "ResourcePolicy");
  auto parsed = core::iam::ParsePolicy(policy, core::iam::PolicyKind::kResource, {});
  if (!parsed.ok()) return AwsError("MalformedPolicyDocumentException", 400, parsed.status().message());
  return Mutate(Str(in, "SecretId"), ctx, "PutResourcePolicy", [&](sm::Secret& s) -> Result<json> {
    s.policy = policy;
    return json{{"ARN", s.arn}, {"Name", s.name}};
  });
}

Result<json> SecretsManagerService::GetResourcePolicy(const json& in, RequestContext& ctx) {
  CK_ASSIGN_OR_RETURN(Located loc, LoadAuthorized(Str(in, "SecretId"), ctx, "GetResourcePolicy", true));
  json out = {{"ARN", loc.secret->arn}, {"Name", loc.secret->name}};
  if (!loc.secret->policy.empty()) out["ResourcePolicy"] = loc.secret->policy;
  return out;
}

Result<json> SecretsManagerService::DeleteResourcePolicy(const json& in, RequestContext& ctx) {
  return Mutate(Str(in, "SecretId"), ctx, "DeleteResourcePolicy", [&](sm::Secret& s) -> Result<json> {
    s.policy.clear();
    return json{{"ARN", s.arn}, {"Name", s.name}};
  });
}

Result<json> SecretsManagerService::ValidateResourcePolicy(const json& in, RequestContext& ctx) {
  if (in.contains("SecretId")) {
    CK_RETURN_IF_ERROR(LoadAuthorized(Str(in, "SecretId"), ctx, "ValidateResourcePolicy", true).status());
  } else {
    CK_RETURN_IF_ERROR(Authorize(ctx, "ValidateResourcePolicy", ctx.principal.account, "*", ""));
  }
  auto parsed = core::iam::ParsePolicy(Str(in, "ResourcePolicy"), core::iam::PolicyKind::kResource, {});
  if (parsed.ok()) return json{{"PolicyValidationPassed", true}, {"ValidationErrors", json::array()}};
  return json{{"PolicyValidationPassed", false},
              {"ValidationErrors",
               json::array({{{"CheckName", "POLICY_SYNTAX"}, {"ErrorMessage", parsed.status().message()}}})}};
}

Result<json> SecretsManagerService::GetRandomPassword(const json& in, RequestContext& ctx) {
  CK_RETURN_IF_ERROR(Authorize(ctx, "GetRandomPassword", ctx.principal.account, "*", ""));
  Status error;
  std::string pw = RandomPassword(in, &error);
  if (!error.ok()) return error;
  return json{{"RandomPassword", pw}};
}

Result<json> SecretsManagerService::BatchGetSecretValue(const json& in, RequestContext& ctx) {
  bool by_ids = in.contains("SecretIdList");
  if (by_ids == in.contains("Filters"))
    return InvalidParameter("Either 'SecretIdList' or 'Filters' must be provided, but not both.");
  if (by_ids && in.contains("MaxResults"))
    return InvalidParameter("'Filters' not specified. 'Filters' must also be specified when 'MaxResults' is provided.");
  CK_RETURN_IF_ERROR(Authorize(ctx, "BatchGetSecretValue", ctx.principal.account, "*", ""));
  std::vector<std::string> ids;
  json out = json::object();
  if (by_ids) {
    ids = in["SecretIdList"].get<std::vector<std::string>>();
  } else {
    json list_in = {{"Filters", in["Filters"]}, {"MaxResults", in.value("MaxResults", 20LL)}};
    if (in.contains("NextToken")) list_in["NextToken"] = in["NextToken"];
    CK_ASSIGN_OR_RETURN(json listed, ListSecrets(list_in, ctx));
    for (const auto& e : listed["SecretList"]) ids.push_back(e["ARN"].get<std::string>());
    if (listed.contains("NextToken")) out["NextToken"] = listed["NextToken"];
  }
  json values = json::array(), errors = json::array();
  for (const auto& id : ids) {
    auto v = GetSecretValue(json{{"SecretId", id}}, ctx);
    if (v.ok()) {
      values.push_back(*v);
    } else {
      errors.push_back({{"SecretId", id}, {"ErrorCode", v.status().aws_code()}, {"Message", v.status().message()}});
    }
  }
  out["SecretValues"] = values;
  out["Errors"] = errors;
  return out;
}

}  // namespace ck::services
