#include "services/sts/sts_service.h"

namespace ck::services {

using nlohmann::json;

Result<json> StsService::Invoke(std::string_view operation, const json& input, RequestContext& ctx) {
  if (operation == "GetCallerIdentity") return GetCallerIdentity(ctx);
  if (operation == "AssumeRole") return AssumeRole(input, ctx);
  if (operation == "GetSessionToken") return GetSessionToken(input, ctx);
  return Unimplemented("STS " + std::string(operation) + " is not implemented by crosskey");
}

// Needs no permission and succeeds even under an explicit deny (AWS documents this).
Result<json> StsService::GetCallerIdentity(RequestContext& ctx) {
  const Principal& p = ctx.principal;
  return json{{"Account", p.account}, {"Arn", p.arn}, {"UserId", p.user_id}};
}

Result<json> StsService::AssumeRole(const json&, RequestContext&) {
  return Unimplemented("STS AssumeRole is not implemented by crosskey yet");
}

Result<json> StsService::GetSessionToken(const json&, RequestContext&) {
  return Unimplemented("STS GetSessionToken is not implemented by crosskey yet");
}

}  // namespace ck::services
