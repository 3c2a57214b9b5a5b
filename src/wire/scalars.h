// Scalar conversions shared by the codecs: text on the wire (headers, query
// strings, XML text, form values) to typed document values and back, and the
// three timestamp formats of the AWS models.
//
// In a document a timestamp is a number of epoch seconds (double) and a blob
// is its base64 text.
//
// Thread safety: stateless functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "wire/model.h"

namespace ck::wire {

enum class TimestampFormat { kIso8601, kRfc822, kUnix };

// The member's timestampFormat if set, else the protocol location's default.
TimestampFormat FormatFor(const Shape& shape, TimestampFormat location_default);

std::string FormatTimestamp(double epoch_seconds, TimestampFormat format, bool iso_millis);
// Accepts the given format first, then the other two.
std::optional<double> ParseTimestamp(std::string_view text, TimestampFormat format);

// Text → typed value for a scalar shape (string, enum, numbers, boolean,
// timestamp, blob as base64). nullopt when the text does not convert.
std::optional<nlohmann::json> ScalarFromText(const Shape& shape, std::string_view text,
                                             TimestampFormat timestamp_default);

// Typed value → text for a scalar shape (timestamps in `format`). Falls back
// to the value's own text for unexpected types.
std::string ScalarToText(const Shape& shape, const nlohmann::json& value, TimestampFormat format,
                         bool iso_millis);

bool IsScalar(const Shape& shape);

}  // namespace ck::wire
