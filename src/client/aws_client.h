// AwsClient: one AWS service, called with the generated typed shapes.
//
//   AwsClient s3("s3", options, credentials);
//   auto head = s3.Call<api::s3::ops::HeadObject>({.bucket = "b", .key = "k"});
//
// Encodes the input with the service's model (wire/client_codec.h), signs it
// with SigV4 (auth/signer.h) using the credential chain, sends it over the
// Transport, and decodes the output or the AWS error. Around that:
// - endpoints: --endpoint-url for every service (crosskey, any S3-compatible
//   server; S3 path-style), else AWS's public endpoints (S3 virtual-hosted
//   style for DNS-compatible bucket names, IAM global in us-east-1);
// - retries: throttling errors, 5xx and connection failures, up to
//   max_attempts, with exponential backoff and full jitter (AWS's "standard"
//   retry mode);
// - a client-side rate limit (requests per second, shared by all threads);
// - S3 region redirects: a bucket answered from another region (301
//   PermanentRedirect, 400 AuthorizationHeaderMalformed, x-amz-bucket-region)
//   is retried in that region, remembered per bucket.
//
// Thread safety: safe for concurrent use.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "api/support.h"
#include "base/clock.h"
#include "client/credentials.h"
#include "client/transport.h"
#include "wire/model.h"

namespace ck::client {

struct ClientOptions {
  std::string region = "us-east-1";
  std::string endpoint_url;  // empty: AWS's public endpoint
  std::string ca_bundle;
  int max_attempts = 5;
  double rate_limit = 0;  // requests per second across threads; 0 = none
  std::chrono::seconds timeout{60};
};

// Requests per second, shared: Acquire blocks until a slot is free.
class RateLimiter {
 public:
  explicit RateLimiter(double per_second) : interval_(per_second > 0 ? 1.0 / per_second : 0) {}
  void Acquire();

 private:
  double interval_;
  std::mutex mu_;
  std::chrono::steady_clock::time_point next_{};
};

class AwsClient {
 public:
  AwsClient(std::string service, ClientOptions options, std::shared_ptr<CredentialSource> credentials);

  template <typename Op>
  Result<typename Op::Output> Call(const typename Op::Input& input) {
    const wire::Operation* op = model_->FindOperation(Op::kName);
    if (!op) return Internal("operation " + std::string(Op::kName) + " is not in the " + service_ + " model");
    auto doc = CallDocument(*op, ToDocument(input));
    if (!doc.ok()) return doc.status();
    typename Op::Output out{};
    if (Status s = FromDocument(*doc, &out, DecodeOptions{.strict = false}); !s.ok())
      return Status(Code::kDataLoss, service_ + " " + std::string(Op::kName) + ": " + s.message());
    return out;
  }

  // The same with documents (the protocol-neutral form, src/api).
  Result<Document> CallDocument(const wire::Operation& op, const Document& input);

  const std::string& region() const { return options_.region; }
  const ClientOptions& options() const { return options_; }

  // The attempts' backoff before attempt `n` (1-based), without jitter: for tests.
  static std::chrono::milliseconds BackoffCeiling(int n);

 private:
  struct Target {
    Endpoint endpoint;
    std::string signing_region;
    bool virtual_host = false;  // S3: bucket in the host name
  };
  Result<Target> TargetFor(const std::string& bucket);
  Result<HttpResult> SendOnce(const wire::Operation& op, const Document& input, const std::string& bucket);
  std::string BucketRegion(const std::string& bucket);

  std::string service_;
  ClientOptions options_;
  std::shared_ptr<CredentialSource> credentials_;
  const wire::ServiceModel* model_;
  Transport transport_;
  RateLimiter limiter_;
  std::mutex regions_mu_;
  std::map<std::string, std::string> bucket_regions_;
};

}  // namespace ck::client
