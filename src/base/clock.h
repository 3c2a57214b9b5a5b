// Clock: the one source of "now", behind an interface so tests can move time
// (SigV4 skew, presigned expiry, STS session lifetimes, key deletion dates).
#pragma once

#include <atomic>
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

// The server's logical clock: wall time plus an offset that tests may move
// forward (`--enable-time-travel`) to reach expiry dates without waiting.
// Signature freshness always uses the wall clock, never this offset.
class OffsetClock final : public Clock {
 public:
  TimePoint Now() const override {
    return std::chrono::system_clock::now() + std::chrono::seconds(offset_seconds_.load(std::memory_order_relaxed));
  }
  void Advance(std::chrono::seconds d) { offset_seconds_.fetch_add(d.count(), std::memory_order_relaxed); }
  int64_t offset_seconds() const { return offset_seconds_.load(std::memory_order_relaxed); }

 private:
  std::atomic<int64_t> offset_seconds_{0};
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
// |a - b| in whole seconds. Times parsed from requests span years 0-9999, and
// the nanosecond difference of two of them can overflow (a Date of 1689
// against now): the difference is taken in seconds.
std::chrono::seconds AbsDistance(TimePoint a, TimePoint b);
// t + d, saturated at the largest (smallest) representable time.
TimePoint SaturatingAdd(TimePoint t, std::chrono::seconds d);

}  // namespace ck
