// KMS access control surface: aliases, key policies and grants.
#include "base/codec.h"
#include "core/arn.h"
#include "crypto/hash.h"
#include "services/kms/kms_service.h"

namespace ck::services {

using nlohmann::json;
using namespace kmsimpl;

namespace {

std::string Str(const json& in, const char* member) { return in.contains(member) ? in[member].get<std::string>() : ""; }

std::string AliasArn(const KmsCaller& c, const std::string& name) {
  return "arn:aws:kms:" + c.region + ":" + c.principal.account + ":" + name;
}

// AWS-SEMANTICS §1.1. The reserved-prefix error code is UNVERIFIED; we use
// InvalidAliasNameException, the model's error for an unacceptable alias name.
Status ValidateAliasName(const std::string& name, bool allow_reserved) {
  if (!name.starts_with("alias/"))
    return AwsError("ValidationException", 400,
                    "Alias must start with the prefix \"alias/\". Please see "
                    "https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html");
  if (name.size() == 6 || name.size() > 256)
    return AwsError("ValidationException", 400, "Alias name must be between 1 and 256 characters after alias/.");
  for (char ch : name)
    if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '/' || ch == '_' || ch == '-'))
      return AwsError("ValidationException", 400, "Alias name contains an invalid character: " + name);
  if (!allow_reserved && name.starts_with("alias/aws/"))
    return AwsError("InvalidAliasNameException", 400,
                    "Alias names cannot begin with alias/aws/. That prefix is reserved for AWS managed keys.");
  return Status::Ok();
}

json Page(json items, size_t start, size_t limit, const char* member) {
  json out = json::object();
  json page = json::array();
  for (size_t i = start; i < items.size() && page.size() < limit; ++i) page.push_back(items[i]);
  bool truncated = start + page.size() < items.size();
  out[member] = page;
  out["Truncated"] = truncated;
  if (truncated) out["NextMarker"] = std::to_string(start + page.size());
  return out;
}

size_t LimitOf(const json& in, size_t dflt) { return in.contains("Limit") ? in["Limit"].get<size_t>() : dflt; }

bool PrincipalIs(const Principal& p, const std::string& who) {
  return who == p.arn || (!p.role_arn.empty() && who == p.role_arn) || who == "arn:aws:iam::" + p.account + ":root" ||
         (!p.service.empty() && who == p.service);
}

}  // namespace

Result<json> KmsService::OpCreateAlias(const json& in, Ctx& c) {
  std::string name = Str(in, "AliasName");
  CK_RETURN_IF_ERROR(ValidateAliasName(name, false));
  CK_RETURN_IF_ERROR(AuthorizeIdentity(c, "CreateAlias", AliasArn(c.caller, name)));
  CK_ASSIGN_OR_RETURN(auto res, ResolveFor(c, Str(in, "TargetKeyId"), core::kms::RefForms::kKeyOnly, false));
  CK_RETURN_IF_ERROR(Authorize(c, *res.key, "CreateAlias"));
  CK_RETURN_IF_ERROR(RequireNotPendingDeletion(*res.key));
  core::kms::AliasRecord a{c.caller.principal.account, c.caller.region, name, res.key->id, c.now, c.now};
  CK_RETURN_IF_ERROR(keys_.PutAlias(a, true));
  return json::object();
}

Result<json> KmsService::OpUpdateAlias(const json& in, Ctx& c) {
  std::string name = Str(in, "AliasName");
  CK_RETURN_IF_ERROR(ValidateAliasName(name, false));
  auto existing = keys_.GetAlias(c.caller.principal.account, c.caller.region, name);
  if (!existing) return AwsError("NotFoundException", 400, "Alias " + AliasArn(c.caller, name) + " is not found.");
  CK_RETURN_IF_ERROR(AuthorizeIdentity(c, "UpdateAlias", existing->arn()));
  CK_ASSIGN_OR_RETURN(auto res, ResolveFor(c, Str(in, "TargetKeyId"), core::kms::RefForms::kKeyOnly, false));
  CK_RETURN_IF_ERROR(Authorize(c, *res.key, "UpdateAlias"));
  CK_RETURN_IF_ERROR(RequireNotPendingDeletion(*res.key));
  if (auto old = keys_.FindKey(existing->account, existing->region, existing->target_key_id)) {
    c.extra_key = old;
    CK_RETURN_IF_ERROR(Authorize(c, *old, "UpdateAlias"));
    // INFERRED wording: AWS requires the same key type and usage for the new target.
    if (old->spec != res.key->spec && (old->symmetric() || res.key->symmetric()))
      return AwsError("ValidationException", 400, "The new target key must have the same key type as the current one.");
    if (old->usage != res.key->usage)
      return AwsError("ValidationException", 400, "The new target key must have the same key usage as the current one.");
  }
  core::kms::AliasRecord a = *existing;
  a.target_key_id = res.key->id;
  a.updated = c.now;
  CK_RETURN_IF_ERROR(keys_.PutAlias(a, false));
  return json::object();
}

Result<json> KmsService::OpDeleteAlias(const json& in, Ctx& c) {
  std::string name = Str(in, "AliasName");
  CK_RETURN_IF_ERROR(ValidateAliasName(name, false));
  auto existing = keys_.GetAlias(c.caller.principal.account, c.caller.region, name);
  if (!existing) return AwsError("NotFoundException", 400, "Alias " + AliasArn(c.caller, name) + " is not found.");
  CK_RETURN_IF_ERROR(AuthorizeIdentity(c, "DeleteAlias", existing->arn()));
  if (auto key = keys_.FindKey(existing->account, existing->region, existing->target_key_id)) {
    c.key = key;
    CK_RETURN_IF_ERROR(Authorize(c, *key, "DeleteAlias"));
  }
  CK_RETURN_IF_ERROR(keys_.DeleteAlias(existing->account, existing->region, name));
  return json::object();
}

Result<json> KmsService::OpListAliases(const json& in, Ctx& c) {
  CK_RETURN_IF_ERROR(AuthorizeIdentity(c, "ListAliases", "*"));
  std::string filter;
  if (in.contains("KeyId")) {
    CK_ASSIGN_OR_RETURN(auto res, ResolveFor(c, Str(in, "KeyId"), core::kms::RefForms::kKeyOnly, false));
    filter = res.key->id;
  }
  CK_ASSIGN_OR_RETURN(size_t start, MarkerStart(in));
  json items = json::array();
  for (const auto& a : keys_.ListAliases(c.caller.principal.account, c.caller.region)) {
    if (!filter.empty() && a.target_key_id != filter) continue;
    items.push_back({{"AliasName", a.name},
                     {"AliasArn", a.arn()},
                     {"TargetKeyId", a.target_key_id},
                     {"CreationDate", ToEpochSeconds(a.created)},
                     {"LastUpdatedDate", ToEpochSeconds(a.updated)}});
  }
  return Page(std::move(items), start, LimitOf(in, 50), "Aliases");
}

namespace {

// INFERRED: KMS keys have exactly one policy, "default".
Status RequireDefaultPolicyName(const json& in) {
  if (in.contains("PolicyName") && in["PolicyName"].get<std::string>() != "default")
    return AwsError("NotFoundException", 400, "No such policy exists");
  return Status::Ok();
}

}  // namespace

Result<json> KmsService::OpGetKeyPolicy(const json& in, Ctx& c) {
  CK_ASSIGN_OR_RETURN(auto res, ResolveFor(c, Str(in, "KeyId"), core::kms::RefForms::kKeyOnly, false));
  CK_RETURN_IF_ERROR(Authorize(c, *res.key, "GetKeyPolicy"));
  CK_RETURN_IF_ERROR(RequireDefaultPolicyName(in));
  return json{{"Policy", res.key->policy}, {"PolicyName", "default"}};
}

Result<json> KmsService::OpPutKeyPolicy(const json& in, Ctx& c) {
  CK_ASSIGN_OR_RETURN(auto res, ResolveFor(c, Str(in, "KeyId"), core::kms::RefForms::kKeyOnly, false));
  CK_RETURN_IF_ERROR(Authorize(c, *res.key, "PutKeyPolicy"));
  CK_RETURN_IF_ERROR(RequireDefaultPolicyName(in));
  std::string policy = Str(in, "Policy");
  auto parsed = authorizer_.Parse(policy, core::iam::PolicyKind::kKeyPolicy);
  if (!parsed.ok()) return AwsError("MalformedPolicyDocumentException", 400, parsed.status().message());
  if (!in.value("BypassPolicyLockoutSafetyCheck", false))
    CK_RETURN_IF_ERROR(CheckLockout(c, res.key->arn, res.key->account, **parsed));
  CK_ASSIGN_OR_RETURN(auto updated, keys_.Update(res.key->account, res.key->region, res.key->id,
                                                 [&](core::kms::KeyRecord& k) {
                                                   k.policy = policy;
                                                   return Status::Ok();
                                                 }));
  c.key = updated;
  return json::object();
}

Result<json> KmsService::OpListKeyPolicies(const json& in, Ctx& c) {
  CK_ASSIGN_OR_RETURN(auto res, ResolveFor(c, Str(in, "KeyId"), core::kms::RefForms::kKeyOnly, false));
  CK_RETURN_IF_ERROR(Authorize(c, *res.key, "ListKeyPolicies"));
  return json{{"PolicyNames", {"default"}}, {"Truncated", false}};
}

Result<json> KmsService::OpCreateGrant(const json& in, Ctx& c) {
  CK_ASSIGN_OR_RETURN(auto res, ResolveFor(c, Str(in, "KeyId"), core::kms::RefForms::kKeyOnly, true));
  core::kms::Grant g;
  g.grantee = Str(in, "GranteePrincipal");
  g.retiring = Str(in, "RetiringPrincipal");
  g.name = Str(in, "Name");
  g.operations = in.value("Operations", std::vector<std::string>{});
  if (in.contains("Constraints")) {
    const json& con = in["Constraints"];
    if (con.contains("EncryptionContextEquals"))
      g.constraints.context_equals = con["EncryptionContextEquals"].get<std::map<std::string, std::string>>();
    if (con.contains("EncryptionContextSubset"))
      g.constraints.context_subset = con["EncryptionContextSubset"].get<std::map<std::string, std::string>>();
  }
  core::iam::ContextKeys extra;
  extra["kms:GrantOperations"] = g.operations;
  extra["kms:GranteePrincipal"] = {g.grantee};
  if (!g.retiring.empty()) extra["kms:RetiringPrincipal"] = {g.retiring};
  extra["kms:GrantIsForAWSResource"] = {c.caller.via_service.empty() ? "false" : "true"};
  if (g.constraints.context_equals) extra["kms:GrantConstraintType"].push_back("EncryptionContextEquals");
  if (g.constraints.context_subset) extra["kms:GrantConstraintType"].push_back("EncryptionContextSubset");
  CK_RETURN_IF_ERROR(Authorize(c, *res.key, "CreateGrant", nullptr, "", std::move(extra)));
  if (in.value("DryRun", false)) return DryRun();
  CK_RETURN_IF_ERROR(RequireNotPendingDeletion(*res.key));
  if (!core::Arn::IsArn(g.grantee) && g.grantee.find(".amazonaws.com") == std::string::npos)
    return AwsError("ValidationException", 400, "Invalid GranteePrincipal " + g.grantee);

  g.issuing_account = "arn:aws:iam::" + c.caller.principal.account + ":root";
  g.created = c.now;
  std::string grant_id, token;
  CK_ASSIGN_OR_RETURN(auto updated, keys_.Update(res.key->account, res.key->region, res.key->id,
                                                 [&](core::kms::KeyRecord& k) {
                                                   // Retrying with the same Name and parameters returns the same grant.
                                                   for (const auto& e : k.grants) {
                                                     if (!g.name.empty() && e.name == g.name && e.grantee == g.grantee &&
                                                         e.operations == g.operations && e.retiring == g.retiring) {
                                                       grant_id = e.grant_id;
                                                       token = e.token;
                                                       return Status::Ok();
                                                     }
                                                   }
                                                   g.grant_id = HexEncode(crypto::RandomBytes(32));
                                                   g.token = Base64Encode("ckgrant1\n" + k.arn + "\n" + g.grant_id +
                                                                          "\n" + crypto::RandomBytes(16));
                                                   grant_id = g.grant_id;
                                                   token = g.token;
                                                   k.grants.push_back(g);
                                                   return Status::Ok();
                                                 }));
  c.key = updated;
  c.response = {{"grantId", grant_id}};
  return json{{"GrantToken", token}, {"GrantId", grant_id}};
}

Result<json> KmsService::OpListGrants(const json& in, Ctx& c) {
  CK_ASSIGN_OR_RETURN(auto res, ResolveFor(c, Str(in, "KeyId"), core::kms::RefForms::kKeyOnly, true));
  CK_RETURN_IF_ERROR(Authorize(c, *res.key, "ListGrants"));
  std::string id = Str(in, "GrantId"), grantee = Str(in, "GranteePrincipal");
  CK_ASSIGN_OR_RETURN(size_t start, MarkerStart(in));
  json items = json::array();
  for (const auto& g : res.key->grants) {
    if (!id.empty() && g.grant_id != id) continue;
    if (!grantee.empty() && g.grantee != grantee) continue;
    items.push_back(core::kms::GrantJson(*res.key, g));
  }
  return Page(std::move(items), start, LimitOf(in, 50), "Grants");
}

Result<json> KmsService::OpListRetirableGrants(const json& in, Ctx& c) {
  CK_RETURN_IF_ERROR(AuthorizeIdentity(c, "ListRetirableGrants", "*"));
  std::string retiring = Str(in, "RetiringPrincipal");
  CK_ASSIGN_OR_RETURN(size_t start, MarkerStart(in));
  json items = json::array();
  auto keys = keys_.AllKeys(c.caller.region);
  std::sort(keys.begin(), keys.end(), [](const KeyPtr& a, const KeyPtr& b) { return a->arn < b->arn; });
  for (const auto& k : keys)
    for (const auto& g : k->grants)
      if (g.retiring == retiring) items.push_back(core::kms::GrantJson(*k, g));
  return Page(std::move(items), start, LimitOf(in, 50), "Grants");
}

Result<json> KmsService::OpRetireGrant(const json& in, Ctx& c) {
  std::string key_arn, grant_id;
  if (in.contains("GrantToken")) {
    auto raw = Base64Decode(Str(in, "GrantToken"));
    size_t a = raw ? raw->find('\n') : std::string::npos;
    size_t b = a == std::string::npos ? a : raw->find('\n', a + 1);
    size_t e = b == std::string::npos ? b : raw->find('\n', b + 1);
    if (!raw || !raw->starts_with("ckgrant1\n") || e == std::string::npos)
      return AwsError("InvalidGrantTokenException", 400, "The grant token is not valid.");
    key_arn = raw->substr(a + 1, b - a - 1);
    grant_id = raw->substr(b + 1, e - b - 1);
  } else {
    if (!in.contains("KeyId") || !in.contains("GrantId"))
      return AwsError("ValidationException", 400, "Either GrantToken or both KeyId and GrantId must be specified.");
    key_arn = Str(in, "KeyId");
    grant_id = Str(in, "GrantId");
  }
  CK_ASSIGN_OR_RETURN(auto res, ResolveFor(c, key_arn, core::kms::RefForms::kKeyOnly, true));
  const Principal& p = c.caller.principal;
  const core::kms::Grant* found = nullptr;
  for (const auto& g : res.key->grants)
    if (g.grant_id == grant_id) found = &g;
  if (!found) return AwsError("NotFoundException", 400, "Grant ID " + grant_id + " not found");  // INFERRED text
  bool grantee_may = PrincipalIs(p, found->grantee) &&
                     std::find(found->operations.begin(), found->operations.end(), "RetireGrant") !=
                         found->operations.end();
  if (!(found->retiring.size() && PrincipalIs(p, found->retiring)) && !grantee_may)
    return Status(Code::kPermissionDenied,
                  "User: " + p.arn + " is not authorized to perform: kms:RetireGrant on resource: " + res.key->arn)
        .WithAws("AccessDeniedException", 400);
  if (in.value("DryRun", false)) return DryRun();
  CK_ASSIGN_OR_RETURN(auto updated, keys_.Update(res.key->account, res.key->region, res.key->id,
                                                 [&](core::kms::KeyRecord& k) {
                                                   std::erase_if(k.grants, [&](const core::kms::Grant& g) {
                                                     return g.grant_id == grant_id;
                                                   });
                                                   return Status::Ok();
                                                 }));
  c.key = updated;
  return json::object();
}

Result<json> KmsService::OpRevokeGrant(const json& in, Ctx& c) {
  CK_ASSIGN_OR_RETURN(auto res, ResolveFor(c, Str(in, "KeyId"), core::kms::RefForms::kKeyOnly, true));
  CK_RETURN_IF_ERROR(Authorize(c, *res.key, "RevokeGrant"));
  if (in.value("DryRun", false)) return DryRun();
  std::string grant_id = Str(in, "GrantId");
  bool removed = false;
  CK_ASSIGN_OR_RETURN(auto updated, keys_.Update(res.key->account, res.key->region, res.key->id,
                                                 [&](core::kms::KeyRecord& k) {
                                                   removed = std::erase_if(k.grants, [&](const core::kms::Grant& g) {
                                                               return g.grant_id == grant_id;
                                                             }) > 0;
                                                   if (!removed)
                                                     return AwsError("NotFoundException", 400,
                                                                     "Grant ID " + grant_id + " not found");
                                                   return Status::Ok();
                                                 }));
  c.key = updated;
  return json::object();
}

}  // namespace ck::services
