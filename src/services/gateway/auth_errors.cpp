#include "services/gateway/auth_errors.h"

#include <string>

namespace ck::services {

namespace {

enum class Text {
  kKeep,     // the auth layer's message
  kFixed,    // the row's message
  kSkew,     // "Signature expired: … is now earlier than …" (JSON and query)
};

struct Row {
  std::string_view generic;  // the auth layer's aws code
  Protocol protocol;
  const char* aws_code;      // nullptr: the status passes unchanged
  int http_status;
  Code code;
  Text text;
  const char* message;
};

// Observed AWS answers per protocol (see the e2e auth tests for each).
constexpr Row kRows[] = {
    {"InvalidClientTokenId", Protocol::kRestXml, "InvalidAccessKeyId", 403, Code::kUnauthenticated, Text::kFixed,
     "The AWS Access Key Id you provided does not exist in our records."},
    {"InvalidClientTokenId", Protocol::kJson, "UnrecognizedClientException", 400, Code::kUnauthenticated, Text::kKeep, ""},
    {"InvalidClientTokenId", Protocol::kQuery, nullptr, 0, Code::kUnauthenticated, Text::kKeep, ""},
    {"SignatureDoesNotMatch", Protocol::kRestXml, nullptr, 0, Code::kUnauthenticated, Text::kKeep, ""},
    {"SignatureDoesNotMatch", Protocol::kJson, "InvalidSignatureException", 400, Code::kUnauthenticated, Text::kKeep, ""},
    {"SignatureDoesNotMatch", Protocol::kQuery, "SignatureDoesNotMatch", 403, Code::kUnauthenticated, Text::kKeep, ""},
    {"RequestTimeTooSkewed", Protocol::kRestXml, nullptr, 0, Code::kUnauthenticated, Text::kKeep, ""},
    {"RequestTimeTooSkewed", Protocol::kJson, "InvalidSignatureException", 400, Code::kUnauthenticated, Text::kSkew, ""},
    {"RequestTimeTooSkewed", Protocol::kQuery, "SignatureDoesNotMatch", 403, Code::kUnauthenticated, Text::kSkew, ""},
    {"IncompleteSignature", Protocol::kRestXml, "AuthorizationHeaderMalformed", 400, Code::kInvalidArgument, Text::kKeep, ""},
    {"IncompleteSignature", Protocol::kJson, "IncompleteSignatureException", 400, Code::kInvalidArgument, Text::kKeep, ""},
    {"IncompleteSignature", Protocol::kQuery, "IncompleteSignature", 400, Code::kInvalidArgument, Text::kKeep, ""},
    {"ExpiredToken", Protocol::kRestXml, "ExpiredToken", 400, Code::kUnauthenticated, Text::kFixed,
     "The provided token has expired."},
    {"ExpiredToken", Protocol::kJson, "ExpiredTokenException", 400, Code::kUnauthenticated, Text::kKeep, ""},
    {"ExpiredToken", Protocol::kQuery, "ExpiredToken", 403, Code::kUnauthenticated, Text::kKeep, ""},
    {"MissingAuthenticationToken", Protocol::kRestXml, "MissingAuthenticationToken", 403, Code::kUnauthenticated,
     Text::kFixed, "Request is missing Authentication Token"},
    {"MissingAuthenticationToken", Protocol::kJson, "MissingAuthenticationTokenException", 400, Code::kUnauthenticated,
     Text::kFixed, "Missing Authentication Token"},
    {"MissingAuthenticationToken", Protocol::kQuery, "MissingAuthenticationToken", 403, Code::kUnauthenticated,
     Text::kFixed, "Request is missing Authentication Token"},
};

std::string SkewMessage(std::string_view request_time, std::string_view server_time) {
  std::string req(request_time), now(server_time);
  if (req < now) return "Signature expired: " + req + " is now earlier than " + now + " (" + now + " - 15 min.)";
  return "Signature not yet current: " + req + " is still later than " + now + " (" + now + " + 15 min.)";
}

}  // namespace

Status AuthErrorFor(Protocol protocol, Status status, std::string_view request_time, std::string_view server_time) {
  for (const Row& row : kRows) {
    if (row.generic != status.aws_code() || row.protocol != protocol) continue;
    if (!row.aws_code) return status;
    std::string message = row.text == Text::kFixed  ? std::string(row.message)
                          : row.text == Text::kSkew ? SkewMessage(request_time, server_time)
                                                    : status.message();
    Status out = Status(row.code, std::move(message)).WithAws(row.aws_code, row.http_status);
    for (const auto& [k, v] : status.fields()) out.WithField(k, v);
    return out;
  }
  return status;
}

}  // namespace ck::services
