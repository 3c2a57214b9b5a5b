// CloudTrail (JSON 1.1, com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101):
// LookupEvents over the events EventRecorder stored for the caller's account.
// Other operations (trails, event data stores) are not implemented (501).
//
// Thread safety: stateless over the thread-safe recorder.
#pragma once

#include "services/cloudtrail/event_recorder.h"
#include "services/service.h"

namespace ck::services {

class PolicyAuthorizer;

class CloudTrailService final : public Service {
 public:
  CloudTrailService(cloudtrail::EventRecorder& recorder, PolicyAuthorizer& authorizer)
      : recorder_(recorder), authorizer_(authorizer) {}
  std::string_view name() const override { return "cloudtrail"; }
  Result<nlohmann::json> Invoke(std::string_view operation, const nlohmann::json& input,
                                RequestContext& ctx) override;

 private:
  Result<nlohmann::json> LookupEvents(const nlohmann::json& input, RequestContext& ctx);

  cloudtrail::EventRecorder& recorder_;
  PolicyAuthorizer& authorizer_;
};

}  // namespace ck::services
