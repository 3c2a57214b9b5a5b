#include "auth/sigv4.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <charconv>
#include <utility>

#include "base/codec.h"
#include "crypto/hash.h"

namespace ck::auth {

namespace {

constexpr char kUnsupportedMechanism[] =
    "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.";
constexpr char kSignatureMismatchMessage[] =
    "The request signature we calculated does not match the signature you provided. Check your AWS Secret "
    "Access Key and signing method. Consult the service documentation for details.";
constexpr char kPresignRequired[] =
    "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, "
    "X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.";

Status Incomplete(std::string message) {
  return InvalidArgument(std::move(message)).WithAws("IncompleteSignature", 400);
}
Status QueryError(std::string message) {
  return InvalidArgument(std::move(message)).WithAws("AuthorizationQueryParametersError", 400);
}
Status Unsupported() { return InvalidArgument(kUnsupportedMechanism).WithAws("InvalidRequest", 400); }

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t pos = s.find(sep, start);
    out.push_back(s.substr(start, pos == std::string_view::npos ? std::string_view::npos : pos - start));
    if (pos == std::string_view::npos) break;
    start = pos + 1;
  }
  return out;
}

bool IsDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool IsHex64(std::string_view s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
         });
}

struct Credential {
  std::string akid, date, region, service;
};

// Parses "AKID/20150830/us-east-1/service/aws4_request". `presigned` picks
// the error wording AWS uses for the query form.
Result<Credential> ParseCredential(std::string_view cred, bool presigned) {
  auto parts = Split(cred, '/');
  auto malformed = [&]() -> Status {
    if (presigned)
      return QueryError(
          "Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting "
          "\"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".");
    return Incomplete(
        "The authorization header is malformed; the Credential is mal-formed; expecting "
        "\"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".");
  };
  if (parts.size() != 5) return malformed();
  for (auto p : parts)
    if (p.empty()) return malformed();
  if (parts[1].size() != 8 || !IsDigits(parts[1])) return malformed();
  if (parts[4] != "aws4_request") {
    if (presigned)
      return QueryError("Error parsing the X-Amz-Credential parameter; incorrect terminal \"" +
                        std::string(parts[4]) + "\". This endpoint uses \"aws4_request\".");
    return Incomplete("Credential should be scoped with a valid terminator: 'aws4_request', not '" +
                      std::string(parts[4]) + "'.");
  }
  return Credential{std::string(parts[0]), std::string(parts[1]), std::string(parts[2]), std::string(parts[3])};
}

std::vector<std::string> ParseSignedHeaders(std::string_view s) {
  std::vector<std::string> out;
  for (auto h : Split(s, ';')) {
    auto t = Trim(h);
    if (!t.empty()) out.push_back(ToLower(t));
  }
  return out;
}

bool Contains(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// Fills payload_hash / payload_mode from x-amz-content-sha256.
Status FillPayload(const http::RequestHead& head, SigV4Request* req) {
  auto declared = head.headers.Get("x-amz-content-sha256");
  if (req->IsS3()) {
    if (req->kind == AuthKind::kPresigned) {
      auto query_hash = head.QueryValue("X-Amz-Content-Sha256");
      if (declared && Contains(req->signed_headers, "x-amz-content-sha256")) {
        req->payload_hash = std::string(Trim(*declared));
      } else if (query_hash) {
        req->payload_hash = std::string(*query_hash);
      } else {
        req->payload_hash = std::string(kUnsignedPayload);
      }
      // The body's format follows the header even when the signature does not cover it.
      CK_ASSIGN_OR_RETURN(req->payload_mode,
                          ClassifyPayloadHash(declared ? Trim(*declared) : std::string_view(req->payload_hash)));
      return Status::Ok();
    }
    if (!declared)
      return InvalidArgument("Missing required header for this request: x-amz-content-sha256")
          .WithAws("InvalidRequest", 400);
    req->payload_hash = std::string(Trim(*declared));
    CK_ASSIGN_OR_RETURN(req->payload_mode, ClassifyPayloadHash(req->payload_hash));
    return Status::Ok();
  }
  if (declared) {
    req->payload_hash = std::string(Trim(*declared));
    auto mode = ClassifyPayloadHash(req->payload_hash);
    req->payload_mode = mode.ok() ? *mode : PayloadMode::kNotDeclared;
  }
  return Status::Ok();
}

Result<SigV4Request> ParseHeaderAuth(const http::RequestHead& head, std::string_view value) {
  std::string_view v = Trim(value);
  auto space = v.find(' ');
  std::string_view algorithm = v.substr(0, space);
  if (algorithm != kAlgorithm) return Unsupported();  // SigV2 "AWS AKID:sig", SigV4a, anything else
  std::string_view rest = space == std::string_view::npos ? std::string_view() : v.substr(space + 1);

  std::string_view credential, signed_headers, signature;
  bool have_credential = false, have_signed = false, have_signature = false;
  for (auto part : Split(rest, ',')) {
    part = Trim(part);
    if (part.empty()) continue;
    auto eq = part.find('=');
    if (eq == std::string_view::npos)
      return Incomplete("'" + std::string(part) +
                        "' not a valid key=value pair (missing equal-sign) in Authorization header: '" +
                        std::string(v) + "'.");
    auto key = Trim(part.substr(0, eq));
    auto val = Trim(part.substr(eq + 1));
    if (key == "Credential") credential = val, have_credential = true;
    else if (key == "SignedHeaders") signed_headers = val, have_signed = true;
    else if (key == "Signature") signature = val, have_signature = true;
  }

  SigV4Request req;
  req.kind = AuthKind::kHeader;
  std::string problems;
  auto add = [&](std::string_view p) {
    if (!problems.empty()) problems += ' ';
    problems += p;
  };
  if (!have_credential) add("Authorization header requires 'Credential' parameter.");
  if (!have_signature) add("Authorization header requires 'Signature' parameter.");
  if (!have_signed) add("Authorization header requires 'SignedHeaders' parameter.");

  auto amz_date = head.headers.Get("x-amz-date");
  auto http_date = head.headers.Get("date");
  if (amz_date) {
    auto t = ParseAmzDate(Trim(*amz_date));
    if (!t) {
      add("Date must be in ISO-8601 'basic format'. Got '" + std::string(*amz_date) +
          "'. See http://en.wikipedia.org/wiki/ISO_8601");
    } else {
      req.amz_date = *t;
      req.amz_date_text = std::string(Trim(*amz_date));
    }
  } else if (http_date) {
    auto t = ParseHttpDate(Trim(*http_date));
    if (!t) {
      add("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
    } else {
      req.amz_date = *t;
      req.amz_date_text = FormatAmzDate(*t);
    }
  } else {
    add("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  }
  if (!problems.empty()) return Incomplete(problems + " Authorization=" + std::string(v));

  CK_ASSIGN_OR_RETURN(Credential cred, ParseCredential(credential, false));
  req.access_key_id = std::move(cred.akid);
  req.scope_date = std::move(cred.date);
  req.region = std::move(cred.region);
  req.service = std::move(cred.service);
  req.signed_headers = ParseSignedHeaders(signed_headers);
  if (req.signed_headers.empty())
    return Incomplete("Authorization header requires 'SignedHeaders' parameter. Authorization=" + std::string(v));
  req.signature = ToLower(signature);
  req.security_token = head.headers.GetOr("x-amz-security-token");
  CK_RETURN_IF_ERROR(FillPayload(head, &req));
  return req;
}

Result<SigV4Request> ParsePresigned(const http::RequestHead& head) {
  auto algorithm = head.QueryValue("X-Amz-Algorithm");
  auto credential = head.QueryValue("X-Amz-Credential");
  auto signature = head.QueryValue("X-Amz-Signature");
  auto date = head.QueryValue("X-Amz-Date");
  auto signed_headers = head.QueryValue("X-Amz-SignedHeaders");
  auto expires = head.QueryValue("X-Amz-Expires");
  if (algorithm && *algorithm != kAlgorithm)
    return QueryError("X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256 and AWS4-ECDSA-P256-SHA256\"");
  if (!algorithm || !credential || !signature || !date || !signed_headers || !expires)
    return QueryError(kPresignRequired);

  SigV4Request req;
  req.kind = AuthKind::kPresigned;
  CK_ASSIGN_OR_RETURN(Credential cred, ParseCredential(*credential, true));
  req.access_key_id = std::move(cred.akid);
  req.scope_date = std::move(cred.date);
  req.region = std::move(cred.region);
  req.service = std::move(cred.service);

  auto t = ParseAmzDate(*date);
  if (!t) return QueryError("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
  req.amz_date = *t;
  req.amz_date_text = std::string(*date);

  int64_t seconds = 0;
  auto [ptr, ec] = std::from_chars(expires->data(), expires->data() + expires->size(), seconds);
  if (ec != std::errc() || ptr != expires->data() + expires->size())
    return QueryError("X-Amz-Expires should be a number");
  if (seconds < 1) return QueryError("X-Amz-Expires must be non-negative");
  if (seconds > kMaxPresignExpires)
    return QueryError("X-Amz-Expires must be less than a week (in seconds) that is 604800");
  req.expires_seconds = seconds;

  req.signed_headers = ParseSignedHeaders(*signed_headers);
  if (req.signed_headers.empty()) return QueryError(kPresignRequired);
  req.signature = ToLower(*signature);
  auto token = head.QueryValue("X-Amz-Security-Token");
  req.security_token = token ? std::string(*token) : head.headers.GetOr("x-amz-security-token");
  CK_RETURN_IF_ERROR(FillPayload(head, &req));
  return req;
}

std::string BytesField(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(s.size() * 3);
  for (unsigned char c : s) {
    if (!out.empty()) out += ' ';
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

}  // namespace

Result<PayloadMode> ClassifyPayloadHash(std::string_view v) {
  if (IsHex64(v)) return PayloadMode::kSha256;
  if (v == "UNSIGNED-PAYLOAD") return PayloadMode::kUnsigned;
  if (v == "STREAMING-AWS4-HMAC-SHA256-PAYLOAD") return PayloadMode::kStreamingSigned;
  if (v == "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER") return PayloadMode::kStreamingSignedTrailer;
  if (v == "STREAMING-UNSIGNED-PAYLOAD-TRAILER") return PayloadMode::kStreamingUnsignedTrailer;
  if (v == "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD" || v == "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER")
    return Unsupported();
  return InvalidArgument(
             "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, "
             "STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, "
             "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER or a "
             "valid sha256 value.")
      .WithAws("InvalidArgument", 400)
      .WithField("ArgumentName", "x-amz-content-sha256")
      .WithField("ArgumentValue", std::string(v));
}

bool IsStreaming(PayloadMode mode) {
  return mode == PayloadMode::kStreamingSigned || mode == PayloadMode::kStreamingSignedTrailer ||
         mode == PayloadMode::kStreamingUnsignedTrailer;
}

std::string SigV4Request::Scope() const {
  return scope_date + "/" + region + "/" + service + "/aws4_request";
}

bool SigV4Request::IsS3() const { return StartsWith(service, "s3"); }

Result<SigV4Request> ParseSigV4(const http::RequestHead& head) {
  auto authz = head.headers.Get("authorization");
  bool query_v4 = head.HasQuery("X-Amz-Algorithm") || head.HasQuery("X-Amz-Credential") ||
                  head.HasQuery("X-Amz-Signature");
  bool query_v2 = head.HasQuery("AWSAccessKeyId") && head.HasQuery("Signature");
  if (authz && (query_v4 || query_v2))
    return InvalidArgument(
               "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string "
               "parameter or the Authorization header should be specified")
        .WithAws("InvalidArgument", 400)
        .WithField("ArgumentName", "Authorization")
        .WithField("ArgumentValue", std::string(*authz));
  if (authz) return ParseHeaderAuth(head, *authz);
  if (query_v4) return ParsePresigned(head);
  if (query_v2) return Unsupported();
  return SigV4Request{};
}

std::string DeriveSigningKey(std::string_view secret, std::string_view date, std::string_view region,
                             std::string_view service) {
  std::string k = crypto::HmacSha256("AWS4" + std::string(secret), date);
  k = crypto::HmacSha256(k, region);
  k = crypto::HmacSha256(k, service);
  return crypto::HmacSha256(k, "aws4_request");
}

std::string CanonicalUri(std::string_view raw_path, bool s3_style) {
  if (raw_path.empty()) return "/";
  std::string out;
  out.reserve(raw_path.size() + 16);
  if (s3_style) {
    // Each segment as the client meant it: decode, then encode once, so
    // "%2F" inside a key stays "%2F" and "$" becomes "%24" either way.
    bool first = true;
    for (auto seg : Split(raw_path, '/')) {
      if (!first) out += '/';
      first = false;
      auto decoded = UriDecode(seg);
      out += UriEncode(decoded ? std::string_view(*decoded) : seg, true);
    }
    if (out.empty() || out[0] != '/') out.insert(out.begin(), '/');
    return out;
  }
  std::vector<std::string_view> segs;
  for (auto seg : Split(raw_path, '/')) {
    if (seg.empty() || seg == ".") continue;
    if (seg == "..") {
      if (!segs.empty()) segs.pop_back();
      continue;
    }
    segs.push_back(seg);
  }
  for (auto seg : segs) {
    out += '/';
    out += UriEncode(seg, true);  // the path as sent is encoded again
  }
  if (segs.empty()) return "/";
  if (raw_path.back() == '/') out += '/';
  return out;
}

std::string CanonicalQueryString(std::string_view raw_query, bool exclude_signature, bool plus_as_space) {
  std::vector<std::pair<std::string, std::string>> params;
  for (auto part : Split(raw_query, '&')) {
    if (part.empty()) continue;
    auto eq = part.find('=');
    std::string_view name = part.substr(0, eq);
    std::string_view value = eq == std::string_view::npos ? std::string_view() : part.substr(eq + 1);
    auto dn = UriDecode(name, plus_as_space);
    auto dv = UriDecode(value, plus_as_space);
    std::string en = UriEncode(dn ? std::string_view(*dn) : name, true);
    if (exclude_signature && en == "X-Amz-Signature") continue;
    params.emplace_back(std::move(en), UriEncode(dv ? std::string_view(*dv) : value, true));
  }
  std::sort(params.begin(), params.end());
  std::string out;
  for (const auto& [n, v] : params) {
    if (!out.empty()) out += '&';
    out += n;
    out += '=';
    out += v;
  }
  return out;
}

std::string CanonicalHeaders(const http::Headers& headers, const std::vector<std::string>& signed_headers) {
  std::string out;
  for (const auto& name : signed_headers) {
    out += name;
    out += ':';
    bool first = true;
    for (const auto& [k, v] : headers.all()) {
      if (k != name) continue;
      if (!first) out += ',';
      first = false;
      bool pending_space = false;
      for (char c : Trim(v)) {
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
          pending_space = true;
          continue;
        }
        if (pending_space) out += ' ';
        pending_space = false;
        out += c;
      }
    }
    out += '\n';
  }
  return out;
}

std::string BuildCanonicalRequest(const http::RequestHead& head, const SigV4Request& req,
                                  std::string_view payload_hash, bool plus_as_space) {
  std::string out = head.method;
  out += '\n';
  out += CanonicalUri(head.raw_path, req.IsS3());
  out += '\n';
  out += CanonicalQueryString(head.raw_query, req.kind == AuthKind::kPresigned, plus_as_space);
  out += '\n';
  out += CanonicalHeaders(head.headers, req.signed_headers);
  out += '\n';
  for (size_t i = 0; i < req.signed_headers.size(); ++i) {
    if (i) out += ';';
    out += req.signed_headers[i];
  }
  out += '\n';
  out += payload_hash;
  return out;
}

std::string BuildStringToSign(std::string_view amz_date_text, std::string_view scope,
                              std::string_view canonical_request) {
  std::string out(kAlgorithm);
  out += '\n';
  out += amz_date_text;
  out += '\n';
  out += scope;
  out += '\n';
  out += HexEncode(crypto::Sha256(canonical_request));
  return out;
}

std::string SignString(std::string_view signing_key, std::string_view string_to_sign) {
  return HexEncode(crypto::HmacSha256(signing_key, string_to_sign));
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

Status CheckRequestTime(const SigV4Request& req, TimePoint now) {
  using std::chrono::seconds;
  if (req.kind == AuthKind::kHeader) {
    if (AbsDistance(req.amz_date, now) > kMaxClockSkew)
      return Unauthenticated("The difference between the request time and the current time is too large.")
          .WithAws("RequestTimeTooSkewed", 403)
          .WithField("RequestTime", req.amz_date_text)
          .WithField("ServerTime", FormatIso8601(now))
          .WithField("MaxAllowedSkewMilliseconds", "900000");
  } else if (req.kind == AuthKind::kPresigned) {
    if (req.amz_date > now + kMaxClockSkew)
      return PermissionDenied("Request is not valid yet").WithAws("AccessDenied", 403);
    TimePoint expiry = SaturatingAdd(req.amz_date, seconds(req.expires_seconds));
    if (now > expiry)
      return PermissionDenied("Request has expired")
          .WithAws("AccessDenied", 403)
          .WithField("X-Amz-Expires", std::to_string(req.expires_seconds))
          .WithField("Expires", FormatIso8601(expiry))
          .WithField("ServerTime", FormatIso8601(now));
  }
  return Status::Ok();
}

Status SignatureMismatch(std::string_view access_key_id, std::string_view string_to_sign,
                         std::string_view canonical_request, std::string_view signature_provided) {
  return Unauthenticated(kSignatureMismatchMessage)
      .WithAws("SignatureDoesNotMatch", 403)
      .WithField("AWSAccessKeyId", std::string(access_key_id))
      .WithField("StringToSign", std::string(string_to_sign))
      .WithField("SignatureProvided", std::string(signature_provided))
      .WithField("StringToSignBytes", BytesField(string_to_sign))
      .WithField("CanonicalRequest", std::string(canonical_request))
      .WithField("CanonicalRequestBytes", BytesField(canonical_request));
}

Status VerifySignature(const http::RequestHead& head, const SigV4Request& req, std::string_view secret,
                       std::string_view computed_payload_hash, TimePoint now, SigningContext* ctx) {
  if (req.kind == AuthKind::kNone) return VerifySignatureWithKey(head, req, {}, computed_payload_hash, now, ctx);
  return VerifySignatureWithKey(head, req, DeriveSigningKey(secret, req.scope_date, req.region, req.service),
                                computed_payload_hash, now, ctx);
}

Status VerifySignatureWithKey(const http::RequestHead& head, const SigV4Request& req,
                              std::string_view signing_key, std::string_view computed_payload_hash, TimePoint now,
                              SigningContext* ctx) {
  if (req.kind == AuthKind::kNone)
    return Unauthenticated("Request is missing Authentication Token").WithAws("MissingAuthenticationToken", 403);
  CK_RETURN_IF_ERROR(CheckRequestTime(req, now));
  std::string_view request_day = std::string_view(req.amz_date_text).substr(0, 8);
  if (request_day != req.scope_date) {
    if (req.IsS3())
      return InvalidArgument(
                 "The authorization header is malformed; Invalid credential date. Date is not the same as "
                 "X-Amz-Date.")
          .WithAws("AuthorizationHeaderMalformed", 400);
    return Unauthenticated("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from "
                           "HTTP: '" + req.scope_date + "' != '" + std::string(request_day) + "', from '" +
                           req.amz_date_text + "'.")
        .WithAws("SignatureDoesNotMatch", 403);
  }
  std::string_view payload = req.payload_hash;
  if (payload.empty()) payload = computed_payload_hash.empty() ? kEmptySha256 : computed_payload_hash;
  std::string scope = req.Scope();
  std::string creq = BuildCanonicalRequest(head, req, payload);
  std::string sts = BuildStringToSign(req.amz_date_text, scope, creq);
  bool ok = ConstantTimeEquals(SignString(signing_key, sts), req.signature);
  if (!ok && head.raw_query.find('+') != std::string::npos) {
    // A literal '+' is ambiguous (form encoding means space); accept either reading.
    std::string alt = BuildStringToSign(req.amz_date_text, scope, BuildCanonicalRequest(head, req, payload, true));
    ok = ConstantTimeEquals(SignString(signing_key, alt), req.signature);
  }
  if (!ok) return SignatureMismatch(req.access_key_id, sts, creq, req.signature);
  if (ctx) {
    ctx->signing_key = std::string(signing_key);
    ctx->amz_date_text = req.amz_date_text;
    ctx->scope = std::move(scope);
    ctx->seed_signature = req.signature;
  }
  return Status::Ok();
}

Status CheckContentSha256(std::string_view declared_hex, std::string_view computed_hex) {
  if (ToLower(declared_hex) == ToLower(computed_hex)) return Status::Ok();
  return InvalidArgument("The provided 'x-amz-content-sha256' header does not match what was computed.")
      .WithAws("XAmzContentSHA256Mismatch", 400)
      .WithField("ClientComputedContentSHA256", std::string(declared_hex))
      .WithField("S3ComputedContentSHA256", std::string(computed_hex));
}

}  // namespace ck::auth
