#include "services/authorizer.h"

#include "core/explain/record.h"

#include <spdlog/spdlog.h>

#include <functional>

namespace ck::services {

namespace {

// AWS managed policies people attach most, with their documents.
struct ManagedPolicy {
  std::string_view arn;
  const char* document;
};
const ManagedPolicy kAwsManaged[] = {
    {"arn:aws:iam::aws:policy/AdministratorAccess",
     R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})"},
    {"arn:aws:iam::aws:policy/ReadOnlyAccess",
     R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:Get*","s3:List*","s3:Describe*","kms:Describe*","kms:Get*","kms:List*","iam:Get*","iam:List*","sts:GetCallerIdentity","dynamodb:Describe*","dynamodb:List*","dynamodb:Get*","dynamodb:Query","dynamodb:Scan","dynamodb:BatchGetItem","secretsmanager:Describe*","secretsmanager:List*","secretsmanager:GetResourcePolicy","cloudtrail:LookupEvents","cloudtrail:Describe*","cloudtrail:Get*","cloudtrail:List*"],"Resource":"*"}]})"},
    {"arn:aws:iam::aws:policy/AmazonS3FullAccess",
     R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*","s3-object-lambda:*"],"Resource":"*"}]})"},
    {"arn:aws:iam::aws:policy/AWSKeyManagementServicePowerUser",
     R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["kms:CreateAlias","kms:CreateKey","kms:DeleteAlias","kms:Describe*","kms:GenerateRandom","kms:Get*","kms:List*","kms:TagResource","kms:UntagResource","iam:ListGroups","iam:ListRoles","iam:ListUsers"],"Resource":"*"}]})"},
};

}  // namespace

const char* PolicyAuthorizer::AwsManagedPolicy(std::string_view arn) {
  for (const auto& m : kAwsManaged)
    if (m.arn == arn) return m.document;
  return nullptr;
}

std::vector<std::string_view> PolicyAuthorizer::AwsManagedPolicyArns() {
  std::vector<std::string_view> arns;
  for (const auto& m : kAwsManaged) arns.push_back(m.arn);
  return arns;
}

Result<std::shared_ptr<const core::iam::Policy>> PolicyAuthorizer::Parse(const std::string& document, core::iam::PolicyKind kind) {
  std::string cache_key = std::to_string(static_cast<int>(kind)) + '\n' + document;
  if (auto cached = policies_.Find(cache_key)) return cached;
  auto parsed = core::iam::ParsePolicy(document, kind);
  if (!parsed.ok()) return parsed.status();
  auto policy = std::make_shared<const core::iam::Policy>(std::move(*parsed));
  policies_.Put(std::move(cache_key), policy);
  return policy;
}

Status PolicyAuthorizer::AddManaged(const std::string& arn, PolicyList* out) {
  std::string document;
  if (const char* doc = AwsManagedPolicy(arn)) {
    document = doc;
  } else {
    CK_ASSIGN_OR_RETURN(auto record, identities_.GetPolicy(arn));
    if (!record) return Status::Ok();  // detached concurrently: contributes nothing
    document = std::move(record->document);
  }
  CK_ASSIGN_OR_RETURN(auto policy, Parse(document, core::iam::PolicyKind::kIdentity));
  out->push_back(std::move(policy));
  return Status::Ok();
}

Result<std::shared_ptr<const PolicyAuthorizer::IdentitySet>> PolicyAuthorizer::ReadIdentityPolicies(
    const Principal& p, uint64_t generation) {
  auto set = std::make_shared<IdentitySet>();
  set->generation = generation;
  auto add_set = [&](const std::map<std::string, std::string>& inline_policies,
                     const std::vector<std::string>& attached) -> Status {
    for (const auto& [name, doc] : inline_policies) {
      auto policy = Parse(doc, core::iam::PolicyKind::kIdentity);
      if (policy.ok()) set->policies.push_back(std::move(*policy));  // stored policies were validated on write
    }
    for (const auto& arn : attached) CK_RETURN_IF_ERROR(AddManaged(arn, &set->policies));
    return Status::Ok();
  };
  auto add_boundary = [&](const std::optional<std::string>& arn) -> Status {
    if (!arn) return Status::Ok();
    PolicyList one;
    CK_RETURN_IF_ERROR(AddManaged(*arn, &one));
    if (!one.empty()) set->boundary = one.front();  // (IAM refuses to delete a policy in use as a boundary)
    return Status::Ok();
  };
  if (p.type == Principal::Type::kUser || p.type == Principal::Type::kFederatedUser) {
    CK_ASSIGN_OR_RETURN(auto user, identities_.GetUser(p.account, p.username));
    if (user) CK_RETURN_IF_ERROR(add_set(user->inline_policies, user->attached_policies));
    if (user) CK_RETURN_IF_ERROR(add_boundary(user->permissions_boundary));
    // The policies of the groups the user is in count as the user's own.
    if (user && user->groups) {
      for (const auto& name : *user->groups) {
        CK_ASSIGN_OR_RETURN(auto group, identities_.GetGroup(p.account, name));
        if (group) CK_RETURN_IF_ERROR(add_set(group->inline_policies, group->attached_policies));
      }
    }
  } else {
    std::string role_name = p.role_arn.substr(p.role_arn.rfind('/') + 1);
    CK_ASSIGN_OR_RETURN(auto role, identities_.GetRole(p.account, role_name));
    if (role) CK_RETURN_IF_ERROR(add_set(role->inline_policies, role->attached_policies));
    if (role) CK_RETURN_IF_ERROR(add_boundary(role->permissions_boundary));
  }
  return std::shared_ptr<const IdentitySet>(std::move(set));
}

Result<std::shared_ptr<const PolicyAuthorizer::IdentitySet>> PolicyAuthorizer::IdentityPolicies(const Principal& p) {
  if (p.type == Principal::Type::kFederatedUser && p.username.empty()) {
    // Federated by the account root: everything the root may do, narrowed by
    // the session policies.
    static const auto* root = [] {
      auto* set = new IdentitySet;
      auto all = core::iam::ParsePolicy(R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})",
                                        core::iam::PolicyKind::kIdentity);
      set->policies.push_back(std::make_shared<const core::iam::Policy>(std::move(*all)));
      return new std::shared_ptr<const IdentitySet>(set);
    }();
    return *root;
  }
  // A federated user has its IAM user's identity policies.
  Principal::Type type = p.type == Principal::Type::kFederatedUser ? Principal::Type::kUser : p.type;
  if (type != Principal::Type::kUser && type != Principal::Type::kAssumedRole)
    return std::shared_ptr<const IdentitySet>();  // roots, anonymous and service principals have none
  // Read before the store: a write that lands while we read bumps it, and
  // the set built here is then stale on its next use.
  const uint64_t generation = identities_.policy_generation();
  std::string_view name = type == Principal::Type::kUser
                              ? std::string_view(p.username)
                              : std::string_view(p.role_arn).substr(p.role_arn.rfind('/') + 1);
  thread_local std::string key;  // reused: a cache hit allocates nothing
  key.assign(type == Principal::Type::kUser ? "u/" : "r/").append(p.account).push_back('/');
  for (char ch : name) key.push_back(ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch + 32) : ch);  // IAM names ignore case
  if (auto cached = identity_sets_.Find(key); cached && cached->generation == generation) return cached;
  CK_ASSIGN_OR_RETURN(auto set, ReadIdentityPolicies(p, generation));
  identity_sets_.Put(key, set);
  return set;
}

Status PolicyAuthorizer::SessionPolicies(const Principal& p, PolicyList* out) {
  if (p.type != Principal::Type::kAssumedRole && p.type != Principal::Type::kFederatedUser) return Status::Ok();
  if (p.session_policy) {
    auto policy = Parse(*p.session_policy, core::iam::PolicyKind::kSession);
    if (policy.ok()) out->push_back(std::move(*policy));
  }
  for (const auto& arn : p.session_policy_arns) CK_RETURN_IF_ERROR(AddManaged(arn, out));
  return Status::Ok();
}

namespace {

std::string Mark(bool matched) { return matched ? "\u2713" : "\u2717"; }

// One authorization, for the request's decision record: every policy
// consulted and how each of its statements matched.
void RecordDecision(const AuthzRequest& r, const core::iam::EvaluationInput& in,
                    const core::iam::EvaluationResult& result, core::explain::Record* record) {
  core::explain::Decision& d = record->decisions.emplace_back();
  d.principal = r.principal->arn;
  d.action = r.action;
  d.resource = r.resource;
  d.decision = result.allowed()                                             ? "allow"
               : result.decision == core::iam::Decision::kExplicitDeny ? "explicit deny"
                                                                            : "implicit deny";
  if (!result.allowed()) d.message = result.Message();
  for (const core::iam::PolicyTrace& trace : core::iam::TraceEvaluation(in)) {
    core::explain::PolicyTrace& p = d.policies.emplace_back();
    p.kind = trace.kind == "resource" ? std::string(r.resource_policy_kind) : trace.kind + " policy";
    if (trace.policy) p.name = trace.policy->id;
    bool allows = false, denies = false;
    for (const core::iam::StatementTrace& st : trace.statements) {
      const bool allow = st.effect == core::iam::Effect::kAllow;
      if (st.applies()) (allow ? allows : denies) = true;
      std::string line = (st.sid.empty() ? std::string("(no Sid)") : "Sid " + st.sid) +
                         (allow ? " (Allow): " : " (Deny): ");
      if (trace.kind == "resource") line += "principal " + Mark(st.principal) + " ";
      line += "action " + Mark(st.action) + " resource " + Mark(st.resource) + " conditions " + Mark(st.conditions);
      line += st.applies() ? " -> applies" : " -> does not apply";
      p.statements.push_back(std::move(line));
    }
    p.summary = denies ? "denies" : allows ? "allows" : "no statement applies";
  }
  if (in.resource_policy_required && !in.resource_policy) d.policies.push_back({std::string(r.resource_policy_kind), "", "missing (required)", {}});
}

}  // namespace

Result<core::iam::EvaluationResult> PolicyAuthorizer::Authorize(const AuthzRequest& r) {
  const Principal& p = *r.principal;
  CK_ASSIGN_OR_RETURN(auto identity, IdentityPolicies(p));
  PolicyList session;
  CK_RETURN_IF_ERROR(SessionPolicies(p, &session));

  core::iam::RequestContext ctx;
  ctx.action = r.action;
  ctx.resource = r.resource;
  ctx.resource_account = r.resource_account.empty() ? p.account : r.resource_account;
  ctx.keys = r.keys;
  ctx.service_keys = r.service_keys;
  core::iam::RequestFacts facts;
  facts.source_ip = r.source_ip;
  facts.secure_transport = r.secure_transport;
  facts.clock = &clock_;  // read only if a policy tests the time
  facts.requested_region = r.region;
  facts.called_via = r.called_via;
  facts.via_aws_service = !r.called_via.empty();
  facts.resource_account = ctx.resource_account;
  core::iam::GlobalKeys globals(p, facts);
  ctx.global_keys = &globals;

  core::iam::EvaluationInput in;
  in.principal = &p;
  if (identity) {
    for (const auto& pol : identity->policies) in.identity_policies.push_back(pol.get());
    in.permissions_boundary = identity->boundary.get();
  }
  // A federated user without session policies has no permissions (only a
  // resource policy naming it can grant): its session policies are always
  // present, possibly empty.
  if (p.session_policy || !p.session_policy_arns.empty() || p.type == Principal::Type::kFederatedUser) {
    in.session_policies.emplace();
    for (const auto& pol : session) in.session_policies->push_back(pol.get());
  }
  in.resource_policy = r.resource_policy;
  in.resource_policy_required = r.resource_policy_required;
  in.context = &ctx;
  core::iam::EvaluationResult result = core::iam::Evaluate(in);
  if (core::explain::Record* record = core::explain::Current()) RecordDecision(r, in, result, record);
  if (spdlog::should_log(spdlog::level::trace)) {
    spdlog::trace("authz: {} {} on {} -> {}", p.arn, r.action, r.resource,
                  result.allowed() ? std::string("allowed") : "denied: " + result.Message());
  }
  return result;
}

Status AccessDeniedFor(const core::iam::EvaluationResult& result, const ErrorSpec& spec, bool redact_resource) {
  return MakeError(spec, result.Message(redact_resource));
}

Status AccessDeniedFor(const core::iam::EvaluationResult& result, const std::string& aws_code, int http_status,
                       bool redact_resource) {
  // A refusal is kPermissionDenied whatever the protocol's status (KMS and
  // DynamoDB answer 400), so callers react to it by code().
  return Status(Code::kPermissionDenied, result.Message(redact_resource)).WithAws(aws_code, http_status);
}

}  // namespace ck::services

namespace ck::services {

CallFacts FactsOf(const RequestContext& ctx) {
  CallFacts f;
  f.principal = &ctx.principal;
  f.region = ctx.region;
  f.source_ip = ctx.source_ip;
  f.secure_transport = ctx.secure_transport;
  return f;
}

AuthzRequest AuthzRequest::For(const CallFacts& facts, std::string action, std::string resource) {
  AuthzRequest r;
  r.principal = facts.principal;
  r.action = std::move(action);
  r.resource = std::move(resource);
  r.region = std::string(facts.region);
  r.source_ip = std::string(facts.source_ip);
  r.secure_transport = facts.secure_transport;
  r.called_via = facts.called_via;
  return r;
}

}  // namespace ck::services
