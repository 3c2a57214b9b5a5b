// The HTTP/1.1 request parser as the server drives it (Boost.Beast's
// request_parser with a buffer body and the server's limits), then the
// request head crosskey builds from it: target, query string, headers.
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <cstdint>
#include <limits>
#include <string>

#include "http/message.h"

namespace bhttp = boost::beast::http;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // The first byte splits the input into two reads, as TCP may.
  size_t split = size > 0 ? data[0] % (size + 1) : 0;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  if (!in.empty()) in.remove_prefix(1);
  split = std::min(split, in.size());

  bhttp::request_parser<bhttp::buffer_body> parser;
  parser.header_limit(16 * 1024);
  parser.body_limit(std::numeric_limits<std::uint64_t>::max());
  char body[512];
  std::string pending(in.substr(0, split));
  std::string_view later = in.substr(split);
  boost::beast::error_code ec;
  std::string received;
  for (int round = 0; round < 4096 && !parser.is_done(); ++round) {
    if (pending.empty()) {
      if (later.empty()) break;
      pending.assign(later);
      later = {};
    }
    if (parser.is_header_done()) {
      parser.get().body().data = body;
      parser.get().body().size = sizeof body;
    }
    size_t used = parser.put(boost::asio::buffer(pending.data(), pending.size()), ec);
    if (parser.is_header_done() && parser.get().body().data) {
      received.append(body, sizeof body - parser.get().body().size);
      parser.get().body().data = nullptr;
    }
    if (ec == bhttp::error::need_buffer) ec = {};
    if (ec == bhttp::error::need_more) {
      ec = {};
      if (used == 0 && later.empty()) break;
    }
    if (ec) return 0;
    pending.erase(0, used);
    if (used == 0 && !parser.is_header_done() && later.empty()) break;
  }
  if (!parser.is_header_done()) return 0;

  // What Server::Impl::Session builds from the parsed head.
  auto& req = parser.get();
  ck::http::RequestHead head;
  head.method = std::string(req.method_string());
  for (const auto& field : req) head.headers.Add(std::string(field.name_string()), std::string(field.value()));
  if (parser.content_length()) head.content_length = *parser.content_length();
  if (ck::http::ParseTarget(std::string_view(req.target().data(), req.target().size()), &head)) {
    (void)head.QueryValue("list-type");
    (void)head.HasQuery("uploads");
    (void)head.headers.GetOr("host");
    (void)ck::http::ParseQueryString(head.raw_query);
  }
  return 0;
}
