// Object Lock operations (bucket configuration, per-version retention and
// legal hold) and what the object writes and deletes take from them: the
// lock of a new version, the bypass of governance retention, the integrity
// header S3 requires with lock parameters. The rules are object_lock.h's.
//
// Thread safety: stateless functions.
#pragma once

#include <optional>
#include <string>

#include "api/s3.h"
#include "services/s3/object_lock.h"
#include "services/s3/ops/common.h"

namespace ck::services::s3 {

namespace api_s3 = ::ck::api::s3;

Result<api_s3::GetObjectLockConfigurationOutput> GetObjectLockConfiguration(
    S3Service&, const api_s3::GetObjectLockConfigurationRequest&, Call&);
Result<api_s3::PutObjectLockConfigurationOutput> PutObjectLockConfiguration(
    S3Service&, const api_s3::PutObjectLockConfigurationRequest&, Call&);
Result<api_s3::PutObjectRetentionOutput> PutObjectRetention(S3Service&, const api_s3::PutObjectRetentionRequest&,
                                                            Call&);
Result<api_s3::GetObjectRetentionOutput> GetObjectRetention(S3Service&, const api_s3::GetObjectRetentionRequest&,
                                                            Call&);
Result<api_s3::PutObjectLegalHoldOutput> PutObjectLegalHold(S3Service&, const api_s3::PutObjectLegalHoldRequest&,
                                                            Call&);
Result<api_s3::GetObjectLegalHoldOutput> GetObjectLegalHold(S3Service&, const api_s3::GetObjectLegalHoldRequest&,
                                                            Call&);

// CreateBucket with x-amz-bucket-object-lock-enabled: the caller needs
// s3:PutBucketObjectLockConfiguration and s3:PutBucketVersioning too; the
// bucket starts with versioning Enabled and Object Lock on.
void EnableObjectLock(BucketRecord* b);

// x-amz-bypass-governance-retention (true or false) on a bucket without
// Object Lock: 400 InvalidArgument naming it (recorded on AWS).
Status CheckBypassHeader(const BucketRecord& b, const std::optional<bool>& bypass);
// Whether the request bypasses governance retention on `key`: the header is
// true and the caller is allowed s3:BypassGovernanceRetention.
bool BypassesGovernance(S3Service& s, const Call& c, const BucketRecord& b, const std::string& key,
                        const std::optional<bool>& bypass);

// The explicit lock of a new version from a write's object-lock headers
// (validated, LockFromHeaders), after authorizing s3:PutObjectRetention
// and s3:PutObjectLegalHold for the headers sent.
Result<StoredLock> WriteLock(S3Service& s, const Call& c, const BucketRecord& b, const std::string& key,
                             const LockHeaders& h);
template <class In>
LockHeaders LockHeadersOf(const In& in) {
  return LockHeaders{in.object_lock_mode, in.object_lock_retain_until_date, in.object_lock_legal_hold_status};
}

// A PutObject with object-lock parameters must carry Content-MD5 or a
// checksum (header, trailer or the SDK's algorithm header).
Status RequireIntegrityHeader(const Call& c);

}  // namespace ck::services::s3
