// The web console's files (web/), embedded at build time by
// scripts/embed_assets.py so the binary needs nothing on disk to serve them.
//
// Thread safety: constant data.
#pragma once

#include <cstddef>
#include <string_view>

namespace ck::webui {

struct Asset {
  const char* path;          // "index.html", "app.js"
  const char* content_type;  // "text/html; charset=utf-8"
  const char* data;
  size_t size;
};

extern const Asset kAssets[];
extern const size_t kAssetCount;

// The asset at `path` (relative to /_crosskey/ui/; "" is index.html), or null.
const Asset* FindAsset(std::string_view path);

}  // namespace ck::webui
