#include "base/fields.h"

#include <cmath>

#include "base/codec.h"

namespace ck::fields {

Status WrongType(const std::string& path, const char* expected) {
  return InvalidArgument((path.empty() ? std::string("value") : "'" + path + "'") + " is not a " + expected);
}
Status MissingMember(const std::string& path) { return InvalidArgument("missing required member '" + path + "'"); }
std::string Join(const std::string& path, const char* member) { return path.empty() ? member : path + "." + member; }

Status DecodeValue(const Document& d, std::string* out, const DecodeOptions&, const std::string& path) {
  if (!d.is_string()) return WrongType(path, "string");
  *out = d.get_ref<const std::string&>();
  return Status::Ok();
}
Status DecodeValue(const Document& d, Bytes* out, const DecodeOptions&, const std::string& path) {
  if (!d.is_string()) return WrongType(path, "base64 string");
  auto bytes = Base64Decode(d.get_ref<const std::string&>());
  if (!bytes) return WrongType(path, "valid base64 string");
  *out = Bytes(std::move(*bytes));
  return Status::Ok();
}
Status DecodeValue(const Document& d, bool* out, const DecodeOptions&, const std::string& path) {
  if (!d.is_boolean()) return WrongType(path, "boolean");
  *out = d.get<bool>();
  return Status::Ok();
}
Status DecodeValue(const Document& d, int32_t* out, const DecodeOptions&, const std::string& path) {
  if (!d.is_number_integer()) return WrongType(path, "integer");
  int64_t v = d.get<int64_t>();
  if (v < INT32_MIN || v > INT32_MAX) return WrongType(path, "32-bit integer");
  *out = static_cast<int32_t>(v);
  return Status::Ok();
}
Status DecodeValue(const Document& d, int64_t* out, const DecodeOptions&, const std::string& path) {
  if (!d.is_number_integer()) return WrongType(path, "integer");
  *out = d.get<int64_t>();
  return Status::Ok();
}
Status DecodeValue(const Document& d, uint64_t* out, const DecodeOptions&, const std::string& path) {
  if (!d.is_number_integer() || (d.is_number_integer() && !d.is_number_unsigned() && d.get<int64_t>() < 0))
    return WrongType(path, "unsigned integer");
  *out = d.get<uint64_t>();
  return Status::Ok();
}
Status DecodeValue(const Document& d, double* out, const DecodeOptions&, const std::string& path) {
  if (!d.is_number()) return WrongType(path, "number");
  *out = d.get<double>();
  return Status::Ok();
}
Status DecodeValue(const Document& d, TimePoint* out, const DecodeOptions&, const std::string& path) {
  if (!d.is_number()) return WrongType(path, "timestamp");
  double s = d.get<double>();
  if (!std::isfinite(s)) return WrongType(path, "timestamp");
  *out = FromEpochSeconds(s);
  return Status::Ok();
}
Status DecodeValue(const Document& d, Document* out, const DecodeOptions&, const std::string&) {
  *out = d;
  return Status::Ok();
}

Document EncodeValue(const std::string& v) { return Document(v); }
Document EncodeValue(const Bytes& v) { return Document(Base64Encode(v.view())); }
Document EncodeValue(bool v) { return Document(v); }
Document EncodeValue(int32_t v) { return Document(v); }
Document EncodeValue(int64_t v) { return Document(v); }
Document EncodeValue(uint64_t v) { return Document(v); }
Document EncodeValue(double v) { return Document(v); }
Document EncodeValue(const TimePoint& v) { return Document(ToEpochSeconds(v)); }
Document EncodeValue(const Document& v) { return v; }

}  // namespace ck::fields
