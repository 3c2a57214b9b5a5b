// IAM's policy simulator: SimulatePrincipalPolicy, SimulateCustomPolicy and
// the context keys their policies use. The decision logic is
// core::iam::Simulate; this file gathers the policies (a user's own and its
// groups', a role's, a group's; the inputs) and shapes IAM's answer.
//
// Answer shape, as recorded on AWS (test_simulate_principle_policy): one
// EvaluationResult per action and resource, with an empty
// EvalDecisionDetails, OrganizationsDecisionDetail.AllowedByOrganizations
// true (crosskey has no organizations), one ResourceSpecificResults entry, and
// matched statements of type "IAM Policy" with their positions. Not recorded,
// inferred: SourcePolicyId is the policy's name ("PolicyInputList.N" for
// inputs, "PermissionsBoundaryPolicyInputList.N" for boundary inputs) and
// every identity or boundary policy is "IAM Policy".
#include <algorithm>

#include "core/arn.h"
#include "core/iam/simulator.h"
#include "services/authorizer.h"
#include "services/iam/iam_internal.h"

namespace ck::services::iam {

namespace ops = api::iam::ops;
namespace ciam = core::iam;

namespace {

constexpr const char* kIamPolicy = "IAM Policy";

Result<ciam::SimulatedPolicy> Simulated(const std::string& id, const std::string& document) {
  auto parsed = ciam::ParsePolicy(document, ciam::PolicyKind::kIdentity);
  if (!parsed.ok()) return errors::MalformedPolicyDocument(std::string(parsed.status().message()));
  return ciam::SimulatedPolicy{id, kIamPolicy, std::move(*parsed), ciam::StatementSpans(document)};
}

Status AddInputs(const std::optional<std::vector<std::string>>& docs, std::string_view list,
                 std::vector<ciam::SimulatedPolicy>* out) {
  if (!docs) return Status::Ok();
  for (size_t i = 0; i < docs->size(); ++i) {
    CK_ASSIGN_OR_RETURN(auto p, Simulated(std::string(list) + "." + std::to_string(i + 1), (*docs)[i]));
    out->push_back(std::move(p));
  }
  return Status::Ok();
}

ciam::ContextKeys KeysOf(const std::optional<std::vector<api::iam::ContextEntry>>& entries) {
  ciam::ContextKeys keys;
  if (!entries) return keys;
  for (const auto& e : *entries)
    if (e.context_key_name) keys[*e.context_key_name] = e.context_key_values.value_or(std::vector<std::string>{});
  return keys;
}

api::iam::Position PositionOf(const ciam::TextPosition& p) { return api::iam::Position{p.line, p.column}; }

std::vector<api::iam::Statement> MatchedOf(const ciam::SimulationOutcome& o) {
  std::vector<api::iam::Statement> out;
  for (const auto& m : o.matched) {
    api::iam::Statement st;
    st.source_policy_id = m.policy->id;
    st.source_policy_type = EnumValue<api::iam::PolicySourceType>::Parse(m.policy->type);
    if (m.index < m.policy->spans.size()) {
      st.start_position = PositionOf(m.policy->spans[m.index].start);
      st.end_position = PositionOf(m.policy->spans[m.index].end);
    }
    out.push_back(std::move(st));
  }
  return out;
}

api::iam::PolicyEvaluationDecisionType DecisionOf(ciam::SimulatedDecision d) {
  switch (d) {
    case ciam::SimulatedDecision::kAllowed:
      return api::iam::PolicyEvaluationDecisionType::kAllowed;
    case ciam::SimulatedDecision::kExplicitDeny:
      return api::iam::PolicyEvaluationDecisionType::kExplicitDeny;
    case ciam::SimulatedDecision::kImplicitDeny:
      break;
  }
  return api::iam::PolicyEvaluationDecisionType::kImplicitDeny;
}

api::iam::EvaluationResult ResultOf(const ciam::SimulationOutcome& o, const std::string& action,
                                    const std::string& resource) {
  api::iam::EvaluationResult r;
  r.eval_action_name = action;
  r.eval_resource_name = resource;
  r.eval_decision = DecisionOf(o.decision);
  r.matched_statements = MatchedOf(o);
  r.missing_context_values = o.missing_context;
  r.eval_decision_details.emplace();
  r.organizations_decision_detail = api::iam::OrganizationsDecisionDetail{true};
  if (o.allowed_by_boundary)
    r.permissions_boundary_decision_detail = api::iam::PermissionsBoundaryDecisionDetail{*o.allowed_by_boundary};
  api::iam::ResourceSpecificResult each;
  each.eval_resource_name = resource;
  each.eval_resource_decision = r.eval_decision;
  each.matched_statements = r.matched_statements;
  each.missing_context_values = o.missing_context;
  each.permissions_boundary_decision_detail = r.permissions_boundary_decision_detail;
  r.resource_specific_results = std::vector<api::iam::ResourceSpecificResult>{std::move(each)};
  return r;
}

// What the simulation request asks, common to both operations.
struct SimulationRequest {
  const std::vector<std::string>* actions;
  const std::optional<std::vector<std::string>>* resources;
  const std::optional<std::string>* resource_policy;
  const std::optional<std::vector<api::iam::ContextEntry>>* context;
  std::optional<int32_t> max_items;
  const std::optional<std::string>* marker;
};

template <typename Request>
SimulationRequest RequestOf(const Request& in) {
  return {&in.action_names, &in.resource_arns, &in.resource_policy, &in.context_entries, in.max_items, &in.marker};
}

Result<api::iam::SimulatePolicyResponse> Run(ciam::SimulationInput input, const SimulationRequest& req) {
  if (req.resource_policy->has_value())
    return errors::NotImplemented("crosskey does not simulate resource-based policies (ResourcePolicy)");
  input.keys = KeysOf(*req.context);
  const std::vector<std::string> all = {"*"};
  const auto& resources = req.resources->has_value() && !(*req.resources)->empty() ? **req.resources : all;
  std::vector<api::iam::EvaluationResult> results;
  for (const auto& action : *req.actions)
    for (const auto& resource : resources)
      results.push_back(ResultOf(ciam::Simulate(input, action, resource), action, resource));
  size_t start = 0;
  if (req.marker->has_value()) {
    const std::string& m = **req.marker;
    if (m.empty() || m.size() > 9 || m.find_first_not_of("0123456789") != std::string::npos ||
        std::stoul(m) > results.size())
      return errors::InvalidInput("Invalid Marker.");  // not recorded: IAM's markers are opaque
    start = std::stoul(m);
  }
  size_t count = req.max_items ? static_cast<size_t>(std::max<int32_t>(*req.max_items, 1)) : 100;
  api::iam::SimulatePolicyResponse out;
  size_t end = std::min(results.size(), start + count);
  out.evaluation_results.emplace(std::make_move_iterator(results.begin() + start),
                                 std::make_move_iterator(results.begin() + end));
  out.is_truncated = end < results.size();
  if (end < results.size()) out.marker = std::to_string(end);
  return out;
}

// "user", "role" or "group" and the name, from arn:aws:iam::ACCOUNT:KIND/PATH/NAME.
struct SourceArn {
  std::string account, kind, name;
};

Result<SourceArn> ParseSourceArn(const std::string& arn) {
  auto parts = core::Arn::Parse(arn);
  if (!parts.ok() || parts->service != "iam")
    return errors::InvalidInput("Invalid ARN " + arn + " for parameter PolicySourceArn.");
  std::string_view resource = parts->resource;
  size_t slash = resource.find('/');
  SourceArn out{parts->account, std::string(resource.substr(0, slash)), ""};
  if (slash == std::string_view::npos || (out.kind != "user" && out.kind != "role" && out.kind != "group"))
    return errors::InvalidInput("Invalid ARN " + arn + " for parameter PolicySourceArn.");
  out.name = std::string(resource.substr(resource.rfind('/') + 1));
  return out;
}

}  // namespace

// The policies of an entity's set: inline ones by name, attached ones by the
// managed policy's name.
Status IamService::AddEntityPolicies(const std::map<std::string, std::string>& inline_policies,
                                     const std::vector<std::string>& attached,
                                     std::vector<ciam::SimulatedPolicy>* out) {
  for (const auto& [name, doc] : inline_policies) {
    CK_ASSIGN_OR_RETURN(auto p, Simulated(name, doc));
    out->push_back(std::move(p));
  }
  for (const auto& arn : attached) {
    CK_ASSIGN_OR_RETURN(ManagedPolicy m, LoadManagedPolicy(arn));
    CK_ASSIGN_OR_RETURN(auto p, Simulated(m.name, m.document));
    out->push_back(std::move(p));
  }
  return Status::Ok();
}

Result<ciam::SimulationInput> IamService::PrincipalPolicies(const std::string& source_arn, Principal* principal) {
  CK_ASSIGN_OR_RETURN(SourceArn src, ParseSourceArn(source_arn));
  ciam::SimulationInput in;
  std::optional<std::string> boundary;
  principal->account = src.account;
  principal->arn = source_arn;
  if (src.kind == "user") {
    CK_ASSIGN_OR_RETURN(IamUser u, MustGetUser(src.account, src.name));
    CK_RETURN_IF_ERROR(AddEntityPolicies(u.inline_policies, u.attached_policies, &in.identity));
    for (const auto& group : u.groups.value_or(std::vector<std::string>{})) {
      CK_ASSIGN_OR_RETURN(IamGroup g, MustGetGroup(src.account, group));
      CK_RETURN_IF_ERROR(AddEntityPolicies(g.inline_policies, g.attached_policies, &in.identity));
    }
    boundary = u.permissions_boundary;
    principal->type = Principal::kUser;
    principal->username = u.name;
    principal->user_id = u.user_id;
  } else if (src.kind == "role") {
    CK_ASSIGN_OR_RETURN(IamRole r, MustGetRole(src.account, src.name));
    CK_RETURN_IF_ERROR(AddEntityPolicies(r.inline_policies, r.attached_policies, &in.identity));
    boundary = r.permissions_boundary;
    principal->type = Principal::kAssumedRole;
    principal->role_arn = r.arn;
    principal->user_id = r.role_id;
  } else {
    CK_ASSIGN_OR_RETURN(IamGroup g, MustGetGroup(src.account, src.name));
    CK_RETURN_IF_ERROR(AddEntityPolicies(g.inline_policies, g.attached_policies, &in.identity));
    principal->type = Principal::kUser;
  }
  if (boundary) {
    CK_ASSIGN_OR_RETURN(ManagedPolicy m, LoadManagedPolicy(*boundary));
    CK_ASSIGN_OR_RETURN(auto p, Simulated(m.name, m.document));
    in.boundary.push_back(std::move(p));
  }
  return in;
}

// IAM entities are their account's alone: an entity of another account is
// refused as IAM refuses a call on it (the text is inferred, not recorded).
Status IamService::AuthorizeSource(RequestContext& ctx, std::string_view operation, const std::string& arn) {
  auto parsed = core::Arn::Parse(arn);
  if (parsed.ok() && !parsed->account.empty() && parsed->account != ctx.principal.account)
    return errors::AccessDenied("User: " + ctx.principal.arn + " is not authorized to perform: iam:" +
                                std::string(operation) + " on resource: " + arn);
  return Authorize(ctx, operation, arn);
}

Result<api::iam::SimulatePolicyResponse> IamService::SimulatePrincipalPolicy(
    const api::iam::SimulatePrincipalPolicyRequest& in, RequestContext& ctx) {
  CK_RETURN_IF_ERROR(AuthorizeSource(ctx, ops::SimulatePrincipalPolicy::kName, in.policy_source_arn));
  Principal principal;
  CK_ASSIGN_OR_RETURN(ciam::SimulationInput input, PrincipalPolicies(in.policy_source_arn, &principal));
  CK_RETURN_IF_ERROR(AddInputs(in.policy_input_list, "PolicyInputList", &input.identity));
  if (in.permissions_boundary_policy_input_list) {  // replaces the entity's own boundary
    input.boundary.clear();
    CK_RETURN_IF_ERROR(
        AddInputs(in.permissions_boundary_policy_input_list, "PermissionsBoundaryPolicyInputList", &input.boundary));
  }
  input.principal = &principal;
  return Run(std::move(input), RequestOf(in));
}

Result<api::iam::SimulatePolicyResponse> IamService::SimulateCustomPolicy(
    const api::iam::SimulateCustomPolicyRequest& in, RequestContext& ctx) {
  CK_RETURN_IF_ERROR(Authorize(ctx, ops::SimulateCustomPolicy::kName, "*"));
  ciam::SimulationInput input;
  CK_RETURN_IF_ERROR(AddInputs(in.policy_input_list, "PolicyInputList", &input.identity));
  CK_RETURN_IF_ERROR(
      AddInputs(in.permissions_boundary_policy_input_list, "PermissionsBoundaryPolicyInputList", &input.boundary));
  return Run(std::move(input), RequestOf(in));
}

namespace {

api::iam::GetContextKeysForPolicyResponse ContextKeysOf(const ciam::SimulationInput& in) {
  std::vector<const ciam::Policy*> policies;
  for (const auto& p : in.identity) policies.push_back(&p.policy);
  for (const auto& p : in.boundary) policies.push_back(&p.policy);
  return api::iam::GetContextKeysForPolicyResponse{ciam::ConditionKeysOf(policies)};
}

}  // namespace

Result<api::iam::GetContextKeysForPolicyResponse> IamService::GetContextKeysForPrincipalPolicy(
    const api::iam::GetContextKeysForPrincipalPolicyRequest& in, RequestContext& ctx) {
  CK_RETURN_IF_ERROR(AuthorizeSource(ctx, ops::GetContextKeysForPrincipalPolicy::kName, in.policy_source_arn));
  Principal principal;
  CK_ASSIGN_OR_RETURN(ciam::SimulationInput input, PrincipalPolicies(in.policy_source_arn, &principal));
  CK_RETURN_IF_ERROR(AddInputs(in.policy_input_list, "PolicyInputList", &input.identity));
  return ContextKeysOf(input);
}

Result<api::iam::GetContextKeysForPolicyResponse> IamService::GetContextKeysForCustomPolicy(
    const api::iam::GetContextKeysForCustomPolicyRequest& in, RequestContext& ctx) {
  CK_RETURN_IF_ERROR(Authorize(ctx, ops::GetContextKeysForCustomPolicy::kName, "*"));
  ciam::SimulationInput input;
  CK_RETURN_IF_ERROR(AddInputs(in.policy_input_list, "PolicyInputList", &input.identity));
  return ContextKeysOf(input);
}

}  // namespace ck::services::iam
