// Fills the global condition keys (aws:*) of a request context from the
// calling Principal and the facts of the request, as the IAM user guide's
// "AWS global condition context keys" describes them:
//   aws:PrincipalArn      the user / root ARN; for a role session the ROLE ARN
//   aws:PrincipalAccount  the principal's account
//   aws:PrincipalType     Account | User | AssumedRole | FederatedUser | Anonymous
//   aws:userid            AIDA… / "AROA…:session" / account id / "anonymous"
//   aws:username          IAM users only
//   aws:PrincipalServiceName, aws:PrincipalIsAWSService  service principals
//   aws:SourceIp, aws:SecureTransport, aws:CurrentTime (ISO 8601),
//   aws:EpochTime, aws:RequestedRegion, aws:ViaAWSService,
//   aws:CalledVia (multivalued), aws:CalledViaFirst, aws:CalledViaLast,
//   aws:ResourceAccount
// Keys whose fact is unknown (empty) are left out, so "absent key" rules apply.
// Pure function; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "base/clock.h"
#include "core/iam/request_context.h"

namespace ck::iam {

struct RequestFacts {
  std::string source_ip;  // leave empty for calls a service makes on the caller's behalf
  bool secure_transport = false;
  TimePoint now{};
  std::string requested_region;
  // Service principals the request passed through, first to last
  // ("s3.amazonaws.com"); non-empty means a forward-access session.
  std::vector<std::string> called_via;
  bool via_aws_service = false;
  std::string resource_account;
};

const char* PrincipalTypeName(Principal::Type type);

// Adds (overwriting) the global keys to *keys.
void AddGlobalKeys(const Principal& principal, const RequestFacts& facts, ContextKeys* keys);

}  // namespace ck::iam
