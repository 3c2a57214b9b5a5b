// DynamoDB's errors (JSON 1.0: {"__type": ..., "message": ...}). The codes are
// written bare; the gateway qualifies them on the wire
// ("com.amazonaws.dynamodb.v20120810#ResourceNotFoundException").
//
// ResourceInUseException covers "already exists", "being updated" and
// "protected against deletion": all a table whose state refuses the call,
// hence kFailedPrecondition. A KMS key that cannot be used is answered as a
// ValidationException (UNVERIFIED in AWS, docs/dynamodb.md).
#pragma once

#include "services/common/errors.h"

#define CK_DYNAMODB_ERRORS(X)                                                                     \
  X(Validation, "ValidationException", 400, kInvalidArgument)                                     \
  X(Serialization, "SerializationException", 400, kInvalidArgument)                               \
  X(ResourceNotFound, "ResourceNotFoundException", 400, kNotFound)                                \
  X(ResourceInUse, "ResourceInUseException", 400, kFailedPrecondition)                            \
  X(TableNotFound, "TableNotFoundException", 400, kNotFound)                                      \
  X(ConditionalCheckFailed, "ConditionalCheckFailedException", 400, kFailedPrecondition)          \
  X(TransactionConflict, "TransactionConflictException", 400, kAborted)                           \
  X(TransactionCanceled, "TransactionCanceledException", 400, kAborted)                           \
  X(DuplicateItem, "DuplicateItemException", 400, kAlreadyExists)                                 \
  X(IdempotentParameterMismatch, "IdempotentParameterMismatchException", 400, kFailedPrecondition) \
  X(AccessDenied, "AccessDeniedException", 400, kPermissionDenied)                                \
  X(MissingAuthenticationToken, "MissingAuthenticationTokenException", 400, kUnauthenticated)     \
  X(NotImplemented, "NotImplementedException", 501, kUnimplemented)

namespace ck::services::dynamodb::errors {
CK_DYNAMODB_ERRORS(CK_ERROR_FACTORY)
}  // namespace ck::services::dynamodb::errors
