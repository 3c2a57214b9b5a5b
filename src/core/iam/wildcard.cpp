#include "core/iam/wildcard.h"

namespace ck::core::iam {
namespace {

inline char Fold(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

inline bool CharMatches(char p, char t, bool ignore_case) {
  if (p == '?') return true;
  if (p == kLiteralStar) return t == '*';
  if (p == kLiteralQuestion) return t == '?';
  return ignore_case ? p == Fold(t) : p == t;
}

// Splits at the first five colons. Returns false when there are fewer.
bool SplitArn(std::string_view s, std::string_view (&parts)[6]) {
  for (int i = 0; i < 5; ++i) {
    size_t colon = s.find(':');
    if (colon == std::string_view::npos) return false;
    parts[i] = s.substr(0, colon);
    s.remove_prefix(colon + 1);
  }
  parts[5] = s;
  return true;
}

}  // namespace

bool GlobMatch(std::string_view pattern, std::string_view text, bool ignore_case) {
  // Iterative matcher with one backtrack point (the last '*'): linear in
  // practice, O(n*m) worst case, no recursion and no allocation.
  size_t p = 0, t = 0;
  size_t star_p = std::string_view::npos, star_t = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star_p = p++;
      star_t = t;
    } else if (p < pattern.size() && CharMatches(pattern[p], text[t], ignore_case)) {
      ++p;
      ++t;
    } else if (star_p != std::string_view::npos) {
      p = star_p + 1;
      t = ++star_t;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (Fold(a[i]) != Fold(b[i])) return false;
  }
  return true;
}

bool ArnGlobMatch(std::string_view pattern, std::string_view arn) {
  if (pattern == "*") return true;
  std::string_view pp[6], ap[6];
  if (!SplitArn(pattern, pp) || !SplitArn(arn, ap)) return false;
  for (int i = 0; i < 6; ++i) {
    if (!GlobMatch(pp[i], ap[i])) return false;
  }
  return true;
}

}  // namespace ck::core::iam
