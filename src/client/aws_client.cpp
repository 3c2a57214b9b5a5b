#include "client/aws_client.h"

#include <random>
#include <thread>

#include "auth/signer.h"
#include "base/codec.h"
#include "crypto/hash.h"
#include "wire/client_codec.h"

namespace ck::client {

void RateLimiter::Acquire() {
  if (interval_ <= 0) return;
  std::chrono::steady_clock::time_point slot;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto now = std::chrono::steady_clock::now();
    slot = std::max(now, next_);
    next_ = slot + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                       std::chrono::duration<double>(interval_));
  }
  std::this_thread::sleep_until(slot);
}

namespace {

bool DnsCompatible(const std::string& bucket) {
  if (bucket.size() < 3 || bucket.size() > 63 || bucket.find("..") != std::string::npos) return false;
  for (char c : bucket)
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '-'))
      return false;
  return true;
}

bool Retryable(const Status& s) {
  return s.code() == Code::kResourceExhausted || s.code() == Code::kUnavailable ||
         (s.code() == Code::kInternal && s.http_status() >= 500);
}

std::string RegionOfRedirect(const Status& s, const HttpResult& r) {
  if (auto h = r.headers.Get("x-amz-bucket-region")) return std::string(*h);
  for (const auto& [k, v] : s.fields())
    if (k == "Region") return v;
  return "";
}

}  // namespace

AwsClient::AwsClient(std::string service, ClientOptions options, std::shared_ptr<CredentialSource> credentials)
    : service_(std::move(service)), options_(std::move(options)), credentials_(std::move(credentials)),
      model_(wire::FindService(service_)),
      transport_(TransportOptions{.ca_bundle = options_.ca_bundle, .timeout = options_.timeout}),
      limiter_(options_.rate_limit) {}

std::chrono::milliseconds AwsClient::BackoffCeiling(int n) {
  int64_t ms = 100LL << std::min(n - 1, 8);
  return std::chrono::milliseconds(std::min<int64_t>(ms, 20000));
}

std::string AwsClient::BucketRegion(const std::string& bucket) {
  std::lock_guard<std::mutex> lock(regions_mu_);
  auto it = bucket_regions_.find(bucket);
  return it == bucket_regions_.end() ? options_.region : it->second;
}

Result<AwsClient::Target> AwsClient::TargetFor(const std::string& bucket) {
  Target t;
  t.signing_region = service_ == "iam" ? "us-east-1" : (bucket.empty() ? options_.region : BucketRegion(bucket));
  if (!options_.endpoint_url.empty()) {
    CK_ASSIGN_OR_RETURN(t.endpoint, Endpoint::Parse(options_.endpoint_url));
    return t;
  }
  std::string host;
  if (service_ == "iam") {
    host = "iam.amazonaws.com";
  } else if (service_ == "s3" && !bucket.empty() && DnsCompatible(bucket)) {
    host = bucket + ".s3." + t.signing_region + ".amazonaws.com";
    t.virtual_host = true;
  } else {
    host = service_ + "." + t.signing_region + ".amazonaws.com";
  }
  CK_ASSIGN_OR_RETURN(t.endpoint, Endpoint::Parse("https://" + host));
  return t;
}

Result<HttpResult> AwsClient::SendOnce(const wire::Operation& op, const Document& input, const std::string& bucket) {
  CK_ASSIGN_OR_RETURN(wire::ClientRequest req, wire::EncodeClientRequest(*model_, op, input));
  CK_ASSIGN_OR_RETURN(Target target, TargetFor(bucket));
  if (target.virtual_host && StartsWith(req.path, "/" + UriEncode(bucket))) {
    req.path = req.path.substr(1 + UriEncode(bucket).size());
    if (req.path.empty()) req.path = "/";
  }
  if (req.needs_content_md5 && !req.headers.Has("content-md5"))
    req.headers.Set("content-md5", Base64Encode(crypto::Md5(req.body)));
  http::RequestHead head;
  head.method = req.method;
  if (!http::ParseTarget(req.Target(), &head)) return InvalidArgument("cannot build request target " + req.Target());
  head.headers = req.headers;
  head.headers.Set("host", target.endpoint.HostHeader());
  head.headers.Set("user-agent", "crosskey-client/1");
  CK_ASSIGN_OR_RETURN(Credentials creds, credentials_->Get());
  std::string payload = HexEncode(crypto::Sha256(req.body));
  auth::SignSigV4(head, creds.keys, target.signing_region, model_->signing_name(), payload,
                  std::chrono::system_clock::now());
  limiter_.Acquire();
  return transport_.Send(target.endpoint, head, req.body);
}

Result<Document> AwsClient::CallDocument(const wire::Operation& op, const Document& input) {
  if (!model_) return Internal("no model for service " + service_);
  std::string bucket;
  if (service_ == "s3")
    if (auto it = input.find("Bucket"); it != input.end() && it->is_string()) bucket = it->get<std::string>();
  thread_local std::mt19937_64 rng{std::random_device{}()};
  Status last;
  bool redirected = false;
  for (int attempt = 1; attempt <= std::max(1, options_.max_attempts); ++attempt) {
    auto sent = SendOnce(op, input, bucket);
    if (sent.ok() && sent->status >= 200 && sent->status < 300)
      return wire::DecodeClientResponse(*model_, op, sent->status, sent->headers, sent->body);
    last = sent.ok() ? wire::DecodeClientError(*model_, sent->status, sent->headers, sent->body) : sent.status();
    if (sent.ok() && !bucket.empty() && !redirected && (sent->status == 301 || sent->status == 400)) {
      std::string region = RegionOfRedirect(last, *sent);
      if (!region.empty() && region != BucketRegion(bucket)) {
        std::lock_guard<std::mutex> lock(regions_mu_);
        bucket_regions_[bucket] = region;
        redirected = true;
        --attempt;  // a redirect is not a failed attempt
        continue;
      }
    }
    if (!Retryable(last) || attempt == options_.max_attempts) break;
    auto ceiling = BackoffCeiling(attempt).count();
    std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int64_t>(0, ceiling)(rng)));
  }
  return last;
}

}  // namespace ck::client
