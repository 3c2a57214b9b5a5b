#include "services/kms/key_access.h"

#include "core/kms/grants.h"
#include "services/kms/errors.h"
#include "services/kms/kms_condition_keys.h"

namespace ck::services::kms {

CallFacts FactsOf(const KmsCaller& caller) {
  CallFacts f;
  f.principal = &caller.principal;
  f.region = caller.region;
  if (caller.via_service.empty()) f.source_ip = caller.source_ip;
  f.secure_transport = caller.secure_transport;
  if (!caller.invoked_by.empty()) f.called_via = std::span(&caller.invoked_by, 1);
  return f;
}

Status DryRunError() {
  return errors::DryRunOperation("The request would have succeeded, but the DryRun option is set.");
}

Result<core::kms::Resolution> KeyAccess::Resolve(KmsCall& c, const core::kms::OperationSpec& spec,
                                                 std::string_view ref) {
  core::kms::ResolveOptions o;
  o.forms = spec.forms;
  o.cross_account = spec.cross_account;
  o.action = spec.action;
  o.caller_arn = c.caller.principal.arn;
  auto r = core::kms::Resolve(keys_, c.caller.principal.account, c.caller.region, ref, o);
  if (r.ok()) c.Use(r->key);
  return r;
}

Status KeyAccess::Admit(KmsCall& c, const core::kms::OperationSpec& spec, const core::kms::KeyRecord& key, KeyUse use,
                        const std::string& request_alias) {
  CK_RETURN_IF_ERROR(Authorize(c, spec, key, use.context, request_alias, std::move(use.extra)));
  if (spec.dry_run && use.dry_run) return DryRunError();
  return core::kms::CheckKeyUse(key, spec, use.algorithm);
}

Status KeyAccess::Authorize(KmsCall& c, const core::kms::OperationSpec& spec, const core::kms::KeyRecord& key,
                            const core::kms::EncryptionContext* context, const std::string& request_alias,
                            core::iam::ContextKeys extra) {
  AuthzRequest r = AuthzRequest::For(FactsOf(c.caller), std::string(spec.action), key.arn);
  r.resource_account = key.account;
  r.resource_policy = key.parsed_policy.get();
  r.resource_policy_required = true;
  r.keys = std::move(extra);
  KmsConditionKeys kms_keys(c.caller, &key, context, &request_alias);
  r.service_keys = &kms_keys;
  CK_ASSIGN_OR_RETURN(auto decision, authorizer_.Authorize(r));
  if (decision.allowed()) return Status::Ok();
  if (decision.decision == core::iam::Decision::kImplicitDeny &&
      core::kms::GrantAllows(key, c.caller.principal, spec.grant_operation(), context))
    return Status::Ok();
  return errors::AccessDenied(decision.Message(/*redact_resource=*/key.account != c.caller.principal.account));
}

Status KeyAccess::AuthorizeIdentity(KmsCall& c, const core::kms::OperationSpec& spec, std::string resource) {
  AuthzRequest r = AuthzRequest::For(FactsOf(c.caller), std::string(spec.action), std::move(resource));
  KmsConditionKeys kms_keys(c.caller, nullptr, nullptr, nullptr);
  r.service_keys = &kms_keys;
  CK_ASSIGN_OR_RETURN(auto decision, authorizer_.Authorize(r));
  if (decision.allowed()) return Status::Ok();
  return errors::AccessDenied(decision.Message());
}

Result<KeyPtr> KeyAccess::Update(KmsCall& c, const core::kms::OperationSpec& spec, const core::kms::KeyRecord& key,
                                 const std::function<Status(core::kms::KeyRecord&)>& fn) {
  CK_ASSIGN_OR_RETURN(auto updated, keys_.Update(key.account, key.region, key.id, [&](core::kms::KeyRecord& k) {
                        CK_RETURN_IF_ERROR(core::kms::CheckState(k, spec.state));
                        return fn(k);
                      }));
  c.key = updated;
  return updated;
}

Result<std::shared_ptr<const core::iam::Policy>> KeyAccess::CheckNewPolicy(KmsCall& c, const std::string& document,
                                                                           const std::string& key_arn,
                                                                           const std::string& key_account,
                                                                           bool bypass_lockout) {
  auto parsed = authorizer_.Parse(document, core::iam::PolicyKind::kKeyPolicy);
  if (!parsed.ok()) return errors::MalformedPolicyDocument(parsed.status().message());
  if (bypass_lockout) return parsed;
  // The caller must still be allowed kms:PutKeyPolicy under the new policy,
  // judged on who the caller is (no network or transport conditions).
  CallFacts facts;
  facts.principal = &c.caller.principal;
  facts.region = c.caller.region;
  AuthzRequest r = AuthzRequest::For(facts, "kms:PutKeyPolicy", key_arn);
  r.resource_account = key_account;
  r.resource_policy = parsed->get();
  r.resource_policy_required = true;
  r.keys["kms:CallerAccount"] = {c.caller.principal.account};
  CK_ASSIGN_OR_RETURN(auto decision, authorizer_.Authorize(r));
  if (decision.allowed()) return parsed;
  return errors::MalformedPolicyDocument(
      "The new key policy will not allow you to update the key policy in the future.");
}

}  // namespace ck::services::kms
