// IAM users and access keys.
#include "base/codec.h"
#include "services/iam/iam_internal.h"

namespace ck::services::iam {

namespace ops = api::iam::ops;

namespace {

std::string UserArnPrefix(const std::string& account) { return "arn:aws:iam::" + account + ":user/"; }

}  // namespace

Result<api::iam::CreateUserResponse> IamService::CreateUser(const api::iam::CreateUserRequest& in,
                                                            RequestContext& ctx) {
  IamUser u;
  u.account = ctx.principal.account;
  u.name = in.user_name;
  u.path = in.path.value_or("/");
  u.arn = "arn:aws:iam::" + u.account + ":user" + u.path + u.name;
  CK_RETURN_IF_ERROR(Authorize(ctx, ops::CreateUser::kName, u.arn));
  u.user_id = NewIamId("AIDA");
  u.created = clock_.Now();
  u.tags = TagsOf(in.tags);
  if (in.permissions_boundary) {
    CK_RETURN_IF_ERROR(LoadBoundaryPolicy(*in.permissions_boundary).status());
    u.permissions_boundary = in.permissions_boundary;
  }
  Status s = ids_.PutUser(u, true);
  if (s.code() == Code::kAlreadyExists)
    return errors::EntityAlreadyExists("User with name " + u.name + " already exists.");
  CK_RETURN_IF_ERROR(s);
  if (u.permissions_boundary) CK_RETURN_IF_ERROR(CountBoundaryUse(*u.permissions_boundary, +1));
  api::iam::CreateUserResponse out;
  out.user = UserOf(u);
  return out;
}

Result<api::iam::GetUserResponse> IamService::GetUser(const api::iam::GetUserRequest& in, RequestContext& ctx) {
  const Principal& caller = ctx.principal;
  std::string name = in.user_name.value_or("");
  api::iam::GetUserResponse out;
  if (name.empty()) {
    // No name: the calling user itself.
    if (caller.type == Principal::kRoot) {
      out.user.user_id = caller.account;
      out.user.arn = caller.arn;
      out.user.create_date = Seconds(clock_.Now());
      return out;
    }
    if (caller.type != Principal::kUser)
      return errors::ValidationError("Must specify userName when calling with non-User credentials");
    name = caller.username;
  }
  CK_ASSIGN_OR_RETURN(IamUser u, LoadAuthorized<IamUser>(ctx, ops::GetUser::kName, name));
  out.user = UserOf(u);
  return out;
}

Result<api::Empty> IamService::DeleteUser(const api::iam::DeleteUserRequest& in, RequestContext& ctx) {
  CK_ASSIGN_OR_RETURN(IamUser u, LoadAuthorized<IamUser>(ctx, ops::DeleteUser::kName, in.user_name));
  if (!u.inline_policies.empty()) return errors::DeleteConflict("Cannot delete entity, must delete policies first.");
  if (!u.attached_policies.empty())
    return errors::DeleteConflict("Cannot delete entity, must detach all policies first.");
  CK_ASSIGN_OR_RETURN(auto keys, ids_.ListAccessKeys(u.account, u.name));
  if (!keys.empty()) return errors::DeleteConflict("Cannot delete entity, must delete access keys first.");
  if (u.groups && !u.groups->empty())
    return errors::DeleteConflict("Cannot delete entity, must remove user from all groups first.");
  // AWS recording (test_delete_user_after_service_credential_created).
  CK_ASSIGN_OR_RETURN(bool credentials, HasServiceCredentials(u));
  if (credentials) return errors::DeleteConflict("Cannot delete entity, must remove referenced objects first.");
  CK_RETURN_IF_ERROR(ids_.DeleteUser(u.account, u.name));
  if (u.permissions_boundary) CK_RETURN_IF_ERROR(CountBoundaryUse(*u.permissions_boundary, -1));
  return api::Empty{};
}

Result<api::iam::ListUsersResponse> IamService::ListUsers(const api::iam::ListUsersRequest& in, RequestContext& ctx) {
  CK_RETURN_IF_ERROR(Authorize(ctx, ops::ListUsers::kName, UserArnPrefix(ctx.principal.account)));
  CK_ASSIGN_OR_RETURN(auto users, ids_.ListUsers(ctx.principal.account));
  std::string prefix = in.path_prefix.value_or("/");
  api::iam::ListUsersResponse out;
  for (const auto& u : users)
    if (StartsWith(u.path, prefix)) out.users.push_back(ListedUserOf(u));
  out.is_truncated = false;
  return out;
}

Result<api::iam::CreateAccessKeyResponse> IamService::CreateAccessKey(const api::iam::CreateAccessKeyRequest& in,
                                                                      RequestContext& ctx) {
  std::string name = in.user_name.value_or("");
  if (name.empty() && ctx.principal.type == Principal::kUser) name = ctx.principal.username;
  AccessKey k;
  k.account = ctx.principal.account;
  if (!name.empty()) {
    CK_ASSIGN_OR_RETURN(IamUser u, LoadAuthorized<IamUser>(ctx, ops::CreateAccessKey::kName, name));
    CK_ASSIGN_OR_RETURN(auto existing, ids_.ListAccessKeys(k.account, u.name));
    if (existing.size() >= 2) return errors::LimitExceeded("Cannot exceed quota for AccessKeysPerUser: 2");
    k.user_name = u.name;
  } else {
    CK_RETURN_IF_ERROR(Authorize(ctx, ops::CreateAccessKey::kName, ctx.principal.arn));
  }
  k.access_key_id = NewIamId("AKIA");
  k.secret = NewSecretAccessKey();
  k.created = clock_.Now();
  CK_RETURN_IF_ERROR(ids_.PutAccessKey(k));
  api::iam::CreateAccessKeyResponse out;
  out.access_key.access_key_id = k.access_key_id;
  out.access_key.secret_access_key = k.secret;
  out.access_key.status = api::iam::statusType::kActive;
  out.access_key.create_date = Seconds(k.created);
  out.access_key.user_name = k.user_name;
  return out;
}

Result<AccessKey> IamService::LoadAuthorizedKey(RequestContext& ctx, std::string_view operation,
                                               const std::string& id) {
  CK_ASSIGN_OR_RETURN(auto key, ids_.GetAccessKey(id));
  if (!key || key->account != ctx.principal.account)
    return errors::NoSuchEntity("The Access Key with id " + id + " cannot be found.");
  CK_RETURN_IF_ERROR(Authorize(ctx, operation, UserArnPrefix(key->account) + key->user_name));
  return std::move(*key);
}

Result<api::Empty> IamService::DeleteAccessKey(const api::iam::DeleteAccessKeyRequest& in, RequestContext& ctx) {
  CK_RETURN_IF_ERROR(LoadAuthorizedKey(ctx, ops::DeleteAccessKey::kName, in.access_key_id).status());
  CK_RETURN_IF_ERROR(ids_.DeleteAccessKey(in.access_key_id));
  return api::Empty{};
}

Result<api::iam::ListAccessKeysResponse> IamService::ListAccessKeys(const api::iam::ListAccessKeysRequest& in,
                                                                    RequestContext& ctx) {
  std::string name = in.user_name.value_or("");
  if (name.empty() && ctx.principal.type == Principal::kUser) name = ctx.principal.username;
  if (!name.empty()) {
    CK_ASSIGN_OR_RETURN(IamUser u, LoadAuthorized<IamUser>(ctx, ops::ListAccessKeys::kName, name));
    name = u.name;
  }
  CK_ASSIGN_OR_RETURN(auto keys, ids_.ListAccessKeys(ctx.principal.account, name));
  api::iam::ListAccessKeysResponse out;
  for (const auto& k : keys) {
    api::iam::AccessKeyMetadata m;
    m.access_key_id = k.access_key_id;
    m.status = k.active ? api::iam::statusType::kActive : api::iam::statusType::kInactive;
    m.create_date = Seconds(k.created);
    if (!k.user_name.empty()) m.user_name = k.user_name;
    out.access_key_metadata.push_back(std::move(m));
  }
  out.is_truncated = false;
  return out;
}

Result<api::Empty> IamService::UpdateAccessKey(const api::iam::UpdateAccessKeyRequest& in, RequestContext& ctx) {
  CK_ASSIGN_OR_RETURN(AccessKey key, LoadAuthorizedKey(ctx, ops::UpdateAccessKey::kName, in.access_key_id));
  key.active = in.status == api::iam::statusType::kActive;
  CK_RETURN_IF_ERROR(ids_.PutAccessKey(key));
  return api::Empty{};
}

}  // namespace ck::services::iam
