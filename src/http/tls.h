// TLS for the HTTP server: a server context built from a PEM certificate
// chain and private key (TLS 1.2 and 1.3 only, ECDHE key exchange with
// AES-GCM or ChaCha20-Poly1305, no client certificates), and a generator of
// self-signed certificates for local use.
//
// Thread safety: a TlsContext is immutable once created and may be shared by
// every connection of every thread.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"

namespace boost::asio::ssl {
class context;
}

namespace ck::http {

struct TlsCredentials {
  std::string certificate_pem;  // the server's certificate, then any intermediates
  std::string private_key_pem;
};

// Reads a PEM certificate chain and its private key; errors name the file.
Result<TlsCredentials> ReadTlsFiles(const std::string& certificate_file, const std::string& private_key_file);

// A new P-256 key and a certificate for it, signed by itself: subject
// CN=<first DNS name>, subjectAltName the given DNS names and IP addresses,
// extendedKeyUsage serverAuth, not a CA (clients trust it directly, e.g. with
// --ca-bundle), valid from an hour ago for `validity`.
Result<TlsCredentials> GenerateSelfSigned(const std::vector<std::string>& dns_names,
                                          const std::vector<std::string>& ip_addresses,
                                          std::chrono::hours validity = std::chrono::hours(24 * 365));

class TlsContext {
 public:
  // Fails (naming the problem) when the PEM does not parse or the key does
  // not belong to the certificate.
  static Result<std::shared_ptr<TlsContext>> Create(const TlsCredentials& credentials);
  ~TlsContext();
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;

  boost::asio::ssl::context& native();
  // "CN=localhost, DNS:localhost, IP Address:127.0.0.1, …, expires 2027-05-01": for the start-up log.
  const std::string& description() const { return description_; }

 private:
  TlsContext();
  std::unique_ptr<boost::asio::ssl::context> ctx_;
  std::string description_;
};

}  // namespace ck::http
