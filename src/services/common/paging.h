// Marker paging over an in-memory, sorted list (KMS ListKeys/ListAliases/
// ListGrants, IAM List*, Secrets Manager ListSecrets): the marker is the
// index of the next item, as decimal text, and is opaque to clients.
//
// Thread safety: stateless.
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

namespace ck::services {

template <typename T>
struct Page {
  std::vector<T> items;
  std::optional<std::string> next_marker;  // absent on the last page
};

// The index a marker names; nullopt when it is not one this server issued.
std::optional<size_t> ParseMarker(const std::optional<std::string>& marker);

// Up to `limit` items from `all` starting at `start`.
template <typename T>
Page<T> TakePage(std::vector<T> all, size_t start, size_t limit) {
  Page<T> page;
  if (start >= all.size()) return page;
  size_t end = std::min(all.size(), start + limit);
  page.items.assign(std::make_move_iterator(all.begin() + static_cast<std::ptrdiff_t>(start)),
                    std::make_move_iterator(all.begin() + static_cast<std::ptrdiff_t>(end)));
  if (end < all.size()) page.next_marker = std::to_string(end);
  return page;
}

}  // namespace ck::services
