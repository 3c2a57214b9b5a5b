#include "client/transport.h"

#include <deque>
#include <map>
#include <mutex>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <openssl/ssl.h>

#include "base/codec.h"

namespace ck::client {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

Result<Endpoint> Endpoint::Parse(std::string_view url) {
  Endpoint e;
  if (StartsWith(url, "https://")) {
    url.remove_prefix(8);
  } else if (StartsWith(url, "http://")) {
    e.tls = false;
    e.port = 80;
    url.remove_prefix(7);
  } else {
    return InvalidArgument("endpoint URL must start with http:// or https://: " + std::string(url));
  }
  url = url.substr(0, url.find('/'));
  size_t colon = url.rfind(':');
  if (colon != std::string_view::npos && url.find(']') == std::string_view::npos) {
    std::string_view port = url.substr(colon + 1);
    if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string_view::npos)
      return InvalidArgument("bad port in endpoint URL: " + std::string(port));
    e.port = static_cast<uint16_t>(std::stoi(std::string(port)));
    url = url.substr(0, colon);
  }
  if (url.empty()) return InvalidArgument("endpoint URL has no host");
  e.host = std::string(url);
  return e;
}

std::string Endpoint::HostHeader() const {
  bool default_port = (tls && port == 443) || (!tls && port == 80);
  return default_port ? host : host + ":" + std::to_string(port);
}

std::string Endpoint::Key() const { return (tls ? "https://" : "http://") + host + ":" + std::to_string(port); }

namespace {

// One open connection: a TCP stream, optionally inside TLS.
struct Connection {
  explicit Connection(asio::io_context& ioc) : tcp_stream(ioc) {}
  beast::tcp_stream tcp_stream;
  std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> tls;
  beast::flat_buffer buffer;
};

Status ConnectionFailure(const std::string& what, const beast::error_code& ec) {
  return Status(Code::kUnavailable, what + ": " + ec.message());
}

}  // namespace

struct Transport::Impl {
  explicit Impl(TransportOptions o) : options(std::move(o)), ssl_ctx(asio::ssl::context::tls_client) {
    ssl_ctx.set_verify_mode(asio::ssl::verify_peer);
    if (options.ca_bundle.empty()) {
      ssl_ctx.set_default_verify_paths();
    } else {
      beast::error_code ec;
      ssl_ctx.load_verify_file(options.ca_bundle, ec);
      ca_error = ec ? "cannot read CA bundle " + options.ca_bundle + ": " + ec.message() : "";
    }
  }

  Result<std::unique_ptr<Connection>> Open(const Endpoint& e) {
    if (!ca_error.empty()) return InvalidArgument(ca_error);
    auto c = std::make_unique<Connection>(ioc);
    beast::error_code ec;
    tcp::resolver resolver(ioc);
    auto addrs = resolver.resolve(e.host, std::to_string(e.port), ec);
    if (ec) return ConnectionFailure("cannot resolve " + e.host, ec);
    c->tcp_stream.expires_after(options.timeout);
    c->tcp_stream.connect(addrs, ec);
    if (ec) return ConnectionFailure("cannot connect to " + e.Key(), ec);
    if (!e.tls) return c;
    auto tls = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(std::move(c->tcp_stream), ssl_ctx);
    SSL_set_tlsext_host_name(tls->native_handle(), e.host.c_str());
    tls->set_verify_callback(asio::ssl::host_name_verification(e.host));
    tls->handshake(asio::ssl::stream_base::client, ec);
    if (ec) return InvalidArgument("TLS handshake with " + e.Key() + " failed: " + ec.message());
    c->tls = std::move(tls);
    return c;
  }

  template <typename Stream>
  Result<HttpResult> Exchange(Stream& s, Connection& c, const http::RequestHead& head, std::string_view body,
                              bool* reusable) {
    bhttp::request<bhttp::string_body> req;
    req.method_string(head.method);
    req.target(head.target);
    req.version(11);
    for (const auto& [name, value] : head.headers.all()) req.insert(name, value);
    req.body() = std::string(body);
    req.prepare_payload();
    beast::error_code ec;
    beast::get_lowest_layer(s).expires_after(options.timeout);
    bhttp::write(s, req, ec);
    if (ec) return ConnectionFailure("sending request", ec);
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(options.max_body);
    parser.skip(head.method == "HEAD");
    bhttp::read(s, c.buffer, parser, ec);
    if (ec == bhttp::error::body_limit) return Status(Code::kDataLoss, "response body over the limit");
    if (ec) return ConnectionFailure("reading response", ec);
    auto& res = parser.get();
    HttpResult out;
    out.status = static_cast<int>(res.result_int());
    for (const auto& f : res) out.headers.Add(ToLower(std::string(f.name_string())), std::string(f.value()));
    out.body = std::move(res.body());
    *reusable = res.keep_alive();
    return out;
  }

  Result<HttpResult> SendOn(Connection& c, const http::RequestHead& head, std::string_view body, bool* reusable) {
    if (c.tls) return Exchange(*c.tls, c, head, body, reusable);
    return Exchange(c.tcp_stream, c, head, body, reusable);
  }

  std::unique_ptr<Connection> Borrow(const std::string& key) {
    std::lock_guard<std::mutex> lock(mu);
    auto& idle = pool[key];
    if (idle.empty()) return nullptr;
    auto c = std::move(idle.back());
    idle.pop_back();
    return c;
  }

  void Return(const std::string& key, std::unique_ptr<Connection> c) {
    std::lock_guard<std::mutex> lock(mu);
    auto& idle = pool[key];
    if (idle.size() < options.max_idle_per_endpoint) idle.push_back(std::move(c));
  }

  TransportOptions options;
  asio::io_context ioc;
  asio::ssl::context ssl_ctx;
  std::string ca_error;
  std::mutex mu;
  std::map<std::string, std::deque<std::unique_ptr<Connection>>> pool;
};

Transport::Transport(TransportOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
Transport::~Transport() = default;

Result<HttpResult> Transport::Send(const Endpoint& endpoint, const http::RequestHead& head, std::string_view body) {
  http::RequestHead h = head;
  h.headers.Set("host", endpoint.HostHeader());
  std::string key = endpoint.Key();
  // A pooled connection may have been closed by the server meanwhile: one
  // fresh attempt follows a failure on a reused connection.
  for (int attempt = 0; attempt < 2; ++attempt) {
    std::unique_ptr<Connection> c = attempt == 0 ? impl_->Borrow(key) : nullptr;
    bool reused = c != nullptr;
    if (!c) {
      auto opened = impl_->Open(endpoint);
      if (!opened.ok()) return opened.status();
      c = std::move(*opened);
    }
    bool reusable = false;
    auto r = impl_->SendOn(*c, h, body, &reusable);
    if (r.ok()) {
      if (reusable) impl_->Return(key, std::move(c));
      return r;
    }
    if (!reused || r.status().code() != Code::kUnavailable) return r;
  }
  return Status(Code::kUnavailable, "unreachable");
}

}  // namespace ck::client
