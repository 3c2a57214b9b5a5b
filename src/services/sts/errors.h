// STS's errors (query protocol: <ErrorResponse><Error><Type>Sender</Type>...).
#pragma once

#include "services/common/errors.h"

#define CK_STS_ERRORS(X)                                                                         \
  X(ValidationError, "ValidationError", 400, kInvalidArgument)                                   \
  X(AccessDenied, "AccessDenied", 403, kPermissionDenied)                                        \
  X(MalformedPolicyDocument, "MalformedPolicyDocument", 400, kInvalidArgument)                   \
  X(PackedPolicyTooLarge, "PackedPolicyTooLarge", 400, kInvalidArgument)                         \
  X(InvalidParameterValue, "InvalidParameterValue", 400, kInvalidArgument)                       \
  X(NotImplemented, "NotImplemented", 501, kUnimplemented)

namespace ck::services::sts::errors {
CK_STS_ERRORS(CK_ERROR_FACTORY)
}  // namespace ck::services::sts::errors
