// S3Service: the S3 REST API over the MetadataStore (records, listings) and
// the BlobStore (object bytes), as a StreamingService behind the gateway.
//
// A request goes through three stages, each one place in the code:
//   1. the router (router.h) turns the head into an endpoint, the bucket and
//      key, and the model's operation (virtual-hosted names read as path
//      style; OPTIONS is a CORS preflight);
//   2. the endpoint table (operations.h) says what the endpoint is (IAM
//      action, whether it reads a body) and runs its operation: the rest-xml
//      codec decodes the request into a Document, which becomes the
//      operation's typed input (api/s3.h); the typed output becomes the
//      response. An endpoint is answered immediately (GET/HEAD/DELETE/copies:
//      the answer is ready before any body), after buffering a small XML
//      body (configuration PUTs, Complete, DeleteObjects), or streamed
//      (PutObject, UploadPart: ObjectWriter, see object_io.h);
//   3. the operation (ops/*.cpp) authorizes with the PolicyAuthorizer (the
//      bucket's policy and owner; denials read as AWS's AccessDenied) and
//      works on the ObjectStore (object_store.h), which owns the records and
//      blobs. Bucket sub-resources (tagging, CORS, policy, ...) are rows of a
//      table with three generic handlers (ops/subresources.cpp).
//
// Durability and commit ordering (ObjectStore applies them): object metadata
// commits only after its blob is committed; blobs that an overwrite or delete
// releases are deleted after the metadata commit (a crash in between leaves
// an unreferenced blob, never a dangling record); CompleteMultipartUpload
// writes the object and removes the upload and its parts in one atomic
// batch. Concurrent writers of one key resolve by compare-and-swap on the
// key's record; there is no lock on the hot path.
//
// Thread safety: Begin may be called from every server thread at once.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "services/authorizer.h"
#include "services/credential_resolver.h"
#include "services/s3/object_store.h"
#include "services/s3/sse_keys.h"
#include "services/service.h"
#include "storage/blob_store.h"
#include "storage/metadata_store.h"

namespace ck::services::s3 {

struct S3Options {
  std::string region = "us-east-1";
  // Largest body accepted for XML configuration requests.
  size_t max_xml_body = 8 * 1024 * 1024;
  // Server-side encryption: KMS client, master key, flags (sse_keys.h).
  SseOptions sse;
  // Resolves the access key a browser-form POST is signed with (in its form
  // fields, not its head) as the gateway resolves a request's, failures
  // worded as S3 words them. Unset: signed forms are refused.
  std::function<Result<ResolvedCredential>(std::string_view access_key_id, std::string_view session_token)>
      resolve_form_key;
};

class S3Service final : public StreamingService {
 public:
  S3Service(storage::MetadataStore& meta, storage::BlobStore& blobs, PolicyAuthorizer& authorizer, const Clock& clock,
            S3Options options);

  std::unique_ptr<http::BodySink> Begin(RequestContext ctx, std::string* operation = nullptr) override;
  // Start-up check: every endpoint names an operation of the S3 model, with
  // the body handling the model implies.
  Status CheckModel() const;

  // What the operations (ops/*.cpp) work with. Not for other callers.
  ObjectStore& store() { return store_; }
  SseKeys& sse() { return sse_; }
  PolicyAuthorizer& authorizer() { return authorizer_; }
  const Clock& clock() const { return clock_; }
  const S3Options& options() const { return options_; }

 private:
  PolicyAuthorizer& authorizer_;
  const Clock& clock_;
  S3Options options_;
  SseKeys sse_;
  ObjectStore store_;
};

}  // namespace ck::services::s3
