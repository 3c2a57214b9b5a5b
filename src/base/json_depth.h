// The nesting depth of a JSON text, measured without parsing it: one linear
// pass, no allocation. Used to refuse documents too deep to walk before any
// parser or recursive code sees them (wire/json_limits.h, policy documents).
//
// Thread safety: a pure function.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace ck {

// The deepest nesting of arrays and objects in `text` read as JSON (brackets
// inside strings do not count; malformed text is measured as far as it goes).
// Stops counting once past `stop_after`.
size_t JsonNestingDepth(std::string_view text, size_t stop_after = SIZE_MAX);

}  // namespace ck
