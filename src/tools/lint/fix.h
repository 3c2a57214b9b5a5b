// --fix: replacing values in source files, and the unified diff it prints.
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ck::tools::lint {

struct Edit {
  uint32_t begin = 0, end = 0;  // byte range replaced
  std::string text;
};

// `text` with `edits` applied. Edits that overlap an earlier one (by begin
// offset) are dropped; identical duplicates count once.
std::string ApplyEdits(std::string_view text, std::vector<Edit> edits);

// A unified diff (3 lines of context) from `before` to `after`, whose lines
// correspond one to one (edits never add or remove line breaks). Empty when
// they are equal.
std::string UnifiedDiff(std::string_view path, std::string_view before, std::string_view after);

}  // namespace ck::tools::lint
