// KMS (JSON 1.1, TrentService.*) and the in-process KmsClient, one code path.
//
// Every operation runs inside Run(): it resolves key references with
// core::kms::Resolve (AWS-SEMANTICS §1.3), authorizes with the key policy as the
// required resource policy plus the caller's IAM policies and grants, checks
// key state and usage, does the work, and records a CloudTrail event in the
// caller's account and, for allowed cross-account use, the key owner's.
//
// Thread safety: safe for concurrent use (KeyStore and EventRecorder are).
#pragma once

#include <memory>
#include <string>

#include "base/clock.h"
#include "core/kms/ciphertext.h"
#include "core/kms/resolver.h"
#include "services/authorizer.h"
#include "services/cloudtrail/event_recorder.h"
#include "services/kms/key_store.h"
#include "services/kms/kms_client.h"
#include "services/service.h"
#include "storage/metadata_store.h"

namespace ck::services {

class KmsService final : public Service, public KmsClient {
 public:
  KmsService(storage::MetadataStore& store, PolicyAuthorizer& authorizer, cloudtrail::EventRecorder& events,
             const Clock& clock, std::string master_key);

  // Loads stored keys; call once before serving.
  Status Start();

  std::string_view name() const override { return "kms"; }
  Result<nlohmann::json> Invoke(std::string_view operation, const nlohmann::json& input,
                                RequestContext& ctx) override;

  Result<nlohmann::json> Call(std::string_view operation, const nlohmann::json& input,
                              const KmsCaller& caller) override;
  Result<KmsDataKey> GenerateDataKey(std::string_view key_ref, const KmsEncryptionContext& context,
                                     const KmsCaller& caller, int number_of_bytes = 32) override;
  Result<KmsDecrypted> Decrypt(std::string_view ciphertext_blob, const KmsEncryptionContext& context,
                               const KmsCaller& caller) override;
  Result<KmsKeyDescription> DescribeKey(std::string_view key_ref, const KmsCaller& caller) override;

  // The per-call state every operation fills; public for the op files only.
  struct Ctx {
    const KmsCaller& caller;
    std::string op;
    TimePoint now;
    std::string action;        // "kms:" + op, the IAM action
    nlohmann::json params;     // CloudTrail requestParameters (JSON operations)
    nlohmann::json response = nullptr;  // CloudTrail responseElements
    std::string blob_key_arn;  // Decrypt without KeyId: the key the blob names (requestParameters.keyId)
    kmsimpl::KeyPtr key;       // the key the call used (resources, owner's copy)
    kmsimpl::KeyPtr extra_key;  // ReEncrypt destination
  };

 private:
  using Handler = Result<nlohmann::json> (KmsService::*)(const nlohmann::json&, Ctx&);
  static Handler FindHandler(std::string_view op);

  // Runs one operation and records its CloudTrail event. Run renders
  // Ctx::params as requestParameters; RunWith lets the caller write them
  // (render_params(const Ctx&, wire::JsonWriter&)).
  template <typename T, typename F>
  Result<T> Run(std::string_view op, const KmsCaller& caller, nlohmann::json params, F&& body);
  template <typename T, typename R, typename F>
  Result<T> RunWith(std::string_view op, const KmsCaller& caller, nlohmann::json params, R&& render_params, F&& body);
  void RecordEvent(const Ctx& c, const Status& status, std::string request_parameters);

  // Resolution + authorization + DryRun check, for operations on one key.
  Result<core::kms::Resolution> ResolveFor(Ctx& c, std::string_view ref, core::kms::RefForms forms, bool cross_account);
  Status Authorize(Ctx& c, const core::kms::KeyRecord& key, std::string_view action,
                   const core::kms::EncryptionContext* context = nullptr, const std::string& request_alias = "",
                   core::iam::ContextKeys extra = {});
  // Identity-only authorization (resource "*" or an alias ARN).
  Status AuthorizeIdentity(Ctx& c, std::string_view action, const std::string& resource);
  bool GrantAllows(const core::kms::KeyRecord& key, const Principal& p, std::string_view op,
                   const core::kms::EncryptionContext* context) const;

  // Shared crypto cores (typed; the JSON handlers and KmsClient wrappers call them).
  Result<KmsDataKey> DoGenerateDataKey(Ctx& c, std::string_view key_ref, const core::kms::EncryptionContext& context,
                                       int number_of_bytes, bool dry_run, const std::string& action);
  Result<KmsDecrypted> DoDecrypt(Ctx& c, std::string_view blob, const core::kms::EncryptionContext& context,
                                 const std::string& key_ref, const std::string& algorithm, bool dry_run,
                                 const std::string& action);

  // kms_crypto.cpp
  Result<nlohmann::json> OpEncrypt(const nlohmann::json& in, Ctx& c);
  Result<nlohmann::json> OpDecrypt(const nlohmann::json& in, Ctx& c);
  Result<nlohmann::json> OpReEncrypt(const nlohmann::json& in, Ctx& c);
  Result<nlohmann::json> OpGenerateDataKey(const nlohmann::json& in, Ctx& c);
  Result<nlohmann::json> OpGenerateDataKeyWithoutPlaintext(const nlohmann::json& in, Ctx& c);
  Result<nlohmann::json> OpGenerateDataKeyPair(const nlohmann::json& in, Ctx& c);
  Result<nlohmann::json> OpGenerateDataKeyPairWithoutPlaintext(const nlohmann::json& in, Ctx& c);
  Result<nlohmann::json> OpGenerateRandom(const nlohmann::json& in, Ctx& c);
  Result<nlohmann::json> OpSign(const nlohmann::json& in, Ctx& c);
  Result<nlohmann::json> OpVerify(const nlohmann::json& in, Ctx& c);
  Result<nlohmann::json> OpGetPublicKey(const nlohmann::json& in, Ctx& c);
  Result<nlohmann::json> OpGenerateMac(const nlohmann::json& in, Ctx& c);
  Result<nlohmann::json> OpVerifyMac(const nlohmann::json& in, Ctx& c);
  Result<nlohmann::json> DataKeyPair(const nlohmann::json& in, Ctx& c, bool with_plaintext);
  // kms_keys.cpp
  Result<nlohmann::json> OpCreateKey(const nlohmann::json& in, Ctx& c);
  Result<nlohmann::json> OpDescribeKey(const nlohmann::json& in, Ctx& c);
  Result<nlohmann::json> OpListKeys(const nlohmann::json& in, Ctx& c);
  Result<nlohmann::json> OpUpdateKeyDescription(const nlohmann::json& in, Ctx& c);
  Result<nlohmann::json> OpEnableKey(const nlohmann::json& in, Ctx& c);
  Result<nlohmann::json> OpDisableKey(const nlohmann::json& in, Ctx& c);
  Result<nlohmann::json> OpScheduleKeyDeletion(const nlohmann::json& in, Ctx& c);
  Result<nlohmann::json> OpCancelKeyDeletion(const nlohmann::json& in, Ctx& c);
  Result<nlohmann::json> OpEnableKeyRotation(const nlohmann::json& in, Ctx& c);
  Result<nlohmann::json> OpDisableKeyRotation(const nlohmann::json& in, Ctx& c);
  Result<nlohmann::json> OpGetKeyRotationStatus(const nlohmann::json& in, Ctx& c);
  Result<nlohmann::json> OpRotateKeyOnDemand(const nlohmann::json& in, Ctx& c);
  Result<nlohmann::json> OpListKeyRotations(const nlohmann::json& in, Ctx& c);
  Result<nlohmann::json> OpTagResource(const nlohmann::json& in, Ctx& c);
  Result<nlohmann::json> OpUntagResource(const nlohmann::json& in, Ctx& c);
  Result<nlohmann::json> OpListResourceTags(const nlohmann::json& in, Ctx& c);
  Result<nlohmann::json> OpUnsupported(const nlohmann::json& in, Ctx& c);
  Result<nlohmann::json> OpDescribeCustomKeyStores(const nlohmann::json& in, Ctx& c);
  Result<kmsimpl::KeyPtr> Mutate(Ctx& c, const nlohmann::json& in, std::string_view action,
                                 const std::function<Status(core::kms::KeyRecord&)>& fn);
  // kms_access.cpp
  Result<nlohmann::json> OpCreateAlias(const nlohmann::json& in, Ctx& c);
  Result<nlohmann::json> OpUpdateAlias(const nlohmann::json& in, Ctx& c);
  Result<nlohmann::json> OpDeleteAlias(const nlohmann::json& in, Ctx& c);
  Result<nlohmann::json> OpListAliases(const nlohmann::json& in, Ctx& c);
  Result<nlohmann::json> OpGetKeyPolicy(const nlohmann::json& in, Ctx& c);
  Result<nlohmann::json> OpPutKeyPolicy(const nlohmann::json& in, Ctx& c);
  Result<nlohmann::json> OpListKeyPolicies(const nlohmann::json& in, Ctx& c);
  Result<nlohmann::json> OpCreateGrant(const nlohmann::json& in, Ctx& c);
  Result<nlohmann::json> OpListGrants(const nlohmann::json& in, Ctx& c);
  Result<nlohmann::json> OpListRetirableGrants(const nlohmann::json& in, Ctx& c);
  Result<nlohmann::json> OpRetireGrant(const nlohmann::json& in, Ctx& c);
  Result<nlohmann::json> OpRevokeGrant(const nlohmann::json& in, Ctx& c);
  // Lock-out safety check for a new key policy (CreateKey, PutKeyPolicy).
  Status CheckLockout(Ctx& c, const std::string& key_arn, const std::string& key_account,
                      const core::iam::Policy& policy);

  PolicyAuthorizer& authorizer_;
  cloudtrail::EventRecorder& events_;
  const Clock& clock_;
  kmsimpl::KeyStore keys_;
};

// Helpers shared by the op files.
namespace kmsimpl {
// "<ARN> is disabled." / "... is pending deletion." / "... is pending import.".
Status RequireEnabled(const core::kms::KeyRecord& key);
Status RequireNotPendingDeletion(const core::kms::KeyRecord& key);
Status InvalidKeyUsage(const core::kms::KeyRecord& key, std::string_view op);
Status DryRun();
Result<std::string> DecodeBlob(const nlohmann::json& in, const char* member);
core::kms::EncryptionContext ContextOf(const nlohmann::json& in, const char* member = "EncryptionContext");
// Paging over a sorted list: Marker is the index as a decimal string.
Result<size_t> MarkerStart(const nlohmann::json& in);
std::string NewRequestId();
}  // namespace kmsimpl

}  // namespace ck::services
