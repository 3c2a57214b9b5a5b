// IAM groups and their members. A user's groups are kept in the user's
// record (IamUser::groups), so the authorizer finds a user's group policies
// with the user; a group's member list is read from the users.
#include <algorithm>

#include "base/codec.h"
#include "services/iam/iam_internal.h"

namespace ck::services::iam {

namespace ops = api::iam::ops;

namespace {

bool InGroup(const IamUser& u, const std::string& group) {
  if (!u.groups) return false;
  return std::any_of(u.groups->begin(), u.groups->end(),
                     [&](const std::string& g) { return ToLower(g) == ToLower(group); });
}

}  // namespace

Result<api::iam::CreateGroupResponse> IamService::CreateGroup(const api::iam::CreateGroupRequest& in,
                                                              RequestContext& ctx) {
  IamGroup g;
  g.account = ctx.principal.account;
  g.name = in.group_name;
  g.path = in.path.value_or("/");
  g.arn = "arn:aws:iam::" + g.account + ":group" + g.path + g.name;
  CK_RETURN_IF_ERROR(Authorize(ctx, ops::CreateGroup::kName, g.arn));
  g.group_id = NewIamId("AGPA");
  g.created = clock_.Now();
  Status s = ids_.PutGroup(g, true);
  if (s.code() == Code::kAlreadyExists)
    return errors::EntityAlreadyExists("Group with name " + g.name + " already exists.");
  CK_RETURN_IF_ERROR(s);
  return api::iam::CreateGroupResponse{GroupOf(g)};
}

Result<api::iam::GetGroupResponse> IamService::GetGroup(const api::iam::GetGroupRequest& in, RequestContext& ctx) {
  CK_ASSIGN_OR_RETURN(IamGroup g, LoadAuthorized<IamGroup>(ctx, ops::GetGroup::kName, in.group_name));
  api::iam::GetGroupResponse out;
  out.group = GroupOf(g);
  CK_ASSIGN_OR_RETURN(auto users, ids_.ListUsers(g.account));
  for (const auto& u : users)
    if (InGroup(u, g.name)) out.users.push_back(ListedUserOf(u));
  out.is_truncated = false;
  return out;
}

Result<api::Empty> IamService::DeleteGroup(const api::iam::DeleteGroupRequest& in, RequestContext& ctx) {
  CK_ASSIGN_OR_RETURN(IamGroup g, LoadAuthorized<IamGroup>(ctx, ops::DeleteGroup::kName, in.group_name));
  CK_ASSIGN_OR_RETURN(auto users, ids_.ListUsers(g.account));
  if (std::any_of(users.begin(), users.end(), [&](const IamUser& u) { return InGroup(u, g.name); }))
    return errors::DeleteConflict("Cannot delete entity, must remove users from group first.");
  if (!g.inline_policies.empty()) return errors::DeleteConflict("Cannot delete entity, must delete policies first.");
  if (!g.attached_policies.empty())
    return errors::DeleteConflict("Cannot delete entity, must detach all policies first.");
  CK_RETURN_IF_ERROR(ids_.DeleteGroup(g.account, g.name));
  return api::Empty{};
}

Result<api::iam::ListGroupsResponse> IamService::ListGroups(const api::iam::ListGroupsRequest& in,
                                                            RequestContext& ctx) {
  CK_RETURN_IF_ERROR(Authorize(ctx, ops::ListGroups::kName, "arn:aws:iam::" + ctx.principal.account + ":group/"));
  CK_ASSIGN_OR_RETURN(auto groups, ids_.ListGroups(ctx.principal.account));
  std::string prefix = in.path_prefix.value_or("/");
  api::iam::ListGroupsResponse out;
  for (const auto& g : groups)
    if (StartsWith(g.path, prefix)) out.groups.push_back(GroupOf(g));
  out.is_truncated = false;
  return out;
}

Result<api::Empty> IamService::AddUserToGroup(const api::iam::AddUserToGroupRequest& in, RequestContext& ctx) {
  CK_ASSIGN_OR_RETURN(IamGroup g, LoadAuthorized<IamGroup>(ctx, ops::AddUserToGroup::kName, in.group_name));
  CK_RETURN_IF_ERROR(UpdateEntity<IamUser>(ctx, ops::AddUserToGroup::kName, in.user_name, [&](IamUser& u) {
    if (InGroup(u, g.name)) return Status::Ok();
    if (!u.groups) u.groups.emplace();
    u.groups->push_back(g.name);
    return Status::Ok();
  }));
  return api::Empty{};
}

Result<api::Empty> IamService::RemoveUserFromGroup(const api::iam::RemoveUserFromGroupRequest& in,
                                                   RequestContext& ctx) {
  CK_ASSIGN_OR_RETURN(IamGroup g, LoadAuthorized<IamGroup>(ctx, ops::RemoveUserFromGroup::kName, in.group_name));
  CK_RETURN_IF_ERROR(UpdateEntity<IamUser>(ctx, ops::RemoveUserFromGroup::kName, in.user_name, [&](IamUser& u) {
    // A user that is not in the group: NoSuchEntity (AWS's text UNVERIFIED).
    if (!InGroup(u, g.name))
      return errors::NoSuchEntity("The user with name " + u.name + " is not in group " + g.name + ".");
    std::erase_if(*u.groups, [&](const std::string& name) { return ToLower(name) == ToLower(g.name); });
    if (u.groups->empty()) u.groups.reset();
    return Status::Ok();
  }));
  return api::Empty{};
}

Result<api::iam::ListGroupsForUserResponse> IamService::ListGroupsForUser(
    const api::iam::ListGroupsForUserRequest& in, RequestContext& ctx) {
  CK_ASSIGN_OR_RETURN(IamUser u, LoadAuthorized<IamUser>(ctx, ops::ListGroupsForUser::kName, in.user_name));
  api::iam::ListGroupsForUserResponse out;
  for (const auto& name : u.groups.value_or(std::vector<std::string>{})) {
    CK_ASSIGN_OR_RETURN(auto g, ids_.GetGroup(u.account, name));
    if (g) out.groups.push_back(GroupOf(*g));  // (a group deleted since is gone)
  }
  out.is_truncated = false;
  return out;
}

}  // namespace ck::services::iam
