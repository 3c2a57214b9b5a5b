// What the S3 operations share: the per-request Call, the typed reply forms
// an operation may return besides its output shape (a status or streamed
// body: Reply; a streamed upload: Upload), and the helpers every operation
// file uses (authorization, ACL headers, SSE, object descriptions,
// checksums). Not part of the service's interface.
//
// An operation is a function
//
//   Result<api::s3::GetBucketLocationOutput> GetBucketLocation(S3Service&, const api::s3::GetBucketLocationRequest&,
//                                                             Call&);
//
// registered in the endpoint table (operations.cpp); it reads the request
// from the typed input, and from the raw head only what the model does not
// describe (Origin, x-amz-trailer, the conditional and checksum header
// families).
//
// Thread safety: a Call belongs to one request; helpers are stateless.
#pragma once

#include <concepts>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "api/s3.h"
#include "base/codec.h"
#include "base/status.h"
#include "core/iam/context_keys.h"
#include "http/message.h"
#include "services/authorizer.h"
#include "services/s3/acl.h"
#include "services/s3/errors.h"
#include "services/s3/object_io.h"
#include "services/s3/records.h"
#include "services/s3/router.h"
#include "services/s3/s3_service.h"
#include "services/s3/sse_keys.h"
#include "services/service.h"

namespace ck::services::s3 {

// One request on its way through an operation.
struct Call {
  RequestContext ctx;
  const http::RequestHead* head = nullptr;
  const wire::ServiceModel* model = nullptr;  // S3's
  Route route;
  std::string_view action;     // the endpoint's IAM action (operations.cpp)
  std::string host_id;         // x-amz-id-2
  std::string warning_header;  // x-crosskey-warning (set only with --diagnostic-headers)
  // Headers an error answer carries (a delete marker's id on GET/HEAD).
  std::vector<std::pair<std::string, std::string>> error_headers;

  const Principal& principal() const { return ctx.principal; }
  const std::string& method() const { return head->method; }
  // A header the operation's model does not describe.
  std::optional<std::string_view> RawHeader(std::string_view name) const { return head->headers.Get(name); }
};

// An output with what its shape cannot say: a status other than the
// operation's, a streamed body and its length.
template <class Out>
struct Reply {
  Out out{};
  int status = 0;                          // 0: the operation's response code
  std::unique_ptr<http::BodySource> body;  // the streaming payload (GetObject)
  std::optional<uint64_t> content_length;  // the body's length (replaces the Content-Length member)
};

// A streamed upload: the writer the body goes into, and what runs once its
// blob is committed (the record's commit; the output).
template <class Out>
struct Upload {
  std::unique_ptr<ObjectWriter> writer;
  std::function<Result<Out>(WrittenSegment&)> commit;
  // The writer commits staged (WrittenSegment::blob_rows), and `commit` puts
  // those rows in the batch of its record (CommitConditions::blob_rows).
  bool staged = false;
};

// --- Access (access.cpp) ---
// Authorizes `action` on the bucket (key empty) or an object. Anonymous
// callers pass only through a public bucket policy the bucket's public
// access block does not restrict.
Status Authorize(S3Service& s, const Call& c, const BucketRecord& b, std::string_view action, const std::string& key,
                 core::iam::ContextKeys keys = {}, const ObjectRecord* object = nullptr);
// An object action for a request that names a version: s3:GetObject →
// s3:GetObjectVersion, s3:PutObjectTagging → s3:PutObjectVersionTagging.
inline std::string VersionedAction(std::string_view action, const std::string& version_id) {
  std::string a(action);
  if (!version_id.empty()) a.insert(a.find("Object") + 6, "Version");
  return a;
}
// The endpoint's own action.
inline Status Authorize(S3Service& s, const Call& c, const BucketRecord& b, const std::string& key = "") {
  return Authorize(s, c, b, c.action, key);
}
// The bucket and the endpoint's action on it (or on `key`).
Result<std::shared_ptr<const BucketRecord>> AuthorizedBucket(S3Service& s, const Call& c, const std::string& bucket,
                                                             const std::string& key = "");
// --- ACLs (acl.cpp) ---
// False under BucketOwnerEnforced.
bool AclsEnabled(const BucketRecord& b);
// The ACL in force: as set, the owner's FULL_CONTROL while unset, and the
// bucket owner's alone while ACLs are disabled.
api::s3::AccessControlPolicy BucketAcl(const BucketRecord& b);
api::s3::AccessControlPolicy ObjectAcl(const BucketRecord& b, const ObjectRecord& rec);
// The ACL members of an object write (PutObject, CopyObject,
// CreateMultipartUpload), checked before its body is read.
Status CheckWriteAcl(const Call& c, const BucketRecord& b, const acl::AclInput& in);
// The ACL such a write gives the object `owner` will own (nullopt: none to keep).
Result<std::optional<api::s3::AccessControlPolicy>> WriteAcl(const Call& c, const BucketRecord& b,
                                                             const acl::AclInput& in, const std::string& owner);
// PutObjectAcl's new ACL for `rec` (nullopt: a no-op under BucketOwnerEnforced).
Result<std::optional<api::s3::AccessControlPolicy>> ObjectAclToSet(const Call& c, const BucketRecord& b,
                                                                   const ObjectRecord& rec, const acl::AclInput& in);
// Whether the bucket's or object's ACL grants `request` (the policies did
// not): the grant evaluated as the resource policy it amounts to, with the
// owner of what it guards as the resource's account. `object`: the version
// the request names, if read already (else the current one is read).
Result<bool> AllowedByAcl(S3Service& s, const Call& c, const BucketRecord& b, const AuthzRequest& request,
                          const std::string& key, const ObjectRecord* object);

// The account that owns an object `c` writes into `b`.
std::string ObjectOwner(const Call& c, const BucketRecord& b,
                        const std::optional<EnumValue<api::s3::ObjectCannedACL>>& acl);

// --- Policy condition keys (access.cpp) ---
Result<std::vector<ObjectTag>> ParseTaggingHeader(const std::optional<std::string>& text);  // describe.cpp
// s3:ExistingObjectTag/<key> for each of an object's tags.
core::iam::ContextKeys ExistingTagKeys(const ObjectRecord& rec);
// s3:RequestObjectTag/<key> and s3:RequestObjectTagKeys of tags a request sets.
void AddRequestTagKeys(const std::vector<ObjectTag>& tags, core::iam::ContextKeys* keys);
// x-amz-copy-source as the s3:x-amz-copy-source key holds it: decoded, without a leading "/".
std::string CopySourceKey(const std::string& copy_source);
// The version of `key` a request names (a delete marker included) after
// authorizing `action` on it with its tags as s3:ExistingObjectTag/<key>
// (and `keys`). A missing key or version is answered only to a caller the
// action is allowed to (authorized without tags), AccessDenied otherwise.
Result<ObjectRecord> AuthorizedVersion(S3Service& s, const Call& c, const BucketRecord& b, std::string_view action,
                                       const std::string& key, const std::string& version_id,
                                       core::iam::ContextKeys keys = {});

// Policy condition keys of a write, from the request's members as sent:
// s3:x-amz-server-side-encryption(-aws-kms-key-id), the SSE-C algorithm,
// s3:x-amz-acl, s3:x-amz-grant-*, s3:x-amz-storage-class,
// s3:x-amz-copy-source, s3:x-amz-metadata-directive and the request's tags.
template <class In>
core::iam::ContextKeys WriteConditionKeys(const In& in) {
  // INFERRED (AWS-SEMANTICS §2.8): the keys carry the headers as sent, not the
  // bucket default and not a normalized key ARN; absent headers leave them unset.
  core::iam::ContextKeys keys;
  auto set = [&](const char* name, const std::optional<std::string>& v) {
    if (v) keys[name] = {*v};
  };
  if constexpr (requires { in.server_side_encryption; })
    if (in.server_side_encryption)
      keys["s3:x-amz-server-side-encryption"] = {std::string(in.server_side_encryption->str())};
  if constexpr (requires { in.ssekms_key_id; }) set("s3:x-amz-server-side-encryption-aws-kms-key-id", in.ssekms_key_id);
  if constexpr (requires { in.sse_customer_algorithm; })
    set("s3:x-amz-server-side-encryption-customer-algorithm", in.sse_customer_algorithm);
  if constexpr (requires { in.acl; })
    if (in.acl) keys["s3:x-amz-acl"] = {std::string(in.acl->str())};
  if constexpr (requires { in.grant_full_control; }) {
    set("s3:x-amz-grant-full-control", in.grant_full_control);
    set("s3:x-amz-grant-read", in.grant_read);
    set("s3:x-amz-grant-read-acp", in.grant_read_acp);
    set("s3:x-amz-grant-write-acp", in.grant_write_acp);
  }
  if constexpr (requires { in.grant_write; }) set("s3:x-amz-grant-write", in.grant_write);
  if constexpr (requires { in.storage_class; })
    if (in.storage_class) keys["s3:x-amz-storage-class"] = {std::string(in.storage_class->str())};
  if constexpr (requires { in.copy_source; }) keys["s3:x-amz-copy-source"] = {CopySourceKey(in.copy_source)};
  if constexpr (requires { in.metadata_directive; })
    if (in.metadata_directive) keys["s3:x-amz-metadata-directive"] = {std::string(in.metadata_directive->str())};
  if constexpr (requires {
                  { in.tagging } -> std::convertible_to<const std::optional<std::string>&>;
                }) {
    if (auto tags = ParseTaggingHeader(in.tagging); tags.ok() && !tags->empty()) AddRequestTagKeys(*tags, &keys);
  }
  return keys;
}

// --- Server-side encryption (sse_ops.cpp) ---
SseCaller SseCallerFor(const Call& c, const BucketRecord& b);
// Validates the request's SSE members, picks the encryption (request over
// bucket default) and obtains the new object's keys (KMS as the requester).
Result<SseWrite> PrepareSseWrite(S3Service& s, Call& c, const BucketRecord& b, const std::string& key,
                                 const SseWriteMembers& members);
// The keys to read a stored object (or upload) with the request's SSE-C key.
Result<ObjectKeysPtr> SseReadKeys(S3Service& s, const Call& c, const BucketRecord& b,
                                  const std::optional<StoredSse>& encryption, const CustomerKeyMembers& customer);
// A non-MD5 ETag for SSE-KMS / SSE-C single-part objects, as S3 gives them.
std::string OpaqueEtag(const std::string& md5_raw);

// --- Objects (describe.cpp) ---
std::string Quoted(const std::string& etag);
std::string Unquoted(std::string_view etag);
api::s3::Owner OwnerOf(const std::string& account);
// Epoch seconds with millisecond precision, as object times are kept.
double NowMillis(S3Service& s);
// The checksum member of `shape` for an algorithm name ("CRC32" → checksum_crc32), or null.
template <class Shape>
auto ChecksumMember(Shape& shape, std::string_view algorithm) -> decltype(&shape.checksum_crc32) {
  if (algorithm == "CRC32") return &shape.checksum_crc32;
  if (algorithm == "CRC32C") return &shape.checksum_crc32_c;
  if (algorithm == "CRC64NVME") return &shape.checksum_crc64_nvme;
  if (algorithm == "SHA1") return &shape.checksum_sha1;
  if (algorithm == "SHA256") return &shape.checksum_sha256;
  return nullptr;
}
template <class Out>
void SetChecksum(Out* out, std::string_view algorithm, const std::string& value) {
  if (auto* m = ChecksumMember(*out, algorithm)) *m = value;
}
// The record's headers, metadata, size, ETag, time, version, storage class,
// tag count, SSE and (with `with_checksum`) checksum, on a Get/HeadObject output.
template <class Out>
void DescribeObject(const ObjectRecord& o, Out* out, bool with_checksum);
// The standard headers of a write (ContentEncoding without aws-chunked).
template <class In>
StoredHeaders StandardHeaders(const In& in, const Call& c);
std::optional<std::string> WithoutAwsChunked(const std::optional<std::string>& content_encoding);
// x-amz-tagging ("k1=v1&k2=v2"): URL-encoded UTF-8, then CheckObjectTags.
Result<std::vector<ObjectTag>> ParseTaggingHeader(const std::optional<std::string>& text);
// Object tags: at most 10; keys of 1 to 128 and values of up to 256
// characters of letters, digits, spaces and _.:/=+-@; no duplicate keys and
// no "aws:" prefix. S3's InvalidTag (naming TagKey, and TagValue) or
// BadRequest otherwise (docs/limits.md).
Status CheckObjectTags(const std::vector<ObjectTag>& tags);
// Bucket tags: at most 50, the same characters and lengths as object tags,
// no duplicate keys, no "aws:" prefix (worded as CreateBucket or
// PutBucketTagging words it, `creating`), MalformedXML for a tag without a key.
Status CheckBucketTags(const std::vector<ObjectTag>& tags, bool creating);
// User metadata (x-amz-meta-*): at most 2 KB of names (without the prefix)
// and values, or MetadataTooLarge.
Status CheckUserMetadata(const std::optional<std::map<std::string, std::string>>& metadata);
Status CheckStorageClass(const std::optional<EnumValue<api::s3::StorageClass>>& sc);
// User metadata values as S3 keeps and shows them (RFC 2047): UTF-8 encoded
// words ("=?UTF-8?B?...?=", "=?UTF-8?Q?...?=") are decoded on the way in; on
// the way out a value with non-ASCII or control characters is encoded, as Q
// ("=?UTF-8?Q?=C3=84M_S3?=") unless it has characters that cannot be shown
// (controls, U+FFFD), then as B.
std::string DecodeMetadataValue(const std::string& value);
std::string EncodeMetadataValue(const std::string& value);
std::map<std::string, std::string> DecodeUserMetadata(const std::optional<std::map<std::string, std::string>>& in);

// --- Conditional writes (object.cpp) ---
// If-None-Match / If-Match of a write (PutObject, CopyObject,
// CompleteMultipartUpload): S3 takes If-None-Match only as "*" and If-Match
// only as an ETag, never both (501 NotImplemented naming the header).
Status CheckWriteConditionHeaders(const std::optional<std::string>& if_none_match,
                                  const std::optional<std::string>& if_match);
CommitConditions WriteConditions(const std::optional<std::string>& if_none_match,
                                 const std::optional<std::string>& if_match);

// --- Uploads (checksums.cpp) ---
// A streamed body must declare its length (MissingContentLength; 501
// NotImplemented naming Transfer-Encoding when it is sent chunked without
// one), at most `max` (EntityTooLarge).
Status CheckContentLength(const Call& c, uint64_t max);
// The checksum algorithm a request asks to be computed (header, trailer or sdk header).
Result<std::optional<crypto::ChecksumAlgorithm>> RequestedChecksum(const Call& c);
// Verifies Content-MD5 and x-amz-checksum-* headers against what was written.
Status VerifyDigests(const Call& c, const WrittenSegment& w);

// --- Listing (list.cpp) ---
// encoding-type: absent or "url" (InvalidArgument otherwise, an empty value too).
Status CheckEncodingType(const std::optional<EnumValue<api::s3::EncodingType>>& encoding_type);

// --- CORS (cors.cpp) ---
Result<http::Response> Preflight(S3Service& s, Call& c);
void ApplyCors(S3Service& s, const Call& c, http::Response* r);

// --- Copies (object.cpp) ---
struct CopySource {
  std::shared_ptr<const BucketRecord> bucket;
  ObjectRecord rec;
  std::string version_id;  // CopySourceVersionId to answer ("" when the source bucket is unversioned)
};
// Parses CopySource, authorizes the read, checks x-amz-copy-source-if-*.
Result<CopySource> LoadCopySource(S3Service& s, Call& c, const std::string& copy_source);

// --- Templates ---

template <class In>
StoredHeaders StandardHeaders(const In& in, const Call& c) {
  StoredHeaders h;
  h.content_type = in.content_type;
  h.content_encoding = WithoutAwsChunked(in.content_encoding);
  h.content_disposition = in.content_disposition;
  h.content_language = in.content_language;
  h.cache_control = in.cache_control;
  h.website_redirect_location = in.website_redirect_location;
  // Expires is kept as sent; a read shows it when it is an HTTP date.
  if (auto expires = c.RawHeader("expires")) h.expires = std::string(*expires);
  return h;
}

template <class Out>
void DescribeObject(const ObjectRecord& o, Out* out, bool with_checksum) {
  out->e_tag = Quoted(o.etag);
  out->last_modified = FromEpochSeconds(o.mtime);
  out->content_length = static_cast<int64_t>(o.size);
  if (o.version_id != "null") out->version_id = o.version_id;
  out->content_type = o.headers.content_type.value_or("binary/octet-stream");
  out->content_encoding = o.headers.content_encoding;
  out->content_disposition = o.headers.content_disposition;
  out->content_language = o.headers.content_language;
  out->cache_control = o.headers.cache_control;
  out->website_redirect_location = o.headers.website_redirect_location;
  if (o.headers.expires)
    if (auto t = ParseHttpDate(*o.headers.expires)) out->expires = *t;
  if (!o.metadata.empty()) {
    auto& shown = out->metadata.emplace();
    for (const auto& [name, value] : o.metadata) shown[name] = EncodeMetadataValue(value);
  }
  if (o.storage_class != "STANDARD") out->storage_class = EnumValue<api::s3::StorageClass>::Parse(o.storage_class);
  if (!o.tags.empty()) out->tag_count = static_cast<int32_t>(o.tags.size());
  SetSse(DescribeSse(o.encryption), out);
  if constexpr (requires { out->object_lock_mode; }) {
    if (!o.lock.mode.empty()) {
      out->object_lock_mode = EnumValue<api::s3::ObjectLockMode>::Parse(o.lock.mode);
      out->object_lock_retain_until_date = FromEpochSeconds(o.lock.until);
    }
    if (!o.lock.legal_hold.empty())
      out->object_lock_legal_hold_status = EnumValue<api::s3::ObjectLockLegalHoldStatus>::Parse(o.lock.legal_hold);
  }
  if (with_checksum && !o.checksum_algorithm.empty()) {
    SetChecksum(out, o.checksum_algorithm, o.checksum);
    if (!o.checksum_type.empty()) out->checksum_type = EnumValue<api::s3::ChecksumType>::Parse(o.checksum_type);
  }
}

}  // namespace ck::services::s3
