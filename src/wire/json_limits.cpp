#include "wire/json_limits.h"

#include <string>

namespace ck::wire {

size_t JsonNestingDepth(std::string_view text, size_t stop_after) {
  size_t depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        break;
      case '[':
      case '{':
        if (++depth > deepest) {
          deepest = depth;
          if (deepest > stop_after) return deepest;
        }
        break;
      case ']':
      case '}':
        if (depth > 0) --depth;
        break;
      default:
        break;
    }
  }
  return deepest;
}

Status CheckJsonLimits(std::string_view text, size_t max_depth, size_t max_bytes) {
  if (text.size() > max_bytes)
    return InvalidArgument("JSON document of " + std::to_string(text.size()) + " bytes exceeds the limit of " +
                           std::to_string(max_bytes));
  if (JsonNestingDepth(text, max_depth) > max_depth)
    return InvalidArgument("JSON document nested deeper than " + std::to_string(max_depth) + " levels");
  return Status::Ok();
}

}  // namespace ck::wire
