// Source files and positions for `crosskey lint`.
//
// Every value the linter reads keeps a Span: the file it came from and the
// byte range it occupies there, so that findings can name file:line:column,
// draw a caret under the value and let --fix replace exactly those bytes.
// Lines and columns are 1-based; a column counts Unicode code points (UTF-8
// continuation bytes do not start a new column), as SARIF's
// "unicodeCodePoints" column kind does.
//
// A Sources table owns the files of one run. Not thread-safe; one run, one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ck::tools::lint {

struct Span {
  uint32_t file = 0;
  uint32_t begin = 0;  // byte offset of the first byte
  uint32_t end = 0;    // byte offset one past the last byte
  bool empty() const { return end <= begin; }
};

struct Position {
  uint32_t line = 1;
  uint32_t column = 1;
};

class SourceFile {
 public:
  SourceFile(uint32_t id, std::string path, std::string text);

  uint32_t id() const { return id_; }
  const std::string& path() const { return path_; }
  const std::string& text() const { return text_; }
  // The position of a byte offset (clamped to the end of the text).
  Position PositionOf(uint32_t offset) const;
  // Line `line` (1-based) without its line terminator.
  std::string_view Line(uint32_t line) const;
  uint32_t line_count() const { return static_cast<uint32_t>(line_starts_.size()); }
  // The byte offset where line `line` begins.
  uint32_t LineStart(uint32_t line) const;
  // "path:line:column" for messages.
  std::string Where(uint32_t offset) const;

 private:
  uint32_t id_;
  std::string path_;
  std::string text_;
  std::vector<uint32_t> line_starts_;
};

class Sources {
 public:
  // Adds a file; its id is its index.
  const SourceFile& Add(std::string path, std::string text);
  const SourceFile& file(uint32_t id) const { return *files_.at(id); }
  size_t size() const { return files_.size(); }

 private:
  std::vector<std::unique_ptr<SourceFile>> files_;
};

// Number of code points in a UTF-8 byte range.
uint32_t CodePoints(std::string_view s);

}  // namespace ck::tools::lint
