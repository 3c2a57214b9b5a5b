// HTTP request head and response values, with no knowledge of AWS.
//
// A request arrives as a RequestHead (method, target, headers) followed by a
// body that is pushed, chunk by chunk, into a BodySink chosen for it. A
// response's body is either a small string or a BodySource pulled chunk by
// chunk while writing to the socket, so large objects are never held whole.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"

namespace ck::http {

// Header names are stored lower-cased; values as received (not trimmed of
// inner whitespace). Order is kept; duplicates are allowed.
class Headers {
 public:
  void Add(std::string name, std::string value);
  void Set(std::string name, std::string value);  // replaces all of that name
  void Remove(std::string_view name);
  // First value of the header, if any. `name` must be lower-case.
  std::optional<std::string_view> Get(std::string_view name) const;
  std::string GetOr(std::string_view name, std::string_view fallback = {}) const;
  bool Has(std::string_view name) const { return Get(name).has_value(); }
  const std::vector<std::pair<std::string, std::string>>& all() const { return items_; }
  size_t size() const { return items_.size(); }

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

struct QueryParam {
  std::string name;   // decoded
  std::string value;  // decoded
  bool has_value;     // "?acl" vs "?acl="
};

struct RequestHead {
  std::string method;        // "GET"
  std::string target;        // raw request-target: "/bucket/key%20x?list-type=2"
  std::string raw_path;      // "/bucket/key%20x" (still percent-encoded)
  std::string raw_query;     // "list-type=2" (still encoded, no '?')
  std::string path;          // decoded path
  std::vector<QueryParam> query;  // decoded, in order
  Headers headers;
  std::optional<uint64_t> content_length;  // absent for chunked transfer encoding
  std::string remote_ip;
  bool secure = false;       // arrived over TLS (https)
  std::string request_id;    // assigned by the server on arrival

  std::optional<std::string_view> QueryValue(std::string_view name) const;
  bool HasQuery(std::string_view name) const;
};

// Splits "a=1&b&c=%20" (a query string or a form body) into decoded
// parameters, '+' read as a space; nullopt on bad percent-encoding.
std::optional<std::vector<QueryParam>> ParseQueryString(std::string_view query);

// Parses a request target into raw_path/raw_query/path/query. Returns false
// when the target is not a valid origin-form target.
bool ParseTarget(std::string_view target, RequestHead* head);

// Pull-based response body: Read fills up to `max` bytes into `out` and
// returns how many; 0 means the end. Errors abort the connection (headers are
// already sent), so sources should validate before the response starts.
class BodySource {
 public:
  virtual ~BodySource() = default;
  virtual Result<size_t> Read(char* out, size_t max) = 0;
};

struct Response {
  int status = 200;
  Headers headers;
  std::string body;                    // used when stream is null
  std::unique_ptr<BodySource> stream;  // when set, content_length must be set
  std::optional<uint64_t> content_length;
  bool close_connection = false;
  // For the access log only, never sent: an error response's code and its
  // full message (which, for internal errors, the body does not carry).
  std::string error_code;
  std::string error_message;
};

// Push-based request body consumer. The server feeds the body in order,
// then calls Finish exactly once. When a Write fails, the server stops
// feeding and calls Finish, which must render that failure; the connection
// is closed after such a response since the rest of the body was not read.
class BodySink {
 public:
  virtual ~BodySink() = default;
  virtual Status Write(std::string_view chunk) = 0;
  virtual Response Finish() = 0;
  // False when the sink already knows its answer (an early error): the server
  // then skips the body (closing the connection if it is large or the client
  // waits on "Expect: 100-continue") and calls Finish directly.
  virtual bool wants_body() const { return true; }
};

// A sink that ignores the body and answers with a fixed response.
class FixedResponseSink final : public BodySink {
 public:
  explicit FixedResponseSink(Response r) : response_(std::move(r)) {}
  Status Write(std::string_view) override { return Status::Ok(); }
  Response Finish() override { return std::move(response_); }
  bool wants_body() const override { return false; }

 private:
  Response response_;
};

// Convenience sink that buffers up to `limit` bytes and then calls `done`.
class BufferingSink final : public BodySink {
 public:
  using Done = std::function<Response(std::string body)>;
  BufferingSink(size_t limit, Done done, std::function<Response()> too_large)
      : limit_(limit), done_(std::move(done)), too_large_(std::move(too_large)) {}
  Status Write(std::string_view chunk) override;
  Response Finish() override;

 private:
  size_t limit_;
  Done done_;
  std::function<Response()> too_large_;
  std::string body_;
  bool overflow_ = false;
};

// What the server asks of the application: given a request head, the sink
// that will consume its body (and produce the response).
class Handler {
 public:
  virtual ~Handler() = default;
  virtual std::unique_ptr<BodySink> Begin(RequestHead& head) = 0;
};

}  // namespace ck::http
