#include "services/s3/router.h"

#include <array>
#include <unordered_map>

#include "base/codec.h"
#include "services/s3/errors.h"

namespace ck::services::s3 {

namespace {

constexpr std::array<std::string_view, static_cast<size_t>(Endpoint::kCount)> kNames = {
    "", "", "PreflightRequest",
#define CK_S3_ENDPOINT_NAME(Name) #Name,
    CK_S3_ENDPOINTS(CK_S3_ENDPOINT_NAME)
#undef CK_S3_ENDPOINT_NAME
};

Endpoint ServedEndpoint(std::string_view operation) {
  static const auto* by_name = [] {
    auto* m = new std::unordered_map<std::string_view, Endpoint>();
    for (size_t i = static_cast<size_t>(Endpoint::kPreflight) + 1; i < kNames.size(); ++i)
      (*m)[kNames[i]] = static_cast<Endpoint>(i);
    return m;
  }();
  auto it = by_name->find(operation);
  return it == by_name->end() ? Endpoint::kUnimplemented : it->second;
}

bool IsS3Method(std::string_view m) { return m == "GET" || m == "PUT" || m == "POST" || m == "DELETE" || m == "HEAD"; }

}  // namespace

std::string_view EndpointName(Endpoint e) {
  size_t i = static_cast<size_t>(e);
  return i < kNames.size() ? kNames[i] : std::string_view();
}

std::string BucketFromHost(std::string_view host) {
  if (auto colon = host.rfind(':'); colon != std::string_view::npos && host.find(']') == std::string_view::npos)
    host = host.substr(0, colon);
  std::string h = ToLower(host);
  if (auto p = h.find(".s3."); p != std::string::npos && p > 0) return h.substr(0, p);
  if (auto p = h.find(".s3-"); p != std::string::npos && p > 0 && EndsWith(h, ".amazonaws.com")) return h.substr(0, p);
  for (std::string_view suffix : {".localhost.localstack.cloud", ".localhost"}) {
    if (EndsWith(h, suffix) && h.size() > suffix.size() && !StartsWith(h, "s3."))
      return h.substr(0, h.size() - suffix.size());
  }
  return "";
}

Route RouteRequest(const wire::ServiceModel& model, const http::RequestHead& head) {
  Route r;
  std::string path = head.raw_path.empty() ? "/" : head.raw_path;
  if (std::string vhost = BucketFromHost(head.headers.GetOr("host")); !vhost.empty())
    path = "/" + UriEncode(vhost) + (path == "/" ? "" : path);

  if (head.method == "OPTIONS") {
    // Preflight: the bucket is the first path segment, the key the rest.
    std::string decoded = UriDecode(path).value_or(path);
    size_t slash = decoded.find('/', 1);
    r.endpoint = Endpoint::kPreflight;
    r.bucket = decoded.substr(1, slash == std::string::npos ? std::string::npos : slash - 1);
    r.key = slash == std::string::npos ? "" : decoded.substr(slash + 1);
    return r;
  }
  auto match = model.MatchRestOperation(head.method, path, head.query, head.headers);
  if (!match) return r;
  r.operation = match->operation;
  r.endpoint = ServedEndpoint(r.operation->name);
  if (auto it = match->labels.find("Bucket"); it != match->labels.end()) r.bucket = std::move(it->second);
  if (auto it = match->labels.find("Key"); it != match->labels.end()) r.key = std::move(it->second);
  return r;
}

Status RouteError(const Route& route, std::string_view method) {
  if (route.endpoint == Endpoint::kUnimplemented && route.operation) return errors::Unsupported(route.operation->name);
  if (!IsS3Method(method)) return errors::MethodNotAllowedFor(std::string(method), "OBJECT");
  return errors::Unsupported();
}

Status CheckRequestEncoding(const http::RequestHead& head) {
  if (!IsValidUtf8(head.path)) return errors::UnparsableUri();
  for (const auto& q : head.query)
    if (!IsValidUtf8(q.name) || !IsValidUtf8(q.value)) return errors::UnparsableUri();
  for (const auto& [name, value] : head.headers.all())
    if (!IsValidUtf8(name) || !IsValidUtf8(value))
      // AWS's text for this case is not known (its front end reads headers
      // as ISO-8859-1); the value is not echoed, it could not be written.
      return errors::InvalidArgument("Header value is not valid UTF-8.")
          .WithField("ArgumentName", IsValidUtf8(name) ? name : std::string("header"));
  return Status::Ok();
}

}  // namespace ck::services::s3
