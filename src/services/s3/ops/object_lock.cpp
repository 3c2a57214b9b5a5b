// Object Lock: the bucket's configuration, a version's retention and legal
// hold, and the helpers the writes and deletes use (ops/object_lock.h).
#include "services/s3/ops/object_lock.h"

#include "base/codec.h"

namespace ck::services::s3 {

namespace {

// The version a retention or legal hold request names (the current one
// without a version id), authorized with the endpoint's action, which has
// no Version form. A delete marker answers 405 (recorded on AWS for a marker
// named by version; INFERRED for the latest version).
Result<ObjectRecord> LockTarget(S3Service& s, Call& c, const BucketRecord& b, const std::string& key,
                                const std::string& version_id) {
  CK_ASSIGN_OR_RETURN(auto rec, AuthorizedVersion(s, c, b, c.action, key, version_id));
  if (rec.delete_marker) {
    c.error_headers = {{"x-amz-delete-marker", "true"},
                       {"x-amz-version-id", rec.version_id},
                       {"Last-Modified", FormatHttpDate(FromEpochSeconds(rec.mtime))}};
    return errors::MethodNotAllowedFor(c.method(), "DeleteMarker");
  }
  return rec;
}

// The bucket of an object-level lock request, which must have Object Lock.
Result<std::shared_ptr<const BucketRecord>> LockedBucket(S3Service& s, const std::string& name) {
  CK_ASSIGN_OR_RETURN(auto b, s.store().Bucket(name));
  if (!b->object_lock_enabled()) return errors::LockNotEnabled();
  return b;
}

Status NoLockConfiguration() {
  return errors::NoSuchObjectLockConfiguration("The specified object does not have a ObjectLock configuration");
}

}  // namespace

void EnableObjectLock(BucketRecord* b) {
  b->versioning = api_s3::BucketVersioningStatus::kEnabled;
  b->object_lock.emplace().object_lock_enabled = api_s3::ObjectLockEnabled::kEnabled;
}

Result<api_s3::GetObjectLockConfigurationOutput> GetObjectLockConfiguration(
    S3Service& s, const api_s3::GetObjectLockConfigurationRequest& in, Call& c) {
  CK_ASSIGN_OR_RETURN(auto b, AuthorizedBucket(s, c, in.bucket));
  if (!b->object_lock)
    return errors::ObjectLockConfigurationNotFoundError("Object Lock configuration does not exist for this bucket")
        .WithField("BucketName", b->name);
  api_s3::GetObjectLockConfigurationOutput out;
  out.object_lock_configuration = *b->object_lock;
  return out;
}

Result<api_s3::PutObjectLockConfigurationOutput> PutObjectLockConfiguration(
    S3Service& s, const api_s3::PutObjectLockConfigurationRequest& in, Call& c) {
  CK_ASSIGN_OR_RETURN(auto b, AuthorizedBucket(s, c, in.bucket));
  auto unversioned = [] {
    return errors::InvalidBucketState(
        "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration");
  };
  if (!b->versioning_enabled()) return unversioned();
  CK_RETURN_IF_ERROR(CheckLockConfiguration(in.object_lock_configuration));
  api_s3::ObjectLockConfiguration cfg;
  cfg.object_lock_enabled = api_s3::ObjectLockEnabled::kEnabled;
  cfg.rule = in.object_lock_configuration->rule;
  CK_RETURN_IF_ERROR(s.store().UpdateBucket(b->name, [&](BucketRecord& r) {
    if (!r.versioning_enabled()) return unversioned();  // suspended meanwhile
    r.object_lock = cfg;
    return Status::Ok();
  }));
  return api_s3::PutObjectLockConfigurationOutput{};
}

Result<api_s3::PutObjectRetentionOutput> PutObjectRetention(S3Service& s, const api_s3::PutObjectRetentionRequest& in,
                                                            Call& c) {
  CK_ASSIGN_OR_RETURN(auto b, s.store().Bucket(in.bucket));
  // The body first, as PutObjectLegalHold (recorded on AWS there).
  CK_ASSIGN_OR_RETURN(auto next, RetentionFromRequest(in.retention));
  if (!b->object_lock_enabled()) return errors::LockNotEnabled();
  CK_ASSIGN_OR_RETURN(auto rec, LockTarget(s, c, *b, in.key, in.version_id.value_or("")));
  double now = NowMillis(s);
  CK_RETURN_IF_ERROR(CheckRetainUntil(next, now));
  bool bypass = BypassesGovernance(s, c, *b, in.key, in.bypass_governance_retention);
  CK_RETURN_IF_ERROR(s.store().UpdateVersionIf(
      *b, in.key, rec.version_id,
      [&](ObjectRecord& r) {
        CK_RETURN_IF_ERROR(CheckRetentionChange(r.lock, next, now, bypass));
        r.lock.mode = next.mode;
        r.lock.until = next.until;
        return Status::Ok();
      },
      nullptr));
  return api_s3::PutObjectRetentionOutput{};
}

Result<api_s3::GetObjectRetentionOutput> GetObjectRetention(S3Service& s, const api_s3::GetObjectRetentionRequest& in,
                                                            Call& c) {
  CK_ASSIGN_OR_RETURN(auto b, LockedBucket(s, in.bucket));
  CK_ASSIGN_OR_RETURN(auto rec, LockTarget(s, c, *b, in.key, in.version_id.value_or("")));
  if (rec.lock.mode.empty()) return NoLockConfiguration();
  api_s3::GetObjectRetentionOutput out;
  auto& r = out.retention.emplace();
  r.mode = EnumValue<api_s3::ObjectLockRetentionMode>::Parse(rec.lock.mode);
  r.retain_until_date = FromEpochSeconds(rec.lock.until);
  return out;
}

Result<api_s3::PutObjectLegalHoldOutput> PutObjectLegalHold(S3Service& s, const api_s3::PutObjectLegalHoldRequest& in,
                                                            Call& c) {
  CK_ASSIGN_OR_RETURN(auto b, s.store().Bucket(in.bucket));
  // The body is checked first: on a bucket without Object Lock an empty
  // request is MalformedXML (recorded on AWS).
  if (!in.legal_hold || !in.legal_hold->status || !in.legal_hold->status->known()) return errors::Malformed();
  if (!b->object_lock_enabled()) return errors::LockNotEnabled();
  CK_ASSIGN_OR_RETURN(auto rec, LockTarget(s, c, *b, in.key, in.version_id.value_or("")));
  std::string status(in.legal_hold->status->str());
  CK_RETURN_IF_ERROR(s.store().UpdateVersion(
      *b, in.key, rec.version_id, [&](ObjectRecord& r) { r.lock.legal_hold = status; }, nullptr));
  return api_s3::PutObjectLegalHoldOutput{};
}

Result<api_s3::GetObjectLegalHoldOutput> GetObjectLegalHold(S3Service& s, const api_s3::GetObjectLegalHoldRequest& in,
                                                            Call& c) {
  CK_ASSIGN_OR_RETURN(auto b, LockedBucket(s, in.bucket));
  CK_ASSIGN_OR_RETURN(auto rec, LockTarget(s, c, *b, in.key, in.version_id.value_or("")));
  if (rec.lock.legal_hold.empty()) return NoLockConfiguration();
  api_s3::GetObjectLegalHoldOutput out;
  out.legal_hold.emplace().status = EnumValue<api_s3::ObjectLockLegalHoldStatus>::Parse(rec.lock.legal_hold);
  return out;
}

Status CheckBypassHeader(const BucketRecord& b, const std::optional<bool>& bypass) {
  if (!bypass || b.object_lock_enabled()) return Status::Ok();
  return errors::InvalidArgument("x-amz-bypass-governance-retention is only applicable to Object Lock enabled buckets.")
      .WithField("ArgumentName", "x-amz-bypass-governance-retention");
}

bool BypassesGovernance(S3Service& s, const Call& c, const BucketRecord& b, const std::string& key,
                        const std::optional<bool>& bypass) {
  return bypass.value_or(false) && Authorize(s, c, b, "s3:BypassGovernanceRetention", key).ok();
}

Result<StoredLock> WriteLock(S3Service& s, const Call& c, const BucketRecord& b, const std::string& key,
                             const LockHeaders& h) {
  CK_ASSIGN_OR_RETURN(auto lock, LockFromHeaders(h, b, NowMillis(s)));
  // Setting a lock on write takes the permissions of setting it afterwards
  // (S3 user guide, "Object Lock considerations").
  if (!lock.mode.empty()) CK_RETURN_IF_ERROR(Authorize(s, c, b, "s3:PutObjectRetention", key));
  if (!lock.legal_hold.empty()) CK_RETURN_IF_ERROR(Authorize(s, c, b, "s3:PutObjectLegalHold", key));
  return lock;
}

Status RequireIntegrityHeader(const Call& c) {
  for (const auto& [name, value] : c.head->headers.all()) {
    std::string n = ToLower(name);
    if (n == "content-md5" || n == "x-amz-sdk-checksum-algorithm" || StartsWith(n, "x-amz-checksum-"))
      return Status::Ok();
    if (n == "x-amz-trailer" && ToLower(value).find("x-amz-checksum-") != std::string::npos) return Status::Ok();
  }
  // INFERRED (not recorded: the SDKs always send a checksum): S3's wording.
  return errors::InvalidRequest(
      "Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock parameters");
}

}  // namespace ck::services::s3
