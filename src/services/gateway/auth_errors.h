// How an authentication failure reads in each protocol family. The auth
// layer (src/auth, CredentialResolver) reports failures with generic codes
// (InvalidClientTokenId, SignatureDoesNotMatch, RequestTimeTooSkewed,
// IncompleteSignature, ExpiredToken, MissingAuthenticationToken); S3, the
// JSON services and the query services each spell them their own way. One
// table says how.
//
// Thread safety: stateless.
#pragma once

#include <string_view>

#include "base/status.h"
#include "services/gateway/router.h"

namespace ck::services {

// The failure as `protocol` answers it. `request_time` / `server_time`
// (amz-dates) word clock-skew messages for JSON and query services.
Status AuthErrorFor(Protocol protocol, Status status, std::string_view request_time = {},
                    std::string_view server_time = {});

}  // namespace ck::services
