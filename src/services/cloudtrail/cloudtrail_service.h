// CloudTrail (JSON 1.1, com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101):
// LookupEvents over the events EventRecorder stored for the caller's account.
// Other operations (trails, event data stores) answer NotImplementedException
// (501).
//
// Thread safety: stateless over the thread-safe recorder.
#pragma once

#include "api/cloudtrail.h"
#include "services/cloudtrail/event_recorder.h"
#include "services/common/operation_table.h"
#include "services/service.h"

namespace ck::services {
class PolicyAuthorizer;
}  // namespace ck::services

namespace ck::services::cloudtrail {

class CloudTrailService final : public Service {
 public:
  CloudTrailService(EventRecorder& recorder, PolicyAuthorizer& authorizer)
      : recorder_(recorder), authorizer_(authorizer) {}
  std::string_view name() const override { return "cloudtrail"; }
  Result<Document> Invoke(std::string_view operation, const Document& input, RequestContext& ctx) override;
  Status CheckModel() const override;

  Result<api::cloudtrail::LookupEventsResponse> LookupEvents(const api::cloudtrail::LookupEventsRequest& in,
                                                             RequestContext& ctx);

 private:
  static const OperationTable<CloudTrailService>& Operations();

  EventRecorder& recorder_;
  PolicyAuthorizer& authorizer_;
};

}  // namespace ck::services::cloudtrail
