#include "core/arn.h"

namespace ck::core {

Result<Arn> Arn::Parse(std::string_view text) {
  if (text.substr(0, 4) != "arn:") return InvalidArgument("not an ARN: " + std::string(text));
  std::string_view parts[5];
  std::string_view rest = text.substr(4);
  for (int i = 0; i < 4; ++i) {
    size_t colon = rest.find(':');
    if (colon == std::string_view::npos) return InvalidArgument("not an ARN: " + std::string(text));
    parts[i] = rest.substr(0, colon);
    rest.remove_prefix(colon + 1);
  }
  parts[4] = rest;
  if (parts[0].empty() || parts[1].empty() || parts[4].empty()) {
    return InvalidArgument("not an ARN: " + std::string(text));
  }
  return Arn{std::string(parts[0]), std::string(parts[1]), std::string(parts[2]), std::string(parts[3]),
             std::string(parts[4])};
}

std::string Arn::ToString() const {
  std::string out;
  out.reserve(9 + partition.size() + service.size() + region.size() + account.size() + resource.size());
  out.append("arn:").append(partition).append(":").append(service).append(":").append(region).append(":");
  out.append(account).append(":").append(resource);
  return out;
}

std::string_view Arn::ResourceType() const {
  size_t sep = resource.find_first_of("/:");
  if (sep == std::string::npos) return {};
  return std::string_view(resource).substr(0, sep);
}

std::string_view Arn::ResourceId() const {
  size_t sep = resource.find_first_of("/:");
  if (sep == std::string::npos) return resource;
  return std::string_view(resource).substr(sep + 1);
}

std::string_view Arn::ResourceName() const {
  size_t slash = resource.rfind('/');
  if (slash == std::string::npos) return resource;
  return std::string_view(resource).substr(slash + 1);
}

}  // namespace ck::core
