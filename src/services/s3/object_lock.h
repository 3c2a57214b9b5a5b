// S3 Object Lock as rules over values: what a lock configuration, a
// retention and the object-lock headers of a write must look like, when a
// version is protected from deletion, and which retention changes a caller
// may make. The operations (ops/object_lock.cpp) read and store; this file
// decides, with S3's errors (recorded on AWS unless marked INFERRED).
//
//   - A bucket has Object Lock once created with it or once a configuration
//     is put on a bucket with versioning Enabled; it cannot be removed, and
//     versioning can no longer be suspended.
//   - A version is protected while its retain-until date is in the future
//     (GOVERNANCE: unless the caller bypasses it, with
//     x-amz-bypass-governance-retention and s3:BypassGovernanceRetention;
//     COMPLIANCE: always) and while its legal hold is ON.
//   - A retention may always be made stricter (a later date, GOVERNANCE →
//     COMPLIANCE); loosening it (an earlier date, COMPLIANCE → GOVERNANCE,
//     removing it) is refused for COMPLIANCE and needs the bypass for
//     GOVERNANCE.
//
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <string>

#include "api/s3.h"
#include "base/clock.h"
#include "base/status.h"
#include "services/s3/records.h"

namespace ck::services::s3 {

// The longest default retention S3 accepts (INFERRED from the S3 user guide:
// up to 100 years).
inline constexpr int kMaxRetentionDays = 36500;
inline constexpr int kMaxRetentionYears = 100;

// A PutObjectLockConfiguration body: ObjectLockEnabled "Enabled", and a Rule
// only with a DefaultRetention of a known Mode and exactly one of Days or
// Years (MalformedXML otherwise); a period of at least 1 and at most 100
// years (InvalidArgument).
Status CheckLockConfiguration(const std::optional<api::s3::ObjectLockConfiguration>& cfg);

// The retain-until date the bucket's default retention gives a version
// created at `now` (nullopt without a default rule). A year is 365 days
// (INFERRED).
std::optional<double> DefaultRetainUntil(const BucketRecord& b, double now);

// The object-lock headers of a write (PutObject, CopyObject,
// CreateMultipartUpload) as sent.
struct LockHeaders {
  std::optional<EnumValue<api::s3::ObjectLockMode>> mode;
  std::optional<TimePoint> retain_until;
  std::optional<EnumValue<api::s3::ObjectLockLegalHoldStatus>> legal_hold;
  bool any() const { return mode || retain_until || legal_hold; }
};

// Validates the headers against the bucket and the clock: mode and date
// together, a known mode ("Unknown wormMode directive."), a date in the
// future, a known legal hold status, and a bucket with Object Lock. The
// version's explicit lock (the default retention is applied on commit,
// ApplyDefaultRetention).
Result<StoredLock> LockFromHeaders(const LockHeaders& h, const BucketRecord& b, double now);

// A new version without an explicit retention takes the bucket's default.
void ApplyDefaultRetention(const BucketRecord& b, double now, StoredLock* lock);

// Whether the version's retention still holds at `now`.
bool RetentionActive(const StoredLock& lock, double now);

// Whether deleting (or overwriting the lock of) a version is refused:
// legal hold ON, or a retention still active that the caller does not
// bypass (`bypass`: the header was sent and the caller may bypass).
// ObjectLocked() when protected.
Status CheckDeletable(const StoredLock& lock, double now, bool bypass);

// A PutObjectRetention body: absent or empty (removing the retention), or
// Mode (known) and RetainUntilDate together (MalformedXML otherwise).
Result<StoredLock> RetentionFromRequest(const std::optional<api::s3::ObjectLockRetention>& r);
// A retention's date must be in the future (InvalidArgument naming
// RetainUntilDate, its value as S3 prints it, PacificDateText).
Status CheckRetainUntil(const StoredLock& retention, double now);

// Whether `next` (mode and until) may replace `current`'s retention at `now`.
Status CheckRetentionChange(const StoredLock& current, const StoredLock& next, double now, bool bypass);

// A time as S3 prints a rejected retain-until date: Java's Date.toString in
// US Pacific time ("Tue Dec 31 16:00:00 PST 2019"), whatever the region
// (recorded on AWS).
std::string PacificDateText(double epoch_seconds);

}  // namespace ck::services::s3
