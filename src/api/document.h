// Conversions between generated API structs and Documents. Included by the
// generated api/<service>.cpp files only; everything else calls the
// FromDocument/ToDocument functions those files define.
//
// A generated struct describes its members once, as a visitor call per
// member (`v("KeyId", s.key_id, required)`); StructDecoder and StructEncoder
// are the two visitors. Values convert by type: std::string, Bytes (base64),
// bool, int32_t, int64_t, double, TimePoint (epoch seconds), EnumValue<E>,
// Document, std::optional, std::vector, std::map<std::string, T>, and nested
// structs through their own FromDocument/ToDocument (found by ADL).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "api/support.h"

namespace ck::api::detail {

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
Status DecodeValue(const Document& d, double* out, const DecodeOptions& o, const std::string& path);
Status DecodeValue(const Document& d, TimePoint* out, const DecodeOptions& o, const std::string& path);
Status DecodeValue(const Document& d, Document* out, const DecodeOptions& o, const std::string& path);

Document EncodeValue(const std::string& v);
Document EncodeValue(const Bytes& v);
Document EncodeValue(bool v);
Document EncodeValue(int32_t v);
Document EncodeValue(int64_t v);
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

}  // namespace ck::api::detail
