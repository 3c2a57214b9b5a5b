#include "services/sts/sts_service.h"

#include <algorithm>
#include <set>

#include "base/codec.h"
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

// Session tag keys compare without regard to case.
std::string TagKey(const std::string& key) { return ToLower(key); }

// The checks AWS makes of session tags before anything else (texts recorded):
// keys differing only in case are duplicates, and every transitive key must
// name one of the tags (again without regard to case).
Status CheckSessionTags(const std::vector<api::sts::Tag>& tags, const std::vector<std::string>& transitive) {
  std::set<std::string> keys;
  for (const auto& t : tags)
    if (!keys.insert(TagKey(t.key)).second)
      return errors::InvalidParameterValue("Duplicate tag keys found. Please note that Tag keys are case insensitive.");
  for (const auto& k : transitive)
    if (!keys.count(TagKey(k)))
      return errors::InvalidParameterValue("The specified transitive tag key must be included in the requested tags.");
  return Status::Ok();
}

// The session policy of a request: parsed (MalformedPolicyDocument otherwise)
// and kept, with the managed policy ARNs.
Status SetSessionPolicies(const std::optional<std::string>& policy,
                          const std::optional<std::vector<api::sts::PolicyDescriptorType>>& arns, StsSession* s) {
  if (policy) {
    auto parsed = core::iam::ParsePolicy(*policy, core::iam::PolicyKind::kSession);
    if (!parsed.ok()) return errors::MalformedPolicyDocument(parsed.status().message());
    s->session_policy = *policy;
  }
  for (const auto& p : arns.value_or(std::vector<api::sts::PolicyDescriptorType>{}))
    s->session_policy_arns.push_back(p.arn.value_or(""));
  return Status::Ok();
}

// PackedPolicySize: the percentage of the packed limit the session policies
// and tags use. AWS's packing is opaque; this approximates it (0 with none).
int32_t PackedSize(const StsSession& s) {
  size_t size = s.session_policy ? s.session_policy->size() : 0;
  for (const auto& arn : s.session_policy_arns) size += arn.size();
  for (const auto& t : s.session_tags.value_or(std::vector<IamTag>{})) size += t.key.size() + t.value.size();
  if (size == 0) return 0;
  return static_cast<int32_t>(std::min<size_t>(100, size * 100 / 2048 + 1));
}

// aws:RequestTag/KEY and aws:TagKeys for the session tags of a request.
void AddTagKeys(const std::vector<api::sts::Tag>& tags, core::iam::ContextKeys* keys) {
  std::vector<std::string> names;
  for (const auto& t : tags) {
    (*keys)["aws:RequestTag/" + t.key] = {t.value};
    names.push_back(t.key);
  }
  if (!names.empty()) (*keys)["aws:TagKeys"] = std::move(names);
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
                                                                  .read_only = false})
        .Add<ops::GetFederationToken, &StsService::GetFederationToken>({.iam_action = "sts:GetFederationToken",
                                                                        .read_only = false,
                                                                        .resource = "federated-user"});
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

// Role chaining: the calling session's transitive tags pass on, and may not
// be set again (recorded, whatever the case of the key).
Result<StsService::SessionTags> StsService::TransitiveTagsOf(const Principal& caller,
                                                             const std::vector<api::sts::Tag>& tags) {
  SessionTags inherited;
  if (caller.type != Principal::Type::kAssumedRole || caller.access_key_id.empty()) return inherited;
  CK_ASSIGN_OR_RETURN(auto calling, identities_.GetSession(caller.access_key_id));
  if (!calling || !calling->transitive_tag_keys) return inherited;
  std::set<std::string> keys;
  for (const auto& k : *calling->transitive_tag_keys) keys.insert(TagKey(k));
  for (const auto& t : tags)
    if (keys.count(TagKey(t.key)))
      return errors::InvalidParameterValue("One of the specified transitive tag keys can't be set because it "
                                           "conflicts with a transitive tag key from the calling session.");
  for (const auto& t : calling->session_tags.value_or(std::vector<IamTag>{}))
    if (keys.count(TagKey(t.key))) inherited.tags.push_back(t);
  inherited.transitive = *calling->transitive_tag_keys;
  return inherited;
}

// The new session's tags: the inherited ones, then the request's.
void StsService::SetSessionTags(SessionTags inherited, const std::vector<api::sts::Tag>& tags,
                                const std::vector<std::string>& transitive, StsSession* s) {
  if (!tags.empty() || !inherited.tags.empty()) {
    s->session_tags = std::move(inherited.tags);
    for (const auto& t : tags) s->session_tags->push_back(IamTag{t.key, t.value});
  }
  if (!transitive.empty() || !inherited.transitive.empty()) {
    s->transitive_tag_keys = std::move(inherited.transitive);
    for (const auto& k : transitive) s->transitive_tag_keys->push_back(k);
  }
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
  // Federated users may call no STS operation but GetCallerIdentity (AWS
  // documents this; the denial's text is INFERRED to be the usual one).
  if (caller.type == Principal::Type::kFederatedUser) return denied();

  auto arn = core::Arn::Parse(in.role_arn);
  if (!arn.ok() || arn->service != "iam" || arn->ResourceType() != "role" || arn->account.size() != 12)
    return errors::ValidationError(in.role_arn + " is invalid");

  const std::vector<api::sts::Tag> tags = in.tags.value_or(std::vector<api::sts::Tag>{});
  const std::vector<std::string> transitive = in.transitive_tag_keys.value_or(std::vector<std::string>{});
  CK_RETURN_IF_ERROR(CheckSessionTags(tags, transitive));
  CK_ASSIGN_OR_RETURN(SessionTags inherited, TransitiveTagsOf(caller, tags));

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
  if (!transitive.empty()) req.keys["sts:TransitiveTagKeys"] = transitive;
  AddTagKeys(tags, &req.keys);
  CK_ASSIGN_OR_RETURN(auto decision, authorizer_.Authorize(req));
  if (!decision.allowed()) return denied();
  // Passing session tags needs sts:TagSession too, from the trust policy
  // (and the caller's identity policies, as for sts:AssumeRole).
  if (!tags.empty() || !transitive.empty()) {
    req.action = "sts:TagSession";
    CK_ASSIGN_OR_RETURN(auto tag_decision, authorizer_.Authorize(req));
    if (!tag_decision.allowed())
      return errors::AccessDenied("User: " + caller.arn + " is not authorized to perform: sts:TagSession on resource: " +
                                  in.role_arn);
  }

  bool chained = caller.type == Principal::Type::kAssumedRole;
  int duration = in.duration_seconds.value_or(3600);
  if (chained && duration > kChainedMaxSeconds)
    return errors::ValidationError(
        "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.");
  if (duration > role->max_session_duration)
    return errors::ValidationError("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");

  StsSession s = NewSession(role->account, "assumed-role", clock_.Now() + std::chrono::seconds(duration));
  CK_RETURN_IF_ERROR(SetSessionPolicies(in.policy, in.policy_arns, &s));
  s.role_arn = role->arn;
  s.role_name = role->name;
  s.role_id = role->role_id;
  s.session_name = in.role_session_name;
  s.chained = chained;
  SetSessionTags(std::move(inherited), tags, transitive, &s);
  CK_RETURN_IF_ERROR(identities_.PutSession(s));

  Principal assumed = RolePrincipal(s);
  api::sts::AssumeRoleResponse out;
  out.credentials = CredentialsOf(s);
  out.assumed_role_user = api::sts::AssumedRoleUser{assumed.user_id, assumed.arn};
  if (s.session_policy || !s.session_policy_arns.empty() || !tags.empty()) out.packed_policy_size = PackedSize(s);
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

namespace ck::services {

// GetFederationToken (STS API reference): an IAM user (or, not recommended,
// the root) gets credentials for a federated user whose permissions are the
// intersection of the caller's and the session policies passed here; without
// any, the federated user can do nothing (a resource policy naming its ARN
// still can grant). DurationSeconds 900..129600 (the model's bounds, checked
// before the call), 43200 by default; the root's sessions are silently capped
// at one hour.
Result<api::sts::GetFederationTokenResponse> StsService::GetFederationToken(
    const api::sts::GetFederationTokenRequest& in, RequestContext& ctx) {
  const Principal& caller = ctx.principal;
  // Long-term credentials only (text INFERRED from GetSessionToken's).
  if (caller.type == Principal::Type::kAssumedRole || caller.type == Principal::Type::kFederatedUser ||
      caller.session_expiration)
    return errors::AccessDenied("Cannot call GetFederationToken with session credentials");
  const std::vector<api::sts::Tag> tags = in.tags.value_or(std::vector<api::sts::Tag>{});
  CK_RETURN_IF_ERROR(CheckSessionTags(tags, {}));

  const std::string federated_arn = "arn:aws:sts::" + caller.account + ":federated-user/" + in.name;
  bool root = caller.type == Principal::Type::kRoot;
  if (!root) {
    AuthzRequest req = AuthzRequest::For(ctx, "sts:GetFederationToken", federated_arn);
    AddTagKeys(tags, &req.keys);
    CK_ASSIGN_OR_RETURN(auto decision, authorizer_.Authorize(req));
    if (!decision.allowed())
      return errors::AccessDenied("User: " + caller.arn + " is not authorized to perform: sts:GetFederationToken on "
                                  "resource: " + federated_arn);
    if (!tags.empty()) {
      req.action = "sts:TagSession";
      CK_ASSIGN_OR_RETURN(auto tag_decision, authorizer_.Authorize(req));
      if (!tag_decision.allowed())
        return errors::AccessDenied("User: " + caller.arn + " is not authorized to perform: sts:TagSession on "
                                    "resource: " + federated_arn);
    }
  }

  int duration = in.duration_seconds.value_or(43200);
  if (root) duration = std::min(duration, 3600);
  StsSession s = NewSession(caller.account, "federated-user", clock_.Now() + std::chrono::seconds(duration));
  CK_RETURN_IF_ERROR(SetSessionPolicies(in.policy, in.policy_arns, &s));
  s.user_name = caller.username;
  s.federated_name = in.name;
  if (!tags.empty()) {
    s.session_tags.emplace();
    for (const auto& t : tags) s.session_tags->push_back(IamTag{t.key, t.value});
  }
  CK_RETURN_IF_ERROR(identities_.PutSession(s));

  Principal federated = FederatedPrincipal(s);
  api::sts::GetFederationTokenResponse out;
  out.credentials = CredentialsOf(s);
  out.federated_user = api::sts::FederatedUser{federated.user_id, federated.arn};
  out.packed_policy_size = PackedSize(s);  // 0 without session policies or tags (recorded)
  return out;
}

}  // namespace ck::services
