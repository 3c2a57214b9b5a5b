#include "wire/json_writer.h"

#include <algorithm>
#include <charconv>
#include <cstring>

namespace ck::wire {

namespace {

// True when one of the 8 bytes of w is '"', '\\' or a control character
// (Bit Twiddling Hacks' haszero/hasless; a false positive only costs a byte loop).
bool WordNeedsEscape(uint64_t w) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
  uint64_t quote = w ^ (kOnes * '"');
  uint64_t backslash = w ^ (kOnes * '\\');
  uint64_t found = ((w - kOnes * 0x20) & ~w) | ((quote - kOnes) & ~quote) | ((backslash - kOnes) & ~backslash);
  return (found & kHigh) != 0;
}

void AppendEscaped(unsigned char c, std::string& s) {
  switch (c) {
    case '"': s.append("\\\""); break;
    case '\\': s.append("\\\\"); break;
    case '\n': s.append("\\n"); break;
    case '\r': s.append("\\r"); break;
    case '\t': s.append("\\t"); break;
    default: {
      static const char kHex[] = "0123456789abcdef";
      s.append("\\u00");
      s.push_back(kHex[c >> 4]);
      s.push_back(kHex[c & 15]);
    }
  }
}

}  // namespace

void JsonWriter::AppendQuoted(std::string_view v, std::string* out) {
  std::string& s = *out;
  s.push_back('"');
  size_t run = 0;  // start of the text not yet copied
  size_t i = 0;
  while (i < v.size()) {
    if (i + 8 <= v.size()) {
      uint64_t w;
      std::memcpy(&w, v.data() + i, 8);
      if (!WordNeedsEscape(w)) {
        i += 8;
        continue;
      }
    }
    size_t end = std::min(v.size(), i + 8);
    for (; i < end; ++i) {
      unsigned char c = static_cast<unsigned char>(v[i]);
      if (c != '"' && c != '\\' && c >= 0x20) continue;
      s.append(v.data() + run, i - run);
      run = i + 1;
      AppendEscaped(c, s);
    }
  }
  s.append(v.data() + run, v.size() - run);
  s.push_back('"');
}

void JsonWriter::Separate() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!out_.empty() && out_.back() != '{' && out_.back() != '[') out_.push_back(',');
}

JsonWriter& JsonWriter::Open(char c) {
  Separate();
  out_.push_back(c);
  return *this;
}

JsonWriter& JsonWriter::Close(char c) {
  out_.push_back(c);
  return *this;
}

JsonWriter& JsonWriter::Key(std::string_view key) {
  Separate();
  AppendQuoted(key, &out_);
  out_.push_back(':');
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::String(std::string_view value) {
  Separate();
  AppendQuoted(value, &out_);
  return *this;
}

JsonWriter& JsonWriter::Int(int64_t value) {
  Separate();
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, value);
  out_.append(buf, r.ptr);
  return *this;
}

JsonWriter& JsonWriter::Raw(std::string_view json_text) {
  Separate();
  out_.append(json_text);
  return *this;
}

JsonWriter& JsonWriter::Value(const nlohmann::json& v) {
  switch (v.type()) {
    case nlohmann::json::value_t::object:
      BeginObject();
      for (const auto& [k, item] : v.items()) Key(k).Value(item);
      return EndObject();
    case nlohmann::json::value_t::array:
      BeginArray();
      for (const auto& item : v) Value(item);
      return EndArray();
    case nlohmann::json::value_t::string: return String(v.get_ref<const std::string&>());
    case nlohmann::json::value_t::boolean: return Bool(v.get<bool>());
    case nlohmann::json::value_t::number_integer: return Int(v.get<int64_t>());
    case nlohmann::json::value_t::null:
    case nlohmann::json::value_t::discarded: return Null();
    default: return Raw(v.dump());  // unsigned and floating-point numbers: nlohmann's exact formatting
  }
}

}  // namespace ck::wire
