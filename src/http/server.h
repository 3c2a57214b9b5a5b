// The HTTP/1.1 listener: Boost.Beast on one io_context run by one thread per
// core. Each connection is a coroutine that reads a request head, asks the
// Handler for a BodySink, streams the body into it in bounded chunks, then
// streams the response out (pulling from its BodySource when it has one).
// Keep-alive and pipelining are supported: leftover bytes of the next
// request stay in the connection's buffer. Nothing here knows about AWS.
//
// Stopping: Stop(), or SIGINT/SIGTERM when handle_signals, closes the
// listener; requests in flight get drain_timeout to finish; then the
// server's CancelSource is cancelled (long operations that call
// CheckCancelled() answer 503 and return) and, after cancel_grace, the
// io_context stops and Run() returns. A worker that still does not return
// within exit_grace makes the process exit outright (status 1); so does a
// second signal, at any time (status 128 + signal).
//
// HTTPS: with options.tls set, the same port serves plain HTTP and HTTPS. A
// connection whose first byte is 0x16 (a TLS handshake record: no HTTP
// request starts with it) is wrapped in TLS; any other is read as HTTP. Both
// then run the same request loop, with the same limits, streaming,
// keep-alive and logging; RequestHead::secure tells which one a request came on.
//
// Every request gets an answer and a log line: HTTP-level rejections (header
// section too large, unparsable request, connection limit), aborted bodies,
// dropped responses and exceptions escaping a handler (answered 500) are
// logged here; the application logs the requests it answers.
//
// Thread safety: Run() blocks; Stop() may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "base/status.h"
#include "http/message.h"
#include "http/tls.h"

namespace ck::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 4566;          // 0 picks a free port (see bound_port())
  unsigned threads = 0;          // 0 = two per core, at least 4 (Server::Impl::Threads)
  size_t header_limit = 16 * 1024;   // bytes of request line + headers
  std::chrono::seconds idle_timeout{60};   // no bytes from the client for this long closes it
  size_t max_connections = 4096;
  std::chrono::seconds drain_timeout{10};  // on stop, in-flight requests get this long
  std::chrono::milliseconds cancel_grace{2000};  // then, once cancelled, this long to answer
  std::chrono::milliseconds exit_grace{5000};    // then, once stopped, this long to return or the process exits
  size_t read_chunk = 256 * 1024;          // body bytes handed to a sink at a time
  size_t write_chunk = 1024 * 1024;        // streamed response bytes written per socket write
  bool handle_signals = true;              // SIGINT/SIGTERM stop the server
  std::shared_ptr<TlsContext> tls;         // set: HTTPS on the same port too
};

// Called when a limit is hit before a handler is chosen: renders the error in
// whatever protocol the application prefers (status, AWS-ish code, message).
using LimitErrorRenderer = std::function<Response(int status, const std::string& code, const std::string& message)>;

class Server {
 public:
  Server(ServerOptions options, Handler& handler, LimitErrorRenderer limit_error);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds the listening socket. Fails with a clear message when the address is in use.
  Status Listen();
  uint16_t bound_port() const;
  // Serves until Stop() or a signal; returns after in-flight requests drained
  // (bounded by drain_timeout).
  void Run();
  void Stop();
  // Called once (from a server thread) when the server starts accepting.
  void OnReady(std::function<void()> cb);

  uint64_t active_connections() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ck::http
