// Wildcard matching as IAM does it for actions, resources, StringLike and
// ArnLike: '*' matches any run of characters (including none and including '/'
// and ':'), '?' matches exactly one character. Nothing else is special.
//
// Two sentinel bytes let a resolved policy string carry literal wildcard
// characters (from the ${*} and ${?} escapes, or from a substituted variable
// value): kLiteralStar matches only '*', kLiteralQuestion only '?'.
// Pure functions; thread-safe.
#pragma once

#include <string_view>

namespace ck::core::iam {

inline constexpr char kLiteralStar = '\x01';
inline constexpr char kLiteralQuestion = '\x02';

// When ignore_case, ASCII letters compare case-insensitively. The pattern is
// expected already lower-cased in that mode (actions are lowered at parse
// time), so only the text is folded.
bool GlobMatch(std::string_view pattern, std::string_view text, bool ignore_case = false);

// ASCII case-insensitive equality.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// ArnLike / ArnEquals: each of the six colon-delimited components is matched
// separately, so a '*' never spans a colon of the first five separators. The
// sixth component (resource) takes the rest, colons included. False when
// either side has fewer than six components.
bool ArnGlobMatch(std::string_view pattern, std::string_view arn);

}  // namespace ck::core::iam
