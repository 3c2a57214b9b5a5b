// Pattern: the Java-flavoured regular expressions of AWS model "pattern"
// constraints, matched against a whole UTF-8 string by code point.
//
// std::regex is not used: it recurses once per character (a 128 KB policy
// document overflows the stack), knows no \p{L}, and reads UTF-8 by byte.
// This engine supports what the models use: classes with ranges and
// negation, \w \d \s \p{L} \p{N} \p{Z} \p{Print} \uXXXX (surrogate pairs
// combined, as Java does), groups, (?:) (?!) (?=), inline (?s), alternation,
// * + ? {n,m} and ^ $. A repeated single-character item loops instead of
// recursing. Runaway backtracking stops after a step budget and counts as a
// match: validation fails open rather than stalling a request.
//
// Thread safety: a compiled Pattern is immutable; Matches is const and safe
// to call from any thread.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace ck::wire {

class Pattern {
 public:
  // nullopt when the pattern uses syntax this engine does not know.
  static std::optional<Pattern> Compile(std::string_view pattern);
  // Whole-string match (Java's String.matches).
  bool Matches(std::string_view utf8) const;
  const std::string& source() const { return source_; }

  struct Node;

 private:
  std::string source_;
  std::shared_ptr<const Node> root_;
};

}  // namespace ck::wire
