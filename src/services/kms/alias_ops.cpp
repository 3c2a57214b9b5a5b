// Aliases: CreateAlias, UpdateAlias, DeleteAlias, ListAliases. An alias
// operation is authorized on the alias (IAM only) and on its target key.
#include "services/kms/errors.h"
#include "services/kms/kms_ops.h"
#include "services/kms/kms_shapes.h"

namespace ck::services::kms {

namespace ak = api::kms;
namespace spec = core::kms::spec;
using core::kms::KeyRecord;

namespace {

std::string AliasArn(const KmsCaller& c, const std::string& name) {
  return "arn:aws:kms:" + c.region + ":" + c.principal.account + ":" + name;
}

// INFERRED wording: AWS requires the same key type and usage for the new target.
Status CheckSameKind(const KeyRecord& old_target, const KeyRecord& target) {
  if (old_target.spec != target.spec && (old_target.symmetric() || target.symmetric()))
    return errors::Validation("The new target key must have the same key type as the current one.");
  if (old_target.usage != target.usage)
    return errors::Validation("The new target key must have the same key usage as the current one.");
  return Status::Ok();
}

}  // namespace

Result<core::kms::AliasRecord> AliasOps::Existing(KmsCall& c, const std::string& name) {
  CK_RETURN_IF_ERROR(core::kms::CheckAliasName(name, false));
  auto existing = access_.keys().GetAlias(c.caller.principal.account, c.caller.region, name);
  if (!existing) return errors::NotFound("Alias " + AliasArn(c.caller, name) + " is not found.");
  return std::move(*existing);
}

Result<api::Empty> AliasOps::CreateAlias(const ak::CreateAliasRequest& in, KmsCall& c) {
  CK_RETURN_IF_ERROR(core::kms::CheckAliasName(in.alias_name, false));
  CK_RETURN_IF_ERROR(access_.AuthorizeIdentity(c, spec::kCreateAlias, AliasArn(c.caller, in.alias_name)));
  return access_.WithKey(c, spec::kCreateAlias, in.target_key_id, {}, [&](const KeyRecord& k) -> Result<api::Empty> {
    core::kms::AliasRecord a{c.caller.principal.account, c.caller.region, in.alias_name, k.id, c.now, c.now};
    CK_RETURN_IF_ERROR(access_.keys().PutAlias(a, true));
    return api::Empty{};
  });
}

Result<api::Empty> AliasOps::UpdateAlias(const ak::UpdateAliasRequest& in, KmsCall& c) {
  CK_ASSIGN_OR_RETURN(auto alias, Existing(c, in.alias_name));
  CK_RETURN_IF_ERROR(access_.AuthorizeIdentity(c, spec::kUpdateAlias, alias.arn()));
  return access_.WithKey(c, spec::kUpdateAlias, in.target_key_id, {}, [&](const KeyRecord& k) -> Result<api::Empty> {
    // The previous target must allow the change too (its state does not matter).
    if (auto old = access_.keys().FindKey(alias.account, alias.region, alias.target_key_id)) {
      c.extra_key = old;
      CK_RETURN_IF_ERROR(access_.Authorize(c, spec::kUpdateAlias, *old, nullptr, ""));
      CK_RETURN_IF_ERROR(CheckSameKind(*old, k));
    }
    alias.target_key_id = k.id;
    alias.updated = c.now;
    CK_RETURN_IF_ERROR(access_.keys().PutAlias(alias, false));
    return api::Empty{};
  });
}

Result<api::Empty> AliasOps::DeleteAlias(const ak::DeleteAliasRequest& in, KmsCall& c) {
  CK_ASSIGN_OR_RETURN(auto alias, Existing(c, in.alias_name));
  CK_RETURN_IF_ERROR(access_.AuthorizeIdentity(c, spec::kDeleteAlias, alias.arn()));
  if (auto key = access_.keys().FindKey(alias.account, alias.region, alias.target_key_id)) {
    c.key = key;
    CK_RETURN_IF_ERROR(access_.Authorize(c, spec::kDeleteAlias, *key, nullptr, ""));
  }
  CK_RETURN_IF_ERROR(access_.keys().DeleteAlias(alias.account, alias.region, alias.name));
  return api::Empty{};
}

Result<ak::ListAliasesResponse> AliasOps::ListAliases(const ak::ListAliasesRequest& in, KmsCall& c) {
  CK_RETURN_IF_ERROR(access_.AuthorizeIdentity(c, spec::kListAliases, "*"));
  std::string target;
  if (in.key_id) {
    CK_ASSIGN_OR_RETURN(auto res, access_.Resolve(c, spec::kListAliases, *in.key_id));
    target = res.key->id;
  }
  std::vector<ak::AliasListEntry> aliases;
  for (const auto& a : access_.keys().ListAliases(c.caller.principal.account, c.caller.region))
    if (target.empty() || a.target_key_id == target) aliases.push_back(AliasEntryOf(a));
  CK_ASSIGN_OR_RETURN(auto page, PageOf(std::move(aliases), in.marker, in.limit, 50));
  ak::ListAliasesResponse out;
  FillPage(out, &ak::ListAliasesResponse::aliases, std::move(page));
  return out;
}

}  // namespace ck::services::kms
