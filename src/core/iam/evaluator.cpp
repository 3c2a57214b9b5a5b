#include "core/iam/evaluator.h"

#include <algorithm>

#include "core/iam/wildcard.h"

namespace ck::core::iam {
namespace {

using Reason = EvaluationResult::DenyReason;

// How a resource-policy Allow statement reaches the principal; larger is stronger.
enum class Grant : uint8_t { kNone, kAccount, kRoleArn, kDirect };

const Principal& AnonymousPrincipal() {
  static const Principal kAnon{};
  return kAnon;
}

// The account of "arn:PARTITION:iam::ACCOUNT:root", or empty.
std::string_view RootArnAccount(std::string_view arn) {
  constexpr std::string_view kRoot = ":root";
  if (arn.size() <= kRoot.size() || arn.substr(arn.size() - kRoot.size()) != kRoot) return {};
  std::string_view head = arn.substr(0, arn.size() - kRoot.size());
  size_t colon = head.rfind(':');
  if (colon == std::string_view::npos) return {};
  std::string_view before = head.substr(0, colon);
  if (before.size() < 5 || before.substr(before.size() - 5) != ":iam:") return {};
  return head.substr(colon + 1);
}

bool Contains(const std::vector<std::string>& list, std::string_view v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

bool AccountListed(const PrincipalSet& s, std::string_view account) {
  if (account.empty()) return false;
  for (const std::string& a : s.aws) {
    if (RootArnAccount(a) == account) return true;
  }
  return false;
}

bool UniqueIdMatches(std::string_view id, std::string_view user_id) {
  if (user_id == id) return true;
  return user_id.size() > id.size() && user_id.substr(0, id.size()) == id && user_id[id.size()] == ':';
}

Grant MatchPrincipalSet(const PrincipalSet& s, const Principal& p) {
  if (s.any) return Grant::kDirect;
  switch (p.type) {
    case Principal::kAnonymous:
      return Grant::kNone;
    case Principal::kService:
      return Contains(s.service, p.service) ? Grant::kDirect : Grant::kNone;
    case Principal::kFederatedUser:
      if (Contains(s.federated, p.arn)) return Grant::kDirect;
      break;
    default:
      break;
  }
  if (!p.user_id.empty() && Contains(s.canonical_user, p.user_id)) return Grant::kDirect;
  Grant best = Grant::kNone;
  for (const std::string& a : s.aws) {
    if (a == p.arn) return Grant::kDirect;
    if (p.type == Principal::kAssumedRole && a == p.role_arn) {
      best = std::max(best, Grant::kRoleArn);
    } else if (a.size() >= 4 && (a.compare(0, 4, "AIDA") == 0 || a.compare(0, 4, "AROA") == 0)) {
      if (UniqueIdMatches(a, p.user_id)) {
        best = std::max(best, p.type == Principal::kAssumedRole ? Grant::kRoleArn : Grant::kDirect);
      }
    } else if (!p.account.empty() && RootArnAccount(a) == p.account) {
      best = std::max(best, Grant::kAccount);
    }
  }
  return best;
}

// NotPrincipal: is the principal excluded (the statement does not apply to it)?
// A user or session is evaluated together with its account, so both must be
// listed (IAM user guide, "AWS JSON policy elements: NotPrincipal").
bool ExcludedByNotPrincipal(const PrincipalSet& s, const Principal& p) {
  if (s.any) return true;
  switch (p.type) {
    case Principal::kAnonymous:
      return false;
    case Principal::kService:
      return Contains(s.service, p.service);
    case Principal::kRoot:
      return AccountListed(s, p.account);
    case Principal::kFederatedUser:
      if (Contains(s.federated, p.arn)) return true;
      return Contains(s.aws, p.arn) && AccountListed(s, p.account);
    case Principal::kUser:
    case Principal::kAssumedRole:
      return Contains(s.aws, p.arn) && AccountListed(s, p.account);
  }
  return false;
}

bool ActionPatternMatches(const ActionPattern& ap, std::string_view action) {
  switch (ap.kind) {
    case ActionPattern::kAny:
      return true;
    case ActionPattern::kExact:
      return EqualsIgnoreCase(ap.text, action);
    case ActionPattern::kPrefix:
      return action.size() >= ap.text.size() && EqualsIgnoreCase(ap.text, action.substr(0, ap.text.size()));
    case ActionPattern::kGlob:
      return GlobMatch(ap.text, action, /*ignore_case=*/true);
  }
  return false;
}

bool ResourcePatternMatches(const ResourcePattern& rp, std::string_view resource, const ValueSource& source) {
  switch (rp.kind) {
    case ResourcePattern::kAny:
      return true;
    case ResourcePattern::kExact:
      return rp.text == resource;
    case ResourcePattern::kPrefix:
      return resource.size() >= rp.text.size() && resource.compare(0, rp.text.size(), rp.text) == 0;
    case ResourcePattern::kGlob:
      return GlobMatch(rp.text, resource);
    case ResourcePattern::kVariable: {
      thread_local std::string buf;
      if (!rp.source.Resolve(source, /*glob=*/true, &buf)) return false;
      return GlobMatch(buf, resource);
    }
  }
  return false;
}

struct Scan {
  bool deny = false;
  bool allow = false;
  Grant grant = Grant::kNone;
};

// check_principal: resource-type policies, whose statements name principals.
Scan ScanPolicy(const Policy& policy, const Principal& p, const RequestContext& ctx, const ValueSource& source,
                bool check_principal, bool has_boundary) {
  Scan scan;
  for (const Statement& st : policy.statements) {
    if (!ActionMatches(st, ctx.action)) continue;
    if (st.has_resource && !ResourceMatches(st, ctx.resource, source)) continue;
    Grant g = Grant::kDirect;
    if (check_principal && st.has_principal) {
      if (st.effect == Effect::kDeny) {
        bool applies = st.not_principal ? (has_boundary || !ExcludedByNotPrincipal(st.principals, p))
                                        : MatchPrincipalSet(st.principals, p) != Grant::kNone;
        if (!applies) continue;
      } else {
        g = st.not_principal ? (ExcludedByNotPrincipal(st.principals, p) ? Grant::kNone : Grant::kDirect)
                             : MatchPrincipalSet(st.principals, p);
        if (g == Grant::kNone) continue;
      }
    }
    // An Allow that cannot improve what we have needs no condition check.
    if (st.effect == Effect::kAllow && scan.allow && g <= scan.grant) continue;
    if (!ConditionsMatch(st, source)) continue;
    if (st.effect == Effect::kDeny) {
      scan.deny = true;
      return scan;
    }
    scan.allow = true;
    scan.grant = std::max(scan.grant, g);
  }
  return scan;
}

EvaluationResult Deny(Decision d, Reason r, const Principal& p, const RequestContext& ctx) {
  EvaluationResult res;
  res.decision = d;
  res.reason = r;
  res.principal_arn = p.arn.empty() ? "anonymous" : p.arn;
  res.action = std::string(ctx.action);
  res.resource = std::string(ctx.resource);
  return res;
}

}  // namespace

bool ActionMatches(const Statement& st, std::string_view action) {
  bool any = false;
  for (const ActionPattern& ap : st.actions) {
    if (ActionPatternMatches(ap, action)) {
      any = true;
      break;
    }
  }
  return st.not_action ? !any : any;
}

bool ResourceMatches(const Statement& st, std::string_view resource, const ValueSource& source) {
  bool any = false;
  for (const ResourcePattern& rp : st.resources) {
    if (ResourcePatternMatches(rp, resource, source)) {
      any = true;
      break;
    }
  }
  return st.not_resource ? !any : any;
}

bool ConditionsMatch(const Statement& st, const ValueSource& source) {
  for (const Condition& c : st.conditions) {
    if (!EvaluateCondition(c, source)) return false;
  }
  return true;
}

EvaluationResult Evaluate(const EvaluationInput& in) {
  static const RequestContext kEmptyContext;
  const Principal& p = in.principal ? *in.principal : AnonymousPrincipal();
  const RequestContext& ctx = in.context ? *in.context : kEmptyContext;
  const ValueSource source{&ctx.keys, &p, ctx.service_keys, ctx.global_keys};
  const bool has_identity_side = p.type != Principal::kAnonymous && p.type != Principal::kService;
  const bool has_boundary = has_identity_side && in.permissions_boundary != nullptr;
  const bool has_session = has_identity_side && in.session_policies.has_value();

  // 1. Explicit deny anywhere wins.
  bool identity_allow = p.type == Principal::kRoot;
  if (has_identity_side) {
    for (const Policy* pol : in.identity_policies) {
      if (pol == nullptr) continue;
      Scan s = ScanPolicy(*pol, p, ctx, source, false, has_boundary);
      if (s.deny) return Deny(Decision::kExplicitDeny, Reason::kExplicitDenyIdentity, p, ctx);
      identity_allow = identity_allow || s.allow;
    }
  }
  Scan rp;
  if (in.resource_policy != nullptr) {
    rp = ScanPolicy(*in.resource_policy, p, ctx, source, true, has_boundary);
    if (rp.deny) return Deny(Decision::kExplicitDeny, Reason::kExplicitDenyResource, p, ctx);
  }
  bool boundary_ok = true;
  if (has_boundary) {
    Scan s = ScanPolicy(*in.permissions_boundary, p, ctx, source, false, has_boundary);
    if (s.deny) return Deny(Decision::kExplicitDeny, Reason::kExplicitDenyBoundary, p, ctx);
    boundary_ok = s.allow;
  }
  bool session_ok = true;
  if (has_session) {
    session_ok = false;
    for (const Policy* pol : *in.session_policies) {
      if (pol == nullptr) continue;
      Scan s = ScanPolicy(*pol, p, ctx, source, false, has_boundary);
      if (s.deny) return Deny(Decision::kExplicitDeny, Reason::kExplicitDenySession, p, ctx);
      session_ok = session_ok || s.allow;
    }
  }

  EvaluationResult allow;
  allow.decision = Decision::kAllow;

  // Anonymous and service principals: only a direct resource-policy grant.
  if (!has_identity_side) {
    if (rp.grant == Grant::kDirect) return allow;
    return Deny(Decision::kImplicitDeny, Reason::kNoResourceAllow, p, ctx);
  }

  const bool identity_ok = identity_allow && boundary_ok && session_ok;
  const Reason identity_reason = !identity_allow ? Reason::kNoIdentityAllow
                                 : !boundary_ok  ? Reason::kNoBoundaryAllow
                                                 : Reason::kNoSessionAllow;
  const bool same_account = ctx.resource_account.empty() || ctx.resource_account == p.account;
  // A grant naming the session, the user or "*" is not limited by boundary or
  // session policy; a grant naming the role ARN is.
  const bool direct_ok = rp.grant == Grant::kDirect || (rp.grant == Grant::kRoleArn && boundary_ok && session_ok);

  if (in.resource_policy_required || !same_account) {
    if (rp.grant == Grant::kNone) return Deny(Decision::kImplicitDeny, Reason::kNoResourceAllow, p, ctx);
    if (same_account && direct_ok) return allow;
    if (identity_ok) return allow;
    return Deny(Decision::kImplicitDeny, identity_reason, p, ctx);
  }
  if (identity_ok || direct_ok) return allow;
  return Deny(Decision::kImplicitDeny, identity_reason, p, ctx);
}

std::vector<PolicyTrace> TraceEvaluation(const EvaluationInput& in) {
  static const RequestContext kEmptyContext;
  const Principal& p = in.principal ? *in.principal : AnonymousPrincipal();
  const RequestContext& ctx = in.context ? *in.context : kEmptyContext;
  const ValueSource source{&ctx.keys, &p, ctx.service_keys, ctx.global_keys};
  std::vector<PolicyTrace> out;
  auto trace = [&](const Policy* policy, const char* kind, bool check_principal) {
    if (!policy) return;
    PolicyTrace t{policy, kind, {}};
    for (const Statement& st : policy->statements) {
      StatementTrace s{st.sid, st.effect};
      if (check_principal && st.has_principal)
        s.principal = st.not_principal ? !ExcludedByNotPrincipal(st.principals, p)
                                       : MatchPrincipalSet(st.principals, p) != Grant::kNone;
      s.action = ActionMatches(st, ctx.action);
      s.resource = !st.has_resource || ResourceMatches(st, ctx.resource, source);
      s.conditions = ConditionsMatch(st, source);
      t.statements.push_back(std::move(s));
    }
    out.push_back(std::move(t));
  };
  for (const Policy* pol : in.identity_policies) trace(pol, "identity", false);
  trace(in.resource_policy, "resource", true);
  trace(in.permissions_boundary, "permissions boundary", false);
  if (in.session_policies)
    for (const Policy* pol : *in.session_policies) trace(pol, "session", false);
  return out;
}

std::string EvaluationResult::Message(bool redact_resource) const {
  if (decision == Decision::kAllow) return {};
  std::string m = "User: " + principal_arn + " is not authorized to perform: " + action;
  const bool resource_reason = reason == DenyReason::kNoResourceAllow || reason == DenyReason::kExplicitDenyResource;
  if (redact_resource) {
    m += " on this resource";
    if (resource_reason) {
      m +=
          " because the resource does not exist in this Region, no resource-based policies allow access, or a "
          "resource-based policy explicitly denies access";
      return m;
    }
  } else {
    m += " on resource: " + resource;
  }
  switch (reason) {
    case DenyReason::kExplicitDenyIdentity:
      m += " with an explicit deny in an identity-based policy";
      break;
    case DenyReason::kExplicitDenyResource:
      m += " with an explicit deny in a resource-based policy";
      break;
    case DenyReason::kExplicitDenySession:  // UNVERIFIED wording
      m += " with an explicit deny in a session policy";
      break;
    case DenyReason::kExplicitDenyBoundary:  // UNVERIFIED wording
      m += " with an explicit deny in a permissions boundary";
      break;
    case DenyReason::kNoIdentityAllow:
      m += " because no identity-based policy allows the " + action + " action";
      break;
    case DenyReason::kNoResourceAllow:
      m += " because no resource-based policy allows the " + action + " action";
      break;
    case DenyReason::kNoSessionAllow:
      m += " because no session policy allows the " + action + " action";
      break;
    case DenyReason::kNoBoundaryAllow:
      m += " because no permissions boundary allows the " + action + " action";
      break;
    case DenyReason::kNone:
      break;
  }
  return m;
}

}  // namespace ck::core::iam
