// Object operations: PutObject (streamed), Get/HeadObject (ranges, parts,
// conditions, response overrides), CopyObject, DeleteObject(s).
#include <algorithm>
#include <cmath>

#include "base/codec.h"
#include "services/s3/ops/bucket_configs.h"
#include "services/s3/ops/object_lock.h"
#include "services/s3/ops/ops.h"

namespace ck::services::s3 {

namespace {

constexpr uint64_t kMaxSinglePut = 5ull * 1024 * 1024 * 1024;

// --- Writes ---

// Fills a new record's descriptive fields from a PutObject / CopyObject request.
template <class In>
Status FillFromRequest(const In& in, const Call& c, const BucketRecord& b, ObjectRecord* rec) {
  rec->key = in.key;
  rec->owner = ObjectOwner(c, b, in.acl);
  CK_ASSIGN_OR_RETURN(rec->acl, WriteAcl(c, b, acl::InputOf(in), rec->owner));
  rec->writer = c.principal().arn;
  rec->request_id = c.ctx.request_id;
  rec->headers = StandardHeaders(in, c);
  CK_RETURN_IF_ERROR(CheckUserMetadata(in.metadata));
  rec->metadata = DecodeUserMetadata(in.metadata);
  CK_ASSIGN_OR_RETURN(rec->tags, ParseTaggingHeader(in.tagging));
  CK_RETURN_IF_ERROR(CheckStorageClass(in.storage_class));
  if (in.storage_class && !in.storage_class->str().empty()) rec->storage_class = std::string(in.storage_class->str());
  return Status::Ok();
}

// Sets the data of a record from the blob written for it.
void SetData(ObjectRecord* rec, const WrittenSegment& w, std::optional<crypto::ChecksumAlgorithm> alg, double now) {
  rec->size = w.segment.size;
  rec->etag = EtagIsNotMd5(rec->encryption) ? OpaqueEtag(w.md5_raw) : w.segment.md5_hex;
  rec->segments = {w.segment};
  rec->mtime = now;
  if (alg) {
    rec->checksum_algorithm = crypto::ChecksumAlgorithmName(*alg);
    rec->checksum = w.segment.checksum;
    rec->checksum_type = "FULL_OBJECT";
  }
}

api_s3::PutObjectOutput PutOutput(const ObjectRecord& rec) {
  api_s3::PutObjectOutput out;
  out.e_tag = Quoted(rec.etag);
  if (rec.version_id != "null") out.version_id = rec.version_id;
  SetSse(DescribeSse(rec.encryption, /*write=*/true), &out);
  if (!rec.checksum_algorithm.empty()) {
    SetChecksum(&out, rec.checksum_algorithm, rec.checksum);
    out.checksum_type = EnumValue<api_s3::ChecksumType>::Parse(rec.checksum_type);
  }
  return out;
}

// --- Reads ---

// ETag comparison as S3 does it: quotes optional, "*" matches anything.
bool EtagMatches(std::string_view header, const std::string& etag) {
  size_t pos = 0;
  while (pos <= header.size()) {
    size_t comma = header.find(',', pos);
    std::string one = Unquoted(header.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos));
    if (one == "*" || one == etag) return true;
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  return false;
}

// The conditional headers of a read, or of a copy's source. They are read as
// RFC 7232 defines them (HTTP dates only; a date that does not parse is
// ignored), not through the model's lenient timestamp decoding.
struct ConditionHeaders {
  const char* if_match;
  const char* if_none_match;
  const char* if_modified_since;
  const char* if_unmodified_since;
  const char* condition_prefix;  // for PreconditionFailed's Condition
};
constexpr ConditionHeaders kObjectConditions{"if-match", "if-none-match", "if-modified-since", "if-unmodified-since",
                                             ""};
constexpr ConditionHeaders kCopySourceConditions{"x-amz-copy-source-if-match", "x-amz-copy-source-if-none-match",
                                                 "x-amz-copy-source-if-modified-since",
                                                 "x-amz-copy-source-if-unmodified-since", "x-amz-copy-source-"};

enum class ReadCondition { kProceed, kNotModified };

// A date later than `now` in If-Modified-Since is not a valid condition
// (RFC 7232 3.3) and is ignored, as S3 ignores it (recorded on AWS).
Result<ReadCondition> CheckReadConditions(const Call& c, const ObjectRecord& rec, const ConditionHeaders& h,
                                          double now) {
  double mtime = std::floor(rec.mtime);
  auto when = [&](const char* name) -> std::optional<double> {
    auto v = c.RawHeader(name);
    if (!v) return std::nullopt;
    auto t = ParseHttpDate(Trim(*v));
    if (!t) return std::nullopt;
    return ToEpochSeconds(*t);
  };
  std::string prefix = h.condition_prefix;
  auto if_match = c.RawHeader(h.if_match);
  auto if_none = c.RawHeader(h.if_none_match);
  if (if_match) {
    if (!EtagMatches(*if_match, rec.etag)) return errors::FailedCondition(prefix + "If-Match");
  } else if (auto t = when(h.if_unmodified_since); t && mtime > *t) {
    return errors::FailedCondition(prefix + "If-Unmodified-Since");
  }
  bool not_modified = false;
  if (if_none) {
    not_modified = EtagMatches(*if_none, rec.etag);
  } else if (auto t = when(h.if_modified_since); t && mtime <= *t && *t <= now) {
    not_modified = true;
  }
  if (!not_modified) return ReadCondition::kProceed;
  if (!prefix.empty()) return errors::FailedCondition(prefix + (if_none ? "If-None-Match" : "If-Modified-Since"));
  return ReadCondition::kNotModified;
}

struct ByteRange {
  uint64_t start = 0, end = 0;  // [start, end)
};

// nullopt: no (usable) Range header. Error: unsatisfiable.
Result<std::optional<ByteRange>> ParseRange(const std::string& header, uint64_t size) {
  using Range = std::optional<ByteRange>;
  std::string_view h = Trim(header);
  if (!StartsWith(h, "bytes=")) return Range();
  h.remove_prefix(6);
  if (h.find(',') != std::string_view::npos) return Range();  // multiple ranges: whole object
  size_t dash = h.find('-');
  if (dash == std::string_view::npos) return Range();
  std::string a(Trim(h.substr(0, dash))), b(Trim(h.substr(dash + 1)));
  auto num = [](const std::string& t) -> std::optional<uint64_t> {
    if (t.empty() || t.size() > 19 || !std::all_of(t.begin(), t.end(), ::isdigit)) return std::nullopt;
    return std::stoull(t);
  };
  auto unsatisfiable = [&] {
    return errors::InvalidRange("The requested range is not satisfiable")
        .WithField("RangeRequested", header)
        .WithField("ActualObjectSize", std::to_string(size));
  };
  if (a.empty()) {
    auto n = num(b);
    if (!n) return Range();
    if (*n == 0 || size == 0) return unsatisfiable();
    uint64_t len = std::min(*n, size);
    return Range(ByteRange{size - len, size});
  }
  auto first = num(a);
  if (!first) return Range();
  uint64_t last = size ? size - 1 : 0;
  if (!b.empty()) {
    auto l = num(b);
    if (!l || *l < *first) return Range();
    last = std::min(*l, last);
  }
  if (*first >= size) return unsatisfiable();
  return Range(ByteRange{*first, last + 1});
}

// What part of an object a read returns: a part (partNumber), a Range, or all of it.
struct ReadSpan {
  uint64_t start = 0, end = 0;
  bool partial = false;
  bool whole_object_checksum = true;  // the full-object checksum applies
};

Result<ReadSpan> SpanOf(const ObjectRecord& rec, const std::optional<int32_t>& part_number,
                        const std::optional<std::string>& range) {
  ReadSpan span{0, rec.size, false, true};
  if (part_number) {
    int n = *part_number;
    if (range && !range->empty())
      return errors::InvalidRequest("Cannot specify both Range header and partNumber query parameter");
    int count = std::max(rec.parts_count, 1);
    if (n < 1 || n > 10000)
      return errors::BadArgument("Part number must be an integer between 1 and 10000, inclusive", "partNumber",
                                 std::to_string(n));
    if (n > count)
      return errors::InvalidPartNumber("The requested partnumber is not satisfiable")
          .WithField("PartNumberRequested", std::to_string(n))
          .WithField("ActualPartCount", std::to_string(count));
    if (rec.parts_count > 0) {
      for (int i = 0; i < n - 1; ++i) span.start += rec.segments[i].size;
      span.end = span.start + rec.segments[n - 1].size;
    }
    span.partial = true;
    span.whole_object_checksum = rec.parts_count == 0;
  } else if (range && !range->empty()) {
    CK_ASSIGN_OR_RETURN(auto r, ParseRange(*range, rec.size));
    // A range that covers the whole object carries the object's checksum.
    if (r) span = ReadSpan{r->start, r->end, true, r->start == 0 && r->end == rec.size};
  }
  return span;
}

// A read that found a delete marker: 404 NoSuchKey (405 when the marker was
// asked for by version), with the marker's headers.
Status DeleteMarkerAnswer(Call& c, const ObjectRecord& dm, const std::string& key, bool by_version) {
  c.error_headers = {{"x-amz-delete-marker", "true"}, {"x-amz-version-id", dm.version_id}};
  if (!by_version) return errors::MissingKey(key);
  c.error_headers.emplace_back("Last-Modified", FormatHttpDate(FromEpochSeconds(dm.mtime)));
  return errors::MethodNotAllowedFor(c.method(), "DeleteMarker");
}

// The response overrides of a GET (response-content-type, ...): refused to
// anonymous callers, else they replace the stored headers.
template <class In>
Status CheckOverrides(const In& in, const Call& c) {
  bool any = in.response_content_type || in.response_content_language || in.response_expires ||
             in.response_cache_control || in.response_content_disposition || in.response_content_encoding;
  if (any && c.principal().is_anonymous())
    return errors::InvalidRequest("Request specific response headers cannot be used for anonymous GET requests.");
  return Status::Ok();
}

template <class In, class Out>
void ApplyOverrides(const In& in, Out* out) {
  auto set = [](auto& member, const auto& value) {
    if (value) member = *value;
  };
  set(out->content_type, in.response_content_type);
  set(out->content_language, in.response_content_language);
  set(out->cache_control, in.response_cache_control);
  set(out->content_disposition, in.response_content_disposition);
  set(out->content_encoding, in.response_content_encoding);
  set(out->expires, in.response_expires);
}

// GetObject and HeadObject: the same checks and headers; GET decrypts (KMS
// Decrypt as the reader) and streams, HEAD does not call KMS (INFERRED,
// AWS-SEMANTICS case 45).
template <class In, class Out>
Result<Reply<Out>> ReadObject(S3Service& s, const In& in, Call& c, bool get) {
  std::string vid = in.version_id.value_or("");
  CK_ASSIGN_OR_RETURN(auto b, s.store().Bucket(in.bucket));
  CK_ASSIGN_OR_RETURN(auto rec, AuthorizedVersion(s, c, *b, VersionedAction(c.action, vid), in.key, vid));
  CK_RETURN_IF_ERROR(RejectSseOnRead(c.head->headers));
  if (rec.delete_marker) return DeleteMarkerAnswer(c, rec, in.key, !vid.empty());
  CK_ASSIGN_OR_RETURN(auto customer, ParseCustomerKey(CustomerKeyOf(in), /*reading=*/true));
  CK_RETURN_IF_ERROR(SseKeys::CheckCustomer(rec.encryption, customer));
  Reply<Out> reply;
  CK_ASSIGN_OR_RETURN(auto condition, CheckReadConditions(c, rec, kObjectConditions, NowMillis(s)));
  if (condition == ReadCondition::kNotModified) {
    reply.status = 304;
    reply.out.e_tag = Quoted(rec.etag);
    reply.out.last_modified = FromEpochSeconds(rec.mtime);
    return reply;
  }
  Out& out = reply.out;
  CK_RETURN_IF_ERROR(CheckOverrides(in, c));
  CK_ASSIGN_OR_RETURN(auto span, SpanOf(rec, in.part_number, in.range));
  bool checksum = in.checksum_mode && ToLower(in.checksum_mode->str()) == "enabled";  // any case, as S3 reads it
  DescribeObject(rec, &out, checksum && span.whole_object_checksum);
  out.expiration = ExpirationOf(*b, rec);
  // A bucket with versioning configured shows the null version's id too (recorded on AWS).
  if (b->versioned()) out.version_id = rec.version_id;
  out.accept_ranges = "bytes";
  out.content_length = static_cast<int64_t>(span.end - span.start);
  if (span.partial)
    out.content_range = "bytes " + std::to_string(span.start) + "-" + std::to_string(span.end ? span.end - 1 : 0) +
                        "/" + std::to_string(rec.size);
  if (rec.parts_count > 0 && in.part_number) out.parts_count = rec.parts_count;
  ApplyOverrides(in, &out);
  if (span.partial) reply.status = 206;
  reply.content_length = span.end - span.start;
  if (get) {
    CK_ASSIGN_OR_RETURN(auto keys, s.sse().ForRead(rec.encryption, SseCallerFor(c, *b), customer));
    if (span.end > span.start) {
      CK_ASSIGN_OR_RETURN(reply.body, s.store().NewReader(rec, std::move(keys), span.start, span.end));
    }
  }
  return reply;
}

// --- Copies ---

struct SourceName {
  std::string bucket, key, version_id;
};

Result<SourceName> ParseCopySource(const std::string& raw) {
  std::string v = raw;
  std::string version;
  if (size_t q = v.find("?versionId="); q != std::string::npos) {
    version = v.substr(q + 11);
    v = v.substr(0, q);
  }
  auto decoded = UriDecode(v);
  if (!decoded) return errors::BadArgument("Invalid copy source encoding", "x-amz-copy-source", raw);
  std::string path = *decoded;
  if (StartsWith(path, "/")) path = path.substr(1);
  size_t slash = path.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 >= path.size())
    return errors::BadArgument("Invalid copy source object key", "x-amz-copy-source", "x-amz-copy-source");
  return SourceName{path.substr(0, slash), path.substr(slash + 1), version};
}

// --- Deletes ---

struct Deleted {
  bool delete_marker = false;
  std::optional<std::string> version_id;
};

// Deletes one key (a delete marker in a versioned bucket) or one version,
// unless Object Lock protects it (`bypass`: governance retention is bypassed).
Result<Deleted> DeleteOne(S3Service& s, Call& c, const BucketRecord& b, const std::string& key,
                          const std::string& version_id, bool bypass) {
  Deleted out;
  if (!version_id.empty()) {
    std::function<Status(const ObjectRecord&)> guard;
    if (b.object_lock_enabled()) {
      double now = NowMillis(s);
      guard = [now, bypass](const ObjectRecord& r) {
        return r.delete_marker ? Status::Ok() : CheckDeletable(r.lock, now, bypass);
      };
    }
    CK_ASSIGN_OR_RETURN(auto removed, s.store().DeleteVersion(b, key, version_id, guard));
    out.version_id = version_id;
    out.delete_marker = removed && removed->delete_marker;
    return out;
  }
  if (!b.versioned()) {
    CK_RETURN_IF_ERROR(s.store().DeleteUnversioned(b, key));
    return out;
  }
  ObjectRecord dm;
  dm.key = key;
  dm.delete_marker = true;
  // A DELETE has no modelled ACL; the marker's owner follows x-amz-acl as sent.
  auto acl = c.RawHeader("x-amz-acl");
  dm.owner = ObjectOwner(c, b, acl ? std::optional(EnumValue<api_s3::ObjectCannedACL>::Parse(*acl)) : std::nullopt);
  dm.mtime = NowMillis(s);
  CK_RETURN_IF_ERROR(s.store().Commit(b, dm));
  out.delete_marker = true;
  out.version_id = dm.version_id;
  return out;
}

}  // namespace

Status CheckWriteConditionHeaders(const std::optional<std::string>& if_none_match,
                                  const std::optional<std::string>& if_match) {
  auto refuse = [](const std::string& header, const std::string& why) {
    return errors::Unsupported(header).WithField("additionalMessage", why);
  };
  if (if_none_match && if_match)
    return refuse("If-Match,If-None-Match", "Multiple conditional request headers present in the request");
  if (if_none_match && Trim(*if_none_match) != "*")
    return refuse("If-None-Match", "We don't accept the provided value of If-None-Match header for this API");
  if (if_match && Trim(*if_match) == "*")
    return refuse("If-Match", "We don't accept the provided value of If-Match header for this API");
  return Status::Ok();
}

CommitConditions WriteConditions(const std::optional<std::string>& if_none_match,
                                 const std::optional<std::string>& if_match) {
  CommitConditions cond;
  cond.if_none_match_star = if_none_match && Trim(*if_none_match) == "*";
  if (if_match) cond.if_match = std::string(Trim(*if_match));
  return cond;
}

Result<Upload<api_s3::PutObjectOutput>> PutObject(S3Service& s, const api_s3::PutObjectRequest& in, Call& c) {
  CK_ASSIGN_OR_RETURN(auto b, s.store().Bucket(in.bucket));
  CK_RETURN_IF_ERROR(Authorize(s, c, *b, c.action, in.key, WriteConditionKeys(in)));
  CK_RETURN_IF_ERROR(CheckWriteAcl(c, *b, acl::InputOf(in)));
  if (in.key.size() > 1024) return errors::KeyTooLongError("Your key is too long");
  CK_RETURN_IF_ERROR(CheckContentLength(c, kMaxSinglePut));
  CK_ASSIGN_OR_RETURN(auto alg, RequestedChecksum(c));
  CK_RETURN_IF_ERROR(CheckWriteConditionHeaders(in.if_none_match, in.if_match));
  CommitConditions cond = WriteConditions(in.if_none_match, in.if_match);
  if (in.if_none_match) {
    CK_ASSIGN_OR_RETURN(auto cur, s.store().Current(b->name, in.key));
    if (cur) return errors::FailedCondition("If-None-Match");  // fail before reading the body
  }
  ObjectRecord rec;
  CK_RETURN_IF_ERROR(FillFromRequest(in, c, *b, &rec));
  LockHeaders lock = LockHeadersOf(in);
  CK_ASSIGN_OR_RETURN(rec.lock, WriteLock(s, c, *b, in.key, lock));
  if (lock.any()) CK_RETURN_IF_ERROR(RequireIntegrityHeader(c));
  // KMS is called (as the requester) before the body is read, as S3 does.
  CK_ASSIGN_OR_RETURN(auto sse, PrepareSseWrite(s, c, *b, in.key, SseMembersOf(in)));
  rec.encryption = sse.stored;
  Upload<api_s3::PutObjectOutput> upload;
  // The ETag of an SSE-KMS, DSSE or SSE-C object is not its MD5: without a
  // Content-MD5 to check, the MD5 is not computed.
  const bool md5 = !EtagIsNotMd5(rec.encryption) || c.RawHeader("content-md5").has_value();
  CK_ASSIGN_OR_RETURN(upload.writer, s.store().NewWriter(alg, sse.keys, /*crc64nvme=*/false, md5));
  S3Service* sp = &s;
  upload.staged = true;
  upload.commit = [sp, &c, b, rec, alg, cond](WrittenSegment& w) mutable -> Result<api_s3::PutObjectOutput> {
    CK_RETURN_IF_ERROR(VerifyDigests(c, w));
    SetData(&rec, w, alg, NowMillis(*sp));
    ApplyDefaultRetention(*b, rec.mtime, &rec.lock);
    cond.blob_rows = &w.blob_rows;
    CK_RETURN_IF_ERROR(sp->store().Commit(*b, rec, cond));
    auto out = PutOutput(rec);
    out.expiration = ExpirationOf(*b, rec);
    return out;
  };
  return upload;
}

Result<Reply<api_s3::GetObjectOutput>> GetObject(S3Service& s, const api_s3::GetObjectRequest& in, Call& c) {
  return ReadObject<api_s3::GetObjectRequest, api_s3::GetObjectOutput>(s, in, c, /*get=*/true);
}

Result<Reply<api_s3::HeadObjectOutput>> HeadObject(S3Service& s, const api_s3::HeadObjectRequest& in, Call& c) {
  return ReadObject<api_s3::HeadObjectRequest, api_s3::HeadObjectOutput>(s, in, c, /*get=*/false);
}

Result<CopySource> LoadCopySource(S3Service& s, Call& c, const std::string& copy_source) {
  CK_ASSIGN_OR_RETURN(auto src, ParseCopySource(copy_source));
  CopySource out;
  CK_ASSIGN_OR_RETURN(out.bucket, s.store().Bucket(src.bucket));
  CK_RETURN_IF_ERROR(Authorize(s, c, *out.bucket, VersionedAction("s3:GetObject", src.version_id), src.key));
  CK_ASSIGN_OR_RETURN(out.rec, s.store().Version(*out.bucket, src.key, src.version_id));
  if (out.rec.delete_marker) {
    if (!src.version_id.empty())
      return errors::InvalidRequest(
          "The source of a copy request may not specifically refer to a delete marker by version id.");
    return errors::MissingKey(src.key);
  }
  CK_RETURN_IF_ERROR(CheckReadConditions(c, out.rec, kCopySourceConditions, NowMillis(s)).status());
  out.version_id = out.bucket->versioned() ? out.rec.version_id : "";
  return out;
}

namespace {

// CopyObject's checks of the request against its source.
Status CheckCopy(const api_s3::CopyObjectRequest& in, const BucketRecord& dst, const CopySource& src,
                 std::string_view md, std::string_view td) {
  if (md != "COPY" && md != "REPLACE")
    return errors::BadArgument("Unknown metadata directive.", "x-amz-metadata-directive", std::string(md));
  if (td != "COPY" && td != "REPLACE")
    return errors::BadArgument("Unknown tagging directive.", "x-amz-tagging-directive", std::string(td));
  bool same = src.bucket->name == in.bucket && src.rec.key == in.key;
  // A bucket's default encryption (configured, or SSE-S3 over another
  // encryption) re-encrypts the copy, which makes it a change (recorded on AWS).
  bool reencrypts = dst.encryption || (src.rec.encryption && src.rec.encryption->sse != kSseS3);
  if (same && md == "COPY" && !in.storage_class && !in.website_redirect_location && !in.server_side_encryption &&
      !in.sse_customer_algorithm && !reencrypts)
    return errors::InvalidRequest(
        "This copy request is illegal because it is trying to copy an object to itself without changing the "
        "object's metadata, storage class, website redirect location or encryption attributes.");
  if (src.rec.size > kMaxSinglePut)
    return errors::InvalidRequest(
        "The specified copy source is larger than the maximum allowable size for a copy source: 5368709120");
  return Status::Ok();
}

api_s3::CopyObjectOutput CopyOutput(const BucketRecord& b, const ObjectRecord& rec, const CopySource& src) {
  api_s3::CopyObjectOutput out;
  auto& result = out.copy_object_result.emplace();
  result.e_tag = Quoted(rec.etag);
  result.last_modified = FromEpochSeconds(rec.mtime);
  if (!rec.checksum_algorithm.empty()) {
    SetChecksum(&result, rec.checksum_algorithm, rec.checksum);
    result.checksum_type = api_s3::ChecksumType::kFullObject;
  }
  SetSse(DescribeSse(rec.encryption, /*write=*/true), &out);
  // A copy into a suspended bucket answers the null version's id (PutObject does not; recorded on AWS).
  if (rec.version_id != "null" || b.versioned()) out.version_id = rec.version_id;
  if (!src.version_id.empty()) out.copy_source_version_id = src.version_id;
  out.expiration = ExpirationOf(b, rec);
  return out;
}

}  // namespace

Result<api_s3::CopyObjectOutput> CopyObject(S3Service& s, const api_s3::CopyObjectRequest& in, Call& c) {
  CK_ASSIGN_OR_RETURN(auto b, s.store().Bucket(in.bucket));
  CK_RETURN_IF_ERROR(Authorize(s, c, *b, c.action, in.key, WriteConditionKeys(in)));
  CK_RETURN_IF_ERROR(CheckWriteAcl(c, *b, acl::InputOf(in)));
  CK_RETURN_IF_ERROR(CheckWriteConditionHeaders(in.if_none_match, in.if_match));
  CK_ASSIGN_OR_RETURN(auto src, LoadCopySource(s, c, in.copy_source));
  std::string_view md = in.metadata_directive ? in.metadata_directive->str() : "COPY";
  std::string_view td = in.tagging_directive ? in.tagging_directive->str() : "COPY";
  CK_RETURN_IF_ERROR(CheckCopy(in, *b, src, md, td));

  ObjectRecord rec;
  CK_RETURN_IF_ERROR(FillFromRequest(in, c, *b, &rec));
  // The copy's lock is the request's (or the bucket default), never the source's (recorded on AWS).
  CK_ASSIGN_OR_RETURN(rec.lock, WriteLock(s, c, *b, in.key, LockHeadersOf(in)));
  if (md == "COPY") {
    rec.headers = src.rec.headers;
    rec.metadata = src.rec.metadata;
  }
  if (td == "COPY") rec.tags = src.rec.tags;
  if (!in.storage_class) rec.storage_class = "STANDARD";
  std::optional<crypto::ChecksumAlgorithm> alg;
  if (in.checksum_algorithm)
    alg = crypto::ParseChecksumAlgorithm(in.checksum_algorithm->str());
  else if (!src.rec.checksum_algorithm.empty())
    alg = crypto::ParseChecksumAlgorithm(src.rec.checksum_algorithm);
  // Source: Decrypt as the requester (with the copy-source SSE-C key); destination:
  // the request's SSE headers, else the destination bucket's default.
  CK_ASSIGN_OR_RETURN(auto src_keys, SseReadKeys(s, c, *src.bucket, src.rec.encryption, CopySourceCustomerKeyOf(in)));
  CK_ASSIGN_OR_RETURN(auto sse, PrepareSseWrite(s, c, *b, in.key, SseMembersOf(in)));
  rec.encryption = sse.stored;
  CK_ASSIGN_OR_RETURN(auto w, s.store().Copy(src.rec, src_keys, 0, src.rec.size, alg, sse.keys));
  SetData(&rec, w, alg, NowMillis(s));
  ApplyDefaultRetention(*b, rec.mtime, &rec.lock);
  if (Status st = s.store().Commit(*b, rec, WriteConditions(in.if_none_match, in.if_match)); !st.ok()) {
    s.store().Release(rec.segments);
    return st;
  }
  return CopyOutput(*b, rec, src);
}

Result<api_s3::DeleteObjectOutput> DeleteObject(S3Service& s, const api_s3::DeleteObjectRequest& in, Call& c) {
  CK_ASSIGN_OR_RETURN(auto b, s.store().Bucket(in.bucket));
  std::string vid = in.version_id.value_or("");
  CK_RETURN_IF_ERROR(Authorize(s, c, *b, VersionedAction(c.action, vid), in.key));
  // General purpose buckets take If-Match on DELETE, not its size and time forms (recorded on AWS).
  if (in.if_match_last_modified_time) return errors::Unsupported("x-amz-if-match-last-modified-time");
  if (in.if_match_size) return errors::Unsupported("x-amz-if-match-size");
  CK_RETURN_IF_ERROR(CheckBypassHeader(*b, in.bypass_governance_retention));
  if (in.if_match) {
    CK_ASSIGN_OR_RETURN(auto cur, s.store().Version(*b, in.key, vid));
    if (cur.delete_marker) return errors::MissingKey(in.key);
    if (Trim(*in.if_match) != "*" && Unquoted(*in.if_match) != cur.etag) return errors::FailedCondition("If-Match");
  }
  bool bypass = BypassesGovernance(s, c, *b, in.key, in.bypass_governance_retention);
  CK_ASSIGN_OR_RETURN(auto d, DeleteOne(s, c, *b, in.key, vid, bypass));
  api_s3::DeleteObjectOutput out;
  if (d.delete_marker) out.delete_marker = true;
  out.version_id = d.version_id;
  return out;
}

Result<api_s3::DeleteObjectsOutput> DeleteObjects(S3Service& s, const api_s3::DeleteObjectsRequest& in, Call& c) {
  CK_ASSIGN_OR_RETURN(auto b, s.store().Bucket(in.bucket));
  const auto& objects = in.delete_.objects;
  if (objects.empty() || objects.size() > 1000) return errors::Malformed();
  CK_RETURN_IF_ERROR(CheckBypassHeader(*b, in.bypass_governance_retention));
  std::vector<api_s3::DeletedObject> deleted;
  std::vector<api_s3::Error> failed;
  for (const auto& o : objects) {
    std::string vid = o.version_id.value_or("");
    Status st = Authorize(s, c, *b, VersionedAction(c.action, vid), o.key);
    // A version id that is no id at all: DeleteObjects reports NoSuchVersion (recorded on AWS).
    if (st.ok() && !vid.empty() && !SeqOfVersionId(vid)) st = errors::MissingVersion(o.key, vid);
    bool bypass = st.ok() && BypassesGovernance(s, c, *b, o.key, in.bypass_governance_retention);
    Result<Deleted> r = st.ok() ? DeleteOne(s, c, *b, o.key, vid, bypass) : Result<Deleted>(st);
    if (!r.ok()) {
      const Status& e = r.status();
      api_s3::Error entry{o.key, std::nullopt, e.aws_code().empty() ? "InternalError" : e.aws_code(), e.message()};
      if (!vid.empty()) entry.version_id = vid;
      failed.push_back(std::move(entry));
      continue;
    }
    if (in.delete_.quiet.value_or(false)) continue;
    api_s3::DeletedObject d;
    d.key = o.key;
    if (!vid.empty()) d.version_id = vid;
    if (r->delete_marker) {
      d.delete_marker = true;
      d.delete_marker_version_id = vid.empty() ? r->version_id : vid;
    }
    deleted.push_back(std::move(d));
  }
  api_s3::DeleteObjectsOutput out;
  if (!deleted.empty()) out.deleted = std::move(deleted);
  if (!failed.empty()) out.errors = std::move(failed);
  return out;
}

}  // namespace ck::services::s3
