#include "services/iam/iam_service.h"

#include <nlohmann/json.hpp>

#include "base/codec.h"
#include "core/iam/policy_document.h"
#include "services/authorizer.h"
#include "services/iam/iam_internal.h"
#include "wire/model.h"

namespace ck::services::iam {

namespace {

namespace ops = api::iam::ops;
using S = IamService;
using Table = OperationTable<S>;

OperationMeta Read(std::string_view action, std::string_view resource) {
  return OperationMeta{.iam_action = action, .read_only = true, .resource = resource};
}
OperationMeta Write(std::string_view action, std::string_view resource) {
  return OperationMeta{.iam_action = action, .read_only = false, .resource = resource};
}

// Users, their access keys, inline and attached policies, boundaries and service credentials.
void AddUserOperations(Table& t) {
  t.Add<ops::CreateUser, &S::CreateUser>(Write("iam:CreateUser", "user"))
      .Add<ops::GetUser, &S::GetUser>(Read("iam:GetUser", "user"))
      .Add<ops::DeleteUser, &S::DeleteUser>(Write("iam:DeleteUser", "user"))
      .Add<ops::ListUsers, &S::ListUsers>(Read("iam:ListUsers", "user"))
      .Add<ops::CreateAccessKey, &S::CreateAccessKey>(Write("iam:CreateAccessKey", "user"))
      .Add<ops::DeleteAccessKey, &S::DeleteAccessKey>(Write("iam:DeleteAccessKey", "user"))
      .Add<ops::ListAccessKeys, &S::ListAccessKeys>(Read("iam:ListAccessKeys", "user"))
      .Add<ops::UpdateAccessKey, &S::UpdateAccessKey>(Write("iam:UpdateAccessKey", "user"))
      .Add<ops::ListGroupsForUser, &S::ListGroupsForUser>(Read("iam:ListGroupsForUser", "user"))
      .Add<ops::PutUserPermissionsBoundary, &S::PutUserPermissionsBoundary>(
          Write("iam:PutUserPermissionsBoundary", "user"))
      .Add<ops::DeleteUserPermissionsBoundary, &S::DeleteUserPermissionsBoundary>(
          Write("iam:DeleteUserPermissionsBoundary", "user"))
      .Add<ops::CreateServiceSpecificCredential, &S::CreateServiceSpecificCredential>(
          Write("iam:CreateServiceSpecificCredential", "user"))
      .Add<ops::ListServiceSpecificCredentials, &S::ListServiceSpecificCredentials>(
          Read("iam:ListServiceSpecificCredentials", "user"))
      .Add<ops::UpdateServiceSpecificCredential, &S::UpdateServiceSpecificCredential>(
          Write("iam:UpdateServiceSpecificCredential", "user"))
      .Add<ops::ResetServiceSpecificCredential, &S::ResetServiceSpecificCredential>(
          Write("iam:ResetServiceSpecificCredential", "user"))
      .Add<ops::DeleteServiceSpecificCredential, &S::DeleteServiceSpecificCredential>(
          Write("iam:DeleteServiceSpecificCredential", "user"))
      .Add<ops::PutUserPolicy, &S::PutUserPolicy>(Write("iam:PutUserPolicy", "user"))
      .Add<ops::GetUserPolicy, &S::GetUserPolicy>(Read("iam:GetUserPolicy", "user"))
      .Add<ops::DeleteUserPolicy, &S::DeleteUserPolicy>(Write("iam:DeleteUserPolicy", "user"))
      .Add<ops::ListUserPolicies, &S::ListUserPolicies>(Read("iam:ListUserPolicies", "user"))
      .Add<ops::AttachUserPolicy, &S::AttachUserPolicy>(Write("iam:AttachUserPolicy", "user"))
      .Add<ops::DetachUserPolicy, &S::DetachUserPolicy>(Write("iam:DetachUserPolicy", "user"))
      .Add<ops::ListAttachedUserPolicies, &S::ListAttachedUserPolicies>(Read("iam:ListAttachedUserPolicies", "user"));
}

// Roles, service-linked roles, their inline and attached policies and boundaries.
void AddRoleOperations(Table& t) {
  t.Add<ops::CreateRole, &S::CreateRole>(Write("iam:CreateRole", "role"))
      .Add<ops::GetRole, &S::GetRole>(Read("iam:GetRole", "role"))
      .Add<ops::DeleteRole, &S::DeleteRole>(Write("iam:DeleteRole", "role"))
      .Add<ops::ListRoles, &S::ListRoles>(Read("iam:ListRoles", "role"))
      .Add<ops::UpdateAssumeRolePolicy, &S::UpdateAssumeRolePolicy>(Write("iam:UpdateAssumeRolePolicy", "role"))
      .Add<ops::TagRole, &S::TagRole>(Write("iam:TagRole", "role"))
      .Add<ops::UntagRole, &S::UntagRole>(Write("iam:UntagRole", "role"))
      .Add<ops::ListRoleTags, &S::ListRoleTags>(Read("iam:ListRoleTags", "role"))
      .Add<ops::CreateServiceLinkedRole, &S::CreateServiceLinkedRole>(Write("iam:CreateServiceLinkedRole", "role"))
      .Add<ops::DeleteServiceLinkedRole, &S::DeleteServiceLinkedRole>(Write("iam:DeleteServiceLinkedRole", "role"))
      .Add<ops::GetServiceLinkedRoleDeletionStatus, &S::GetServiceLinkedRoleDeletionStatus>(
          Read("iam:GetServiceLinkedRoleDeletionStatus", "role"))
      .Add<ops::PutRolePermissionsBoundary, &S::PutRolePermissionsBoundary>(
          Write("iam:PutRolePermissionsBoundary", "role"))
      .Add<ops::DeleteRolePermissionsBoundary, &S::DeleteRolePermissionsBoundary>(
          Write("iam:DeleteRolePermissionsBoundary", "role"))
      .Add<ops::PutRolePolicy, &S::PutRolePolicy>(Write("iam:PutRolePolicy", "role"))
      .Add<ops::GetRolePolicy, &S::GetRolePolicy>(Read("iam:GetRolePolicy", "role"))
      .Add<ops::DeleteRolePolicy, &S::DeleteRolePolicy>(Write("iam:DeleteRolePolicy", "role"))
      .Add<ops::ListRolePolicies, &S::ListRolePolicies>(Read("iam:ListRolePolicies", "role"))
      .Add<ops::AttachRolePolicy, &S::AttachRolePolicy>(Write("iam:AttachRolePolicy", "role"))
      .Add<ops::DetachRolePolicy, &S::DetachRolePolicy>(Write("iam:DetachRolePolicy", "role"))
      .Add<ops::ListAttachedRolePolicies, &S::ListAttachedRolePolicies>(Read("iam:ListAttachedRolePolicies", "role"));
}

// Groups, their members and policies.
void AddGroupOperations(Table& t) {
  t.Add<ops::CreateGroup, &S::CreateGroup>(Write("iam:CreateGroup", "group"))
      .Add<ops::GetGroup, &S::GetGroup>(Read("iam:GetGroup", "group"))
      .Add<ops::DeleteGroup, &S::DeleteGroup>(Write("iam:DeleteGroup", "group"))
      .Add<ops::ListGroups, &S::ListGroups>(Read("iam:ListGroups", "group"))
      .Add<ops::AddUserToGroup, &S::AddUserToGroup>(Write("iam:AddUserToGroup", "group"))
      .Add<ops::RemoveUserFromGroup, &S::RemoveUserFromGroup>(Write("iam:RemoveUserFromGroup", "group"))
      .Add<ops::PutGroupPolicy, &S::PutGroupPolicy>(Write("iam:PutGroupPolicy", "group"))
      .Add<ops::GetGroupPolicy, &S::GetGroupPolicy>(Read("iam:GetGroupPolicy", "group"))
      .Add<ops::DeleteGroupPolicy, &S::DeleteGroupPolicy>(Write("iam:DeleteGroupPolicy", "group"))
      .Add<ops::ListGroupPolicies, &S::ListGroupPolicies>(Read("iam:ListGroupPolicies", "group"))
      .Add<ops::AttachGroupPolicy, &S::AttachGroupPolicy>(Write("iam:AttachGroupPolicy", "group"))
      .Add<ops::DetachGroupPolicy, &S::DetachGroupPolicy>(Write("iam:DetachGroupPolicy", "group"))
      .Add<ops::ListAttachedGroupPolicies, &S::ListAttachedGroupPolicies>(
          Read("iam:ListAttachedGroupPolicies", "group"));
}

// Customer managed policies and their versions.
void AddManagedPolicyOperations(Table& t) {
  t.Add<ops::CreatePolicy, &S::CreatePolicy>(Write("iam:CreatePolicy", "policy"))
      .Add<ops::GetPolicy, &S::GetPolicy>(Read("iam:GetPolicy", "policy"))
      .Add<ops::GetPolicyVersion, &S::GetPolicyVersion>(Read("iam:GetPolicyVersion", "policy"))
      .Add<ops::CreatePolicyVersion, &S::CreatePolicyVersion>(Write("iam:CreatePolicyVersion", "policy"))
      .Add<ops::DeletePolicy, &S::DeletePolicy>(Write("iam:DeletePolicy", "policy"))
      .Add<ops::ListPolicies, &S::ListPolicies>(Read("iam:ListPolicies", "policy"));
}

// The policy simulator and the context keys of policies.
void AddSimulatorOperations(Table& t) {
  t.Add<ops::SimulatePrincipalPolicy, &S::SimulatePrincipalPolicy>(Read("iam:SimulatePrincipalPolicy", "user"))
      .Add<ops::SimulateCustomPolicy, &S::SimulateCustomPolicy>(Read("iam:SimulateCustomPolicy", "policy"))
      .Add<ops::GetContextKeysForPrincipalPolicy, &S::GetContextKeysForPrincipalPolicy>(
          Read("iam:GetContextKeysForPrincipalPolicy", "user"))
      .Add<ops::GetContextKeysForCustomPolicy, &S::GetContextKeysForCustomPolicy>(
          Read("iam:GetContextKeysForCustomPolicy", "policy"));
}

}  // namespace

const OperationTable<IamService>& IamService::Operations() {
  static const auto* table = [] {
    auto* t = new Table(errors::kValidationError, errors::kNotImplemented);
    AddUserOperations(*t);
    AddRoleOperations(*t);
    AddGroupOperations(*t);
    AddManagedPolicyOperations(*t);
    AddSimulatorOperations(*t);
    return t;
  }();
  return *table;
}

Result<Document> IamService::Invoke(std::string_view operation, const Document& input, RequestContext& ctx) {
  if (ctx.principal.is_anonymous())
    return errors::MissingAuthenticationToken("Request is missing Authentication Token");
  return Operations().Run(*this, operation, input, ctx);
}

Status IamService::CheckModel() const { return Operations().CheckAgainst(*wire::FindService("iam")); }

Status IamService::Authorize(RequestContext& ctx, std::string_view operation, const std::string& resource) {
  AuthzRequest r = AuthzRequest::For(ctx, "iam:" + std::string(operation), resource);
  r.resource_account = ctx.principal.account;
  CK_ASSIGN_OR_RETURN(auto result, authz_.Authorize(r));
  if (!result.allowed()) return AccessDeniedFor(result, errors::kAccessDenied);
  return Status::Ok();
}

Status IamService::ValidateDocument(const std::string& doc, bool trust, bool managed) {
  // A trust policy that is not JSON (AWS recording,
  // test_create_role_with_malformed_assume_role_policy_document).
  if (trust && !nlohmann::json::accept(doc))
    return errors::MalformedPolicyDocument("This policy contains invalid Json");
  core::iam::ParseOptions opt;
  opt.require_2012_version = managed;
  auto parsed =
      core::iam::ParsePolicy(doc, trust ? core::iam::PolicyKind::kTrust : core::iam::PolicyKind::kIdentity, opt);
  if (!parsed.ok()) return errors::MalformedPolicyDocument(parsed.status().message());
  return Status::Ok();
}

Result<IamUser> IamService::MustGetUser(const std::string& account, const std::string& name) {
  CK_ASSIGN_OR_RETURN(auto user, ids_.GetUser(account, name));
  if (!user) return errors::NoSuchEntity("The user with name " + name + " cannot be found.");
  return std::move(*user);
}

Result<IamGroup> IamService::MustGetGroup(const std::string& account, const std::string& name) {
  CK_ASSIGN_OR_RETURN(auto group, ids_.GetGroup(account, name));
  if (!group) return errors::NoSuchEntity("The group with name " + name + " cannot be found.");
  return std::move(*group);
}

Result<IamRole> IamService::MustGetRole(const std::string& account, const std::string& name) {
  CK_ASSIGN_OR_RETURN(auto role, ids_.GetRole(account, name));
  if (!role) return errors::NoSuchEntity("The role with name " + name + " cannot be found.");
  return std::move(*role);
}

std::string EncodeDocument(const std::string& doc) { return UriEncode(doc); }

std::vector<IamTag> TagsOf(const std::optional<std::vector<api::iam::Tag>>& tags) {
  std::vector<IamTag> out;
  for (const auto& t : tags.value_or(std::vector<api::iam::Tag>{})) out.push_back({t.key, t.value});
  return out;
}

std::vector<api::iam::Tag> ApiTags(const std::vector<IamTag>& tags) {
  std::vector<api::iam::Tag> out;
  for (const auto& t : tags) out.push_back({t.key, t.value});
  return out;
}

namespace {

std::optional<api::iam::AttachedPermissionsBoundary> BoundaryOf(const std::optional<std::string>& arn) {
  if (!arn) return std::nullopt;
  return api::iam::AttachedPermissionsBoundary{api::iam::PermissionsBoundaryAttachmentType::kPermissionsBoundaryPolicy,
                                               *arn};
}

}  // namespace

api::iam::User ListedUserOf(const IamUser& u) {
  api::iam::User out;
  out.path = u.path;
  out.user_name = u.name;
  out.user_id = u.user_id;
  out.arn = u.arn;
  out.create_date = Seconds(u.created);
  return out;
}

api::iam::User UserOf(const IamUser& u) {
  api::iam::User out = ListedUserOf(u);
  out.permissions_boundary = BoundaryOf(u.permissions_boundary);
  if (!u.tags.empty()) out.tags = ApiTags(u.tags);
  return out;
}

api::iam::Role RoleOf(const IamRole& r) {
  api::iam::Role out = ListedRoleOf(r);
  out.permissions_boundary = BoundaryOf(r.permissions_boundary);
  if (!r.tags.empty()) out.tags = ApiTags(r.tags);
  return out;
}

api::iam::Role ListedRoleOf(const IamRole& r) {
  api::iam::Role out;
  out.path = r.path;
  out.role_name = r.name;
  out.role_id = r.role_id;
  out.arn = r.arn;
  out.create_date = Seconds(r.created);
  out.max_session_duration = r.max_session_duration;
  out.assume_role_policy_document = EncodeDocument(r.trust_policy);
  if (!r.description.empty()) out.description = r.description;
  return out;
}

api::iam::Group GroupOf(const IamGroup& g) {
  api::iam::Group out;
  out.path = g.path;
  out.group_name = g.name;
  out.group_id = g.group_id;
  out.arn = g.arn;
  out.create_date = Seconds(g.created);
  return out;
}

api::iam::Policy PolicyOf(const ManagedPolicy& p) {
  api::iam::Policy out;
  out.policy_name = p.name;
  out.policy_id = p.id;
  out.arn = p.arn;
  out.path = p.path;
  out.default_version_id = p.default_version;
  out.attachment_count = p.attachments;
  out.permissions_boundary_usage_count = p.boundary_uses.value_or(0);
  out.is_attachable = true;
  out.description = p.description;
  out.create_date = p.created;
  out.update_date = p.updated.value_or(p.created);
  return out;
}

}  // namespace ck::services::iam
