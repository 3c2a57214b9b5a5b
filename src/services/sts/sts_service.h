// STS (query protocol): GetCallerIdentity, AssumeRole, GetSessionToken.
#pragma once

#include "base/clock.h"
#include "services/iam/identity_store.h"
#include "services/service.h"

namespace ck::services {

class PolicyAuthorizer;

class StsService final : public Service {
 public:
  StsService(IdentityStore& identities, const Clock& clock, PolicyAuthorizer* authorizer)
      : identities_(identities), clock_(clock), authorizer_(authorizer) {}
  std::string_view name() const override { return "sts"; }
  Result<nlohmann::json> Invoke(std::string_view operation, const nlohmann::json& input,
                                RequestContext& ctx) override;

 private:
  Result<nlohmann::json> GetCallerIdentity(RequestContext& ctx);
  Result<nlohmann::json> AssumeRole(const nlohmann::json& input, RequestContext& ctx);
  Result<nlohmann::json> GetSessionToken(const nlohmann::json& input, RequestContext& ctx);

  IdentityStore& identities_;
  const Clock& clock_;
  PolicyAuthorizer* authorizer_;
};

}  // namespace ck::services
