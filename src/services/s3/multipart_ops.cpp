// Multipart uploads. Each part is its own blob; completing an upload writes
// one object record that lists the chosen parts' blobs in order (no copy),
// and removes the upload and its part records in the same atomic batch.
#include <algorithm>
#include <cmath>
#include <set>

#include "base/cancel.h"
#include "base/codec.h"
#include "crypto/hash.h"
#include "services/s3/s3_internal.h"
#include "storage/key_codec.h"
#include "storage/scan_range.h"
#include "wire/rest_xml_codec.h"

namespace ck::services::s3 {

namespace {

constexpr uint64_t kMinPartSize = 5ull * 1024 * 1024;
constexpr uint64_t kMaxPartSize = 5ull * 1024 * 1024 * 1024;

double NowMillis(S3Service& s) { return std::floor(ToEpochSeconds(s.clock().Now()) * 1000.0) / 1000.0; }

struct LoadedUpload {
  std::string table_key, raw;
  UploadRecord rec;
};

Result<LoadedUpload> LoadUpload(S3Service& s, const Call& c) {
  std::string upload_id = c.In("UploadId");
  std::string k = UploadKey(c.bucket, c.key, upload_id);
  CK_ASSIGN_OR_RETURN(auto raw, s.meta().Get(kUploadsTable, k));
  if (!raw) return NoSuchUpload(upload_id);
  CK_ASSIGN_OR_RETURN(auto rec, UploadRecord::FromJson(*raw));
  return LoadedUpload{k, *raw, std::move(rec)};
}

Result<int> PartNumberOf(const Call& c) {
  int n = c.input.value("PartNumber", 0);
  if (n < 1 || n > 10000)
    return InvalidArgument("Part number must be an integer between 1 and 10000, inclusive", "partNumber",
                           std::to_string(n));
  return n;
}

Result<std::vector<PartRecord>> AllParts(S3Service& s, const std::string& upload_id) {
  CK_ASSIGN_OR_RETURN(auto rows, s.meta().Scan(kPartsTable, {.prefix = PartsPrefix(upload_id), .limit = 10001}));
  std::vector<PartRecord> out;
  for (const auto& r : rows) {
    CK_ASSIGN_OR_RETURN(auto p, PartRecord::FromJson(r.value));
    out.push_back(std::move(p));
  }
  return out;
}

// Stores a part, replacing an earlier upload of the same number, while the
// upload still exists. Returns the record written.
Status StorePart(S3Service& s, const LoadedUpload& u, PartRecord part) {
  std::string pk = PartKey(u.rec.upload_id, part.number);
  for (int attempt = 0; attempt < 20; ++attempt) {
    CK_ASSIGN_OR_RETURN(auto old_raw, s.meta().Get(kPartsTable, pk));
    storage::WriteBatch batch;
    batch.ExpectValue(kUploadsTable, u.table_key, u.raw);
    if (old_raw) batch.ExpectValue(kPartsTable, pk, *old_raw);
    else batch.ExpectAbsent(kPartsTable, pk);
    batch.Put(kPartsTable, pk, part.ToJson().dump());
    Status st = s.meta().Apply(batch);
    if (storage::IsPreconditionFailure(st)) {
      CK_ASSIGN_OR_RETURN(auto still, s.meta().Get(kUploadsTable, u.table_key));
      if (!still) return NoSuchUpload(u.rec.upload_id);
      continue;
    }
    CK_RETURN_IF_ERROR(st);
    if (old_raw) {
      if (auto old = PartRecord::FromJson(*old_raw); old.ok()) DeleteBlobs(s, {old->segment});
    }
    return Status::Ok();
  }
  return AwsError("OperationAborted", 409, "A conflicting conditional operation is currently in progress against this resource. Please try again.");
}

// The keys a part is sealed with: the upload's data key (Decrypt as the
// requester, with the request's SSE-C key), each part deriving its own.
Result<ObjectKeysPtr> PartKeys(S3Service& s, Call& c, const BucketRecord& b, const UploadRecord& u) {
  CK_ASSIGN_OR_RETURN(auto keys, SseReadKeys(s, c, b, u.encryption, "x-amz-server-side-encryption-customer-"));
  if (!keys) return keys;
  auto derived = std::make_shared<ObjectKeys>(*keys);
  derived->derive = true;
  return ObjectKeysPtr(std::move(derived));
}

std::string DefaultChecksumType(const std::string& alg) { return alg == "CRC64NVME" ? "FULL_OBJECT" : "COMPOSITE"; }

}  // namespace

Result<http::Response> CreateMultipartUpload(S3Service& s, Call& c) {
  CK_ASSIGN_OR_RETURN(auto b, LoadBucket(s, c.bucket));
  CK_RETURN_IF_ERROR(Authorize(s, c, b, "s3:PutObject", c.key, WriteConditionKeys(c)));
  CK_RETURN_IF_ERROR(CheckAclHeaders(c, b));
  if (c.key.size() > 1024) return AwsError("KeyTooLongError", 400, "Your key is too long");
  UploadRecord u;
  u.upload_id = HexEncode(crypto::RandomBytes(24));
  u.key = c.key;
  u.initiator_arn = c.principal().arn;
  u.initiator_account = c.principal().account;
  u.owner = b.ownership == "ObjectWriter" && !c.principal().account.empty() ? c.principal().account : b.owner;
  u.initiated = NowMillis(s);
  ReadStandardHeaders(c, &u.headers, &u.metadata);
  CK_RETURN_IF_ERROR(CheckUserMetadata(u.metadata));
  CK_ASSIGN_OR_RETURN(u.tags, ParseTaggingHeader(c.Header("x-amz-tagging")));
  std::string sc = c.Header("x-amz-storage-class");
  if (!sc.empty()) u.storage_class = sc;
  std::string alg = c.In("ChecksumAlgorithm");
  if (!alg.empty()) {
    auto a = crypto::ParseChecksumAlgorithm(alg);
    if (!a) return InvalidRequest("Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]");
    u.checksum_algorithm = crypto::ChecksumAlgorithmName(*a);
    u.checksum_type = c.In("ChecksumType").empty() ? DefaultChecksumType(u.checksum_algorithm) : c.In("ChecksumType");
    if (u.checksum_type == "FULL_OBJECT" && !crypto::IsCrc(*a))
      return InvalidRequest("The FULL_OBJECT checksum type cannot be used with the " + ToLower(u.checksum_algorithm) + " checksum algorithm.");
  }
  // One data key per upload (GenerateDataKey as the requester now); every part
  // derives its own key from it with a fresh salt (sealed_blob.h).
  CK_ASSIGN_OR_RETURN(auto sse, PrepareSseWrite(s, c, b));
  u.encryption = sse.stored;
  storage::WriteBatch batch;
  std::string k = UploadKey(b.name, c.key, u.upload_id);
  batch.ExpectAbsent(kUploadsTable, k);
  batch.Put(kUploadsTable, k, u.ToJson().dump());
  CK_RETURN_IF_ERROR(s.meta().Apply(batch));
  json out = {{"Bucket", b.name}, {"Key", c.key}, {"UploadId", u.upload_id}};
  DescribeSse(u.encryption, &out, /*write=*/true);
  if (!u.checksum_algorithm.empty()) out["ChecksumAlgorithm"] = u.checksum_algorithm, out["ChecksumType"] = u.checksum_type;
  return Encode(c, out);
}

Result<std::unique_ptr<http::BodySink>> UploadPart(S3Service& s, std::shared_ptr<Call> c) {
  CK_ASSIGN_OR_RETURN(auto b, LoadBucket(s, c->bucket));
  CK_RETURN_IF_ERROR(Authorize(s, *c, b, "s3:PutObject", c->key));
  CK_ASSIGN_OR_RETURN(auto u, LoadUpload(s, *c));
  CK_ASSIGN_OR_RETURN(int number, PartNumberOf(*c));
  if (!c->ctx.body || !c->ctx.body->content_length)
    return AwsError("MissingContentLength", 411, "You must provide the Content-Length HTTP header.");
  if (*c->ctx.body->content_length > kMaxPartSize)
    return AwsError("EntityTooLarge", 400, "Your proposed upload exceeds the maximum allowed size")
        .WithField("ProposedSize", std::to_string(*c->ctx.body->content_length))
        .WithField("MaxSizeAllowed", std::to_string(kMaxPartSize));
  CK_ASSIGN_OR_RETURN(auto alg, RequestedChecksum(*c));
  if (!alg && !u.rec.checksum_algorithm.empty()) alg = crypto::ParseChecksumAlgorithm(u.rec.checksum_algorithm);
  if (alg && !u.rec.checksum_algorithm.empty() && crypto::ChecksumAlgorithmName(*alg) != u.rec.checksum_algorithm)
    return InvalidRequest("Checksum Type mismatch occurred, expected checksum Type: " + ToLower(u.rec.checksum_algorithm) +
                          ", actual checksum Type: " + ToLower(crypto::ChecksumAlgorithmName(*alg)));
  // UploadPart needs the upload's data key: kms:Decrypt as the requester.
  CK_ASSIGN_OR_RETURN(auto keys, PartKeys(s, *c, b, u.rec));
  CK_ASSIGN_OR_RETURN(auto writer, ObjectWriter::Create(s.blobs(), alg, MakeSealer(std::move(keys))));
  S3Service* sp = &s;
  return MakeUploadSink(s, c, std::move(writer), [sp, c, u, number, alg](WrittenSegment& w) -> Result<http::Response> {
    CK_RETURN_IF_ERROR(VerifyDigests(*c, w));
    PartRecord part;
    part.number = number;
    part.segment = w.segment;
    part.mtime = NowMillis(*sp);
    CK_RETURN_IF_ERROR(StorePart(*sp, u, part));
    json out = {{"ETag", Quoted(w.segment.md5_hex)}};
    DescribeSse(u.rec.encryption, &out);
    if (alg) out[std::string("Checksum") + crypto::ChecksumAlgorithmName(*alg)] = w.segment.checksum;
    return Encode(*c, out);
  });
}

Result<http::Response> UploadPartCopy(S3Service& s, Call& c) {
  CK_ASSIGN_OR_RETURN(auto b, LoadBucket(s, c.bucket));
  CK_RETURN_IF_ERROR(Authorize(s, c, b, "s3:PutObject", c.key));
  CK_ASSIGN_OR_RETURN(auto u, LoadUpload(s, c));
  CK_ASSIGN_OR_RETURN(int number, PartNumberOf(c));
  std::string src_version;
  CK_ASSIGN_OR_RETURN(auto src, LoadCopySource(s, c, &src_version));
  uint64_t start = 0, end = src.size;
  std::string range = c.In("CopySourceRange");
  if (!range.empty()) {
    unsigned long long a = 0, z = 0;
    char extra = 0;
    if (sscanf(range.c_str(), "bytes=%llu-%llu%c", &a, &z, &extra) != 2 || a > z || z >= src.size)
      return InvalidArgument("Range specified is not valid for source object of size: " + std::to_string(src.size),
                             "x-amz-copy-source-range", range);
    start = a;
    end = z + 1;
  }
  if (end - start > kMaxPartSize)
    return InvalidRequest("The specified copy source is larger than the maximum allowable size for a copy source: 5368709120");
  std::optional<crypto::ChecksumAlgorithm> alg;
  if (!u.rec.checksum_algorithm.empty()) alg = crypto::ParseChecksumAlgorithm(u.rec.checksum_algorithm);
  CK_ASSIGN_OR_RETURN(auto src_bucket, LoadBucket(s, c.labels["__src_bucket"]));
  CK_ASSIGN_OR_RETURN(auto src_keys, SseReadKeys(s, c, src_bucket, src.encryption,
                                                 "x-amz-copy-source-server-side-encryption-customer-"));
  CK_ASSIGN_OR_RETURN(auto keys, PartKeys(s, c, b, u.rec));
  CK_ASSIGN_OR_RETURN(auto w, CopyBytes(s, src, src_keys, start, end, alg, std::move(keys)));
  PartRecord part;
  part.number = number;
  part.segment = w.segment;
  part.mtime = NowMillis(s);
  Status st = StorePart(s, u, part);
  if (!st.ok()) {
    DeleteBlobs(s, {w.segment});
    return st;
  }
  json result = {{"ETag", Quoted(w.segment.md5_hex)}, {"LastModified", part.mtime}};
  if (alg) result[std::string("Checksum") + crypto::ChecksumAlgorithmName(*alg)] = w.segment.checksum;
  json out = {{"CopyPartResult", result}};
  DescribeSse(u.rec.encryption, &out);
  if (!src_version.empty()) out["CopySourceVersionId"] = src_version;
  return Encode(c, out);
}

Result<http::Response> CompleteMultipartUpload(S3Service& s, Call& c) {
  CK_ASSIGN_OR_RETURN(auto b, LoadBucket(s, c.bucket));
  CK_RETURN_IF_ERROR(Authorize(s, c, b, "s3:PutObject", c.key));
  CK_ASSIGN_OR_RETURN(auto u, LoadUpload(s, c));
  json requested = c.input.value("MultipartUpload", json::object()).value("Parts", json::array());
  if (requested.empty())
    return AwsError("InvalidRequest", 400, "You must specify at least one part");
  CK_ASSIGN_OR_RETURN(auto parts, AllParts(s, u.rec.upload_id));
  std::map<int, const PartRecord*> by_number;
  for (const auto& p : parts) by_number[p.number] = &p;

  ObjectRecord rec;
  rec.key = c.key;
  rec.owner = u.rec.owner;
  rec.headers = u.rec.headers;
  rec.metadata = u.rec.metadata;
  rec.tags = u.rec.tags;
  rec.storage_class = u.rec.storage_class;
  rec.encryption = u.rec.encryption;
  std::string md5s, sums;
  std::optional<std::string> full_crc;
  auto alg = crypto::ParseChecksumAlgorithm(u.rec.checksum_algorithm);
  bool checksums_complete = alg.has_value();
  // Order and existence first, then sizes, as S3 reports them.
  int prev = 0;
  for (const auto& r : requested) {
    int n = r.value("PartNumber", 0);
    if (n <= prev)
      return AwsError("InvalidPartOrder", 400,
                      "The list of parts was not in ascending order. Parts must be ordered by part number.")
          .WithField("UploadId", u.rec.upload_id);
    prev = n;
    auto it = by_number.find(n);
    std::string etag = Unquoted(r.value("ETag", ""));
    if (it == by_number.end() || it->second->segment.md5_hex != etag)
      return AwsError("InvalidPart", 400,
                      "One or more of the specified parts could not be found.  The part may not have been uploaded, "
                      "or the specified entity tag may not match the part's entity tag.")
          .WithField("UploadId", u.rec.upload_id)
          .WithField("PartNumber", std::to_string(n))
          .WithField("ETag", etag);
  }
  prev = 0;
  std::set<int> used;
  for (size_t i = 0; i < requested.size(); ++i) {
    int n = requested[i].value("PartNumber", 0);
    std::string etag = Unquoted(requested[i].value("ETag", ""));
    if (n <= prev)
      return AwsError("InvalidPartOrder", 400,
                      "The list of parts was not in ascending order. Parts must be ordered by part number.")
          .WithField("UploadId", u.rec.upload_id);
    prev = n;
    auto it = by_number.find(n);
    if (it == by_number.end() || it->second->segment.md5_hex != etag)
      return AwsError("InvalidPart", 400,
                      "One or more of the specified parts could not be found.  The part may not have been uploaded, "
                      "or the specified entity tag may not match the part's entity tag.")
          .WithField("UploadId", u.rec.upload_id)
          .WithField("PartNumber", std::to_string(n))
          .WithField("ETag", etag);
    const Segment& seg = it->second->segment;
    if (i + 1 < requested.size() && seg.size < kMinPartSize)
      return AwsError("EntityTooSmall", 400, "Your proposed upload is smaller than the minimum allowed size")
          .WithField("ProposedSize", std::to_string(seg.size))
          .WithField("MinSizeAllowed", std::to_string(kMinPartSize))
          .WithField("PartNumber", std::to_string(n))
          .WithField("ETag", etag);
    if (alg && requested[i].contains("Checksum" + u.rec.checksum_algorithm) &&
        requested[i]["Checksum" + u.rec.checksum_algorithm] != seg.checksum)
      return AwsError("InvalidPart", 400,
                      "One or more of the specified parts could not be found.  The part may not have been uploaded, "
                      "or the specified entity tag may not match the part's entity tag.")
          .WithField("UploadId", u.rec.upload_id)
          .WithField("PartNumber", std::to_string(n))
          .WithField("ETag", etag);
    md5s += HexDecode(seg.md5_hex).value_or("");
    if (alg && !seg.checksum.empty()) {
      std::string raw = Base64Decode(seg.checksum).value_or("");
      if (u.rec.checksum_type == "FULL_OBJECT") {
        full_crc = full_crc ? crypto::CombineCrc(*alg, *full_crc, raw, seg.size) : std::optional<std::string>(raw);
      } else {
        sums += raw;
      }
    } else {
      checksums_complete = false;
    }
    rec.segments.push_back(seg);
    rec.size += seg.size;
    used.insert(n);
  }
  rec.parts_count = static_cast<int>(requested.size());
  rec.etag = HexEncode(crypto::Md5(md5s)) + "-" + std::to_string(rec.parts_count);
  if (alg && checksums_complete) {
    rec.checksum_algorithm = u.rec.checksum_algorithm;
    rec.checksum_type = u.rec.checksum_type;
    if (u.rec.checksum_type == "FULL_OBJECT" && full_crc) {
      rec.checksum = Base64Encode(*full_crc);
    } else {
      crypto::Checksummer sum(*alg);
      sum.Update(sums);
      rec.checksum = sum.FinalBase64() + "-" + std::to_string(rec.parts_count);
    }
  }
  rec.mtime = NowMillis(s);
  WritePreconditions pre;
  if (auto v = c.head->headers.Get("if-none-match"); v && Trim(*v) == "*") pre.if_none_match_star = true;
  if (auto v = c.head->headers.Get("if-match")) pre.if_match = std::string(*v);
  pre.extend = [&](storage::WriteBatch& batch) {
    batch.ExpectValue(kUploadsTable, u.table_key, u.raw);
    batch.Delete(kUploadsTable, u.table_key);
    for (const auto& p : parts) batch.Delete(kPartsTable, PartKey(u.rec.upload_id, p.number));
  };
  Status st = CommitObject(s, b, rec, pre);
  if (!st.ok()) {
    if (storage::IsPreconditionFailure(st)) return NoSuchUpload(u.rec.upload_id);
    return st;
  }
  std::vector<Segment> unused;
  for (const auto& p : parts)
    if (!used.count(p.number)) unused.push_back(p.segment);
  DeleteBlobs(s, unused);
  std::string host = c.host.empty() ? "localhost" : c.host;
  std::string scheme = c.ctx.secure_transport ? "https://" : "http://";  // the request's, as S3's Location
  json out = {{"Location", scheme + host + "/" + b.name + "/" + UriEncode(c.key, false)},
              {"Bucket", b.name},
              {"Key", c.key},
              {"ETag", Quoted(rec.etag)}};
  DescribeSse(rec.encryption, &out);
  if (rec.version_id != "null") out["VersionId"] = rec.version_id;
  if (!rec.checksum_algorithm.empty()) {
    out["Checksum" + rec.checksum_algorithm] = rec.checksum;
    out["ChecksumType"] = rec.checksum_type;
  }
  return Encode(c, out);
}

Result<http::Response> AbortMultipartUpload(S3Service& s, Call& c) {
  CK_ASSIGN_OR_RETURN(auto b, LoadBucket(s, c.bucket));
  CK_RETURN_IF_ERROR(Authorize(s, c, b, "s3:AbortMultipartUpload", c.key));
  CK_ASSIGN_OR_RETURN(auto u, LoadUpload(s, c));
  CK_ASSIGN_OR_RETURN(auto parts, AllParts(s, u.rec.upload_id));
  storage::WriteBatch batch;
  batch.ExpectValue(kUploadsTable, u.table_key, u.raw);
  batch.Delete(kUploadsTable, u.table_key);
  for (const auto& p : parts) batch.Delete(kPartsTable, PartKey(u.rec.upload_id, p.number));
  Status st = s.meta().Apply(batch);
  if (storage::IsPreconditionFailure(st)) return NoSuchUpload(u.rec.upload_id);
  CK_RETURN_IF_ERROR(st);
  std::vector<Segment> segs;
  for (const auto& p : parts) segs.push_back(p.segment);
  DeleteBlobs(s, segs);
  http::Response r;
  r.status = 204;
  return r;
}

Result<http::Response> ListParts(S3Service& s, Call& c) {
  CK_ASSIGN_OR_RETURN(auto b, LoadBucket(s, c.bucket));
  CK_RETURN_IF_ERROR(Authorize(s, c, b, "s3:ListMultipartUploadParts", c.key));
  CK_ASSIGN_OR_RETURN(auto u, LoadUpload(s, c));
  int max = std::clamp(c.input.value("MaxParts", 1000), 0, 1000);
  int marker = c.input.value("PartNumberMarker", 0);
  storage::ScanOptions opts{.prefix = PartsPrefix(u.rec.upload_id), .limit = static_cast<size_t>(max) + 1};
  if (marker > 0) opts.start_after = PartKey(u.rec.upload_id, marker);
  CK_ASSIGN_OR_RETURN(auto rows, s.meta().Scan(kPartsTable, opts));
  json parts = json::array();
  int last = marker;
  for (size_t i = 0; i < rows.size() && i < static_cast<size_t>(max); ++i) {
    CK_ASSIGN_OR_RETURN(auto p, PartRecord::FromJson(rows[i].value));
    json j = {{"PartNumber", p.number}, {"LastModified", p.mtime}, {"ETag", Quoted(p.segment.md5_hex)},
              {"Size", p.segment.size}};
    if (!p.segment.checksum.empty() && !u.rec.checksum_algorithm.empty())
      j["Checksum" + u.rec.checksum_algorithm] = p.segment.checksum;
    parts.push_back(j);
    last = p.number;
  }
  json out = {{"Bucket", b.name}, {"Key", c.key}, {"UploadId", u.rec.upload_id}, {"PartNumberMarker", marker},
              {"MaxParts", max}, {"IsTruncated", rows.size() > static_cast<size_t>(max)},
              {"Initiator", {{"ID", u.rec.initiator_arn}, {"DisplayName", u.rec.initiator_account}}},
              {"Owner", OwnerJson(u.rec.owner)}, {"StorageClass", u.rec.storage_class}};
  if (!parts.empty()) out["Parts"] = parts;
  if (rows.size() > static_cast<size_t>(max)) out["NextPartNumberMarker"] = last;
  if (!u.rec.checksum_algorithm.empty()) out["ChecksumAlgorithm"] = u.rec.checksum_algorithm, out["ChecksumType"] = u.rec.checksum_type;
  return Encode(c, out);
}

Result<http::Response> ListMultipartUploads(S3Service& s, Call& c) {
  CK_ASSIGN_OR_RETURN(auto b, LoadBucket(s, c.bucket));
  CK_RETURN_IF_ERROR(Authorize(s, c, b, "s3:ListBucketMultipartUploads", ""));
  std::string prefix = c.In("Prefix"), delimiter = c.In("Delimiter");
  std::string key_marker = c.In("KeyMarker"), id_marker = c.In("UploadIdMarker");
  int max = std::clamp(c.input.value("MaxUploads", 1000), 0, 1000);
  storage::ScanOptions opts{.prefix = ObjectPrefix(b.name, prefix)};
  if (!key_marker.empty()) {
    if (!id_marker.empty()) opts.start_after = UploadKey(b.name, key_marker, id_marker);
    else opts.start_at = storage::PrefixSuccessor(ObjectKey(b.name, key_marker)).value_or("");
  }
  json uploads = json::array(), prefixes = json::array();
  std::set<std::string> seen_prefixes;
  int count = 0;
  bool truncated = false, done = max == 0;
  std::string next_key, next_id;
  while (!done) {
    opts.limit = 1000;
    CK_RETURN_IF_ERROR(CheckCancelled());  // shutting down: stop between pages
    CK_ASSIGN_OR_RETURN(auto rows, s.meta().Scan(kUploadsTable, opts));
    if (rows.empty()) break;
    for (const auto& row : rows) {
      opts.start_at.clear();
      opts.start_after = row.key;
      std::string key, id;
      if (!DecodeObjectKey(row.key, &key, nullptr, &id)) continue;
      std::string cp;
      if (!delimiter.empty()) {
        size_t pos = key.find(delimiter, prefix.size());
        if (pos != std::string::npos) cp = key.substr(0, pos + delimiter.size());
      }
      if (!cp.empty() && seen_prefixes.count(cp)) continue;
      if (count == max) {
        truncated = true;
        done = true;
        break;
      }
      ++count;
      if (!cp.empty()) {
        seen_prefixes.insert(cp);
        prefixes.push_back({{"Prefix", cp}});
        continue;
      }
      CK_ASSIGN_OR_RETURN(auto u, UploadRecord::FromJson(row.value));
      json j = {{"UploadId", id}, {"Key", key}, {"Initiated", u.initiated}, {"StorageClass", u.storage_class},
                {"Owner", OwnerJson(u.owner)},
                {"Initiator", {{"ID", u.initiator_arn}, {"DisplayName", u.initiator_account}}}};
      if (!u.checksum_algorithm.empty()) j["ChecksumAlgorithm"] = u.checksum_algorithm, j["ChecksumType"] = u.checksum_type;
      uploads.push_back(j);
      next_key = key;
      next_id = id;
    }
    if (!done && rows.size() < 1000) break;
  }
  json out = {{"Bucket", b.name}, {"KeyMarker", key_marker}, {"UploadIdMarker", id_marker}, {"MaxUploads", max},
              {"IsTruncated", truncated}, {"Prefix", prefix}};
  if (!uploads.empty()) out["Uploads"] = uploads;
  if (!prefixes.empty()) out["CommonPrefixes"] = prefixes;
  if (!delimiter.empty()) out["Delimiter"] = delimiter;
  if (truncated) out["NextKeyMarker"] = next_key, out["NextUploadIdMarker"] = next_id;
  return Encode(c, out);
}

}  // namespace ck::services::s3
