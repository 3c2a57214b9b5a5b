// JsonWriter: an append-only JSON text writer for hot paths (CloudTrail
// records, KMS request parameters). Building an nlohmann tree and dumping it
// costs several times more, mostly allocation and per-character UTF-8 checks;
// the strings written here are already valid UTF-8 (they came from parsed
// JSON or from crosskey itself), so only the JSON escapes are applied.
//
// The writer owns its buffer and writes through a raw cursor (std::string's
// per-append bookkeeping was most of the cost); Take() hands the text over.
// Commas are placed automatically: Key() and array values add one unless they
// open their container. Not thread-safe; one per output.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace ck::wire {

class JsonWriter {
 public:
  explicit JsonWriter(size_t expected_size = 256) { buf_.resize(expected_size); }

  // The text written so far; the writer is empty afterwards.
  std::string Take();
  std::string_view View() const { return std::string_view(buf_.data(), len_); }

  JsonWriter& BeginObject() { return Open('{'); }
  JsonWriter& EndObject() { return Close('}'); }
  JsonWriter& BeginArray() { return Open('['); }
  JsonWriter& EndArray() { return Close(']'); }

  // "key": — the value follows (String, Bool, Raw, a container, ...).
  JsonWriter& Key(std::string_view key);
  // A key written in the program text: copied as is, without the escape scan
  // (a string literal holds no quote, backslash or control character unless
  // escaped in the source, which no caller does).
  template <size_t N>
  JsonWriter& Key(const char (&literal)[N]) {
    return LiteralKey(std::string_view(literal, N - 1));
  }
  JsonWriter& String(std::string_view value);
  JsonWriter& Bool(bool value) { return Raw(value ? "true" : "false"); }
  JsonWriter& Int(int64_t value);
  JsonWriter& Null() { return Raw("null"); }
  // Any nlohmann value (null, bool, number, string, array, object).
  JsonWriter& Value(const nlohmann::json& value);
  // Pre-rendered JSON text, written as one value.
  JsonWriter& Raw(std::string_view json_text);

  // Key(k).String(v).
  JsonWriter& Field(std::string_view key, std::string_view value) { return Key(key).String(value); }
  template <size_t N>
  JsonWriter& Field(const char (&literal)[N], std::string_view value) {
    return Key(literal).String(value);
  }

  // The JSON string literal of s (quotes included), appended to *out.
  static void AppendQuoted(std::string_view s, std::string* out);

 private:
  JsonWriter& LiteralKey(std::string_view key);
  JsonWriter& Open(char c);
  JsonWriter& Close(char c);
  void Separate();  // the comma before a value or key, unless first in its container
  void Quoted(std::string_view s);

  // Room for n more bytes; returns the cursor.
  char* Reserve(size_t n) {
    if (len_ + n > buf_.size()) Grow(n);
    return buf_.data() + len_;
  }
  void Grow(size_t n);
  void Put(char c) { *Reserve(1) = c, ++len_; }
  void Put(std::string_view s) {
    if (s.empty()) return;  // an empty view may hold a null pointer, which memcpy must not see
    std::memcpy(Reserve(s.size()), s.data(), s.size());
    len_ += s.size();
  }

  std::string buf_;  // buf_.size() is the capacity in use; len_ the text
  size_t len_ = 0;
  bool after_key_ = false;
};

}  // namespace ck::wire
