// SigV4 signing for crosskey's own AWS clients (the audit and fix tools): the
// same canonicalization the server verifies with (sigv4.h), run the other way.
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "base/clock.h"
#include "http/message.h"

namespace ck::auth {

struct SigningCredentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty for long-term keys
};

// Signs `head` in place. `head` must carry its target (ParseTarget) and a
// host header. Sets x-amz-date, x-amz-security-token (when there is a token),
// x-amz-content-sha256 (service "s3"), and Authorization, signing host,
// content-type, content-md5 and every x-amz-* header present.
// `payload_sha256_hex`: the body's hex SHA-256, or "UNSIGNED-PAYLOAD".
void SignSigV4(http::RequestHead& head, const SigningCredentials& credentials, std::string_view region,
               std::string_view service, std::string_view payload_sha256_hex, TimePoint now);

}  // namespace ck::auth
