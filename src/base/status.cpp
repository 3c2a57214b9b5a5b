#include "base/status.h"

namespace ck {

int DefaultHttpStatus(Code code) {
  switch (code) {
    case Code::kOk: return 200;
    case Code::kInvalidArgument: return 400;
    case Code::kNotFound: return 404;
    case Code::kAlreadyExists: return 409;
    case Code::kPermissionDenied: return 403;
    case Code::kUnauthenticated: return 403;
    case Code::kFailedPrecondition: return 400;
    case Code::kResourceExhausted: return 400;
    case Code::kOutOfRange: return 416;
    case Code::kUnimplemented: return 501;
    case Code::kInternal: return 500;
    case Code::kUnavailable: return 503;
    case Code::kDataLoss: return 500;
    case Code::kAborted: return 409;
  }
  return 500;
}

const char* CodeName(Code code) {
  switch (code) {
    case Code::kOk: return "OK";
    case Code::kInvalidArgument: return "InvalidArgument";
    case Code::kNotFound: return "NotFound";
    case Code::kAlreadyExists: return "AlreadyExists";
    case Code::kPermissionDenied: return "PermissionDenied";
    case Code::kUnauthenticated: return "Unauthenticated";
    case Code::kFailedPrecondition: return "FailedPrecondition";
    case Code::kResourceExhausted: return "ResourceExhausted";
    case Code::kOutOfRange: return "OutOfRange";
    case Code::kUnimplemented: return "Unimplemented";
    case Code::kInternal: return "Internal";
    case Code::kUnavailable: return "Unavailable";
    case Code::kDataLoss: return "DataLoss";
    case Code::kAborted: return "Aborted";
  }
  return "Unknown";
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  std::string s = CodeName(code_);
  if (!aws_code_.empty()) s += "(" + aws_code_ + ")";
  s += ": " + message_;
  return s;
}

Status AwsError(std::string aws_code, int http_status, std::string message) {
  Code code = Code::kInvalidArgument;
  if (http_status == 403) code = Code::kPermissionDenied;
  else if (http_status == 404) code = Code::kNotFound;
  else if (http_status == 409) code = Code::kAlreadyExists;
  else if (http_status == 412) code = Code::kFailedPrecondition;
  else if (http_status == 416) code = Code::kOutOfRange;
  else if (http_status == 501) code = Code::kUnimplemented;
  else if (http_status >= 500) code = Code::kInternal;
  return Status(code, std::move(message)).WithAws(std::move(aws_code), http_status);
}

}  // namespace ck
