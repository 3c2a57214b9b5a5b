// IAM roles.
#include <algorithm>

#include "base/codec.h"
#include "core/ids.h"
#include "services/iam/iam_internal.h"

namespace ck::services::iam {

namespace ops = api::iam::ops;

Result<api::iam::CreateRoleResponse> IamService::CreateRole(const api::iam::CreateRoleRequest& in,
                                                            RequestContext& ctx) {
  IamRole r;
  r.account = ctx.principal.account;
  r.name = in.role_name;
  r.path = in.path.value_or("/");
  r.arn = "arn:aws:iam::" + r.account + ":role" + r.path + r.name;
  CK_RETURN_IF_ERROR(Authorize(ctx, ops::CreateRole::kName, r.arn));
  r.trust_policy = in.assume_role_policy_document;
  CK_RETURN_IF_ERROR(ValidateDocument(r.trust_policy, true, false));
  r.description = in.description.value_or("");
  r.max_session_duration = in.max_session_duration.value_or(3600);
  r.role_id = NewIamId("AROA");
  r.created = clock_.Now();
  r.tags = TagsOf(in.tags);
  if (in.permissions_boundary) {
    CK_RETURN_IF_ERROR(LoadBoundaryPolicy(*in.permissions_boundary).status());
    r.permissions_boundary = in.permissions_boundary;
  }
  Status s = ids_.PutRole(r, true);
  if (s.code() == Code::kAlreadyExists)
    return errors::EntityAlreadyExists("Role with name " + r.name + " already exists.");
  CK_RETURN_IF_ERROR(s);
  if (r.permissions_boundary) CK_RETURN_IF_ERROR(CountBoundaryUse(*r.permissions_boundary, +1));
  return api::iam::CreateRoleResponse{RoleOf(r)};
}

Result<api::iam::GetRoleResponse> IamService::GetRole(const api::iam::GetRoleRequest& in, RequestContext& ctx) {
  CK_ASSIGN_OR_RETURN(IamRole r, LoadAuthorized<IamRole>(ctx, ops::GetRole::kName, in.role_name));
  api::iam::GetRoleResponse out{RoleOf(r)};
  // GetRole always has RoleLastUsed, empty until the role is used (AWS recordings).
  out.role.role_last_used.emplace();
  return out;
}

Result<api::Empty> IamService::DeleteRole(const api::iam::DeleteRoleRequest& in, RequestContext& ctx) {
  CK_ASSIGN_OR_RETURN(IamRole r, LoadAuthorized<IamRole>(ctx, ops::DeleteRole::kName, in.role_name));
  CK_RETURN_IF_ERROR(CheckModifiable(r));
  if (!r.inline_policies.empty()) return errors::DeleteConflict("Cannot delete entity, must delete policies first.");
  if (!r.attached_policies.empty())
    return errors::DeleteConflict("Cannot delete entity, must detach all policies first.");
  CK_RETURN_IF_ERROR(ids_.DeleteRole(r.account, r.name));
  if (r.permissions_boundary) CK_RETURN_IF_ERROR(CountBoundaryUse(*r.permissions_boundary, -1));
  return api::Empty{};
}

Result<api::iam::ListRolesResponse> IamService::ListRoles(const api::iam::ListRolesRequest& in, RequestContext& ctx) {
  CK_RETURN_IF_ERROR(Authorize(ctx, ops::ListRoles::kName, "arn:aws:iam::" + ctx.principal.account + ":role/"));
  CK_ASSIGN_OR_RETURN(auto roles, ids_.ListRoles(ctx.principal.account));
  std::string prefix = in.path_prefix.value_or("/");
  api::iam::ListRolesResponse out;
  for (const auto& r : roles)
    if (StartsWith(r.path, prefix)) out.roles.push_back(ListedRoleOf(r));
  out.is_truncated = false;
  return out;
}

Result<api::Empty> IamService::UpdateAssumeRolePolicy(const api::iam::UpdateAssumeRolePolicyRequest& in,
                                                      RequestContext& ctx) {
  CK_RETURN_IF_ERROR(UpdateEntity<IamRole>(ctx, ops::UpdateAssumeRolePolicy::kName, in.role_name, [&](IamRole& r) {
    CK_RETURN_IF_ERROR(CheckModifiable(r));
    CK_RETURN_IF_ERROR(ValidateDocument(in.policy_document, true, false));
    r.trust_policy = in.policy_document;
    return Status::Ok();
  }));
  return api::Empty{};
}

Result<api::Empty> IamService::TagRole(const api::iam::TagRoleRequest& in, RequestContext& ctx) {
  CK_RETURN_IF_ERROR(UpdateEntity<IamRole>(ctx, ops::TagRole::kName, in.role_name, [&](IamRole& r) {
    for (const auto& tag : in.tags) {
      auto it = std::find_if(r.tags.begin(), r.tags.end(), [&](const IamTag& t) { return t.key == tag.key; });
      if (it != r.tags.end()) it->value = tag.value;
      else r.tags.push_back({tag.key, tag.value});
    }
    if (r.tags.size() > 50) return errors::LimitExceeded("Cannot exceed quota for TagsPerRole: 50");
    return Status::Ok();
  }));
  return api::Empty{};
}

Result<api::Empty> IamService::UntagRole(const api::iam::UntagRoleRequest& in, RequestContext& ctx) {
  CK_RETURN_IF_ERROR(UpdateEntity<IamRole>(ctx, ops::UntagRole::kName, in.role_name, [&](IamRole& r) {
    for (const auto& key : in.tag_keys) std::erase_if(r.tags, [&](const IamTag& t) { return t.key == key; });
    return Status::Ok();
  }));
  return api::Empty{};
}

Result<api::iam::ListRoleTagsResponse> IamService::ListRoleTags(const api::iam::ListRoleTagsRequest& in,
                                                                RequestContext& ctx) {
  CK_ASSIGN_OR_RETURN(IamRole r, LoadAuthorized<IamRole>(ctx, ops::ListRoleTags::kName, in.role_name));
  api::iam::ListRoleTagsResponse out;
  out.tags = ApiTags(r.tags);
  out.is_truncated = false;
  return out;
}

// ---- service-linked roles ----

Status CheckModifiable(const IamRole& r) {
  if (!StartsWith(r.path, kServiceRolePath)) return Status::Ok();
  return errors::UnmodifiableEntity("Cannot perform the operation on the protected role '" + r.name +
                                    "' - this role is only modifiable by AWS");
}

Result<api::iam::CreateServiceLinkedRoleResponse> IamService::CreateServiceLinkedRole(
    const api::iam::CreateServiceLinkedRoleRequest& in, RequestContext& ctx) {
  const std::string& service = in.aws_service_name;
  const ServiceLinkedRoleSpec* spec = FindServiceLinkedRole(service);
  // AWS's text for a service without service-linked roles is UNVERIFIED.
  if (!spec) return errors::InvalidInput("Service " + service + " does not support service-linked roles.");
  // AWS recording (test_service_role_lifecycle_custom_suffix_not_allowed).
  if (in.custom_suffix && !spec->custom_suffix)
    return errors::InvalidInput("Custom suffix is not allowed for " + service);
  IamRole r;
  r.account = ctx.principal.account;
  r.name = std::string(spec->role_name);
  if (in.custom_suffix) r.name += "_" + *in.custom_suffix;
  r.path = std::string(kServiceRolePath) + service + "/";
  r.arn = "arn:aws:iam::" + r.account + ":role" + r.path + r.name;
  CK_RETURN_IF_ERROR(Authorize(ctx, ops::CreateServiceLinkedRole::kName, r.arn));
  r.trust_policy = ServiceTrustPolicy(service);
  r.description = in.description.value_or(std::string(spec->description));
  r.role_id = NewIamId("AROA");
  r.created = clock_.Now();
  r.attached_policies.push_back(ServiceRolePolicyArn(*spec));
  Status s = ids_.PutRole(r, true);
  // AWS recording (test_service_role_already_exists); any role of that name counts.
  if (s.code() == Code::kAlreadyExists)
    return errors::InvalidInput("Service role name " + r.name +
                                " has been taken in this account, please try a different suffix.");
  CK_RETURN_IF_ERROR(s);
  return api::iam::CreateServiceLinkedRoleResponse{RoleOf(r)};
}

Result<api::iam::DeleteServiceLinkedRoleResponse> IamService::DeleteServiceLinkedRole(
    const api::iam::DeleteServiceLinkedRoleRequest& in, RequestContext& ctx) {
  CK_ASSIGN_OR_RETURN(IamRole r, LoadAuthorized<IamRole>(ctx, ops::DeleteServiceLinkedRole::kName, in.role_name));
  // A role that is not service-linked: NoSuchEntity is the error AWS
  // documents for this call; the text is UNVERIFIED.
  if (!StartsWith(r.path, kServiceRolePath))
    return errors::NoSuchEntity("The service-linked role with name " + r.name + " cannot be found.");
  // Nothing uses the role here, so it goes at once (AWS deletes asynchronously).
  CK_RETURN_IF_ERROR(ids_.DeleteRole(r.account, r.name));
  std::string task = "task" + r.path + r.name + "/" + ids::Uuid4();
  CK_RETURN_IF_ERROR(slr_deletions_.Put(task, SlrDeletionTask{r.account, r.arn}));
  return api::iam::DeleteServiceLinkedRoleResponse{task};
}

Result<api::iam::GetServiceLinkedRoleDeletionStatusResponse> IamService::GetServiceLinkedRoleDeletionStatus(
    const api::iam::GetServiceLinkedRoleDeletionStatusRequest& in, RequestContext& ctx) {
  CK_ASSIGN_OR_RETURN(auto task, slr_deletions_.Get(in.deletion_task_id));
  // An unknown task is NoSuchEntity (as AWS answers once it has purged a
  // task); the text is UNVERIFIED.
  if (!task || task->account != ctx.principal.account)
    return errors::NoSuchEntity("Deletion task " + in.deletion_task_id + " cannot be found.");
  CK_RETURN_IF_ERROR(Authorize(ctx, ops::GetServiceLinkedRoleDeletionStatus::kName, task->role_arn));
  api::iam::GetServiceLinkedRoleDeletionStatusResponse out;
  out.status = api::iam::DeletionTaskStatusType::kSucceeded;
  return out;
}

}  // namespace ck::services::iam
