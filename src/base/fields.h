// Field tables: one description of a struct's members, two uses (decode from
// and encode to a JSON document). The generated API shapes (src/api) and the
// services' stored records both describe themselves this way, so no code
// reads a field by a string key of its own.
//
// A struct describes its members once, as a visitor call per member:
//
//   template <class V, class S> void Fields(V& v, S& s) {
//     v("name", s.name, /*required=*/true);
//     v("created", s.created, false);
//   }
//
// StructDecoder and StructEncoder are the two visitors. Values convert by
// type: std::string, Bytes (base64), bool, int32_t, int64_t, uint64_t,
// double, TimePoint (epoch seconds, the one storage time type), EnumValue<E>,
// Document, std::optional, std::vector, std::map<std::string, T>, and nested
// structs through their own FromDocument/ToDocument (found by ADL).
// CK_DEFINE_FIELDS(Type, Fields) defines those two for a struct.
//
// Thread safety: stateless functions.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/clock.h"
#include "base/status.h"

namespace ck {

// A JSON document: the protocol-neutral form of a request or response, and
// the stored form of a record.
using Document = nlohmann::json;

// Binary data. A distinct type from std::string so that a field codec knows
// to base64 it.
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

// A value of a closed set of names (an AWS model enum). Holds one of E's
// enumerators, or E::kUnrecognized with the text as received (a newer peer
// may send values this build does not know; a server validates enums before
// decoding, so it sees only known ones). E is an `enum class` whose first
// enumerator is kUnrecognized and for which `EnumNames(E)` (found by ADL)
// lists the spellings by index (index 0 unused).
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
  // The spelling on the wire ("SYMMETRIC_DEFAULT").
  std::string_view str() const {
    return known() ? EnumNames(E{})[static_cast<size_t>(value_)] : std::string_view(raw_);
  }

  friend bool operator==(const EnumValue& a, E b) { return a.value_ == b; }
  bool operator==(const EnumValue& o) const { return value_ == o.value_ && raw_ == o.raw_; }

 private:
  E value_{};
  std::string raw_;  // only for unrecognised values
};

// The spelling of an enumerator.
template <typename E>
  requires std::is_enum_v<E>
std::string_view ToString(E value) {
  return EnumValue<E>(value).str();
}

struct DecodeOptions {
  // Strict (servers, records): a missing required member is an error.
  // Clients decode leniently, since a peer may omit what a model requires.
  bool strict = true;
};

}  // namespace ck

namespace ck::fields {

// A value of the wrong JSON type, or invalid base64.
Status WrongType(const std::string& path, const char* expected);
Status MissingMember(const std::string& path);
// Appends ".member" to a path for messages.
std::string Join(const std::string& path, const char* member);

Status DecodeValue(const Document& d, std::string* out, const DecodeOptions& o, const std::string& path);
Status DecodeValue(const Document& d, Bytes* out, const DecodeOptions& o, const std::string& path);
Status DecodeValue(const Document& d, bool* out, const DecodeOptions& o, const std::string& path);
Status DecodeValue(const Document& d, int32_t* out, const DecodeOptions& o, const std::string& path);
Status DecodeValue(const Document& d, int64_t* out, const DecodeOptions& o, const std::string& path);
Status DecodeValue(const Document& d, uint64_t* out, const DecodeOptions& o, const std::string& path);
Status DecodeValue(const Document& d, double* out, const DecodeOptions& o, const std::string& path);
Status DecodeValue(const Document& d, TimePoint* out, const DecodeOptions& o, const std::string& path);
Status DecodeValue(const Document& d, Document* out, const DecodeOptions& o, const std::string& path);

Document EncodeValue(const std::string& v);
Document EncodeValue(const Bytes& v);
Document EncodeValue(bool v);
Document EncodeValue(int32_t v);
Document EncodeValue(int64_t v);
Document EncodeValue(uint64_t v);
Document EncodeValue(double v);
Document EncodeValue(const TimePoint& v);
Document EncodeValue(const Document& v);

// Declared before any definition so that nested containers find each other.
template <typename E>
Status DecodeValue(const Document& d, EnumValue<E>* out, const DecodeOptions& o, const std::string& path);
template <typename E>
Document EncodeValue(const EnumValue<E>& v);
template <typename T>
Status DecodeValue(const Document& d, std::vector<T>* out, const DecodeOptions& o, const std::string& path);
template <typename T>
Document EncodeValue(const std::vector<T>& v);
template <typename T>
Status DecodeValue(const Document& d, std::map<std::string, T>* out, const DecodeOptions& o,
                   const std::string& path);
template <typename T>
Document EncodeValue(const std::map<std::string, T>& v);

template <typename E>
Status DecodeValue(const Document& d, EnumValue<E>* out, const DecodeOptions&, const std::string& path) {
  if (!d.is_string()) return WrongType(path, "string");
  *out = EnumValue<E>::Parse(d.get_ref<const std::string&>());
  return Status::Ok();
}
template <typename E>
Document EncodeValue(const EnumValue<E>& v) {
  return Document(std::string(v.str()));
}

// Structures: the generated FromDocument/ToDocument (ADL).
template <typename S>
  requires requires(const Document& d, S* s, const DecodeOptions& o) { FromDocument(d, s, o); }
Status DecodeValue(const Document& d, S* out, const DecodeOptions& o, const std::string& path) {
  Status s = FromDocument(d, out, o);
  if (!s.ok() && !path.empty()) return Status(s.code(), path + ": " + s.message());
  return s;
}
template <typename S>
  requires requires(const S& s) { ToDocument(s); }
Document EncodeValue(const S& v) {
  return ToDocument(v);
}

template <typename T>
Status DecodeValue(const Document& d, std::vector<T>* out, const DecodeOptions& o, const std::string& path) {
  if (!d.is_array()) return WrongType(path, "list");
  out->clear();
  out->reserve(d.size());
  for (size_t i = 0; i < d.size(); ++i) {
    T item{};
    CK_RETURN_IF_ERROR(DecodeValue(d[i], &item, o, path + "[" + std::to_string(i) + "]"));
    out->push_back(std::move(item));
  }
  return Status::Ok();
}
template <typename T>
Document EncodeValue(const std::vector<T>& v) {
  Document a = Document::array();
  for (const T& item : v) a.push_back(EncodeValue(item));
  return a;
}

template <typename T>
Status DecodeValue(const Document& d, std::map<std::string, T>* out, const DecodeOptions& o,
                   const std::string& path) {
  if (!d.is_object()) return WrongType(path, "map");
  out->clear();
  for (auto it = d.begin(); it != d.end(); ++it) {
    T item{};
    CK_RETURN_IF_ERROR(DecodeValue(it.value(), &item, o, path + "." + it.key()));
    out->emplace(it.key(), std::move(item));
  }
  return Status::Ok();
}
template <typename T>
Document EncodeValue(const std::map<std::string, T>& v) {
  Document m = Document::object();
  for (const auto& [k, item] : v) m[k] = EncodeValue(item);
  return m;
}

// Visits a generated struct's members to decode them from an object.
class StructDecoder {
 public:
  StructDecoder(const Document& d, const DecodeOptions& o) : d_(d), o_(o) {
    if (!d.is_object()) status_ = WrongType("", "structure");
  }
  bool ok() const { return status_.ok(); }
  Status Finish() { return std::move(status_); }

  template <typename T>
  void operator()(const char* name, T& member, bool required) {
    if (!status_.ok()) return;
    auto it = d_.find(name);
    if (it == d_.end() || it->is_null()) {
      if (required && o_.strict) status_ = MissingMember(name);
      return;
    }
    status_ = DecodeValue(*it, &member, o_, name);
  }
  template <typename T>
  void operator()(const char* name, std::optional<T>& member, bool) {
    if (!status_.ok()) return;
    auto it = d_.find(name);
    if (it == d_.end() || it->is_null()) return;
    T value{};
    status_ = DecodeValue(*it, &value, o_, name);
    if (status_.ok()) member = std::move(value);
  }

 private:
  const Document& d_;
  const DecodeOptions& o_;
  Status status_;
};

// Visits a generated struct's members to encode them into an object.
// Absent optionals are left out; required members are always written.
class StructEncoder {
 public:
  template <typename T>
  void operator()(const char* name, const T& member, bool) {
    d_[name] = EncodeValue(member);
  }
  template <typename T>
  void operator()(const char* name, const std::optional<T>& member, bool) {
    if (member) d_[name] = EncodeValue(*member);
  }
  Document Take() && { return std::move(d_); }

 private:
  Document d_ = Document::object();
};

}  // namespace ck::fields

// Defines FromDocument/ToDocument for a struct described by FIELDS, a
// function template `template <class V, class S> void FIELDS(V&, S&)`.
#define CK_DEFINE_FIELDS(Type, FIELDS)                                                        \
  ::ck::Status FromDocument(const ::ck::Document& d, Type* out, const ::ck::DecodeOptions& o) { \
    ::ck::fields::StructDecoder v(d, o);                                                      \
    if (v.ok()) FIELDS(v, *out);                                                              \
    return v.Finish();                                                                        \
  }                                                                                           \
  ::ck::Document ToDocument(const Type& in) {                                                 \
    ::ck::fields::StructEncoder v;                                                            \
    FIELDS(v, in);                                                                            \
    return std::move(v).Take();                                                               \
  }

// Declares them (in a header, in Type's namespace).
#define CK_DECLARE_FIELDS(Type)                                                                         \
  ::ck::Status FromDocument(const ::ck::Document& d, Type* out, const ::ck::DecodeOptions& o = {}); \
  ::ck::Document ToDocument(const Type& in)
