// Clock: the one source of "now", behind an interface so tests can move time
// (SigV4 skew, presigned expiry, STS session lifetimes, key deletion dates).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ck {

using TimePoint = std::chrono::system_clock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint Now() const override { return std::chrono::system_clock::now(); }
};

// A settable clock for tests.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(TimePoint t) : now_(t) {}
  TimePoint Now() const override { return now_; }
  void Set(TimePoint t) { now_ = t; }
  void Advance(std::chrono::seconds d) { now_ += d; }

 private:
  TimePoint now_;
};

// 20150830T123600Z (SigV4 x-amz-date).
std::string FormatAmzDate(TimePoint t);
std::optional<TimePoint> ParseAmzDate(std::string_view s);
// 2015-08-30T12:36:00Z / 2015-08-30T12:36:00.000Z (ISO 8601, UTC).
std::string FormatIso8601(TimePoint t, bool millis = false);
std::optional<TimePoint> ParseIso8601(std::string_view s);
// Sun, 30 Aug 2015 12:36:00 GMT (HTTP date).
std::string FormatHttpDate(TimePoint t);
std::optional<TimePoint> ParseHttpDate(std::string_view s);
double ToEpochSeconds(TimePoint t);
TimePoint FromEpochSeconds(double s);

}  // namespace ck
