// IAM inline policies (of users, roles and groups), managed policies and attachments.
#include <algorithm>

#include "core/arn.h"
#include "services/authorizer.h"
#include "services/iam/iam_internal.h"

namespace ck::services::iam {

namespace ops = api::iam::ops;

namespace {

Status NoSuchPolicy(const std::string& arn) {
  return errors::NoSuchEntity("Policy " + arn + " does not exist or is not attachable.");
}

// The account of arn:aws:iam::ACCOUNT:policy/...; "" when it is not an ARN.
std::string AccountOfArn(const std::string& arn) {
  auto parsed = core::Arn::Parse(arn);
  return parsed.ok() ? parsed->account : "";
}

}  // namespace

// ---- inline policies ----

template <typename Entity>
Status IamService::PutInline(RequestContext& ctx, std::string_view operation, const std::string& name,
                             const std::string& policy, const std::string& document) {
  CK_RETURN_IF_ERROR(ValidateDocument(document, false, false));
  return UpdateEntity<Entity>(ctx, operation, name, [&](Entity& e) {
    CK_RETURN_IF_ERROR(CheckModifiable(e));
    e.inline_policies[policy] = document;
    return Status::Ok();
  });
}

template <typename Entity>
Result<std::string> IamService::InlineDocument(RequestContext& ctx, std::string_view operation,
                                               const std::string& name, const std::string& policy,
                                               std::string* entity_name) {
  CK_ASSIGN_OR_RETURN(Entity e, LoadAuthorized<Entity>(ctx, operation, name));
  auto it = e.inline_policies.find(policy);
  if (it == e.inline_policies.end())
    return errors::NoSuchEntity(std::string("The ") + KindOf<Entity>() + " policy with name " + policy +
                                " cannot be found.");
  *entity_name = e.name;
  return it->second;
}

template <typename Entity>
Status IamService::DeleteInline(RequestContext& ctx, std::string_view operation, const std::string& name,
                                const std::string& policy) {
  return UpdateEntity<Entity>(ctx, operation, name, [&](Entity& e) {
    CK_RETURN_IF_ERROR(CheckModifiable(e));
    if (!e.inline_policies.erase(policy))
      return errors::NoSuchEntity(std::string("The ") + KindOf<Entity>() + " policy with name " + policy +
                                  " cannot be found.");
    return Status::Ok();
  });
}

template <typename Entity>
Result<std::vector<std::string>> IamService::InlineNames(RequestContext& ctx, std::string_view operation,
                                                         const std::string& name) {
  CK_ASSIGN_OR_RETURN(Entity e, LoadAuthorized<Entity>(ctx, operation, name));
  std::vector<std::string> names;
  for (const auto& [policy, document] : e.inline_policies) names.push_back(policy);
  return names;
}

Result<api::Empty> IamService::PutUserPolicy(const api::iam::PutUserPolicyRequest& in, RequestContext& ctx) {
  CK_RETURN_IF_ERROR(
      PutInline<IamUser>(ctx, ops::PutUserPolicy::kName, in.user_name, in.policy_name, in.policy_document));
  return api::Empty{};
}

Result<api::Empty> IamService::PutRolePolicy(const api::iam::PutRolePolicyRequest& in, RequestContext& ctx) {
  CK_RETURN_IF_ERROR(
      PutInline<IamRole>(ctx, ops::PutRolePolicy::kName, in.role_name, in.policy_name, in.policy_document));
  return api::Empty{};
}

Result<api::iam::GetUserPolicyResponse> IamService::GetUserPolicy(const api::iam::GetUserPolicyRequest& in,
                                                                  RequestContext& ctx) {
  api::iam::GetUserPolicyResponse out;
  CK_ASSIGN_OR_RETURN(std::string doc, InlineDocument<IamUser>(ctx, ops::GetUserPolicy::kName, in.user_name,
                                                               in.policy_name, &out.user_name));
  out.policy_name = in.policy_name;
  out.policy_document = EncodeDocument(doc);
  return out;
}

Result<api::iam::GetRolePolicyResponse> IamService::GetRolePolicy(const api::iam::GetRolePolicyRequest& in,
                                                                  RequestContext& ctx) {
  api::iam::GetRolePolicyResponse out;
  CK_ASSIGN_OR_RETURN(std::string doc, InlineDocument<IamRole>(ctx, ops::GetRolePolicy::kName, in.role_name,
                                                               in.policy_name, &out.role_name));
  out.policy_name = in.policy_name;
  out.policy_document = EncodeDocument(doc);
  return out;
}

Result<api::Empty> IamService::DeleteUserPolicy(const api::iam::DeleteUserPolicyRequest& in, RequestContext& ctx) {
  CK_RETURN_IF_ERROR(DeleteInline<IamUser>(ctx, ops::DeleteUserPolicy::kName, in.user_name, in.policy_name));
  return api::Empty{};
}

Result<api::Empty> IamService::DeleteRolePolicy(const api::iam::DeleteRolePolicyRequest& in, RequestContext& ctx) {
  CK_RETURN_IF_ERROR(DeleteInline<IamRole>(ctx, ops::DeleteRolePolicy::kName, in.role_name, in.policy_name));
  return api::Empty{};
}

Result<api::iam::ListUserPoliciesResponse> IamService::ListUserPolicies(const api::iam::ListUserPoliciesRequest& in,
                                                                        RequestContext& ctx) {
  api::iam::ListUserPoliciesResponse out;
  CK_ASSIGN_OR_RETURN(out.policy_names, InlineNames<IamUser>(ctx, ops::ListUserPolicies::kName, in.user_name));
  out.is_truncated = false;
  return out;
}

Result<api::iam::ListRolePoliciesResponse> IamService::ListRolePolicies(const api::iam::ListRolePoliciesRequest& in,
                                                                        RequestContext& ctx) {
  api::iam::ListRolePoliciesResponse out;
  CK_ASSIGN_OR_RETURN(out.policy_names, InlineNames<IamRole>(ctx, ops::ListRolePolicies::kName, in.role_name));
  out.is_truncated = false;
  return out;
}

Result<api::Empty> IamService::PutGroupPolicy(const api::iam::PutGroupPolicyRequest& in, RequestContext& ctx) {
  CK_RETURN_IF_ERROR(
      PutInline<IamGroup>(ctx, ops::PutGroupPolicy::kName, in.group_name, in.policy_name, in.policy_document));
  return api::Empty{};
}

Result<api::iam::GetGroupPolicyResponse> IamService::GetGroupPolicy(const api::iam::GetGroupPolicyRequest& in,
                                                                    RequestContext& ctx) {
  api::iam::GetGroupPolicyResponse out;
  CK_ASSIGN_OR_RETURN(std::string doc, InlineDocument<IamGroup>(ctx, ops::GetGroupPolicy::kName, in.group_name,
                                                                in.policy_name, &out.group_name));
  out.policy_name = in.policy_name;
  out.policy_document = EncodeDocument(doc);
  return out;
}

Result<api::Empty> IamService::DeleteGroupPolicy(const api::iam::DeleteGroupPolicyRequest& in, RequestContext& ctx) {
  CK_RETURN_IF_ERROR(DeleteInline<IamGroup>(ctx, ops::DeleteGroupPolicy::kName, in.group_name, in.policy_name));
  return api::Empty{};
}

Result<api::iam::ListGroupPoliciesResponse> IamService::ListGroupPolicies(
    const api::iam::ListGroupPoliciesRequest& in, RequestContext& ctx) {
  api::iam::ListGroupPoliciesResponse out;
  CK_ASSIGN_OR_RETURN(out.policy_names, InlineNames<IamGroup>(ctx, ops::ListGroupPolicies::kName, in.group_name));
  out.is_truncated = false;
  return out;
}

// ---- managed policies ----

Result<ManagedPolicy> IamService::LoadManagedPolicy(const std::string& arn) {
  if (const char* doc = PolicyAuthorizer::AwsManagedPolicy(arn)) {
    ManagedPolicy p;
    p.arn = arn;
    p.name = arn.substr(arn.rfind('/') + 1);
    p.id = "ANPA" + std::string(16, 'A');
    p.document = doc;
    p.versions.push_back({"v1", doc, TimePoint{}});
    p.aws = true;
    return p;
  }
  CK_ASSIGN_OR_RETURN(auto record, ids_.GetPolicy(arn));
  if (!record) return NoSuchPolicy(arn);
  return std::move(*record);
}

Result<ManagedPolicy> IamService::LoadOwnPolicy(RequestContext& ctx, const std::string& arn) {
  if (PolicyAuthorizer::AwsManagedPolicy(arn) || AccountOfArn(arn) != ctx.principal.account) return NoSuchPolicy(arn);
  return LoadManagedPolicy(arn);
}

Result<api::iam::CreatePolicyResponse> IamService::CreatePolicy(const api::iam::CreatePolicyRequest& in,
                                                                RequestContext& ctx) {
  ManagedPolicy p;
  p.name = in.policy_name;
  p.path = in.path.value_or("/");
  p.arn = "arn:aws:iam::" + ctx.principal.account + ":policy" + p.path + p.name;
  CK_RETURN_IF_ERROR(Authorize(ctx, ops::CreatePolicy::kName, p.arn));
  CK_RETURN_IF_ERROR(ValidateDocument(in.policy_document, false, true));
  p.created = Seconds(clock_.Now());
  p.updated = p.created;
  p.id = NewIamId("ANPA");
  p.document = in.policy_document;
  p.description = in.description.value_or("");
  p.versions.push_back({"v1", p.document, p.created});
  Status s = ids_.PutPolicy(p, true);
  if (s.code() == Code::kAlreadyExists)
    return errors::EntityAlreadyExists("A policy called " + p.name + " already exists. Duplicate names are not allowed.");
  CK_RETURN_IF_ERROR(s);
  api::iam::CreatePolicyResponse out;
  out.policy = PolicyOf(p);
  return out;
}

Result<api::iam::GetPolicyResponse> IamService::GetPolicy(const api::iam::GetPolicyRequest& in, RequestContext& ctx) {
  CK_RETURN_IF_ERROR(Authorize(ctx, ops::GetPolicy::kName, in.policy_arn));
  CK_ASSIGN_OR_RETURN(ManagedPolicy p, LoadManagedPolicy(in.policy_arn));
  api::iam::GetPolicyResponse out;
  out.policy = PolicyOf(p);
  return out;
}

Result<api::iam::GetPolicyVersionResponse> IamService::GetPolicyVersion(const api::iam::GetPolicyVersionRequest& in,
                                                                        RequestContext& ctx) {
  CK_RETURN_IF_ERROR(Authorize(ctx, ops::GetPolicyVersion::kName, in.policy_arn));
  CK_ASSIGN_OR_RETURN(ManagedPolicy p, LoadManagedPolicy(in.policy_arn));
  for (const auto& v : p.versions) {
    if (v.id != in.version_id) continue;
    api::iam::PolicyVersion out;
    out.document = EncodeDocument(v.document);
    out.version_id = v.id;
    out.is_default_version = v.id == p.default_version;
    out.create_date = v.created;
    return api::iam::GetPolicyVersionResponse{std::move(out)};
  }
  return errors::NoSuchEntity("Policy " + in.policy_arn + " version " + in.version_id +
                              " does not exist or is not attachable.");
}

Result<api::iam::CreatePolicyVersionResponse> IamService::CreatePolicyVersion(
    const api::iam::CreatePolicyVersionRequest& in, RequestContext& ctx) {
  CK_RETURN_IF_ERROR(Authorize(ctx, ops::CreatePolicyVersion::kName, in.policy_arn));
  CK_ASSIGN_OR_RETURN(ManagedPolicy p, LoadOwnPolicy(ctx, in.policy_arn));
  CK_RETURN_IF_ERROR(ValidateDocument(in.policy_document, false, true));
  if (p.versions.size() >= 5)
    return errors::LimitExceeded(
        "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing "
        "version.");
  std::string id = "v" + std::to_string(p.next_version);
  TimePoint now = Seconds(clock_.Now());
  p.versions.push_back({id, in.policy_document, now});
  p.next_version += 1;
  p.updated = now;
  bool make_default = in.set_as_default.value_or(false);
  if (make_default) {
    p.default_version = id;
    p.document = in.policy_document;
  }
  CK_RETURN_IF_ERROR(ids_.PutPolicy(p, false));
  api::iam::PolicyVersion v;
  v.version_id = id;
  v.is_default_version = make_default;
  v.create_date = now;
  return api::iam::CreatePolicyVersionResponse{std::move(v)};
}

Result<api::Empty> IamService::DeletePolicy(const api::iam::DeletePolicyRequest& in, RequestContext& ctx) {
  CK_RETURN_IF_ERROR(Authorize(ctx, ops::DeletePolicy::kName, in.policy_arn));
  auto own = LoadOwnPolicy(ctx, in.policy_arn);
  // DeletePolicy words it otherwise (AWS recording, test_delete_non_existent_policy_returns_no_such_entity).
  if (own.status().code() == Code::kNotFound)
    return errors::NoSuchEntity("Policy " + in.policy_arn + " was not found.");
  CK_ASSIGN_OR_RETURN(ManagedPolicy p, std::move(own));
  if (p.attachments > 0 || p.boundary_uses.value_or(0) > 0)
    return errors::DeleteConflict("Cannot delete a policy attached to entities.");
  CK_RETURN_IF_ERROR(ids_.DeletePolicy(in.policy_arn));
  return api::Empty{};
}

Result<api::iam::ListPoliciesResponse> IamService::ListPolicies(const api::iam::ListPoliciesRequest& in,
                                                                RequestContext& ctx) {
  const std::string& account = ctx.principal.account;
  CK_RETURN_IF_ERROR(Authorize(ctx, ops::ListPolicies::kName, "arn:aws:iam::" + account + ":policy/"));
  auto scope = in.scope.value_or(api::iam::policyScopeType::kAll);
  bool only_attached = in.only_attached.value_or(false);
  api::iam::ListPoliciesResponse out;
  out.policies.emplace();
  if (!(scope == api::iam::policyScopeType::kLocal) && !only_attached) {
    for (std::string_view arn : PolicyAuthorizer::AwsManagedPolicyArns()) {
      CK_ASSIGN_OR_RETURN(ManagedPolicy p, LoadManagedPolicy(std::string(arn)));
      out.policies->push_back(PolicyOf(p));
    }
  }
  if (!(scope == api::iam::policyScopeType::kAws)) {
    CK_ASSIGN_OR_RETURN(auto all, ids_.ListPolicies("arn:aws:iam::" + account + ":"));
    for (const auto& p : all)
      if (!only_attached || p.attachments > 0) out.policies->push_back(PolicyOf(p));
  }
  out.is_truncated = false;
  return out;
}

// ---- permissions boundaries ----

Result<ManagedPolicy> IamService::LoadBoundaryPolicy(const std::string& arn) {
  // Wording as for attachments (AWS's text for a boundary is UNVERIFIED).
  if (!core::Arn::Parse(arn).ok()) return errors::ValidationError("Invalid ARN:  Could not be parsed!");
  return LoadManagedPolicy(arn);
}

Status IamService::CountBoundaryUse(const std::string& arn, int delta) {
  if (PolicyAuthorizer::AwsManagedPolicy(arn)) return Status::Ok();
  CK_ASSIGN_OR_RETURN(auto p, ids_.GetPolicy(arn));
  if (!p) return Status::Ok();  // deleted concurrently
  int32_t uses = std::max(0, p->boundary_uses.value_or(0) + delta);
  p->boundary_uses = uses ? std::optional<int32_t>(uses) : std::nullopt;
  return ids_.PutPolicy(*p, false);
}

Result<api::Empty> IamService::PutRolePermissionsBoundary(const api::iam::PutRolePermissionsBoundaryRequest& in,
                                                          RequestContext& ctx) {
  CK_RETURN_IF_ERROR(
      SetBoundary<IamRole>(ctx, ops::PutRolePermissionsBoundary::kName, in.role_name, in.permissions_boundary));
  return api::Empty{};
}

Result<api::Empty> IamService::DeleteRolePermissionsBoundary(
    const api::iam::DeleteRolePermissionsBoundaryRequest& in, RequestContext& ctx) {
  CK_RETURN_IF_ERROR(SetBoundary<IamRole>(ctx, ops::DeleteRolePermissionsBoundary::kName, in.role_name, std::nullopt));
  return api::Empty{};
}

Result<api::Empty> IamService::PutUserPermissionsBoundary(const api::iam::PutUserPermissionsBoundaryRequest& in,
                                                          RequestContext& ctx) {
  CK_RETURN_IF_ERROR(
      SetBoundary<IamUser>(ctx, ops::PutUserPermissionsBoundary::kName, in.user_name, in.permissions_boundary));
  return api::Empty{};
}

Result<api::Empty> IamService::DeleteUserPermissionsBoundary(
    const api::iam::DeleteUserPermissionsBoundaryRequest& in, RequestContext& ctx) {
  CK_RETURN_IF_ERROR(SetBoundary<IamUser>(ctx, ops::DeleteUserPermissionsBoundary::kName, in.user_name, std::nullopt));
  return api::Empty{};
}

// ---- attachments ----

template <typename Entity>
Status IamService::Attach(RequestContext& ctx, std::string_view operation, const std::string& name,
                          const std::string& arn, bool attach) {
  // AWS recordings (test_role_attach_policy, test_user_attach_policy).
  if (!core::Arn::Parse(arn).ok()) return errors::ValidationError("Invalid ARN:  Could not be parsed!");
  // The policy must exist, but a service-linked role refuses first.
  Result<ManagedPolicy> loaded = LoadManagedPolicy(arn);
  int delta = 0;
  CK_RETURN_IF_ERROR(UpdateEntity<Entity>(ctx, operation, name, [&](Entity& e) {
    CK_RETURN_IF_ERROR(CheckModifiable(e));
    CK_RETURN_IF_ERROR(loaded.status());
    auto& attached = e.attached_policies;
    auto it = std::find(attached.begin(), attached.end(), arn);
    if (attach && it == attached.end()) {
      attached.push_back(arn);
      delta = 1;
    } else if (!attach) {
      if (it == attached.end()) return errors::NoSuchEntity("Policy " + arn + " was not found.");
      attached.erase(it);
      delta = -1;
    }
    return Status::Ok();
  }));
  ManagedPolicy& p = *loaded;
  if (delta == 0 || p.aws) return Status::Ok();
  p.attachments += delta;
  return ids_.PutPolicy(p, false);
}

Result<api::Empty> IamService::AttachUserPolicy(const api::iam::AttachUserPolicyRequest& in, RequestContext& ctx) {
  CK_RETURN_IF_ERROR(Attach<IamUser>(ctx, ops::AttachUserPolicy::kName, in.user_name, in.policy_arn, true));
  return api::Empty{};
}

Result<api::Empty> IamService::DetachUserPolicy(const api::iam::DetachUserPolicyRequest& in, RequestContext& ctx) {
  CK_RETURN_IF_ERROR(Attach<IamUser>(ctx, ops::DetachUserPolicy::kName, in.user_name, in.policy_arn, false));
  return api::Empty{};
}

Result<api::Empty> IamService::AttachRolePolicy(const api::iam::AttachRolePolicyRequest& in, RequestContext& ctx) {
  CK_RETURN_IF_ERROR(Attach<IamRole>(ctx, ops::AttachRolePolicy::kName, in.role_name, in.policy_arn, true));
  return api::Empty{};
}

Result<api::Empty> IamService::DetachRolePolicy(const api::iam::DetachRolePolicyRequest& in, RequestContext& ctx) {
  CK_RETURN_IF_ERROR(Attach<IamRole>(ctx, ops::DetachRolePolicy::kName, in.role_name, in.policy_arn, false));
  return api::Empty{};
}

template <typename Entity>
Result<std::vector<api::iam::AttachedPolicy>> IamService::Attached(RequestContext& ctx, std::string_view operation,
                                                                   const std::string& name) {
  CK_ASSIGN_OR_RETURN(Entity e, LoadAuthorized<Entity>(ctx, operation, name));
  std::vector<api::iam::AttachedPolicy> out;
  for (const auto& arn : e.attached_policies) out.push_back({arn.substr(arn.rfind('/') + 1), arn});
  return out;
}

Result<api::Empty> IamService::AttachGroupPolicy(const api::iam::AttachGroupPolicyRequest& in, RequestContext& ctx) {
  CK_RETURN_IF_ERROR(Attach<IamGroup>(ctx, ops::AttachGroupPolicy::kName, in.group_name, in.policy_arn, true));
  return api::Empty{};
}

Result<api::Empty> IamService::DetachGroupPolicy(const api::iam::DetachGroupPolicyRequest& in, RequestContext& ctx) {
  CK_RETURN_IF_ERROR(Attach<IamGroup>(ctx, ops::DetachGroupPolicy::kName, in.group_name, in.policy_arn, false));
  return api::Empty{};
}

Result<api::iam::ListAttachedGroupPoliciesResponse> IamService::ListAttachedGroupPolicies(
    const api::iam::ListAttachedGroupPoliciesRequest& in, RequestContext& ctx) {
  api::iam::ListAttachedGroupPoliciesResponse out;
  CK_ASSIGN_OR_RETURN(out.attached_policies,
                      Attached<IamGroup>(ctx, ops::ListAttachedGroupPolicies::kName, in.group_name));
  out.is_truncated = false;
  return out;
}

Result<api::iam::ListAttachedUserPoliciesResponse> IamService::ListAttachedUserPolicies(
    const api::iam::ListAttachedUserPoliciesRequest& in, RequestContext& ctx) {
  api::iam::ListAttachedUserPoliciesResponse out;
  CK_ASSIGN_OR_RETURN(out.attached_policies, Attached<IamUser>(ctx, ops::ListAttachedUserPolicies::kName, in.user_name));
  out.is_truncated = false;
  return out;
}

Result<api::iam::ListAttachedRolePoliciesResponse> IamService::ListAttachedRolePolicies(
    const api::iam::ListAttachedRolePoliciesRequest& in, RequestContext& ctx) {
  api::iam::ListAttachedRolePoliciesResponse out;
  CK_ASSIGN_OR_RETURN(out.attached_policies, Attached<IamRole>(ctx, ops::ListAttachedRolePolicies::kName, in.role_name));
  out.is_truncated = false;
  return out;
}

}  // namespace ck::services::iam
