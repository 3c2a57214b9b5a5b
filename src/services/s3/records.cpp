#include "services/s3/records.h"

#include <atomic>
#include <chrono>
#include <cstdio>

#include "base/codec.h"
#include "crypto/hash.h"
#include "storage/key_codec.h"

namespace ck::services::s3 {

using nlohmann::json;

namespace {

json PairsToJson(const std::vector<std::pair<std::string, std::string>>& v) {
  json a = json::array();
  for (const auto& [k, val] : v) a.push_back({k, val});
  return a;
}

std::vector<std::pair<std::string, std::string>> PairsFromJson(const json& a) {
  std::vector<std::pair<std::string, std::string>> out;
  if (a.is_array())
    for (const auto& e : a) out.emplace_back(e.at(0).get<std::string>(), e.at(1).get<std::string>());
  return out;
}

json SegmentToJson(const Segment& s) {
  json j = {{"b", s.blob}, {"n", s.size}, {"m", s.md5_hex}};
  if (!s.checksum.empty()) j["c"] = s.checksum;
  if (!s.sealing.is_null()) j["x"] = s.sealing;
  return j;
}

Segment SegmentFromJson(const json& j) {
  Segment s;
  s.blob = j.value("b", "");
  s.size = j.value("n", uint64_t{0});
  s.md5_hex = j.value("m", "");
  s.checksum = j.value("c", "");
  if (j.contains("x")) s.sealing = j["x"];
  return s;
}

template <typename T, typename F>
Result<T> ParseRecord(const std::string& text, F fill) {
  try {
    json j = json::parse(text);
    T out;
    fill(j, out);
    return out;
  } catch (const std::exception& e) {
    return Internal(std::string("corrupt S3 record: ") + e.what());
  }
}

}  // namespace

json BucketRecord::ToJson() const {
  json j = {{"name", name}, {"owner", owner}, {"region", region}, {"created", created},
            {"versioning", versioning}, {"ownership", ownership}};
  if (policy) j["policy"] = *policy;
  if (public_access_block) j["pab"] = *public_access_block;
  if (tags) j["tags"] = *tags;
  if (cors) j["cors"] = *cors;
  if (encryption) j["encryption"] = *encryption;
  if (acl) j["acl"] = *acl;
  return j;
}

Result<BucketRecord> BucketRecord::FromJson(const std::string& text) {
  return ParseRecord<BucketRecord>(text, [](const json& j, BucketRecord& b) {
    b.name = j.at("name").get<std::string>();
    b.owner = j.at("owner").get<std::string>();
    b.region = j.value("region", "us-east-1");
    b.created = j.value("created", 0.0);
    b.versioning = j.value("versioning", "");
    b.ownership = j.value("ownership", "BucketOwnerEnforced");
    if (j.contains("policy")) b.policy = j["policy"].get<std::string>();
    if (j.contains("pab")) b.public_access_block = j["pab"];
    if (j.contains("tags")) b.tags = j["tags"];
    if (j.contains("cors")) b.cors = j["cors"];
    if (j.contains("encryption")) b.encryption = j["encryption"];
    if (j.contains("acl")) b.acl = j["acl"];
  });
}

json ObjectRecord::ToJson() const {
  json j = {{"k", key}, {"v", version_id}, {"q", seq}, {"t", mtime}, {"o", owner}};
  if (delete_marker) {
    j["dm"] = true;
    return j;
  }
  j["s"] = size;
  j["e"] = etag;
  if (parts_count) j["pc"] = parts_count;
  json segs = json::array();
  for (const auto& s : segments) segs.push_back(SegmentToJson(s));
  j["g"] = std::move(segs);
  if (!headers.empty()) j["h"] = headers;
  if (!metadata.empty()) j["md"] = metadata;
  if (!tags.empty()) j["tg"] = PairsToJson(tags);
  if (!checksum_algorithm.empty()) j["ca"] = checksum_algorithm, j["cv"] = checksum, j["ct"] = checksum_type;
  if (storage_class != "STANDARD") j["sc"] = storage_class;
  if (!encryption.is_null()) j["x"] = encryption;
  return j;
}

Result<ObjectRecord> ObjectRecord::FromJson(const std::string& text) {
  return ParseRecord<ObjectRecord>(text, [](const json& j, ObjectRecord& o) {
    o.key = j.at("k").get<std::string>();
    o.version_id = j.value("v", "null");
    o.seq = j.value("q", uint64_t{0});
    o.mtime = j.value("t", 0.0);
    o.owner = j.value("o", "");
    o.delete_marker = j.value("dm", false);
    o.size = j.value("s", uint64_t{0});
    o.etag = j.value("e", "");
    o.parts_count = j.value("pc", 0);
    if (j.contains("g"))
      for (const auto& s : j["g"]) o.segments.push_back(SegmentFromJson(s));
    if (j.contains("h")) o.headers = j["h"].get<std::map<std::string, std::string>>();
    if (j.contains("md")) o.metadata = j["md"].get<std::map<std::string, std::string>>();
    if (j.contains("tg")) o.tags = PairsFromJson(j["tg"]);
    o.checksum_algorithm = j.value("ca", "");
    o.checksum = j.value("cv", "");
    o.checksum_type = j.value("ct", "");
    o.storage_class = j.value("sc", "STANDARD");
    if (j.contains("x")) o.encryption = j["x"];
  });
}

json UploadRecord::ToJson() const {
  json j = {{"u", upload_id}, {"k", key}, {"ia", initiator_arn}, {"iacct", initiator_account},
            {"o", owner}, {"t", initiated}};
  if (!headers.empty()) j["h"] = headers;
  if (!metadata.empty()) j["md"] = metadata;
  if (!tags.empty()) j["tg"] = PairsToJson(tags);
  if (!checksum_algorithm.empty()) j["ca"] = checksum_algorithm, j["ct"] = checksum_type;
  if (storage_class != "STANDARD") j["sc"] = storage_class;
  if (!encryption.is_null()) j["x"] = encryption;
  return j;
}

Result<UploadRecord> UploadRecord::FromJson(const std::string& text) {
  return ParseRecord<UploadRecord>(text, [](const json& j, UploadRecord& u) {
    u.upload_id = j.at("u").get<std::string>();
    u.key = j.at("k").get<std::string>();
    u.initiator_arn = j.value("ia", "");
    u.initiator_account = j.value("iacct", "");
    u.owner = j.value("o", "");
    u.initiated = j.value("t", 0.0);
    if (j.contains("h")) u.headers = j["h"].get<std::map<std::string, std::string>>();
    if (j.contains("md")) u.metadata = j["md"].get<std::map<std::string, std::string>>();
    if (j.contains("tg")) u.tags = PairsFromJson(j["tg"]);
    u.checksum_algorithm = j.value("ca", "");
    u.checksum_type = j.value("ct", "");
    u.storage_class = j.value("sc", "STANDARD");
    if (j.contains("x")) u.encryption = j["x"];
  });
}

json PartRecord::ToJson() const {
  json j = SegmentToJson(segment);
  j["p"] = number;
  j["t"] = mtime;
  return j;
}

Result<PartRecord> PartRecord::FromJson(const std::string& text) {
  return ParseRecord<PartRecord>(text, [](const json& j, PartRecord& p) {
    p.number = j.at("p").get<int>();
    p.mtime = j.value("t", 0.0);
    p.segment = SegmentFromJson(j);
  });
}

std::string ObjectKey(const std::string& bucket, const std::string& key) {
  std::string k = storage::KeyPart(bucket);
  storage::AppendKeyPart(&k, key);
  return k;
}

std::string ObjectPrefix(const std::string& bucket, const std::string& key_prefix) {
  std::string k = storage::KeyPart(bucket);
  storage::AppendKeyPrefix(&k, key_prefix);
  return k;
}

std::string VersionKey(const std::string& bucket, const std::string& key, uint64_t seq) {
  std::string k = ObjectKey(bucket, key);
  storage::AppendUint64Desc(&k, seq);
  return k;
}

std::string VersionsOfKey(const std::string& bucket, const std::string& key) { return ObjectKey(bucket, key); }

std::string UploadKey(const std::string& bucket, const std::string& key, const std::string& upload_id) {
  std::string k = ObjectKey(bucket, key);
  storage::AppendKeyPart(&k, upload_id);
  return k;
}

std::string PartKey(const std::string& upload_id, int part_number) {
  std::string k = storage::KeyPart(upload_id);
  storage::AppendUint64(&k, static_cast<uint64_t>(part_number));
  return k;
}

std::string PartsPrefix(const std::string& upload_id) { return storage::KeyPart(upload_id); }

bool DecodeObjectKey(const std::string& table_key, std::string* key, uint64_t* seq, std::string* upload_id) {
  storage::KeyReader r(table_key);
  std::string bucket;
  if (!r.ReadPart(&bucket) || !r.ReadPart(key)) return false;
  if (seq && !r.ReadUint64Desc(seq)) return false;
  if (upload_id && !r.ReadPart(upload_id)) return false;
  return true;
}

std::string NewVersionId(uint64_t seq) {
  // Letters and digits only, like AWS's ids; the random half keeps ids unguessable.
  static constexpr char kAlphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz._";
  char buf[17];
  snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(seq));
  std::string id = buf;
  std::string rnd = crypto::RandomBytes(16);
  for (unsigned char c : rnd) id.push_back(kAlphabet[c % 62]);
  return id;
}

std::optional<uint64_t> SeqOfVersionId(const std::string& version_id) {
  if (version_id == "null") return uint64_t{0};
  if (version_id.size() != 32) return std::nullopt;
  uint64_t v = 0;
  for (int i = 0; i < 16; ++i) {
    char c = version_id[i];
    int d = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
    if (d < 0) return std::nullopt;
    v = v * 16 + static_cast<uint64_t>(d);
  }
  return v;
}

uint64_t NextSeq() {
  static std::atomic<uint64_t> last{0};
  uint64_t now = static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
  uint64_t prev = last.load();
  uint64_t next;
  do {
    next = std::max(now, prev + 1);
  } while (!last.compare_exchange_weak(prev, next));
  return next;
}

std::string CanonicalId(const std::string& account) {
  return HexEncode(crypto::Sha256("crosskey-canonical-user:" + account));
}

}  // namespace ck::services::s3
