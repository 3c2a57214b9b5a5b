// STS (query protocol): GetCallerIdentity, AssumeRole (with session tags),
// GetSessionToken, GetFederationToken.
//
// Each operation is a typed function over the generated shapes (api/sts.h),
// registered in the service's OperationTable; model operations not in the
// table answer NotImplemented.
//
// Thread safety: safe for concurrent use (IdentityStore and the authorizer are).
#pragma once

#include "api/sts.h"
#include "base/clock.h"
#include "services/common/operation_table.h"
#include "services/iam/identity_store.h"
#include "services/service.h"

namespace ck::services {

class PolicyAuthorizer;

class StsService final : public Service {
 public:
  StsService(IdentityStore& identities, const Clock& clock, PolicyAuthorizer& authorizer)
      : identities_(identities), clock_(clock), authorizer_(authorizer) {}

  std::string_view name() const override { return "sts"; }
  Result<Document> Invoke(std::string_view operation, const Document& input, RequestContext& ctx) override;
  Status CheckModel() const override;

  Result<api::sts::GetCallerIdentityResponse> GetCallerIdentity(const api::sts::GetCallerIdentityRequest& in,
                                                                RequestContext& ctx);
  Result<api::sts::AssumeRoleResponse> AssumeRole(const api::sts::AssumeRoleRequest& in, RequestContext& ctx);
  Result<api::sts::GetSessionTokenResponse> GetSessionToken(const api::sts::GetSessionTokenRequest& in,
                                                            RequestContext& ctx);
  Result<api::sts::GetFederationTokenResponse> GetFederationToken(const api::sts::GetFederationTokenRequest& in,
                                                                  RequestContext& ctx);

 private:
  static const OperationTable<StsService>& Operations();

  // Session tags a new session inherits (transitive ones of a calling role session).
  struct SessionTags {
    std::vector<IamTag> tags;
    std::vector<std::string> transitive;
  };
  Result<SessionTags> TransitiveTagsOf(const Principal& caller, const std::vector<api::sts::Tag>& tags);
  static void SetSessionTags(SessionTags inherited, const std::vector<api::sts::Tag>& tags,
                             const std::vector<std::string>& transitive, StsSession* s);

  IdentityStore& identities_;
  const Clock& clock_;
  PolicyAuthorizer& authorizer_;
};

}  // namespace ck::services
