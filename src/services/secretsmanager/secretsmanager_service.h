// Secrets Manager (JSON 1.1, secretsmanager.*): secrets, versions and stages,
// resource policies, and the KMS behaviour of AWS-SEMANTICS §4.
//
// Every version's value is envelope-encrypted: a data key from KMS
// GenerateDataKey, called in-process as the REQUESTER (kms:ViaService
// secretsmanager.REGION.amazonaws.com, invokedBy secretsmanager.amazonaws.com)
// with encryption context {SecretARN, SecretVersionId}; reads Decrypt the
// data key the same way. The secret stores its KmsKeyId as given (never
// resolved), so a bare key id resolves in the caller's account at every use,
// and the default key is the caller's alias/aws/secretsmanager (created on
// first use by KMS). Another account's reads and writes of a value are
// refused before any KMS call when the secret cannot serve it:
//   secret on the default key, read or write → InvalidRequestException "You
//     can't access a secret from a different AWS account if you encrypt the
//     secret with the default KMS service key." (AWS recording)
//   secret's key named without its account (alias name, bare key id):
//     read → AccessDeniedException "Access to KMS is not allowed"; write
//     (PutSecretValue, UpdateSecret without KmsKeyId, or with a KmsKeyId that
//     is not an ARN) → "You must specify a KMS key ARN to update the secret
//     from a different AWS account." (code INFERRED: InvalidRequestException)
//   key ARN → KMS decides (key policy and the caller's IAM); its denial reads
//     "Access to KMS is not allowed".
//
// Each operation is a typed function over the generated shapes
// (api/secretsmanager.h), registered in the service's OperationTable; model
// operations not in the table answer NotImplementedException. The value
// operations live in secretsmanager_service.cpp, the rest in secret_ops.cpp.
//
// Thread safety: safe for concurrent use; record updates are optimistic
// (store preconditions, retried).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "api/secretsmanager.h"
#include "base/clock.h"
#include "services/common/operation_table.h"
#include "services/common/record_table.h"
#include "services/kms/kms_client.h"
#include "services/secretsmanager/secret_record.h"
#include "services/service.h"
#include "storage/metadata_store.h"

namespace ck::services {
class PolicyAuthorizer;
}  // namespace ck::services

namespace ck::services::sm {

namespace smapi = ::ck::api::secretsmanager;

class SecretsManagerService final : public Service {
 public:
  SecretsManagerService(storage::MetadataStore& store, PolicyAuthorizer& authorizer, KmsClient& kms,
                        const Clock& clock)
      : secrets_(store, kSecrets), authz_(authorizer), kms_(kms), clock_(clock) {}

  std::string_view name() const override { return "secretsmanager"; }
  Result<Document> Invoke(std::string_view operation, const Document& input, RequestContext& ctx) override;
  Status CheckModel() const override;

  // secretsmanager_service.cpp: the value operations.
  Result<smapi::CreateSecretResponse> CreateSecret(const smapi::CreateSecretRequest& in, RequestContext& ctx);
  Result<smapi::PutSecretValueResponse> PutSecretValue(const smapi::PutSecretValueRequest& in, RequestContext& ctx);
  Result<smapi::UpdateSecretResponse> UpdateSecret(const smapi::UpdateSecretRequest& in, RequestContext& ctx);
  Result<smapi::GetSecretValueResponse> GetSecretValue(const smapi::GetSecretValueRequest& in, RequestContext& ctx);
  Result<smapi::DescribeSecretResponse> DescribeSecret(const smapi::DescribeSecretRequest& in, RequestContext& ctx);
  Result<smapi::DeleteSecretResponse> DeleteSecret(const smapi::DeleteSecretRequest& in, RequestContext& ctx);
  Result<smapi::RestoreSecretResponse> RestoreSecret(const smapi::RestoreSecretRequest& in, RequestContext& ctx);
  // Only what needs no Lambda: crosskey has no functions to invoke.
  Result<smapi::RotateSecretResponse> RotateSecret(const smapi::RotateSecretRequest& in, RequestContext& ctx);

  // secret_ops.cpp: listing, stages, tags, policies, passwords, batch.
  Result<smapi::ListSecretsResponse> ListSecrets(const smapi::ListSecretsRequest& in, RequestContext& ctx);
  Result<smapi::ListSecretVersionIdsResponse> ListSecretVersionIds(const smapi::ListSecretVersionIdsRequest& in,
                                                                   RequestContext& ctx);
  Result<smapi::UpdateSecretVersionStageResponse> UpdateSecretVersionStage(
      const smapi::UpdateSecretVersionStageRequest& in, RequestContext& ctx);
  Result<api::Empty> TagResource(const smapi::TagResourceRequest& in, RequestContext& ctx);
  Result<api::Empty> UntagResource(const smapi::UntagResourceRequest& in, RequestContext& ctx);
  Result<smapi::PutResourcePolicyResponse> PutResourcePolicy(const smapi::PutResourcePolicyRequest& in,
                                                             RequestContext& ctx);
  Result<smapi::GetResourcePolicyResponse> GetResourcePolicy(const smapi::GetResourcePolicyRequest& in,
                                                             RequestContext& ctx);
  Result<smapi::DeleteResourcePolicyResponse> DeleteResourcePolicy(const smapi::DeleteResourcePolicyRequest& in,
                                                                   RequestContext& ctx);
  Result<smapi::ValidateResourcePolicyResponse> ValidateResourcePolicy(
      const smapi::ValidateResourcePolicyRequest& in, RequestContext& ctx);
  Result<smapi::GetRandomPasswordResponse> GetRandomPassword(const smapi::GetRandomPasswordRequest& in,
                                                             RequestContext& ctx);
  Result<smapi::BatchGetSecretValueResponse> BatchGetSecretValue(const smapi::BatchGetSecretValueRequest& in,
                                                                 RequestContext& ctx);

 private:
  static const OperationTable<SecretsManagerService>& Operations();

  // A SecretId resolved to where its record would live.
  struct Located {
    std::string account, region, name;
    std::string arn_given;  // full ARN in the request, to match the suffix
    std::optional<Secret> secret;
    std::string raw;  // stored bytes (precondition for updates)
  };
  Result<Located> Locate(const std::string& secret_id, RequestContext& ctx);
  // Locate + authorize `action` (with the secret's resource policy) + existence
  // (and, unless allow_deleted, "marked for deletion") checks.
  Result<Located> LoadAuthorized(const std::string& secret_id, RequestContext& ctx, std::string_view action,
                                 bool allow_deleted = false);
  // Authorizes "secretsmanager:" + action on `resource` owned by `account`.
  Status Authorize(RequestContext& ctx, std::string_view action, const std::string& account,
                   const std::string& resource, const std::string& policy);
  // Writes `s` if the record still holds `raw` ("" = absent).
  Status Save(const Located& loc, const Secret& s);
  // Runs fn on a fresh copy of the secret and saves it, retrying on races;
  // returns the secret as saved.
  Result<Secret> Mutate(const std::string& secret_id, RequestContext& ctx, std::string_view action,
                        const std::function<Status(Secret&)>& fn, bool allow_deleted = false);

  KmsCaller CallerFor(const RequestContext& ctx) const;
  // Seals a value under `key_ref` as the caller.
  Result<SecretVersion> SealVersion(const Secret& s, const std::string& key_ref, const std::string& version_id,
                                    const std::string& value, bool binary, RequestContext& ctx);
  Result<std::string> OpenVersion(const Secret& s, const SecretVersion& v, RequestContext& ctx);
  // Re-encrypts the labeled versions under `new_key` (as the caller).
  Status Rekey(Secret& s, const std::string& new_key, RequestContext& ctx);
  // Another account's read / write of a value: refused up front when the
  // secret is on the default key or names its key without an account.
  Status CheckCrossAccountRead(const Secret& s, RequestContext& ctx);
  Status CheckCrossAccountWrite(const Secret& s, RequestContext& ctx);
  // GenerateDataKey + Decrypt with SecretVersionId "RequestToValidateKeyAccess".
  Status ValidateKeyAccess(const std::string& arn, const std::string& key_ref, RequestContext& ctx);
  // Replaces the tags named in `drop` and adds `add`, at most 50 in all.
  Status Retag(RequestContext& ctx, const std::string& secret_id, std::string_view action,
               const std::vector<std::string>& drop, const std::vector<smapi::Tag>& add);
  // Now, in whole seconds.
  TimePoint Now() const;

  RecordTable<Secret> secrets_;
  PolicyAuthorizer& authz_;
  KmsClient& kms_;
  const Clock& clock_;
};

// The fields DescribeSecret and ListSecrets share.
template <typename Out>
void DescribeInto(const Secret& s, Out* out) {
  out->arn = s.arn;
  out->name = s.name;
  out->created_date = s.created;
  out->last_changed_date = s.last_changed;
  if (!s.description.empty()) out->description = s.description;
  // Omitted for the AWS managed key (AWS-SEMANTICS §4).
  if (!s.kms_key_id.empty()) out->kms_key_id = s.kms_key_id;
  if (s.last_accessed != TimePoint{}) out->last_accessed_date = s.last_accessed;
  if (s.scheduled_for_deletion()) out->deleted_date = s.deleted;
  // Once tagged, an empty list stays visible (AWS recording, test_secret_tags).
  if (!s.tags.empty() || s.tagged.value_or(false)) {
    out->tags.emplace();
    for (const auto& t : s.tags) out->tags->push_back({t.key, t.value});
  }
}

}  // namespace ck::services::sm
