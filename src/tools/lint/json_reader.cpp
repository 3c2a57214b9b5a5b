#include "tools/lint/json_reader.h"

namespace ck::tools::lint {

namespace {

constexpr int kMaxDepth = 256;


// A character for a message: 'x', or its byte value when not printable ASCII.
std::string Describe(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  if (u >= 0x20 && u < 0x7F) return std::string("character '") + c + "'";
  static const char* kHex = "0123456789ABCDEF";
  return std::string("byte 0x") + kHex[u >> 4] + kHex[u & 15];
}

class Reader {
 public:
  Reader(std::string_view text, uint32_t file, uint32_t base, bool exact, Span whole)
      : s_(text), file_(file), base_(base), exact_(exact), whole_(whole) {}

  bool Document(Node* out) {
    SkipSpace();
    if (!Value(out, 0)) return false;
    SkipSpace();
    if (pos_ != s_.size()) return Fail("unexpected text after the JSON value");
    return true;
  }

  ParseError error() const { return error_; }

 private:
  Span SpanOf(size_t begin, size_t end) const {
    if (!exact_) return whole_;
    return {file_, base_ + static_cast<uint32_t>(begin), base_ + static_cast<uint32_t>(end)};
  }

  bool Fail(std::string message) {
    if (error_.message.empty()) {
      error_.offset = exact_ ? base_ + static_cast<uint32_t>(pos_) : whole_.begin;
      error_.message = std::move(message);
    }
    return false;
  }

  void SkipSpace() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) ++pos_;
  }

  bool Value(Node* out, int depth) {
    if (depth > kMaxDepth) return Fail("JSON nested too deeply");
    if (pos_ >= s_.size()) return Fail("unexpected end of JSON");
    size_t begin = pos_;
    char c = s_[pos_];
    if (c == '{') return Object(out, depth);
    if (c == '[') return Array(out, depth);
    if (c == '"') {
      out->kind = Kind::kString;
      if (!String(&out->text)) return false;
      out->span = SpanOf(begin, pos_);
      out->replaceable = exact_;
      out->raw = exact_ && out->text.size() + 2 == pos_ - begin;
      out->raw_offset = base_ + static_cast<uint32_t>(begin + 1);
      out->quote = '"';
      return true;
    }
    if (c == '-' || (c >= '0' && c <= '9')) return Number(out);
    for (std::string_view word : {"true", "false", "null"}) {
      if (s_.substr(pos_, word.size()) == word) {
        pos_ += word.size();
        out->kind = word == "null" ? Kind::kNull : Kind::kBool;
        out->text = std::string(word);
        out->span = SpanOf(begin, pos_);
        return true;
      }
    }
    return Fail("unexpected " + Describe(c) + " where a JSON value should be");
  }

  bool Object(Node* out, int depth) {
    size_t begin = pos_++;
    out->kind = Kind::kMap;
    SkipSpace();
    if (pos_ < s_.size() && s_[pos_] == '}') {
      ++pos_;
      out->span = SpanOf(begin, pos_);
      return true;
    }
    for (;;) {
      SkipSpace();
      if (pos_ >= s_.size() || s_[pos_] != '"') return Fail("expected a string key in a JSON object");
      Field f;
      size_t key_begin = pos_;
      if (!String(&f.key)) return false;
      f.key_span = SpanOf(key_begin, pos_);
      SkipSpace();
      if (pos_ >= s_.size() || s_[pos_] != ':') return Fail("expected ':' after a JSON object key");
      ++pos_;
      SkipSpace();
      if (!Value(&f.value, depth + 1)) return false;
      out->fields.push_back(std::move(f));
      SkipSpace();
      if (pos_ < s_.size() && s_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < s_.size() && s_[pos_] == '}') {
        ++pos_;
        out->span = SpanOf(begin, pos_);
        return true;
      }
      return Fail("expected ',' or '}' in a JSON object");
    }
  }

  bool Array(Node* out, int depth) {
    size_t begin = pos_++;
    out->kind = Kind::kList;
    SkipSpace();
    if (pos_ < s_.size() && s_[pos_] == ']') {
      ++pos_;
      out->span = SpanOf(begin, pos_);
      return true;
    }
    for (;;) {
      SkipSpace();
      Node item;
      if (!Value(&item, depth + 1)) return false;
      out->items.push_back(std::move(item));
      SkipSpace();
      if (pos_ < s_.size() && s_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < s_.size() && s_[pos_] == ']') {
        ++pos_;
        out->span = SpanOf(begin, pos_);
        return true;
      }
      return Fail("expected ',' or ']' in a JSON array");
    }
  }

  bool Hex4(uint32_t* v) {
    if (pos_ + 4 > s_.size()) return Fail("truncated \\u escape");
    *v = 0;
    for (int i = 0; i < 4; ++i) {
      char c = s_[pos_++];
      *v <<= 4;
      if (c >= '0' && c <= '9')
        *v |= c - '0';
      else if (c >= 'a' && c <= 'f')
        *v |= c - 'a' + 10;
      else if (c >= 'A' && c <= 'F')
        *v |= c - 'A' + 10;
      else
        return Fail("bad \\u escape");
    }
    return true;
  }

  bool String(std::string* out) {
    ++pos_;  // opening quote
    for (;;) {
      if (pos_ >= s_.size()) return Fail("unterminated JSON string");
      char c = s_[pos_++];
      if (c == '"') return true;
      if (static_cast<unsigned char>(c) < 0x20) {
        --pos_;
        return Fail("control character in a JSON string");
      }
      if (c != '\\') {
        out->push_back(c);
        continue;
      }
      if (pos_ >= s_.size()) return Fail("unterminated JSON string");
      char e = s_[pos_++];
      switch (e) {
        case '"':
          out->push_back('"');
          break;
        case '\\':
          out->push_back('\\');
          break;
        case '/':
          out->push_back('/');
          break;
        case 'b':
          out->push_back('\b');
          break;
        case 'f':
          out->push_back('\f');
          break;
        case 'n':
          out->push_back('\n');
          break;
        case 'r':
          out->push_back('\r');
          break;
        case 't':
          out->push_back('\t');
          break;
        case 'u': {
          uint32_t cp;
          if (!Hex4(&cp)) return false;
          if (cp >= 0xD800 && cp <= 0xDBFF && s_.substr(pos_, 2) == "\\u") {
            pos_ += 2;
            uint32_t lo;
            if (!Hex4(&lo)) return false;
            if (lo >= 0xDC00 && lo <= 0xDFFF) cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          }
          AppendUtf8(out, cp);
          break;
        }
        default:
          pos_ -= 2;
          return Fail(std::string("bad escape '\\") + e + "' in a JSON string");
      }
    }
  }

  bool Number(Node* out) {
    size_t begin = pos_;
    if (s_[pos_] == '-') ++pos_;
    size_t digits = pos_;
    while (pos_ < s_.size() && ((s_[pos_] >= '0' && s_[pos_] <= '9') || s_[pos_] == '.' || s_[pos_] == 'e' ||
                                s_[pos_] == 'E' || s_[pos_] == '+' || s_[pos_] == '-'))
      ++pos_;
    if (pos_ == digits) return Fail("bad JSON number");
    out->kind = Kind::kNumber;
    out->text = std::string(s_.substr(begin, pos_ - begin));
    out->span = SpanOf(begin, pos_);
    return true;
  }

  std::string_view s_;
  uint32_t file_, base_;
  bool exact_;
  Span whole_;
  size_t pos_ = 0;
  ParseError error_;
};

}  // namespace

bool ParseJson(std::string_view text, uint32_t file, uint32_t base, bool exact, Span whole, Node* out,
               ParseError* error) {
  Reader r(text, file, base, exact, whole);
  *out = Node();
  if (r.Document(out)) return true;
  if (error) *error = r.error();
  return false;
}

void AppendUtf8(std::string* out, uint32_t cp) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

bool AppendShortEscape(std::string* out, char c) {
  switch (c) {
    case '"':
      out->append("\\\"");
      return true;
    case '\\':
      out->append("\\\\");
      return true;
    case '\n':
      out->append("\\n");
      return true;
    case '\r':
      out->append("\\r");
      return true;
    case '\t':
      out->append("\\t");
      return true;
    default:
      return false;
  }
}

void AppendJsonString(std::string* out, std::string_view s) {
  static const char* kHex = "0123456789abcdef";
  out->push_back('"');
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (AppendShortEscape(out, c)) continue;
    if (u < 0x20) {
      out->append("\\u00");
      out->push_back(kHex[u >> 4]);
      out->push_back(kHex[u & 15]);
    } else {
      out->push_back(c);
    }
  }
  out->push_back('"');
}

}  // namespace ck::tools::lint
