#include "core/iam/simulator.h"

#include <algorithm>
#include <set>

#include "core/iam/evaluator.h"
#include "core/iam/policy_string.h"

namespace ck::core::iam {

namespace {

// Walks a JSON text keeping the line and column of the current character. It
// only skips values and finds the top-level Statement; the document was (or
// will be) validated by ParsePolicy, so on malformed text it stops early.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  bool more() const { return at_ < text_.size(); }
  char peek() const { return more() ? text_[at_] : '\0'; }
  // IAM's position of the current character: one past its 1-based column.
  TextPosition Here() const { return {line_, static_cast<int>(at_ - line_start_) + 2}; }

  void Advance() {
    if (!more()) return;
    if (text_[at_] == '\n') {
      ++line_;
      line_start_ = at_ + 1;
    }
    ++at_;
  }
  void SkipSpace() {
    while (more() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r')) Advance();
  }
  // A string starting at the current '"'; its raw text (escapes kept).
  std::string ReadString() {
    std::string out;
    Advance();  // the opening quote
    while (more() && peek() != '"') {
      if (peek() == '\\') {
        out += peek();
        Advance();
      }
      if (more()) out += peek();
      Advance();
    }
    Advance();  // the closing quote
    return out;
  }
  // Skips one value; *last gets the position of its last character.
  void SkipValue(TextPosition* last) {
    SkipSpace();
    if (peek() == '"') {
      ReadString();
      return;
    }
    if (peek() != '{' && peek() != '[') {
      while (more() && peek() != ',' && peek() != '}' && peek() != ']') Advance();
      return;
    }
    int depth = 0;
    while (more()) {
      char c = peek();
      if (c == '"') {
        ReadString();
        continue;
      }
      if (c == '{' || c == '[') ++depth;
      if (c == '}' || c == ']') --depth;
      if (depth == 0) {
        if (last) *last = Here();
        Advance();
        return;
      }
      Advance();
    }
  }

 private:
  std::string_view text_;
  size_t at_ = 0;
  size_t line_start_ = 0;
  int line_ = 1;
};

void AddObjectSpan(Scanner& s, std::vector<StatementSpan>* out) {
  StatementSpan span;
  span.start = s.Here();
  s.SkipValue(&span.end);
  out->push_back(span);
}

void ReadStatements(Scanner& s, std::vector<StatementSpan>* out) {
  s.SkipSpace();
  if (s.peek() == '{') return AddObjectSpan(s, out);
  if (s.peek() != '[') return s.SkipValue(nullptr);
  s.Advance();
  while (s.more()) {
    s.SkipSpace();
    if (s.peek() == ']') break;
    if (s.peek() == '{')
      AddObjectSpan(s, out);
    else
      s.SkipValue(nullptr);
    s.SkipSpace();
    if (s.peek() != ',') break;
    s.Advance();
  }
  s.Advance();
}

struct Scan {
  std::vector<MatchedStatement> allows, denies;
};

// The statements of `policies` that apply to action/resource; condition keys
// the applicable-but-for-conditions statements need and lack go to *missing.
Scan ScanPolicies(const std::vector<SimulatedPolicy>& policies, std::string_view action, std::string_view resource,
                  const ValueSource& source, std::set<std::string, CaseInsensitiveLess>* missing) {
  Scan scan;
  for (const SimulatedPolicy& p : policies) {
    for (size_t i = 0; i < p.policy.statements.size(); ++i) {
      const Statement& st = p.policy.statements[i];
      if (!ActionMatches(st, action) || !ResourceMatches(st, resource, source)) continue;
      for (const Condition& c : st.conditions)
        if (c.spec.op != ConditionOp::kNull && !c.spec.if_exists && source.Lookup(c.key).empty())
          missing->insert(c.key);
      if (!ConditionsMatch(st, source)) continue;
      (st.effect == Effect::kDeny ? scan.denies : scan.allows).push_back({&p, i});
    }
  }
  return scan;
}

}  // namespace

std::vector<StatementSpan> StatementSpans(std::string_view document) {
  std::vector<StatementSpan> out;
  Scanner s(document);
  s.SkipSpace();
  if (s.peek() != '{') return out;
  s.Advance();
  while (s.more()) {
    s.SkipSpace();
    if (s.peek() != '"') break;
    std::string key = s.ReadString();
    s.SkipSpace();
    if (s.peek() != ':') break;
    s.Advance();
    if (key == "Statement")
      ReadStatements(s, &out);
    else
      s.SkipValue(nullptr);
    s.SkipSpace();
    if (s.peek() != ',') break;
    s.Advance();
  }
  return out;
}

SimulationOutcome Simulate(const SimulationInput& in, std::string_view action, std::string_view resource) {
  const ValueSource source{&in.keys, in.principal, nullptr, nullptr};
  std::set<std::string, CaseInsensitiveLess> missing;
  Scan identity = ScanPolicies(in.identity, action, resource, source, &missing);
  SimulationOutcome out;
  if (!identity.denies.empty()) {
    out.decision = SimulatedDecision::kExplicitDeny;
    out.matched = std::move(identity.denies);
  } else if (!identity.allows.empty()) {
    out.decision = SimulatedDecision::kAllowed;
    out.matched = std::move(identity.allows);
  }
  if (!in.boundary.empty()) {
    Scan boundary = ScanPolicies(in.boundary, action, resource, source, &missing);
    out.allowed_by_boundary = boundary.denies.empty() && !boundary.allows.empty();
    if (!boundary.denies.empty() && out.decision != SimulatedDecision::kExplicitDeny) {
      out.decision = SimulatedDecision::kExplicitDeny;
      out.matched = std::move(boundary.denies);
    } else if (!*out.allowed_by_boundary && out.decision == SimulatedDecision::kAllowed) {
      out.decision = SimulatedDecision::kImplicitDeny;
      out.matched.clear();
    }
  }
  out.missing_context.assign(missing.begin(), missing.end());
  return out;
}

std::vector<std::string> ConditionKeysOf(const std::vector<const Policy*>& policies) {
  std::set<std::string, CaseInsensitiveLess> keys;
  for (const Policy* p : policies)
    for (const Statement& st : p->statements)
      for (const Condition& c : st.conditions) keys.insert(c.key);
  return {keys.begin(), keys.end()};
}

}  // namespace ck::core::iam
