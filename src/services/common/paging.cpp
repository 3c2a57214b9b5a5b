#include "services/common/paging.h"

namespace ck::services {

std::optional<size_t> ParseMarker(const std::optional<std::string>& marker) {
  if (!marker) return size_t{0};
  if (marker->empty() || marker->size() > 9) return std::nullopt;
  size_t pos = 0;
  for (char ch : *marker) {
    if (ch < '0' || ch > '9') return std::nullopt;
    pos = pos * 10 + static_cast<size_t>(ch - '0');
  }
  return pos;
}

}  // namespace ck::services
