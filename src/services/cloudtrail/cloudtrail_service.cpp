#include "services/cloudtrail/cloudtrail_service.h"

#include "services/authorizer.h"
#include "services/cloudtrail/errors.h"
#include "wire/model.h"

namespace ck::services::cloudtrail {

const OperationTable<CloudTrailService>& CloudTrailService::Operations() {
  static const auto* table = [] {
    auto* t = new OperationTable<CloudTrailService>(errors::kSerialization, errors::kNotImplemented);
    t->Add<api::cloudtrail::ops::LookupEvents, &CloudTrailService::LookupEvents>(
        {.iam_action = "cloudtrail:LookupEvents", .resource = "*"});
    return t;
  }();
  return *table;
}

Result<Document> CloudTrailService::Invoke(std::string_view operation, const Document& input, RequestContext& ctx) {
  return Operations().Run(*this, operation, input, ctx);
}

Status CloudTrailService::CheckModel() const { return Operations().CheckAgainst(*wire::FindService("cloudtrail")); }

Result<api::cloudtrail::LookupEventsResponse> CloudTrailService::LookupEvents(
    const api::cloudtrail::LookupEventsRequest& in, RequestContext& ctx) {
  CK_ASSIGN_OR_RETURN(auto decision, authorizer_.Authorize(AuthzRequest::For(ctx, "cloudtrail:LookupEvents", "*")));
  if (!decision.allowed()) return AccessDeniedFor(decision, errors::kAccessDenied);

  LookupQuery q;
  if (in.lookup_attributes) {
    if (in.lookup_attributes->size() > 1)
      return errors::InvalidLookupAttributes("You cannot specify more than one lookup attribute.");
    if (in.lookup_attributes->size() == 1) q.attribute = in.lookup_attributes->front();
  }
  q.start_time = in.start_time;
  q.end_time = in.end_time;
  if (q.start_time && q.end_time && *q.start_time > *q.end_time)
    return errors::InvalidTimeRange("Start time must be earlier than end time.");
  q.max_results = in.max_results.value_or(q.max_results);
  if (q.max_results < 1 || q.max_results > 50)
    return errors::InvalidMaxResults("MaxResults must be between 1 and 50.");
  q.next_token = in.next_token.value_or("");
  CK_ASSIGN_OR_RETURN(LookupPage page, recorder_.Lookup(ctx.principal.account, q));
  api::cloudtrail::LookupEventsResponse out;
  out.events = std::move(page.events);
  if (!page.next_token.empty()) out.next_token = std::move(page.next_token);
  return out;
}

}  // namespace ck::services::cloudtrail
