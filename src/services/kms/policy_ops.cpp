// Key policies: GetKeyPolicy, PutKeyPolicy, ListKeyPolicies.
#include "services/kms/errors.h"
#include "services/kms/kms_ops.h"

namespace ck::services::kms {

namespace ak = api::kms;
namespace spec = core::kms::spec;
using core::kms::KeyRecord;

namespace {

constexpr char kPolicyName[] = "default";

// INFERRED: KMS keys have exactly one policy, "default".
Status CheckPolicyName(const std::optional<std::string>& name) {
  if (name && *name != kPolicyName) return errors::NotFound("No such policy exists");
  return Status::Ok();
}

}  // namespace

Result<ak::GetKeyPolicyResponse> PolicyOps::GetKeyPolicy(const ak::GetKeyPolicyRequest& in, KmsCall& c) {
  return access_.WithKey(c, spec::kGetKeyPolicy, in.key_id, {}, [&](const KeyRecord& k) -> Result<ak::GetKeyPolicyResponse> {
    CK_RETURN_IF_ERROR(CheckPolicyName(in.policy_name));
    ak::GetKeyPolicyResponse out;
    out.policy = k.policy;
    out.policy_name = kPolicyName;
    return out;
  });
}

Result<api::Empty> PolicyOps::PutKeyPolicy(const ak::PutKeyPolicyRequest& in, KmsCall& c) {
  return access_.WithKey(c, spec::kPutKeyPolicy, in.key_id, {}, [&](const KeyRecord& key) -> Result<api::Empty> {
    CK_RETURN_IF_ERROR(CheckPolicyName(in.policy_name));
    CK_RETURN_IF_ERROR(access_.CheckNewPolicy(c, in.policy, key.arn, key.account,
                                              in.bypass_policy_lockout_safety_check.value_or(false))
                           .status());
    CK_RETURN_IF_ERROR(access_.Update(c, spec::kPutKeyPolicy, key, [&](KeyRecord& k) {
                         k.policy = in.policy;
                         return Status::Ok();
                       }).status());
    return api::Empty{};
  });
}

Result<ak::ListKeyPoliciesResponse> PolicyOps::ListKeyPolicies(const ak::ListKeyPoliciesRequest& in, KmsCall& c) {
  return access_.WithKey(c, spec::kListKeyPolicies, in.key_id, {}, [&](const KeyRecord&) -> Result<ak::ListKeyPoliciesResponse> {
    ak::ListKeyPoliciesResponse out;
    out.policy_names = std::vector<std::string>{kPolicyName};
    out.truncated = false;
    return out;
  });
}

}  // namespace ck::services::kms
