// Object operations: PutObject (streamed), Get/HeadObject (ranges, parts,
// conditions, response overrides), DeleteObject(s), CopyObject, tagging,
// GetObjectAttributes and the object ACL basics.
#include <algorithm>
#include <cmath>
#include <set>

#include "base/codec.h"
#include "services/s3/s3_internal.h"
#include "storage/key_codec.h"
#include "wire/rest_xml_codec.h"

namespace ck::services::s3 {

namespace {

constexpr uint64_t kMaxSinglePut = 5ull * 1024 * 1024 * 1024;

double NowMillis(S3Service& s) { return std::floor(ToEpochSeconds(s.clock().Now()) * 1000.0) / 1000.0; }

std::string OwnerFor(const Call& c, const BucketRecord& b) {
  if (b.ownership == "ObjectWriter") return c.principal().account.empty() ? b.owner : c.principal().account;
  if (b.ownership == "BucketOwnerPreferred" && c.Header("x-amz-acl") != "bucket-owner-full-control")
    return c.principal().account.empty() ? b.owner : c.principal().account;
  return b.owner;
}

Status CheckStorageClass(const std::string& sc) {
  static const std::set<std::string> kClasses = {"STANDARD", "REDUCED_REDUNDANCY", "STANDARD_IA", "ONEZONE_IA",
                                                 "INTELLIGENT_TIERING", "GLACIER", "DEEP_ARCHIVE", "OUTPOSTS",
                                                 "GLACIER_IR", "SNOW", "EXPRESS_ONEZONE"};
  if (!sc.empty() && !kClasses.count(sc))
    return AwsError("InvalidStorageClass", 400, "The storage class you specified is not valid")
        .WithField("StorageClassRequested", sc);
  return Status::Ok();
}

// Fills a new record's descriptive fields from the request.
Status FillFromRequest(const Call& c, const BucketRecord& b, ObjectRecord* rec) {
  rec->key = c.key;
  rec->owner = OwnerFor(c, b);
  ReadStandardHeaders(c, &rec->headers, &rec->metadata);
  CK_RETURN_IF_ERROR(CheckUserMetadata(rec->metadata));
  CK_ASSIGN_OR_RETURN(rec->tags, ParseTaggingHeader(c.Header("x-amz-tagging")));
  std::string sc = c.Header("x-amz-storage-class");
  CK_RETURN_IF_ERROR(CheckStorageClass(sc));
  if (!sc.empty()) rec->storage_class = sc;
  return Status::Ok();
}

json WriteOutput(const ObjectRecord& rec) {
  json out = {{"ETag", Quoted(rec.etag)}};
  if (rec.version_id != "null") out["VersionId"] = rec.version_id;
  DescribeSse(rec.encryption, &out, /*write=*/true);
  if (!rec.checksum_algorithm.empty()) {
    out["Checksum" + rec.checksum_algorithm] = rec.checksum;
    out["ChecksumType"] = rec.checksum_type;
  }
  return out;
}

// ETag comparison as S3 does it: quotes optional, "*" matches anything.
bool EtagMatches(const std::string& header, const std::string& etag) {
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

// Evaluates GET/HEAD conditions: OK, 304 (as status kNotModified) or 412.
Status CheckReadConditions(const Call& c, const ObjectRecord& rec, const std::string& prefix = "") {
  double mtime = std::floor(rec.mtime);
  auto hdr = [&](const char* name) { return c.head->headers.Get(prefix + name); };
  auto when = [&](std::optional<std::string_view> v) -> std::optional<double> {
    if (!v) return std::nullopt;
    auto t = ParseHttpDate(Trim(*v));
    if (!t) return std::nullopt;
    return ToEpochSeconds(*t);
  };
  std::string cond_prefix = prefix.empty() ? "" : "x-amz-copy-source-";
  auto if_match = hdr("if-match");
  auto if_none = hdr("if-none-match");
  if (if_match) {
    if (!EtagMatches(std::string(*if_match), rec.etag)) return PreconditionFailed(cond_prefix + "If-Match");
  } else if (auto t = when(hdr("if-unmodified-since")); t && mtime > *t) {
    return PreconditionFailed(cond_prefix + "If-Unmodified-Since");
  }
  bool not_modified = false;
  if (if_none) {
    not_modified = EtagMatches(std::string(*if_none), rec.etag);
  } else if (auto t = when(hdr("if-modified-since")); t && mtime <= *t) {
    not_modified = true;
  }
  if (not_modified) {
    if (!prefix.empty()) return PreconditionFailed(cond_prefix + (if_none ? "If-None-Match" : "If-Modified-Since"));
    return Status(Code::kFailedPrecondition, "not modified").WithAws("NotModified", 304);
  }
  return Status::Ok();
}

struct ByteRange {
  uint64_t start = 0, end = 0;  // [start, end)
};

// nullopt: no (usable) Range header. Error: unsatisfiable.
Result<std::optional<ByteRange>> ParseRange(const std::string& header, uint64_t size) {
  std::string_view h = Trim(header);
  if (!StartsWith(h, "bytes=")) return std::optional<ByteRange>();
  h.remove_prefix(6);
  if (h.find(',') != std::string_view::npos) return std::optional<ByteRange>();  // multiple ranges: whole object
  size_t dash = h.find('-');
  if (dash == std::string_view::npos) return std::optional<ByteRange>();
  std::string a(Trim(h.substr(0, dash))), b(Trim(h.substr(dash + 1)));
  auto num = [](const std::string& t) -> std::optional<uint64_t> {
    if (t.empty() || t.size() > 19 || !std::all_of(t.begin(), t.end(), ::isdigit)) return std::nullopt;
    return std::stoull(t);
  };
  auto unsatisfiable = [&] {
    return AwsError("InvalidRange", 416, "The requested range is not satisfiable")
        .WithField("RangeRequested", header)
        .WithField("ActualObjectSize", std::to_string(size));
  };
  if (a.empty()) {
    auto n = num(b);
    if (!n) return std::optional<ByteRange>();
    if (*n == 0 || size == 0) return unsatisfiable();
    uint64_t len = std::min(*n, size);
    return std::optional<ByteRange>(ByteRange{size - len, size});
  }
  auto first = num(a);
  if (!first) return std::optional<ByteRange>();
  uint64_t last = size ? size - 1 : 0;
  if (!b.empty()) {
    auto l = num(b);
    if (!l || *l < *first) return std::optional<ByteRange>();
    last = std::min(*l, last);
  }
  if (*first >= size) return unsatisfiable();
  return std::optional<ByteRange>(ByteRange{*first, last + 1});
}

struct CopySource {
  std::string bucket, key, version_id;
};

Result<CopySource> ParseCopySource(const std::string& raw) {
  std::string v = raw;
  std::string version;
  if (size_t q = v.find("?versionId="); q != std::string::npos) {
    version = v.substr(q + 11);
    v = v.substr(0, q);
  }
  auto decoded = UriDecode(v);
  if (!decoded) return InvalidArgument("Invalid copy source encoding", "x-amz-copy-source", raw);
  std::string path = *decoded;
  if (StartsWith(path, "/")) path = path.substr(1);
  size_t slash = path.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 >= path.size())
    return InvalidArgument("Invalid copy source object key", "x-amz-copy-source", raw);
  return CopySource{path.substr(0, slash), path.substr(slash + 1), version};
}

// The stored row of a version (table key and bytes), for in-place updates and deletes.
struct VersionRow {
  std::string table_key, raw;
  ObjectRecord rec;
};

Result<std::optional<VersionRow>> FindVersionRow(S3Service& s, const BucketRecord& b, const std::string& key,
                                                 const std::string& version_id) {
  auto seq = SeqOfVersionId(version_id);
  if (!seq) return InvalidArgument("Invalid version id specified", "versionId", version_id);
  if (version_id == "null") {
    CK_ASSIGN_OR_RETURN(auto all, s.meta().Scan(kVersionsTable, {.prefix = VersionsOfKey(b.name, key), .limit = 100000}));
    for (auto& r : all) {
      CK_ASSIGN_OR_RETURN(auto rec, ObjectRecord::FromJson(r.value));
      if (rec.version_id == "null") return std::optional<VersionRow>(VersionRow{r.key, r.value, std::move(rec)});
    }
    return std::optional<VersionRow>();
  }
  std::string vk = VersionKey(b.name, key, *seq);
  CK_ASSIGN_OR_RETURN(auto raw, s.meta().Get(kVersionsTable, vk));
  if (!raw) return std::optional<VersionRow>();
  CK_ASSIGN_OR_RETURN(auto rec, ObjectRecord::FromJson(*raw));
  if (rec.version_id != version_id) return std::optional<VersionRow>();
  return std::optional<VersionRow>(VersionRow{vk, *raw, std::move(rec)});
}

// Rewrites one version in place (tags, ACL-free metadata), keeping the current
// pointer in step. Empty version_id = the current version.
Status UpdateVersion(S3Service& s, const BucketRecord& b, const std::string& key, const std::string& version_id,
                     const std::function<void(ObjectRecord&)>& fn, ObjectRecord* out) {
  for (int attempt = 0; attempt < 20; ++attempt) {
    std::optional<VersionRow> row;
    std::string cur_raw;
    CK_ASSIGN_OR_RETURN(auto cur, LoadCurrent(s, b.name, key, &cur_raw));
    if (version_id.empty()) {
      if (!cur) return NoSuchKey(key);
      std::string vk = VersionKey(b.name, key, cur->seq);
      CK_ASSIGN_OR_RETURN(auto raw, s.meta().Get(kVersionsTable, vk));
      row = VersionRow{vk, raw.value_or(""), *cur};
    } else {
      CK_ASSIGN_OR_RETURN(row, FindVersionRow(s, b, key, version_id));
      if (!row) return NoSuchVersion(key, version_id);
    }
    if (row->rec.delete_marker)
      return AwsError("MethodNotAllowed", 405, "The specified method is not allowed against this resource.");
    fn(row->rec);
    std::string value = row->rec.Serialize();
    storage::WriteBatch batch;
    if (!row->raw.empty()) batch.ExpectValue(kVersionsTable, row->table_key, row->raw);
    batch.Put(kVersionsTable, row->table_key, value);
    if (cur && cur->seq == row->rec.seq) {
      batch.ExpectValue(kObjectsTable, ObjectKey(b.name, key), cur_raw);
      batch.Put(kObjectsTable, ObjectKey(b.name, key), value);
    }
    Status st = s.meta().Apply(batch);
    if (storage::IsPreconditionFailure(st)) continue;
    CK_RETURN_IF_ERROR(st);
    if (out) *out = row->rec;
    return Status::Ok();
  }
  return AwsError("OperationAborted", 409,
                  "A conflicting conditional operation is currently in progress against this resource. Please try "
                  "again.");
}

Result<std::vector<std::pair<std::string, std::string>>> TagsFromInput(const json& input) {
  std::vector<std::pair<std::string, std::string>> tags;
  for (const auto& t : input.value("Tagging", json::object()).value("TagSet", json::array()))
    tags.emplace_back(t.value("Key", ""), t.value("Value", ""));
  CK_RETURN_IF_ERROR(CheckObjectTags(tags));
  return tags;
}

json TagSet(const std::vector<std::pair<std::string, std::string>>& tags) {
  json a = json::array();
  for (const auto& [k, v] : tags) a.push_back({{"Key", k}, {"Value", v}});
  return a;
}

// Deletes one key or version; the DeleteObject/DeleteObjects result entry.
Result<json> DeleteOne(S3Service& s, Call& c, const BucketRecord& b, const std::string& key,
                       const std::string& version_id) {
  json out = json::object();
  if (version_id.empty()) {
    if (!b.versioning.empty()) {
      ObjectRecord dm;
      dm.key = key;
      dm.delete_marker = true;
      dm.owner = OwnerFor(c, b);
      dm.mtime = NowMillis(s);
      CK_RETURN_IF_ERROR(CommitObject(s, b, dm, {}));
      out["DeleteMarker"] = true;
      out["VersionId"] = dm.version_id;
      return out;
    }
    for (int attempt = 0; attempt < 20; ++attempt) {
      std::string raw;
      CK_ASSIGN_OR_RETURN(auto cur, LoadCurrent(s, b.name, key, &raw));
      if (!cur) return out;
      storage::WriteBatch batch;
      batch.ExpectValue(kObjectsTable, ObjectKey(b.name, key), raw);
      batch.Delete(kObjectsTable, ObjectKey(b.name, key));
      batch.Delete(kVersionsTable, VersionKey(b.name, key, cur->seq));
      Status st = s.meta().Apply(batch);
      if (storage::IsPreconditionFailure(st)) continue;
      CK_RETURN_IF_ERROR(st);
      DeleteBlobs(s, cur->segments);
      return out;
    }
    return AwsError("OperationAborted", 409, "A conflicting conditional operation is currently in progress against this resource. Please try again.");
  }
  for (int attempt = 0; attempt < 20; ++attempt) {
    CK_ASSIGN_OR_RETURN(auto row, FindVersionRow(s, b, key, version_id));
    out["VersionId"] = version_id;
    if (!row) return out;  // deleting a version that is not there succeeds
    std::string cur_raw;
    CK_ASSIGN_OR_RETURN(auto cur, LoadCurrent(s, b.name, key, &cur_raw));
    storage::WriteBatch batch;
    batch.ExpectValue(kVersionsTable, row->table_key, row->raw);
    batch.Delete(kVersionsTable, row->table_key);
    const std::string okey = ObjectKey(b.name, key);
    if (cur) batch.ExpectValue(kObjectsTable, okey, cur_raw);
    else batch.ExpectAbsent(kObjectsTable, okey);
    // The current pointer follows the newest remaining version.
    CK_ASSIGN_OR_RETURN(auto newest, s.meta().Scan(kVersionsTable, {.prefix = VersionsOfKey(b.name, key), .limit = 2}));
    const storage::Record* next = nullptr;
    for (const auto& r : newest)
      if (r.key != row->table_key) {
        next = &r;
        break;
      }
    bool was_newest = !newest.empty() && newest[0].key == row->table_key;
    if (was_newest) {
      std::optional<ObjectRecord> next_rec;
      if (next) {
        CK_ASSIGN_OR_RETURN(auto n, ObjectRecord::FromJson(next->value));
        if (!n.delete_marker) next_rec = std::move(n);
      }
      if (next_rec) batch.Put(kObjectsTable, okey, next->value);
      else batch.Delete(kObjectsTable, okey);
    }
    Status st = s.meta().Apply(batch);
    if (storage::IsPreconditionFailure(st)) continue;
    CK_RETURN_IF_ERROR(st);
    DeleteBlobs(s, row->rec.segments);
    if (row->rec.delete_marker) out["DeleteMarker"] = true;
    return out;
  }
  return AwsError("OperationAborted", 409, "A conflicting conditional operation is currently in progress against this resource. Please try again.");
}

http::Response DeleteMarkerResponse(Call& c, const ObjectRecord& dm, bool by_version) {
  Status st = by_version ? AwsError("MethodNotAllowed", 405, "The specified method is not allowed against this resource.")
                               .WithField("Method", c.head->method)
                               .WithField("ResourceType", "DeleteMarker")
                         : NoSuchKey(c.key);
  http::Response r = ErrorResponse(c, st);
  r.headers.Set("x-amz-delete-marker", "true");
  r.headers.Set("x-amz-version-id", dm.version_id);
  if (by_version) r.headers.Set("Last-Modified", FormatHttpDate(FromEpochSeconds(dm.mtime)));
  return r;
}

}  // namespace

Result<std::unique_ptr<http::BodySink>> PutObject(S3Service& s, std::shared_ptr<Call> c) {
  CK_ASSIGN_OR_RETURN(auto b, LoadBucket(s, c->bucket));
  CK_RETURN_IF_ERROR(Authorize(s, *c, b, "s3:PutObject", c->key, WriteConditionKeys(*c)));
  CK_RETURN_IF_ERROR(CheckAclHeaders(*c, b));
  if (c->key.size() > 1024) return AwsError("KeyTooLongError", 400, "Your key is too long");
  if (!c->ctx.body || !c->ctx.body->content_length)
    return AwsError("MissingContentLength", 411, "You must provide the Content-Length HTTP header.");
  if (*c->ctx.body->content_length > kMaxSinglePut)
    return AwsError("EntityTooLarge", 400, "Your proposed upload exceeds the maximum allowed size")
        .WithField("ProposedSize", std::to_string(*c->ctx.body->content_length))
        .WithField("MaxSizeAllowed", std::to_string(kMaxSinglePut));
  CK_ASSIGN_OR_RETURN(auto alg, RequestedChecksum(*c));
  WritePreconditions pre;
  if (auto v = c->head->headers.Get("if-none-match")) {
    if (Trim(*v) != "*") return AwsError("NotImplemented", 501, "A header you provided implies functionality that is not implemented").WithField("Header", "If-None-Match");
    pre.if_none_match_star = true;
    CK_ASSIGN_OR_RETURN(auto cur, LoadCurrent(s, b.name, c->key));
    if (cur) return PreconditionFailed("If-None-Match");  // fail before reading the body
  }
  if (auto v = c->head->headers.Get("if-match")) pre.if_match = std::string(*v);
  ObjectRecord rec;
  CK_RETURN_IF_ERROR(FillFromRequest(*c, b, &rec));
  // KMS is called (as the requester) before the body is read, as S3 does.
  CK_ASSIGN_OR_RETURN(auto sse, PrepareSseWrite(s, *c, b));
  rec.encryption = sse.stored;
  CK_ASSIGN_OR_RETURN(auto writer, ObjectWriter::Create(s.blobs(), alg, MakeSealer(sse.keys)));
  S3Service* sp = &s;
  return MakeUploadSink(s, c, std::move(writer), [sp, c, b, rec, alg, pre](WrittenSegment& w) mutable -> Result<http::Response> {
    CK_RETURN_IF_ERROR(VerifyDigests(*c, w));
    rec.size = w.segment.size;
    rec.etag = EtagIsNotMd5(rec.encryption) ? OpaqueEtag(w.md5_raw) : w.segment.md5_hex;
    rec.segments = {w.segment};
    rec.mtime = NowMillis(*sp);
    if (alg) {
      rec.checksum_algorithm = crypto::ChecksumAlgorithmName(*alg);
      rec.checksum = w.segment.checksum;
      rec.checksum_type = "FULL_OBJECT";
    }
    CK_RETURN_IF_ERROR(CommitObject(*sp, b, rec, pre));
    return Encode(*c, WriteOutput(rec));
  });
}

Result<http::Response> GetObject(S3Service& s, Call& c) {
  CK_ASSIGN_OR_RETURN(auto b, LoadBucket(s, c.bucket));
  std::string vid = c.In("VersionId");
  CK_RETURN_IF_ERROR(Authorize(s, c, b, vid.empty() ? "s3:GetObject" : "s3:GetObjectVersion", c.key));
  CK_RETURN_IF_ERROR(RejectSseOnRead(c.head->headers));
  CK_ASSIGN_OR_RETURN(auto rec, LoadVersion(s, b, c.key, vid));
  if (rec.delete_marker) return DeleteMarkerResponse(c, rec, !vid.empty());
  CK_ASSIGN_OR_RETURN(auto customer, ParseCustomerKey(c.head->headers, "x-amz-server-side-encryption-customer-"));
  CK_RETURN_IF_ERROR(SseKeys::CheckCustomer(rec.encryption, customer));
  Status cond = CheckReadConditions(c, rec);
  if (cond.aws_code() == "NotModified") {
    http::Response r;
    r.status = 304;
    r.headers.Set("ETag", Quoted(rec.etag));
    r.headers.Set("Last-Modified", FormatHttpDate(FromEpochSeconds(rec.mtime)));
    return r;
  }
  CK_RETURN_IF_ERROR(cond);

  bool overrides = false;
  for (const char* m : {"ResponseContentType", "ResponseContentLanguage", "ResponseExpires", "ResponseCacheControl",
                        "ResponseContentDisposition", "ResponseContentEncoding"})
    if (c.input.contains(m)) overrides = true;
  if (overrides && c.principal().is_anonymous())
    return InvalidRequest("Request specific response headers cannot be used for anonymous GET requests.");

  uint64_t start = 0, end = rec.size;
  bool partial = false;
  json out = json::object();
  bool full_checksum = c.input.value("ChecksumMode", "") == "ENABLED";
  std::string range_header = c.Header("range");
  if (c.input.contains("PartNumber")) {
    int n = c.input["PartNumber"].get<int>();
    if (!range_header.empty()) return InvalidRequest("Cannot specify both Range header and partNumber query parameter");
    int count = std::max(rec.parts_count, 1);
    if (n < 1 || n > 10000) return InvalidArgument("Part number must be an integer between 1 and 10000, inclusive", "partNumber", std::to_string(n));
    if (n > count)
      return AwsError("InvalidPartNumber", 416, "The requested partnumber is not satisfiable")
          .WithField("PartNumberRequested", std::to_string(n))
          .WithField("ActualPartCount", std::to_string(count));
    if (rec.parts_count > 0) {
      for (int i = 0; i < n - 1; ++i) start += rec.segments[i].size;
      end = start + rec.segments[n - 1].size;
      out["PartsCount"] = rec.parts_count;
    }
    partial = true;
    full_checksum = full_checksum && rec.parts_count == 0;
  } else if (!range_header.empty()) {
    CK_ASSIGN_OR_RETURN(auto range, ParseRange(range_header, rec.size));
    if (range) {
      start = range->start;
      end = range->end;
      partial = true;
      full_checksum = false;
    }
  }
  DescribeObject(rec, &out, full_checksum);
  out["AcceptRanges"] = "bytes";
  out["ContentLength"] = end - start;
  if (partial) out["ContentRange"] = "bytes " + std::to_string(start) + "-" + std::to_string(end ? end - 1 : 0) + "/" + std::to_string(rec.size);
  if (rec.parts_count > 0 && c.input.contains("PartNumber")) out["PartsCount"] = rec.parts_count;
  static const std::pair<const char*, const char*> kOverrides[] = {
      {"ResponseContentType", "ContentType"}, {"ResponseContentLanguage", "ContentLanguage"},
      {"ResponseCacheControl", "CacheControl"}, {"ResponseContentDisposition", "ContentDisposition"},
      {"ResponseContentEncoding", "ContentEncoding"}, {"ResponseExpires", "Expires"}};
  for (const auto& [from, to] : kOverrides)
    if (c.input.contains(from)) out[to] = c.input[from];
  // GET decrypts (KMS Decrypt as the reader); HEAD does not call KMS (INFERRED, AWS-SEMANTICS case 45).
  ObjectKeysPtr keys;
  if (c.head->method == "GET") {
    CK_ASSIGN_OR_RETURN(keys, s.sse().ForRead(rec.encryption, SseCallerFor(c, b), customer));
  }
  http::Response r = Encode(c, out);
  r.headers.Remove("content-length");
  if (partial) r.status = 206;
  r.content_length = end - start;
  if (c.head->method == "GET" && end > start) {
    auto reader = std::make_unique<ObjectReader>(s.blobs(), std::move(keys), rec.segments, start, end);
    CK_RETURN_IF_ERROR(reader->Prepare());
    r.stream = std::move(reader);
  }
  return r;
}

Result<http::Response> DeleteObject(S3Service& s, Call& c) {
  CK_ASSIGN_OR_RETURN(auto b, LoadBucket(s, c.bucket));
  std::string vid = c.In("VersionId");
  CK_RETURN_IF_ERROR(Authorize(s, c, b, vid.empty() ? "s3:DeleteObject" : "s3:DeleteObjectVersion", c.key));
  CK_ASSIGN_OR_RETURN(auto out, DeleteOne(s, c, b, c.key, vid));
  return Encode(c, out);
}

Result<http::Response> DeleteObjects(S3Service& s, Call& c) {
  CK_ASSIGN_OR_RETURN(auto b, LoadBucket(s, c.bucket));
  json del = c.input.value("Delete", json::object());
  json objects = del.value("Objects", json::array());
  bool quiet = del.value("Quiet", false);
  if (objects.empty() || objects.size() > 1000) return wire::MalformedXml();
  json deleted = json::array(), errors = json::array();
  for (const auto& o : objects) {
    std::string key = o.value("Key", ""), vid = o.value("VersionId", "");
    Status st = Authorize(s, c, b, vid.empty() ? "s3:DeleteObject" : "s3:DeleteObjectVersion", key);
    Result<json> r = st.ok() ? DeleteOne(s, c, b, key, vid) : Result<json>(st);
    if (!r.ok()) {
      json e = {{"Key", key}, {"Code", r.status().aws_code().empty() ? "InternalError" : r.status().aws_code()},
                {"Message", r.status().message()}};
      if (!vid.empty()) e["VersionId"] = vid;
      errors.push_back(e);
      continue;
    }
    if (quiet) continue;
    json d = {{"Key", key}};
    if (!vid.empty()) d["VersionId"] = vid;
    if (r->value("DeleteMarker", false)) {
      d["DeleteMarker"] = true;
      d["DeleteMarkerVersionId"] = vid.empty() ? (*r)["VersionId"] : json(vid);
    }
    deleted.push_back(d);
  }
  json out = json::object();
  if (!deleted.empty()) out["Deleted"] = deleted;
  if (!errors.empty()) out["Errors"] = errors;
  return Encode(c, out);
}

// Reads a source object's [start, end) into a new blob.
Result<WrittenSegment> CopyBytes(S3Service& s, const ObjectRecord& src, const ObjectKeysPtr& src_keys, uint64_t start,
                                 uint64_t end, std::optional<crypto::ChecksumAlgorithm> alg, ObjectKeysPtr dst_keys) {
  ObjectReader reader(s.blobs(), src_keys, src.segments, start, end);
  CK_ASSIGN_OR_RETURN(auto writer, ObjectWriter::Create(s.blobs(), alg, MakeSealer(std::move(dst_keys))));
  std::string buf(1 << 20, '\0');
  for (;;) {
    CK_ASSIGN_OR_RETURN(size_t n, reader.Read(buf.data(), buf.size()));
    if (n == 0) break;
    CK_RETURN_IF_ERROR(writer->Append(std::string_view(buf.data(), n)));
  }
  return writer->Commit();
}

// Loads and authorizes a copy source; conditions per x-amz-copy-source-if-*.
Result<ObjectRecord> LoadCopySource(S3Service& s, Call& c, std::string* source_version) {
  CK_ASSIGN_OR_RETURN(auto src, ParseCopySource(c.In("CopySource")));
  CK_ASSIGN_OR_RETURN(auto sb, LoadBucket(s, src.bucket));
  CK_RETURN_IF_ERROR(Authorize(s, c, sb, src.version_id.empty() ? "s3:GetObject" : "s3:GetObjectVersion", src.key));
  CK_ASSIGN_OR_RETURN(auto rec, LoadVersion(s, sb, src.key, src.version_id));
  if (rec.delete_marker) {
    if (!src.version_id.empty())
      return InvalidRequest("The source of a copy request may not specifically refer to a delete marker by version id.");
    return NoSuchKey(src.key);
  }
  CK_RETURN_IF_ERROR(CheckReadConditions(c, rec, "x-amz-copy-source-"));
  if (source_version) *source_version = sb.versioning.empty() ? "" : rec.version_id;
  c.labels["__src_bucket"] = src.bucket;
  return rec;
}

Result<http::Response> CopyObject(S3Service& s, Call& c) {
  CK_ASSIGN_OR_RETURN(auto b, LoadBucket(s, c.bucket));
  CK_RETURN_IF_ERROR(Authorize(s, c, b, "s3:PutObject", c.key, WriteConditionKeys(c)));
  CK_RETURN_IF_ERROR(CheckAclHeaders(c, b));
  std::string src_version;
  CK_ASSIGN_OR_RETURN(auto src, LoadCopySource(s, c, &src_version));
  std::string md = c.input.value("MetadataDirective", "COPY"), td = c.input.value("TaggingDirective", "COPY");
  if (md != "COPY" && md != "REPLACE")
    return InvalidArgument("Unknown metadata directive.", "x-amz-metadata-directive", md);
  if (td != "COPY" && td != "REPLACE")
    return InvalidArgument("Unknown tagging directive.", "x-amz-tagging-directive", td);
  bool same = c.labels["__src_bucket"] == c.bucket && src.key == c.key;
  if (same && md == "COPY" && !c.HasHeader("x-amz-storage-class") && !c.HasHeader("x-amz-website-redirect-location") &&
      !c.HasHeader("x-amz-server-side-encryption") && !c.HasHeader("x-amz-server-side-encryption-customer-algorithm"))
    return InvalidRequest(
        "This copy request is illegal because it is trying to copy an object to itself without changing the "
        "object's metadata, storage class, website redirect location or encryption attributes.");
  if (src.size > kMaxSinglePut)
    return InvalidRequest("The specified copy source is larger than the maximum allowable size for a copy source: 5368709120");

  ObjectRecord rec;
  CK_RETURN_IF_ERROR(FillFromRequest(c, b, &rec));
  if (md == "COPY") {
    rec.headers = src.headers;
    rec.metadata = src.metadata;
  }
  if (td == "COPY") rec.tags = src.tags;
  if (!c.HasHeader("x-amz-storage-class")) rec.storage_class = "STANDARD";
  std::optional<crypto::ChecksumAlgorithm> alg;
  if (auto a = c.head->headers.Get("x-amz-checksum-algorithm")) alg = crypto::ParseChecksumAlgorithm(*a);
  else if (!src.checksum_algorithm.empty()) alg = crypto::ParseChecksumAlgorithm(src.checksum_algorithm);
  // Source: Decrypt as the requester (with the copy-source SSE-C key); destination:
  // the request's SSE headers, else the destination bucket's default.
  CK_ASSIGN_OR_RETURN(auto src_bucket, LoadBucket(s, c.labels["__src_bucket"]));
  CK_ASSIGN_OR_RETURN(auto src_keys, SseReadKeys(s, c, src_bucket, src.encryption,
                                                 "x-amz-copy-source-server-side-encryption-customer-"));
  CK_ASSIGN_OR_RETURN(auto sse, PrepareSseWrite(s, c, b));
  rec.encryption = sse.stored;
  CK_ASSIGN_OR_RETURN(auto w, CopyBytes(s, src, src_keys, 0, src.size, alg, sse.keys));
  rec.size = w.segment.size;
  rec.etag = EtagIsNotMd5(rec.encryption) ? OpaqueEtag(w.md5_raw) : w.segment.md5_hex;
  rec.segments = {w.segment};
  rec.mtime = NowMillis(s);
  if (alg) {
    rec.checksum_algorithm = crypto::ChecksumAlgorithmName(*alg);
    rec.checksum = w.segment.checksum;
    rec.checksum_type = "FULL_OBJECT";
  }
  WritePreconditions pre;
  if (auto v = c.head->headers.Get("if-none-match"); v && Trim(*v) == "*") pre.if_none_match_star = true;
  if (auto v = c.head->headers.Get("if-match")) pre.if_match = std::string(*v);
  Status st = CommitObject(s, b, rec, pre);
  if (!st.ok()) {
    DeleteBlobs(s, rec.segments);
    return st;
  }
  json result = {{"ETag", Quoted(rec.etag)}, {"LastModified", rec.mtime}};
  if (alg) {
    result["Checksum" + rec.checksum_algorithm] = rec.checksum;
    result["ChecksumType"] = "FULL_OBJECT";
  }
  json out = {{"CopyObjectResult", result}};
  DescribeSse(rec.encryption, &out, /*write=*/true);
  if (rec.version_id != "null") out["VersionId"] = rec.version_id;
  if (!src_version.empty()) out["CopySourceVersionId"] = src_version;
  return Encode(c, out);
}

Result<http::Response> ObjectTagging(S3Service& s, Call& c) {
  const std::string op = c.op->name;
  CK_ASSIGN_OR_RETURN(auto b, LoadBucket(s, c.bucket));
  std::string vid = c.In("VersionId");
  std::string action = op == "GetObjectTagging" ? "s3:GetObjectTagging" : op == "PutObjectTagging" ? "s3:PutObjectTagging" : "s3:DeleteObjectTagging";
  if (!vid.empty()) action.insert(action.find("Tagging"), "Version");
  CK_RETURN_IF_ERROR(Authorize(s, c, b, action, c.key));
  if (op == "GetObjectTagging") {
    CK_ASSIGN_OR_RETURN(auto rec, LoadVersion(s, b, c.key, vid));
    if (rec.delete_marker) return DeleteMarkerResponse(c, rec, !vid.empty());
    json out = {{"TagSet", TagSet(rec.tags)}};
    if (rec.version_id != "null") out["VersionId"] = rec.version_id;
    return Encode(c, out);
  }
  std::vector<std::pair<std::string, std::string>> tags;
  if (op == "PutObjectTagging") {
    CK_ASSIGN_OR_RETURN(tags, TagsFromInput(c.input));
  }
  ObjectRecord updated;
  CK_RETURN_IF_ERROR(UpdateVersion(s, b, c.key, vid, [&](ObjectRecord& r) { r.tags = tags; }, &updated));
  json out = json::object();
  if (updated.version_id != "null") out["VersionId"] = updated.version_id;
  return Encode(c, out);
}

Result<http::Response> GetObjectAttributes(S3Service& s, Call& c) {
  CK_ASSIGN_OR_RETURN(auto b, LoadBucket(s, c.bucket));
  std::string vid = c.In("VersionId");
  CK_RETURN_IF_ERROR(Authorize(s, c, b, vid.empty() ? "s3:GetObjectAttributes" : "s3:GetObjectVersionAttributes", c.key));
  CK_ASSIGN_OR_RETURN(auto rec, LoadVersion(s, b, c.key, vid));
  if (rec.delete_marker) return DeleteMarkerResponse(c, rec, !vid.empty());
  std::set<std::string> want;
  for (const auto& a : c.input.value("ObjectAttributes", json::array())) want.insert(a.get<std::string>());
  if (want.empty())
    return InvalidArgument("Invalid attribute name specified.", "x-amz-object-attributes", "");
  json out = {{"LastModified", rec.mtime}};
  if (rec.version_id != "null") out["VersionId"] = rec.version_id;
  if (want.count("ETag")) out["ETag"] = rec.etag;
  if (want.count("ObjectSize")) out["ObjectSize"] = rec.size;
  if (want.count("StorageClass")) out["StorageClass"] = rec.storage_class;
  if (want.count("Checksum") && !rec.checksum_algorithm.empty()) {
    std::string value = rec.checksum;
    if (auto dash = value.find('-'); dash != std::string::npos) value = value.substr(0, dash);
    out["Checksum"] = {{"Checksum" + rec.checksum_algorithm, value}, {"ChecksumType", rec.checksum_type}};
  }
  if (want.count("ObjectParts") && rec.parts_count > 0) {
    int max_parts = c.input.value("MaxParts", 1000);
    int marker = c.input.value("PartNumberMarker", 0);
    json parts = json::array();
    int last = marker;
    bool truncated = false;
    for (int i = marker; i < rec.parts_count; ++i) {
      if (static_cast<int>(parts.size()) >= max_parts) {
        truncated = true;
        break;
      }
      json p = {{"PartNumber", i + 1}, {"Size", rec.segments[i].size}};
      if (!rec.segments[i].checksum.empty()) p["Checksum" + rec.checksum_algorithm] = rec.segments[i].checksum;
      parts.push_back(p);
      last = i + 1;
    }
    out["ObjectParts"] = {{"TotalPartsCount", rec.parts_count}, {"PartNumberMarker", marker},
                          {"NextPartNumberMarker", last}, {"MaxParts", max_parts}, {"IsTruncated", truncated},
                          {"Parts", parts}};
  }
  return Encode(c, out);
}

Result<http::Response> ObjectAcl(S3Service& s, Call& c) {
  CK_ASSIGN_OR_RETURN(auto b, LoadBucket(s, c.bucket));
  std::string vid = c.In("VersionId");
  bool get = c.op->name == "GetObjectAcl";
  CK_RETURN_IF_ERROR(Authorize(s, c, b, std::string(get ? "s3:GetObject" : "s3:PutObject") + (vid.empty() ? "Acl" : "VersionAcl"), c.key));
  CK_ASSIGN_OR_RETURN(auto rec, LoadVersion(s, b, c.key, vid));
  if (rec.delete_marker) return DeleteMarkerResponse(c, rec, !vid.empty());
  if (get) {
    json grant = {{"Grantee", {{"ID", CanonicalId(rec.owner)}, {"Type", "CanonicalUser"}}}, {"Permission", "FULL_CONTROL"}};
    return Encode(c, {{"Owner", OwnerJson(rec.owner)}, {"Grants", json::array({grant})}});
  }
  std::string acl = c.Header("x-amz-acl");
  if (b.ownership == "BucketOwnerEnforced" && !(acl == "private" || acl == "bucket-owner-full-control"))
    return AwsError("AccessControlListNotSupported", 400, "The bucket does not allow ACLs");
  return Encode(c, json::object());
}

}  // namespace ck::services::s3
