// JsonWriter: an append-only JSON text writer for hot paths (CloudTrail
// records, KMS request parameters). Building an nlohmann tree and dumping it
// costs several times more, mostly allocation and per-character UTF-8 checks;
// the strings written here are already valid UTF-8 (they came from parsed
// JSON or from crosskey itself), so only the JSON escapes are applied.
//
// Commas are placed automatically: Key() and array Value()s add one unless
// they open their container. Not thread-safe; one per output string.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace ck::wire {

class JsonWriter {
 public:
  explicit JsonWriter(std::string* out) : out_(*out) {}

  JsonWriter& BeginObject() { return Open('{'); }
  JsonWriter& EndObject() { return Close('}'); }
  JsonWriter& BeginArray() { return Open('['); }
  JsonWriter& EndArray() { return Close(']'); }

  // "key": — the value follows (String, Bool, Raw, a container, ...).
  JsonWriter& Key(std::string_view key);
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

  // The JSON string literal of s (quotes included), appended to *out.
  static void AppendQuoted(std::string_view s, std::string* out);

 private:
  JsonWriter& Open(char c);
  JsonWriter& Close(char c);
  void Separate();  // the comma before a value or key, unless first in its container

  std::string& out_;
  bool after_key_ = false;
};

}  // namespace ck::wire
