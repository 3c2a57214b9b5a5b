// Grants: CreateGrant, ListGrants, ListRetirableGrants, RetireGrant, RevokeGrant.
#include <algorithm>

#include "core/arn.h"
#include "core/ids.h"
#include "core/kms/grants.h"
#include "crypto/hash.h"
#include "services/kms/errors.h"
#include "services/kms/kms_ops.h"
#include "services/kms/kms_shapes.h"

namespace ck::services::kms {

namespace ak = api::kms;
namespace spec = core::kms::spec;
using core::kms::Grant;
using core::kms::KeyRecord;

namespace {

Grant GrantOf(const ak::CreateGrantRequest& in) {
  Grant g;
  g.grantee = in.grantee_principal;
  g.retiring = in.retiring_principal.value_or("");
  g.name = in.name.value_or("");
  for (const auto& op : in.operations) g.operations.emplace_back(op.str());
  if (in.constraints) {
    g.constraints.context_equals = in.constraints->encryption_context_equals;
    g.constraints.context_subset = in.constraints->encryption_context_subset;
  }
  return g;
}

// The kms:Grant* condition keys of a CreateGrant request.
core::iam::ContextKeys GrantConditionKeys(const Grant& g, const KmsCaller& caller) {
  core::iam::ContextKeys keys;
  keys["kms:GrantOperations"] = g.operations;
  keys["kms:GranteePrincipal"] = {g.grantee};
  if (!g.retiring.empty()) keys["kms:RetiringPrincipal"] = {g.retiring};
  keys["kms:GrantIsForAWSResource"] = {caller.via_service.empty() ? "false" : "true"};
  if (g.constraints.context_equals) keys["kms:GrantConstraintType"].push_back("EncryptionContextEquals");
  if (g.constraints.context_subset) keys["kms:GrantConstraintType"].push_back("EncryptionContextSubset");
  return keys;
}

Status CheckGrantee(const std::string& grantee) {
  if (!core::Arn::IsArn(grantee) && grantee.find(".amazonaws.com") == std::string::npos)
    return errors::Validation("Invalid GranteePrincipal " + grantee);
  return Status::Ok();
}

// The key and grant a RetireGrant names: by its token, or by key and grant id.
Result<core::kms::GrantRef> RetireTarget(const ak::RetireGrantRequest& in) {
  if (in.grant_token) {
    auto ref = core::kms::ParseGrantToken(*in.grant_token);
    if (!ref) return errors::InvalidGrantToken("The grant token is not valid.");
    return std::move(*ref);
  }
  if (!in.key_id || !in.grant_id)
    return errors::Validation("Either GrantToken or both KeyId and GrantId must be specified.");
  return core::kms::GrantRef{*in.key_id, *in.grant_id};
}

Status GrantNotFound(const std::string& grant_id) {
  return errors::NotFound("Grant ID " + grant_id + " not found");  // INFERRED text
}

}  // namespace

Result<ak::CreateGrantResponse> GrantOps::CreateGrant(const ak::CreateGrantRequest& in, KmsCall& c) {
  Grant g = GrantOf(in);
  KeyUse use{.dry_run = in.dry_run.value_or(false), .extra = GrantConditionKeys(g, c.caller)};
  return access_.WithKey(c, spec::kCreateGrant, in.key_id, std::move(use),
                         [&](const KeyRecord& key) -> Result<ak::CreateGrantResponse> {
                           CK_RETURN_IF_ERROR(CheckGrantee(g.grantee));
                           g.issuing_account = "arn:aws:iam::" + c.caller.principal.account + ":root";
                           g.created = c.now;
                           ak::CreateGrantResponse out;
                           CK_RETURN_IF_ERROR(access_.Update(c, spec::kCreateGrant, key, [&](KeyRecord& k) {
                             // Retrying with the same Name and parameters returns the same grant.
                             if (const Grant* same = core::kms::SameGrant(k, g)) {
                               out.grant_id = same->grant_id;
                               out.grant_token = same->token;
                               return Status::Ok();
                             }
                             g.grant_id = ids::Hex(32);
                             g.token = core::kms::GrantToken(k.arn, g.grant_id, crypto::RandomBytes(16));
                             out.grant_id = g.grant_id;
                             out.grant_token = g.token;
                             k.grants.push_back(g);
                             return Status::Ok();
                           }).status());
                           c.response = {{"grantId", *out.grant_id}};
                           return out;
                         });
}

Result<ak::ListGrantsResponse> GrantOps::ListGrants(const ak::ListGrantsRequest& in, KmsCall& c) {
  return access_.WithKey(c, spec::kListGrants, in.key_id, {}, [&](const KeyRecord& k) -> Result<ak::ListGrantsResponse> {
    std::vector<ak::GrantListEntry> grants;
    for (const auto& g : k.grants) {
      if (in.grant_id && g.grant_id != *in.grant_id) continue;
      if (in.grantee_principal && g.grantee != *in.grantee_principal) continue;
      grants.push_back(GrantEntryOf(k, g));
    }
    CK_ASSIGN_OR_RETURN(auto page, PageOf(std::move(grants), in.marker, in.limit, 50));
    ak::ListGrantsResponse out;
    FillPage(out, &ak::ListGrantsResponse::grants, std::move(page));
    return out;
  });
}

Result<ak::ListGrantsResponse> GrantOps::ListRetirableGrants(const ak::ListRetirableGrantsRequest& in, KmsCall& c) {
  CK_RETURN_IF_ERROR(access_.AuthorizeIdentity(c, spec::kListRetirableGrants, "*"));
  auto keys = access_.keys().AllKeys(c.caller.region);
  std::sort(keys.begin(), keys.end(), [](const KeyPtr& a, const KeyPtr& b) { return a->arn < b->arn; });
  std::vector<ak::GrantListEntry> grants;
  for (const auto& k : keys)
    for (const auto& g : k->grants)
      if (g.retiring == in.retiring_principal) grants.push_back(GrantEntryOf(*k, g));
  CK_ASSIGN_OR_RETURN(auto page, PageOf(std::move(grants), in.marker, in.limit, 50));
  ak::ListGrantsResponse out;
  FillPage(out, &ak::ListGrantsResponse::grants, std::move(page));
  return out;
}

// Authorized by the grant itself (its retiring principal, or a grantee the
// grant allows RetireGrant), not by the key policy.
Result<api::Empty> GrantOps::RetireGrant(const ak::RetireGrantRequest& in, KmsCall& c) {
  CK_ASSIGN_OR_RETURN(auto target, RetireTarget(in));
  CK_ASSIGN_OR_RETURN(auto res, access_.Resolve(c, spec::kRetireGrant, target.key_arn));
  const Grant* grant = core::kms::FindGrant(*res.key, target.grant_id);
  if (!grant) return GrantNotFound(target.grant_id);
  const Principal& p = c.caller.principal;
  if (!core::kms::MayRetire(*grant, p))
    return errors::AccessDenied("User: " + p.arn + " is not authorized to perform: kms:RetireGrant on resource: " +
                                res.key->arn);
  if (in.dry_run.value_or(false)) return DryRunError();
  CK_RETURN_IF_ERROR(access_.Update(c, spec::kRetireGrant, *res.key, [&](KeyRecord& k) {
                       std::erase_if(k.grants, [&](const Grant& g) { return g.grant_id == target.grant_id; });
                       return Status::Ok();
                     }).status());
  return api::Empty{};
}

Result<api::Empty> GrantOps::RevokeGrant(const ak::RevokeGrantRequest& in, KmsCall& c) {
  KeyUse use{.dry_run = in.dry_run.value_or(false)};
  return access_.WithKey(c, spec::kRevokeGrant, in.key_id, std::move(use), [&](const KeyRecord& key) -> Result<api::Empty> {
    CK_RETURN_IF_ERROR(access_.Update(c, spec::kRevokeGrant, key, [&](KeyRecord& k) {
                         bool removed = std::erase_if(k.grants, [&](const Grant& g) { return g.grant_id == in.grant_id; }) > 0;
                         return removed ? Status::Ok() : GrantNotFound(in.grant_id);
                       }).status());
    return api::Empty{};
  });
}

}  // namespace ck::services::kms
