// Shared by the IAM operation files: record → response conversions and the
// user-or-role helpers (templates over IamUser and IamRole).
#pragma once

#include <string>
#include <type_traits>
#include <vector>

#include "api/iam.h"
#include "services/iam/errors.h"
#include "services/iam/iam_service.h"
#include "services/iam/identity_store.h"

namespace ck::services::iam {

// IAM answers whole seconds.
inline TimePoint Seconds(TimePoint t) { return std::chrono::time_point_cast<std::chrono::seconds>(t); }

// IAM returns policy documents URL-encoded (botocore decodes them).
std::string EncodeDocument(const std::string& doc);

std::vector<IamTag> TagsOf(const std::optional<std::vector<api::iam::Tag>>& tags);
std::vector<api::iam::Tag> ApiTags(const std::vector<IamTag>& tags);
api::iam::User UserOf(const IamUser& u);
api::iam::Role RoleOf(const IamRole& r);
// What ListUsers / ListRoles show: no tags, no permissions boundary (AWS
// documents and records it so).
api::iam::User ListedUserOf(const IamUser& u);
api::iam::Role ListedRoleOf(const IamRole& r);
api::iam::Policy PolicyOf(const ManagedPolicy& p);

// UnmodifiableEntity for a service-linked role (only AWS may change it).
Status CheckModifiable(const IamRole& r);
template <typename Entity>
Status CheckModifiable(const Entity&) {
  return Status::Ok();
}

// "user", "role" or "group", as IAM's messages name the kind.
template <typename Entity>
constexpr const char* KindOf() {
  return std::is_same_v<Entity, IamUser> ? "user" : std::is_same_v<Entity, IamRole> ? "role" : "group";
}

api::iam::Group GroupOf(const IamGroup& g);

template <typename Entity>
Result<Entity> IamService::LoadAuthorized(RequestContext& ctx, std::string_view operation, const std::string& name) {
  Result<Entity> e = [&] {
    if constexpr (std::is_same_v<Entity, IamUser>) return MustGetUser(ctx.principal.account, name);
    else if constexpr (std::is_same_v<Entity, IamRole>) return MustGetRole(ctx.principal.account, name);
    else return MustGetGroup(ctx.principal.account, name);
  }();
  if (!e.ok()) return e.status();
  CK_RETURN_IF_ERROR(Authorize(ctx, operation, e->arn));
  return e;
}

template <typename Entity>
Status IamService::SetBoundary(RequestContext& ctx, std::string_view operation, const std::string& name,
                               const std::optional<std::string>& arn) {
  std::optional<ManagedPolicy> policy;
  if (arn) {
    CK_ASSIGN_OR_RETURN(ManagedPolicy p, LoadBoundaryPolicy(*arn));
    policy = std::move(p);
  }
  std::optional<std::string> old;
  CK_RETURN_IF_ERROR(UpdateEntity<Entity>(ctx, operation, name, [&](Entity& e) {
    CK_RETURN_IF_ERROR(CheckModifiable(e));
    old = e.permissions_boundary;
    e.permissions_boundary = arn;
    return Status::Ok();
  }));
  if (old == arn) return Status::Ok();
  if (old) CK_RETURN_IF_ERROR(CountBoundaryUse(*old, -1));
  if (arn) CK_RETURN_IF_ERROR(CountBoundaryUse(*arn, +1));
  return Status::Ok();
}

template <typename Entity, typename Change>
Status IamService::UpdateEntity(RequestContext& ctx, std::string_view operation, const std::string& name,
                                Change change) {
  CK_ASSIGN_OR_RETURN(Entity e, LoadAuthorized<Entity>(ctx, operation, name));
  CK_RETURN_IF_ERROR(change(e));
  return Save(e);
}

}  // namespace ck::services::iam
