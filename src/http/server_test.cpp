// The HTTP server's own guarantees: a handler that throws still gets the
// client an answer, and stopping drains, then cancels long operations; with
// TLS on, one port serves both protocols through the same request loop.
#include "http/server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>

#include "base/cancel.h"
#include "http/tls.h"

namespace ck::http {
namespace {

using Clock = std::chrono::steady_clock;

// A sink whose Write throws; Finish would acknowledge whatever it got.
class ThrowingSink final : public BodySink {
 public:
  explicit ThrowingSink(std::atomic<bool>* finished) : finished_(finished) {}
  Status Write(std::string_view) override { throw std::runtime_error("write boom"); }
  Response Finish() override {
    *finished_ = true;
    return Response{};
  }

 private:
  std::atomic<bool>* finished_;
};

// Answers "/throw" by throwing, "/throw-body" with a sink that throws, and
// "/spin" by looping until cancelled.
class TestHandler final : public Handler {
 public:
  std::unique_ptr<BodySink> Begin(RequestHead& head) override {
    head.request_id = "req-1";
    if (head.path == "/throw") throw std::runtime_error("boom");
    if (head.path == "/throw-body") return std::make_unique<ThrowingSink>(&finished);
    Response r;
    if (head.path == "/spin") {
      started = true;
      while (true) {
        Status s = CheckCancelled();
        if (!s.ok()) {
          r.status = s.http_status();
          r.body = s.aws_code();
          break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
    } else if (head.path == "/scheme") {
      r.body = head.secure ? "https" : "http";
    } else {
      r.body = "ok";
    }
    return std::make_unique<FixedResponseSink>(std::move(r));
  }
  std::atomic<bool> started{false};
  std::atomic<bool> finished{false};
};

Response PlainError(int status, const std::string& code, const std::string& message) {
  Response r;
  r.status = status;
  r.body = code + ": " + message;
  return r;
}

// One request on a fresh connection; returns the whole response text.
std::string Send(uint16_t port, const std::string& req);

std::string Get(uint16_t port, const std::string& path) {
  return Send(port, "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
}

std::string Send(uint16_t port, const std::string& req) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd);
    return "(connect failed)";
  }
  (void)::write(fd, req.data(), req.size());
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = ::read(fd, buf, sizeof(buf))) > 0;) out.append(buf, static_cast<size_t>(n));
  ::close(fd);
  return out;
}

// One request over TLS, trusting `ca_pem`; the whole response text, or
// "(handshake failed: …)".
std::string SendTls(uint16_t port, const std::string& ca_pem, const std::string& req) {
  namespace asio = boost::asio;
  asio::io_context ioc;
  asio::ssl::context ctx(asio::ssl::context::tls_client);
  boost::system::error_code ec;
  ctx.add_certificate_authority(asio::buffer(ca_pem), ec);
  ctx.set_verify_mode(asio::ssl::verify_peer);
  asio::ssl::stream<asio::ip::tcp::socket> s(ioc, ctx);
  s.set_verify_callback(asio::ssl::host_name_verification("127.0.0.1"));
  s.next_layer().connect({asio::ip::make_address("127.0.0.1"), port}, ec);
  if (ec) return "(connect failed)";
  s.handshake(asio::ssl::stream_base::client, ec);
  if (ec) return "(handshake failed: " + ec.message() + ")";
  asio::write(s, asio::buffer(req), ec);
  std::string out;
  asio::read(s, asio::dynamic_buffer(out), ec);  // to the end: eof after the server's close_notify
  if (ec != asio::error::eof) out += "(read ended with: " + ec.message() + ")";
  return out;
}

struct Running {
  explicit Running(ServerOptions o) : server(std::move(o), handler, PlainError) {
    EXPECT_TRUE(server.Listen().ok());
    thread = std::thread([this] { server.Run(); });
  }
  ~Running() {
    server.Stop();
    if (thread.joinable()) thread.join();
  }
  TestHandler handler;
  Server server;
  std::thread thread;
};

ServerOptions Options() {
  ServerOptions o;
  o.port = 0;
  o.threads = 2;
  o.handle_signals = false;
  return o;
}

TEST(HttpServer, ExceptionInHandlerIsAnswered500) {
  Running r(Options());
  std::string resp = Get(r.server.bound_port(), "/throw");
  EXPECT_EQ(resp.rfind("HTTP/1.1 500", 0), 0u) << resp;
  EXPECT_NE(resp.find("InternalError"), std::string::npos) << resp;
  // The server lives on.
  EXPECT_NE(Get(r.server.bound_port(), "/fine").find("\r\n\r\nok"), std::string::npos);
}

// A sink that threw is never finished (it could acknowledge half a body).
TEST(HttpServer, ExceptionInBodySinkIsAnswered500WithoutFinishing) {
  Running r(Options());
  std::string resp = Send(r.server.bound_port(),
                          "PUT /throw-body HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello");
  EXPECT_EQ(resp.rfind("HTTP/1.1 500", 0), 0u) << resp;
  EXPECT_FALSE(r.handler.finished);
}

TEST(HttpServer, StopDrainsThenCancelsLongOperations) {
  ServerOptions o = Options();
  o.drain_timeout = std::chrono::seconds(1);
  Running r(o);
  std::string resp;
  std::thread client([&] { resp = Get(r.server.bound_port(), "/spin"); });
  while (!r.handler.started) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  auto t0 = Clock::now();
  r.server.Stop();
  r.thread.join();
  double took = std::chrono::duration<double>(Clock::now() - t0).count();
  client.join();
  EXPECT_GE(took, 0.9);  // the drain time was given
  EXPECT_LT(took, 2.5);  // then the spin was cancelled, not waited for
  EXPECT_EQ(resp.rfind("HTTP/1.1 503", 0), 0u) << resp;
  EXPECT_NE(resp.find("ServiceUnavailable"), std::string::npos) << resp;
}

TEST(HttpServer, StopWithNothingInFlightIsImmediate) {
  Running r(Options());
  EXPECT_NE(Get(r.server.bound_port(), "/fine").find("ok"), std::string::npos);
  auto t0 = Clock::now();
  r.server.Stop();
  r.thread.join();
  EXPECT_LT(std::chrono::duration<double>(Clock::now() - t0).count(), 0.5);
}

TEST(Tls, SelfSignedCertificateMakesAContext) {
  auto creds = GenerateSelfSigned({"localhost"}, {"127.0.0.1", "::1"});
  ASSERT_TRUE(creds.ok()) << creds.status().message();
  EXPECT_EQ(creds->certificate_pem.rfind("-----BEGIN CERTIFICATE-----", 0), 0u);
  EXPECT_EQ(creds->private_key_pem.rfind("-----BEGIN PRIVATE KEY-----", 0), 0u);
  auto ctx = TlsContext::Create(*creds);
  ASSERT_TRUE(ctx.ok()) << ctx.status().message();
  EXPECT_NE((*ctx)->description().find("CN=localhost"), std::string::npos) << (*ctx)->description();
  EXPECT_NE((*ctx)->description().find("IP Address:127.0.0.1"), std::string::npos) << (*ctx)->description();
  EXPECT_NE((*ctx)->description().find(", expires "), std::string::npos) << (*ctx)->description();
}

TEST(Tls, CreateRefusesAKeyOfAnotherCertificateAndNonPem) {
  auto a = GenerateSelfSigned({"localhost"}, {});
  auto b = GenerateSelfSigned({"localhost"}, {});
  ASSERT_TRUE(a.ok() && b.ok());
  auto mixed = TlsContext::Create({a->certificate_pem, b->private_key_pem});
  ASSERT_FALSE(mixed.ok());
  EXPECT_EQ(mixed.status().message(), "the private key does not belong to the certificate");
  auto garbage = TlsContext::Create({"not a certificate", a->private_key_pem});
  ASSERT_FALSE(garbage.ok());
  EXPECT_EQ(garbage.status().message().rfind("the certificate does not parse as PEM", 0), 0u)
      << garbage.status().message();
  EXPECT_FALSE(GenerateSelfSigned({"localhost"}, {"not-an-ip"}).ok());
}

struct TlsServer {
  TlsServer() {
    auto creds = GenerateSelfSigned({"localhost"}, {"127.0.0.1"});
    EXPECT_TRUE(creds.ok());
    ca_pem = creds->certificate_pem;
    auto ctx = TlsContext::Create(*creds);
    EXPECT_TRUE(ctx.ok());
    options = Options();
    options.tls = *ctx;
  }
  std::string ca_pem;
  ServerOptions options;
};

TEST(HttpServer, OnePortServesHttpAndHttps) {
  TlsServer t;
  Running r(t.options);
  uint16_t port = r.server.bound_port();
  std::string tls = SendTls(port, t.ca_pem, "GET /scheme HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(tls.rfind("HTTP/1.1 200", 0), 0u) << tls;
  EXPECT_TRUE(tls.ends_with("\r\n\r\nhttps")) << tls;
  std::string plain = Get(port, "/scheme");
  EXPECT_EQ(plain.rfind("HTTP/1.1 200", 0), 0u) << plain;
  EXPECT_TRUE(plain.ends_with("\r\n\r\nhttp")) << plain;
  // Keep-alive and pipelining over TLS: leftover bytes stay for the next request.
  std::string two = SendTls(port, t.ca_pem,
                            "GET /scheme HTTP/1.1\r\nHost: x\r\n\r\n"
                            "GET /scheme HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  size_t first = two.find("\r\n\r\nhttps");
  ASSERT_NE(first, std::string::npos) << two;
  EXPECT_NE(two.find("\r\n\r\nhttps", first + 1), std::string::npos) << two;
  // A handler's exception is answered over TLS too.
  std::string thrown = SendTls(port, t.ca_pem, "GET /throw HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(thrown.rfind("HTTP/1.1 500", 0), 0u) << thrown;
}

TEST(HttpServer, HttpsClientThatDoesNotTrustTheCertificateFails) {
  TlsServer t;
  Running r(t.options);
  auto other = GenerateSelfSigned({"localhost"}, {"127.0.0.1"});
  ASSERT_TRUE(other.ok());
  std::string resp = SendTls(r.server.bound_port(), other->certificate_pem, "GET /fine HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(resp.rfind("(handshake failed: certificate verify failed", 0), 0u) << resp;
  EXPECT_NE(Get(r.server.bound_port(), "/fine").find("\r\n\r\nok"), std::string::npos);
}

TEST(HttpServer, StopDrainsThenCancelsOverHttps) {
  TlsServer t;
  t.options.drain_timeout = std::chrono::seconds(1);
  Running r(t.options);
  std::string resp;
  std::thread client([&] { resp = SendTls(r.server.bound_port(), t.ca_pem, "GET /spin HTTP/1.1\r\nHost: x\r\n\r\n"); });
  while (!r.handler.started) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  auto t0 = Clock::now();
  r.server.Stop();
  r.thread.join();
  double took = std::chrono::duration<double>(Clock::now() - t0).count();
  client.join();
  EXPECT_GE(took, 0.9);
  EXPECT_LT(took, 2.5);
  EXPECT_EQ(resp.rfind("HTTP/1.1 503", 0), 0u) << resp;
  EXPECT_NE(resp.find("Connection: close"), std::string::npos) << resp;  // stopping: no keep-alive
}

}  // namespace
}  // namespace ck::http
