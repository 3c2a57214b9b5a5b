// AWS Signature Version 4: parsing what a request claims (Authorization
// header, presigned query, or nothing) and verifying it against a secret.
//
// Pure logic over http::RequestHead; no I/O and no credential lookup: the
// caller resolves access_key_id to a secret (or a cached signing key from
// DeriveSigningKey) and calls VerifySignature. Canonicalization follows AWS:
// for service "s3*" the path is re-encoded segment by segment without
// normalization; for every other service it is normalized (empty and dot
// segments) and encoded again ("double encoding"). All functions are
// thread-safe (no shared state).
//
// Errors carry a canonical code plus an AWS code; where AWS's code differs by
// service the S3 variant is noted and the lead's renderer maps it:
//   malformed Authorization / credential   kInvalidArgument  IncompleteSignature (S3: AuthorizationHeaderMalformed)
//   bad presigned query parameters         kInvalidArgument  AuthorizationQueryParametersError
//   SigV2 / other algorithms               kInvalidArgument  InvalidRequest (as S3 in SigV4-only regions)
//   both header and query auth             kInvalidArgument  InvalidArgument
//   S3 header auth lacking x-amz-content-sha256, or a bad value: InvalidRequest / InvalidArgument
//   clock skew > 15 min                    kUnauthenticated  RequestTimeTooSkewed (403)
//   presigned expired / not yet valid      kPermissionDenied AccessDenied (403)
//   credential date != request date        kUnauthenticated  SignatureDoesNotMatch (S3: AuthorizationHeaderMalformed 400)
//   wrong signature                        kUnauthenticated  SignatureDoesNotMatch (403) + fields
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "http/message.h"

namespace ck::auth {

inline constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";
inline constexpr std::string_view kEmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
inline constexpr std::chrono::seconds kMaxClockSkew{15 * 60};
inline constexpr int64_t kMaxPresignExpires = 604800;  // one week

enum class AuthKind { kNone, kHeader, kPresigned };

// What x-amz-content-sha256 (or the presigned default) says about the body.
enum class PayloadMode {
  kSha256,                   // 64 hex: the body's SHA-256 (caller should check it: CheckContentSha256)
  kUnsigned,                 // UNSIGNED-PAYLOAD
  kStreamingSigned,          // STREAMING-AWS4-HMAC-SHA256-PAYLOAD (aws-chunked, ChunkedDecoder)
  kStreamingSignedTrailer,   // STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER
  kStreamingUnsignedTrailer, // STREAMING-UNSIGNED-PAYLOAD-TRAILER
  kNotDeclared,              // no header (non-S3 services): the caller hashes the body
};
// InvalidArgument (aws InvalidArgument) for values S3 does not accept, including SigV4a (ECDSA) streaming.
Result<PayloadMode> ClassifyPayloadHash(std::string_view value);
bool IsStreaming(PayloadMode mode);

struct SigV4Request {
  AuthKind kind = AuthKind::kNone;
  std::string access_key_id;
  std::string scope_date;  // "20150830"
  std::string region;      // "us-east-1"
  std::string service;     // "s3", "iam", "kms", ...
  std::vector<std::string> signed_headers;  // lower-case, in the order the client listed them
  std::string signature;   // hex as provided (lower-cased)
  std::string amz_date_text;  // "20150830T123600Z", exactly what the string to sign uses
  TimePoint amz_date;
  int64_t expires_seconds = 0;  // presigned only
  // x-amz-content-sha256 value; for presigned S3 "UNSIGNED-PAYLOAD" unless the
  // client signed a hash; empty when the caller must supply the body's hash.
  std::string payload_hash;
  PayloadMode payload_mode = PayloadMode::kNotDeclared;
  std::string security_token;  // x-amz-security-token header or X-Amz-Security-Token query

  // "20150830/us-east-1/service/aws4_request"
  std::string Scope() const;
  // S3-style canonicalization (no path normalization, single encoding).
  bool IsS3() const;
};

// kNone for anonymous requests. Never verifies anything.
Result<SigV4Request> ParseSigV4(const http::RequestHead& head);

// kSigning = HMAC chain "AWS4"+secret -> date -> region -> service -> "aws4_request".
// Raw 32 bytes; depends only on its arguments, so callers may cache it per
// (access key, date, region, service).
std::string DeriveSigningKey(std::string_view secret, std::string_view date, std::string_view region,
                             std::string_view service);

// Canonical request pieces, exposed for tests and error messages.
std::string CanonicalUri(std::string_view raw_path, bool s3_style);
// `raw_query` still percent-encoded. plus_as_space decodes '+' as ' ' first.
std::string CanonicalQueryString(std::string_view raw_query, bool exclude_signature, bool plus_as_space = false);
// "name:value\n" for each signed header (values trimmed, inner whitespace
// runs collapsed, repeated headers joined by ','), then nothing else.
std::string CanonicalHeaders(const http::Headers& headers, const std::vector<std::string>& signed_headers);
std::string BuildCanonicalRequest(const http::RequestHead& head, const SigV4Request& req,
                                  std::string_view payload_hash, bool plus_as_space = false);
std::string BuildStringToSign(std::string_view amz_date_text, std::string_view scope,
                              std::string_view canonical_request);
// Hex HMAC-SHA256(signing_key, string_to_sign).
std::string SignString(std::string_view signing_key, std::string_view string_to_sign);
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// What a verified request leaves for streaming bodies (aws-chunked).
struct SigningContext {
  std::string signing_key;     // raw
  std::string amz_date_text;
  std::string scope;
  std::string seed_signature;  // the request's own signature (hex)
};

// Skew (header auth) or expiry / not-yet-valid (presigned). Separate so the
// caller may check time before looking up credentials.
Status CheckRequestTime(const SigV4Request& req, TimePoint now);

// Full verification: time, credential date, then the signature.
// `computed_payload_hash`: hex SHA-256 of the body, used only when the
// request does not declare one (req.payload_hash empty: non-S3 services);
// when both are empty the empty-body hash is used. On success fills `ctx`.
Status VerifySignature(const http::RequestHead& head, const SigV4Request& req, std::string_view secret,
                       std::string_view computed_payload_hash, TimePoint now, SigningContext* ctx = nullptr);
// Same with a signing key from DeriveSigningKey (cached by the caller).
Status VerifySignatureWithKey(const http::RequestHead& head, const SigV4Request& req,
                              std::string_view signing_key, std::string_view computed_payload_hash, TimePoint now,
                              SigningContext* ctx = nullptr);

// For PayloadMode::kSha256: the declared hex vs the body's actual hex digest.
// Mismatch -> kInvalidArgument, aws XAmzContentSHA256Mismatch (400) with
// fields ClientComputedContentSHA256 / S3ComputedContentSHA256.
Status CheckContentSha256(std::string_view declared_hex, std::string_view computed_hex);

// The SignatureDoesNotMatch status with the fields S3 renders.
Status SignatureMismatch(std::string_view access_key_id, std::string_view string_to_sign,
                         std::string_view canonical_request, std::string_view signature_provided);

}  // namespace ck::auth
