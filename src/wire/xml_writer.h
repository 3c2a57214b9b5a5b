// XmlWriter: a minimal, allocation-friendly XML text builder for responses.
// Element and attribute names are trusted (they come from the models);
// text and attribute values are escaped.
//
// Thread safety: an instance is used by one thread.
#pragma once

#include <string>
#include <string_view>

namespace ck::wire {

std::string XmlEscape(std::string_view text);

class XmlWriter {
 public:
  void Declaration() { out_ += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"; }
  // Opens "<name"; attributes may follow; then EndOpen() or EndEmpty().
  void BeginOpen(std::string_view name) {
    out_ += '<';
    out_ += name;
  }
  void Attribute(std::string_view name, std::string_view value) {
    out_ += ' ';
    out_ += name;
    out_ += "=\"";
    out_ += XmlEscape(value);
    out_ += '"';
  }
  void EndOpen() { out_ += '>'; }
  void EndEmpty() { out_ += "/>"; }
  void Open(std::string_view name) {
    BeginOpen(name);
    EndOpen();
  }
  void Close(std::string_view name) {
    out_ += "</";
    out_ += name;
    out_ += '>';
  }
  void Text(std::string_view text) { out_ += XmlEscape(text); }
  void Element(std::string_view name, std::string_view text) {
    Open(name);
    Text(text);
    Close(name);
  }
  std::string& str() { return out_; }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

}  // namespace ck::wire
