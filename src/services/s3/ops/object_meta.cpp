// What an object carries besides its data: tags, attributes, ACL.
#include <set>

#include "services/s3/ops/ops.h"

namespace ck::services::s3 {

namespace {

Result<std::vector<ObjectTag>> TagsOf(const api_s3::Tagging& tagging) {
  std::vector<ObjectTag> tags;
  for (const auto& t : tagging.tag_set) {
    if (t.key.empty()) return errors::Malformed();  // a Tag without its Key
    tags.push_back(ObjectTag{t.key, t.value});
  }
  CK_RETURN_IF_ERROR(CheckObjectTags(tags));
  return tags;
}

// How a sub-resource request answers a delete marker that is the key's
// latest version (recorded on AWS): GetObjectAcl as GET does (404), the
// others (tagging, PutObjectAcl) 405 as for a marker named by version.
enum class LatestMarker { kNoSuchKey, kMethodNotAllowed };

// The version an object sub-resource request names, authorized with the
// endpoint's action (its Version form when a version is named).
Result<ObjectRecord> TargetVersion(S3Service& s, Call& c, const BucketRecord& b, const std::string& key,
                                   const std::string& version_id, core::iam::ContextKeys keys = {},
                                   LatestMarker latest = LatestMarker::kMethodNotAllowed) {
  CK_ASSIGN_OR_RETURN(
      auto rec, AuthorizedVersion(s, c, b, VersionedAction(c.action, version_id), key, version_id, std::move(keys)));
  if (rec.delete_marker) {
    c.error_headers = {{"x-amz-delete-marker", "true"}, {"x-amz-version-id", rec.version_id}};
    if (version_id.empty() && latest == LatestMarker::kNoSuchKey) return errors::MissingKey(key);
    c.error_headers.emplace_back("Last-Modified", FormatHttpDate(FromEpochSeconds(rec.mtime)));
    return errors::MethodNotAllowedFor(c.method(), "DeleteMarker");
  }
  return rec;
}

// Replaces a version's tags with `tagging`'s (null: none); the version id to answer.
Result<std::optional<std::string>> SetTags(S3Service& s, Call& c, const std::string& bucket, const std::string& key,
                                           const std::optional<std::string>& version_id,
                                           const api_s3::Tagging* tagging) {
  CK_ASSIGN_OR_RETURN(auto b, s.store().Bucket(bucket));
  std::string vid = version_id.value_or("");
  std::vector<ObjectTag> sent;
  if (tagging)
    for (const auto& t : tagging->tag_set) sent.push_back(ObjectTag{t.key, t.value});
  core::iam::ContextKeys keys;
  if (tagging) AddRequestTagKeys(sent, &keys);
  CK_RETURN_IF_ERROR(TargetVersion(s, c, *b, key, vid, std::move(keys)).status());
  std::vector<ObjectTag> tags;
  if (tagging) {
    CK_ASSIGN_OR_RETURN(tags, TagsOf(*tagging));
  }
  ObjectRecord updated;
  CK_RETURN_IF_ERROR(s.store().UpdateVersion(
      *b, key, vid, [&](ObjectRecord& r) { r.tags = tags; }, &updated));
  if (updated.version_id == "null") return std::optional<std::string>();
  return std::optional<std::string>(updated.version_id);
}

api_s3::GetObjectAttributesParts PartsOf(const ObjectRecord& rec, int max_parts, int marker) {
  api_s3::GetObjectAttributesParts p;
  auto& parts = p.parts.emplace();
  int last = 0;  // the last part listed (0: none)
  bool truncated = false;
  for (int i = marker; i < rec.parts_count; ++i) {
    if (static_cast<int>(parts.size()) >= max_parts) {
      truncated = true;
      break;
    }
    api_s3::ObjectPart part;
    part.part_number = i + 1;
    part.size = static_cast<int64_t>(rec.segments[i].size);
    if (!rec.segments[i].checksum.empty()) SetChecksum(&part, rec.checksum_algorithm, rec.segments[i].checksum);
    parts.push_back(std::move(part));
    last = i + 1;
  }
  p.total_parts_count = rec.parts_count;
  p.part_number_marker = marker;
  p.next_part_number_marker = last;
  p.max_parts = max_parts;
  p.is_truncated = truncated;
  return p;
}

}  // namespace

Result<api_s3::GetObjectTaggingOutput> GetObjectTagging(S3Service& s, const api_s3::GetObjectTaggingRequest& in,
                                                        Call& c) {
  CK_ASSIGN_OR_RETURN(auto b, s.store().Bucket(in.bucket));
  auto found = TargetVersion(s, c, *b, in.key, in.version_id.value_or(""));
  // GetObjectTagging names the missing key with its bucket (recorded on AWS; the other operations do not).
  if (!found.ok() && found.status().aws_code() == "NoSuchKey")
    return errors::NoSuchKey("The specified key does not exist.").WithField("Key", b->name + "/" + in.key);
  CK_ASSIGN_OR_RETURN(auto rec, std::move(found));
  api_s3::GetObjectTaggingOutput out;
  for (const auto& t : rec.tags) out.tag_set.push_back(api_s3::Tag{t.key, t.value});
  if (rec.version_id != "null") out.version_id = rec.version_id;
  return out;
}

Result<api_s3::PutObjectTaggingOutput> PutObjectTagging(S3Service& s, const api_s3::PutObjectTaggingRequest& in,
                                                        Call& c) {
  api_s3::PutObjectTaggingOutput out;
  CK_ASSIGN_OR_RETURN(out.version_id, SetTags(s, c, in.bucket, in.key, in.version_id, &in.tagging));
  return out;
}

Result<api_s3::DeleteObjectTaggingOutput> DeleteObjectTagging(S3Service& s,
                                                              const api_s3::DeleteObjectTaggingRequest& in, Call& c) {
  api_s3::DeleteObjectTaggingOutput out;
  CK_ASSIGN_OR_RETURN(out.version_id, SetTags(s, c, in.bucket, in.key, in.version_id, nullptr));
  return out;
}

Result<api_s3::GetObjectAttributesOutput> GetObjectAttributes(S3Service& s,
                                                              const api_s3::GetObjectAttributesRequest& in, Call& c) {
  CK_ASSIGN_OR_RETURN(auto b, s.store().Bucket(in.bucket));
  CK_ASSIGN_OR_RETURN(auto rec,
                      TargetVersion(s, c, *b, in.key, in.version_id.value_or(""), {}, LatestMarker::kNoSuchKey));
  // An SSE-C object's attributes need its key, as its data does.
  CK_ASSIGN_OR_RETURN(auto customer, ParseCustomerKey(CustomerKeyOf(in), /*reading=*/true));
  CK_RETURN_IF_ERROR(SseKeys::CheckCustomer(rec.encryption, customer));
  std::set<std::string, std::less<>> want;
  for (const auto& a : in.object_attributes) want.insert(std::string(a.str()));
  if (want.empty()) return errors::BadArgument("Invalid attribute name specified.", "x-amz-object-attributes", "");
  api_s3::GetObjectAttributesOutput out;
  out.last_modified = FromEpochSeconds(rec.mtime);
  if (rec.version_id != "null") out.version_id = rec.version_id;
  if (want.count("ETag")) out.e_tag = rec.etag;
  if (want.count("ObjectSize")) out.object_size = static_cast<int64_t>(rec.size);
  if (want.count("StorageClass")) out.storage_class = EnumValue<api_s3::StorageClass>::Parse(rec.storage_class);
  if (want.count("Checksum") && !rec.checksum_algorithm.empty()) {
    std::string value = rec.checksum;
    if (auto dash = value.find('-'); dash != std::string::npos) value = value.substr(0, dash);
    auto& sum = out.checksum.emplace();
    SetChecksum(&sum, rec.checksum_algorithm, value);
    sum.checksum_type = EnumValue<api_s3::ChecksumType>::Parse(rec.checksum_type);
  }
  if (want.count("ObjectParts") && rec.parts_count > 0)
    out.object_parts = PartsOf(rec, in.max_parts.value_or(1000), in.part_number_marker.value_or(0));
  return out;
}

Result<api_s3::GetObjectAclOutput> GetObjectAcl(S3Service& s, const api_s3::GetObjectAclRequest& in, Call& c) {
  CK_ASSIGN_OR_RETURN(auto b, s.store().Bucket(in.bucket));
  CK_ASSIGN_OR_RETURN(auto rec,
                      TargetVersion(s, c, *b, in.key, in.version_id.value_or(""), {}, LatestMarker::kNoSuchKey));
  api::s3::AccessControlPolicy shown = ObjectAcl(*b, rec);
  api_s3::GetObjectAclOutput out;
  out.owner = shown.owner;
  out.grants = shown.grants;
  return out;
}

Result<api_s3::PutObjectAclOutput> PutObjectAcl(S3Service& s, const api_s3::PutObjectAclRequest& in, Call& c) {
  CK_ASSIGN_OR_RETURN(auto b, s.store().Bucket(in.bucket));
  std::string vid = in.version_id.value_or("");
  CK_ASSIGN_OR_RETURN(auto rec, TargetVersion(s, c, *b, in.key, vid, WriteConditionKeys(in)));
  CK_ASSIGN_OR_RETURN(auto grants, ObjectAclToSet(c, *b, rec, acl::InputOf(in)));
  if (grants) {
    ObjectRecord updated;
    CK_RETURN_IF_ERROR(s.store().UpdateVersion(
        *b, in.key, vid, [&](ObjectRecord& r) { r.acl = grants; }, &updated));
  }
  return api_s3::PutObjectAclOutput{};
}

}  // namespace ck::services::s3
