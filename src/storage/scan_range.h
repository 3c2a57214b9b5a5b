// Key-range arithmetic shared by the MetadataStore backends: turns ScanOptions
// into one [lower, upper] interval of key bytes, so every backend interprets
// prefix/start_after/start_at/reverse identically. Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "storage/metadata_store.h"

namespace ck::storage {

struct KeyBound {
  std::string key;
  bool inclusive = true;
};

// A key k is in the range when it is above lower (if set) and below upper (if
// set), with each bound inclusive or exclusive. empty() means no key can match.
struct KeyRange {
  std::optional<KeyBound> lower;
  std::optional<KeyBound> upper;
  bool empty = false;

  bool Contains(std::string_view k) const;
};

// The smallest byte string greater than every string starting with prefix, or
// nullopt when there is none ("" or all 0xFF bytes).
std::optional<std::string> PrefixSuccessor(std::string_view prefix);

// The range ScanOptions selects (limit and direction aside). InvalidArgument
// when both start_after and start_at are set.
Result<KeyRange> ResolveScanRange(const ScanOptions& options);

// The range of keys starting with prefix.
KeyRange PrefixRange(std::string_view prefix);

// Key bytes for error messages: printable ASCII kept, other bytes as \xNN,
// truncated to a readable length.
std::string PrintableKey(std::string_view key);

}  // namespace ck::storage
