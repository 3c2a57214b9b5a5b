#include "services/kms/kms_api.h"

#include "services/kms/errors.h"
#include "wire/model.h"

namespace ck::services::kms {

namespace {

OperationMeta MetaOf(std::string_view operation) {
  const core::kms::OperationSpec& s = SpecOf(operation);
  return {.iam_action = s.action, .read_only = s.read_only, .resource = s.resource};
}

}  // namespace

template <typename Op, auto Method>
void KmsApi::Add(OperationTable<KmsApi>& t) {
  t.Add<Op, &KmsApi::Handle<Op, Method>>(MetaOf(Op::kName));
}

template <typename Op>
void KmsApi::AddRefused(OperationTable<KmsApi>& t) {
  t.Add<Op, &KmsApi::Refuse<Op>>(MetaOf(Op::kName));
}

const OperationTable<KmsApi>& KmsApi::Operations() {
  static const auto* table = [] {
    namespace ops = api::kms::ops;
    auto* t = new OperationTable<KmsApi>(errors::kSerialization, errors::kUnsupportedOperation);
    // Cryptographic operations.
    Add<ops::Encrypt, &CryptoOps::Encrypt>(*t);
    Add<ops::Decrypt, &CryptoOps::Decrypt>(*t);
    Add<ops::ReEncrypt, &CryptoOps::ReEncrypt>(*t);
    Add<ops::GenerateDataKey, &CryptoOps::GenerateDataKey>(*t);
    Add<ops::GenerateDataKeyWithoutPlaintext, &CryptoOps::GenerateDataKeyWithoutPlaintext>(*t);
    Add<ops::GenerateDataKeyPair, &CryptoOps::GenerateDataKeyPair>(*t);
    Add<ops::GenerateDataKeyPairWithoutPlaintext, &CryptoOps::GenerateDataKeyPairWithoutPlaintext>(*t);
    Add<ops::GenerateRandom, &CryptoOps::GenerateRandom>(*t);
    Add<ops::Sign, &SigningOps::Sign>(*t);
    Add<ops::Verify, &SigningOps::Verify>(*t);
    Add<ops::GetPublicKey, &SigningOps::GetPublicKey>(*t);
    Add<ops::GenerateMac, &SigningOps::GenerateMac>(*t);
    Add<ops::VerifyMac, &SigningOps::VerifyMac>(*t);
    Add<ops::DeriveSharedSecret, &SigningOps::DeriveSharedSecret>(*t);
    // Keys.
    Add<ops::CreateKey, &KeyOps::CreateKey>(*t);
    Add<ops::DescribeKey, &KeyOps::DescribeKey>(*t);
    Add<ops::ListKeys, &KeyOps::ListKeys>(*t);
    Add<ops::UpdateKeyDescription, &KeyOps::UpdateKeyDescription>(*t);
    Add<ops::EnableKey, &KeyOps::EnableKey>(*t);
    Add<ops::DisableKey, &KeyOps::DisableKey>(*t);
    Add<ops::ScheduleKeyDeletion, &KeyOps::ScheduleKeyDeletion>(*t);
    Add<ops::CancelKeyDeletion, &KeyOps::CancelKeyDeletion>(*t);
    Add<ops::TagResource, &KeyOps::TagResource>(*t);
    Add<ops::UntagResource, &KeyOps::UntagResource>(*t);
    Add<ops::ListResourceTags, &KeyOps::ListResourceTags>(*t);
    Add<ops::DescribeCustomKeyStores, &KeyOps::DescribeCustomKeyStores>(*t);
    Add<ops::EnableKeyRotation, &RotationOps::EnableKeyRotation>(*t);
    Add<ops::DisableKeyRotation, &RotationOps::DisableKeyRotation>(*t);
    Add<ops::GetKeyRotationStatus, &RotationOps::GetKeyRotationStatus>(*t);
    Add<ops::RotateKeyOnDemand, &RotationOps::RotateKeyOnDemand>(*t);
    Add<ops::ListKeyRotations, &RotationOps::ListKeyRotations>(*t);
    Add<ops::GetParametersForImport, &ImportOps::GetParametersForImport>(*t);
    Add<ops::ImportKeyMaterial, &ImportOps::ImportKeyMaterial>(*t);
    Add<ops::DeleteImportedKeyMaterial, &ImportOps::DeleteImportedKeyMaterial>(*t);
    // Aliases, key policies, grants.
    Add<ops::CreateAlias, &AliasOps::CreateAlias>(*t);
    Add<ops::UpdateAlias, &AliasOps::UpdateAlias>(*t);
    Add<ops::DeleteAlias, &AliasOps::DeleteAlias>(*t);
    Add<ops::ListAliases, &AliasOps::ListAliases>(*t);
    Add<ops::GetKeyPolicy, &PolicyOps::GetKeyPolicy>(*t);
    Add<ops::PutKeyPolicy, &PolicyOps::PutKeyPolicy>(*t);
    Add<ops::ListKeyPolicies, &PolicyOps::ListKeyPolicies>(*t);
    Add<ops::CreateGrant, &GrantOps::CreateGrant>(*t);
    Add<ops::ListGrants, &GrantOps::ListGrants>(*t);
    Add<ops::ListRetirableGrants, &GrantOps::ListRetirableGrants>(*t);
    Add<ops::RetireGrant, &GrantOps::RetireGrant>(*t);
    Add<ops::RevokeGrant, &GrantOps::RevokeGrant>(*t);
    // Features crosskey does not have: recorded, answered UnsupportedOperationException.
    AddRefused<ops::CreateCustomKeyStore>(*t);
    AddRefused<ops::ConnectCustomKeyStore>(*t);
    AddRefused<ops::DisconnectCustomKeyStore>(*t);
    AddRefused<ops::UpdateCustomKeyStore>(*t);
    AddRefused<ops::DeleteCustomKeyStore>(*t);
    AddRefused<ops::ReplicateKey>(*t);
    AddRefused<ops::UpdatePrimaryRegion>(*t);
    AddRefused<ops::GetKeyLastUsage>(*t);
    return t;
  }();
  return *table;
}

Result<Document> KmsApi::Invoke(std::string_view operation, const Document& input, RequestContext& ctx) {
  return Operations().Run(*this, operation, input, ctx);
}

Status KmsApi::CheckModel() const {
  const wire::ServiceModel* model = wire::FindService("kms");
  if (!model) return Internal("no model for kms");
  return Operations().CheckAgainst(*model);
}

KmsCaller KmsApi::CallerOf(const RequestContext& ctx) {
  KmsCaller caller;
  caller.principal = ctx.principal;
  caller.region = ctx.region;
  caller.source_ip = ctx.source_ip;
  caller.request_id = ctx.request_id;
  caller.secure_transport = ctx.secure_transport;
  if (ctx.head) {
    if (auto ua = ctx.head->headers.Get("user-agent")) caller.user_agent = std::string(*ua);
  }
  return caller;
}

}  // namespace ck::services::kms
