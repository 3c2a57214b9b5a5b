// Listing: ListObjects (V1), ListObjectsV2 and ListObjectVersions as paged
// scans of the metadata index. A page reads at most a few hundred records
// more than it returns; a common prefix is skipped with one seek.
#include "base/cancel.h"
#include "base/codec.h"
#include "services/s3/s3_internal.h"
#include "storage/key_codec.h"
#include "storage/scan_range.h"

namespace ck::services::s3 {

namespace {

struct ListParams {
  std::string prefix, delimiter;
  int max_keys = 1000;
  bool url = false;
};

Result<ListParams> ReadParams(const Call& c) {
  ListParams p;
  p.prefix = c.In("Prefix");
  p.delimiter = c.In("Delimiter");
  if (c.input.contains("MaxKeys")) p.max_keys = c.input["MaxKeys"].get<int>();
  if (p.max_keys < 0) return InvalidArgument("Argument maxKeys must be an integer between 0 and 2147483647", "maxKeys", std::to_string(p.max_keys));
  p.max_keys = std::min(p.max_keys, 1000);
  std::string enc = c.In("EncodingType");
  if (!enc.empty() && enc != "url")
    return InvalidArgument("Invalid Encoding Method specified in Request", "encoding-type", enc);
  p.url = enc == "url";
  return p;
}

std::string Enc(const ListParams& p, const std::string& s) { return p.url ? UriEncode(s, false) : s; }

// The common prefix `key` rolls up into, or "".
std::string RollUp(const ListParams& p, const std::string& key) {
  if (p.delimiter.empty() || key.size() < p.prefix.size()) return "";
  size_t pos = key.find(p.delimiter, p.prefix.size());
  return pos == std::string::npos ? "" : key.substr(0, pos + p.delimiter.size());
}

// Scan position after everything under the common prefix `cp`.
std::string AfterPrefix(const std::string& bucket, const std::string& cp) {
  return storage::PrefixSuccessor(ObjectPrefix(bucket, cp)).value_or("");
}

core::iam::ContextKeys ListKeys(const ListParams& p) {
  core::iam::ContextKeys keys;
  keys["s3:prefix"] = {p.prefix};
  if (!p.delimiter.empty()) keys["s3:delimiter"] = {p.delimiter};
  keys["s3:max-keys"] = {std::to_string(p.max_keys)};
  return keys;
}

}  // namespace

Result<http::Response> ListObjects(S3Service& s, Call& c) {
  bool v2 = c.op->name == "ListObjectsV2";
  CK_ASSIGN_OR_RETURN(auto b, LoadBucket(s, c.bucket));
  CK_ASSIGN_OR_RETURN(auto p, ReadParams(c));
  CK_RETURN_IF_ERROR(Authorize(s, c, b, "s3:ListBucket", "", ListKeys(p)));
  bool fetch_owner = !v2 || c.input.value("FetchOwner", false);

  storage::ScanOptions opts{.prefix = ObjectPrefix(b.name, p.prefix)};
  std::string token = v2 ? c.In("ContinuationToken") : "";
  std::string marker = v2 ? c.In("StartAfter") : c.In("Marker");
  if (!token.empty()) {
    auto raw = Base64Decode(token);
    if (!raw || raw->size() < 2 || (raw->substr(0, 2) != "k:" && raw->substr(0, 2) != "p:"))
      return InvalidArgument("The continuation token provided is incorrect", "continuation-token", token);
    std::string last = raw->substr(2);
    if ((*raw)[0] == 'p') opts.start_at = AfterPrefix(b.name, last);
    else opts.start_after = ObjectKey(b.name, last);
  } else if (!marker.empty()) {
    std::string cp = RollUp(p, marker);
    if (!cp.empty() && marker.size() >= cp.size()) opts.start_at = AfterPrefix(b.name, cp);
    else opts.start_after = ObjectKey(b.name, marker);
  }

  json contents = json::array(), prefixes = json::array();
  int count = 0;
  bool truncated = false;
  std::string last_item;  // "k:key" or "p:prefix"
  bool done = p.max_keys == 0;
  while (!done) {
    opts.limit = std::min<size_t>(1000, static_cast<size_t>(p.max_keys - count) + 1);
    CK_RETURN_IF_ERROR(CheckCancelled());  // shutting down: stop between pages
    CK_ASSIGN_OR_RETURN(auto rows, s.meta().Scan(kObjectsTable, opts));
    if (rows.empty()) break;
    bool reseek = false;
    for (const auto& row : rows) {
      std::string key;
      if (!DecodeObjectKey(row.key, &key)) continue;
      if (count == p.max_keys) {
        truncated = true;
        done = true;
        break;
      }
      std::string cp = RollUp(p, key);
      if (!cp.empty()) {
        prefixes.push_back({{"Prefix", Enc(p, cp)}});
        ++count;
        last_item = "p:" + cp;
        std::string next = AfterPrefix(b.name, cp);
        if (next.empty()) {
          done = true;
        } else {
          opts.start_after.clear();
          opts.start_at = next;
        }
        reseek = true;
        break;
      }
      CK_ASSIGN_OR_RETURN(auto rec, ObjectRecord::FromJson(row.value));
      json o = {{"Key", Enc(p, key)}, {"LastModified", rec.mtime}, {"ETag", Quoted(rec.etag)},
                {"Size", rec.size}, {"StorageClass", rec.storage_class}};
      if (!rec.checksum_algorithm.empty()) {
        o["ChecksumAlgorithm"] = json::array({rec.checksum_algorithm});
        o["ChecksumType"] = rec.checksum_type;
      }
      if (fetch_owner) o["Owner"] = OwnerJson(rec.owner);
      contents.push_back(std::move(o));
      ++count;
      last_item = "k:" + key;
      opts.start_at.clear();
      opts.start_after = row.key;
    }
    if (!reseek && !done && rows.size() < opts.limit) break;
  }

  json out = {{"Name", b.name}, {"Prefix", Enc(p, p.prefix)}, {"MaxKeys", p.max_keys}, {"IsTruncated", truncated}};
  if (!contents.empty()) out["Contents"] = contents;
  if (!prefixes.empty()) out["CommonPrefixes"] = prefixes;
  if (!p.delimiter.empty()) out["Delimiter"] = Enc(p, p.delimiter);
  if (p.url) out["EncodingType"] = "url";
  if (v2) {
    out["KeyCount"] = count;
    if (!token.empty()) out["ContinuationToken"] = token;
    if (!marker.empty()) out["StartAfter"] = Enc(p, marker);
    if (truncated) out["NextContinuationToken"] = Base64Encode(last_item);
  } else {
    out["Marker"] = Enc(p, marker);
    if (truncated && !p.delimiter.empty()) out["NextMarker"] = Enc(p, last_item.substr(2));
  }
  return Encode(c, out);
}

Result<http::Response> ListObjectVersions(S3Service& s, Call& c) {
  CK_ASSIGN_OR_RETURN(auto b, LoadBucket(s, c.bucket));
  CK_ASSIGN_OR_RETURN(auto p, ReadParams(c));
  CK_RETURN_IF_ERROR(Authorize(s, c, b, "s3:ListBucketVersions", "", ListKeys(p)));
  std::string key_marker = c.In("KeyMarker"), vid_marker = c.In("VersionIdMarker");
  storage::ScanOptions opts{.prefix = ObjectPrefix(b.name, p.prefix)};
  std::string prev_key;
  bool have_prev = false;
  if (!key_marker.empty()) {
    if (!vid_marker.empty()) {
      auto seq = SeqOfVersionId(vid_marker);
      if (!seq) return InvalidArgument("Invalid version id specified", "version-id-marker", vid_marker);
      if (vid_marker == "null") {
        CK_ASSIGN_OR_RETURN(auto all, s.meta().Scan(kVersionsTable, {.prefix = VersionsOfKey(b.name, key_marker), .limit = 100000}));
        for (const auto& r : all)
          if (auto rec = ObjectRecord::FromJson(r.value); rec.ok() && rec->version_id == "null") opts.start_after = r.key;
        if (opts.start_after.empty()) opts.start_at = AfterPrefix(b.name, key_marker);
      } else {
        opts.start_after = VersionKey(b.name, key_marker, *seq);
      }
      prev_key = key_marker;  // later versions of the marker's key are not the latest
      have_prev = true;
    } else {
      std::string cp = RollUp(p, key_marker);
      std::string after_key = storage::PrefixSuccessor(ObjectKey(b.name, key_marker)).value_or("");
      opts.start_at = !cp.empty() && key_marker.size() >= cp.size() ? AfterPrefix(b.name, cp) : after_key;
    }
  }
  json versions = json::array(), markers = json::array(), prefixes = json::array();
  int count = 0;
  bool truncated = false, done = p.max_keys == 0;
  std::string next_key, next_vid;
  while (!done) {
    opts.limit = std::min<size_t>(1000, static_cast<size_t>(p.max_keys - count) + 1);
    CK_RETURN_IF_ERROR(CheckCancelled());
    CK_ASSIGN_OR_RETURN(auto rows, s.meta().Scan(kVersionsTable, opts));
    if (rows.empty()) break;
    bool reseek = false;
    for (const auto& row : rows) {
      std::string key;
      uint64_t seq = 0;
      if (!DecodeObjectKey(row.key, &key, &seq)) continue;
      if (count == p.max_keys) {
        truncated = true;
        done = true;
        break;
      }
      std::string cp = RollUp(p, key);
      if (!cp.empty()) {
        prefixes.push_back({{"Prefix", Enc(p, cp)}});
        ++count;
        next_key = cp;
        next_vid.clear();
        std::string nx = AfterPrefix(b.name, cp);
        if (nx.empty()) done = true;
        opts.start_after.clear();
        opts.start_at = nx;
        reseek = true;
        break;
      }
      CK_ASSIGN_OR_RETURN(auto rec, ObjectRecord::FromJson(row.value));
      bool latest = !(have_prev && prev_key == key);
      prev_key = key;
      have_prev = true;
      json v = {{"Key", Enc(p, key)}, {"VersionId", rec.version_id}, {"IsLatest", latest},
                {"LastModified", rec.mtime}, {"Owner", OwnerJson(rec.owner)}};
      if (rec.delete_marker) {
        markers.push_back(std::move(v));
      } else {
        v["ETag"] = Quoted(rec.etag);
        v["Size"] = rec.size;
        v["StorageClass"] = rec.storage_class;
        if (!rec.checksum_algorithm.empty()) {
          v["ChecksumAlgorithm"] = json::array({rec.checksum_algorithm});
          v["ChecksumType"] = rec.checksum_type;
        }
        versions.push_back(std::move(v));
      }
      ++count;
      next_key = key;
      next_vid = rec.version_id;
      opts.start_at.clear();
      opts.start_after = row.key;
    }
    if (!reseek && !done && rows.size() < opts.limit) break;
  }
  json out = {{"Name", b.name}, {"Prefix", Enc(p, p.prefix)}, {"MaxKeys", p.max_keys}, {"IsTruncated", truncated},
              {"KeyMarker", Enc(p, key_marker)}, {"VersionIdMarker", vid_marker}};
  if (!versions.empty()) out["Versions"] = versions;
  if (!markers.empty()) out["DeleteMarkers"] = markers;
  if (!prefixes.empty()) out["CommonPrefixes"] = prefixes;
  if (!p.delimiter.empty()) out["Delimiter"] = Enc(p, p.delimiter);
  if (p.url) out["EncodingType"] = "url";
  if (truncated) {
    out["NextKeyMarker"] = Enc(p, next_key);
    if (!next_vid.empty()) out["NextVersionIdMarker"] = next_vid;
  }
  return Encode(c, out);
}

}  // namespace ck::services::s3
