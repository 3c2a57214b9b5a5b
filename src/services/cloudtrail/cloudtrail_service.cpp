#include "services/cloudtrail/cloudtrail_service.h"

#include "services/authorizer.h"

namespace ck::services {

using nlohmann::json;

Result<json> CloudTrailService::Invoke(std::string_view operation, const json& input, RequestContext& ctx) {
  if (operation == "LookupEvents") return LookupEvents(input, ctx);
  return Unimplemented("CloudTrail " + std::string(operation) + " is not implemented by crosskey");
}

Result<json> CloudTrailService::LookupEvents(const json& input, RequestContext& ctx) {
  AuthzRequest authz;
  authz.principal = &ctx.principal;
  authz.action = "cloudtrail:LookupEvents";
  authz.resource = "*";
  authz.region = ctx.region;
  authz.source_ip = ctx.source_ip;
  authz.secure_transport = ctx.secure_transport;
  CK_ASSIGN_OR_RETURN(auto decision, authorizer_.Authorize(authz));
  if (!decision.allowed()) return AccessDeniedFor(decision, "AccessDeniedException", 400);

  cloudtrail::LookupQuery q;
  if (input.contains("LookupAttributes")) {
    const json& attrs = input["LookupAttributes"];
    if (attrs.size() > 1)
      return AwsError("InvalidLookupAttributesException", 400, "You cannot specify more than one lookup attribute.");
    if (attrs.size() == 1) {
      q.attribute_key = attrs[0].value("AttributeKey", "");
      q.attribute_value = attrs[0].value("AttributeValue", "");
    }
  }
  if (input.contains("StartTime")) q.start_time = FromEpochSeconds(input["StartTime"].get<double>());
  if (input.contains("EndTime")) q.end_time = FromEpochSeconds(input["EndTime"].get<double>());
  if (q.start_time && q.end_time && *q.start_time > *q.end_time)
    return AwsError("InvalidTimeRangeException", 400, "Start time must be earlier than end time.");
  if (input.contains("MaxResults")) q.max_results = input["MaxResults"].get<int>();
  if (q.max_results < 1 || q.max_results > 50)
    return AwsError("InvalidMaxResultsException", 400, "MaxResults must be between 1 and 50.");
  q.next_token = input.value("NextToken", "");
  CK_ASSIGN_OR_RETURN(auto page, recorder_.Lookup(ctx.principal.account, q));
  json out = {{"Events", page.events}};
  if (!page.next_token.empty()) out["NextToken"] = page.next_token;
  return out;
}

}  // namespace ck::services
