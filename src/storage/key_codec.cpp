#include "storage/key_codec.h"

namespace ck::storage {

void AppendKeyPrefix(std::string* key, std::string_view partial) {
  for (char c : partial) {
    key->push_back(c);
    if (c == '\0') key->push_back('\xff');
  }
}

void AppendKeyPart(std::string* key, std::string_view part) {
  AppendKeyPrefix(key, part);
  // The terminator 0x00 0x01 sorts below any continuation of the part (a byte
  // >= 0x01, or 0x00 0xFF for an escaped NUL), so a shorter part sorts first.
  // Its second byte keeps it distinct from an escape even when the next part
  // is an integer starting with 0xFF.
  key->push_back('\0');
  key->push_back('\x01');
}

void AppendUint64(std::string* key, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) key->push_back(static_cast<char>(v >> shift));
}

void AppendUint64Desc(std::string* key, uint64_t v) { AppendUint64(key, ~v); }

bool KeyReader::ReadPart(std::string* out) {
  std::string part;
  for (size_t i = 0; i < rest_.size(); ++i) {
    char c = rest_[i];
    if (c != '\0') {
      part.push_back(c);
      continue;
    }
    if (i + 1 >= rest_.size()) return false;
    char next = rest_[i + 1];
    if (next == '\xff') {
      part.push_back('\0');
      ++i;
    } else if (next == '\x01') {
      rest_.remove_prefix(i + 2);
      *out = std::move(part);
      return true;
    } else {
      return false;
    }
  }
  return false;
}

bool KeyReader::ReadUint64(uint64_t* out) {
  if (rest_.size() < 8) return false;
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<unsigned char>(rest_[i]);
  rest_.remove_prefix(8);
  *out = v;
  return true;
}

bool KeyReader::ReadUint64Desc(uint64_t* out) {
  uint64_t v;
  if (!ReadUint64(&v)) return false;
  *out = ~v;
  return true;
}

}  // namespace ck::storage
