// Encrypt, Decrypt, ReEncrypt, data keys and data key pairs, GenerateRandom.
#include "crypto/hash.h"
#include "services/kms/errors.h"
#include "services/kms/kms_ops.h"
#include "services/kms/kms_shapes.h"

namespace ck::services::kms {

namespace ak = api::kms;
namespace spec = core::kms::spec;
using core::kms::EncryptionContext;
using core::kms::KeyRecord;

namespace {

constexpr std::string_view kSymmetricDefault = "SYMMETRIC_DEFAULT";

std::string_view OrDefault(std::string_view algorithm) { return algorithm.empty() ? kSymmetricDefault : algorithm; }

EncryptionContext ContextOf(const std::optional<std::map<std::string, std::string>>& context) {
  return context.value_or(EncryptionContext{});
}

// The ciphertext of `plaintext` under `k` with `algorithm` (checked already):
// a blob under the current material for symmetric keys, RSA OAEP otherwise.
Result<std::string> Seal(const KeyRecord& k, std::string_view algorithm, std::string_view plaintext,
                         const EncryptionContext& context) {
  if (k.symmetric()) {
    const core::kms::MaterialVersion& m = k.Current();
    return core::kms::SealBlob({k.account, k.region, k.id, static_cast<uint32_t>(m.version)}, m.plain, plaintext,
                               context);
  }
  size_t max = core::kms::MaxPlaintextSize(k.spec, algorithm);
  if (plaintext.size() > max)
    return errors::Validation("Algorithm " + std::string(algorithm) + " and key spec " + k.spec +
                              " cannot encrypt data larger than " + std::to_string(max) + " bytes.");
  return k.asymmetric->Encrypt(algorithm, plaintext);
}

// GenerateDataKey needs exactly one of KeySpec and NumberOfBytes.
// INFERRED message text (AWS returns ValidationException; wording not recorded).
template <typename Request>
Result<int> DataKeyBytes(const Request& in) {
  if (in.key_spec.has_value() == in.number_of_bytes.has_value())
    return errors::Validation("Please specify either number of bytes or key spec.");
  if (in.number_of_bytes) return *in.number_of_bytes;
  return in.key_spec->str() == "AES_128" ? 16 : 32;
}

}  // namespace

Result<KmsDataKey> CryptoOps::DataKey(KmsCall& c, const core::kms::OperationSpec& spec, std::string_view key_ref,
                                      const EncryptionContext& context, int bytes, bool dry_run) {
  return access_.WithKey(c, spec, key_ref, {.context = &context, .dry_run = dry_run},
                         [&](const KeyRecord& k) -> Result<KmsDataKey> {
                           KmsDataKey out;
                           out.plaintext = crypto::RandomBytes(static_cast<size_t>(bytes));
                           CK_ASSIGN_OR_RETURN(out.ciphertext_blob, Seal(k, kSymmetricDefault, out.plaintext, context));
                           out.key_arn = k.arn;
                           return out;
                         });
}

Result<KmsDecrypted> CryptoOps::OpenAsymmetric(KmsCall& c, const core::kms::OperationSpec& spec,
                                               const core::kms::Resolution& given, std::string_view blob,
                                               std::string_view algorithm, bool dry_run) {
  const KeyRecord& k = *given.key;
  CK_RETURN_IF_ERROR(access_.Admit(c, spec, k, {.dry_run = dry_run, .algorithm = algorithm}, given.alias_name));
  CK_ASSIGN_OR_RETURN(auto plain, k.asymmetric->Decrypt(algorithm, blob));
  return KmsDecrypted{std::move(plain), k.arn};
}

// Decrypt and ReEncrypt's source: a symmetric blob names its key (a key id in
// the request must be that key: IncorrectKeyException otherwise, also for an
// HMAC key, as recorded); an asymmetric key must be named.
Result<KmsDecrypted> CryptoOps::Open(KmsCall& c, const core::kms::OperationSpec& spec, std::string_view blob,
                                     const EncryptionContext& context, std::string_view key_ref,
                                     std::string_view algorithm, bool dry_run) {
  core::kms::Resolution given;
  if (!key_ref.empty()) {
    CK_ASSIGN_OR_RETURN(given, access_.Resolve(c, spec, key_ref));
  }
  if (given.key) {
    auto family = core::kms::FamilyOf(given.key->spec);
    if (family == core::kms::SpecFamily::kRsa || family == core::kms::SpecFamily::kEcc)
      return OpenAsymmetric(c, spec, given, blob, algorithm, dry_run);
  }
  CK_ASSIGN_OR_RETURN(auto header, core::kms::ParseBlobHeader(blob));
  // INFERRED: a blob of another region's key cannot be found in this region.
  if (header.region != c.caller.region) return core::kms::InvalidCiphertext();
  KeyPtr key = access_.keys().FindKey(header.account, header.region, header.key_id);
  std::string blob_arn = core::kms::KeyArn(header.region, header.account, header.key_id);
  if (given.key && given.key->arn != blob_arn)
    return errors::IncorrectKey("The key ID in the request does not identify a CMK that can perform this operation.");
  if (key_ref.empty()) c.blob_key_arn = blob_arn;
  if (!key) {
    if (header.account != c.caller.principal.account)
      return core::kms::RedactedDenial(c.caller.principal.arn, spec.action);
    return errors::NotFound(core::kms::KeyDoesNotExist(blob_arn));
  }
  if (!c.key) c.key = key;
  CK_RETURN_IF_ERROR(access_.Admit(c, spec, *key, {.context = &context, .dry_run = dry_run, .algorithm = algorithm},
                                   given.alias_name));
  const core::kms::MaterialVersion* m = key->Material(header.version);
  if (!m) return core::kms::InvalidCiphertext();
  CK_ASSIGN_OR_RETURN(auto plain, core::kms::OpenBlob(blob, m->plain, context));
  return KmsDecrypted{std::move(plain), key->arn};
}

Result<ak::EncryptResponse> CryptoOps::Encrypt(const ak::EncryptRequest& in, KmsCall& c) {
  EncryptionContext context = ContextOf(in.encryption_context);
  std::string_view algorithm = TextOf(in.encryption_algorithm);
  KeyUse use{.context = &context, .dry_run = in.dry_run.value_or(false), .algorithm = algorithm};
  return access_.WithKey(c, spec::kEncrypt, in.key_id, std::move(use),
                         [&](const KeyRecord& k) -> Result<ak::EncryptResponse> {
                           std::string_view used = k.symmetric() ? kSymmetricDefault : algorithm;
                           CK_ASSIGN_OR_RETURN(auto blob, Seal(k, used, in.plaintext.view(), context));
                           ak::EncryptResponse out;
                           out.ciphertext_blob = std::move(blob);
                           out.key_id = k.arn;
                           out.encryption_algorithm = EnumOf<ak::EncryptionAlgorithmSpec>(used);
                           return out;
                         });
}

Result<ak::DecryptResponse> CryptoOps::Decrypt(const ak::DecryptRequest& in, KmsCall& c) {
  std::string_view algorithm = TextOf(in.encryption_algorithm);
  // ct-decrypt.md: Decrypt events always carry the algorithm.
  c.params.update(Document{{"encryptionAlgorithm", OrDefault(algorithm)}});
  Bytes blob = in.ciphertext_blob.value_or(Bytes());
  CK_ASSIGN_OR_RETURN(auto plain, Open(c, spec::kDecrypt, blob.view(), ContextOf(in.encryption_context),
                                       in.key_id.value_or(""), algorithm, in.dry_run.value_or(false)));
  ak::DecryptResponse out;
  out.key_id = plain.key_arn;
  out.plaintext = std::move(plain.plaintext);
  out.encryption_algorithm = EnumOf<ak::EncryptionAlgorithmSpec>(OrDefault(algorithm));
  if (c.key && c.key->symmetric()) out.key_material_id = c.key->Current().material_id;
  return out;
}

Result<ak::ReEncryptResponse> CryptoOps::ReEncrypt(const ak::ReEncryptRequest& in, KmsCall& c) {
  std::string_view source_algorithm = TextOf(in.source_encryption_algorithm);
  std::string_view algorithm = TextOf(in.destination_encryption_algorithm);
  Bytes blob = in.ciphertext_blob.value_or(Bytes());
  CK_ASSIGN_OR_RETURN(auto plain, Open(c, spec::kReEncryptFrom, blob.view(), ContextOf(in.source_encryption_context),
                                       in.source_key_id.value_or(""), source_algorithm, in.dry_run.value_or(false)));
  EncryptionContext context = ContextOf(in.destination_encryption_context);
  return access_.WithKey(c, spec::kReEncryptTo, in.destination_key_id, {.context = &context, .algorithm = algorithm},
                         [&](const KeyRecord& k) -> Result<ak::ReEncryptResponse> {
                           std::string_view used = k.symmetric() ? kSymmetricDefault : algorithm;
                           CK_ASSIGN_OR_RETURN(auto sealed, Seal(k, used, plain.plaintext, context));
                           ak::ReEncryptResponse out;
                           out.ciphertext_blob = std::move(sealed);
                           out.source_key_id = plain.key_arn;
                           out.key_id = k.arn;
                           out.source_encryption_algorithm =
                               EnumOf<ak::EncryptionAlgorithmSpec>(OrDefault(source_algorithm));
                           out.destination_encryption_algorithm = EnumOf<ak::EncryptionAlgorithmSpec>(used);
                           return out;
                         });
}

// GenerateDataKey and GenerateDataKeyWithoutPlaintext.
template <typename Response, typename Request>
Result<Response> CryptoOps::DataKeyResponse(KmsCall& c, const core::kms::OperationSpec& spec, const Request& in) {
  CK_ASSIGN_OR_RETURN(int bytes, DataKeyBytes(in));
  CK_ASSIGN_OR_RETURN(auto dk, DataKey(c, spec, in.key_id, ContextOf(in.encryption_context), bytes,
                                       in.dry_run.value_or(false)));
  Response out;
  out.ciphertext_blob = std::move(dk.ciphertext_blob);
  if constexpr (requires { out.plaintext; }) out.plaintext = std::move(dk.plaintext);
  out.key_id = std::move(dk.key_arn);
  out.key_material_id = c.key->Current().material_id;
  return out;
}

Result<ak::GenerateDataKeyResponse> CryptoOps::GenerateDataKey(const ak::GenerateDataKeyRequest& in, KmsCall& c) {
  return DataKeyResponse<ak::GenerateDataKeyResponse>(c, spec::kGenerateDataKey, in);
}

Result<ak::GenerateDataKeyWithoutPlaintextResponse> CryptoOps::GenerateDataKeyWithoutPlaintext(
    const ak::GenerateDataKeyWithoutPlaintextRequest& in, KmsCall& c) {
  return DataKeyResponse<ak::GenerateDataKeyWithoutPlaintextResponse>(c, spec::kGenerateDataKeyWithoutPlaintext, in);
}

// GenerateDataKeyPair and GenerateDataKeyPairWithoutPlaintext: a fresh pair,
// its private key sealed under the symmetric key.
template <typename Response, typename Request>
Result<Response> CryptoOps::DataKeyPair(KmsCall& c, const core::kms::OperationSpec& spec, const Request& in) {
  EncryptionContext context = ContextOf(in.encryption_context);
  KeyUse use{.context = &context, .dry_run = in.dry_run.value_or(false)};
  return access_.WithKey(c, spec, in.key_id, std::move(use), [&](const KeyRecord& k) -> Result<Response> {
    CK_ASSIGN_OR_RETURN(auto pair, core::kms::GenerateKeyPair(in.key_pair_spec.str()));
    Response out;
    CK_ASSIGN_OR_RETURN(auto sealed, Seal(k, kSymmetricDefault, pair.first, context));
    out.private_key_ciphertext_blob = std::move(sealed);
    if constexpr (requires { out.private_key_plaintext; }) out.private_key_plaintext = std::move(pair.first);
    out.public_key = std::move(pair.second);
    out.key_id = k.arn;
    out.key_pair_spec = in.key_pair_spec;
    out.key_material_id = k.Current().material_id;
    return out;
  });
}

Result<ak::GenerateDataKeyPairResponse> CryptoOps::GenerateDataKeyPair(const ak::GenerateDataKeyPairRequest& in,
                                                                       KmsCall& c) {
  return DataKeyPair<ak::GenerateDataKeyPairResponse>(c, spec::kGenerateDataKeyPair, in);
}

Result<ak::GenerateDataKeyPairWithoutPlaintextResponse> CryptoOps::GenerateDataKeyPairWithoutPlaintext(
    const ak::GenerateDataKeyPairWithoutPlaintextRequest& in, KmsCall& c) {
  return DataKeyPair<ak::GenerateDataKeyPairWithoutPlaintextResponse>(c, spec::kGenerateDataKeyPairWithoutPlaintext,
                                                                      in);
}

Result<ak::GenerateRandomResponse> CryptoOps::GenerateRandom(const ak::GenerateRandomRequest& in, KmsCall& c) {
  if (in.custom_key_store_id)
    return errors::CustomKeyStoreNotFound("Custom key stores are not supported by crosskey.");
  if (!in.number_of_bytes) return errors::Validation("NumberOfBytes is required.");
  CK_RETURN_IF_ERROR(access_.AuthorizeIdentity(c, spec::kGenerateRandom, "*"));
  if (in.recipient) return core::kms::Unsupported("Recipient (Nitro Enclaves)");
  ak::GenerateRandomResponse out;
  out.plaintext = crypto::RandomBytes(static_cast<size_t>(*in.number_of_bytes));
  return out;
}

}  // namespace ck::services::kms
