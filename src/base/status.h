// Status and Result<T>: how every layer below http reports failure.
//
// A Status carries a canonical code (what kind of failure) and, optionally, the
// AWS error it becomes on the wire (code string, HTTP status, extra fields).
// Lower layers set the canonical code; services attach the AWS error; each
// protocol's renderer turns it into XML or JSON. No exceptions cross layers.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace ck {

enum class Code {
  kOk = 0,
  kInvalidArgument,
  kNotFound,
  kAlreadyExists,
  kPermissionDenied,   // caller identified, not allowed
  kUnauthenticated,    // caller could not be identified / signature wrong
  kFailedPrecondition,
  kResourceExhausted,
  kOutOfRange,
  kUnimplemented,
  kInternal,
  kUnavailable,
  kDataLoss,           // stored bytes failed an integrity check
  kAborted,
};

// Default HTTP status for a canonical code when no AWS error is attached.
int DefaultHttpStatus(Code code);
const char* CodeName(Code code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

  // The AWS error this status becomes on the wire. Empty when none was attached.
  const std::string& aws_code() const { return aws_code_; }
  int http_status() const { return http_status_ ? http_status_ : DefaultHttpStatus(code_); }
  // Extra members some protocols render (S3: BucketName, ArgumentName, StringToSign...).
  const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }
  // Extra members whose values are JSON texts, rendered as JSON values by the
  // JSON protocols only (DynamoDB's ConditionalCheckFailedException "Item",
  // TransactionCanceledException "CancellationReasons").
  const std::vector<std::pair<std::string, std::string>>& json_fields() const { return json_fields_; }
  // "Sender" or "Receiver" for query protocol errors.
  bool is_server_fault() const { return code_ == Code::kInternal || code_ == Code::kUnavailable; }

  Status& WithAws(std::string aws_code, int http_status) & {
    aws_code_ = std::move(aws_code);
    http_status_ = http_status;
    return *this;
  }
  Status&& WithAws(std::string aws_code, int http_status) && {
    aws_code_ = std::move(aws_code);
    http_status_ = http_status;
    return std::move(*this);
  }
  Status& WithField(std::string name, std::string value) & {
    fields_.emplace_back(std::move(name), std::move(value));
    return *this;
  }
  Status&& WithField(std::string name, std::string value) && {
    fields_.emplace_back(std::move(name), std::move(value));
    return std::move(*this);
  }
  Status& WithJsonField(std::string name, std::string json_text) & {
    json_fields_.emplace_back(std::move(name), std::move(json_text));
    return *this;
  }
  Status&& WithJsonField(std::string name, std::string json_text) && {
    json_fields_.emplace_back(std::move(name), std::move(json_text));
    return std::move(*this);
  }
  std::string ToString() const;

 private:
  Code code_ = Code::kOk;
  std::string message_;
  std::string aws_code_;
  int http_status_ = 0;
  std::vector<std::pair<std::string, std::string>> fields_;
  std::vector<std::pair<std::string, std::string>> json_fields_;
};

// Shorthand constructors for the common canonical codes.
inline Status InvalidArgument(std::string m) { return Status(Code::kInvalidArgument, std::move(m)); }
inline Status NotFound(std::string m) { return Status(Code::kNotFound, std::move(m)); }
inline Status AlreadyExists(std::string m) { return Status(Code::kAlreadyExists, std::move(m)); }
inline Status PermissionDenied(std::string m) { return Status(Code::kPermissionDenied, std::move(m)); }
inline Status Unauthenticated(std::string m) { return Status(Code::kUnauthenticated, std::move(m)); }
inline Status FailedPrecondition(std::string m) { return Status(Code::kFailedPrecondition, std::move(m)); }
inline Status Internal(std::string m) { return Status(Code::kInternal, std::move(m)); }
inline Status Unimplemented(std::string m) { return Status(Code::kUnimplemented, std::move(m)); }
inline Status DataLoss(std::string m) { return Status(Code::kDataLoss, std::move(m)); }

// An AWS error in one call: AwsError("NoSuchBucket", 404, "The specified bucket does not exist").
Status AwsError(std::string aws_code, int http_status, std::string message);

// Result<T>: a value or a non-OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}                       // NOLINT(implicit)
  Result(Status status) : v_(std::move(status)) { assert(!std::get<Status>(v_).ok()); }  // NOLINT
  bool ok() const { return v_.index() == 0; }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<1>(v_);
  }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace ck

#define CK_CONCAT_INNER_(a, b) a##b
#define CK_CONCAT_(a, b) CK_CONCAT_INNER_(a, b)

#define CK_RETURN_IF_ERROR(expr)            \
  do {                                      \
    ::ck::Status ck_status_ = (expr);       \
    if (!ck_status_.ok()) return ck_status_; \
  } while (0)

#define CK_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                              \
  if (!tmp.ok()) return tmp.status();             \
  lhs = std::move(tmp).value()

#define CK_ASSIGN_OR_RETURN(lhs, expr) \
  CK_ASSIGN_OR_RETURN_IMPL_(CK_CONCAT_(ck_result_, __LINE__), lhs, expr)
