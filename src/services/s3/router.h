// The S3 router: a request head (method, Host, path, query, headers) → the
// endpoint it addresses, with its typed labels (bucket, key) and the model's
// entry for the operation. Pure: no state, no I/O; tested as a table of
// requests (router_test.cpp).
//
// Virtual-hosted style names the bucket in the Host ("bucket.s3.localhost:4566",
// "bucket.localhost", "bucket.s3.us-east-1.amazonaws.com"); it is read as the
// path-style request it stands for. OPTIONS is a CORS preflight. Everything
// else is matched against the botocore model's request URIs
// (wire::ServiceModel::MatchRestOperation: method, path template, literal and
// required query parameters and headers, most specific first), so
// ?uploadId selects ListParts over GetObject and x-amz-copy-source CopyObject
// over PutObject exactly as S3's front end does.
//
// Thread safety: stateless functions over the immutable model.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"
#include "http/message.h"
#include "wire/model.h"

namespace ck::services::s3 {

// Every endpoint crosskey serves, by the model operation's name (plus the
// CORS preflight). A model operation not listed answers 501 NotImplemented.
// clang-format off
// Bucket settings (ops/bucket_configs.h).
#define CK_S3_CONFIG_ENDPOINTS(X)                                                                             \
  X(GetBucketLifecycleConfiguration) X(PutBucketLifecycleConfiguration) X(DeleteBucketLifecycle)               \
  X(GetBucketWebsite) X(PutBucketWebsite) X(DeleteBucketWebsite) X(GetBucketLogging) X(PutBucketLogging)       \
  X(GetBucketAccelerateConfiguration) X(PutBucketAccelerateConfiguration)                                      \
  X(GetBucketRequestPayment) X(PutBucketRequestPayment)                                                        \
  X(GetBucketMetricsConfiguration) X(PutBucketMetricsConfiguration) X(DeleteBucketMetricsConfiguration)        \
  X(ListBucketMetricsConfigurations) X(GetBucketAnalyticsConfiguration) X(PutBucketAnalyticsConfiguration)     \
  X(DeleteBucketAnalyticsConfiguration) X(ListBucketAnalyticsConfigurations)                                   \
  X(GetBucketIntelligentTieringConfiguration) X(PutBucketIntelligentTieringConfiguration)                      \
  X(DeleteBucketIntelligentTieringConfiguration) X(ListBucketIntelligentTieringConfigurations)
#define CK_S3_ENDPOINTS(X)                                                                                    \
  X(ListBuckets) X(CreateBucket) X(DeleteBucket) X(HeadBucket) X(GetBucketLocation)                            \
  X(GetBucketPolicy) X(PutBucketPolicy) X(DeleteBucketPolicy) X(GetBucketPolicyStatus)                         \
  X(GetBucketTagging) X(PutBucketTagging) X(DeleteBucketTagging)                                               \
  X(GetBucketCors) X(PutBucketCors) X(DeleteBucketCors)                                                        \
  X(GetPublicAccessBlock) X(PutPublicAccessBlock) X(DeletePublicAccessBlock)                                   \
  X(GetBucketOwnershipControls) X(PutBucketOwnershipControls) X(DeleteBucketOwnershipControls)                 \
  X(GetBucketVersioning) X(PutBucketVersioning) X(GetBucketAcl) X(PutBucketAcl)                                \
  X(GetBucketEncryption) X(PutBucketEncryption) X(DeleteBucketEncryption)                                      \
  X(GetBucketLifecycle) X(GetBucketReplication) X(DeleteBucketReplication)                                      \
  X(GetObjectLockConfiguration) X(GetBucketNotificationConfiguration)                                          \
  CK_S3_CONFIG_ENDPOINTS(X)                                                                                    \
  X(PutObject) X(GetObject) X(HeadObject) X(DeleteObject) X(DeleteObjects) X(CopyObject)                        \
  X(GetObjectTagging) X(PutObjectTagging) X(DeleteObjectTagging) X(GetObjectAttributes)                        \
  X(GetObjectAcl) X(PutObjectAcl)                                                                              \
  X(ListObjects) X(ListObjectsV2) X(ListObjectVersions)                                                        \
  X(CreateMultipartUpload) X(UploadPart) X(UploadPartCopy) X(CompleteMultipartUpload)                          \
  X(AbortMultipartUpload) X(ListParts) X(ListMultipartUploads)                                                 \
  X(PutObjectLockConfiguration) X(PutObjectRetention) X(GetObjectRetention)                                    \
  X(PutObjectLegalHold) X(GetObjectLegalHold)

enum class Endpoint : uint8_t {
  kNoRoute,        // no operation of the model: 405 MethodNotAllowed or 501 NotImplemented
  kUnimplemented,  // an operation of the model crosskey does not serve: 501 NotImplemented
  kPreflight,      // OPTIONS (CORS)
#define CK_S3_ENDPOINT_ENUMERATOR(Name) k##Name,
  CK_S3_ENDPOINTS(CK_S3_ENDPOINT_ENUMERATOR)
#undef CK_S3_ENDPOINT_ENUMERATOR
  kCount,
};
// clang-format on

// "GetObject", "PreflightRequest", "" for kNoRoute.
std::string_view EndpointName(Endpoint e);

struct Route {
  Endpoint endpoint = Endpoint::kNoRoute;
  // The model's operation (null for kNoRoute and kPreflight).
  const wire::Operation* operation = nullptr;
  std::string bucket, key;  // decoded; empty when the request names none
};

// The bucket a virtual-hosted Host names, or "" for path style.
std::string BucketFromHost(std::string_view host);

// Routes a request. `model` is the S3 model.
Route RouteRequest(const wire::ServiceModel& model, const http::RequestHead& head);

// The answer to a request that has no endpoint (kNoRoute, kUnimplemented).
Status RouteError(const Route& route, std::string_view method);

// Every decoded path, query parameter and header of an S3 request is UTF-8:
// the path and parameters or InvalidURI, a header or InvalidArgument
// (docs/limits.md). Checked before the request is routed, so nothing is read,
// written or echoed for such a request.
Status CheckRequestEncoding(const http::RequestHead& head);

}  // namespace ck::services::s3
