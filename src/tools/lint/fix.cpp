#include "tools/lint/fix.h"

#include <algorithm>

namespace ck::tools::lint {

namespace {

std::vector<std::string_view> SplitLines(std::string_view s) {
  std::vector<std::string_view> lines;
  size_t pos = 0;
  while (pos < s.size()) {
    size_t nl = s.find('\n', pos);
    if (nl == std::string_view::npos) {
      lines.push_back(s.substr(pos));
      break;
    }
    lines.push_back(s.substr(pos, nl + 1 - pos));
    pos = nl + 1;
  }
  return lines;
}

void AppendLine(std::string* out, char mark, std::string_view line) {
  out->push_back(mark);
  out->append(line);
  if (line.empty() || line.back() != '\n') out->append("\n\\ No newline at end of file\n");
}

}  // namespace

std::string ApplyEdits(std::string_view text, std::vector<Edit> edits) {
  std::sort(edits.begin(), edits.end(),
            [](const Edit& a, const Edit& b) { return a.begin != b.begin ? a.begin < b.begin : a.end < b.end; });
  std::string out;
  size_t pos = 0;
  for (const Edit& e : edits) {
    if (e.begin < pos || e.end > text.size() || e.end < e.begin) continue;  // overlaps (or repeats) an earlier edit
    out.append(text.substr(pos, e.begin - pos));
    out.append(e.text);
    pos = e.end;
  }
  out.append(text.substr(pos));
  return out;
}

std::string UnifiedDiff(std::string_view path, std::string_view before, std::string_view after) {
  if (before == after) return {};
  std::vector<std::string_view> a = SplitLines(before), b = SplitLines(after);
  size_t n = std::max(a.size(), b.size());
  std::vector<size_t> changed;
  for (size_t i = 0; i < n; ++i) {
    std::string_view x = i < a.size() ? a[i] : std::string_view(), y = i < b.size() ? b[i] : std::string_view();
    if (x != y) changed.push_back(i);
  }
  // git's a/ and b/ prefixes for relative paths; absolute paths as they are.
  bool absolute = path.starts_with("/");
  std::string out = (absolute ? "--- " : "--- a/") + std::string(path) + (absolute ? "\n+++ " : "\n+++ b/") +
                    std::string(path) + "\n";
  constexpr size_t kContext = 3;
  for (size_t c = 0; c < changed.size();) {
    size_t first = changed[c] > kContext ? changed[c] - kContext : 0;
    size_t last = changed[c];
    size_t d = c + 1;
    while (d < changed.size() && changed[d] <= last + 2 * kContext + 1) last = changed[d++];
    size_t end = std::min(n, last + kContext + 1);
    size_t a_count = std::min(end, a.size()) - std::min(first, a.size());
    size_t b_count = std::min(end, b.size()) - std::min(first, b.size());
    out += "@@ -" + std::to_string(a_count ? first + 1 : first) + "," + std::to_string(a_count) + " +" +
           std::to_string(b_count ? first + 1 : first) + "," + std::to_string(b_count) + " @@\n";
    for (size_t i = first; i < end; ++i) {
      bool in_a = i < a.size(), in_b = i < b.size();
      if (in_a && in_b && a[i] == b[i]) {
        AppendLine(&out, ' ', a[i]);
      } else {
        if (in_a) AppendLine(&out, '-', a[i]);
        if (in_b) AppendLine(&out, '+', b[i]);
      }
    }
    c = d;
  }
  return out;
}

}  // namespace ck::tools::lint
