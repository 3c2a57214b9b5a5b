// CloudTrail's errors (JSON 1.1: {"__type": ..., "message": ...}).
#pragma once

#include "services/common/errors.h"

#define CK_CLOUDTRAIL_ERRORS(X)                                                                \
  X(InvalidLookupAttributes, "InvalidLookupAttributesException", 400, kInvalidArgument)        \
  X(InvalidTimeRange, "InvalidTimeRangeException", 400, kInvalidArgument)                      \
  X(InvalidMaxResults, "InvalidMaxResultsException", 400, kInvalidArgument)                    \
  X(InvalidNextToken, "InvalidNextTokenException", 400, kInvalidArgument)                      \
  X(AccessDenied, "AccessDeniedException", 400, kPermissionDenied)                             \
  X(Serialization, "SerializationException", 400, kInvalidArgument)                            \
  X(NotImplemented, "NotImplementedException", 501, kUnimplemented)

namespace ck::services::cloudtrail::errors {
CK_CLOUDTRAIL_ERRORS(CK_ERROR_FACTORY)
}  // namespace ck::services::cloudtrail::errors
