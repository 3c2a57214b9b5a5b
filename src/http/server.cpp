#include "http/server.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <csignal>
#include <cstdlib>
#include <exception>
#include <limits>
#include <memory>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

#include <boost/asio.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <spdlog/spdlog.h>

#include "base/cancel.h"
#include "base/clock.h"
#include "base/codec.h"

namespace ck::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

namespace {
// Bodies of early-rejected requests up to this size are read and dropped so
// the connection can be kept; larger ones close the connection instead.
constexpr uint64_t kDrainLimit = 64 * 1024;

// SIGINT/SIGTERM handler: hands the signal number to the server's signal
// thread through a pipe (write(2) is async-signal-safe). A signal handler has
// no context argument, hence the one static.
std::atomic<int> g_signal_pipe{-1};

extern "C" void OnStopSignal(int sig) {
  int fd = g_signal_pipe.load();
  if (fd < 0) return;
  unsigned char b = static_cast<unsigned char>(sig);
  ssize_t ignored = ::write(fd, &b, 1);
  (void)ignored;
}

const char* SignalName(int sig) { return sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : "signal"; }

// Runs fn, turning an escaped exception into `fallback` (and a log line):
// every request gets an answer even when a handler throws.
// `fallback` makes the answer only when needed: an error response costs an
// XML rendering, which every request would otherwise pay.
template <typename T, typename Fn, typename Fallback>
T Guarded(const char* stage, const std::string& request_id, Fn&& fn, Fallback&& fallback, bool* threw = nullptr) {
  try {
    return fn();
  } catch (const std::exception& e) {
    spdlog::error("{} unhandled exception in {}: {}", request_id.empty() ? "-" : request_id, stage, e.what());
  } catch (...) {
    spdlog::error("{} unhandled exception in {}", request_id.empty() ? "-" : request_id, stage);
  }
  if (threw) *threw = true;
  return fallback();
}
}  // namespace

struct Server::Impl {
  Impl(ServerOptions o, Handler& h, LimitErrorRenderer le)
      : opt(std::move(o)), handler(h), limit_error(std::move(le)), contexts(MakeContexts(Threads())),
        accept_context(1), acceptor(accept_context) {}

  // One io_context per worker thread, each run by its thread alone: a
  // connection lives on one context, so its handlers never run concurrently
  // and need no strand (whose dispatch was a tenth of the CPU of a small
  // request), and a context told it has one thread (concurrency hint 1)
  // never wakes another thread to run a handler.
  static std::vector<std::unique_ptr<asio::io_context>> MakeContexts(unsigned n) {
    std::vector<std::unique_ptr<asio::io_context>> out;
    for (unsigned i = 0; i < n; ++i) out.push_back(std::make_unique<asio::io_context>(1));
    return out;
  }
  // Where the next accepted connection lives (round robin).
  asio::io_context& NextContext() { return *contexts[next_context.fetch_add(1) % contexts.size()]; }

  // A connection stays on one worker, and the service layer blocks (SQLite,
  // file I/O), so a long request delays the other connections of its worker:
  // more workers than cores keep that delay to a small share of them at
  // little cost (measured on 2 cores: the same CPU per request with 2 or 4).
  unsigned Threads() const {
    if (opt.threads) return opt.threads;
    return std::max(4u, 2 * std::thread::hardware_concurrency());
  }

  asio::awaitable<void> Accept();
  // One connection: tells TLS from plain HTTP (when TLS is on), then Serve.
  asio::awaitable<void> Session(tcp::socket socket);
  // The request loop, the same on a plain (beast::tcp_stream) and a TLS
  // (TlsStream) connection. `buffer` may already hold the first bytes.
  template <typename Stream>
  asio::awaitable<void> Serve(Stream& stream, beast::flat_buffer& buffer, const std::string& remote_ip, bool secure);
  using Parser = bhttp::request_parser<bhttp::buffer_body>;
  // What the connection does after a stage of a request.
  enum class Next {
    kGoOn,   // the stage is done; the request continues
    kClose,  // close the connection (half-close, then the socket)
    kDone,   // the connection is already answered and closed
  };
  // Reads a request head into `parser`, answering what cannot be one.
  template <typename Stream>
  asio::awaitable<Next> ReadHead(Stream& stream, beast::flat_buffer& buffer, Parser& parser,
                                 const std::string& remote_ip, bool secure);
  // Feeds the body to `sink` (after 100 Continue when asked). On a failed
  // Write the rest of the body stays unread (*body_unread); on an exception
  // the sink's state is unknown (*sink_threw).
  template <typename Stream>
  asio::awaitable<Next> ReadBody(Stream& stream, beast::flat_buffer& buffer, Parser& parser, const RequestHead& head,
                                 std::unique_ptr<BodySink>& sink, std::vector<char>& chunk, bool* body_unread,
                                 bool* sink_threw);
  Response InternalError() const;
  template <typename Stream>
  asio::awaitable<bool> WriteResponse(Stream& stream, Response& resp, bool head_request, bool keep_alive);
  // Answers with `resp` and closes without resetting: what the client sent
  // meanwhile is read and dropped (up to a bound) so its kernel does not
  // discard the answer on a reset.
  template <typename Stream>
  asio::awaitable<void> AnswerAndClose(Stream& stream, beast::flat_buffer& buffer, Response& resp);
  // Starts the stop sequence (once); safe from any thread.
  void BeginStop();
  // On its own thread: waits for in-flight requests up to drain_timeout,
  // then cancels the rest (CancelSource), stops the io_context, and exits the
  // process outright if a worker still does not return.
  void StopSequence();
  // Waits until pred() or `timeout`; true when pred() held.
  template <typename Pred>
  bool WaitFor(std::chrono::steady_clock::duration timeout, Pred pred);
  void SignalLoop();
  // Logs a request answered or dropped below the application (HTTP framing, limits).
  void LogHttp(const std::string& remote_ip, int status, const std::string& code, const std::string& detail);

  ServerOptions opt;
  Handler& handler;
  LimitErrorRenderer limit_error;
  std::vector<std::unique_ptr<asio::io_context>> contexts;
  std::atomic<size_t> next_context{0};
  // Accepting has its own thread, so a worker busy with a long request
  // delays neither new connections nor the stop.
  asio::io_context accept_context;
  tcp::acceptor acceptor;  // on accept_context
  std::atomic<uint64_t> connections{0};
  std::atomic<uint64_t> in_flight{0};
  std::atomic<bool> stopping{false};
  std::function<void()> on_ready;
  uint16_t port = 0;
  CancelSource cancel;
  std::mutex stop_mu;
  std::condition_variable stop_cv;
  bool run_done = false;  // guarded by stop_mu
  std::thread stopper;
  std::thread signal_thread;
  int signal_pipe[2] = {-1, -1};
};

Server::Server(ServerOptions options, Handler& handler, LimitErrorRenderer limit_error)
    : impl_(std::make_unique<Impl>(std::move(options), handler, std::move(limit_error))) {}

Server::~Server() = default;

Status Server::Listen() {
  beast::error_code ec;
  auto address = asio::ip::make_address(impl_->opt.host, ec);
  if (ec) return InvalidArgument("invalid listen address '" + impl_->opt.host + "': " + ec.message());
  tcp::endpoint endpoint(address, impl_->opt.port);
  auto& a = impl_->acceptor;
  a.open(endpoint.protocol(), ec);
  if (!ec) a.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) a.bind(endpoint, ec);
  if (!ec) a.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Status(Code::kUnavailable, "cannot listen on " + impl_->opt.host + ":" + std::to_string(impl_->opt.port) +
                                          ": " + ec.message());
  }
  impl_->port = a.local_endpoint().port();
  return Status::Ok();
}

uint16_t Server::bound_port() const { return impl_->port; }
uint64_t Server::active_connections() const { return impl_->connections.load(); }
void Server::OnReady(std::function<void()> cb) { impl_->on_ready = std::move(cb); }

void Server::Run() {
  auto* s = impl_.get();
  if (s->opt.handle_signals && ::pipe2(s->signal_pipe, O_CLOEXEC) == 0) {
    g_signal_pipe.store(s->signal_pipe[1]);
    struct sigaction sa {};
    sa.sa_handler = OnStopSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    ::sigaction(SIGINT, &sa, nullptr);
    ::sigaction(SIGTERM, &sa, nullptr);
    s->signal_thread = std::thread([s] { s->SignalLoop(); });
  }
  // Waits for BeginStop (or the end of Run), then runs the stop sequence.
  s->stopper = std::thread([s] {
    {
      std::unique_lock lock(s->stop_mu);
      s->stop_cv.wait(lock, [s] { return s->stopping.load() || s->run_done; });
      if (s->run_done) return;
    }
    s->StopSequence();
  });
  asio::co_spawn(s->accept_context, s->Accept(), asio::detached);
  if (s->on_ready) asio::post(s->accept_context, s->on_ready);
  // Kept running while idle (no connection yet); StopSequence stops them.
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> busy;
  for (auto& c : s->contexts) busy.push_back(asio::make_work_guard(*c));
  busy.push_back(asio::make_work_guard(s->accept_context));
  auto work = [s](asio::io_context& c) {
    CancelScope scope(&s->cancel);
    c.run();
  };
  std::vector<std::thread> threads;
  for (auto& c : s->contexts) threads.emplace_back(work, std::ref(*c));
  work(s->accept_context);
  for (auto& t : threads) t.join();
  {
    std::lock_guard lock(s->stop_mu);
    s->run_done = true;
  }
  s->stop_cv.notify_all();
  s->stopper.join();
  if (s->signal_thread.joinable()) {
    // From here a signal is the default again: the process is already stopping.
    ::signal(SIGINT, SIG_DFL);
    ::signal(SIGTERM, SIG_DFL);
    g_signal_pipe.store(-1);
    unsigned char zero = 0;
    ssize_t ignored = ::write(s->signal_pipe[1], &zero, 1);  // ends SignalLoop
    (void)ignored;
    s->signal_thread.join();
    ::close(s->signal_pipe[0]);
    ::close(s->signal_pipe[1]);
  }
}

void Server::Stop() { impl_->BeginStop(); }

void Server::Impl::SignalLoop() {
  int received = 0;
  for (;;) {
    unsigned char sig = 0;
    ssize_t n = ::read(signal_pipe[0], &sig, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0 || sig == 0) return;
    if (++received == 1) {
      spdlog::info(
          "crosskey stopping ({}): no new connections; {} request(s) in flight get up to {} s to finish; "
          "a second signal exits at once",
          SignalName(sig), in_flight.load(), opt.drain_timeout.count());
      BeginStop();
      continue;
    }
    spdlog::warn("crosskey: second signal ({}) while stopping: exiting now with {} request(s) in flight",
                 SignalName(sig), in_flight.load());
    spdlog::default_logger()->flush();
    std::_Exit(128 + sig);
  }
}

void Server::Impl::BeginStop() {
  {
    std::lock_guard lock(stop_mu);
    if (stopping.exchange(true)) return;
  }
  stop_cv.notify_all();  // wakes the stopper thread (Run)
  // The acceptor belongs to its context's thread.
  asio::post(accept_context, [this] {
    beast::error_code ec;
    acceptor.close(ec);
  });
}

template <typename Pred>
bool Server::Impl::WaitFor(std::chrono::steady_clock::duration timeout, Pred pred) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::unique_lock lock(stop_mu);
  // in_flight changes without the mutex: poll it (requests end on their own threads).
  while (!pred()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    stop_cv.wait_for(lock, std::chrono::milliseconds(10));
  }
  return true;
}

void Server::Impl::StopSequence() {
  bool drained = WaitFor(opt.drain_timeout, [this] { return in_flight.load() == 0 || run_done; });
  if (!drained) {
    spdlog::warn("crosskey stopping: drain time ({} s) is over; cancelling {} request(s) still in flight",
                 opt.drain_timeout.count(), in_flight.load());
    cancel.Cancel();
    // Cancelled operations answer 503 at their next check; give the answers a moment to go out.
    WaitFor(opt.cancel_grace, [this] { return in_flight.load() == 0 || run_done; });
  }
  for (auto& c : contexts) c->stop();
  accept_context.stop();
  if (!WaitFor(opt.exit_grace, [this] { return run_done; })) {
    spdlog::error(
        "crosskey stopping: {} request(s) did not stop after cancellation; exiting without a clean "
        "close (acknowledged writes are safe)",
        in_flight.load());
    spdlog::default_logger()->flush();
    std::_Exit(1);
  }
}

void Server::Impl::LogHttp(const std::string& remote_ip, int status, const std::string& code,
                           const std::string& detail) {
  spdlog::info("- - http - {} in=0 out=0 0us error={} remote={}: {}", status, code, remote_ip.empty() ? "-" : remote_ip,
               detail);
}

asio::awaitable<void> Server::Impl::Accept() {
  for (;;) {
    beast::error_code ec;
    tcp::socket socket = co_await acceptor.async_accept(NextContext(), asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      if (stopping.load() || ec == asio::error::operation_aborted) co_return;
      continue;  // transient (EMFILE, ECONNABORTED): keep accepting
    }
    socket.set_option(tcp::no_delay(true), ec);
    auto executor = socket.get_executor();
    asio::co_spawn(executor, Session(std::move(socket)), asio::detached);
  }
}

namespace {
struct ConnectionCount {
  std::atomic<uint64_t>& n;
  explicit ConnectionCount(std::atomic<uint64_t>& c) : n(c) { ++n; }
  ~ConnectionCount() { --n; }
};
}  // namespace

namespace {
// No bytes for this long from a client that stopped in the middle of an
// answered-and-closed exchange (or of a TLS close) ends the connection.
constexpr std::chrono::seconds kCloseGrace{2};

// Ends the sending side once the last response is out: a FIN on a plain
// connection; a TLS close_notify and then a FIN on a TLS one. The client's
// close_notify is not waited for (RFC 8446 6.1 allows it), so a TLS
// connection closes as promptly as a plain one.
asio::awaitable<void> CloseSend(beast::tcp_stream& stream) {
  beast::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  co_return;
}

asio::awaitable<void> CloseSend(TlsStream& stream) {
  beast::error_code ec;
  SSL* ssl = stream.native_handle();
  // As if the client's close_notify had arrived: SSL_shutdown then only
  // sends ours.
  SSL_set_shutdown(ssl, SSL_get_shutdown(ssl) | SSL_RECEIVED_SHUTDOWN);
  beast::get_lowest_layer(stream).expires_after(kCloseGrace);
  co_await stream.async_shutdown(asio::redirect_error(asio::use_awaitable, ec));
  beast::get_lowest_layer(stream).socket().shutdown(tcp::socket::shutdown_send, ec);
}

// A connection that ended before or between requests (EOF, reset, a TLS
// peer that closed without close_notify): nothing to answer or log.
bool IsConnectionEnd(const beast::error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset ||
         ec == asio::ssl::error::stream_truncated;
}
}  // namespace

asio::awaitable<void> Server::Impl::Session(tcp::socket socket) {
  ConnectionCount count(connections);
  beast::error_code ec;
  std::string remote_ip;
  {
    auto ep = socket.remote_endpoint(ec);
    if (!ec) remote_ip = ep.address().to_string();
  }
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  // Beast sizes each socket read by the buffer's free capacity (at least 512
  // bytes); since the parser drains it, it would never grow: reserve enough
  // for large reads or bodies arrive in ~512-byte recvmsg calls.
  buffer.reserve(64 * 1024);
  if (!opt.tls) {
    co_await Serve(stream, buffer, remote_ip, false);
    co_return;
  }
  // Plain HTTP and HTTPS on one port: the first bytes decide. They stay in
  // the buffer for the HTTP parser or the TLS handshake.
  stream.expires_after(opt.idle_timeout);
  size_t n =
      co_await stream.async_read_some(buffer.prepare(buffer.capacity()), asio::redirect_error(asio::use_awaitable, ec));
  buffer.commit(n);
  if (n == 0) co_return;  // closed, or silent for --idle-timeout: as a plain idle connection
  if (*static_cast<const unsigned char*>(buffer.data().data()) != 0x16) {
    co_await Serve(stream, buffer, remote_ip, false);
    co_return;
  }
  TlsStream tls(std::move(stream), opt.tls->native());
  beast::get_lowest_layer(tls).expires_after(opt.idle_timeout);
  size_t used = co_await tls.async_handshake(asio::ssl::stream_base::server, buffer.data(),
                                             asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    // Typically a client that does not trust the certificate ("tlsv1 alert
    // unknown ca"), or one that offered only old protocol versions.
    LogHttp(remote_ip, 0, "-", "TLS handshake failed: " + ec.message());
    co_return;
  }
  buffer.consume(used);
  co_await Serve(tls, buffer, remote_ip, true);
}

namespace {

// Names a request in log lines (never the query: it may hold a presigned signature).
std::string Describe(const RequestHead& head) {
  return (head.request_id.empty() ? std::string("-") : head.request_id) + " " + head.method + " " + head.raw_path;
}

// The request head crosskey's layers see, from the parsed one.
RequestHead MakeHead(const bhttp::request_parser<bhttp::buffer_body>& parser, const std::string& remote_ip,
                     bool secure) {
  const auto& req = parser.get();
  RequestHead head;
  head.method = std::string(req.method_string());
  head.remote_ip = remote_ip;
  head.secure = secure;
  for (const auto& field : req) head.headers.Add(std::string(field.name_string()), std::string(field.value()));
  if (parser.content_length()) {
    head.content_length = *parser.content_length();
  } else if (!parser.chunked()) {
    head.content_length = 0;
  }
  return head;
}

}  // namespace

Response Server::Impl::InternalError() const {
  Response r = limit_error(500, "InternalError", "We encountered an internal error. Please try again.");
  r.close_connection = true;
  return r;
}

template <typename Stream>
asio::awaitable<Server::Impl::Next> Server::Impl::ReadHead(Stream& stream, beast::flat_buffer& buffer, Parser& parser,
                                                           const std::string& remote_ip, bool secure) {
  beast::error_code ec;
  parser.header_limit(static_cast<std::uint32_t>(opt.header_limit));
  parser.body_limit(std::numeric_limits<std::uint64_t>::max());  // sinks enforce their own size limits
  beast::get_lowest_layer(stream).expires_after(opt.idle_timeout);
  co_await bhttp::async_read_header(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
  if (!ec) co_return Next::kGoOn;
  if (ec == bhttp::error::header_limit) {
    Response r = limit_error(400, "RequestHeaderSectionTooLarge",
                             "Your request header section exceeds the maximum allowed size.");
    LogHttp(remote_ip, 400, "RequestHeaderSectionTooLarge",
            "request line and headers exceed --max-header-bytes " + std::to_string(opt.header_limit));
    co_await AnswerAndClose(stream, buffer, r);
    co_return Next::kDone;
  }
  if (ec == beast::error::timeout && buffer.size() > 0) {
    Response r = limit_error(400, "RequestTimeout",
                             "Your socket connection to the server was not read from or written to within "
                             "the timeout period. Idle connections will be closed.");
    r.close_connection = true;
    LogHttp(remote_ip, 400, "RequestTimeout", "request head incomplete after --idle-timeout");
    co_await WriteResponse(stream, r, false, false);
  } else if (buffer.size() > 0 && IsConnectionEnd(ec)) {
    LogHttp(remote_ip, 0, "-", "connection dropped in the middle of a request head (" + ec.message() + ")");
  } else if (!IsConnectionEnd(ec) && ec != beast::error::timeout && ec != asio::error::operation_aborted &&
             buffer.size() > 0) {
    Response r = limit_error(400, "BadRequest", "An error occurred when parsing the HTTP request: " + ec.message());
    // A TLS ClientHello reaching a port without TLS: say so, since the
    // client will only report a protocol error.
    bool tls_hello = !secure && *static_cast<const unsigned char*>(buffer.data().data()) == 0x16;
    LogHttp(remote_ip, 400, "BadRequest",
            tls_hello ? "a TLS handshake on a port that serves plain HTTP only (HTTPS needs --tls-self-signed "
                        "or --tls-cert)"
                      : "unparsable request: " + ec.message());
    co_await AnswerAndClose(stream, buffer, r);
    co_return Next::kDone;
  }
  co_return Next::kClose;
}

template <typename Stream>
asio::awaitable<Server::Impl::Next> Server::Impl::ReadBody(Stream& stream, beast::flat_buffer& buffer, Parser& parser,
                                                           const RequestHead& head, std::unique_ptr<BodySink>& sink,
                                                           std::vector<char>& chunk, bool* body_unread,
                                                           bool* sink_threw) {
  beast::error_code ec;
  const std::string& remote_ip = head.remote_ip;
  if (EqualsIgnoreCase(head.headers.GetOr("expect"), "100-continue")) {
    static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    co_await asio::async_write(stream, asio::buffer(kContinue.data(), kContinue.size()),
                               asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      spdlog::info("{} aborted: connection from {} dropped before the body ({})", Describe(head), remote_ip,
                   ec.message());
      co_return Next::kClose;
    }
  }
  auto& req = parser.get();
  uint64_t body_bytes = 0;
  while (!parser.is_done()) {
    req.body().data = chunk.data();
    req.body().size = chunk.size();
    beast::get_lowest_layer(stream).expires_after(opt.idle_timeout);
    co_await bhttp::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
    if (ec == bhttp::error::need_buffer) ec = {};
    if (ec) {
      body_bytes += chunk.size() - req.body().size;  // what arrived before the end
      // The sink is destroyed unfinished: it discards what it wrote.
      std::string got = std::to_string(body_bytes) + " of " +
                        (head.content_length ? std::to_string(*head.content_length) : std::string("?")) +
                        " body bytes";
      if (ec == beast::error::timeout) {
        spdlog::info("{} 400 error=RequestTimeout remote={}: no body bytes for --idle-timeout after {}",
                     Describe(head), remote_ip, got);
        sink.reset();
        Response r = limit_error(400, "RequestTimeout",
                                 "Your socket connection to the server was not read from or written to "
                                 "within the timeout period. Idle connections will be closed.");
        r.close_connection = true;
        co_await WriteResponse(stream, r, false, false);
      } else if (ec.category() == bhttp::make_error_code(bhttp::error::bad_chunk).category() &&
                 ec != bhttp::error::partial_message && ec != bhttp::error::end_of_stream) {
        // A body the parser refuses (chunk framing) is answered; a
        // connection closed mid-body is the client going away.
        spdlog::info("{} 400 error=BadRequest remote={}: body refused after {} ({})", Describe(head), remote_ip, got,
                     ec.message());
        sink.reset();
        Response r =
            limit_error(400, "BadRequest", "An error occurred when parsing the HTTP request: " + ec.message());
        r.close_connection = true;
        co_await WriteResponse(stream, r, false, false);
      } else {
        spdlog::info("{} aborted: connection from {} closed after {} ({})", Describe(head), remote_ip, got,
                     ec.message());
      }
      co_return Next::kDone;
    }
    size_t n = chunk.size() - req.body().size;
    body_bytes += n;
    if (n == 0) continue;
    Status written = Guarded<Status>(
        "the request body stage", head.request_id, [&] { return sink->Write(std::string_view(chunk.data(), n)); },
        [] { return Internal("exception"); }, sink_threw);
    if (!written.ok()) {
      *body_unread = !parser.is_done();
      break;
    }
  }
  co_return Next::kGoOn;
}

template <typename Stream>
asio::awaitable<void> Server::Impl::Serve(Stream& stream, beast::flat_buffer& buffer, const std::string& remote_ip,
                                          bool secure) {
  std::vector<char> chunk(opt.read_chunk);
  if (uint64_t open = connections.load(); open > opt.max_connections) {
    Response r = limit_error(503, "SlowDown", "Please reduce your request rate.");
    LogHttp(
        remote_ip, 503, "SlowDown",
        std::to_string(open) + " open connections, more than --max-connections " + std::to_string(opt.max_connections));
    co_await AnswerAndClose(stream, buffer, r);
    co_return;
  }
  for (;;) {
    Parser parser;
    Next next = co_await ReadHead(stream, buffer, parser, remote_ip, secure);
    if (next == Next::kDone) co_return;
    if (next == Next::kClose) break;
    ++in_flight;
    struct InFlight {
      std::atomic<uint64_t>& n;
      ~InFlight() { --n; }
    } in_flight_guard{in_flight};

    auto& req = parser.get();
    RequestHead head = MakeHead(parser, remote_ip, secure);
    bool keep_alive = req.keep_alive() && !stopping.load();
    std::unique_ptr<BodySink> sink;
    if (!ParseTarget(std::string_view(req.target().data(), req.target().size()), &head)) {
      Response r = limit_error(400, "InvalidURI", "Couldn't parse the specified URI.");
      LogHttp(remote_ip, 400, "InvalidURI", head.method + " with an unparsable request target");
      sink = std::make_unique<FixedResponseSink>(std::move(r));
    } else {
      sink = Guarded<std::unique_ptr<BodySink>>(
          "the request head stage", head.request_id, [&] { return handler.Begin(head); },
          [&] { return std::unique_ptr<BodySink>(std::make_unique<FixedResponseSink>(InternalError())); });
    }

    bool body_unread = false;
    bool sink_threw = false;  // its state is unknown: never Finish it (it might commit half a body)
    if (!parser.is_done()) {
      bool expect_continue = EqualsIgnoreCase(head.headers.GetOr("expect"), "100-continue");
      bool small = head.content_length && *head.content_length <= kDrainLimit;
      if (!sink->wants_body() && (expect_continue || !small)) {
        body_unread = true;
      } else {
        next = co_await ReadBody(stream, buffer, parser, head, sink, chunk, &body_unread, &sink_threw);
        if (next == Next::kDone) co_return;
        if (next == Next::kClose) break;
      }
    }
    Response resp = sink_threw ? InternalError()
                               : Guarded<Response>(
                                     "the response stage", head.request_id, [&] { return sink->Finish(); },
                                     [&] { return InternalError(); });
    Guarded<bool>(
        "the request cleanup", head.request_id,
        [&] {
          sink.reset();
          return true;
        },
        [] { return false; });
    if (body_unread) resp.close_connection = true;
    keep_alive = keep_alive && !resp.close_connection && !stopping.load();
    bool ok = co_await WriteResponse(stream, resp, head.method == "HEAD", keep_alive);
    if (!ok) {
      spdlog::info("{} dropped: the {} response could not be sent whole to {} (connection closed or timed out)",
                   Describe(head), resp.status, remote_ip);
      break;
    }
    if (!keep_alive) break;
  }
  co_await CloseSend(stream);
}

template <typename Stream>
asio::awaitable<void> Server::Impl::AnswerAndClose(Stream& stream, beast::flat_buffer& buffer, Response& resp) {
  resp.close_connection = true;
  if (!co_await WriteResponse(stream, resp, false, false)) co_return;
  co_await CloseSend(stream);
  // What the client still sends is dropped unread (for TLS: as raw records).
  auto& lowest = beast::get_lowest_layer(stream);
  beast::error_code ec;
  buffer.consume(buffer.size());
  size_t drained = 0;
  lowest.expires_after(kCloseGrace);
  while (!ec && drained < (1u << 20)) {
    auto space = buffer.prepare(64 * 1024);
    size_t n = co_await lowest.async_read_some(space, asio::redirect_error(asio::use_awaitable, ec));
    drained += n;
    buffer.consume(buffer.size());
  }
}

template <typename Stream>
asio::awaitable<bool> Server::Impl::WriteResponse(Stream& stream, Response& resp, bool head_request, bool keep_alive) {
  beast::error_code ec;
  auto& lowest = beast::get_lowest_layer(stream);
  auto set_headers = [&](auto& r) {
    for (const auto& [k, v] : resp.headers.all()) r.insert(k, v);
    if (!resp.headers.Has("date")) r.set(bhttp::field::date, FormatHttpDate(std::chrono::system_clock::now()));
    r.keep_alive(keep_alive);
  };
  lowest.expires_after(opt.idle_timeout);
  if (resp.stream && !head_request) {
    bhttp::response<bhttp::buffer_body> r{static_cast<bhttp::status>(resp.status), 11};
    set_headers(r);
    r.content_length(resp.content_length.value_or(0));
    bhttp::response_serializer<bhttp::buffer_body> sr{r};
    uint64_t remaining = resp.content_length.value_or(0);
    // Sized to the body (a 4 KiB object needs no 1 MiB buffer) and left
    // uninitialised: zero-filling and faulting in a fresh megabyte per
    // response cost more than serving a small object.
    const size_t buf_size = static_cast<size_t>(std::clamp<uint64_t>(remaining, 1, opt.write_chunk));
    auto buf_owner = std::make_unique_for_overwrite<char[]>(buf_size);
    std::span<char> buf(buf_owner.get(), buf_size);
    // The header goes out with the first chunk (one send for a small
    // object), and the last chunk ends the body.
    for (;;) {
      size_t n = 0;
      if (remaining > 0) {
        size_t want = static_cast<size_t>(std::min<uint64_t>(buf.size(), remaining));
        auto got = Guarded<Result<size_t>>(
            "the response body", "-", [&] { return resp.stream->Read(buf.data(), want); },
            [] { return Result<size_t>(Internal("exception")); });
        if (!got.ok()) spdlog::warn("response body source failed: {}", got.status().message());
        if (!got.ok() || *got == 0) {
          // Nothing sent yet: a bare 500 that closes the connection, rather
          // than the success status with a short body. Once bytes are out,
          // errors cannot be signalled: the connection is dropped.
          if (sr.is_header_done()) co_return false;
          bhttp::response<bhttp::empty_body> failed{bhttp::status::internal_server_error, 11};
          failed.set(bhttp::field::date, FormatHttpDate(std::chrono::system_clock::now()));
          failed.content_length(0);
          failed.keep_alive(false);
          co_await bhttp::async_write(stream, failed, asio::redirect_error(asio::use_awaitable, ec));
          co_return false;
        }
        n = *got;
        remaining -= n;
      }
      r.body().data = n ? buf.data() : nullptr;
      r.body().size = n;
      r.body().more = remaining > 0;
      lowest.expires_after(opt.idle_timeout);
      co_await bhttp::async_write(stream, sr, asio::redirect_error(asio::use_awaitable, ec));
      if (ec == bhttp::error::need_buffer) ec = {};
      if (ec) co_return false;
      if (remaining == 0) break;
    }
    co_return true;
  }
  if (head_request || resp.status == 204 || resp.status == 304) {
    bhttp::response<bhttp::empty_body> r{static_cast<bhttp::status>(resp.status), 11};
    set_headers(r);
    if (resp.status != 204 && resp.status != 304) {
      r.content_length(resp.stream || resp.content_length ? resp.content_length.value_or(0) : resp.body.size());
    }
    bhttp::response_serializer<bhttp::empty_body> sr{r};
    co_await bhttp::async_write_header(stream, sr, asio::redirect_error(asio::use_awaitable, ec));
    co_return !ec;
  }
  bhttp::response<bhttp::string_body> r{static_cast<bhttp::status>(resp.status), 11};
  set_headers(r);
  r.body() = std::move(resp.body);
  r.prepare_payload();
  co_await bhttp::async_write(stream, r, asio::redirect_error(asio::use_awaitable, ec));
  co_return !ec;
}

}  // namespace ck::http
