#include "services/s3/records.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <type_traits>

#include "base/codec.h"
#include "core/ids.h"
#include "crypto/hash.h"
#include "storage/key_codec.h"

namespace ck::services::s3 {

namespace {

// Writes `member` unless it equals `absent` (decoding always reads it, leaving
// the default when the key is missing).
template <class V, class T>
void SparseField(V& v, const char* name, T& member, const std::remove_const_t<T>& absent) {
  if constexpr (std::is_same_v<V, fields::StructEncoder>) {
    if (member == absent) return;
  }
  v(name, member, false);
}
template <class V>
constexpr bool kEncoding = std::is_same_v<V, fields::StructEncoder>;

template <class V, class S>
void BucketFields(V& v, S& s) {
  v("name", s.name, true);
  v("owner", s.owner, true);
  v("region", s.region, false);
  v("lc", s.constraint, false);
  v("created", s.created, false);
  v("versioning", s.versioning, false);
  v("ownership", s.ownership, false);
  v("policy", s.policy, false);
  v("pab", s.public_access_block, false);
  v("tags", s.tags, false);
  v("cors", s.cors, false);
  v("encryption", s.encryption, false);
  v("acl", s.acl, false);
  SparseField(v, "set", s.settings, BucketSettings{});
  v("lock", s.object_lock, false);
}

template <class V, class S>
void SettingsFields(V& v, S& s) {
  v("lc", s.lifecycle, false);
  SparseField(v, "lcmin", s.lifecycle_min_size, std::string());
  v("web", s.website, false);
  v("log", s.logging, false);
  v("acc", s.accelerate, false);
  v("pay", s.payer, false);
  SparseField(v, "met", s.metrics, std::vector<api::s3::MetricsConfiguration>{});
  SparseField(v, "ana", s.analytics, std::vector<api::s3::AnalyticsConfiguration>{});
  SparseField(v, "it", s.tiering, std::vector<api::s3::IntelligentTieringConfiguration>{});
}

template <class V, class S>
void LockFields(V& v, S& s) {
  SparseField(v, "m", s.mode, std::string());
  SparseField(v, "u", s.until, 0.0);
  SparseField(v, "h", s.legal_hold, std::string());
}

template <class V, class S>
void SealingFields(V& v, S& s) {
  v("v", s.v, false);
  v("s", s.s, false);
  v("d", s.d, false);
}

template <class V, class S>
void SegmentFields(V& v, S& s) {
  v("b", s.blob, false);
  v("n", s.size, false);
  v("m", s.md5_hex, false);
  SparseField(v, "c", s.checksum, std::string());
  v("x", s.sealing, false);
  SparseField(v, "c64", s.crc64nvme, std::string());
}

template <class V, class S>
void SseFields(V& v, S& s) {
  v("v", s.v, false);
  v("sse", s.sse, false);
  v("wk", s.wk, false);
  v("mac", s.mac, false);
  v("md5", s.md5, false);
  v("ref", s.ref, false);
  v("ctx", s.ctx, false);
  v("bk", s.bk, false);
  v("uctx", s.uctx, false);
  v("arn", s.arn, false);
  v("blob", s.blob, false);
  v("blob2", s.blob2, false);
}

template <class V, class S>
void HeaderFields(V& v, S& s) {
  v("ContentType", s.content_type, false);
  v("ContentEncoding", s.content_encoding, false);
  v("ContentDisposition", s.content_disposition, false);
  v("ContentLanguage", s.content_language, false);
  v("CacheControl", s.cache_control, false);
  v("Expires", s.expires, false);
  v("WebsiteRedirectLocation", s.website_redirect_location, false);
}

// What objects and uploads describe alike: standard headers, user metadata,
// tags, the checksum algorithm (with `checksum` for objects) and the
// encryption, each left out when unset.
template <class V, class S>
void DescriptionFields(V& v, S& s) {
  SparseField(v, "h", s.headers, StoredHeaders{});
  SparseField(v, "md", s.metadata, std::map<std::string, std::string>{});
  SparseField(v, "tg", s.tags, std::vector<ObjectTag>{});
  if (!kEncoding<V> || !s.checksum_algorithm.empty()) {
    v("ca", s.checksum_algorithm, false);
    if constexpr (requires { s.checksum; }) v("cv", s.checksum, false);
    v("ct", s.checksum_type, false);
  }
  SparseField(v, "sc", s.storage_class, std::string("STANDARD"));
  v("x", s.encryption, false);
  SparseField(v, "lk", s.lock, StoredLock{});
  v("acl", s.acl, false);
}

template <class V, class S>
void ObjectFields(V& v, S& s) {
  v("k", s.key, true);
  v("v", s.version_id, false);
  v("q", s.seq, false);
  v("t", s.mtime, false);
  v("o", s.owner, false);
  SparseField(v, "dm", s.delete_marker, false);
  if (kEncoding<V> && s.delete_marker) return;  // a marker has no data
  v("s", s.size, false);
  v("e", s.etag, false);
  SparseField(v, "pc", s.parts_count, 0);
  v("g", s.segments, false);
  SparseField(v, "u", s.upload_id, std::string());
  DescriptionFields(v, s);
  SparseField(v, "w", s.writer, std::string());
  SparseField(v, "r", s.request_id, std::string());
}

template <class V, class S>
void UploadFields(V& v, S& s) {
  v("u", s.upload_id, true);
  v("k", s.key, true);
  v("ia", s.initiator_arn, false);
  v("iacct", s.initiator_account, false);
  v("o", s.owner, false);
  v("t", s.initiated, false);
  v("ks", s.key_seq, false);
  DescriptionFields(v, s);
  SparseField(v, "r", s.request_id, std::string());
}

template <class V, class S>
void PartFields(V& v, S& s) {
  SegmentFields(v, s.segment);
  v("p", s.number, true);
  v("t", s.mtime, false);
}

}  // namespace

CK_DEFINE_FIELDS(BucketSettings, SettingsFields)
CK_DEFINE_FIELDS(BucketRecord, BucketFields)
CK_DEFINE_FIELDS(SegmentSealing, SealingFields)
CK_DEFINE_FIELDS(Segment, SegmentFields)
CK_DEFINE_FIELDS(StoredSse, SseFields)
CK_DEFINE_FIELDS(StoredHeaders, HeaderFields)
CK_DEFINE_FIELDS(StoredLock, LockFields)
CK_DEFINE_FIELDS(ObjectRecord, ObjectFields)
CK_DEFINE_FIELDS(UploadRecord, UploadFields)
CK_DEFINE_FIELDS(PartRecord, PartFields)

Status FromDocument(const Document& d, ObjectTag* out, const DecodeOptions&) {
  if (!d.is_array() || d.size() != 2 || !d[0].is_string() || !d[1].is_string())
    return fields::WrongType("", "[key, value] pair");
  out->key = d[0].get<std::string>();
  out->value = d[1].get<std::string>();
  return Status::Ok();
}

Document ToDocument(const ObjectTag& in) { return Document::array({in.key, in.value}); }

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

std::string OwnerIndexKey(const std::string& account, const std::string& bucket) {
  std::string k = storage::KeyPart(account);
  storage::AppendKeyPart(&k, bucket);
  return k;
}

bool DecodeObjectKey(const std::string& table_key, std::string* key, uint64_t* seq, std::string* upload_id) {
  storage::KeyReader r(table_key);
  std::string bucket;
  if (!r.ReadPart(&bucket) || !r.ReadPart(key)) return false;
  if (seq && !r.ReadUint64Desc(seq)) return false;
  if (upload_id && !r.ReadPart(upload_id)) return false;
  return true;
}

namespace {

constexpr char kIdAlphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

// The 4 check characters of an id's first 28.
std::string VersionIdCheck(std::string_view head) {
  std::string digest = crypto::Sha256(head);
  std::string out;
  for (int i = 0; i < 4; ++i) out.push_back(kIdAlphabet[static_cast<unsigned char>(digest[i]) % 62]);
  return out;
}

}  // namespace

std::string NewVersionId(uint64_t seq) {
  // Letters, digits and a dot, like AWS's ids: the sequence, ".", 11 random
  // characters (ids stay unguessable) and 4 check characters, so that an id
  // S3 did not give (an altered one) is told apart from a missing version.
  char buf[17];
  snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(seq));
  std::string id = buf;
  id.push_back('.');
  for (unsigned char c : ids::SystemRandom().Bytes(11)) id.push_back(kIdAlphabet[c % 62]);
  return id + VersionIdCheck(id);
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
  // Ids written before the check characters have no dot and are taken as they are.
  if (version_id[16] == '.' &&
      version_id.compare(28, 4, VersionIdCheck(std::string_view(version_id).substr(0, 28))) != 0)
    return std::nullopt;
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
  // 52 hex digits of a hash, then the account id itself: 64 hex digits as
  // S3's ids are, and ACL grants can name the account back (AccountOfCanonicalId).
  return HexEncode(crypto::Sha256("crosskey-canonical-user:" + account)).substr(0, 52) + account;
}

std::optional<std::string> AccountOfCanonicalId(std::string_view id) {
  if (id.size() != 64) return std::nullopt;
  std::string account(id.substr(52));
  for (char ch : account)
    if (ch < '0' || ch > '9') return std::nullopt;
  if (CanonicalId(account) != id) return std::nullopt;
  return account;
}

}  // namespace ck::services::s3
