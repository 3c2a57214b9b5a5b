// The vocabulary of the generated API shapes (generated/api/<service>.h).
//
// scripts/gen_api.py turns every structure of the pinned AWS service models
// (models/*.json) into a C++ struct: required members are plain values, the
// others std::optional; lists are std::vector, maps std::map keyed by string;
// blobs are Bytes, timestamps TimePoint, enums EnumValue<E>. The structs carry
// no behaviour: a server decodes its input into one and encodes its output
// from one; a client does the reverse. Both go through the protocol-neutral
// Document the wire codecs read and write (see src/wire/json_codec.h for its
// conventions: blobs base64, timestamps epoch seconds).
//
// Thread safety: value types; no shared state.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "base/clock.h"
#include "base/status.h"

namespace ck::api {

// The protocol-neutral form of a request or response (see above).
using Document = nlohmann::json;

// Binary data (a model blob). A distinct type from std::string so that a
// document conversion knows to base64 it.
class Bytes {
 public:
  Bytes() = default;
  Bytes(std::string data) : data_(std::move(data)) {}            // NOLINT(implicit)
  Bytes(std::string_view data) : data_(data) {}                  // NOLINT(implicit)
  Bytes(const char* data) : data_(data) {}                       // NOLINT(implicit)
  const std::string& str() const { return data_; }
  std::string_view view() const { return data_; }
  size_t size() const { return data_.size(); }
  bool empty() const { return data_.empty(); }
  std::string release() && { return std::move(data_); }
  bool operator==(const Bytes&) const = default;

 private:
  std::string data_;
};

// A model enum value. Holds one of E's enumerators, or E::kUnrecognized with
// the text as received (a newer peer may send values this build does not
// know; a server validates enums before decoding, so it sees only known ones).
// E is a generated `enum class` whose first enumerator is kUnrecognized and
// for which `EnumNames(E)` (found by ADL) lists the wire spellings by index.
template <typename E>
class EnumValue {
 public:
  EnumValue() = default;
  EnumValue(E value) : value_(value) {}  // NOLINT(implicit)

  static EnumValue Parse(std::string_view text) {
    auto names = EnumNames(E{});
    for (size_t i = 1; i < names.size(); ++i)
      if (names[i] == text) return EnumValue(static_cast<E>(i));
    EnumValue v;
    v.raw_ = std::string(text);
    return v;
  }

  E value() const { return value_; }
  bool known() const { return value_ != E{}; }
  // The wire spelling ("SYMMETRIC_DEFAULT").
  std::string_view str() const {
    return known() ? EnumNames(E{})[static_cast<size_t>(value_)] : std::string_view(raw_);
  }

  friend bool operator==(const EnumValue& a, E b) { return a.value_ == b; }
  bool operator==(const EnumValue& o) const { return value_ == o.value_ && raw_ == o.raw_; }

 private:
  E value_{};
  std::string raw_;  // only for unrecognised values
};

// The wire spelling of an enumerator.
template <typename E>
std::string_view ToString(E value) {
  return EnumValue<E>(value).str();
}

// Input or output of an operation the model gives none.
struct Empty {
  bool operator==(const Empty&) const = default;
};

struct DecodeOptions {
  // Strict (servers): a missing required member is an error. Clients decode
  // leniently, since a peer's answer may omit what the model calls required.
  bool strict = true;
};

Status FromDocument(const Document& d, Empty* out, const DecodeOptions& options = {});
Document ToDocument(const Empty& v);

}  // namespace ck::api
