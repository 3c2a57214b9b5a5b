// HTTP/1.1 for crosskey's AWS clients: plain TCP or TLS with certificate and
// host-name verification (the system's trust store, or a --ca-bundle file),
// keep-alive connections pooled per endpoint, whole-body responses with a
// size limit. Synchronous: the tools get concurrency from worker threads.
//
// Thread safety: Transport is safe for concurrent use; each Send borrows a
// connection from the pool (or opens one) and returns it afterwards.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"
#include "http/message.h"

namespace ck::client {

struct Endpoint {
  bool tls = true;
  std::string host;
  uint16_t port = 443;

  // "https://kms.us-east-1.amazonaws.com", "http://127.0.0.1:4566".
  static Result<Endpoint> Parse(std::string_view url);
  // The Host header value ("host" or "host:port" for a non-default port).
  std::string HostHeader() const;
  std::string Key() const;  // pool key
};

struct HttpResult {
  int status = 0;
  http::Headers headers;
  std::string body;
};

struct TransportOptions {
  std::string ca_bundle;  // PEM file of trusted CAs; empty = the system's
  std::chrono::seconds timeout{60};
  size_t max_body = 64 * 1024 * 1024;
  size_t max_idle_per_endpoint = 32;
};

class Transport {
 public:
  explicit Transport(TransportOptions options);
  ~Transport();
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;

  // Sends `head` (method, target, headers; Host and Content-Length are set
  // here) with `body`. Errors: kUnavailable for connection failures (worth a
  // retry), kInvalidArgument for TLS verification failures, kDataLoss for a
  // malformed or oversized response.
  Result<HttpResult> Send(const Endpoint& endpoint, const http::RequestHead& head, std::string_view body);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ck::client
