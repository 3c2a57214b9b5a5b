#include "services/sts/sts_service.h"

#include "core/arn.h"
#include "core/iam/policy_document.h"
#include "services/authorizer.h"
#include "services/credential_resolver.h"

namespace ck::services {

using nlohmann::json;

namespace {

constexpr int kChainedMaxSeconds = 3600;

std::string Str(const json& in, const char* key) {
  auto it = in.find(key);
  return it != in.end() && it->is_string() ? it->get<std::string>() : "";
}

Status ValidationError(const std::string& message) { return AwsError("ValidationError", 400, message); }

json CredentialsJson(const StsSession& s) {
  return {{"AccessKeyId", s.access_key_id},
          {"SecretAccessKey", s.secret},
          {"SessionToken", s.session_token},
          {"Expiration", static_cast<double>(static_cast<int64_t>(ToEpochSeconds(s.expiration)))}};
}

}  // namespace

Result<json> StsService::Invoke(std::string_view operation, const json& input, RequestContext& ctx) {
  if (operation == "GetCallerIdentity") return GetCallerIdentity(ctx);
  if (operation == "AssumeRole") return AssumeRole(input, ctx);
  if (operation == "GetSessionToken") return GetSessionToken(input, ctx);
  return Unimplemented("STS " + std::string(operation) + " is not implemented by crosskey");
}

// Needs no permission and succeeds even under an explicit deny (AWS documents this).
Result<json> StsService::GetCallerIdentity(RequestContext& ctx) {
  const Principal& p = ctx.principal;
  return json{{"Account", p.account}, {"Arn", p.arn}, {"UserId", p.user_id}};
}

Result<json> StsService::AssumeRole(const json& in, RequestContext& ctx) {
  const Principal& caller = ctx.principal;
  std::string role_arn = Str(in, "RoleArn");
  std::string session_name = Str(in, "RoleSessionName");
  // AWS's denial for AssumeRole names the role and stops there (no "because ...").
  auto denied = [&] {
    return AwsError("AccessDenied", 403,
                    "User: " + caller.arn + " is not authorized to perform: sts:AssumeRole on resource: " + role_arn);
  };
  if (caller.type == Principal::Type::kRoot)
    return AwsError("AccessDenied", 403, "Roles may not be assumed by root accounts.");

  auto arn = core::Arn::Parse(role_arn);
  if (!arn.ok() || arn->service != "iam" || arn->ResourceType() != "role" || arn->account.size() != 12)
    return ValidationError(role_arn + " is invalid");
  std::string role_name(arn->ResourceName());
  CK_ASSIGN_OR_RETURN(auto role, identities_.GetRole(arn->account, role_name));
  if (!role || role->arn != role_arn) return denied();  // AWS does not reveal whether the role exists

  // Trust policy as the resource policy: it must allow the caller (directly,
  // or its account, which then needs the caller's identity policy too).
  auto trust = authorizer_->Parse(role->trust_policy, iam::PolicyKind::kTrust);
  if (!trust.ok()) return denied();
  AuthzRequest req;
  req.principal = &caller;
  req.action = "sts:AssumeRole";
  req.resource = role->arn;
  req.resource_account = role->account;
  req.resource_policy = trust->get();
  req.resource_policy_required = true;
  req.region = ctx.region;
  req.source_ip = ctx.source_ip;
  req.keys["sts:RoleSessionName"] = {session_name};
  if (auto ext = Str(in, "ExternalId"); !ext.empty()) req.keys["sts:ExternalId"] = {ext};
  if (auto src = Str(in, "SourceIdentity"); !src.empty()) req.keys["sts:SourceIdentity"] = {src};
  CK_ASSIGN_OR_RETURN(auto decision, authorizer_->Authorize(req));
  if (!decision.allowed()) return denied();

  bool chained = caller.type == Principal::Type::kAssumedRole;
  int duration = in.value("DurationSeconds", 3600);
  if (chained && duration > kChainedMaxSeconds)
    return ValidationError("The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.");
  if (duration > role->max_session_duration)
    return ValidationError("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");

  StsSession s;
  if (auto policy = Str(in, "Policy"); !policy.empty()) {
    auto parsed = iam::ParsePolicy(policy, iam::PolicyKind::kSession);
    if (!parsed.ok()) return AwsError("MalformedPolicyDocument", 400, parsed.status().message());
    s.session_policy = policy;
  }
  for (const auto& p : in.value("PolicyArns", json::array())) s.session_policy_arns.push_back(Str(p, "arn"));
  s.access_key_id = NewIamId("ASIA");
  s.secret = NewSecretAccessKey();
  s.session_token = NewSessionToken();
  s.account = role->account;
  s.kind = "assumed-role";
  s.role_arn = role->arn;
  s.role_name = role->name;
  s.role_id = role->role_id;
  s.session_name = session_name;
  s.chained = chained;
  s.expiration = clock_.Now() + std::chrono::seconds(duration);
  CK_RETURN_IF_ERROR(identities_.PutSession(s));

  Principal assumed = RolePrincipal(s);
  json out = {{"Credentials", CredentialsJson(s)},
              {"AssumedRoleUser", {{"AssumedRoleId", assumed.user_id}, {"Arn", assumed.arn}}}};
  if (s.session_policy || !s.session_policy_arns.empty()) {
    // Percentage of the packed size limit; AWS's packing is opaque, this approximates it.
    size_t size = s.session_policy ? s.session_policy->size() : 0;
    out["PackedPolicySize"] = static_cast<int>(std::min<size_t>(100, size * 100 / 2048 + 1));
  }
  if (auto src = Str(in, "SourceIdentity"); !src.empty()) out["SourceIdentity"] = src;
  return out;
}

Result<json> StsService::GetSessionToken(const json& in, RequestContext& ctx) {
  const Principal& caller = ctx.principal;
  if (caller.type == Principal::Type::kAssumedRole || caller.session_expiration)
    return AwsError("AccessDenied", 403, "Cannot call GetSessionToken with session credentials");
  int max = caller.type == Principal::Type::kRoot ? 3600 : 129600;
  int duration = in.value("DurationSeconds", caller.type == Principal::Type::kRoot ? 3600 : 43200);
  if (duration > max) duration = max;  // AWS silently caps root sessions at one hour
  StsSession s;
  s.access_key_id = NewIamId("ASIA");
  s.secret = NewSecretAccessKey();
  s.session_token = NewSessionToken();
  s.account = caller.account;
  s.kind = "session-token";
  s.user_name = caller.username;
  s.expiration = clock_.Now() + std::chrono::seconds(duration);
  CK_RETURN_IF_ERROR(identities_.PutSession(s));
  return json{{"Credentials", CredentialsJson(s)}};
}

}  // namespace ck::services
