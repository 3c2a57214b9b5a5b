#include "wire/json_limits.h"

#include <string>

namespace ck::wire {

Status CheckJsonLimits(std::string_view text, size_t max_depth, size_t max_bytes) {
  if (text.size() > max_bytes)
    return InvalidArgument("JSON document of " + std::to_string(text.size()) + " bytes exceeds the limit of " +
                           std::to_string(max_bytes));
  if (JsonNestingDepth(text, max_depth) > max_depth)
    return InvalidArgument("JSON document nested deeper than " + std::to_string(max_depth) + " levels");
  return Status::Ok();
}

}  // namespace ck::wire
