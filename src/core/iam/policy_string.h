// PolicyString: a Resource pattern or condition value as written in a policy,
// pre-split at parse time into literal text and policy variables.
//
// Variables (only in Version 2012-10-17 policies): ${key} takes the key's value
// from the request context (key names case-insensitive); ${key, 'default'}
// uses the default when the key is absent or multivalued ('' inside the
// default is one quote); ${*}, ${?} and ${$} are the literal characters. A
// variable whose key has no single value and no default does not resolve, and
// the element that holds it then matches nothing (IAM user guide, "Policy
// variables with no value"). Substitution is one pass: a value that itself
// looks like ${x} is not expanded again. Text that only looks like a variable
// but does not parse ("${foo", "${a, b}") stays literal.
//
// Immutable after Parse; thread-safe to read.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/iam/request_context.h"

namespace ck::core::iam {

// Where variable and condition key values come from: the explicit context
// keys first, then the service's and the global keys computed on demand, then
// the few keys every authenticated request carries, derived from the
// Principal when nobody supplied them (aws:PrincipalArn, aws:PrincipalAccount,
// aws:userid, and aws:username for IAM users).
struct ValueSource {
  const ContextKeys* keys = nullptr;
  const Principal* principal = nullptr;
  const KeySource* service_keys = nullptr;
  const KeySource* global_keys = nullptr;
  // An empty span means the key is absent.
  std::span<const std::string> Lookup(std::string_view key) const;
};

class PolicyString {
 public:
  PolicyString() = default;
  static PolicyString Parse(std::string_view raw, bool variables_enabled);

  const std::string& raw() const { return raw_; }
  // True when Resolve must run (variables or escapes present).
  bool needs_resolve() const { return !segments_.empty(); }

  // Writes the resolved string to *out (replacing its contents). In glob mode
  // the characters '*' and '?' that came from escapes or substituted values
  // are written as kLiteralStar / kLiteralQuestion so that GlobMatch treats
  // them as plain characters. Returns false when a variable does not resolve.
  bool Resolve(const ValueSource& source, bool glob, std::string* out) const;

 private:
  struct Segment {
    enum Kind { kLiteral, kEscape, kVariable } kind;
    std::string text;  // literal text, the escaped char, or the key name
    bool has_default = false;
    std::string default_value;
  };
  std::string raw_;
  std::vector<Segment> segments_;  // empty when the string is plain text
};

}  // namespace ck::core::iam
