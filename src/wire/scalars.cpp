#include "wire/scalars.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "base/clock.h"
#include "base/codec.h"

namespace ck::wire {

using nlohmann::json;

bool IsScalar(const Shape& shape) {
  return shape.type != ShapeType::kStructure && shape.type != ShapeType::kList && shape.type != ShapeType::kMap;
}

TimestampFormat FormatFor(const Shape& shape, TimestampFormat location_default) {
  if (shape.timestamp_format == "iso8601") return TimestampFormat::kIso8601;
  if (shape.timestamp_format == "rfc822") return TimestampFormat::kRfc822;
  if (shape.timestamp_format == "unixTimestamp") return TimestampFormat::kUnix;
  return location_default;
}

std::string FormatTimestamp(double epoch_seconds, TimestampFormat format, bool iso_millis) {
  switch (format) {
    case TimestampFormat::kRfc822:
      return FormatHttpDate(FromEpochSeconds(epoch_seconds));
    case TimestampFormat::kUnix: {
      char buf[64];
      if (std::floor(epoch_seconds) == epoch_seconds) std::snprintf(buf, sizeof buf, "%.0f", epoch_seconds);
      else std::snprintf(buf, sizeof buf, "%.3f", epoch_seconds);
      return buf;
    }
    case TimestampFormat::kIso8601:
    default: {
      // Round to milliseconds so 1.9999999 does not print as .999.
      auto ms = static_cast<int64_t>(std::llround(epoch_seconds * 1000.0));
      bool whole = ms % 1000 == 0;
      return FormatIso8601(TimePoint(std::chrono::milliseconds(ms)), iso_millis || !whole);
    }
  }
}

std::optional<double> ParseTimestamp(std::string_view text, TimestampFormat format) {
  text = Trim(text);
  auto unix = [&]() -> std::optional<double> {
    double v = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || p != text.data() + text.size() || text.empty()) return std::nullopt;
    return v;
  };
  auto iso = [&]() -> std::optional<double> {
    auto t = ParseIso8601(text);
    if (!t) return std::nullopt;
    return ToEpochSeconds(*t);
  };
  auto http = [&]() -> std::optional<double> {
    auto t = ParseHttpDate(text);
    if (!t) return std::nullopt;
    return ToEpochSeconds(*t);
  };
  std::optional<double> v;
  switch (format) {
    case TimestampFormat::kUnix: v = unix(); break;
    case TimestampFormat::kRfc822: v = http(); break;
    case TimestampFormat::kIso8601: v = iso(); break;
  }
  if (!v) v = iso();
  if (!v) v = http();
  if (!v) v = unix();
  return v;
}

std::optional<json> ScalarFromText(const Shape& shape, std::string_view text, TimestampFormat timestamp_default) {
  switch (shape.type) {
    case ShapeType::kString:
      return json(std::string(text));
    case ShapeType::kInteger:
    case ShapeType::kLong: {
      std::string_view t = Trim(text);
      int64_t v = 0;
      auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
      if (ec != std::errc() || p != t.data() + t.size() || t.empty()) return std::nullopt;
      if (shape.type == ShapeType::kInteger && (v > INT32_MAX || v < INT32_MIN)) return std::nullopt;
      return json(v);
    }
    case ShapeType::kFloat:
    case ShapeType::kDouble: {
      std::string_view t = Trim(text);
      if (t == "NaN") return json(std::nan(""));
      if (t == "Infinity") return json(INFINITY);
      if (t == "-Infinity") return json(-INFINITY);
      double v = 0;
      auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
      if (ec != std::errc() || p != t.data() + t.size() || t.empty()) return std::nullopt;
      return json(v);
    }
    case ShapeType::kBoolean: {
      std::string t = ToLower(Trim(text));
      if (t == "true") return json(true);
      if (t == "false") return json(false);
      return std::nullopt;
    }
    case ShapeType::kTimestamp: {
      auto v = ParseTimestamp(text, FormatFor(shape, timestamp_default));
      if (!v) return std::nullopt;
      return json(*v);
    }
    case ShapeType::kBlob: {
      std::string t(Trim(text));
      if (!Base64Decode(t)) return std::nullopt;
      return json(t);
    }
    default:
      return std::nullopt;
  }
}

std::string ScalarToText(const Shape& shape, const json& value, TimestampFormat format, bool iso_millis) {
  if (shape.type == ShapeType::kTimestamp) {
    if (value.is_number()) return FormatTimestamp(value.get<double>(), FormatFor(shape, format), iso_millis);
    if (value.is_string()) {
      // Tolerate a service handing over text; normalise it when it parses.
      auto v = ParseTimestamp(value.get<std::string>(), TimestampFormat::kIso8601);
      if (v) return FormatTimestamp(*v, FormatFor(shape, format), iso_millis);
      return value.get<std::string>();
    }
  }
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  if (value.is_number_integer()) return std::to_string(value.get<int64_t>());
  if (value.is_number_unsigned()) return std::to_string(value.get<uint64_t>());
  if (value.is_number_float()) {
    double d = value.get<double>();
    if (std::isnan(d)) return "NaN";
    if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
    if (shape.type == ShapeType::kInteger || shape.type == ShapeType::kLong)
      return std::to_string(static_cast<int64_t>(d));
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", d);
    // Prefer the shortest text that reads back the same.
    for (int prec = 1; prec <= 17; ++prec) {
      char b2[64];
      std::snprintf(b2, sizeof b2, "%.*g", prec, d);
      if (std::strtod(b2, nullptr) == d) return b2;
    }
    return buf;
  }
  return value.dump();
}

}  // namespace ck::wire
