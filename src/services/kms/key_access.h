// KeyAccess: the preamble every operation on a key runs, in the order AWS
// checks it (AWS-SEMANTICS §1.2-§1.4, §1.8, §1.9):
//
//   resolve the reference as the operation's spec allows (core/kms/resolver.h)
//   → authorize spec.action: the key policy as the required resource policy,
//     the caller's IAM policies, then grants (core/kms/grants.h)
//   → DryRun → key state → key usage → algorithm (core/kms/key_rules.h)
//
// WithKey runs all of it and then the operation's body; operations never
// write the steps out. Admit is the same without resolution, for a key found
// another way (the key a ciphertext blob names).
//
// Thread safety: safe for concurrent use (KeyStore and the authorizer are).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>

#include "core/iam/context_keys.h"
#include "core/kms/ciphertext.h"
#include "core/kms/operations.h"
#include "services/authorizer.h"
#include "services/kms/key_store.h"
#include "services/kms/kms_call.h"

namespace ck::services::kms {

// What a request brings to the checks of its key besides the reference.
struct KeyUse {
  // The request's encryption context: kms:EncryptionContext* condition keys
  // and grant constraints. Null: the request has none.
  const core::kms::EncryptionContext* context = nullptr;
  bool dry_run = false;        // answered after authorization when the spec takes DryRun
  std::string_view algorithm{};  // the algorithm the request names, checked as spec.algorithm says
  core::iam::ContextKeys extra{};  // further condition keys (CreateGrant's kms:Grant*)
};

// The facts every authorization of a KMS call carries (forward access
// sessions have no source IP of their own and name the calling service).
CallFacts FactsOf(const KmsCaller& caller);

// DryRunOperationException.
Status DryRunError();

class KeyAccess {
 public:
  KeyAccess(KeyStore& keys, PolicyAuthorizer& authorizer) : keys_(keys), authorizer_(authorizer) {}

  KeyStore& keys() { return keys_; }

  // Resolves `ref`, admits the key for `spec` and runs body(const KeyRecord&).
  template <typename F>
  auto WithKey(KmsCall& c, const core::kms::OperationSpec& spec, std::string_view ref, KeyUse use, F&& body)
      -> std::invoke_result_t<F, const core::kms::KeyRecord&> {
    auto res = Resolve(c, spec, ref);
    if (!res.ok()) return res.status();
    if (Status s = Admit(c, spec, *res->key, std::move(use), res->alias_name); !s.ok()) return s;
    return body(*res->key);
  }

  // The key `ref` names for a call of `spec`; the call records it (KmsCall::Use).
  Result<core::kms::Resolution> Resolve(KmsCall& c, const core::kms::OperationSpec& spec, std::string_view ref);
  // Authorize → DryRun → state → usage → algorithm. `request_alias` is the
  // alias the request named the key by (kms:RequestAlias), if any.
  Status Admit(KmsCall& c, const core::kms::OperationSpec& spec, const core::kms::KeyRecord& key, KeyUse use,
               const std::string& request_alias = "");
  // spec.action on the key: key policy and IAM, then grants (an explicit deny wins).
  Status Authorize(KmsCall& c, const core::kms::OperationSpec& spec, const core::kms::KeyRecord& key,
                   const core::kms::EncryptionContext* context, const std::string& request_alias,
                   core::iam::ContextKeys extra = {});
  // spec.action on a resource that is not a key ("*", an alias ARN): IAM only.
  Status AuthorizeIdentity(KmsCall& c, const core::kms::OperationSpec& spec, std::string resource);

  // Read-modify-write of `key` for an operation of `spec`: `fn` edits the
  // current record once spec's state rule holds for it (checked again under
  // the store's write lock). The call's key becomes the updated record.
  Result<KeyPtr> Update(KmsCall& c, const core::kms::OperationSpec& spec, const core::kms::KeyRecord& key,
                        const std::function<Status(core::kms::KeyRecord&)>& fn);

  // A key policy document, parsed (MalformedPolicyDocumentException when it
  // is not one) and, unless `bypass_lockout`, checked to still let the
  // caller change the policy later (the lock-out safety check).
  Result<std::shared_ptr<const core::iam::Policy>> CheckNewPolicy(KmsCall& c, const std::string& document,
                                                                  const std::string& key_arn,
                                                                  const std::string& key_account, bool bypass_lockout);

 private:
  KeyStore& keys_;
  PolicyAuthorizer& authorizer_;
};

}  // namespace ck::services::kms
