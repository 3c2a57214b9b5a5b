#include "wire/xml_writer.h"

#include "base/codec.h"

namespace ck::wire {

namespace {

// Length of the UTF-8 sequence a lead byte announces (0: not a lead byte).
size_t SequenceLength(unsigned char c) {
  if (c >= 0xC2 && c <= 0xDF) return 2;
  if (c >= 0xE0 && c <= 0xEF) return 3;
  if (c >= 0xF0 && c <= 0xF4) return 4;
  return 0;
}

}  // namespace

std::string XmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      case '\r': out += "&#13;"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x80) {
          out += c;
          break;
        }
        // The document says UTF-8: a byte that is not part of a well-formed
        // sequence becomes U+FFFD rather than making the document unreadable.
        if (size_t n = SequenceLength(static_cast<unsigned char>(c));
            n && i + n <= text.size() && IsValidUtf8(text.substr(i, n))) {
          out.append(text.substr(i, n));
          i += n - 1;
        } else {
          out += "\xEF\xBF\xBD";
        }
    }
  }
  return out;
}

}  // namespace ck::wire
