// Secrets Manager's errors (JSON 1.1: {"__type": ..., "message": ...}).
#pragma once

#include "services/common/errors.h"

#define CK_SM_ERRORS(X)                                                                        \
  X(ResourceNotFound, "ResourceNotFoundException", 400, kNotFound)                             \
  X(ResourceExists, "ResourceExistsException", 400, kAlreadyExists)                            \
  X(InvalidRequest, "InvalidRequestException", 400, kFailedPrecondition)                       \
  X(InvalidParameter, "InvalidParameterException", 400, kInvalidArgument)                      \
  X(Validation, "ValidationException", 400, kInvalidArgument)                                  \
  X(MalformedPolicyDocument, "MalformedPolicyDocumentException", 400, kInvalidArgument)        \
  X(AccessDenied, "AccessDeniedException", 400, kPermissionDenied)                             \
  X(EncryptionFailure, "EncryptionFailure", 400, kFailedPrecondition)                          \
  X(DecryptionFailure, "DecryptionFailure", 400, kFailedPrecondition)                          \
  X(InternalServiceError, "InternalServiceError", 500, kInternal)                              \
  X(MissingAuthenticationToken, "MissingAuthenticationTokenException", 400, kUnauthenticated)  \
  X(Serialization, "SerializationException", 400, kInvalidArgument)                           \
  X(NotImplemented, "NotImplementedException", 501, kUnimplemented)

namespace ck::services::sm::errors {
CK_SM_ERRORS(CK_ERROR_FACTORY)
}  // namespace ck::services::sm::errors
