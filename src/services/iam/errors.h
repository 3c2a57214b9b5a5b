// IAM's errors (query protocol: <ErrorResponse><Error><Type>Sender</Type>...),
// and the credential errors authentication raises for any service (the
// gateway renders them in each protocol's words: S3 InvalidAccessKeyId, JSON
// UnrecognizedClientException, ...).
#pragma once

#include "services/common/errors.h"

#define CK_IAM_ERRORS(X)                                                                      \
  X(NoSuchEntity, "NoSuchEntity", 404, kNotFound)                                             \
  X(EntityAlreadyExists, "EntityAlreadyExists", 409, kAlreadyExists)                          \
  X(DeleteConflict, "DeleteConflict", 409, kFailedPrecondition)                               \
  X(LimitExceeded, "LimitExceeded", 409, kResourceExhausted)                                  \
  X(MalformedPolicyDocument, "MalformedPolicyDocument", 400, kInvalidArgument)                \
  X(ValidationError, "ValidationError", 400, kInvalidArgument)                                \
  X(InvalidInput, "InvalidInput", 400, kInvalidArgument)                                      \
  X(UnmodifiableEntity, "UnmodifiableEntity", 400, kFailedPrecondition)                       \
  X(AccessDenied, "AccessDenied", 403, kPermissionDenied)                                     \
  X(MissingAuthenticationToken, "MissingAuthenticationToken", 403, kUnauthenticated)          \
  X(InvalidClientTokenId, "InvalidClientTokenId", 403, kUnauthenticated)                      \
  X(ExpiredToken, "ExpiredToken", 400, kUnauthenticated)                                      \
  X(NotImplemented, "NotImplemented", 501, kUnimplemented)

namespace ck::services::iam::errors {
CK_IAM_ERRORS(CK_ERROR_FACTORY)
}  // namespace ck::services::iam::errors
