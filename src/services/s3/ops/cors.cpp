// CORS: the preflight (OPTIONS) answer and the headers an actual request's
// answer gets, from the bucket's CORS rules (the first rule that matches).
#include "core/iam/wildcard.h"
#include "services/s3/ops/common.h"

namespace ck::services::s3 {

namespace {

const std::vector<std::string> kNone;

bool CorsMatch(const api::s3::CORSRule& rule, const std::string& origin, const std::string& method,
               const std::vector<std::string>& req_headers) {
  bool origin_ok = false;
  for (const auto& o : rule.allowed_origins)
    if (core::iam::GlobMatch(o, origin)) origin_ok = true;
  if (!origin_ok) return false;
  bool method_ok = false;
  for (const auto& m : rule.allowed_methods)
    if (m == method) method_ok = true;
  if (!method_ok) return false;
  for (const auto& h : req_headers) {
    bool ok = false;
    for (const auto& a : rule.allowed_headers.value_or(kNone))
      if (core::iam::GlobMatch(ToLower(a), h, true)) ok = true;
    if (!ok) return false;
  }
  return true;
}

std::string Join(const std::vector<std::string>& items, const char* sep) {
  std::string out;
  for (const auto& v : items) out += (out.empty() ? "" : sep) + v;
  return out;
}

void SetCorsHeaders(const api::s3::CORSRule& rule, const std::string& origin, http::Response* r) {
  bool any = false;
  for (const auto& o : rule.allowed_origins)
    if (o == "*") any = true;
  r->headers.Set("Access-Control-Allow-Origin", any ? "*" : origin);
  r->headers.Set("Access-Control-Allow-Methods", Join(rule.allowed_methods, ", "));
  if (!any) r->headers.Set("Access-Control-Allow-Credentials", "true");
  if (rule.expose_headers) r->headers.Set("Access-Control-Expose-Headers", Join(*rule.expose_headers, ", "));
  if (rule.max_age_seconds) r->headers.Set("Access-Control-Max-Age", std::to_string(*rule.max_age_seconds));
  r->headers.Set("Vary", "Origin, Access-Control-Request-Headers, Access-Control-Request-Method");
}

std::vector<std::string> RequestedHeaders(const std::string& list) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < list.size()) {
    size_t comma = list.find(',', pos);
    std::string h = ToLower(Trim(list.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos)));
    if (!h.empty()) out.push_back(h);
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  return out;
}

}  // namespace

Result<http::Response> Preflight(S3Service& s, Call& c) {
  std::string origin(c.RawHeader("origin").value_or(""));
  std::string method(c.RawHeader("access-control-request-method").value_or(""));
  if (origin.empty()) return errors::BadRequest("Insufficient information. Origin request header needed.");
  if (method.empty()) return errors::BadRequest("Invalid Access-Control-Request-Method: null");
  auto forbidden = [&](const std::string& message) {
    return errors::AccessForbidden(message)
        .WithField("Method", method)
        .WithField("ResourceType", c.route.key.empty() ? "BUCKET" : "OBJECT");
  };
  auto b = s.store().Bucket(c.route.bucket);
  if (!b.ok()) return forbidden("CORSResponse: Bucket not found");
  if (!(*b)->cors) return forbidden("CORSResponse: CORS is not enabled for this bucket.");
  std::string list(c.RawHeader("access-control-request-headers").value_or(""));
  std::vector<std::string> req_headers = RequestedHeaders(list);
  for (const auto& rule : *(*b)->cors) {
    if (!CorsMatch(rule, origin, method, req_headers)) continue;
    http::Response r;
    SetCorsHeaders(rule, origin, &r);
    if (!list.empty()) r.headers.Set("Access-Control-Allow-Headers", ToLower(list));
    return r;
  }
  return forbidden(
      "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request "
      "method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the "
      "resource's CORS spec.");
}

void ApplyCors(S3Service& s, const Call& c, http::Response* r) {
  auto origin = c.RawHeader("origin");
  if (!origin || origin->empty() || c.route.bucket.empty()) return;
  auto b = s.store().Bucket(c.route.bucket);
  if (!b.ok() || !(*b)->cors) return;
  for (const auto& rule : *(*b)->cors) {
    if (!CorsMatch(rule, std::string(*origin), c.method(), {})) continue;
    SetCorsHeaders(rule, std::string(*origin), r);
    return;
  }
}

}  // namespace ck::services::s3
