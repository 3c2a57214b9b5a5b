#include "services/s3/object_lock.h"

#include <cmath>
#include <cstdio>
#include <ctime>

#include "services/s3/errors.h"

namespace ck::services::s3 {

namespace s3api = ::ck::api::s3;

namespace {

constexpr double kDay = 86400.0;

// The day of the month of the `nth` Sunday (1-based) of a month, given the
// weekday (0 = Sunday) of its first day.
int NthSunday(int first_weekday, int nth) { return 1 + (7 - first_weekday) % 7 + 7 * (nth - 1); }

// US daylight saving time (since 2007): from 02:00 local standard time on the
// second Sunday of March to 02:00 local daylight time on the first Sunday of
// November, i.e. 10:00 and 09:00 UTC for Pacific time.
bool PacificDaylightTime(time_t t) {
  std::tm utc{};
  gmtime_r(&t, &utc);
  auto sunday = [&](int month, int nth) {
    std::tm first{};
    first.tm_year = utc.tm_year;
    first.tm_mon = month;
    first.tm_mday = 1;
    time_t f = timegm(&first);
    std::tm fd{};
    gmtime_r(&f, &fd);
    first.tm_mday = NthSunday(fd.tm_wday, nth);
    return timegm(&first);
  };
  time_t start = sunday(2, 2) + 10 * 3600;  // March
  time_t end = sunday(10, 1) + 9 * 3600;    // November
  return t >= start && t < end;
}

Status CheckDefaultRetention(const s3api::DefaultRetention& d) {
  if (!d.mode || !d.mode->known() || d.days.has_value() == d.years.has_value()) return errors::Malformed();
  // INFERRED (not recorded): S3's wording for a period out of range.
  int period = d.days ? *d.days : *d.years;
  int max = d.days ? kMaxRetentionDays : kMaxRetentionYears;
  if (period < 1)
    return errors::InvalidArgument("Default retention period must be a positive integer value.")
        .WithField("ArgumentName", d.days ? "Days" : "Years")
        .WithField("ArgumentValue", std::to_string(period));
  if (period > max)
    return errors::InvalidArgument("Default retention period is too large.")
        .WithField("ArgumentName", d.days ? "Days" : "Years")
        .WithField("ArgumentValue", std::to_string(period));
  return Status::Ok();
}

Status PastDate(const std::string& argument, double until) {
  return errors::InvalidArgument("The retain until date must be in the future!")
      .WithField("ArgumentName", argument)
      .WithField("ArgumentValue", PacificDateText(until));
}

}  // namespace

Status CheckLockConfiguration(const std::optional<s3api::ObjectLockConfiguration>& cfg) {
  if (!cfg || !cfg->object_lock_enabled || *cfg->object_lock_enabled != s3api::ObjectLockEnabled::kEnabled)
    return errors::Malformed();
  if (!cfg->rule) return Status::Ok();
  if (!cfg->rule->default_retention) return errors::Malformed();
  return CheckDefaultRetention(*cfg->rule->default_retention);
}

std::optional<double> DefaultRetainUntil(const BucketRecord& b, double now) {
  if (!b.object_lock || !b.object_lock->rule || !b.object_lock->rule->default_retention) return std::nullopt;
  const auto& d = *b.object_lock->rule->default_retention;
  double days = d.days ? *d.days : 365.0 * d.years.value_or(0);
  return now + days * kDay;
}

Result<StoredLock> LockFromHeaders(const LockHeaders& h, const BucketRecord& b, double now) {
  StoredLock lock;
  if (!h.any()) return lock;
  constexpr char kBoth[] = "x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied";
  if (h.mode && !h.retain_until)
    return errors::InvalidArgument(kBoth).WithField("ArgumentName", "x-amz-object-lock-retain-until-date");
  if (!h.mode && h.retain_until)
    return errors::InvalidArgument(kBoth).WithField("ArgumentName", "x-amz-object-lock-mode");
  if (h.mode && !h.mode->known())
    return errors::BadArgument("Unknown wormMode directive.", "x-amz-object-lock-mode", std::string(h.mode->str()));
  // INFERRED (not recorded): the wording for a bad legal hold status.
  if (h.legal_hold && !h.legal_hold->known())
    return errors::BadArgument("Legal Hold must be either of 'ON' or 'OFF'", "x-amz-object-lock-legal-hold",
                               std::string(h.legal_hold->str()));
  // INFERRED (not recorded): the headers on a bucket without Object Lock, and
  // a date in the past, answer as PutObjectRetention does.
  if (!b.object_lock_enabled()) return errors::LockNotEnabled();
  if (h.mode) {
    double until = ToEpochSeconds(*h.retain_until);
    if (until <= now) return PastDate("x-amz-object-lock-retain-until-date", until);
    lock.mode = std::string(h.mode->str());
    lock.until = until;
  }
  if (h.legal_hold) lock.legal_hold = std::string(h.legal_hold->str());
  return lock;
}

void ApplyDefaultRetention(const BucketRecord& b, double now, StoredLock* lock) {
  if (!lock->mode.empty()) return;
  auto until = DefaultRetainUntil(b, now);
  if (!until) return;
  lock->mode = std::string(b.object_lock->rule->default_retention->mode->str());
  lock->until = *until;
}

bool RetentionActive(const StoredLock& lock, double now) { return !lock.mode.empty() && lock.until > now; }

Status CheckDeletable(const StoredLock& lock, double now, bool bypass) {
  if (lock.legal_hold == "ON") return errors::ObjectLocked();
  if (!RetentionActive(lock, now)) return Status::Ok();
  if (lock.mode == "GOVERNANCE" && bypass) return Status::Ok();
  return errors::ObjectLocked();
}

Result<StoredLock> RetentionFromRequest(const std::optional<s3api::ObjectLockRetention>& r) {
  StoredLock lock;
  if (!r || (!r->mode && !r->retain_until_date)) return lock;  // removes the retention
  if (!r->mode || !r->retain_until_date || !r->mode->known()) return errors::Malformed();
  lock.mode = std::string(r->mode->str());
  lock.until = ToEpochSeconds(*r->retain_until_date);
  return lock;
}

Status CheckRetainUntil(const StoredLock& retention, double now) {
  if (!retention.mode.empty() && retention.until <= now) return PastDate("RetainUntilDate", retention.until);
  return Status::Ok();
}

Status CheckRetentionChange(const StoredLock& current, const StoredLock& next, double now, bool bypass) {
  if (!RetentionActive(current, now)) return Status::Ok();
  bool loosens =
      next.mode.empty() || next.until < current.until || (current.mode == "COMPLIANCE" && next.mode == "GOVERNANCE");
  if (!loosens) return Status::Ok();
  if (current.mode == "GOVERNANCE" && bypass) return Status::Ok();
  return errors::ObjectLocked();
}

std::string PacificDateText(double epoch_seconds) {
  time_t t = static_cast<time_t>(std::floor(epoch_seconds));
  bool dst = PacificDaylightTime(t);
  time_t local = t - (dst ? 7 : 8) * 3600;
  std::tm tm{};
  gmtime_r(&local, &tm);
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char buf[64];
  snprintf(buf, sizeof buf, "%s %s %02d %02d:%02d:%02d %s %d", kDays[tm.tm_wday], kMonths[tm.tm_mon], tm.tm_mday,
           tm.tm_hour, tm.tm_min, tm.tm_sec, dst ? "PDT" : "PST", tm.tm_year + 1900);
  return buf;
}

}  // namespace ck::services::s3
