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
// first use by KMS). Cross-account refusals:
//   read, KMS denies  → AccessDeniedException "Access to KMS is not allowed"
//   write, secret on the default key (or a non-ARN key given by the other
//   account) → "You must specify a KMS key ARN to update the secret from a
//   different AWS account." (code INFERRED: InvalidRequestException)
//
// Thread safety: safe for concurrent use; record updates are optimistic
// (store preconditions, retried).
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "base/clock.h"
#include "services/authorizer.h"
#include "services/kms/kms_client.h"
#include "services/secretsmanager/secret_record.h"
#include "services/service.h"
#include "storage/metadata_store.h"

namespace ck::services {

class SecretsManagerService final : public Service {
 public:
  SecretsManagerService(storage::MetadataStore& store, PolicyAuthorizer& authorizer, KmsClient& kms,
                        const Clock& clock)
      : store_(store), authz_(authorizer), kms_(kms), clock_(clock) {}

  std::string_view name() const override { return "secretsmanager"; }
  Result<nlohmann::json> Invoke(std::string_view operation, const nlohmann::json& input,
                                RequestContext& ctx) override;

 private:
  using Json = nlohmann::json;

  // A SecretId resolved to where its record would live.
  struct Located {
    std::string account, region, name;
    std::string arn_given;  // full ARN in the request, to match the suffix
    std::optional<sm::Secret> secret;
    std::string raw;  // stored bytes (precondition for updates)
  };

  // secretsmanager_service.cpp: plumbing and the value operations.
  Result<Json> CreateSecret(const Json& in, RequestContext& ctx);
  Result<Json> PutSecretValue(const Json& in, RequestContext& ctx);
  Result<Json> UpdateSecret(const Json& in, RequestContext& ctx);
  Result<Json> GetSecretValue(const Json& in, RequestContext& ctx);
  Result<Json> DescribeSecret(const Json& in, RequestContext& ctx);
  Result<Json> DeleteSecret(const Json& in, RequestContext& ctx);
  Result<Json> RestoreSecret(const Json& in, RequestContext& ctx);

  // secret_ops.cpp: listing, stages, tags, policies, passwords, batch.
  Result<Json> ListSecrets(const Json& in, RequestContext& ctx);
  Result<Json> ListSecretVersionIds(const Json& in, RequestContext& ctx);
  Result<Json> UpdateSecretVersionStage(const Json& in, RequestContext& ctx);
  Result<Json> TagResource(const Json& in, RequestContext& ctx, bool tag);
  Result<Json> PutResourcePolicy(const Json& in, RequestContext& ctx);
  Result<Json> GetResourcePolicy(const Json& in, RequestContext& ctx);
  Result<Json> DeleteResourcePolicy(const Json& in, RequestContext& ctx);
  Result<Json> ValidateResourcePolicy(const Json& in, RequestContext& ctx);
  Result<Json> GetRandomPassword(const Json& in, RequestContext& ctx);
  Result<Json> BatchGetSecretValue(const Json& in, RequestContext& ctx);

 public:  // shared by the op files
  Result<Located> Locate(const std::string& secret_id, RequestContext& ctx);
  // Locate + authorize `action` (with the secret's resource policy) + existence
  // (and, unless allow_deleted, "marked for deletion") checks.
  Result<Located> LoadAuthorized(const std::string& secret_id, RequestContext& ctx, const std::string& action,
                                 bool allow_deleted = false);
  Status Authorize(RequestContext& ctx, const std::string& action, const std::string& account,
                   const std::string& resource, const std::string& policy);
  // Writes `s` if the record still holds `raw` ("" = absent).
  Status Save(const Located& loc, const sm::Secret& s);
  // Runs fn on a fresh copy of the secret and saves, retrying on races.
  Result<Json> Mutate(const std::string& secret_id, RequestContext& ctx, const std::string& action,
                      const std::function<Result<Json>(sm::Secret&)>& fn, bool allow_deleted = false);

  KmsCaller CallerFor(const RequestContext& ctx) const;
  // Seals a value under `key_ref` as the caller.
  Result<sm::SecretVersion> SealVersion(const sm::Secret& s, const std::string& key_ref, const std::string& version_id,
                                        const std::string& value, bool binary, RequestContext& ctx);
  Result<std::string> OpenVersion(const sm::Secret& s, const sm::SecretVersion& v, RequestContext& ctx);
  // Refuses cross-account writes that cannot name the key by ARN.
  Status CheckCrossAccountKey(const sm::Secret& s, const std::string& key_ref, RequestContext& ctx);
  // GenerateDataKey + Decrypt with SecretVersionId "RequestToValidateKeyAccess".
  Status ValidateKeyAccess(const std::string& arn, const std::string& key_ref, RequestContext& ctx);
  Json GetValueOutput(const sm::Secret& s, const sm::SecretVersion& v, const std::string& value);
  Json DescribeOutput(const sm::Secret& s) const;
  double Now() const;

 private:
  storage::MetadataStore& store_;
  PolicyAuthorizer& authz_;
  KmsClient& kms_;
  const Clock& clock_;
};

}  // namespace ck::services
