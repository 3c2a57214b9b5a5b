// Shared internals of the S3 service: the per-request Call, S3's error texts,
// authorization and record helpers, and the operation handlers (one function
// per operation, grouped by file). Not part of the service's interface.
//
// Thread safety: a Call belongs to one request; helpers are stateless.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "http/message.h"
#include "services/s3/object_io.h"
#include "services/s3/records.h"
#include "services/s3/s3_service.h"
#include "services/s3/sse_keys.h"
#include "services/service.h"
#include "storage/metadata_store.h"
#include "wire/model.h"

namespace ck::services::s3 {

using nlohmann::json;

struct Call {
  RequestContext ctx;
  const http::RequestHead* head = nullptr;
  const wire::ServiceModel* model = nullptr;
  const wire::Operation* op = nullptr;
  std::map<std::string, std::string> labels;
  std::string bucket, key;
  json input = json::object();
  std::string host_id;
  std::string host;  // Host header (for Location)
  // x-crosskey-warning value (set only with --diagnostic-headers).
  std::string warning_header;

  const Principal& principal() const { return ctx.principal; }
  std::string Header(std::string_view name) const { return head->headers.GetOr(name); }
  bool HasHeader(std::string_view name) const { return head->headers.Has(name); }
  std::string In(const char* member) const { return input.contains(member) ? input[member].get<std::string>() : ""; }
};

// --- Errors (S3's codes, statuses and messages) ---
Status NoSuchBucket(const std::string& bucket);
Status NoSuchKey(const std::string& key);
Status NoSuchUpload(const std::string& upload_id);
Status NoSuchVersion(const std::string& key, const std::string& version_id);
Status InvalidArgument(const std::string& message, const std::string& name, const std::string& value);
Status InvalidRequest(const std::string& message);
Status PreconditionFailed(const std::string& condition);
Status AccessDeniedPlain();

// --- Responses ---
http::Response Encode(Call& c, const json& output);
http::Response ErrorResponse(Call& c, const Status& status);
void StampIds(Call& c, http::Response* r);

// --- Records ---
Result<BucketRecord> LoadBucket(S3Service& s, const std::string& name);
// Read-modify-write of a bucket record with compare-and-swap.
Status UpdateBucket(S3Service& s, const std::string& name, const std::function<Status(BucketRecord&)>& fn);
Result<std::optional<ObjectRecord>> LoadCurrent(S3Service& s, const std::string& bucket, const std::string& key,
                                                std::string* raw = nullptr);
// The version a request names (versionId or the current one). NoSuchKey /
// NoSuchVersion / InvalidArgument as S3 answers.
Result<ObjectRecord> LoadVersion(S3Service& s, const BucketRecord& b, const std::string& key,
                                 const std::string& version_id);

struct WritePreconditions {
  bool if_none_match_star = false;
  std::string if_match;  // ETag (quotes optional)
  // Adds preconditions and mutations that must commit with the object
  // (CompleteMultipartUpload removes the upload in the same batch).
  std::function<void(storage::WriteBatch&)> extend;
};
// Commits `rec` as the newest version of its key (versioning rules of the
// bucket), then deletes the blobs it released. Fills version id and seq.
Status CommitObject(S3Service& s, const BucketRecord& b, ObjectRecord& rec, const WritePreconditions& pre);
void DeleteBlobs(S3Service& s, const std::vector<Segment>& segments);

// --- Access ---
// Authorizes `action` on the bucket (key empty) or an object. Anonymous
// callers pass only through a public bucket policy the bucket's public
// access block does not restrict.
Status Authorize(S3Service& s, Call& c, const BucketRecord& b, const std::string& action, const std::string& key,
                 core::iam::ContextKeys keys = {});
// ACL headers under the bucket's ownership setting.
Status CheckAclHeaders(const Call& c, const BucketRecord& b);

// --- Server-side encryption (sse_ops.cpp) ---
// Policy condition keys of a write (s3:x-amz-server-side-encryption, ...-aws-kms-key-id, acl, storage class).
core::iam::ContextKeys WriteConditionKeys(const Call& c);
SseCaller SseCallerFor(const Call& c, const BucketRecord& b);
// Validates the request's SSE headers, picks the encryption (request over
// bucket default) and obtains the new object's keys (KMS as the requester).
Result<SseWrite> PrepareSseWrite(S3Service& s, Call& c, const BucketRecord& b);
// The keys to read a stored object with the request's SSE-C key under `prefix`
// (object or copy source).
Result<ObjectKeysPtr> SseReadKeys(S3Service& s, Call& c, const BucketRecord& b, const json& encryption,
                                  const std::string& customer_prefix);
// A non-MD5 ETag for SSE-KMS / SSE-C single-part objects, as S3 gives them.
std::string OpaqueEtag(const std::string& md5_raw);

// --- Object headers shared by Put/Copy/CreateMultipartUpload ---
void ReadStandardHeaders(const Call& c, std::map<std::string, std::string>* headers,
                         std::map<std::string, std::string>* metadata);
Result<std::vector<std::pair<std::string, std::string>>> ParseTaggingHeader(const std::string& text);

// --- Request limits (docs/limits.md) ---
// Every decoded path, query parameter and header value is UTF-8: the key and
// parameters or InvalidURI, a header or InvalidArgument. Checked before the
// request is routed, so nothing is read, written or echoed for such a request.
Status CheckRequestEncoding(const http::RequestHead& head);
// User metadata (x-amz-meta-*): at most 2 KB of names (without the prefix)
// and values, or MetadataTooLarge.
Status CheckUserMetadata(const std::map<std::string, std::string>& metadata);
// Object tags: at most 10; keys of 1 to 128 and values of up to 256
// characters of letters, digits, spaces and _.:/=+-@; no duplicate keys and
// no "aws:" prefix. S3's InvalidTag / BadRequest otherwise.
Status CheckObjectTags(const std::vector<std::pair<std::string, std::string>>& tags);
// Adds the object's headers (ETag, Last-Modified, metadata, checksum...) to an output document.
void DescribeObject(const ObjectRecord& o, json* out, bool with_checksum);
std::string Quoted(const std::string& etag);
std::string Unquoted(std::string_view etag);
json OwnerJson(const std::string& account);

// --- Handlers ---
using Handler = Result<http::Response> (*)(S3Service&, Call&);
using StreamHandler = Result<std::unique_ptr<http::BodySink>> (*)(S3Service&, std::shared_ptr<Call>);

// bucket_ops.cpp
Result<http::Response> ListBuckets(S3Service&, Call&);
Result<http::Response> CreateBucket(S3Service&, Call&);
Result<http::Response> DeleteBucket(S3Service&, Call&);
Result<http::Response> HeadBucket(S3Service&, Call&);
Result<http::Response> GetBucketLocation(S3Service&, Call&);
Result<http::Response> BucketConfig(S3Service&, Call&);  // policy/tagging/cors/PAB/ownership/versioning/acl/encryption
Result<http::Response> UnconfiguredBucketConfig(S3Service&, Call&);  // lifecycle/website/replication/... reads
Result<http::Response> Preflight(S3Service&, Call&);
void ApplyCors(S3Service&, Call&, http::Response*);

// object_ops.cpp
Result<std::unique_ptr<http::BodySink>> PutObject(S3Service&, std::shared_ptr<Call>);
Result<http::Response> GetObject(S3Service&, Call&);  // also HeadObject
Result<http::Response> DeleteObject(S3Service&, Call&);
Result<http::Response> DeleteObjects(S3Service&, Call&);
Result<http::Response> CopyObject(S3Service&, Call&);
Result<http::Response> ObjectTagging(S3Service&, Call&);
Result<http::Response> GetObjectAttributes(S3Service&, Call&);
Result<http::Response> ObjectAcl(S3Service&, Call&);
// Copies: reads a source's plaintext [start, end) (opened with `src_keys`)
// into a new blob sealed with `dst_keys`.
Result<WrittenSegment> CopyBytes(S3Service& s, const ObjectRecord& src, const ObjectKeysPtr& src_keys, uint64_t start,
                                 uint64_t end, std::optional<crypto::ChecksumAlgorithm> alg, ObjectKeysPtr dst_keys);
// Parses x-amz-copy-source, authorizes the read, checks x-amz-copy-source-if-*.
Result<ObjectRecord> LoadCopySource(S3Service& s, Call& c, std::string* source_version);

// list_ops.cpp
Result<http::Response> ListObjects(S3Service&, Call&);  // V1 and V2
Result<http::Response> ListObjectVersions(S3Service&, Call&);

// multipart_ops.cpp
Result<http::Response> CreateMultipartUpload(S3Service&, Call&);
Result<std::unique_ptr<http::BodySink>> UploadPart(S3Service&, std::shared_ptr<Call>);
Result<http::Response> UploadPartCopy(S3Service&, Call&);
Result<http::Response> CompleteMultipartUpload(S3Service&, Call&);
Result<http::Response> AbortMultipartUpload(S3Service&, Call&);
Result<http::Response> ListParts(S3Service&, Call&);
Result<http::Response> ListMultipartUploads(S3Service&, Call&);

// A sink streaming the body into an ObjectWriter; `done` commits. The blob
// is deleted when `done` fails; everything is discarded when the sink is
// destroyed unfinished.
using UploadDone = std::function<Result<http::Response>(WrittenSegment&)>;
std::unique_ptr<http::BodySink> MakeUploadSink(S3Service& s, std::shared_ptr<Call> c,
                                               std::unique_ptr<ObjectWriter> writer, UploadDone done);
// The checksum algorithm a request asks to be computed (header, trailer or sdk header).
Result<std::optional<crypto::ChecksumAlgorithm>> RequestedChecksum(const Call& c);
// Verifies Content-MD5 and x-amz-checksum-* headers against what was written.
Status VerifyDigests(const Call& c, const WrittenSegment& w);

}  // namespace ck::services::s3
