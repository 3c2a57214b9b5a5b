// Helpers shared by the fuzz targets: reading a fuzzer's byte string as a
// sequence of small choices and text parts, and a request head written as
// text ("METHOD target\nname: value\n...\n\nbody").
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "http/message.h"

namespace ck::fuzz {

class Input {
 public:
  Input(const uint8_t* data, size_t size) : rest_(reinterpret_cast<const char*>(data), size) {}

  // One byte (0 when the input is used up).
  uint8_t Byte() {
    if (rest_.empty()) return 0;
    uint8_t b = static_cast<uint8_t>(rest_[0]);
    rest_.remove_prefix(1);
    return b;
  }
  // Everything up to the next `sep` (consumed), or the rest.
  std::string_view Until(char sep) {
    size_t p = rest_.find(sep);
    std::string_view out = rest_.substr(0, p);
    rest_ = p == std::string_view::npos ? std::string_view() : rest_.substr(p + 1);
    return out;
  }
  std::string_view Rest() {
    std::string_view out = rest_;
    rest_ = {};
    return out;
  }
  bool empty() const { return rest_.empty(); }

 private:
  std::string_view rest_;
};

// Parses "METHOD target\nname: value\n...\n\n" into *head (ParseTarget rules:
// false when the target is not valid). The body is left in `in`.
inline bool ReadHead(Input& in, http::RequestHead* head) {
  std::string_view line = in.Until('\n');
  size_t sp = line.find(' ');
  if (sp == std::string_view::npos) return false;
  head->method = std::string(line.substr(0, sp));
  if (!http::ParseTarget(line.substr(sp + 1), head)) return false;
  for (;;) {
    if (in.empty()) break;
    std::string_view h = in.Until('\n');
    if (h.empty()) break;
    size_t colon = h.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view value = h.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    head->headers.Add(std::string(h.substr(0, colon)), std::string(value));
  }
  return true;
}

}  // namespace ck::fuzz
