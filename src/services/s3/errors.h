// S3's errors: one row per AWS error code S3 answers (factory name, AWS
// code, HTTP status, canonical code), rendered by wire::RenderS3Error as
// <Error><Code/><Message/>{fields}</Error>. Texts are S3's (the error-code
// list of the S3 API reference); the helpers below add the extra members S3
// puts in the error document (BucketName, Key, ArgumentName, ...).
//
// Canonical codes are chosen per error, so code that reacts to an error asks
// status.code(): a missing thing is kNotFound, a request that contradicts
// the resource's state kFailedPrecondition, a lost compare-and-swap race
// kAborted, a denial kPermissionDenied.
//
// Thread safety: stateless.
#pragma once

#include <string>

#include "services/common/errors.h"

// clang-format off
#define CK_S3_ERRORS(X)                                                                                       \
  X(AccessControlListNotSupported, "AccessControlListNotSupported", 400, kFailedPrecondition)                 \
  X(AccessDenied, "AccessDenied", 403, kPermissionDenied)                                                     \
  X(AccessForbidden, "AccessForbidden", 403, kPermissionDenied)                                               \
  X(BadDigest, "BadDigest", 400, kInvalidArgument)                                                            \
  X(BadRequest, "BadRequest", 400, kInvalidArgument)                                                          \
  X(BucketAlreadyExists, "BucketAlreadyExists", 409, kAlreadyExists)                                          \
  X(BucketAlreadyOwnedByYou, "BucketAlreadyOwnedByYou", 409, kAlreadyExists)                                  \
  X(BucketNotEmpty, "BucketNotEmpty", 409, kFailedPrecondition)                                               \
  X(ConditionalRequestConflict, "ConditionalRequestConflict", 409, kAborted)                                  \
  X(CrossLocationLoggingProhibitted, "CrossLocationLoggingProhibitted", 403, kPermissionDenied)             \
  X(EntityTooLarge, "EntityTooLarge", 400, kInvalidArgument)                                                  \
  X(EntityTooSmall, "EntityTooSmall", 400, kInvalidArgument)                                                  \
  X(IllegalLocationConstraintException, "IllegalLocationConstraintException", 400, kInvalidArgument)          \
  X(IllegalVersioningConfigurationException, "IllegalVersioningConfigurationException", 400, kInvalidArgument)  \
  X(IncompleteBody, "IncompleteBody", 400, kInvalidArgument)                                                  \
  X(InvalidArgument, "InvalidArgument", 400, kInvalidArgument)                                                \
  X(InvalidBucketAclWithBlockPublicAccessError, "InvalidBucketAclWithBlockPublicAccessError", 400, kFailedPrecondition) \
  X(InvalidBucketAclWithObjectOwnership, "InvalidBucketAclWithObjectOwnership", 400, kFailedPrecondition)     \
  X(InvalidBucketName, "InvalidBucketName", 400, kInvalidArgument)                                            \
  X(InvalidBucketOwnerAWSAccountID, "InvalidBucketOwnerAWSAccountID", 400, kInvalidArgument)                  \
  X(InvalidBucketState, "InvalidBucketState", 409, kFailedPrecondition)                                       \
  X(InvalidDigest, "InvalidDigest", 400, kInvalidArgument)                                                    \
  X(InvalidEncryptionAlgorithmError, "InvalidEncryptionAlgorithmError", 400, kInvalidArgument)                \
  X(InvalidLocationConstraint, "InvalidLocationConstraint", 400, kInvalidArgument)                            \
  X(InvalidPart, "InvalidPart", 400, kInvalidArgument)                                                        \
  X(InvalidPartNumber, "InvalidPartNumber", 416, kOutOfRange)                                                 \
  X(InvalidPartOrder, "InvalidPartOrder", 400, kInvalidArgument)                                              \
  X(InvalidPolicyDocument, "InvalidPolicyDocument", 400, kInvalidArgument)                                    \
  X(InvalidRange, "InvalidRange", 416, kOutOfRange)                                                           \
  X(InvalidRequest, "InvalidRequest", 400, kInvalidArgument)                                                  \
  X(InvalidStorageClass, "InvalidStorageClass", 400, kInvalidArgument)                                        \
  X(InvalidTargetBucketForLogging, "InvalidTargetBucketForLogging", 400, kInvalidArgument)                    \
  X(InvalidTag, "InvalidTag", 400, kInvalidArgument)                                                          \
  X(InvalidURI, "InvalidURI", 400, kInvalidArgument)                                                          \
  X(KeyTooLongError, "KeyTooLongError", 400, kInvalidArgument)                                                \
  X(MalformedACLError, "MalformedACLError", 400, kInvalidArgument)                                            \
  X(MalformedPolicy, "MalformedPolicy", 400, kInvalidArgument)                                                \
  X(MalformedPOSTRequest, "MalformedPOSTRequest", 400, kInvalidArgument)                                      \
  X(MalformedXML, "MalformedXML", 400, kInvalidArgument)                                                      \
  X(MaxMessageLengthExceeded, "MaxMessageLengthExceeded", 400, kResourceExhausted)                            \
  X(MaxPostPreDataLengthExceeded, "MaxPostPreDataLengthExceededError", 400, kResourceExhausted)             \
  X(MetadataTooLarge, "MetadataTooLarge", 400, kInvalidArgument)                                              \
  X(MethodNotAllowed, "MethodNotAllowed", 405, kFailedPrecondition)                                           \
  X(MissingContentLength, "MissingContentLength", 411, kInvalidArgument)                                      \
  X(MissingSecurityHeader, "MissingSecurityHeader", 400, kInvalidArgument)                                    \
  X(NoSuchBucket, "NoSuchBucket", 404, kNotFound)                                                             \
  X(NoSuchBucketPolicy, "NoSuchBucketPolicy", 404, kNotFound)                                                 \
  X(NoSuchConfiguration, "NoSuchConfiguration", 404, kNotFound)                                               \
  X(NoSuchCORSConfiguration, "NoSuchCORSConfiguration", 404, kNotFound)                                       \
  X(NoSuchKey, "NoSuchKey", 404, kNotFound)                                                                   \
  X(NoSuchLifecycleConfiguration, "NoSuchLifecycleConfiguration", 404, kNotFound)                             \
  X(NoSuchObjectLockConfiguration, "NoSuchObjectLockConfiguration", 404, kNotFound)                           \
  X(NoSuchPublicAccessBlockConfiguration, "NoSuchPublicAccessBlockConfiguration", 404, kNotFound)             \
  X(NoSuchTagSet, "NoSuchTagSet", 404, kNotFound)                                                             \
  X(NoSuchUpload, "NoSuchUpload", 404, kNotFound)                                                             \
  X(NoSuchVersion, "NoSuchVersion", 404, kNotFound)                                                           \
  X(NoSuchWebsiteConfiguration, "NoSuchWebsiteConfiguration", 404, kNotFound)                                 \
  X(NotImplemented, "NotImplemented", 501, kUnimplemented)                                                    \
  X(ObjectLockConfigurationNotFoundError, "ObjectLockConfigurationNotFoundError", 404, kNotFound)             \
  X(OperationAborted, "OperationAborted", 409, kAborted)                                                      \
  X(OwnershipControlsNotFoundError, "OwnershipControlsNotFoundError", 404, kNotFound)                         \
  X(PreconditionFailed, "PreconditionFailed", 412, kFailedPrecondition)                                       \
  X(ReplicationConfigurationNotFoundError, "ReplicationConfigurationNotFoundError", 404, kNotFound)            \
  X(SignatureDoesNotMatch, "SignatureDoesNotMatch", 403, kUnauthenticated)                                     \
  X(TooManyConfigurations, "TooManyConfigurations", 400, kResourceExhausted)                                   \
  X(UnexpectedContent, "UnexpectedContent", 400, kInvalidArgument)                                             \
  X(UnresolvableGrantByEmailAddress, "UnresolvableGrantByEmailAddress", 400, kInvalidArgument)
// clang-format on

namespace ck::services::s3::errors {

CK_S3_ERRORS(CK_ERROR_FACTORY)

// The errors S3 words the same way every time, with their extra members.

inline Status MissingBucket(const std::string& bucket) {
  return NoSuchBucket("The specified bucket does not exist").WithField("BucketName", bucket);
}
inline Status MissingKey(const std::string& key) {
  return NoSuchKey("The specified key does not exist.").WithField("Key", key);
}
inline Status MissingUpload(const std::string& upload_id) {
  return NoSuchUpload(
             "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted "
             "or completed.")
      .WithField("UploadId", upload_id);
}
inline Status MissingVersion(const std::string& key, const std::string& version_id) {
  return NoSuchVersion("The specified version does not exist.")
      .WithField("Key", key)
      .WithField("VersionId", version_id);
}
// InvalidArgument naming the argument, as S3 does.
inline Status BadArgument(const std::string& message, const std::string& name, const std::string& value) {
  return InvalidArgument(message).WithField("ArgumentName", name).WithField("ArgumentValue", value);
}
inline Status FailedCondition(const std::string& condition) {
  return PreconditionFailed("At least one of the pre-conditions you specified did not hold")
      .WithField("Condition", condition);
}
// A conditional write that began before another write to the key.
inline Status ConditionalConflict(const std::string& condition, const std::string& key) {
  return ConditionalRequestConflict(
             "The conditional request cannot succeed due to a conflicting operation against this resource.")
      .WithField("Condition", condition)
      .WithField("Key", key);
}
// A compare-and-swap that kept losing to concurrent writers.
inline Status Conflict() {
  return OperationAborted(
      "A conflicting conditional operation is currently in progress against this resource. Please try again.");
}
// A version Object Lock protects (a retention that has not expired, a legal hold).
inline Status ObjectLocked() { return AccessDenied("Access Denied because object protected by object lock."); }
// An Object Lock request on a bucket without Object Lock.
inline Status LockNotEnabled() { return InvalidRequest("Bucket is missing Object Lock Configuration"); }
// The classic denial (anonymous callers).
inline Status PlainAccessDenied() { return AccessDenied("Access Denied"); }
inline Status Malformed() {
  return MalformedXML("The XML you provided was not well-formed or did not validate against our published schema");
}
// A path or query parameter that does not decode to UTF-8.
inline Status UnparsableUri() { return InvalidURI("Couldn't parse the specified URI."); }
inline Status BucketAclsDisabled() { return AccessControlListNotSupported("The bucket does not allow ACLs"); }
// An AccessControlPolicy body S3 cannot read as an ACL.
inline Status MalformedAcl() {
  return MalformedACLError("The XML you provided was not well-formed or did not validate against our published schema");
}
// Functionality crosskey does not implement (S3's wording for any of it).
inline Status Unsupported() {
  return NotImplemented("A header you provided implies functionality that is not implemented");
}
// The same, naming the operation or header.
inline Status Unsupported(const std::string& header) { return Unsupported().WithField("Header", header); }
inline Status MethodNotAllowedFor(const std::string& method, const std::string& resource_type) {
  return MethodNotAllowed("The specified method is not allowed against this resource.")
      .WithField("Method", method)
      .WithField("ResourceType", resource_type);
}

// A KMS failure as S3 answers it: a denial is S3's 403 AccessDenied with
// KMS's text; any other KMS error passes through as "KMS." + its code (400)
// with KMS's message, keeping its canonical code. Statuses without an AWS
// error (internal failures) pass unchanged.
inline Status FromKms(const Status& kms) {
  if (kms.ok() || kms.aws_code().empty()) return kms;
  if (kms.code() == Code::kPermissionDenied) return AccessDenied(kms.message());
  return Status(kms.code(), kms.message()).WithAws("KMS." + kms.aws_code(), 400);
}

}  // namespace ck::services::s3::errors
