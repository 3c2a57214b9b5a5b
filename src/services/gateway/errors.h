// The gateway's own errors: what it answers before a service sees the request
// (bodies over the buffered limit, unparsable query forms, missing
// credentials). The protocol decides the code where AWS's differs.
//
// Thread safety: stateless.
#pragma once

#include <string>

#include "services/common/errors.h"
#include "services/gateway/router.h"

#define CK_GATEWAY_ERRORS(X)                                                             \
  X(MalformedQueryString, "MalformedQueryString", 400, kInvalidArgument)                 \
  X(RequestEntityTooLarge, "RequestEntityTooLarge", 413, kResourceExhausted)             \
  X(JsonBodyTooLarge, "SerializationException", 413, kResourceExhausted)                \
  X(QueryBodyTooLarge, "ValidationError", 413, kResourceExhausted)                       \
  X(MissingAuthenticationToken, "MissingAuthenticationToken", 403, kUnauthenticated)     \
  X(NotImplementedJson, "NotImplementedException", 501, kUnimplemented)                  \
  X(NotImplementedQuery, "NotImplemented", 501, kUnimplemented)

namespace ck::services::gateway::errors {
CK_GATEWAY_ERRORS(CK_ERROR_FACTORY)

// A buffered body over the limit, in the protocol's words.
inline Status BodyTooLarge(Protocol protocol, std::string message) {
  return protocol == Protocol::kJson ? JsonBodyTooLarge(std::move(message)) : QueryBodyTooLarge(std::move(message));
}

inline Status NotImplementedFor(Protocol protocol, std::string message) {
  return protocol == Protocol::kJson ? NotImplementedJson(std::move(message)) : NotImplementedQuery(std::move(message));
}

}  // namespace ck::services::gateway::errors
