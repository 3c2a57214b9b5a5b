// Error catalogues. Each service lists the AWS errors it answers once, in a
// table of (factory name, AWS code, HTTP status, canonical code), and gets a
// typed factory per row:
//
//   #define CK_KMS_ERRORS(X)
//     X(NotFound, "NotFoundException", 400, kNotFound)
//     X(Disabled, "DisabledException", 400, kFailedPrecondition)
//   (one row per line, each ending in a backslash)
//   namespace ck::services::kms::errors { CK_KMS_ERRORS(CK_ERROR_FACTORY) }
//
//   return errors::NotFound("Alias " + arn + " is not found.");
//
// The canonical code is chosen per error, not derived from the HTTP status
// (KMS's NotFoundException is a 400), so code that reacts to an error asks
// status.code(), never compares AWS code strings. The AWS code and status are
// for the wire only. (MinIO keeps its S3 errors in one table the same way.)
//
// Thread safety: stateless.
#pragma once

#include <string>
#include <utility>

#include "base/status.h"

namespace ck::services {

struct ErrorSpec {
  const char* aws_code;
  int http_status;
  Code code;
};

inline Status MakeError(const ErrorSpec& spec, std::string message) {
  return Status(spec.code, std::move(message)).WithAws(spec.aws_code, spec.http_status);
}

}  // namespace ck::services

// One row of a catalogue → `Status Name(std::string message)` and
// `ErrorSpec kName` (for tables that need the spec itself).
#define CK_ERROR_FACTORY(Name, AwsCode, HttpStatus, Canonical)                               \
  inline constexpr ::ck::services::ErrorSpec k##Name{AwsCode, HttpStatus, ::ck::Code::Canonical}; \
  inline ::ck::Status Name(std::string message) { return ::ck::services::MakeError(k##Name, std::move(message)); }
