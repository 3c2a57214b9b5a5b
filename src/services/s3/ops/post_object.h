// POST Object: a browser-form upload (multipart/form-data) to a bucket's URL,
// path style ("POST /bucket") or virtual-hosted ("POST /" to bucket.host).
//
// The form stands for a PutObject: its fields before the file are read
// (capped, as S3 caps them), the signer is authenticated from the form's own
// signature fields (SigV4: x-amz-credential/-algorithm/-date/-signature, an
// HMAC of the base64 policy with the SigV4 signing key; SigV2:
// AWSAccessKeyId/signature) or is anonymous, the policy document is checked
// (post_policy.h), and then the fields become the headers of a PutObject
// request that runs through PutObject itself (authorization as the signer,
// SSE and KMS as the signer, ACLs under object ownership, checksums,
// metadata, tags), with the file's content streamed into its writer. What
// follows the file is ignored, as S3 ignores it.
//
// Thread safety: one sink per request.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "http/message.h"
#include "services/s3/ops/common.h"

namespace ck::services::s3 {

// The bucket a request posts a form to: POST with no query to "/bucket" (or
// "/" of a virtual-hosted bucket); nullopt for any other request.
std::optional<std::string> PostObjectBucket(const http::RequestHead& head);

// Starts a POST Object; the sink takes the form.
std::unique_ptr<http::BodySink> BeginPostObject(S3Service& s, std::shared_ptr<Call> c, std::string bucket);

}  // namespace ck::services::s3
