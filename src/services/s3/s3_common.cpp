// Records, access checks and request-header helpers shared by the S3 operations.
#include <algorithm>
#include <cctype>
#include <set>

#include "base/codec.h"
#include "services/s3/s3_internal.h"
#include "storage/key_codec.h"
#include "wire/errors.h"

namespace ck::services::s3 {

// --- Records ---

Result<BucketRecord> LoadBucket(S3Service& s, const std::string& name) {
  CK_ASSIGN_OR_RETURN(auto b, s.buckets().Get(name));
  if (!b) return NoSuchBucket(name);
  return *b;
}

Status UpdateBucket(S3Service& s, const std::string& name, const std::function<Status(BucketRecord&)>& fn) {
  for (int attempt = 0; attempt < 20; ++attempt) {
    CK_ASSIGN_OR_RETURN(auto raw, s.meta().Get(kBucketsTable, name));
    if (!raw) return NoSuchBucket(name);
    CK_ASSIGN_OR_RETURN(auto b, BucketRecord::FromJson(*raw));
    CK_RETURN_IF_ERROR(fn(b));
    storage::WriteBatch batch;
    batch.ExpectValue(kBucketsTable, name, *raw);
    batch.Put(kBucketsTable, name, b.ToJson().dump());
    Status st = s.meta().Apply(batch);
    s.buckets().Changed();
    if (storage::IsPreconditionFailure(st)) continue;
    return st;
  }
  return AwsError("OperationAborted", 409,
                  "A conflicting conditional operation is currently in progress against this resource. Please try "
                  "again.");
}

Result<std::optional<ObjectRecord>> LoadCurrent(S3Service& s, const std::string& bucket, const std::string& key,
                                                std::string* raw) {
  CK_ASSIGN_OR_RETURN(auto v, s.meta().Get(kObjectsTable, ObjectKey(bucket, key)));
  if (!v) return std::optional<ObjectRecord>();
  CK_ASSIGN_OR_RETURN(auto rec, ObjectRecord::FromJson(*v));
  if (raw) *raw = std::move(*v);
  return std::optional<ObjectRecord>(std::move(rec));
}

namespace {

// The versions of one key, newest first (bounded: keys rarely have many).
Result<std::vector<storage::Record>> VersionsOf(S3Service& s, const std::string& bucket, const std::string& key,
                                                size_t limit) {
  return s.meta().Scan(kVersionsTable, {.prefix = VersionsOfKey(bucket, key), .limit = limit});
}

}  // namespace

Result<ObjectRecord> LoadVersion(S3Service& s, const BucketRecord& b, const std::string& key,
                                 const std::string& version_id) {
  if (version_id.empty()) {
    CK_ASSIGN_OR_RETURN(auto cur, LoadCurrent(s, b.name, key));
    if (cur) return std::move(*cur);
    if (!b.versioning.empty()) {
      CK_ASSIGN_OR_RETURN(auto newest, VersionsOf(s, b.name, key, 1));
      if (!newest.empty()) {
        CK_ASSIGN_OR_RETURN(auto rec, ObjectRecord::FromJson(newest[0].value));
        if (rec.delete_marker) return rec;  // the caller answers 404 with the marker's headers
      }
    }
    return NoSuchKey(key);
  }
  auto seq = SeqOfVersionId(version_id);
  if (!seq) return InvalidArgument("Invalid version id specified", "versionId", version_id);
  if (version_id == "null") {
    CK_ASSIGN_OR_RETURN(auto all, VersionsOf(s, b.name, key, 100000));
    for (const auto& r : all) {
      CK_ASSIGN_OR_RETURN(auto rec, ObjectRecord::FromJson(r.value));
      if (rec.version_id == "null") return rec;
    }
    return NoSuchVersion(key, version_id);
  }
  CK_ASSIGN_OR_RETURN(auto raw, s.meta().Get(kVersionsTable, VersionKey(b.name, key, *seq)));
  if (!raw) return NoSuchVersion(key, version_id);
  CK_ASSIGN_OR_RETURN(auto rec, ObjectRecord::FromJson(*raw));
  if (rec.version_id != version_id) return NoSuchVersion(key, version_id);
  return rec;
}

Status CommitObject(S3Service& s, const BucketRecord& b, ObjectRecord& rec, const WritePreconditions& pre) {
  const std::string okey = ObjectKey(b.name, rec.key);
  for (int attempt = 0; attempt < 50; ++attempt) {
    std::string raw;
    CK_ASSIGN_OR_RETURN(auto cur, LoadCurrent(s, b.name, rec.key, &raw));
    if (pre.if_none_match_star && cur) return PreconditionFailed("If-None-Match");
    if (!pre.if_match.empty()) {
      if (!cur) return NoSuchKey(rec.key);
      if (pre.if_match != "*" && Unquoted(pre.if_match) != cur->etag) return PreconditionFailed("If-Match");
    }
    storage::WriteBatch batch;
    if (cur) batch.ExpectValue(kObjectsTable, okey, raw);
    else batch.ExpectAbsent(kObjectsTable, okey);
    std::vector<Segment> released;
    rec.seq = NextSeq();
    rec.version_id = b.versioning == "Enabled" ? NewVersionId(rec.seq) : "null";
    if (b.versioning.empty()) {
      if (cur) {
        batch.Delete(kVersionsTable, VersionKey(b.name, rec.key, cur->seq));
        released = cur->segments;
      }
    } else if (b.versioning == "Suspended") {
      // The null version is replaced wherever it sits in the key's history.
      CK_ASSIGN_OR_RETURN(auto all, VersionsOf(s, b.name, rec.key, 100000));
      for (const auto& r : all) {
        CK_ASSIGN_OR_RETURN(auto old, ObjectRecord::FromJson(r.value));
        if (old.version_id != "null") continue;
        batch.Delete(kVersionsTable, r.key);
        released.insert(released.end(), old.segments.begin(), old.segments.end());
      }
    }
    std::string value = rec.Serialize();
    if (rec.delete_marker) batch.Delete(kObjectsTable, okey);
    else batch.Put(kObjectsTable, okey, value);
    batch.Put(kVersionsTable, VersionKey(b.name, rec.key, rec.seq), value);
    if (pre.extend) pre.extend(batch);
    Status st = s.meta().Apply(batch);
    if (storage::IsPreconditionFailure(st)) continue;
    CK_RETURN_IF_ERROR(st);
    DeleteBlobs(s, released);
    return Status::Ok();
  }
  return AwsError("OperationAborted", 409,
                  "A conflicting conditional operation is currently in progress against this resource. Please try "
                  "again.");
}

void DeleteBlobs(S3Service& s, const std::vector<Segment>& segments) {
  for (const auto& seg : segments) {
    if (seg.blob.empty()) continue;
    Status st = s.blobs().Delete(seg.blob);
    (void)st;  // an already-missing blob is fine; orphans are collected by ForEach sweeps
  }
}

// --- Access ---

Status Authorize(S3Service& s, Call& c, const BucketRecord& b, const std::string& action, const std::string& key,
                 core::iam::ContextKeys keys) {
  std::shared_ptr<const core::iam::Policy> policy;
  if (b.policy) {
    auto parsed = s.authorizer().Parse(*b.policy, core::iam::PolicyKind::kResource);
    if (parsed.ok()) policy = *parsed;
  }
  const Principal& p = c.principal();
  if (p.is_anonymous()) {
    bool restricted = b.public_access_block && b.public_access_block->value("RestrictPublicBuckets", false);
    if (!policy || restricted) return AccessDeniedPlain();
  }
  AuthzRequest r;
  r.principal = &p;
  r.action = action;
  r.resource = "arn:aws:s3:::" + b.name + (key.empty() ? "" : "/" + key);
  r.resource_account = b.owner;
  r.resource_policy = policy.get();
  r.keys = std::move(keys);
  r.region = c.ctx.region;
  r.source_ip = c.ctx.source_ip;
  r.secure_transport = c.ctx.secure_transport;
  CK_ASSIGN_OR_RETURN(auto result, s.authorizer().Authorize(r));
  if (result.allowed()) return Status::Ok();
  if (p.is_anonymous()) return AccessDeniedPlain();
  // AWS now names the principal, action and resource for identity-side and
  // explicit denials; we use that detailed form for every denial.
  return AccessDeniedFor(result, "AccessDenied", 403);
}

Status CheckAclHeaders(const Call& c, const BucketRecord& b) {
  std::string acl = c.Header("x-amz-acl");
  bool grants = false;
  for (const auto& [name, value] : c.head->headers.all())
    if (StartsWith(name, "x-amz-grant-")) grants = true;
  if (b.ownership == "BucketOwnerEnforced" && (grants || (!acl.empty() && acl != "bucket-owner-full-control"))) {
    return AwsError("AccessControlListNotSupported", 400, "The bucket does not allow ACLs");
  }
  static const char* kCanned[] = {"private", "public-read", "public-read-write", "authenticated-read",
                                  "aws-exec-read", "bucket-owner-read", "bucket-owner-full-control"};
  if (!acl.empty() && std::find(std::begin(kCanned), std::end(kCanned), acl) == std::end(kCanned))
    return AwsError("InvalidArgument", 400, "").WithField("ArgumentName", "x-amz-acl").WithField("ArgumentValue", acl);
  return Status::Ok();
}

// --- Object headers ---

void ReadStandardHeaders(const Call& c, std::map<std::string, std::string>* headers,
                         std::map<std::string, std::string>* metadata) {
  static const std::pair<const char*, const char*> kHeaders[] = {
      {"ContentType", "content-type"},         {"ContentEncoding", "content-encoding"},
      {"ContentDisposition", "content-disposition"}, {"ContentLanguage", "content-language"},
      {"CacheControl", "cache-control"},       {"Expires", "expires"},
      {"WebsiteRedirectLocation", "x-amz-website-redirect-location"}};
  for (const auto& [member, header] : kHeaders) {
    auto v = c.head->headers.Get(header);
    if (!v) continue;
    std::string value(*v);
    if (std::string_view(member) == "ContentEncoding") {
      // aws-chunked is transfer framing, not the object's encoding.
      std::string kept;
      size_t pos = 0;
      while (pos <= value.size()) {
        size_t comma = value.find(',', pos);
        std::string part(Trim(value.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos)));
        if (!part.empty() && part != "aws-chunked") kept += (kept.empty() ? "" : ",") + part;
        if (comma == std::string::npos) break;
        pos = comma + 1;
      }
      if (kept.empty()) continue;
      value = kept;
    }
    (*headers)[member] = value;
  }
  for (const auto& [name, value] : c.head->headers.all())
    if (StartsWith(name, "x-amz-meta-")) (*metadata)[name.substr(11)] = value;
}

Result<std::vector<std::pair<std::string, std::string>>> ParseTaggingHeader(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> out;
  if (text.empty()) return out;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t amp = text.find('&', pos);
    std::string pair = text.substr(pos, amp == std::string::npos ? std::string::npos : amp - pos);
    if (!pair.empty()) {
      size_t eq = pair.find('=');
      auto k = UriDecode(pair.substr(0, eq), true);
      auto v = UriDecode(eq == std::string::npos ? "" : pair.substr(eq + 1), true);
      if (!k || !v || !IsValidUtf8(*k) || !IsValidUtf8(*v))
        return InvalidArgument("The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.", "x-amz-tagging", text);
      out.emplace_back(*k, *v);
    }
    if (amp == std::string::npos) break;
    pos = amp + 1;
  }
  CK_RETURN_IF_ERROR(CheckObjectTags(out));
  return out;
}

// --- Request limits ---

Status CheckRequestEncoding(const http::RequestHead& head) {
  auto invalid_uri = [] { return AwsError("InvalidURI", 400, "Couldn't parse the specified URI."); };
  if (!IsValidUtf8(head.path)) return invalid_uri();
  for (const auto& q : head.query)
    if (!IsValidUtf8(q.name) || !IsValidUtf8(q.value)) return invalid_uri();
  for (const auto& [name, value] : head.headers.all())
    if (!IsValidUtf8(name) || !IsValidUtf8(value))
      // AWS's text for this case is not known (its front end reads headers
      // as ISO-8859-1); the value is not echoed, it could not be written.
      return AwsError("InvalidArgument", 400, "Header value is not valid UTF-8.")
          .WithField("ArgumentName", IsValidUtf8(name) ? name : std::string("header"));
  return Status::Ok();
}

Status CheckUserMetadata(const std::map<std::string, std::string>& metadata) {
  constexpr size_t kMaxUserMetadata = 2048;
  size_t size = 0;
  for (const auto& [name, value] : metadata) size += name.size() + value.size();
  if (size > kMaxUserMetadata)
    return AwsError("MetadataTooLarge", 400, "Your metadata headers exceed the maximum allowed metadata size.");
  return Status::Ok();
}

namespace {

// Letters, digits and spaces (any non-ASCII character is taken for one) and _.:/=+-@.
bool IsTagText(std::string_view s) {
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c >= 0x80 || std::isalnum(c) || c == ' ') continue;
    if (std::string_view("_.:/=+-@").find(static_cast<char>(c)) == std::string_view::npos) return false;
  }
  return true;
}

}  // namespace

Status CheckObjectTags(const std::vector<std::pair<std::string, std::string>>& tags) {
  std::set<std::string> seen;
  for (const auto& [k, v] : tags) {
    if (!seen.insert(k).second)
      return AwsError("InvalidTag", 400, "Cannot provide multiple Tags with the same key").WithField("TagKey", k);
    size_t klen = Utf8Length(k);
    if (klen == 0 || klen > 128 || !IsTagText(k))
      return AwsError("InvalidTag", 400, "The TagKey you have provided is invalid").WithField("TagKey", k);
    if (StartsWith(k, "aws:"))
      return AwsError("InvalidTag", 400, "Your TagKey cannot be prefixed with aws:").WithField("TagKey", k);
    if (Utf8Length(v) > 256 || !IsTagText(v))
      return AwsError("InvalidTag", 400, "The TagValue you have provided is invalid")
          .WithField("TagKey", k)
          .WithField("TagValue", v);
  }
  if (tags.size() > 10) return AwsError("BadRequest", 400, "Object tags cannot be greater than 10");
  return Status::Ok();
}

std::string Quoted(const std::string& etag) { return "\"" + etag + "\""; }

std::string Unquoted(std::string_view etag) {
  etag = Trim(etag);
  if (StartsWith(etag, "W/")) etag.remove_prefix(2);
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') etag = etag.substr(1, etag.size() - 2);
  return std::string(etag);
}

json OwnerJson(const std::string& account) { return {{"ID", CanonicalId(account)}}; }

void DescribeObject(const ObjectRecord& o, json* out, bool with_checksum) {
  json& d = *out;
  d["ETag"] = Quoted(o.etag);
  d["LastModified"] = o.mtime;
  d["ContentLength"] = o.size;
  if (o.version_id != "null") d["VersionId"] = o.version_id;
  d["ContentType"] = "binary/octet-stream";
  for (const auto& [member, value] : o.headers) {
    if (member == "Expires") {
      if (auto t = ParseHttpDate(value)) d["Expires"] = ToEpochSeconds(*t);
      continue;
    }
    d[member] = value;
  }
  if (!o.metadata.empty()) d["Metadata"] = o.metadata;
  if (o.storage_class != "STANDARD") d["StorageClass"] = o.storage_class;
  if (!o.tags.empty()) d["TagCount"] = o.tags.size();
  DescribeSse(o.encryption, &d);
  if (with_checksum && !o.checksum_algorithm.empty()) {
    d["Checksum" + o.checksum_algorithm] = o.checksum;
    if (!o.checksum_type.empty()) d["ChecksumType"] = o.checksum_type;
  }
}

// --- Uploads ---

Result<std::optional<crypto::ChecksumAlgorithm>> RequestedChecksum(const Call& c) {
  if (auto md5 = c.head->headers.Get("content-md5")) {
    auto raw = Base64Decode(Trim(*md5));
    if (!raw || raw->size() != 16) return AwsError("InvalidDigest", 400, "The Content-MD5 you specified was invalid.");
  }
  std::optional<crypto::ChecksumAlgorithm> alg;
  auto pick = [&](crypto::ChecksumAlgorithm a) -> Status {
    if (alg && *alg != a)
      return InvalidRequest("Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.");
    alg = a;
    return Status::Ok();
  };
  for (const auto& [name, value] : c.head->headers.all()) {
    if (!StartsWith(name, "x-amz-checksum-") || name == "x-amz-checksum-algorithm" || name == "x-amz-checksum-type" ||
        name == "x-amz-checksum-mode")
      continue;
    auto a = crypto::ParseChecksumAlgorithm(name);
    if (!a) continue;
    auto raw = Base64Decode(Trim(value));
    if (!raw || raw->size() != crypto::ChecksumDigestSize(*a))
      return InvalidRequest("Value for " + name + " header is invalid.");
    CK_RETURN_IF_ERROR(pick(*a));
  }
  if (auto t = c.head->headers.Get("x-amz-trailer")) {
    if (auto a = crypto::ParseChecksumAlgorithm(Trim(*t))) CK_RETURN_IF_ERROR(pick(*a));
  }
  for (const char* h : {"x-amz-sdk-checksum-algorithm", "x-amz-checksum-algorithm"}) {
    if (auto v = c.head->headers.Get(h)) {
      auto a = crypto::ParseChecksumAlgorithm(Trim(*v));
      if (!a) return InvalidRequest("Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]");
      if (!alg) alg = a;
    }
  }
  return alg;
}

Status VerifyDigests(const Call& c, const WrittenSegment& w) {
  if (auto md5 = c.head->headers.Get("content-md5")) {
    auto raw = Base64Decode(Trim(*md5));
    if (!raw || *raw != w.md5_raw)
      return AwsError("BadDigest", 400, "The Content-MD5 you specified did not match what we received.")
          .WithField("ExpectedDigest", HexEncode(raw.value_or("")))
          .WithField("CalculatedDigest", Base64Encode(w.md5_raw));
  }
  for (const auto& [name, value] : c.head->headers.all()) {
    if (!StartsWith(name, "x-amz-checksum-")) continue;
    auto a = crypto::ParseChecksumAlgorithm(name);
    if (!a || name == "x-amz-checksum-algorithm" || name == "x-amz-checksum-type" || name == "x-amz-checksum-mode")
      continue;
    if (std::string(Trim(value)) != w.segment.checksum)
      return AwsError("BadDigest", 400,
                      std::string("The ") + crypto::ChecksumAlgorithmName(*a) +
                          " you specified did not match the calculated checksum.");
  }
  return Status::Ok();
}

namespace {

class UploadSink final : public http::BodySink {
 public:
  UploadSink(S3Service& s, std::shared_ptr<Call> c, std::unique_ptr<ObjectWriter> w, UploadDone done)
      : s_(s), c_(std::move(c)), writer_(std::move(w)), done_(std::move(done)) {}

  Status Write(std::string_view chunk) override {
    if (!failure_.ok()) return failure_;
    failure_ = writer_->Append(chunk);
    return failure_;
  }

  http::Response Finish() override {
    if (!failure_.ok()) {
      writer_->Abort();
      return ErrorResponse(*c_, failure_);
    }
    auto expected = c_->ctx.body ? c_->ctx.body->content_length : std::optional<uint64_t>();
    if (expected && writer_->size() != *expected) {
      writer_->Abort();
      return ErrorResponse(*c_, AwsError("IncompleteBody", 400,
                                         "You did not provide the number of bytes specified by the Content-Length "
                                         "HTTP header."));
    }
    auto w = writer_->Commit();
    if (!w.ok()) return ErrorResponse(*c_, w.status());
    auto r = done_(*w);
    if (!r.ok()) {
      (void)s_.blobs().Delete(w->segment.blob);
      return ErrorResponse(*c_, r.status());
    }
    ApplyCors(s_, *c_, &*r);
    StampIds(*c_, &*r);
    return std::move(*r);
  }

 private:
  S3Service& s_;
  std::shared_ptr<Call> c_;
  std::unique_ptr<ObjectWriter> writer_;
  UploadDone done_;
  Status failure_;
};

}  // namespace

std::unique_ptr<http::BodySink> MakeUploadSink(S3Service& s, std::shared_ptr<Call> c,
                                               std::unique_ptr<ObjectWriter> writer, UploadDone done) {
  return std::make_unique<UploadSink>(s, std::move(c), std::move(writer), std::move(done));
}

}  // namespace ck::services::s3
