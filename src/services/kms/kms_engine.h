// KmsEngine: KMS as a typed engine. It owns the key store and runs every KMS
// call, however it arrives:
//   - in-process, through the KmsClient interface (kms_client.h) S3,
//     DynamoDB and Secrets Manager hold: GenerateDataKey, Decrypt,
//     DescribeKey, Encrypt, on behalf of the original caller;
//   - typed operations over the generated shapes (api/kms.h), which the JSON
//     API (kms_api.h) and config seeding call: Run<Op, &Group::Op>.
// Each call resolves and authorizes through KeyAccess (key_access.h), runs
// one operation of an operation group (kms_ops.h), and is recorded in
// CloudTrail by the CallRecorder (kms_call.h).
//
// Thread safety: safe for concurrent use once Start() returned.
#pragma once

#include <string>
#include <string_view>
#include <tuple>

#include "api/kms.h"
#include "base/clock.h"
#include "services/authorizer.h"
#include "services/cloudtrail/event_recorder.h"
#include "services/kms/key_access.h"
#include "services/kms/key_store.h"
#include "services/kms/kms_call.h"
#include "services/kms/kms_client.h"
#include "services/kms/kms_ops.h"
#include "storage/metadata_store.h"

namespace ck::services::kms {

// The spec of an API operation (core/kms/operations.h); every operation of
// the model has one.
const core::kms::OperationSpec& SpecOf(std::string_view operation);

// The group and shapes of an operation method `Result<Out> (G::*)(const In&, KmsCall&)`.
template <typename M>
struct OperationMethod;
template <typename G, typename Out, typename In>
struct OperationMethod<Result<Out> (G::*)(const In&, KmsCall&)> {
  using Group = G;
};

class KmsEngine final : public KmsClient {
 public:
  KmsEngine(storage::MetadataStore& store, PolicyAuthorizer& authorizer, cloudtrail::EventRecorder& events,
            const Clock& clock, std::string master_key);

  // Loads stored keys; call once before serving.
  Status Start();

  // KmsClient: the in-process calls (their requestParameters are written
  // directly, the same members in the same order as the JSON operations').
  Result<KmsDataKey> GenerateDataKey(std::string_view key_ref, const KmsEncryptionContext& context,
                                     const KmsCaller& caller, int number_of_bytes = 32) override;
  Result<KmsDecrypted> Decrypt(std::string_view ciphertext_blob, const KmsEncryptionContext& context,
                               const KmsCaller& caller) override;
  Result<KmsKeyDescription> DescribeKey(std::string_view key_ref, const KmsCaller& caller) override;
  Result<KmsEncrypted> Encrypt(std::string_view key_ref, std::string_view plaintext,
                               const KmsEncryptionContext& context, const KmsCaller& caller) override;

  // The keys and aliases as served, read-only (the web console).
  KeyCatalog& catalog() { return keys_; }

  // Typed operations for callers inside the server (config seeding).
  Result<api::kms::CreateKeyResponse> CreateKey(const api::kms::CreateKeyRequest& in, const KmsCaller& caller);
  Result<api::Empty> CreateAlias(const api::kms::CreateAliasRequest& in, const KmsCaller& caller);

  // Runs the operation Method of an operation group as one recorded call of
  // Op (its requestParameters: the request's document, lowerCamelCase).
  template <typename Op, auto Method>
  Result<typename Op::Output> Run(const typename Op::Input& in, const KmsCaller& caller) {
    using Group = typename OperationMethod<decltype(Method)>::Group;
    static const core::kms::OperationSpec& op = SpecOf(Op::kName);
    Group& group = std::get<Group>(ops_);
    return recorder_.Run<typename Op::Output>(op, caller, RequestParameters(ToDocument(in)),
                                              [&](KmsCall& c) { return (group.*Method)(in, c); });
  }
  // Runs Op as a recorded call answered with UnsupportedOperationException
  // (a feature crosskey does not have).
  template <typename Op>
  Result<typename Op::Output> Refuse(const typename Op::Input& in, const KmsCaller& caller) {
    static const core::kms::OperationSpec& op = SpecOf(Op::kName);
    return recorder_.Run<typename Op::Output>(op, caller, RequestParameters(ToDocument(in)),
                                              [&](KmsCall&) -> Result<typename Op::Output> {
                                                return UnsupportedFeature(op.name);
                                              });
  }

 private:
  CryptoOps& crypto() { return std::get<CryptoOps>(ops_); }

  KeyStore keys_;
  KeyAccess access_;
  CallRecorder recorder_;
  std::tuple<CryptoOps, SigningOps, KeyOps, RotationOps, ImportOps, AliasOps, PolicyOps, GrantOps> ops_;
};

}  // namespace ck::services::kms
