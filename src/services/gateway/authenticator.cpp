#include "services/gateway/authenticator.h"

#include <spdlog/spdlog.h>

#include "services/gateway/auth_errors.h"
#include "services/gateway/errors.h"

namespace ck::services {

Status Authenticator::Unknown(const Route& route, const Status& resolved, const std::string& access_key_id) const {
  Status s = AuthErrorFor(route.protocol, resolved);
  // S3 names the key it does not know.
  if (route.protocol == Protocol::kRestXml && s.aws_code() == "InvalidAccessKeyId") s.WithField("AWSAccessKeyId", access_key_id);
  return s;
}

std::shared_ptr<const std::string> Authenticator::SigningKey(const std::string& secret,
                                                             const auth::SigV4Request& req) const {
  std::string id;
  id.reserve(secret.size() + req.scope_date.size() + req.region.size() + req.service.size() + 3);
  id.append(secret).append(1, '\0').append(req.scope_date).append(1, '\0').append(req.region).append(1, '\0');
  id.append(req.service);
  if (auto key = signing_keys_.Find(id)) return key;
  auto key = std::make_shared<const std::string>(auth::DeriveSigningKey(secret, req.scope_date, req.region, req.service));
  signing_keys_.Put(std::move(id), key);
  return key;
}

Result<Authenticated> Authenticator::Authenticate(const Route& route, const http::RequestHead& head) const {
  if (route.protocol == Protocol::kRestXml) {
    if (auto v2 = auth::ParseSigV2(head)) return SigV2(route, head, *v2);
  }
  auto parsed = auth::ParseSigV4(head);
  if (!parsed.ok()) return AuthErrorFor(route.protocol, parsed.status());
  Authenticated who;
  if (parsed->kind == auth::AuthKind::kNone) {
    if (route.protocol != Protocol::kRestXml)
      return AuthErrorFor(route.protocol, gateway::errors::MissingAuthenticationToken(""));
    who.principal = Principal::Anonymous();
    return who;
  }
  auto trace = [&](std::string_view what) {
    spdlog::trace("{} auth: SigV4 {} access key {}: {}", head.request_id,
                  parsed->kind == auth::AuthKind::kPresigned ? "presigned" : "header", parsed->access_key_id, what);
  };
  who.region = parsed->region;
  TimePoint now = clock_.Now();
  auto resolved = credentials_.Resolve(parsed->access_key_id, parsed->security_token);
  if (!resolved.ok()) return Unknown(route, resolved.status(), parsed->access_key_id);
  Status time_ok = auth::CheckRequestTime(*parsed, now);
  if (!time_ok.ok()) return AuthErrorFor(route.protocol, time_ok, parsed->amz_date_text, FormatAmzDate(now));
  who.principal = std::move(resolved->principal);
  if (!resolved->secret) {
    trace("unknown key, signature not checked (dev mode convention)");
  } else if (!parsed->payload_hash.empty() || route.protocol == Protocol::kRestXml) {
    Status s = auth::VerifySignatureWithKey(head, *parsed, *SigningKey(*resolved->secret, *parsed), "", now,
                                            &who.signing);
    if (!s.ok()) return AuthErrorFor(route.protocol, s, parsed->amz_date_text, FormatAmzDate(now));
    who.signature_verified = true;
    trace("known key, signature verified");
  } else {
    trace("known key, signature to verify over the body");
    who.deferred_secret = std::move(resolved->secret);
  }
  who.sigv4 = std::move(*parsed);
  return who;
}

Status Authenticator::VerifyBody(const Route& route, const http::RequestHead& head, const Authenticated& who,
                                 std::string_view body_sha256_hex) const {
  if (!who.deferred_secret || !who.sigv4) return Status::Ok();
  Status s = auth::VerifySignatureWithKey(head, *who.sigv4, *SigningKey(*who.deferred_secret, *who.sigv4),
                                          body_sha256_hex, clock_.Now());
  spdlog::trace("{} auth: signature over the body {}", head.request_id, s.ok() ? "verified" : "refused: " + s.aws_code());
  return s.ok() ? s : AuthErrorFor(route.protocol, s);
}

// Legacy S3 signatures (boto3 presigns with SigV2 by default). No region in
// the signature: the server's default region applies.
Result<Authenticated> Authenticator::SigV2(const Route& route, const http::RequestHead& head,
                                           const Result<auth::SigV2Request>& parsed) const {
  if (!parsed.ok()) return parsed.status();
  auto resolved = credentials_.Resolve(parsed->access_key_id, head.headers.GetOr("x-amz-security-token"));
  if (!resolved.ok()) return Unknown(route, resolved.status(), parsed->access_key_id);
  CK_RETURN_IF_ERROR(auth::CheckSigV2Time(*parsed, clock_.Now()));
  if (resolved->secret) CK_RETURN_IF_ERROR(auth::VerifySigV2(head, *parsed, *resolved->secret));
  spdlog::trace("{} auth: SigV2 access key {}: {}", head.request_id, parsed->access_key_id,
                resolved->secret ? "known key, signature verified" : "unknown key, signature not checked (dev mode)");
  Authenticated who;
  who.principal = std::move(resolved->principal);
  who.signature_verified = resolved->secret.has_value();
  return who;
}

}  // namespace ck::services
