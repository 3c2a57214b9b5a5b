// Authorization and object ownership, shared by every S3 operation.
#include <algorithm>

#include "base/codec.h"
#include "services/authorizer.h"
#include "services/s3/ops/common.h"

namespace ck::services::s3 {

Status Authorize(S3Service& s, const Call& c, const BucketRecord& b, std::string_view action, const std::string& key,
                 core::iam::ContextKeys keys, const ObjectRecord* object) {
  std::shared_ptr<const core::iam::Policy> policy;
  if (b.policy) {
    auto parsed = s.authorizer().Parse(*b.policy, core::iam::PolicyKind::kResource);
    if (parsed.ok()) policy = *parsed;
  }
  const Principal& p = c.principal();
  AuthzRequest r =
      AuthzRequest::For(c.ctx, std::string(action), "arn:aws:s3:::" + b.name + (key.empty() ? "" : "/" + key));
  r.resource_account = b.owner;
  r.resource_policy = policy.get();
  r.resource_policy_kind = "bucket policy";
  r.keys = std::move(keys);
  CK_ASSIGN_OR_RETURN(auto result, s.authorizer().Authorize(r));
  bool explicit_deny = result.decision == core::iam::Decision::kExplicitDeny;
  // The bucket policy's allows reach anonymous callers only while the public
  // access block does not restrict them, and never reach an object another
  // account owns (its owner's ACL decides); its denials always count.
  bool policy_counts = !(p.is_anonymous() && (!policy || b.restricts_public_buckets())) &&
                       !(object && !object->owner.empty() && object->owner != b.owner && AclsEnabled(b));
  if (result.allowed() && policy_counts) return Status::Ok();
  if (!explicit_deny) {
    CK_ASSIGN_OR_RETURN(bool granted, AllowedByAcl(s, c, b, r, key, object));
    if (granted) return Status::Ok();
  }
  if (p.is_anonymous()) return errors::PlainAccessDenied();
  // AWS now names the principal, action and resource for identity-side and
  // explicit denials; we use that detailed form for every denial.
  if (result.allowed()) return errors::PlainAccessDenied();  // allowed by a policy that cannot grant it
  return errors::AccessDenied(result.Message(/*redact_resource=*/false));
}

core::iam::ContextKeys ExistingTagKeys(const ObjectRecord& rec) {
  core::iam::ContextKeys keys;
  for (const auto& t : rec.tags) keys["s3:ExistingObjectTag/" + t.key] = {t.value};
  return keys;
}

void AddRequestTagKeys(const std::vector<ObjectTag>& tags, core::iam::ContextKeys* keys) {
  auto& names = (*keys)["s3:RequestObjectTagKeys"];
  for (const auto& t : tags) {
    (*keys)["s3:RequestObjectTag/" + t.key] = {t.value};
    names.push_back(t.key);
  }
}

std::string CopySourceKey(const std::string& copy_source) {
  // INFERRED: the key is compared with "bucket/key" patterns (S3 user guide
  // examples), so it holds the decoded source without its leading slash.
  std::string v = copy_source;
  std::string version;
  if (size_t q = v.find('?'); q != std::string::npos) version = v.substr(q), v = v.substr(0, q);
  v = UriDecode(v).value_or(v);
  if (StartsWith(v, "/")) v = v.substr(1);
  return v + version;
}

Result<ObjectRecord> AuthorizedVersion(S3Service& s, const Call& c, const BucketRecord& b, std::string_view action,
                                       const std::string& key, const std::string& version_id,
                                       core::iam::ContextKeys keys) {
  auto rec = s.store().Version(b, key, version_id);
  if (!rec.ok()) {
    CK_RETURN_IF_ERROR(Authorize(s, c, b, action, key, std::move(keys)));
    return rec.status();
  }
  keys.merge(ExistingTagKeys(*rec));
  CK_RETURN_IF_ERROR(Authorize(s, c, b, action, key, std::move(keys), &*rec));
  return rec;
}

Result<std::shared_ptr<const BucketRecord>> AuthorizedBucket(S3Service& s, const Call& c, const std::string& bucket,
                                                             const std::string& key) {
  CK_ASSIGN_OR_RETURN(auto b, s.store().Bucket(bucket));
  CK_RETURN_IF_ERROR(Authorize(s, c, *b, c.action, key));
  return b;
}

std::string ObjectOwner(const Call& c, const BucketRecord& b,
                        const std::optional<EnumValue<api::s3::ObjectCannedACL>>& acl) {
  const std::string& writer = c.principal().account;
  bool full_control = acl && *acl == api::s3::ObjectCannedACL::kBucketOwnerFullControl;
  // Without ownership controls a bucket behaves as ObjectWriter.
  bool writer_owns = b.ownership == api::s3::ObjectOwnership::kObjectWriter || !b.ownership.known() ||
                     (b.ownership == api::s3::ObjectOwnership::kBucketOwnerPreferred && !full_control);
  if (writer_owns) return writer.empty() ? b.owner : writer;
  return b.owner;
}

}  // namespace ck::services::s3
