#include "auth/sigv2.h"

#include <algorithm>
#include <charconv>
#include <vector>

#include "auth/sigv4.h"
#include "base/codec.h"
#include "crypto/hash.h"

namespace ck::auth {

namespace {

// Sub-resources that S3's SigV2 includes in the canonicalized resource.
constexpr std::string_view kSubResources[] = {
    "acl", "cors", "delete", "encryption", "lifecycle", "location", "logging", "notification", "partNumber",
    "policy", "publicAccessBlock", "requestPayment", "response-cache-control", "response-content-disposition",
    "response-content-encoding", "response-content-language", "response-content-type", "response-expires",
    "restore", "tagging", "torrent", "uploadId", "uploads", "versionId", "versioning", "versions", "website",
    "ownershipControls", "object-lock", "retention", "legal-hold", "attributes"};

bool IsSubResource(std::string_view name) {
  return std::find(std::begin(kSubResources), std::end(kSubResources), name) != std::end(kSubResources);
}

std::string CanonicalizedResource(const http::RequestHead& head) {
  std::string resource = head.raw_path;
  // Virtual-hosted style: the bucket is the first label of the host.
  std::string host = head.headers.GetOr("host");
  host = host.substr(0, host.find(':'));
  for (std::string_view suffix : {".localhost", ".s3.localhost.localstack.cloud", ".localhost.localstack.cloud"}) {
    if (EndsWith(host, suffix) && host.size() > suffix.size()) {
      std::string bucket = host.substr(0, host.find('.'));
      resource = "/" + bucket + resource;
      break;
    }
  }
  // A path-style request for a bucket ("/bucket") is signed as "/bucket/", as
  // for the virtual-hosted form ("/" of the bucket's host).
  if (resource.size() > 1 && resource.find('/', 1) == std::string::npos) resource += "/";
  std::vector<std::pair<std::string, std::string>> subs;
  for (const auto& q : head.query)
    if (IsSubResource(q.name)) subs.emplace_back(q.name, q.has_value ? "=" + q.value : "");
  std::sort(subs.begin(), subs.end());
  for (size_t i = 0; i < subs.size(); ++i) resource += (i ? "&" : "?") + subs[i].first + subs[i].second;
  return resource;
}

Status Mismatch(std::string_view akid, std::string_view sts, std::string_view provided) {
  return SignatureMismatch(akid, sts, "", provided);
}

}  // namespace

std::optional<Result<SigV2Request>> ParseSigV2(const http::RequestHead& head) {
  if (auto auth = head.headers.Get("authorization")) {
    std::string_view v = Trim(*auth);
    if (!StartsWith(v, "AWS ")) return std::nullopt;
    auto colon = v.rfind(':');
    if (colon == std::string_view::npos || colon < 4)
      return Result<SigV2Request>(AwsError("InvalidArgument", 400, "AWS authorization header is invalid.  Expected AwsAccessKeyId:signature"));
    SigV2Request r;
    r.access_key_id = std::string(v.substr(4, colon - 4));
    r.signature = std::string(v.substr(colon + 1));
    auto amz = head.headers.Get("x-amz-date");
    auto date = amz ? ParseHttpDate(*amz) : (head.headers.Get("date") ? ParseHttpDate(*head.headers.Get("date")) : std::nullopt);
    if (!date)
      return Result<SigV2Request>(AwsError("AccessDenied", 403, "AWS authentication requires a valid Date or x-amz-date header"));
    r.date = *date;
    return Result<SigV2Request>(std::move(r));
  }
  auto akid = head.QueryValue("AWSAccessKeyId");
  auto sig = head.QueryValue("Signature");
  auto expires = head.QueryValue("Expires");
  if (!akid && !sig) return std::nullopt;
  if (!akid || !sig || !expires)
    return Result<SigV2Request>(AwsError("AccessDenied", 403,
                                         "Query-string authentication requires the Signature, Expires and "
                                         "AWSAccessKeyId parameters"));
  SigV2Request r;
  r.presigned = true;
  r.access_key_id = std::string(*akid);
  r.signature = std::string(*sig);
  auto [ptr, ec] = std::from_chars(expires->data(), expires->data() + expires->size(), r.expires);
  if (ec != std::errc() || ptr != expires->data() + expires->size())
    return Result<SigV2Request>(AwsError("AccessDenied", 403, "Invalid date (should be seconds since epoch): " +
                                                                  std::string(*expires)));
  return Result<SigV2Request>(std::move(r));
}

std::string SigV2StringToSign(const http::RequestHead& head, const SigV2Request& req) {
  std::string sts = head.method + "\n";
  sts += head.headers.GetOr("content-md5") + "\n";
  sts += head.headers.GetOr("content-type") + "\n";
  if (req.presigned) sts += std::to_string(req.expires);
  else if (!head.headers.Has("x-amz-date")) sts += head.headers.GetOr("date");
  sts += "\n";
  std::vector<std::pair<std::string, std::string>> amz;
  for (const auto& [k, v] : head.headers.all()) {
    if (!StartsWith(k, "x-amz-")) continue;
    const std::string& name = k;  // a structured binding cannot be captured before clang 16
    auto it = std::find_if(amz.begin(), amz.end(), [&](const auto& p) { return p.first == name; });
    if (it != amz.end()) it->second += "," + std::string(Trim(v));
    else amz.emplace_back(k, std::string(Trim(v)));
  }
  std::sort(amz.begin(), amz.end());
  for (const auto& [k, v] : amz) sts += k + ":" + v + "\n";
  return sts + CanonicalizedResource(head);
}

Status CheckSigV2Time(const SigV2Request& req, TimePoint now) {
  if (req.presigned) {
    if (ToEpochSeconds(now) > static_cast<double>(req.expires))
      return AwsError("AccessDenied", 403, "Request has expired")
          .WithField("Expires", FormatIso8601(FromEpochSeconds(static_cast<double>(req.expires))))
          .WithField("ServerTime", FormatIso8601(now));
    return Status::Ok();
  }
  if (AbsDistance(req.date, now) > kMaxClockSkew)
    return AwsError("RequestTimeTooSkewed", 403,
                    "The difference between the request time and the current time is too large.")
        .WithField("RequestTime", FormatHttpDate(req.date))
        .WithField("ServerTime", FormatIso8601(now))
        .WithField("MaxAllowedSkewMilliseconds", "900000");
  return Status::Ok();
}

Status VerifySigV2(const http::RequestHead& head, const SigV2Request& req, std::string_view secret) {
  std::string sts = SigV2StringToSign(head, req);
  std::string expected = Base64Encode(crypto::HmacSha1(secret, sts));
  if (!ConstantTimeEquals(expected, req.signature)) return Mismatch(req.access_key_id, sts, req.signature);
  return Status::Ok();
}

}  // namespace ck::auth
