#include "services/sts/sts_service.h"

#include "core/arn.h"
#include "core/iam/policy_document.h"
#include "services/authorizer.h"
#include "services/credential_resolver.h"
#include "services/sts/errors.h"

namespace ck::services {

namespace errors = sts::errors;

namespace {

constexpr int kChainedMaxSeconds = 3600;

api::sts::Credentials CredentialsOf(const StsSession& s) {
  api::sts::Credentials c;
  c.access_key_id = s.access_key_id;
  c.secret_access_key = s.secret;
  c.session_token = s.session_token;
  // AWS answers whole seconds.
  c.expiration = std::chrono::time_point_cast<std::chrono::seconds>(s.expiration);
  return c;
}

StsSession NewSession(std::string account, std::string kind, TimePoint expiration) {
  StsSession s;
  s.access_key_id = NewIamId("ASIA");
  s.secret = NewSecretAccessKey();
  s.session_token = NewSessionToken();
  s.account = std::move(account);
  s.kind = std::move(kind);
  s.expiration = expiration;
  return s;
}

}  // namespace

const OperationTable<StsService>& StsService::Operations() {
  static const auto* table = [] {
    namespace ops = api::sts::ops;
    auto* t = new OperationTable<StsService>(errors::kValidationError, errors::kNotImplemented);
    t->Add<ops::GetCallerIdentity, &StsService::GetCallerIdentity>({.iam_action = "sts:GetCallerIdentity"})
        .Add<ops::AssumeRole, &StsService::AssumeRole>({.iam_action = "sts:AssumeRole", .read_only = false,
                                                        .resource = "role"})
        .Add<ops::GetSessionToken, &StsService::GetSessionToken>({.iam_action = "sts:GetSessionToken",
                                                                  .read_only = false});
    return t;
  }();
  return *table;
}

Result<Document> StsService::Invoke(std::string_view operation, const Document& input, RequestContext& ctx) {
  return Operations().Run(*this, operation, input, ctx);
}

Status StsService::CheckModel() const { return Operations().CheckAgainst(*wire::FindService("sts")); }

// Needs no permission and succeeds even under an explicit deny (AWS documents this).
Result<api::sts::GetCallerIdentityResponse> StsService::GetCallerIdentity(const api::sts::GetCallerIdentityRequest&,
                                                                          RequestContext& ctx) {
  const Principal& p = ctx.principal;
  api::sts::GetCallerIdentityResponse out;
  out.account = p.account;
  out.arn = p.arn;
  out.user_id = p.user_id;
  return out;
}

Result<api::sts::AssumeRoleResponse> StsService::AssumeRole(const api::sts::AssumeRoleRequest& in,
                                                            RequestContext& ctx) {
  const Principal& caller = ctx.principal;
  // AWS's denial for AssumeRole names the role and stops there (no "because ...").
  auto denied = [&] {
    return errors::AccessDenied("User: " + caller.arn + " is not authorized to perform: sts:AssumeRole on resource: " +
                                in.role_arn);
  };
  if (caller.type == Principal::Type::kRoot) return errors::AccessDenied("Roles may not be assumed by root accounts.");

  auto arn = core::Arn::Parse(in.role_arn);
  if (!arn.ok() || arn->service != "iam" || arn->ResourceType() != "role" || arn->account.size() != 12)
    return errors::ValidationError(in.role_arn + " is invalid");
  CK_ASSIGN_OR_RETURN(auto role, identities_.GetRole(arn->account, std::string(arn->ResourceName())));
  if (!role || role->arn != in.role_arn) return denied();  // AWS does not reveal whether the role exists

  // Trust policy as the resource policy: it must allow the caller (directly,
  // or its account, which then needs the caller's identity policy too).
  auto trust = authorizer_.Parse(role->trust_policy, core::iam::PolicyKind::kTrust);
  if (!trust.ok()) return denied();
  AuthzRequest req = AuthzRequest::For(ctx, "sts:AssumeRole", role->arn);
  req.resource_account = role->account;
  req.resource_policy = trust->get();
  req.resource_policy_required = true;
  req.resource_policy_kind = "trust policy";
  req.keys["sts:RoleSessionName"] = {in.role_session_name};
  if (in.external_id) req.keys["sts:ExternalId"] = {*in.external_id};
  if (in.source_identity) req.keys["sts:SourceIdentity"] = {*in.source_identity};
  CK_ASSIGN_OR_RETURN(auto decision, authorizer_.Authorize(req));
  if (!decision.allowed()) return denied();

  bool chained = caller.type == Principal::Type::kAssumedRole;
  int duration = in.duration_seconds.value_or(3600);
  if (chained && duration > kChainedMaxSeconds)
    return errors::ValidationError(
        "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.");
  if (duration > role->max_session_duration)
    return errors::ValidationError("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");

  StsSession s = NewSession(role->account, "assumed-role", clock_.Now() + std::chrono::seconds(duration));
  if (in.policy) {
    auto parsed = core::iam::ParsePolicy(*in.policy, core::iam::PolicyKind::kSession);
    if (!parsed.ok()) return errors::MalformedPolicyDocument(parsed.status().message());
    s.session_policy = *in.policy;
  }
  for (const auto& p : in.policy_arns.value_or(std::vector<api::sts::PolicyDescriptorType>{}))
    s.session_policy_arns.push_back(p.arn.value_or(""));
  s.role_arn = role->arn;
  s.role_name = role->name;
  s.role_id = role->role_id;
  s.session_name = in.role_session_name;
  s.chained = chained;
  CK_RETURN_IF_ERROR(identities_.PutSession(s));

  Principal assumed = RolePrincipal(s);
  api::sts::AssumeRoleResponse out;
  out.credentials = CredentialsOf(s);
  out.assumed_role_user = api::sts::AssumedRoleUser{assumed.user_id, assumed.arn};
  if (s.session_policy || !s.session_policy_arns.empty()) {
    // Percentage of the packed size limit; AWS's packing is opaque, this approximates it.
    size_t size = s.session_policy ? s.session_policy->size() : 0;
    out.packed_policy_size = static_cast<int32_t>(std::min<size_t>(100, size * 100 / 2048 + 1));
  }
  out.source_identity = in.source_identity;
  return out;
}

Result<api::sts::GetSessionTokenResponse> StsService::GetSessionToken(const api::sts::GetSessionTokenRequest& in,
                                                                      RequestContext& ctx) {
  const Principal& caller = ctx.principal;
  if (caller.type == Principal::Type::kAssumedRole || caller.session_expiration)
    return errors::AccessDenied("Cannot call GetSessionToken with session credentials");
  bool root = caller.type == Principal::Type::kRoot;
  // AWS silently caps root sessions at one hour.
  int duration = std::min(in.duration_seconds.value_or(root ? 3600 : 43200), root ? 3600 : 129600);
  StsSession s = NewSession(caller.account, "session-token", clock_.Now() + std::chrono::seconds(duration));
  s.user_name = caller.username;
  CK_RETURN_IF_ERROR(identities_.PutSession(s));
  api::sts::GetSessionTokenResponse out;
  out.credentials = CredentialsOf(s);
  return out;
}

}  // namespace ck::services
