#include "core/iam/context_keys.h"

#include <cmath>

namespace ck::iam {

const char* PrincipalTypeName(Principal::Type type) {
  switch (type) {
    case Principal::kRoot:
      return "Account";
    case Principal::kUser:
      return "User";
    case Principal::kAssumedRole:
      return "AssumedRole";
    case Principal::kFederatedUser:
      return "FederatedUser";
    case Principal::kService:
      return "AWSService";  // UNVERIFIED: AWS documents no PrincipalType for service principals
    case Principal::kAnonymous:
      return "Anonymous";
  }
  return "Anonymous";
}

void AddGlobalKeys(const Principal& p, const RequestFacts& f, ContextKeys* keys) {
  auto set = [keys](const char* key, std::string value) { (*keys)[key] = {std::move(value)}; };
  if (p.type == Principal::kService) {
    set("aws:PrincipalServiceName", p.service);
    set("aws:PrincipalIsAWSService", "true");
  } else {
    set("aws:PrincipalType", PrincipalTypeName(p.type));
    set("aws:PrincipalIsAWSService", "false");
    if (p.type == Principal::kAnonymous) {
      set("aws:userid", "anonymous");
    } else {
      set("aws:PrincipalArn", p.type == Principal::kAssumedRole && !p.role_arn.empty() ? p.role_arn : p.arn);
      if (!p.account.empty()) set("aws:PrincipalAccount", p.account);
      if (!p.user_id.empty()) set("aws:userid", p.user_id);
      if (p.type == Principal::kUser && !p.username.empty()) set("aws:username", p.username);
    }
  }
  if (!f.source_ip.empty()) set("aws:SourceIp", f.source_ip);
  set("aws:SecureTransport", f.secure_transport ? "true" : "false");
  set("aws:CurrentTime", FormatIso8601(f.now));
  set("aws:EpochTime", std::to_string(static_cast<long long>(std::floor(ToEpochSeconds(f.now)))));
  if (!f.requested_region.empty()) set("aws:RequestedRegion", f.requested_region);
  set("aws:ViaAWSService", f.via_aws_service ? "true" : "false");
  if (!f.called_via.empty()) {
    (*keys)["aws:CalledVia"] = f.called_via;
    set("aws:CalledViaFirst", f.called_via.front());
    set("aws:CalledViaLast", f.called_via.back());
  }
  if (!f.resource_account.empty()) set("aws:ResourceAccount", f.resource_account);
}

}  // namespace ck::iam
