#include "base/clock.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <ctime>

namespace ck {

namespace {
std::tm ToTm(TimePoint t) {
  std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  return tm;
}
// Seconds a TimePoint (nanoseconds in 64 bits) can hold: years 1678 to 2262.
constexpr int64_t kMaxEpochSeconds = INT64_MAX / 1000000000;

std::optional<TimePoint> FromTm(std::tm tm) {
  std::time_t tt = timegm(&tm);
  if (tt == -1 || tt > kMaxEpochSeconds || tt < -kMaxEpochSeconds) return std::nullopt;
  return std::chrono::system_clock::from_time_t(tt);
}
}  // namespace

std::string FormatAmzDate(TimePoint t) {
  std::tm tm = ToTm(t);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

std::optional<TimePoint> ParseAmzDate(std::string_view s) {
  if (s.size() != 16 || s[8] != 'T' || s[15] != 'Z') return std::nullopt;
  std::tm tm{};
  std::string str(s);
  if (std::sscanf(str.c_str(), "%4d%2d%2dT%2d%2d%2dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
                  &tm.tm_min, &tm.tm_sec) != 6)
    return std::nullopt;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return FromTm(tm);
}

std::string FormatIso8601(TimePoint t, bool millis) {
  std::tm tm = ToTm(t);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::string out = buf;
  if (millis) {
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count() % 1000;
    char m[8];
    std::snprintf(m, sizeof m, ".%03d", static_cast<int>(ms));
    out += m;
  }
  return out + "Z";
}

std::optional<TimePoint> ParseIso8601(std::string_view s) {
  std::tm tm{};
  std::string str(s);
  int consumed = 0;
  if (std::sscanf(str.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
                  &tm.tm_min, &tm.tm_sec, &consumed) != 6)
    return std::nullopt;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  auto base = FromTm(tm);
  if (!base) return std::nullopt;
  std::string_view rest = std::string_view(str).substr(consumed);
  double frac = 0;
  if (!rest.empty() && rest[0] == '.') {
    size_t i = 1;
    double scale = 0.1;
    while (i < rest.size() && rest[i] >= '0' && rest[i] <= '9') {
      frac += (rest[i] - '0') * scale;
      scale /= 10;
      ++i;
    }
    rest.remove_prefix(i);
  }
  int offset_sec = 0;
  if (rest == "Z" || rest.empty()) {
  } else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':') {
    int h = (rest[1] - '0') * 10 + (rest[2] - '0');
    int m = (rest[4] - '0') * 10 + (rest[5] - '0');
    offset_sec = (h * 3600 + m * 60) * (rest[0] == '+' ? 1 : -1);
  } else {
    return std::nullopt;
  }
  return *base - std::chrono::seconds(offset_sec) +
         std::chrono::duration_cast<TimePoint::duration>(std::chrono::duration<double>(frac));
}

std::string FormatHttpDate(TimePoint t) {
  std::tm tm = ToTm(t);
  static const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[tm.tm_wday], tm.tm_mday,
                kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

std::optional<TimePoint> ParseHttpDate(std::string_view s) {
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::string str(s);
  char wd[8], mon[8];
  std::tm tm{};
  if (std::sscanf(str.c_str(), "%3s, %2d %3s %4d %2d:%2d:%2d", wd, &tm.tm_mday, mon, &tm.tm_year, &tm.tm_hour,
                  &tm.tm_min, &tm.tm_sec) != 7)
    return std::nullopt;
  tm.tm_mon = -1;
  for (int i = 0; i < 12; ++i)
    if (std::string_view(mon) == kMonths[i]) tm.tm_mon = i;
  if (tm.tm_mon < 0) return std::nullopt;
  tm.tm_year -= 1900;
  return FromTm(tm);
}

double ToEpochSeconds(TimePoint t) {
  return std::chrono::duration<double>(t.time_since_epoch()).count();
}

TimePoint FromEpochSeconds(double s) {
  // Out of range (or NaN) saturates rather than overflowing the conversion.
  if (!(s > -static_cast<double>(kMaxEpochSeconds))) s = -static_cast<double>(kMaxEpochSeconds);
  if (s > static_cast<double>(kMaxEpochSeconds)) s = static_cast<double>(kMaxEpochSeconds);
  return TimePoint(std::chrono::duration_cast<TimePoint::duration>(std::chrono::duration<double>(s)));
}

std::chrono::seconds AbsDistance(TimePoint a, TimePoint b) {
  using std::chrono::seconds;
  int64_t x = std::chrono::duration_cast<seconds>(a.time_since_epoch()).count();
  int64_t y = std::chrono::duration_cast<seconds>(b.time_since_epoch()).count();
  return seconds(x > y ? x - y : y - x);  // both within ±9.3e9 s: no overflow
}

TimePoint SaturatingAdd(TimePoint t, std::chrono::seconds d) {
  using std::chrono::seconds;
  int64_t base = std::chrono::duration_cast<seconds>(t.time_since_epoch()).count();
  int64_t add = std::clamp<int64_t>(d.count(), -kMaxEpochSeconds, kMaxEpochSeconds);
  int64_t sum = std::clamp<int64_t>(base + add, -kMaxEpochSeconds + 1, kMaxEpochSeconds - 1);
  if (add == d.count() && sum == base + add) return t + d;  // in range: keep the sub-second part
  return TimePoint(std::chrono::duration_cast<TimePoint::duration>(seconds(sum)));
}

}  // namespace ck
