#include "services/iam/iam_service.h"

#include <nlohmann/json.hpp>

#include "base/codec.h"
#include "core/iam/policy_document.h"
#include "services/authorizer.h"
#include "services/iam/iam_internal.h"
#include "wire/model.h"

namespace ck::services::iam {

const OperationTable<IamService>& IamService::Operations() {
  static const auto* table = [] {
    namespace ops = api::iam::ops;
    using S = IamService;
    auto* t = new OperationTable<S>(errors::kValidationError, errors::kNotImplemented);
    auto read = [](std::string_view action, std::string_view resource) {
      return OperationMeta{.iam_action = action, .read_only = true, .resource = resource};
    };
    auto write = [](std::string_view action, std::string_view resource) {
      return OperationMeta{.iam_action = action, .read_only = false, .resource = resource};
    };
    t->Add<ops::CreateUser, &S::CreateUser>(write("iam:CreateUser", "user"))
        .Add<ops::GetUser, &S::GetUser>(read("iam:GetUser", "user"))
        .Add<ops::DeleteUser, &S::DeleteUser>(write("iam:DeleteUser", "user"))
        .Add<ops::ListUsers, &S::ListUsers>(read("iam:ListUsers", "user"))
        .Add<ops::CreateAccessKey, &S::CreateAccessKey>(write("iam:CreateAccessKey", "user"))
        .Add<ops::DeleteAccessKey, &S::DeleteAccessKey>(write("iam:DeleteAccessKey", "user"))
        .Add<ops::ListAccessKeys, &S::ListAccessKeys>(read("iam:ListAccessKeys", "user"))
        .Add<ops::UpdateAccessKey, &S::UpdateAccessKey>(write("iam:UpdateAccessKey", "user"))
        .Add<ops::CreateRole, &S::CreateRole>(write("iam:CreateRole", "role"))
        .Add<ops::GetRole, &S::GetRole>(read("iam:GetRole", "role"))
        .Add<ops::DeleteRole, &S::DeleteRole>(write("iam:DeleteRole", "role"))
        .Add<ops::ListRoles, &S::ListRoles>(read("iam:ListRoles", "role"))
        .Add<ops::UpdateAssumeRolePolicy, &S::UpdateAssumeRolePolicy>(write("iam:UpdateAssumeRolePolicy", "role"))
        .Add<ops::TagRole, &S::TagRole>(write("iam:TagRole", "role"))
        .Add<ops::UntagRole, &S::UntagRole>(write("iam:UntagRole", "role"))
        .Add<ops::ListRoleTags, &S::ListRoleTags>(read("iam:ListRoleTags", "role"))
        .Add<ops::CreateServiceLinkedRole, &S::CreateServiceLinkedRole>(write("iam:CreateServiceLinkedRole", "role"))
        .Add<ops::DeleteServiceLinkedRole, &S::DeleteServiceLinkedRole>(write("iam:DeleteServiceLinkedRole", "role"))
        .Add<ops::GetServiceLinkedRoleDeletionStatus, &S::GetServiceLinkedRoleDeletionStatus>(
            read("iam:GetServiceLinkedRoleDeletionStatus", "role"))
        .Add<ops::CreateGroup, &S::CreateGroup>(write("iam:CreateGroup", "group"))
        .Add<ops::GetGroup, &S::GetGroup>(read("iam:GetGroup", "group"))
        .Add<ops::DeleteGroup, &S::DeleteGroup>(write("iam:DeleteGroup", "group"))
        .Add<ops::ListGroups, &S::ListGroups>(read("iam:ListGroups", "group"))
        .Add<ops::AddUserToGroup, &S::AddUserToGroup>(write("iam:AddUserToGroup", "group"))
        .Add<ops::RemoveUserFromGroup, &S::RemoveUserFromGroup>(write("iam:RemoveUserFromGroup", "group"))
        .Add<ops::ListGroupsForUser, &S::ListGroupsForUser>(read("iam:ListGroupsForUser", "user"))
        .Add<ops::PutGroupPolicy, &S::PutGroupPolicy>(write("iam:PutGroupPolicy", "group"))
        .Add<ops::GetGroupPolicy, &S::GetGroupPolicy>(read("iam:GetGroupPolicy", "group"))
        .Add<ops::DeleteGroupPolicy, &S::DeleteGroupPolicy>(write("iam:DeleteGroupPolicy", "group"))
        .Add<ops::ListGroupPolicies, &S::ListGroupPolicies>(read("iam:ListGroupPolicies", "group"))
        .Add<ops::AttachGroupPolicy, &S::AttachGroupPolicy>(write("iam:AttachGroupPolicy", "group"))
        .Add<ops::DetachGroupPolicy, &S::DetachGroupPolicy>(write("iam:DetachGroupPolicy", "group"))
        .Add<ops::ListAttachedGroupPolicies, &S::ListAttachedGroupPolicies>(
            read("iam:ListAttachedGroupPolicies", "group"))
        .Add<ops::PutRolePermissionsBoundary, &S::PutRolePermissionsBoundary>(
            write("iam:PutRolePermissionsBoundary", "role"))
        .Add<ops::DeleteRolePermissionsBoundary, &S::DeleteRolePermissionsBoundary>(
            write("iam:DeleteRolePermissionsBoundary", "role"))
        .Add<ops::PutUserPermissionsBoundary, &S::PutUserPermissionsBoundary>(
            write("iam:PutUserPermissionsBoundary", "user"))
        .Add<ops::DeleteUserPermissionsBoundary, &S::DeleteUserPermissionsBoundary>(
            write("iam:DeleteUserPermissionsBoundary", "user"))
        .Add<ops::CreateServiceSpecificCredential, &S::CreateServiceSpecificCredential>(
            write("iam:CreateServiceSpecificCredential", "user"))
        .Add<ops::ListServiceSpecificCredentials, &S::ListServiceSpecificCredentials>(
            read("iam:ListServiceSpecificCredentials", "user"))
        .Add<ops::UpdateServiceSpecificCredential, &S::UpdateServiceSpecificCredential>(
            write("iam:UpdateServiceSpecificCredential", "user"))
        .Add<ops::ResetServiceSpecificCredential, &S::ResetServiceSpecificCredential>(
            write("iam:ResetServiceSpecificCredential", "user"))
        .Add<ops::DeleteServiceSpecificCredential, &S::DeleteServiceSpecificCredential>(
            write("iam:DeleteServiceSpecificCredential", "user"))
        .Add<ops::PutUserPolicy, &S::PutUserPolicy>(write("iam:PutUserPolicy", "user"))
        .Add<ops::GetUserPolicy, &S::GetUserPolicy>(read("iam:GetUserPolicy", "user"))
        .Add<ops::DeleteUserPolicy, &S::DeleteUserPolicy>(write("iam:DeleteUserPolicy", "user"))
        .Add<ops::ListUserPolicies, &S::ListUserPolicies>(read("iam:ListUserPolicies", "user"))
        .Add<ops::PutRolePolicy, &S::PutRolePolicy>(write("iam:PutRolePolicy", "role"))
        .Add<ops::GetRolePolicy, &S::GetRolePolicy>(read("iam:GetRolePolicy", "role"))
        .Add<ops::DeleteRolePolicy, &S::DeleteRolePolicy>(write("iam:DeleteRolePolicy", "role"))
        .Add<ops::ListRolePolicies, &S::ListRolePolicies>(read("iam:ListRolePolicies", "role"))
        .Add<ops::CreatePolicy, &S::CreatePolicy>(write("iam:CreatePolicy", "policy"))
        .Add<ops::GetPolicy, &S::GetPolicy>(read("iam:GetPolicy", "policy"))
        .Add<ops::GetPolicyVersion, &S::GetPolicyVersion>(read("iam:GetPolicyVersion", "policy"))
        .Add<ops::CreatePolicyVersion, &S::CreatePolicyVersion>(write("iam:CreatePolicyVersion", "policy"))
        .Add<ops::DeletePolicy, &S::DeletePolicy>(write("iam:DeletePolicy", "policy"))
        .Add<ops::ListPolicies, &S::ListPolicies>(read("iam:ListPolicies", "policy"))
        .Add<ops::AttachUserPolicy, &S::AttachUserPolicy>(write("iam:AttachUserPolicy", "user"))
        .Add<ops::DetachUserPolicy, &S::DetachUserPolicy>(write("iam:DetachUserPolicy", "user"))
        .Add<ops::AttachRolePolicy, &S::AttachRolePolicy>(write("iam:AttachRolePolicy", "role"))
        .Add<ops::DetachRolePolicy, &S::DetachRolePolicy>(write("iam:DetachRolePolicy", "role"))
        .Add<ops::ListAttachedUserPolicies, &S::ListAttachedUserPolicies>(
            read("iam:ListAttachedUserPolicies", "user"))
        .Add<ops::ListAttachedRolePolicies, &S::ListAttachedRolePolicies>(
            read("iam:ListAttachedRolePolicies", "role"));
    return t;
  }();
  return *table;
}

Result<Document> IamService::Invoke(std::string_view operation, const Document& input, RequestContext& ctx) {
  if (ctx.principal.is_anonymous()) return errors::MissingAuthenticationToken("Request is missing Authentication Token");
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
  if (trust && !nlohmann::json::accept(doc)) return errors::MalformedPolicyDocument("This policy contains invalid Json");
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
