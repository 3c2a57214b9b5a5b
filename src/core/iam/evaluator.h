// The pure IAM authorization decision: given a principal, the policies that
// apply and the request, Allow / implicit deny / explicit deny, with the reason
// and AWS's AccessDenied message text.
//
// Rules (IAM user guide "Policy evaluation logic", "Cross-account policy
// evaluation logic", KMS "Default key policy"):
//  1. An explicit Deny in any applicable policy wins. Policies are scanned in
//     the order identity, resource, permissions boundary, session; the first
//     deny found names the policy type in the reason.
//  2. Resource-policy principals: "*" matches everyone (anonymous included); a
//     user / federated-user / assumed-role session ARN matches exactly that
//     principal; a role ARN matches every session of the role; an account
//     (id or :root ARN) matches every principal of the account but only as an
//     account-level grant, which delegates to the account's identity policies.
//     NotPrincipal excludes a user or session only when its account is listed
//     too, and a NotPrincipal Deny always applies to a principal that has a
//     permissions boundary (IAM user guide, "NotPrincipal").
//  3. Identity side: identity policies allow, intersected with the permissions
//     boundary and the session policies when present. The account root is
//     allowed every action by its identity (it has all permissions); anonymous
//     and service principals have no identity side.
//  4. Same account: allowed when the identity side allows, or when the resource
//     policy grants the principal directly. A direct grant to a session ARN or
//     user ARN (or "*") is not limited by a boundary or session policy; a grant
//     to the role ARN is (IAM user guide, "Session policies" and "Permissions
//     boundaries": resource-based policy with role ARN vs session ARN).
//  5. Cross account (principal.account != context.resource_account): the
//     resource policy must grant (principal, role, account or "*") AND the
//     identity side must allow.
//  6. resource_policy_required (KMS key policies, role trust policies): without
//     a resource-policy grant nothing is allowed, even the account root;
//     identity allows count only where the resource policy grants the account
//     (or the principal, cross-account).
//  7. When both a resource grant and the identity side are missing, the
//     reported reason is the missing resource grant when one was needed.
//
// Evaluate is a pure function: thread-safe, no I/O, no allocation on the
// allow path with pre-parsed policies (a thread-local buffer is reused for
// variable substitution).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/iam/policy_document.h"
#include "core/iam/request_context.h"

namespace ck::core::iam {

struct EvaluationInput {
  const Principal* principal = nullptr;
  std::vector<const Policy*> identity_policies;
  // Present (even empty) when the session was created with session policies.
  std::optional<std::vector<const Policy*>> session_policies;
  const Policy* permissions_boundary = nullptr;
  const Policy* resource_policy = nullptr;
  // KMS key policies, IAM role trust policies: the resource policy must allow
  // (directly, or via the account root, which then lets identity policies count).
  bool resource_policy_required = false;
  const RequestContext* context = nullptr;
};

enum class Decision { kAllow, kImplicitDeny, kExplicitDeny };

struct EvaluationResult {
  enum class DenyReason {
    kNone,
    kExplicitDenyIdentity,
    kExplicitDenyResource,
    kExplicitDenySession,
    kExplicitDenyBoundary,
    kNoIdentityAllow,
    kNoResourceAllow,
    kNoSessionAllow,
    kNoBoundaryAllow,
  };

  Decision decision = Decision::kImplicitDeny;
  DenyReason reason = DenyReason::kNone;
  // Copied from the input only when denied, for Message().
  std::string principal_arn;
  std::string action;
  std::string resource;

  bool allowed() const { return decision == Decision::kAllow; }

  // AWS's AccessDenied text, e.g. "User: ARN is not authorized to perform:
  // kms:Decrypt on resource: KEYARN because no identity-based policy allows the
  // kms:Decrypt action". With redact_resource (KMS, caller in another account
  // than the key) the resource is hidden: "... on this resource because the
  // resource does not exist in this Region, no resource-based policies allow
  // access, or a resource-based policy explicitly denies access" for
  // resource-policy reasons, "... on this resource because no identity-based
  // policy allows the ACTION action" for identity-side ones. Empty when allowed.
  std::string Message(bool redact_resource = false) const;
};

EvaluationResult Evaluate(const EvaluationInput& input);

// How each statement of each policy of an evaluation matched, for decision
// records (`crosskey explain`). A second pass over the policies: call it only
// when a record is wanted. `kind`: "identity", "resource", "session",
// "permissions boundary".
struct StatementTrace {
  std::string sid;
  Effect effect = Effect::kAllow;
  bool principal = true;  // resource-type policies only; true elsewhere
  bool action = false, resource = false, conditions = false;
  bool applies() const { return principal && action && resource && conditions; }
};
struct PolicyTrace {
  const Policy* policy = nullptr;
  std::string kind;
  std::vector<StatementTrace> statements;
};
std::vector<PolicyTrace> TraceEvaluation(const EvaluationInput& input);

// Statement-level helpers, exposed for services that need them (S3 checks
// whether a bucket policy grants public access, IAM's simulator...).
bool ActionMatches(const Statement& st, std::string_view action);
bool ResourceMatches(const Statement& st, std::string_view resource, const ValueSource& source);
bool ConditionsMatch(const Statement& st, const ValueSource& source);

}  // namespace ck::core::iam
