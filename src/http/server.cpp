#include "http/server.h"

#include <algorithm>
#include <limits>
#include <memory>
#include <span>
#include <thread>
#include <vector>

#include <boost/asio.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "base/clock.h"
#include "base/codec.h"

namespace ck::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {
// Bodies of early-rejected requests up to this size are read and dropped so
// the connection can be kept; larger ones close the connection instead.
constexpr uint64_t kDrainLimit = 64 * 1024;
}  // namespace

struct Server::Impl {
  Impl(ServerOptions o, Handler& h, LimitErrorRenderer le)
      : opt(std::move(o)),
        handler(h),
        limit_error(std::move(le)),
        ioc(Threads()),
        acceptor(ioc),
        signals(ioc),
        drain_timer(ioc) {}

  unsigned Threads() const {
    unsigned n = opt.threads ? opt.threads : std::thread::hardware_concurrency();
    return n ? n : 1;
  }

  asio::awaitable<void> Accept();
  asio::awaitable<void> Session(tcp::socket socket);
  asio::awaitable<bool> WriteResponse(beast::tcp_stream& stream, Response& resp, bool head_request, bool keep_alive);
  void BeginStop();
  // Stops the io_context once no request is in flight or the deadline passed.
  void DrainThenStop(std::chrono::steady_clock::time_point deadline);

  ServerOptions opt;
  Handler& handler;
  LimitErrorRenderer limit_error;
  asio::io_context ioc;
  tcp::acceptor acceptor;
  asio::signal_set signals;
  asio::steady_timer drain_timer;
  std::atomic<uint64_t> connections{0};
  std::atomic<uint64_t> in_flight{0};
  std::atomic<bool> stopping{false};
  std::function<void()> on_ready;
  uint16_t port = 0;
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
  if (s->opt.handle_signals) {
    s->signals.add(SIGINT);
    s->signals.add(SIGTERM);
    s->signals.async_wait([s](const beast::error_code& ec, int) {
      if (!ec) s->BeginStop();
    });
  }
  asio::co_spawn(s->ioc, s->Accept(), asio::detached);
  if (s->on_ready) asio::post(s->ioc, s->on_ready);
  std::vector<std::thread> threads;
  for (unsigned i = 1; i < s->Threads(); ++i) threads.emplace_back([s] { s->ioc.run(); });
  s->ioc.run();
  for (auto& t : threads) t.join();
}

void Server::Stop() {
  asio::post(impl_->ioc, [s = impl_.get()] { s->BeginStop(); });
}

void Server::Impl::BeginStop() {
  if (stopping.exchange(true)) return;
  beast::error_code ec;
  acceptor.close(ec);
  signals.cancel(ec);
  DrainThenStop(std::chrono::steady_clock::now() + opt.drain_timeout);
}

void Server::Impl::DrainThenStop(std::chrono::steady_clock::time_point deadline) {
  if (in_flight.load() == 0 || std::chrono::steady_clock::now() >= deadline) {
    ioc.stop();
    return;
  }
  drain_timer.expires_after(std::chrono::milliseconds(20));  // poll: requests end on their own strands
  drain_timer.async_wait([this, deadline](const beast::error_code&) { DrainThenStop(deadline); });
}

asio::awaitable<void> Server::Impl::Accept() {
  for (;;) {
    beast::error_code ec;
    tcp::socket socket = co_await acceptor.async_accept(asio::make_strand(ioc), asio::redirect_error(asio::use_awaitable, ec));
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
  std::vector<char> chunk(opt.read_chunk);

  if (connections.load() > opt.max_connections) {
    Response r = limit_error(503, "SlowDown", "Please reduce your request rate.");
    r.close_connection = true;
    co_await WriteResponse(stream, r, false, false);
    co_return;
  }

  for (;;) {
    bhttp::request_parser<bhttp::buffer_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(opt.header_limit));
    parser.body_limit(std::numeric_limits<std::uint64_t>::max());  // sinks enforce their own size limits
    stream.expires_after(opt.idle_timeout);
    co_await bhttp::async_read_header(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      if (ec == bhttp::error::header_limit) {
        Response r = limit_error(400, "RequestHeaderSectionTooLarge",
                                 "Your request header section exceeds the maximum allowed size.");
        r.close_connection = true;
        co_await WriteResponse(stream, r, false, false);
      } else if (ec != bhttp::error::end_of_stream && ec != asio::error::eof && ec != beast::error::timeout &&
                 ec != asio::error::connection_reset && ec != asio::error::operation_aborted &&
                 buffer.size() > 0) {
        Response r = limit_error(400, "BadRequest", "An error occurred when parsing the HTTP request: " + ec.message());
        r.close_connection = true;
        co_await WriteResponse(stream, r, false, false);
      }
      break;
    }
    ++in_flight;
    struct InFlight {
      std::atomic<uint64_t>& n;
      ~InFlight() { --n; }
    } in_flight_guard{in_flight};

    auto& req = parser.get();
    RequestHead head;
    head.method = std::string(req.method_string());
    head.remote_ip = remote_ip;
    for (const auto& field : req) head.headers.Add(std::string(field.name_string()), std::string(field.value()));
    if (parser.content_length()) {
      head.content_length = *parser.content_length();
    } else if (!parser.chunked()) {
      head.content_length = 0;
    }
    bool keep_alive = req.keep_alive() && !stopping.load();
    std::unique_ptr<BodySink> sink;
    if (!ParseTarget(std::string_view(req.target().data(), req.target().size()), &head)) {
      Response r = limit_error(400, "InvalidURI", "Couldn't parse the specified URI.");
      sink = std::make_unique<FixedResponseSink>(std::move(r));
    } else {
      sink = handler.Begin(head);
    }

    bool body_unread = false;
    if (!parser.is_done()) {
      bool expect_continue = EqualsIgnoreCase(head.headers.GetOr("expect"), "100-continue");
      bool small = head.content_length && *head.content_length <= kDrainLimit;
      if (!sink->wants_body() && (expect_continue || !small)) {
        body_unread = true;
      } else {
        if (expect_continue) {
          static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
          co_await asio::async_write(stream, asio::buffer(kContinue.data(), kContinue.size()),
                                     asio::redirect_error(asio::use_awaitable, ec));
          if (ec) break;
        }
        bool sink_failed = false;
        while (!parser.is_done()) {
          req.body().data = chunk.data();
          req.body().size = chunk.size();
          stream.expires_after(opt.idle_timeout);
          co_await bhttp::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
          if (ec == bhttp::error::need_buffer) ec = {};
          if (ec) {
            // A body the parser refuses (chunk framing) is answered; any other
            // error means the client went away. Either way the sink aborts in
            // its destructor, before the answer.
            if (ec.category() == bhttp::make_error_code(bhttp::error::bad_chunk).category()) {
              sink.reset();
              Response r = limit_error(400, "BadRequest", "An error occurred when parsing the HTTP request: " +
                                                              ec.message());
              r.close_connection = true;
              co_await WriteResponse(stream, r, false, false);
            }
            co_return;
          }
          size_t n = chunk.size() - req.body().size;
          if (n > 0 && !sink_failed) {
            if (!sink->Write(std::string_view(chunk.data(), n)).ok()) {
              sink_failed = true;
              body_unread = !parser.is_done();
              break;
            }
          }
        }
      }
    }
    Response resp = sink->Finish();
    sink.reset();
    if (body_unread) resp.close_connection = true;
    keep_alive = keep_alive && !resp.close_connection && !stopping.load();
    bool ok = co_await WriteResponse(stream, resp, head.method == "HEAD", keep_alive);
    if (!ok || !keep_alive) break;
  }
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
}

asio::awaitable<bool> Server::Impl::WriteResponse(beast::tcp_stream& stream, Response& resp, bool head_request,
                                                  bool keep_alive) {
  beast::error_code ec;
  auto set_headers = [&](auto& r) {
    for (const auto& [k, v] : resp.headers.all()) r.insert(k, v);
    if (!resp.headers.Has("date")) r.set(bhttp::field::date, FormatHttpDate(std::chrono::system_clock::now()));
    r.keep_alive(keep_alive);
  };
  stream.expires_after(opt.idle_timeout);
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
        auto got = resp.stream->Read(buf.data(), std::min<uint64_t>(buf.size(), remaining));
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
      stream.expires_after(opt.idle_timeout);
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
