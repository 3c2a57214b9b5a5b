// Multipart uploads. Each part is its own blob; completing an upload writes
// one object record that lists the chosen parts' blobs in order (no copy),
// and removes the upload and its part records in the same atomic batch
// (ObjectStore::Commit).
#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "base/cancel.h"
#include "base/codec.h"
#include "core/ids.h"
#include "crypto/hash.h"
#include "services/s3/ops/object_lock.h"
#include "services/s3/ops/ops.h"

namespace ck::services::s3 {

namespace {

constexpr uint64_t kMinPartSize = 5ull * 1024 * 1024;
constexpr uint64_t kMaxPartSize = 5ull * 1024 * 1024 * 1024;

Status CheckPartNumber(int n) {
  if (n < 1 || n > 10000)
    return errors::BadArgument("Part number must be an integer between 1 and 10000, inclusive", "partNumber",
                               std::to_string(n));
  return Status::Ok();
}

// The keys a part is sealed with: the upload's data key (Decrypt as the
// requester, with the request's SSE-C key), each part deriving its own.
// A part must carry the upload's SSE-C key, and only an SSE-C upload's parts
// carry one (S3's texts for both).
template <class In>
Result<ObjectKeysPtr> PartKeys(S3Service& s, const Call& c, const BucketRecord& b, const UploadRecord& u,
                               const In& in) {
  CK_ASSIGN_OR_RETURN(auto customer, ParseCustomerKey(CustomerKeyOf(in)));
  bool sse_c = u.encryption && u.encryption->sse == kSseC;
  if (sse_c != customer.has_value())
    return errors::InvalidRequest(
        "The multipart upload initiate requested encryption. Subsequent part requests must include the appropriate "
        "encryption parameters.");
  if (sse_c && !SseKeys::CheckCustomer(u.encryption, customer).ok())
    return errors::InvalidRequest("The provided encryption parameters did not match the ones used originally.");
  CK_ASSIGN_OR_RETURN(auto keys, SseReadKeys(s, c, b, u.encryption, CustomerKeyOf(in)));
  if (!keys) return keys;
  auto derived = std::make_shared<ObjectKeys>(*keys);
  derived->derive = true;
  return ObjectKeysPtr(std::move(derived));
}

// x-amz-copy-source-range: exactly "bytes=first-last", decimal, first <= last
// (anything else is refused with S3's form message, recorded on AWS).
std::optional<std::pair<uint64_t, uint64_t>> ParseCopyRange(std::string_view r) {
  if (!StartsWith(r, "bytes=")) return std::nullopt;
  r.remove_prefix(6);
  size_t dash = r.find('-');
  auto number = [](std::string_view t) -> std::optional<uint64_t> {
    if (t.empty() || t.size() > 19 || !std::all_of(t.begin(), t.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
      return std::nullopt;
    return std::stoull(std::string(t));
  };
  if (dash == std::string_view::npos) return std::nullopt;
  auto first = number(r.substr(0, dash)), last = number(r.substr(dash + 1));
  if (!first || !last || *first > *last) return std::nullopt;
  return std::make_pair(*first, *last);
}

std::string DefaultChecksumType(const std::string& alg) { return alg == "CRC64NVME" ? "FULL_OBJECT" : "COMPOSITE"; }

constexpr char kUnsupportedAlgorithm[] =
    "Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, "
    "CRC64NVME, SHA1, SHA256]";

// The upload's checksum algorithm and type, as CreateMultipartUpload asks.
Status SetUploadChecksum(const api_s3::CreateMultipartUploadRequest& in, UploadRecord* u) {
  std::string_view alg = in.checksum_algorithm ? in.checksum_algorithm->str() : std::string_view();
  std::string_view type = in.checksum_type ? in.checksum_type->str() : std::string_view();
  if (alg.empty()) {
    if (!type.empty())
      return errors::InvalidRequest(
          "The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.");
    return Status::Ok();
  }
  auto a = crypto::ParseChecksumAlgorithm(alg);
  if (!a) return errors::InvalidRequest(kUnsupportedAlgorithm);
  u->checksum_algorithm = crypto::ChecksumAlgorithmName(*a);
  u->checksum_type = type.empty() ? DefaultChecksumType(u->checksum_algorithm) : std::string(type);
  if (u->checksum_type == "FULL_OBJECT" && !crypto::IsCrc(*a))
    return errors::InvalidRequest("The FULL_OBJECT checksum type cannot be used with the " +
                                  ToLower(u->checksum_algorithm) + " checksum algorithm.");
  if (u->checksum_type == "COMPOSITE" && *a == crypto::ChecksumAlgorithm::kCrc64Nvme)
    return errors::InvalidRequest("The COMPOSITE checksum type cannot be used with the crc64nvme checksum algorithm.");
  return Status::Ok();
}

// The algorithm parts are checksummed with: the request's, which must be the upload's.
Result<std::optional<crypto::ChecksumAlgorithm>> PartChecksum(const Call& c, const UploadRecord& u) {
  CK_ASSIGN_OR_RETURN(auto alg, RequestedChecksum(c));
  if (!alg && !u.checksum_algorithm.empty()) alg = crypto::ParseChecksumAlgorithm(u.checksum_algorithm);
  if (alg && !u.checksum_algorithm.empty() && crypto::ChecksumAlgorithmName(*alg) != u.checksum_algorithm)
    return errors::InvalidRequest(
        "Checksum Type mismatch occurred, expected checksum Type: " + ToLower(u.checksum_algorithm) +
        ", actual checksum Type: " + ToLower(crypto::ChecksumAlgorithmName(*alg)));
  return alg;
}

// --- Completion ---

Status InvalidPart(const std::string& upload_id, int n, const std::string& etag) {
  return errors::InvalidPart(
             "One or more of the specified parts could not be found.  The part may not have been uploaded, or the "
             "specified entity tag may not match the part's entity tag.")
      .WithField("UploadId", upload_id)
      .WithField("PartNumber", std::to_string(n))
      .WithField("ETag", etag);
}

Status InvalidPartOrder(const std::string& upload_id) {
  return errors::InvalidPartOrder("The list of parts was not in ascending order. Parts must be ordered by part number.")
      .WithField("UploadId", upload_id);
}

using PartsByNumber = std::map<int, const PartRecord*>;

// Order and existence first, as S3 reports them.
Status CheckRequestedParts(const std::vector<api_s3::CompletedPart>& requested, const PartsByNumber& parts,
                           const std::string& upload_id) {
  int prev = 0;
  for (const auto& r : requested) {
    int n = r.part_number.value_or(0);
    if (n <= prev) return InvalidPartOrder(upload_id);
    prev = n;
    auto it = parts.find(n);
    std::string etag = Unquoted(r.e_tag.value_or(""));
    if (it == parts.end() || it->second->segment.md5_hex != etag) return InvalidPart(upload_id, n, etag);
  }
  return Status::Ok();
}

// Sizes and checksums of the requested parts, which become the object's segments.
struct Assembly {
  std::string md5s, sums;  // concatenated part MD5s; composite checksum input
  std::optional<std::string> full_crc;
  bool checksums_complete = true;
};

// The part checksums a completion names: one in the upload's algorithm must be
// the part's (InvalidPart), one in another algorithm is a BadDigest, and a
// COMPOSITE upload needs every part's.
Status CheckPartChecksums(const api_s3::CompletedPart& r, const Segment& seg, const UploadRecord& u) {
  if (u.checksum_algorithm.empty()) return Status::Ok();
  int n = r.part_number.value_or(0);
  for (const char* name : {"CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256"}) {
    const auto* sent = ChecksumMember(r, name);
    if (!*sent || name == u.checksum_algorithm) continue;
    return errors::BadDigest("The " + ToLower(name) + " you specified for part " + std::to_string(n) +
                             " did not match what we received.");
  }
  const auto* sent = ChecksumMember(r, u.checksum_algorithm);
  if (*sent) {
    if (**sent != seg.checksum) return InvalidPart(u.upload_id, n, Unquoted(r.e_tag.value_or("")));
  } else if (u.checksum_type == "COMPOSITE") {
    return errors::InvalidRequest("The upload was created using a " + ToLower(u.checksum_algorithm) +
                                  " checksum. The complete request must include the checksum for each part. It was "
                                  "missing for part " +
                                  std::to_string(n) + " in the request.");
  }
  return Status::Ok();
}

Status AddPart(const api_s3::CompletedPart& r, const Segment& seg, bool last, const UploadRecord& u,
               std::optional<crypto::ChecksumAlgorithm> alg, Assembly* a, ObjectRecord* rec) {
  int n = r.part_number.value_or(0);
  std::string etag = Unquoted(r.e_tag.value_or(""));
  if (!last && seg.size < kMinPartSize)
    return errors::EntityTooSmall("Your proposed upload is smaller than the minimum allowed size")
        .WithField("ProposedSize", std::to_string(seg.size))
        .WithField("MinSizeAllowed", std::to_string(kMinPartSize))
        .WithField("PartNumber", std::to_string(n))
        .WithField("ETag", etag);
  CK_RETURN_IF_ERROR(CheckPartChecksums(r, seg, u));
  a->md5s += HexDecode(seg.md5_hex).value_or("");
  // An upload without an algorithm gets S3's default: a full-object CRC64NVME
  // from the parts' own.
  const std::string& part_sum = alg ? seg.checksum : seg.crc64nvme;
  if (!part_sum.empty()) {
    std::string raw = Base64Decode(part_sum).value_or("");
    if (!alg || u.checksum_type == "FULL_OBJECT") {
      auto crc = alg.value_or(crypto::ChecksumAlgorithm::kCrc64Nvme);
      a->full_crc = a->full_crc ? crypto::CombineCrc(crc, *a->full_crc, raw, seg.size) : std::optional(raw);
    } else {
      a->sums += raw;
    }
  } else {
    a->checksums_complete = false;
  }
  rec->segments.push_back(seg);
  rec->size += seg.size;
  return Status::Ok();
}

// The completed object's record (without version, time and commit).
Result<ObjectRecord> Assemble(const std::vector<api_s3::CompletedPart>& requested, const PartsByNumber& parts,
                              const UploadRecord& u) {
  ObjectRecord rec;
  rec.key = u.key;
  rec.owner = u.owner;
  rec.headers = u.headers;
  rec.metadata = u.metadata;
  rec.tags = u.tags;
  rec.storage_class = u.storage_class;
  rec.encryption = u.encryption;
  rec.acl = u.acl;
  rec.writer = u.initiator_arn;
  rec.request_id = u.request_id;
  auto alg = crypto::ParseChecksumAlgorithm(u.checksum_algorithm);
  Assembly a;
  for (size_t i = 0; i < requested.size(); ++i) {
    const Segment& seg = parts.at(requested[i].part_number.value_or(0))->segment;
    CK_RETURN_IF_ERROR(AddPart(requested[i], seg, i + 1 == requested.size(), u, alg, &a, &rec));
  }
  rec.parts_count = static_cast<int32_t>(requested.size());
  rec.etag = HexEncode(crypto::Md5(a.md5s)) + "-" + std::to_string(rec.parts_count);
  if (!alg && a.checksums_complete && a.full_crc) {
    rec.checksum_algorithm = "CRC64NVME";
    rec.checksum_type = "FULL_OBJECT";
    rec.checksum = Base64Encode(*a.full_crc);
  } else if (alg && a.checksums_complete) {
    rec.checksum_algorithm = u.checksum_algorithm;
    rec.checksum_type = u.checksum_type;
    if (u.checksum_type == "FULL_OBJECT" && a.full_crc) {
      rec.checksum = Base64Encode(*a.full_crc);
    } else {
      crypto::Checksummer sum(*alg);
      sum.Update(a.sums);
      rec.checksum = sum.FinalBase64() + "-" + std::to_string(rec.parts_count);
    }
  }
  return rec;
}

// The completion's own checksum mode and whole-object checksum against the
// upload's: another mode is refused; a checksum must be the object's, in the
// upload's algorithm (and, for FULL_OBJECT, sent with that mode), else S3's
// BadDigest naming the upload's algorithm.
Status CheckChecksumMode(const api_s3::CompleteMultipartUploadRequest& in, const UploadRecord& u) {
  std::string_view type = in.checksum_type ? in.checksum_type->str() : std::string_view();
  if (!u.checksum_algorithm.empty() && !type.empty() && type != u.checksum_type)
    return errors::InvalidRequest("The upload was created using the " + u.checksum_type +
                                  " checksum mode. The complete request must use the same checksum mode.");
  return Status::Ok();
}

Status CheckObjectChecksum(const api_s3::CompleteMultipartUploadRequest& in, const UploadRecord& u,
                           const ObjectRecord& rec) {
  std::string_view type = in.checksum_type ? in.checksum_type->str() : std::string_view();
  std::string sent_alg, sent;
  for (const char* name : {"CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256"})
    if (const auto* m = ChecksumMember(in, name); *m) sent_alg = name, sent = **m;
  if (sent_alg.empty()) return Status::Ok();
  // Without an algorithm the object gets the default CRC64NVME; another
  // algorithm's checksum of it cannot be computed from the parts.
  if (u.checksum_algorithm.empty() && sent_alg != "CRC64NVME") return Status::Ok();
  std::string expected_alg = u.checksum_algorithm.empty() ? "CRC64NVME" : u.checksum_algorithm;
  std::string_view expected_type = u.checksum_algorithm.empty() ? "FULL_OBJECT" : u.checksum_type;
  bool ok = sent_alg == expected_alg && rec.checksum_algorithm == expected_alg;
  if (ok && expected_type == "FULL_OBJECT")
    ok = (type == "FULL_OBJECT" || u.checksum_algorithm.empty()) && sent == rec.checksum;
  if (ok && expected_type == "COMPOSITE") {
    std::string bare = rec.checksum.substr(0, rec.checksum.find('-'));
    ok = sent == rec.checksum || sent == bare;
  }
  if (!ok)
    return errors::BadDigest("The " + ToLower(expected_alg) + " you specified did not match the calculated checksum.");
  return Status::Ok();
}

api_s3::MultipartUpload UploadEntry(const std::string& key, const std::string& id, const UploadRecord& u) {
  api_s3::MultipartUpload m;
  m.upload_id = id;
  m.key = key;
  m.initiated = FromEpochSeconds(u.initiated);
  m.storage_class = EnumValue<api_s3::StorageClass>::Parse(u.storage_class);
  m.owner = OwnerOf(u.owner);
  m.initiator = api_s3::Initiator{u.initiator_arn, u.initiator_account};
  if (!u.checksum_algorithm.empty()) {
    m.checksum_algorithm = EnumValue<api_s3::ChecksumAlgorithm>::Parse(u.checksum_algorithm);
    m.checksum_type = EnumValue<api_s3::ChecksumType>::Parse(u.checksum_type);
  }
  return m;
}

// The bucket (the endpoint's action authorized on the key) and the upload a request names.
struct OpenedUpload {
  std::shared_ptr<const BucketRecord> bucket;
  OpenUpload upload;
};
Result<OpenedUpload> UploadTarget(S3Service& s, const Call& c, const std::string& bucket, const std::string& key,
                                  const std::string& upload_id, core::iam::ContextKeys keys = {}) {
  CK_ASSIGN_OR_RETURN(auto b, s.store().Bucket(bucket));
  CK_RETURN_IF_ERROR(Authorize(s, c, *b, c.action, key, std::move(keys)));
  CK_ASSIGN_OR_RETURN(auto u, s.store().Upload(b->name, key, upload_id));
  return OpenedUpload{std::move(b), std::move(u)};
}

}  // namespace

Result<api_s3::CreateMultipartUploadOutput> CreateMultipartUpload(S3Service& s,
                                                                  const api_s3::CreateMultipartUploadRequest& in,
                                                                  Call& c) {
  CK_ASSIGN_OR_RETURN(auto b, s.store().Bucket(in.bucket));
  CK_RETURN_IF_ERROR(Authorize(s, c, *b, c.action, in.key, WriteConditionKeys(in)));
  CK_RETURN_IF_ERROR(CheckWriteAcl(c, *b, acl::InputOf(in)));
  if (in.key.size() > 1024) return errors::KeyTooLongError("Your key is too long");
  UploadRecord u;
  u.upload_id = ids::Hex(24);
  u.key = in.key;
  u.initiator_arn = c.principal().arn;
  u.initiator_account = c.principal().account;
  u.request_id = c.ctx.request_id;
  u.owner = ObjectOwner(c, *b, in.acl);
  CK_ASSIGN_OR_RETURN(u.acl, WriteAcl(c, *b, acl::InputOf(in), u.owner));
  u.initiated = NowMillis(s);
  u.headers = StandardHeaders(in, c);
  CK_RETURN_IF_ERROR(CheckUserMetadata(in.metadata));
  u.metadata = DecodeUserMetadata(in.metadata);
  CK_ASSIGN_OR_RETURN(u.tags, ParseTaggingHeader(in.tagging));
  if (in.storage_class && !in.storage_class->str().empty()) u.storage_class = std::string(in.storage_class->str());
  CK_ASSIGN_OR_RETURN(u.lock, WriteLock(s, c, *b, in.key, LockHeadersOf(in)));
  CK_RETURN_IF_ERROR(SetUploadChecksum(in, &u));
  CK_ASSIGN_OR_RETURN(auto current, s.store().Current(b->name, in.key));
  u.key_seq = current ? current->seq : 0;
  // One data key per upload (GenerateDataKey as the requester now); every part
  // derives its own key from it with a fresh salt (sealed_blob.h).
  CK_ASSIGN_OR_RETURN(auto sse, PrepareSseWrite(s, c, *b, in.key, SseMembersOf(in)));
  u.encryption = sse.stored;
  CK_RETURN_IF_ERROR(s.store().CreateUpload(b->name, u));
  api_s3::CreateMultipartUploadOutput out;
  out.bucket = b->name;
  out.key = in.key;
  out.upload_id = u.upload_id;
  SetSse(DescribeSse(u.encryption, /*write=*/true), &out);
  if (!u.checksum_algorithm.empty()) {
    out.checksum_algorithm = EnumValue<api_s3::ChecksumAlgorithm>::Parse(u.checksum_algorithm);
    out.checksum_type = EnumValue<api_s3::ChecksumType>::Parse(u.checksum_type);
  }
  return out;
}

Result<Upload<api_s3::UploadPartOutput>> UploadPart(S3Service& s, const api_s3::UploadPartRequest& in, Call& c) {
  CK_ASSIGN_OR_RETURN(auto target, UploadTarget(s, c, in.bucket, in.key, in.upload_id, WriteConditionKeys(in)));
  auto& [b, u] = target;
  CK_RETURN_IF_ERROR(CheckPartNumber(in.part_number));
  CK_RETURN_IF_ERROR(CheckContentLength(c, kMaxPartSize));
  CK_ASSIGN_OR_RETURN(auto alg, PartChecksum(c, u.rec));
  // UploadPart needs the upload's data key: kms:Decrypt as the requester.
  CK_ASSIGN_OR_RETURN(auto keys, PartKeys(s, c, *b, u.rec, in));
  Upload<api_s3::UploadPartOutput> upload;
  bool default_crc = u.rec.checksum_algorithm.empty();
  CK_ASSIGN_OR_RETURN(upload.writer, s.store().NewWriter(alg, std::move(keys), default_crc));
  S3Service* sp = &s;
  int number = in.part_number;
  upload.commit = [sp, &c, up = target.upload, number, alg](WrittenSegment& w) -> Result<api_s3::UploadPartOutput> {
    CK_RETURN_IF_ERROR(VerifyDigests(c, w));
    CK_RETURN_IF_ERROR(sp->store().StorePart(up, PartRecord{number, w.segment, NowMillis(*sp)}));
    api_s3::UploadPartOutput out;
    out.e_tag = Quoted(w.segment.md5_hex);
    SetSse(DescribeSse(up.rec.encryption), &out);
    if (alg) SetChecksum(&out, crypto::ChecksumAlgorithmName(*alg), w.segment.checksum);
    return out;
  };
  return upload;
}

Result<api_s3::UploadPartCopyOutput> UploadPartCopy(S3Service& s, const api_s3::UploadPartCopyRequest& in, Call& c) {
  CK_ASSIGN_OR_RETURN(auto target, UploadTarget(s, c, in.bucket, in.key, in.upload_id, WriteConditionKeys(in)));
  auto& [b, u] = target;
  CK_RETURN_IF_ERROR(CheckPartNumber(in.part_number));
  CK_ASSIGN_OR_RETURN(auto src, LoadCopySource(s, c, in.copy_source));
  uint64_t start = 0, end = src.rec.size;
  std::string range = in.copy_source_range.value_or("");
  if (!range.empty()) {
    auto parsed = ParseCopyRange(range);
    if (!parsed)
      return errors::BadArgument(
          "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the "
          "zero-based offsets of the first and last bytes to copy",
          "x-amz-copy-source-range", range);
    auto [a, z] = *parsed;
    if (a >= src.rec.size)
      return errors::InvalidRequest("The specified copy range is invalid for the source object size");
    if (z >= src.rec.size)
      return errors::BadArgument(
          "Range specified is not valid for source object of size: " + std::to_string(src.rec.size),
          "x-amz-copy-source-range", range);
    start = a;
    end = z + 1;
  }
  if (end - start > kMaxPartSize)
    return errors::InvalidRequest(
        "The specified copy source is larger than the maximum allowable size for a copy source: 5368709120");
  std::optional<crypto::ChecksumAlgorithm> alg;
  if (!u.rec.checksum_algorithm.empty()) alg = crypto::ParseChecksumAlgorithm(u.rec.checksum_algorithm);
  CK_ASSIGN_OR_RETURN(auto src_keys, SseReadKeys(s, c, *src.bucket, src.rec.encryption, CopySourceCustomerKeyOf(in)));
  CK_ASSIGN_OR_RETURN(auto keys, PartKeys(s, c, *b, u.rec, in));
  CK_ASSIGN_OR_RETURN(auto w, s.store().Copy(src.rec, src_keys, start, end, alg, std::move(keys),
                                             /*crc64nvme=*/!alg.has_value()));
  PartRecord part{in.part_number, w.segment, NowMillis(s)};
  if (Status st = s.store().StorePart(u, part); !st.ok()) {
    s.store().Release({w.segment});
    return st;
  }
  api_s3::UploadPartCopyOutput out;
  auto& result = out.copy_part_result.emplace();
  result.e_tag = Quoted(w.segment.md5_hex);
  result.last_modified = FromEpochSeconds(part.mtime);
  if (alg) SetChecksum(&result, crypto::ChecksumAlgorithmName(*alg), w.segment.checksum);
  SetSse(DescribeSse(u.rec.encryption), &out);
  if (!src.version_id.empty()) out.copy_source_version_id = src.version_id;
  return out;
}

namespace {

api_s3::CompleteMultipartUploadOutput CompleteOutput(const Call& c, const BucketRecord& b, const std::string& key,
                                                     const ObjectRecord& rec) {
  std::string host(c.RawHeader("host").value_or(""));
  api_s3::CompleteMultipartUploadOutput out;
  std::string scheme = c.ctx.secure_transport ? "https://" : "http://";  // the request's, as S3's Location
  out.location = scheme + (host.empty() ? std::string("localhost") : host) + "/" + b.name + "/" + UriEncode(key, false);
  out.bucket = b.name;
  out.key = key;
  out.e_tag = Quoted(rec.etag);
  SetSse(DescribeSse(rec.encryption), &out);
  if (rec.version_id != "null") out.version_id = rec.version_id;
  if (!rec.checksum_algorithm.empty()) {
    SetChecksum(&out, rec.checksum_algorithm, rec.checksum);
    out.checksum_type = EnumValue<api_s3::ChecksumType>::Parse(rec.checksum_type);
  }
  return out;
}

}  // namespace

Result<api_s3::CompleteMultipartUploadOutput> CompleteMultipartUpload(S3Service& s,
                                                                      const api_s3::CompleteMultipartUploadRequest& in,
                                                                      Call& c) {
  CK_ASSIGN_OR_RETURN(auto b, AuthorizedBucket(s, c, in.bucket, in.key));
  CK_RETURN_IF_ERROR(CheckWriteConditionHeaders(in.if_none_match, in.if_match));
  auto opened = s.store().Upload(b->name, in.key, in.upload_id);
  if (!opened.ok()) {
    // Completing an upload again answers what the first completion did, while
    // its object is the key's current version.
    if (opened.status().code() == Code::kNotFound) {
      CK_ASSIGN_OR_RETURN(auto cur, s.store().Current(b->name, in.key));
      if (cur && !cur->upload_id.empty() && cur->upload_id == in.upload_id) return CompleteOutput(c, *b, in.key, *cur);
    }
    return opened.status();
  }
  OpenUpload& u = *opened;
  std::vector<api_s3::CompletedPart> requested;
  if (in.multipart_upload && in.multipart_upload->parts) requested = *in.multipart_upload->parts;
  if (requested.empty()) return errors::InvalidRequest("You must specify at least one part");
  CK_ASSIGN_OR_RETURN(auto parts, s.store().Parts(u.rec.upload_id));
  PartsByNumber by_number;
  for (const auto& p : parts) by_number[p.number] = &p;
  CK_RETURN_IF_ERROR(CheckRequestedParts(requested, by_number, u.rec.upload_id));
  CK_RETURN_IF_ERROR(CheckChecksumMode(in, u.rec));
  CK_ASSIGN_OR_RETURN(auto rec, Assemble(requested, by_number, u.rec));
  CK_RETURN_IF_ERROR(CheckObjectChecksum(in, u.rec, rec));
  rec.mtime = NowMillis(s);
  rec.upload_id = u.rec.upload_id;
  rec.lock = u.rec.lock;
  ApplyDefaultRetention(*b, rec.mtime, &rec.lock);
  CommitConditions cond = WriteConditions(in.if_none_match, in.if_match);
  cond.key_seq = u.rec.key_seq;
  cond.completes = &u;
  cond.parts = &parts;
  CK_RETURN_IF_ERROR(s.store().Commit(*b, rec, cond));
  std::set<int> used;
  for (const auto& r : requested) used.insert(r.part_number.value_or(0));
  std::vector<Segment> unused;
  for (const auto& p : parts)
    if (!used.count(p.number)) unused.push_back(p.segment);
  s.store().Release(unused);
  return CompleteOutput(c, *b, in.key, rec);
}

Result<api_s3::AbortMultipartUploadOutput> AbortMultipartUpload(S3Service& s,
                                                                const api_s3::AbortMultipartUploadRequest& in,
                                                                Call& c) {
  CK_ASSIGN_OR_RETURN(auto target, UploadTarget(s, c, in.bucket, in.key, in.upload_id));
  auto& [b, u] = target;
  CK_RETURN_IF_ERROR(s.store().AbortUpload(u));
  return api_s3::AbortMultipartUploadOutput{};
}

Result<api_s3::ListPartsOutput> ListParts(S3Service& s, const api_s3::ListPartsRequest& in, Call& c) {
  CK_ASSIGN_OR_RETURN(auto target, UploadTarget(s, c, in.bucket, in.key, in.upload_id));
  auto& [b, u] = target;
  int max = std::clamp(in.max_parts.value_or(1000), 0, 1000);
  int marker = in.part_number_marker.value_or(0);
  CK_ASSIGN_OR_RETURN(auto rows, s.store().PartsAfter(u.rec.upload_id, marker, static_cast<size_t>(max) + 1));
  bool truncated = rows.size() > static_cast<size_t>(max);
  api_s3::ListPartsOutput out;
  std::vector<api_s3::Part> parts;
  int last = 0;
  for (size_t i = 0; i < rows.size() && i < static_cast<size_t>(max); ++i) {
    const PartRecord& p = rows[i];
    api_s3::Part part;
    part.part_number = p.number;
    part.last_modified = FromEpochSeconds(p.mtime);
    part.e_tag = Quoted(p.segment.md5_hex);
    part.size = static_cast<int64_t>(p.segment.size);
    if (!p.segment.checksum.empty() && !u.rec.checksum_algorithm.empty())
      SetChecksum(&part, u.rec.checksum_algorithm, p.segment.checksum);
    parts.push_back(std::move(part));
    last = p.number;
  }
  out.bucket = b->name;
  out.key = in.key;
  out.upload_id = u.rec.upload_id;
  out.part_number_marker = marker;
  out.max_parts = max;
  out.is_truncated = truncated;
  out.initiator = api_s3::Initiator{u.rec.initiator_arn, u.rec.initiator_account};
  out.owner = OwnerOf(u.rec.owner);
  out.storage_class = EnumValue<api_s3::StorageClass>::Parse(u.rec.storage_class);
  if (!parts.empty()) out.parts = std::move(parts);
  out.next_part_number_marker = last;  // the last part listed (0: none), truncated or not
  if (!u.rec.checksum_algorithm.empty()) {
    out.checksum_algorithm = EnumValue<api_s3::ChecksumAlgorithm>::Parse(u.rec.checksum_algorithm);
    out.checksum_type = EnumValue<api_s3::ChecksumType>::Parse(u.rec.checksum_type);
  }
  return out;
}

Result<api_s3::ListMultipartUploadsOutput> ListMultipartUploads(S3Service& s,
                                                                const api_s3::ListMultipartUploadsRequest& in,
                                                                Call& c) {
  CK_ASSIGN_OR_RETURN(auto b, AuthorizedBucket(s, c, in.bucket));
  CK_RETURN_IF_ERROR(CheckEncodingType(in.encoding_type));
  std::string prefix = in.prefix.value_or(""), delimiter = in.delimiter.value_or("");
  std::string key_marker = in.key_marker.value_or(""), id_marker = in.upload_id_marker.value_or("");
  int max = std::clamp(in.max_uploads.value_or(1000), 0, 1000);
  ListFrom from = key_marker.empty()   ? ListFrom::Start()
                  : !id_marker.empty() ? ListFrom::AfterUpload(b->name, key_marker, id_marker)
                                       : ListFrom::PastKey(b->name, key_marker);
  // A marker within a common prefix (or the prefix itself) resumes past the prefix, which was listed.
  if (!key_marker.empty() && id_marker.empty() && !delimiter.empty() && key_marker.size() >= prefix.size() &&
      StartsWith(key_marker, prefix)) {
    size_t pos = key_marker.find(delimiter, prefix.size());
    if (pos != std::string::npos) from = ListFrom::PastPrefix(b->name, key_marker.substr(0, pos + delimiter.size()));
  }
  std::vector<api_s3::MultipartUpload> uploads;
  std::vector<api_s3::CommonPrefix> prefixes;
  std::set<std::string> seen_prefixes;
  int count = 0;
  bool truncated = false, done = max == 0;
  std::string next_key, next_id;
  while (!done) {
    CK_RETURN_IF_ERROR(CheckCancelled());  // shutting down: stop between pages
    CK_ASSIGN_OR_RETURN(auto rows, s.store().ListUploads(b->name, prefix, from, 1000));
    if (rows.empty()) break;
    for (const auto& row : rows) {
      from = row.After();
      std::string cp;
      if (!delimiter.empty()) {
        size_t pos = row.key.find(delimiter, prefix.size());
        if (pos != std::string::npos) cp = row.key.substr(0, pos + delimiter.size());
      }
      if (!cp.empty() && seen_prefixes.count(cp)) continue;
      if (count == max) {
        truncated = done = true;
        break;
      }
      ++count;
      if (!cp.empty()) {
        seen_prefixes.insert(cp);
        prefixes.push_back(api_s3::CommonPrefix{cp});
        continue;
      }
      CK_ASSIGN_OR_RETURN(auto u, s.store().DecodeUpload(row));
      uploads.push_back(UploadEntry(row.key, row.upload_id, u));
      next_key = row.key;
      next_id = row.upload_id;
    }
    if (!done && rows.size() < 1000) break;
  }
  api_s3::ListMultipartUploadsOutput out;
  out.bucket = b->name;
  out.key_marker = key_marker;
  out.upload_id_marker = id_marker;
  out.max_uploads = max;
  out.is_truncated = truncated;
  out.prefix = prefix;
  if (!uploads.empty()) out.uploads = std::move(uploads);
  if (!prefixes.empty()) out.common_prefixes = std::move(prefixes);
  if (!delimiter.empty()) out.delimiter = delimiter;
  out.next_key_marker = next_key;  // the last upload listed ("" when none), truncated or not
  out.next_upload_id_marker = next_id;
  return out;
}

}  // namespace ck::services::s3
