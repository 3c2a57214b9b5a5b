// Listing: ListObjects (V1), ListObjectsV2 and ListObjectVersions as paged
// scans of the metadata index (ObjectStore::ListCurrent / ListVersions). A
// page reads at most a few hundred records more than it returns; a common
// prefix is skipped with one seek.
#include "base/cancel.h"
#include "base/codec.h"
#include "services/s3/ops/ops.h"

namespace ck::services::s3 {

namespace {

struct ListParams {
  std::string prefix, delimiter;
  int max_keys = 1000;
  bool url = false;
};

}  // namespace

Status CheckEncodingType(const std::optional<EnumValue<api_s3::EncodingType>>& encoding_type) {
  if (!encoding_type || encoding_type->str() == "url") return Status::Ok();
  // An empty value is refused too (with an empty ArgumentValue, recorded on AWS).
  return errors::BadArgument("Invalid Encoding Method specified in Request", "encoding-type",
                             std::string(encoding_type->str()));
}

namespace {

template <class In>
Result<ListParams> ReadParams(const In& in) {
  ListParams p;
  p.prefix = in.prefix.value_or("");
  p.delimiter = in.delimiter.value_or("");
  p.max_keys = in.max_keys.value_or(1000);
  if (p.max_keys < 0)
    return errors::BadArgument("Argument maxKeys must be an integer between 0 and 2147483647", "maxKeys",
                               std::to_string(p.max_keys));
  p.max_keys = std::min(p.max_keys, 1000);
  CK_RETURN_IF_ERROR(CheckEncodingType(in.encoding_type));
  p.url = in.encoding_type.has_value();
  return p;
}

std::string Enc(const ListParams& p, const std::string& s) { return p.url ? UriEncode(s, false) : s; }

// The common prefix `key` rolls up into, or "".
std::string RollUp(const ListParams& p, const std::string& key) {
  if (p.delimiter.empty() || key.size() < p.prefix.size()) return "";
  size_t pos = key.find(p.delimiter, p.prefix.size());
  return pos == std::string::npos ? "" : key.substr(0, pos + p.delimiter.size());
}

core::iam::ContextKeys ListKeys(const ListParams& p) {
  core::iam::ContextKeys keys;
  keys["s3:prefix"] = {p.prefix};
  if (!p.delimiter.empty()) keys["s3:delimiter"] = {p.delimiter};
  keys["s3:max-keys"] = {std::to_string(p.max_keys)};
  return keys;
}

template <class Out>
void SetCommon(const ListParams& p, const std::string& bucket, bool truncated,
               std::vector<api_s3::CommonPrefix> prefixes, Out* out) {
  out->name = bucket;
  out->prefix = Enc(p, p.prefix);
  out->max_keys = p.max_keys;
  out->is_truncated = truncated;
  if (!prefixes.empty()) out->common_prefixes = std::move(prefixes);
  if (!p.delimiter.empty()) out->delimiter = Enc(p, p.delimiter);
  if (p.url) out->encoding_type = api_s3::EncodingType::kUrl;
}

template <class Item>
void SetChecksumAlgorithm(const ObjectRecord& rec, Item* item) {
  if (rec.checksum_algorithm.empty()) return;
  item->checksum_algorithm.emplace().push_back(EnumValue<api_s3::ChecksumAlgorithm>::Parse(rec.checksum_algorithm));
  item->checksum_type = EnumValue<api_s3::ChecksumType>::Parse(rec.checksum_type);
}

// One page of current objects: contents and common prefixes in key order.
struct ObjectPage {
  std::vector<api_s3::Object> contents;
  std::vector<api_s3::CommonPrefix> prefixes;
  int count = 0;
  bool truncated = false;
  std::string last_item;  // "k:key" or "p:prefix"
};

// Adds one scanned row to the page; false when the scan must seek to `*from`.
Result<bool> AddObjectRow(S3Service& s, const ListParams& p, const std::string& bucket, const ListedRow& row,
                          bool fetch_owner, ObjectPage* page, ListFrom* from) {
  std::string cp = RollUp(p, row.key);
  if (!cp.empty()) {
    page->prefixes.push_back(api_s3::CommonPrefix{Enc(p, cp)});
    ++page->count;
    page->last_item = "p:" + cp;
    *from = ListFrom::PastPrefix(bucket, cp);
    return false;
  }
  CK_ASSIGN_OR_RETURN(auto rec, s.store().DecodeObject(row));
  api_s3::Object o;
  o.key = Enc(p, row.key);
  o.last_modified = FromEpochSeconds(rec.mtime);
  o.e_tag = Quoted(rec.etag);
  o.size = static_cast<int64_t>(rec.size);
  o.storage_class = EnumValue<api_s3::ObjectStorageClass>::Parse(rec.storage_class);
  SetChecksumAlgorithm(rec, &o);
  if (fetch_owner) o.owner = OwnerOf(rec.owner);
  page->contents.push_back(std::move(o));
  ++page->count;
  page->last_item = "k:" + row.key;
  *from = row.After();
  return true;
}

Result<ObjectPage> ListObjectPage(S3Service& s, const ListParams& p, const std::string& bucket, ListFrom from,
                                  bool fetch_owner) {
  ObjectPage page;
  bool done = p.max_keys == 0;
  while (!done && !from.at_end()) {
    size_t limit = std::min<size_t>(1000, static_cast<size_t>(p.max_keys - page.count) + 1);
    CK_RETURN_IF_ERROR(CheckCancelled());  // shutting down: stop between pages
    CK_ASSIGN_OR_RETURN(auto rows, s.store().ListCurrent(bucket, p.prefix, from, limit));
    if (rows.empty()) break;
    bool reseek = false;
    for (const auto& row : rows) {
      if (page.count == p.max_keys) {
        page.truncated = done = true;
        break;
      }
      CK_ASSIGN_OR_RETURN(bool more, AddObjectRow(s, p, bucket, row, fetch_owner, &page, &from));
      if (!more) {
        reseek = true;
        break;
      }
    }
    if (!reseek && !done && rows.size() < limit) break;
  }
  return page;
}

// Where a listing of current objects starts: after a continuation token's
// item (V2), else after a marker (V1 Marker, V2 StartAfter).
Result<ListFrom> StartOf(const ListParams& p, const std::string& bucket, const std::optional<std::string>& given_token,
                         const std::string& marker) {
  if (given_token) {
    const std::string& token = *given_token;
    auto raw = Base64Decode(token);
    if (!raw || raw->size() < 2 || (raw->substr(0, 2) != "k:" && raw->substr(0, 2) != "p:")) {
      // An empty token is refused too, without an ArgumentValue (recorded on AWS).
      auto e = errors::InvalidArgument("The continuation token provided is incorrect")
                   .WithField("ArgumentName", "continuation-token");
      return token.empty() ? e : e.WithField("ArgumentValue", token);
    }
    std::string last = raw->substr(2);
    return (*raw)[0] == 'p' ? ListFrom::PastPrefix(bucket, last) : ListFrom::AfterKey(bucket, last);
  }
  if (marker.empty()) return ListFrom::Start();
  std::string cp = RollUp(p, marker);
  if (!cp.empty() && marker.size() >= cp.size()) return ListFrom::PastPrefix(bucket, cp);
  return ListFrom::AfterKey(bucket, marker);
}

template <class In>
Result<std::pair<std::shared_ptr<const BucketRecord>, ListParams>> OpenListing(S3Service& s, const In& in, Call& c) {
  CK_ASSIGN_OR_RETURN(auto b, s.store().Bucket(in.bucket));
  CK_ASSIGN_OR_RETURN(auto p, ReadParams(in));
  CK_RETURN_IF_ERROR(Authorize(s, c, *b, c.action, "", ListKeys(p)));
  return std::make_pair(std::move(b), std::move(p));
}

// --- Versions ---

struct VersionPage {
  std::vector<api_s3::ObjectVersion> versions;
  std::vector<api_s3::DeleteMarkerEntry> markers;
  std::vector<api_s3::CommonPrefix> prefixes;
  int count = 0;
  bool truncated = false;
  std::string next_key, next_version;
  std::string prev_key;  // the key of the row before (later rows of a key are not the latest)
  bool have_prev = false;
};

Result<bool> AddVersionRow(S3Service& s, const ListParams& p, const std::string& bucket, const ListedRow& row,
                           VersionPage* page, ListFrom* from) {
  std::string cp = RollUp(p, row.key);
  if (!cp.empty()) {
    page->prefixes.push_back(api_s3::CommonPrefix{Enc(p, cp)});
    ++page->count;
    page->next_key = cp;
    page->next_version.clear();
    *from = ListFrom::PastPrefix(bucket, cp);
    return false;
  }
  CK_ASSIGN_OR_RETURN(auto rec, s.store().DecodeObject(row));
  bool latest = !(page->have_prev && page->prev_key == row.key);
  page->prev_key = row.key;
  page->have_prev = true;
  if (rec.delete_marker) {
    page->markers.push_back(api_s3::DeleteMarkerEntry{OwnerOf(rec.owner), Enc(p, row.key), rec.version_id, latest,
                                                      FromEpochSeconds(rec.mtime)});
  } else {
    api_s3::ObjectVersion v;
    v.key = Enc(p, row.key);
    v.version_id = rec.version_id;
    v.is_latest = latest;
    v.last_modified = FromEpochSeconds(rec.mtime);
    v.owner = OwnerOf(rec.owner);
    v.e_tag = Quoted(rec.etag);
    v.size = static_cast<int64_t>(rec.size);
    v.storage_class = EnumValue<api_s3::ObjectVersionStorageClass>::Parse(rec.storage_class);
    SetChecksumAlgorithm(rec, &v);
    page->versions.push_back(std::move(v));
  }
  ++page->count;
  page->next_key = row.key;
  page->next_version = rec.version_id;
  *from = row.After();
  return true;
}

Status ListVersionPage(S3Service& s, const ListParams& p, const std::string& bucket, ListFrom from, VersionPage* page) {
  bool done = p.max_keys == 0;
  while (!done && !from.at_end()) {
    size_t limit = std::min<size_t>(1000, static_cast<size_t>(p.max_keys - page->count) + 1);
    CK_RETURN_IF_ERROR(CheckCancelled());
    CK_ASSIGN_OR_RETURN(auto rows, s.store().ListVersions(bucket, p.prefix, from, limit));
    if (rows.empty()) break;
    bool reseek = false;
    for (const auto& row : rows) {
      if (page->count == p.max_keys) {
        page->truncated = done = true;
        break;
      }
      CK_ASSIGN_OR_RETURN(bool more, AddVersionRow(s, p, bucket, row, page, &from));
      if (!more) {
        reseek = true;
        break;
      }
    }
    if (!reseek && !done && rows.size() < limit) break;
  }
  return Status::Ok();
}

// Where a version listing starts (key-marker, version-id-marker).
Result<ListFrom> VersionStart(S3Service& s, const ListParams& p, const std::string& bucket,
                              const std::string& key_marker, const std::string& vid_marker, VersionPage* page) {
  if (key_marker.empty()) return ListFrom::Start();
  if (vid_marker.empty()) {
    std::string cp = RollUp(p, key_marker);
    if (!cp.empty() && key_marker.size() >= cp.size()) return ListFrom::PastPrefix(bucket, cp);
    return ListFrom::PastKey(bucket, key_marker);
  }
  if (!SeqOfVersionId(vid_marker))
    return errors::BadArgument("Invalid version id specified", "version-id-marker", vid_marker);
  page->prev_key = key_marker;  // later versions of the marker's key are not the latest
  page->have_prev = true;
  return s.store().AfterVersionId(bucket, key_marker, vid_marker);
}

}  // namespace

Result<api_s3::ListObjectsOutput> ListObjects(S3Service& s, const api_s3::ListObjectsRequest& in, Call& c) {
  CK_ASSIGN_OR_RETURN(auto open, OpenListing(s, in, c));
  const auto& [b, p] = open;
  std::string marker = in.marker.value_or("");
  CK_ASSIGN_OR_RETURN(auto from, StartOf(p, b->name, std::nullopt, marker));
  CK_ASSIGN_OR_RETURN(auto page, ListObjectPage(s, p, b->name, from, /*fetch_owner=*/true));
  api_s3::ListObjectsOutput out;
  SetCommon(p, b->name, page.truncated, std::move(page.prefixes), &out);
  if (!page.contents.empty()) out.contents = std::move(page.contents);
  out.marker = Enc(p, marker);
  if (page.truncated && !p.delimiter.empty()) out.next_marker = Enc(p, page.last_item.substr(2));
  return out;
}

Result<api_s3::ListObjectsV2Output> ListObjectsV2(S3Service& s, const api_s3::ListObjectsV2Request& in, Call& c) {
  CK_ASSIGN_OR_RETURN(auto open, OpenListing(s, in, c));
  const auto& [b, p] = open;
  std::string token = in.continuation_token.value_or(""), start_after = in.start_after.value_or("");
  CK_ASSIGN_OR_RETURN(auto from, StartOf(p, b->name, in.continuation_token, start_after));
  CK_ASSIGN_OR_RETURN(auto page, ListObjectPage(s, p, b->name, from, in.fetch_owner.value_or(false)));
  api_s3::ListObjectsV2Output out;
  SetCommon(p, b->name, page.truncated, std::move(page.prefixes), &out);
  if (!page.contents.empty()) out.contents = std::move(page.contents);
  out.key_count = page.count;
  if (!token.empty()) out.continuation_token = token;
  if (!start_after.empty()) out.start_after = Enc(p, start_after);
  if (page.truncated) out.next_continuation_token = Base64Encode(page.last_item);
  return out;
}

Result<api_s3::ListObjectVersionsOutput> ListObjectVersions(S3Service& s, const api_s3::ListObjectVersionsRequest& in,
                                                            Call& c) {
  CK_ASSIGN_OR_RETURN(auto open, OpenListing(s, in, c));
  const auto& [b, p] = open;
  std::string key_marker = in.key_marker.value_or(""), vid_marker = in.version_id_marker.value_or("");
  VersionPage page;
  CK_ASSIGN_OR_RETURN(auto from, VersionStart(s, p, b->name, key_marker, vid_marker, &page));
  CK_RETURN_IF_ERROR(ListVersionPage(s, p, b->name, from, &page));
  api_s3::ListObjectVersionsOutput out;
  SetCommon(p, b->name, page.truncated, std::move(page.prefixes), &out);
  out.key_marker = Enc(p, key_marker);
  out.version_id_marker = vid_marker;
  if (!page.versions.empty()) out.versions = std::move(page.versions);
  if (!page.markers.empty()) out.delete_markers = std::move(page.markers);
  if (page.truncated) {
    out.next_key_marker = Enc(p, page.next_key);
    if (!page.next_version.empty()) out.next_version_id_marker = page.next_version;
  }
  return out;
}

}  // namespace ck::services::s3
