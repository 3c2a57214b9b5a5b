// IAM's policy simulator (SimulatePrincipalPolicy, SimulateCustomPolicy): the
// decision for one action on one resource under a set of identity policies
// (and optionally a permissions boundary) with the context values the caller
// supplies, which statements decided it and where each sits in its document,
// and the condition keys the deciding statements needed but were not given.
//
// Rules (IAM user guide, "Testing IAM policies with the IAM policy simulator"):
// a matching Deny anywhere is an explicit deny (the deny statements are the
// matched ones); otherwise a matching Allow allows (the allow statements are
// the matched ones); otherwise implicit deny with no matched statement. With a
// permissions boundary, the boundary must allow too. A statement whose
// condition names a key absent from the context does not match, and the key is
// listed as missing when the statement's action and resource match.
//
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/iam/policy_document.h"
#include "core/iam/request_context.h"

namespace ck::core::iam {

struct TextPosition {
  int line = 1;
  int column = 1;
};

// Where a statement begins and ends in its document.
struct StatementSpan {
  TextPosition start, end;
};

// The statements of a policy document in document order: one span for a
// Statement object, one per object of a Statement array; empty when the text
// has no top-level Statement. Positions are IAM's: lines counted from 1,
// columns counted from 1 and pointing just past the brace (IAM's recorded
// answers place a statement whose '{' is the 40th character of line 1 at
// column 41, and its closing '}' at the 112th at column 113).
std::vector<StatementSpan> StatementSpans(std::string_view document);

struct SimulatedPolicy {
  std::string id;    // SourcePolicyId: the policy's name, or "PolicyInputList.N"
  std::string type;  // SourcePolicyType as IAM names it
  Policy policy;
  std::vector<StatementSpan> spans;  // StatementSpans(document)
};

struct SimulationInput {
  std::vector<SimulatedPolicy> identity;
  std::vector<SimulatedPolicy> boundary;  // empty: no permissions boundary
  const Principal* principal = nullptr;   // for policy variables and aws:Principal* keys
  ContextKeys keys;                       // the caller's ContextEntries
};

enum class SimulatedDecision { kAllowed, kExplicitDeny, kImplicitDeny };

struct MatchedStatement {
  const SimulatedPolicy* policy = nullptr;
  size_t index = 0;  // into policy->policy.statements (and spans)
};

struct SimulationOutcome {
  SimulatedDecision decision = SimulatedDecision::kImplicitDeny;
  std::vector<MatchedStatement> matched;
  std::vector<std::string> missing_context;  // sorted, without duplicates
  std::optional<bool> allowed_by_boundary;   // set only when a boundary was simulated
};

SimulationOutcome Simulate(const SimulationInput& input, std::string_view action, std::string_view resource);

// The condition keys the policies use, sorted ignoring case and without
// duplicates (GetContextKeysForPrincipalPolicy / GetContextKeysForCustomPolicy).
std::vector<std::string> ConditionKeysOf(const std::vector<const Policy*>& policies);

}  // namespace ck::core::iam
