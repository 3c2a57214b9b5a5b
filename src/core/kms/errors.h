// KMS's errors, one table: factory name, AWS code (the JSON "__type"), HTTP
// status (KMS answers every error with 400), canonical code. The canonical
// code is chosen per error so that code reacting to a KMS error asks
// status.code(): kPermissionDenied is AccessDeniedException, kNotFound is
// NotFoundException (and CustomKeyStoreNotFoundException), kAlreadyExists is
// AlreadyExistsException, kFailedPrecondition a key in the wrong state
// (DisabledException, KMSInvalidStateException), kUnimplemented what crosskey
// does not support (UnsupportedOperationException).
//
// Core's key rules (resolver, key_rules, grants) answer in these errors
// directly; the service instantiates the same table with its toolkit
// (services/kms/errors.h), so both produce identical statuses.
//
// Thread safety: stateless.
#pragma once

#include <string>
#include <utility>

#include "base/status.h"

#define CK_KMS_ERRORS(X)                                                                 \
  X(NotFound, "NotFoundException", 400, kNotFound)                                       \
  X(AccessDenied, "AccessDeniedException", 400, kPermissionDenied)                       \
  X(AlreadyExists, "AlreadyExistsException", 400, kAlreadyExists)                        \
  X(Disabled, "DisabledException", 400, kFailedPrecondition)                             \
  X(InvalidState, "KMSInvalidStateException", 400, kFailedPrecondition)                  \
  X(InvalidKeyUsage, "InvalidKeyUsageException", 400, kInvalidArgument)                  \
  X(IncorrectKey, "IncorrectKeyException", 400, kInvalidArgument)                        \
  X(IncorrectKeyMaterial, "IncorrectKeyMaterialException", 400, kInvalidArgument)        \
  X(InvalidImportToken, "InvalidImportTokenException", 400, kInvalidArgument)            \
  X(ExpiredImportToken, "ExpiredImportTokenException", 400, kInvalidArgument)            \
  X(InvalidArn, "InvalidArnException", 400, kInvalidArgument)                            \
  X(InvalidCiphertext, "InvalidCiphertextException", 400, kInvalidArgument)              \
  X(InvalidAliasName, "InvalidAliasNameException", 400, kInvalidArgument)                \
  X(InvalidGrantToken, "InvalidGrantTokenException", 400, kInvalidArgument)              \
  X(InvalidMarker, "InvalidMarkerException", 400, kInvalidArgument)                      \
  X(InvalidSignature, "KMSInvalidSignatureException", 400, kInvalidArgument)             \
  X(InvalidMac, "KMSInvalidMacException", 400, kInvalidArgument)                         \
  X(MalformedPolicyDocument, "MalformedPolicyDocumentException", 400, kInvalidArgument)  \
  X(Tag, "TagException", 400, kInvalidArgument)                                          \
  X(Validation, "ValidationException", 400, kInvalidArgument)                            \
  X(Serialization, "SerializationException", 400, kInvalidArgument)                     \
  X(LimitExceeded, "LimitExceededException", 400, kResourceExhausted)                    \
  X(CustomKeyStoreNotFound, "CustomKeyStoreNotFoundException", 400, kNotFound)           \
  X(UnsupportedOperation, "UnsupportedOperationException", 400, kUnimplemented)          \
  X(DryRunOperation, "DryRunOperationException", 400, kAborted)

// One row → `Status Name(std::string message)` (core has no ErrorSpec).
#define CK_KMS_CORE_ERROR(Name, AwsCode, HttpStatus, Canonical)                 \
  inline ::ck::Status Name(std::string message) {                              \
    return ::ck::Status(::ck::Code::Canonical, std::move(message)).WithAws(AwsCode, HttpStatus); \
  }

namespace ck::core::kms::errors {
CK_KMS_ERRORS(CK_KMS_CORE_ERROR)
}  // namespace ck::core::kms::errors
