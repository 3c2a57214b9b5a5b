#include "webui/assets.h"

namespace ck::webui {

const Asset* FindAsset(std::string_view path) {
  if (path.empty()) path = "index.html";
  for (size_t i = 0; i < kAssetCount; ++i)
    if (path == kAssets[i].path) return &kAssets[i];
  return nullptr;
}

}  // namespace ck::webui
