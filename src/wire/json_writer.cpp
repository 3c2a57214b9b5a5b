#include "wire/json_writer.h"

#include <algorithm>
#include <charconv>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace ck::wire {

namespace {

bool NeedsEscape(unsigned char c) { return c == '"' || c == '\\' || c < 0x20; }

// How many leading bytes of p[0..n) need no escape. Sixteen bytes at a time
// with SSE2 (every x86-64 has it), eight with a word trick elsewhere
// (Bit Twiddling Hacks' haszero/hasless, where a false positive only costs
// the byte loop).
size_t CleanPrefix(const char* p, size_t n) {
  size_t i = 0;
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), control = _mm_set1_epi8(0x1f);
  for (; i + 16 <= n; i += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
                               _mm_cmpeq_epi8(_mm_max_epu8(v, control), control));  // v <= 0x1f
    int mask = _mm_movemask_epi8(hit);
    if (mask != 0) return i + static_cast<size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
  }
#else
  constexpr uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    uint64_t quote = w ^ (kOnes * '"');
    uint64_t backslash = w ^ (kOnes * '\\');
    uint64_t found = ((w - kOnes * 0x20) & ~w) | ((quote - kOnes) & ~quote) | ((backslash - kOnes) & ~backslash);
    if ((found & kHigh) != 0) break;
  }
#endif
  while (i < n && !NeedsEscape(static_cast<unsigned char>(p[i]))) ++i;
  return i;
}

// The escape of one byte that needs it; returns its length (at most 6).
size_t Escape(unsigned char c, char* out) {
  switch (c) {
    case '"': std::memcpy(out, "\\\"", 2); return 2;
    case '\\': std::memcpy(out, "\\\\", 2); return 2;
    case '\n': std::memcpy(out, "\\n", 2); return 2;
    case '\r': std::memcpy(out, "\\r", 2); return 2;
    case '\t': std::memcpy(out, "\\t", 2); return 2;
    default: {
      static const char kHex[] = "0123456789abcdef";
      std::memcpy(out, "\\u00", 4);
      out[4] = kHex[c >> 4];
      out[5] = kHex[c & 15];
      return 6;
    }
  }
}

// Writes the quoted form of v at out (room for 2 + 6 * v.size() bytes);
// returns the length written.
size_t WriteQuoted(std::string_view v, char* out) {
  char* d = out;
  *d++ = '"';
  size_t i = 0;
  while (i < v.size()) {  // v is not empty here, so v.data() is not null
    size_t clean = CleanPrefix(v.data() + i, v.size() - i);
    std::memcpy(d, v.data() + i, clean);
    d += clean;
    i += clean;
    if (i < v.size()) d += Escape(static_cast<unsigned char>(v[i++]), d);
  }
  *d++ = '"';
  return static_cast<size_t>(d - out);
}

}  // namespace

void JsonWriter::AppendQuoted(std::string_view v, std::string* out) {
  size_t at = out->size();
  out->resize(at + 2 + 6 * v.size());
  out->resize(at + WriteQuoted(v, out->data() + at));
}

std::string JsonWriter::Take() {
  buf_.resize(len_);
  len_ = 0;
  after_key_ = false;
  return std::move(buf_);
}

void JsonWriter::Grow(size_t n) { buf_.resize(std::max(buf_.size() * 2, len_ + n + 64)); }

void JsonWriter::Quoted(std::string_view s) {
  if (CleanPrefix(s.data(), s.size()) == s.size()) {  // the common case: exact room, one copy
    char* d = Reserve(s.size() + 2);
    d[0] = '"';
    if (!s.empty()) std::memcpy(d + 1, s.data(), s.size());
    d[s.size() + 1] = '"';
    len_ += s.size() + 2;
    return;
  }
  len_ += WriteQuoted(s, Reserve(2 + 6 * s.size()));
}

void JsonWriter::Separate() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (len_ > 0 && buf_[len_ - 1] != '{' && buf_[len_ - 1] != '[') Put(',');
}

JsonWriter& JsonWriter::Open(char c) {
  Separate();
  Put(c);
  return *this;
}

JsonWriter& JsonWriter::Close(char c) {
  Put(c);
  return *this;
}

JsonWriter& JsonWriter::Key(std::string_view key) {
  Separate();
  Quoted(key);
  Put(':');
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::LiteralKey(std::string_view key) {
  Separate();
  char* d = Reserve(key.size() + 3);
  d[0] = '"';
  std::memcpy(d + 1, key.data(), key.size());
  d[key.size() + 1] = '"';
  d[key.size() + 2] = ':';
  len_ += key.size() + 3;
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::String(std::string_view value) {
  Separate();
  Quoted(value);
  return *this;
}

JsonWriter& JsonWriter::Int(int64_t value) {
  Separate();
  char* d = Reserve(24);
  len_ += static_cast<size_t>(std::to_chars(d, d + 24, value).ptr - d);
  return *this;
}

JsonWriter& JsonWriter::Raw(std::string_view json_text) {
  Separate();
  Put(json_text);
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
