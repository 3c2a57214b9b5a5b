#include "services/kms/kms_engine.h"

#include <cstdlib>

#include "services/kms/errors.h"
#include "wire/json_writer.h"

namespace ck::services::kms {

namespace spec = core::kms::spec;

const core::kms::OperationSpec& SpecOf(std::string_view operation) {
  const core::kms::OperationSpec* s = spec::Find(operation);
  if (!s) std::abort();  // KmsApi::CheckModel proves every registered operation has one
  return *s;
}

KmsEngine::KmsEngine(storage::MetadataStore& store, PolicyAuthorizer& authorizer, cloudtrail::EventRecorder& events,
                     const Clock& clock, std::string master_key)
    : keys_(store, std::move(master_key), authorizer, clock),
      access_(keys_, authorizer),
      recorder_(events, clock),
      ops_(access_, access_, access_, access_, access_, access_, access_, access_) {}

Status KmsEngine::Start() { return keys_.Load(); }

namespace {

// requestParameters.encryptionContext, when there is one.
void WriteContext(const KmsEncryptionContext& context, wire::JsonWriter& w) {
  if (context.empty()) return;
  w.Key("encryptionContext").BeginObject();
  for (const auto& [k, v] : context) w.Field(k, v);
  w.EndObject();
}

}  // namespace

Result<KmsDataKey> KmsEngine::GenerateDataKey(std::string_view key_ref, const KmsEncryptionContext& context,
                                              const KmsCaller& caller, int number_of_bytes) {
  auto params = [&](const KmsCall&, wire::JsonWriter& w) {
    w.BeginObject();
    WriteContext(context, w);
    w.Field("keyId", key_ref);
    if (number_of_bytes == 32) {
      w.Field("keySpec", "AES_256");
    } else {
      w.Key("numberOfBytes").Int(number_of_bytes);
    }
    w.EndObject();
  };
  return recorder_.RunRendered<KmsDataKey>(spec::kGenerateDataKey, caller, params, [&](KmsCall& c) -> Result<KmsDataKey> {
    if (number_of_bytes < 1 || number_of_bytes > 1024)
      return errors::Validation("1 validation error detected: Value '" + std::to_string(number_of_bytes) +
                                "' at 'numberOfBytes' failed to satisfy constraint: Member must have value between "
                                "1 and 1024");
    return crypto().DataKey(c, spec::kGenerateDataKey, key_ref, context, number_of_bytes, false);
  });
}

Result<KmsDecrypted> KmsEngine::Decrypt(std::string_view blob, const KmsEncryptionContext& context,
                                        const KmsCaller& caller) {
  auto params = [&](const KmsCall& c, wire::JsonWriter& w) {
    w.BeginObject().Field("encryptionAlgorithm", "SYMMETRIC_DEFAULT");
    WriteContext(context, w);
    if (!c.blob_key_arn.empty()) w.Field("keyId", c.blob_key_arn);
    w.EndObject();
  };
  return recorder_.RunRendered<KmsDecrypted>(spec::kDecrypt, caller, params, [&](KmsCall& c) {
    return crypto().Open(c, spec::kDecrypt, blob, context, "", "", false);
  });
}

Result<KmsKeyDescription> KmsEngine::DescribeKey(std::string_view key_ref, const KmsCaller& caller) {
  auto params = [&](const KmsCall&, wire::JsonWriter& w) { w.BeginObject().Field("keyId", key_ref).EndObject(); };
  return recorder_.RunRendered<KmsKeyDescription>(spec::kDescribeKey, caller, params, [&](KmsCall& c) {
    return access_.WithKey(c, spec::kDescribeKey, key_ref, {}, [](const core::kms::KeyRecord& k) -> Result<KmsKeyDescription> {
      return KmsKeyDescription{k.arn,     k.id,      k.account, k.region, core::kms::KeyStateName(k.state),
                               k.manager, k.spec, k.usage};
    });
  });
}

Result<KmsEncrypted> KmsEngine::Encrypt(std::string_view key_ref, std::string_view plaintext,
                                        const KmsEncryptionContext& context, const KmsCaller& caller) {
  api::kms::EncryptRequest in;
  in.key_id = std::string(key_ref);
  in.plaintext = plaintext;
  in.encryption_context = context;
  CK_ASSIGN_OR_RETURN(auto out, (Run<api::kms::ops::Encrypt, &CryptoOps::Encrypt>(in, caller)));
  KmsEncrypted sealed;
  if (out.ciphertext_blob) sealed.ciphertext_blob = std::move(*out.ciphertext_blob).release();
  sealed.key_arn = out.key_id.value_or("");
  return sealed;
}

Result<api::kms::CreateKeyResponse> KmsEngine::CreateKey(const api::kms::CreateKeyRequest& in,
                                                         const KmsCaller& caller) {
  return Run<api::kms::ops::CreateKey, &KeyOps::CreateKey>(in, caller);
}

Result<api::Empty> KmsEngine::CreateAlias(const api::kms::CreateAliasRequest& in, const KmsCaller& caller) {
  return Run<api::kms::ops::CreateAlias, &AliasOps::CreateAlias>(in, caller);
}

}  // namespace ck::services::kms
