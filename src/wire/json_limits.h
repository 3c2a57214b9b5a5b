// Limits on JSON request documents, checked before the document is parsed.
//
// nlohmann::json parses and destroys documents without recursion, but copying,
// comparing and dumping a document recurse, and so do the typed decoder
// (json_codec) and the services that walk documents (DynamoDB attribute
// values, policy documents). A request must not be able to drive any of them
// without bound, so the nesting depth is measured first, in one linear pass
// that allocates nothing.
//
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/json_depth.h"  // JsonNestingDepth
#include "base/status.h"

namespace ck::wire {

// Deepest nesting accepted. DynamoDB's deepest legal request (an attribute
// value 32 levels deep inside a BatchWriteItem or TransactWriteItems) needs
// about 75; the margin lets DynamoDB refuse deeper values in its own words.
inline constexpr size_t kMaxJsonDepth = 256;
// Largest document accepted (the gateway refuses larger bodies before this).
inline constexpr size_t kMaxJsonBytes = 20 * 1024 * 1024;

// OK, or kInvalidArgument naming the limit `text` exceeds.
Status CheckJsonLimits(std::string_view text, size_t max_depth = kMaxJsonDepth, size_t max_bytes = kMaxJsonBytes);

}  // namespace ck::wire
