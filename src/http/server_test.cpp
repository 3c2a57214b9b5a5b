// The HTTP server's own guarantees: a handler that throws still gets the
// client an answer, and stopping drains, then cancels long operations.
#include "http/server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

#include "base/cancel.h"

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

}  // namespace
}  // namespace ck::http
