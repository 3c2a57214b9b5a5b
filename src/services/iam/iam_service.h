// IAM (query protocol, global): users, access keys, roles, inline and managed
// policies, and the AWS managed policies people attach most. Every call is
// authorized against the caller's identity policies (iam:* actions on the
// entity's ARN); the account root may do everything in its account.
#pragma once

#include "base/clock.h"
#include "services/authorizer.h"
#include "services/iam/identity_store.h"
#include "services/service.h"

namespace ck::services {

class IamService final : public Service {
 public:
  IamService(IdentityStore& identities, PolicyAuthorizer& authorizer, const Clock& clock)
      : ids_(identities), authz_(authorizer), clock_(clock) {}
  std::string_view name() const override { return "iam"; }
  Result<nlohmann::json> Invoke(std::string_view operation, const nlohmann::json& input,
                                RequestContext& ctx) override;

 private:
  using Json = nlohmann::json;
  Status Authorize(RequestContext& ctx, std::string_view operation, const std::string& resource);

  // Users and access keys.
  Result<Json> CreateUser(const Json& in, RequestContext& ctx);
  Result<Json> GetUser(const Json& in, RequestContext& ctx);
  Result<Json> DeleteUser(const Json& in, RequestContext& ctx);
  Result<Json> ListUsers(const Json& in, RequestContext& ctx);
  Result<Json> CreateAccessKey(const Json& in, RequestContext& ctx);
  Result<Json> DeleteAccessKey(const Json& in, RequestContext& ctx);
  Result<Json> ListAccessKeys(const Json& in, RequestContext& ctx);
  Result<Json> UpdateAccessKey(const Json& in, RequestContext& ctx);
  // Roles.
  Result<Json> CreateRole(const Json& in, RequestContext& ctx);
  Result<Json> GetRole(const Json& in, RequestContext& ctx);
  Result<Json> DeleteRole(const Json& in, RequestContext& ctx);
  Result<Json> ListRoles(const Json& in, RequestContext& ctx);
  Result<Json> UpdateAssumeRolePolicy(const Json& in, RequestContext& ctx);
  Result<Json> TagRole(const Json& in, RequestContext& ctx);
  Result<Json> UntagRole(const Json& in, RequestContext& ctx);
  Result<Json> ListRoleTags(const Json& in, RequestContext& ctx);
  // Inline policies (users and roles).
  Result<Json> PutInline(const Json& in, RequestContext& ctx, bool role);
  Result<Json> GetInline(const Json& in, RequestContext& ctx, bool role);
  Result<Json> DeleteInline(const Json& in, RequestContext& ctx, bool role);
  Result<Json> ListInline(const Json& in, RequestContext& ctx, bool role);
  // Managed policies.
  Result<Json> CreatePolicy(const Json& in, RequestContext& ctx);
  Result<Json> GetPolicy(const Json& in, RequestContext& ctx);
  Result<Json> GetPolicyVersion(const Json& in, RequestContext& ctx);
  Result<Json> CreatePolicyVersion(const Json& in, RequestContext& ctx);
  Result<Json> DeletePolicy(const Json& in, RequestContext& ctx);
  Result<Json> ListPolicies(const Json& in, RequestContext& ctx);
  Result<Json> Attach(const Json& in, RequestContext& ctx, bool role, bool attach);
  Result<Json> ListAttached(const Json& in, RequestContext& ctx, bool role);

  Result<IamUser> MustGetUser(const std::string& account, const std::string& name);
  Result<IamRole> MustGetRole(const std::string& account, const std::string& name);
  Result<Json> LoadManagedPolicy(const std::string& arn);  // customer or AWS managed
  Status ValidateDocument(const std::string& doc, bool trust, bool managed);

  IdentityStore& ids_;
  PolicyAuthorizer& authz_;
  const Clock& clock_;
};

}  // namespace ck::services
