// Authenticator: the gateway's authentication stage. It parses what a request
// claims (SigV4 header or presigned query, SigV2 for S3, or nothing), resolves
// the access key, checks time, and verifies the signature ONCE, handing the
// rest of the pipeline everything it needs:
//   - the Principal (and the region of the credential scope);
//   - for S3 streaming uploads, the signing context aws-chunked signatures
//     chain from (no second parse or verification);
//   - for JSON/query requests that declare no payload hash, the secret to
//     verify with once the body's hash is known.
// Failures come back already worded for the request's protocol
// (auth_errors.h). Dev mode: keys crosskey does not know (12-digit account
// ids, the LocalStack convention) are accepted without a signature check.
//
// Thread safety: safe for concurrent use (the CredentialResolver and the
// signing-key cache are).
#pragma once

#include <optional>
#include <string>

#include "auth/sigv2.h"
#include "auth/sigv4.h"
#include "base/clock.h"
#include "core/principal.h"
#include "services/common/sharded_cache.h"
#include "services/credential_resolver.h"
#include "services/gateway/router.h"

namespace ck::services {

struct Authenticated {
  Principal principal;
  std::string region;  // the credential scope's; empty for SigV2 and anonymous requests
  std::optional<auth::SigV4Request> sigv4;
  // Filled when the SigV4 signature was verified (S3 chunk signatures chain from it).
  auth::SigningContext signing;
  bool signature_verified = false;
  // JSON/query without a declared payload hash: verify over the body.
  std::optional<std::string> deferred_secret;
};

class Authenticator {
 public:
  Authenticator(CredentialResolver& credentials, const Clock& wall_clock)
      : credentials_(credentials), clock_(wall_clock) {}

  Result<Authenticated> Authenticate(const Route& route, const http::RequestHead& head) const;

  // The deferred check of a JSON/query request, with the body's SHA-256 hex.
  Status VerifyBody(const Route& route, const http::RequestHead& head, const Authenticated& who,
                    std::string_view body_sha256_hex) const;

  const CredentialResolver& credentials() const { return credentials_; }

 private:
  Result<Authenticated> SigV2(const Route& route, const http::RequestHead& head,
                              const Result<auth::SigV2Request>& parsed) const;
  Status Unknown(const Route& route, const Status& resolved, const std::string& access_key_id) const;
  // SigV4's derived key for (secret, date, region, service), from the cache
  // when known: four HMACs a request saves. The key depends on nothing else,
  // so an entry can never be stale; the cache's bound keeps memory flat.
  std::shared_ptr<const std::string> SigningKey(const std::string& secret, const auth::SigV4Request& req) const;

  CredentialResolver& credentials_;
  const Clock& clock_;
  mutable ShardedCache<std::string, 8, 1024> signing_keys_;
};

}  // namespace ck::services
