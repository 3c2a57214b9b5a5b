// S3Service: the S3 REST API over the MetadataStore (records, listings) and
// the BlobStore (object bytes), as a StreamingService behind the gateway.
//
// A request is routed by the botocore model (virtual-hosted names rewritten
// to path style first), decoded by the rest-xml codec and handled in one of
// three ways: immediately (GET/HEAD/DELETE/copies: the answer is ready before
// any body), after buffering a small XML body (configuration PUTs, Complete,
// DeleteObjects), or streamed (PutObject, UploadPart: ObjectWriter, see
// object_io.h). Every operation is authorized by the PolicyAuthorizer with
// the bucket's policy and owner; denials read as AWS's AccessDenied.
//
// Durability: object metadata commits only after its blob is committed;
// blobs that an overwrite or delete releases are deleted after the metadata
// commit (a crash in between leaves an unreferenced blob, never a dangling
// record). Concurrent writers of one key resolve by compare-and-swap on the
// key's record; there is no lock on the hot path.
//
// Thread safety: Begin may be called from every server thread at once.
#pragma once

#include <memory>
#include <string>

#include "base/clock.h"
#include "services/authorizer.h"
#include "services/s3/bucket_cache.h"
#include "services/s3/object_io.h"
#include "services/s3/records.h"
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
};

struct Call;

class S3Service final : public StreamingService {
 public:
  S3Service(storage::MetadataStore& meta, storage::BlobStore& blobs, PolicyAuthorizer& authorizer,
            const Clock& clock, S3Options options);

  std::unique_ptr<http::BodySink> Begin(RequestContext ctx, std::string* operation = nullptr) override;

  // Internals shared by the operation files (bucket_ops.cpp, object_ops.cpp,
  // list_ops.cpp, multipart_ops.cpp). Not for other callers.
  storage::MetadataStore& meta() { return meta_; }
  storage::BlobStore& blobs() { return blobs_; }
  SseKeys& sse() { return sse_; }
  BucketCache& buckets() { return buckets_; }
  PolicyAuthorizer& authorizer() { return authorizer_; }
  const Clock& clock() const { return clock_; }
  const S3Options& options() const { return options_; }

 private:
  storage::MetadataStore& meta_;
  storage::BlobStore& blobs_;
  PolicyAuthorizer& authorizer_;
  const Clock& clock_;
  S3Options options_;
  SseKeys sse_;
  BucketCache buckets_;
};

}  // namespace ck::services::s3
