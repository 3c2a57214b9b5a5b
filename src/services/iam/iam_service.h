// IAM (query protocol, global): users, access keys, roles, inline and managed
// policies, and the AWS managed policies people attach most. Every call is
// authorized against the caller's identity policies ("iam:" + the operation's
// name, on the entity's ARN); the account root may do everything in its
// account.
//
// Each operation is a typed function over the generated shapes (api/iam.h),
// registered in the service's OperationTable; model operations not in the
// table answer NotImplemented. The operations live in iam_users.cpp (users and
// access keys), iam_roles.cpp (roles, service-linked roles), iam_policies.cpp
// (inline and managed policies of users, roles and groups, attachments),
// iam_groups.cpp (groups and their members),
// iam_service_credentials.cpp (service-specific credentials), iam_simulate.cpp
// (the policy simulator).
//
// A service-linked role (path /aws-service-role/SERVICE/) belongs to AWS:
// changing it (DeleteRole, UpdateAssumeRolePolicy, inline policies,
// attachments) answers UnmodifiableEntity; DeleteServiceLinkedRole removes it.
//
// Thread safety: safe for concurrent use (IdentityStore and the authorizer are).
#pragma once

#include <string>
#include <string_view>

#include "api/iam.h"
#include "base/clock.h"
#include "core/iam/simulator.h"
#include "services/common/operation_table.h"
#include "services/iam/identity_store.h"
#include "services/iam/service_linked_roles.h"
#include "services/service.h"

namespace ck::services {
class PolicyAuthorizer;
}  // namespace ck::services

namespace ck::services::iam {

// A service-specific credential (iam_service_credentials.cpp).
struct ServiceCredential {
  std::string account, user_name, id, service_name, service_user_name, password;
  bool active = true;
  TimePoint created;
};
CK_DECLARE_FIELDS(ServiceCredential);

class IamService final : public Service {
 public:
  IamService(IdentityStore& identities, PolicyAuthorizer& authorizer, const Clock& clock)
      : ids_(identities),
        authz_(authorizer),
        clock_(clock),
        slr_deletions_(identities.store(), kSlrDeletions),
        service_credentials_(identities.store(), "iam.service_credentials") {}
  std::string_view name() const override { return "iam"; }
  Result<Document> Invoke(std::string_view operation, const Document& input, RequestContext& ctx) override;
  Status CheckModel() const override;

  // Users and access keys (iam_users.cpp).
  Result<api::iam::CreateUserResponse> CreateUser(const api::iam::CreateUserRequest& in, RequestContext& ctx);
  Result<api::iam::GetUserResponse> GetUser(const api::iam::GetUserRequest& in, RequestContext& ctx);
  Result<api::Empty> DeleteUser(const api::iam::DeleteUserRequest& in, RequestContext& ctx);
  Result<api::iam::ListUsersResponse> ListUsers(const api::iam::ListUsersRequest& in, RequestContext& ctx);
  Result<api::iam::CreateAccessKeyResponse> CreateAccessKey(const api::iam::CreateAccessKeyRequest& in,
                                                            RequestContext& ctx);
  Result<api::Empty> DeleteAccessKey(const api::iam::DeleteAccessKeyRequest& in, RequestContext& ctx);
  Result<api::iam::ListAccessKeysResponse> ListAccessKeys(const api::iam::ListAccessKeysRequest& in,
                                                          RequestContext& ctx);
  Result<api::Empty> UpdateAccessKey(const api::iam::UpdateAccessKeyRequest& in, RequestContext& ctx);

  // Roles (iam_roles.cpp).
  Result<api::iam::CreateRoleResponse> CreateRole(const api::iam::CreateRoleRequest& in, RequestContext& ctx);
  Result<api::iam::GetRoleResponse> GetRole(const api::iam::GetRoleRequest& in, RequestContext& ctx);
  Result<api::Empty> DeleteRole(const api::iam::DeleteRoleRequest& in, RequestContext& ctx);
  Result<api::iam::ListRolesResponse> ListRoles(const api::iam::ListRolesRequest& in, RequestContext& ctx);
  Result<api::Empty> UpdateAssumeRolePolicy(const api::iam::UpdateAssumeRolePolicyRequest& in, RequestContext& ctx);
  Result<api::Empty> TagRole(const api::iam::TagRoleRequest& in, RequestContext& ctx);
  Result<api::Empty> UntagRole(const api::iam::UntagRoleRequest& in, RequestContext& ctx);
  Result<api::iam::ListRoleTagsResponse> ListRoleTags(const api::iam::ListRoleTagsRequest& in, RequestContext& ctx);

  // The policy simulator (iam_simulate.cpp).
  Result<api::iam::SimulatePolicyResponse> SimulatePrincipalPolicy(const api::iam::SimulatePrincipalPolicyRequest& in,
                                                                   RequestContext& ctx);
  Result<api::iam::SimulatePolicyResponse> SimulateCustomPolicy(const api::iam::SimulateCustomPolicyRequest& in,
                                                                RequestContext& ctx);
  Result<api::iam::GetContextKeysForPolicyResponse> GetContextKeysForPrincipalPolicy(
      const api::iam::GetContextKeysForPrincipalPolicyRequest& in, RequestContext& ctx);
  Result<api::iam::GetContextKeysForPolicyResponse> GetContextKeysForCustomPolicy(
      const api::iam::GetContextKeysForCustomPolicyRequest& in, RequestContext& ctx);

  // Service-linked roles (iam_roles.cpp, service_linked_roles.h).
  Result<api::iam::CreateServiceLinkedRoleResponse> CreateServiceLinkedRole(
      const api::iam::CreateServiceLinkedRoleRequest& in, RequestContext& ctx);
  Result<api::iam::DeleteServiceLinkedRoleResponse> DeleteServiceLinkedRole(
      const api::iam::DeleteServiceLinkedRoleRequest& in, RequestContext& ctx);
  Result<api::iam::GetServiceLinkedRoleDeletionStatusResponse> GetServiceLinkedRoleDeletionStatus(
      const api::iam::GetServiceLinkedRoleDeletionStatusRequest& in, RequestContext& ctx);

  // Groups and their members (iam_groups.cpp); their policies (iam_policies.cpp).
  Result<api::iam::CreateGroupResponse> CreateGroup(const api::iam::CreateGroupRequest& in, RequestContext& ctx);
  Result<api::iam::GetGroupResponse> GetGroup(const api::iam::GetGroupRequest& in, RequestContext& ctx);
  Result<api::Empty> DeleteGroup(const api::iam::DeleteGroupRequest& in, RequestContext& ctx);
  Result<api::iam::ListGroupsResponse> ListGroups(const api::iam::ListGroupsRequest& in, RequestContext& ctx);
  Result<api::Empty> AddUserToGroup(const api::iam::AddUserToGroupRequest& in, RequestContext& ctx);
  Result<api::Empty> RemoveUserFromGroup(const api::iam::RemoveUserFromGroupRequest& in, RequestContext& ctx);
  Result<api::iam::ListGroupsForUserResponse> ListGroupsForUser(const api::iam::ListGroupsForUserRequest& in,
                                                                RequestContext& ctx);
  Result<api::Empty> PutGroupPolicy(const api::iam::PutGroupPolicyRequest& in, RequestContext& ctx);
  Result<api::iam::GetGroupPolicyResponse> GetGroupPolicy(const api::iam::GetGroupPolicyRequest& in,
                                                          RequestContext& ctx);
  Result<api::Empty> DeleteGroupPolicy(const api::iam::DeleteGroupPolicyRequest& in, RequestContext& ctx);
  Result<api::iam::ListGroupPoliciesResponse> ListGroupPolicies(const api::iam::ListGroupPoliciesRequest& in,
                                                                RequestContext& ctx);
  Result<api::Empty> AttachGroupPolicy(const api::iam::AttachGroupPolicyRequest& in, RequestContext& ctx);
  Result<api::Empty> DetachGroupPolicy(const api::iam::DetachGroupPolicyRequest& in, RequestContext& ctx);
  Result<api::iam::ListAttachedGroupPoliciesResponse> ListAttachedGroupPolicies(
      const api::iam::ListAttachedGroupPoliciesRequest& in, RequestContext& ctx);

  // Permissions boundaries (iam_policies.cpp).
  Result<api::Empty> PutRolePermissionsBoundary(const api::iam::PutRolePermissionsBoundaryRequest& in,
                                                RequestContext& ctx);
  Result<api::Empty> DeleteRolePermissionsBoundary(const api::iam::DeleteRolePermissionsBoundaryRequest& in,
                                                   RequestContext& ctx);
  Result<api::Empty> PutUserPermissionsBoundary(const api::iam::PutUserPermissionsBoundaryRequest& in,
                                                RequestContext& ctx);
  Result<api::Empty> DeleteUserPermissionsBoundary(const api::iam::DeleteUserPermissionsBoundaryRequest& in,
                                                   RequestContext& ctx);

  // Service-specific credentials (iam_service_credentials.cpp).
  Result<api::iam::CreateServiceSpecificCredentialResponse> CreateServiceSpecificCredential(
      const api::iam::CreateServiceSpecificCredentialRequest& in, RequestContext& ctx);
  Result<api::iam::ListServiceSpecificCredentialsResponse> ListServiceSpecificCredentials(
      const api::iam::ListServiceSpecificCredentialsRequest& in, RequestContext& ctx);
  Result<api::Empty> UpdateServiceSpecificCredential(const api::iam::UpdateServiceSpecificCredentialRequest& in,
                                                     RequestContext& ctx);
  Result<api::iam::ResetServiceSpecificCredentialResponse> ResetServiceSpecificCredential(
      const api::iam::ResetServiceSpecificCredentialRequest& in, RequestContext& ctx);
  Result<api::Empty> DeleteServiceSpecificCredential(const api::iam::DeleteServiceSpecificCredentialRequest& in,
                                                     RequestContext& ctx);

  // Inline policies of users and roles (iam_policies.cpp).
  Result<api::Empty> PutUserPolicy(const api::iam::PutUserPolicyRequest& in, RequestContext& ctx);
  Result<api::iam::GetUserPolicyResponse> GetUserPolicy(const api::iam::GetUserPolicyRequest& in, RequestContext& ctx);
  Result<api::Empty> DeleteUserPolicy(const api::iam::DeleteUserPolicyRequest& in, RequestContext& ctx);
  Result<api::iam::ListUserPoliciesResponse> ListUserPolicies(const api::iam::ListUserPoliciesRequest& in,
                                                              RequestContext& ctx);
  Result<api::Empty> PutRolePolicy(const api::iam::PutRolePolicyRequest& in, RequestContext& ctx);
  Result<api::iam::GetRolePolicyResponse> GetRolePolicy(const api::iam::GetRolePolicyRequest& in, RequestContext& ctx);
  Result<api::Empty> DeleteRolePolicy(const api::iam::DeleteRolePolicyRequest& in, RequestContext& ctx);
  Result<api::iam::ListRolePoliciesResponse> ListRolePolicies(const api::iam::ListRolePoliciesRequest& in,
                                                              RequestContext& ctx);

  // Managed policies and attachments (iam_policies.cpp).
  Result<api::iam::CreatePolicyResponse> CreatePolicy(const api::iam::CreatePolicyRequest& in, RequestContext& ctx);
  Result<api::iam::GetPolicyResponse> GetPolicy(const api::iam::GetPolicyRequest& in, RequestContext& ctx);
  Result<api::iam::GetPolicyVersionResponse> GetPolicyVersion(const api::iam::GetPolicyVersionRequest& in,
                                                              RequestContext& ctx);
  Result<api::iam::CreatePolicyVersionResponse> CreatePolicyVersion(const api::iam::CreatePolicyVersionRequest& in,
                                                                    RequestContext& ctx);
  Result<api::Empty> DeletePolicy(const api::iam::DeletePolicyRequest& in, RequestContext& ctx);
  Result<api::iam::ListPoliciesResponse> ListPolicies(const api::iam::ListPoliciesRequest& in, RequestContext& ctx);
  Result<api::Empty> AttachUserPolicy(const api::iam::AttachUserPolicyRequest& in, RequestContext& ctx);
  Result<api::Empty> DetachUserPolicy(const api::iam::DetachUserPolicyRequest& in, RequestContext& ctx);
  Result<api::Empty> AttachRolePolicy(const api::iam::AttachRolePolicyRequest& in, RequestContext& ctx);
  Result<api::Empty> DetachRolePolicy(const api::iam::DetachRolePolicyRequest& in, RequestContext& ctx);
  Result<api::iam::ListAttachedUserPoliciesResponse> ListAttachedUserPolicies(
      const api::iam::ListAttachedUserPoliciesRequest& in, RequestContext& ctx);
  Result<api::iam::ListAttachedRolePoliciesResponse> ListAttachedRolePolicies(
      const api::iam::ListAttachedRolePoliciesRequest& in, RequestContext& ctx);

 private:
  static const OperationTable<IamService>& Operations();

  // Authorizes "iam:" + operation on `resource` in the caller's account.
  Status Authorize(RequestContext& ctx, std::string_view operation, const std::string& resource);
  Status ValidateDocument(const std::string& doc, bool trust, bool managed);
  // The user or role, or NoSuchEntity.
  Result<IamUser> MustGetUser(const std::string& account, const std::string& name);
  Result<IamRole> MustGetRole(const std::string& account, const std::string& name);
  Result<IamGroup> MustGetGroup(const std::string& account, const std::string& name);
  // Loads the user or role named by `name`, authorizes `operation` on it,
  // runs `change` on it and stores it.
  template <typename Entity, typename Change>
  Status UpdateEntity(RequestContext& ctx, std::string_view operation, const std::string& name, Change change);
  template <typename Entity>
  Result<Entity> LoadAuthorized(RequestContext& ctx, std::string_view operation, const std::string& name);
  // An access key of the caller's account (else NoSuchEntity), authorized
  // for `operation` on its user.
  Result<AccessKey> LoadAuthorizedKey(RequestContext& ctx, std::string_view operation, const std::string& id);
  Status Save(const IamUser& user) { return ids_.PutUser(user, false); }
  Status Save(const IamRole& role) { return ids_.PutRole(role, false); }
  Status Save(const IamGroup& group) { return ids_.PutGroup(group, false); }
  // Inline policy `policy` of an entity, or NoSuchEntity.
  template <typename Entity>
  Result<std::string> InlineDocument(RequestContext& ctx, std::string_view operation, const std::string& name,
                                     const std::string& policy, std::string* entity_name);
  template <typename Entity>
  Status PutInline(RequestContext& ctx, std::string_view operation, const std::string& name, const std::string& policy,
                   const std::string& document);
  template <typename Entity>
  Status DeleteInline(RequestContext& ctx, std::string_view operation, const std::string& name,
                      const std::string& policy);
  template <typename Entity>
  Result<std::vector<std::string>> InlineNames(RequestContext& ctx, std::string_view operation,
                                               const std::string& name);
  template <typename Entity>
  Status Attach(RequestContext& ctx, std::string_view operation, const std::string& name, const std::string& arn,
                bool attach);
  template <typename Entity>
  Result<std::vector<api::iam::AttachedPolicy>> Attached(RequestContext& ctx, std::string_view operation,
                                                         const std::string& name);
  // The user an operation names, or the calling user when it names none
  // ("" for a caller that is not a user).
  std::string CallerUserName(const RequestContext& ctx, const std::optional<std::string>& given) const;
  // The user's service-specific credential `id` (validated; NoSuchEntity).
  Result<ServiceCredential> LoadCredential(RequestContext& ctx, std::string_view operation,
                                           const std::optional<std::string>& user_name, const std::string& id);
  Result<bool> HasServiceCredentials(const IamUser& u);
  // Sets (or, with nullopt, removes) the permissions boundary of a user or
  // role, keeping the policies' PermissionsBoundaryUsageCount.
  template <typename Entity>
  Status SetBoundary(RequestContext& ctx, std::string_view operation, const std::string& name,
                     const std::optional<std::string>& arn);
  // The managed policy a boundary names (NoSuchEntity when there is none).
  Result<ManagedPolicy> LoadBoundaryPolicy(const std::string& arn);
  // Adds `delta` to a customer managed policy's boundary use count.
  Status CountBoundaryUse(const std::string& arn, int delta);
  // A customer managed policy, or an AWS managed one; NoSuchEntity otherwise.
  Result<ManagedPolicy> LoadManagedPolicy(const std::string& arn);
  // The identity policies (and permissions boundary) of the user, role or
  // group PolicySourceArn names, for the simulator; *principal describes it.
  Status AuthorizeSource(RequestContext& ctx, std::string_view operation, const std::string& arn);
  Result<core::iam::SimulationInput> PrincipalPolicies(const std::string& source_arn, Principal* principal);
  Status AddEntityPolicies(const std::map<std::string, std::string>& inline_policies,
                           const std::vector<std::string>& attached, std::vector<core::iam::SimulatedPolicy>* out);
  // A customer managed policy of the caller's account (for changes).
  Result<ManagedPolicy> LoadOwnPolicy(RequestContext& ctx, const std::string& arn);

  IdentityStore& ids_;
  PolicyAuthorizer& authz_;
  const Clock& clock_;
  RecordTable<SlrDeletionTask> slr_deletions_;
  RecordTable<ServiceCredential> service_credentials_;
};

}  // namespace ck::services::iam
