// KMS cryptographic operations (JSON handlers). Symmetric data keys and
// Decrypt share the typed cores in kms_service.cpp with the in-process client.
#include <openssl/crypto.h>

#include "base/codec.h"
#include "crypto/hash.h"
#include "services/kms/kms_service.h"

namespace ck::services {

using nlohmann::json;
using namespace kmsimpl;

namespace {

std::string Str(const json& in, const char* member) { return in.contains(member) ? in[member].get<std::string>() : ""; }
bool Flag(const json& in, const char* member) { return in.contains(member) && in[member].get<bool>(); }

Status RequireUsage(const core::kms::KeyRecord& k, const char* usage, std::string_view op) {
  if (k.usage != usage) return InvalidKeyUsage(k, op);
  return Status::Ok();
}

// INFERRED message; AWS's exact text for a mismatched algorithm was not found.
Status AlgorithmMismatch(const core::kms::KeyRecord& k, const std::string& algorithm) {
  return AwsError("InvalidKeyUsageException", 400,
                  "Algorithm " + algorithm + " is incompatible with key spec " + k.spec + ".");
}

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

Result<json> KmsService::OpEncrypt(const json& in, Ctx& c) {
  CK_ASSIGN_OR_RETURN(auto plaintext, DecodeBlob(in, "Plaintext"));
  core::kms::EncryptionContext ec = ContextOf(in);
  std::string algorithm = Str(in, "EncryptionAlgorithm");
  CK_ASSIGN_OR_RETURN(auto res, ResolveFor(c, Str(in, "KeyId"), core::kms::RefForms::kAny, true));
  const core::kms::KeyRecord& k = *res.key;
  CK_RETURN_IF_ERROR(Authorize(c, k, "Encrypt", &ec, res.alias_name));
  if (Flag(in, "DryRun")) return DryRun();
  CK_RETURN_IF_ERROR(RequireEnabled(k));
  CK_RETURN_IF_ERROR(RequireUsage(k, "ENCRYPT_DECRYPT", "Encrypt"));
  std::string blob;
  if (k.symmetric()) {
    if (!algorithm.empty() && algorithm != "SYMMETRIC_DEFAULT") return AlgorithmMismatch(k, algorithm);
    algorithm = "SYMMETRIC_DEFAULT";
    const core::kms::MaterialVersion& m = k.Current();
    blob = core::kms::SealBlob({k.account, k.region, k.id, m.version}, m.plain, plaintext, ec);
  } else {
    if (!Contains(core::kms::EncryptionAlgorithmsFor(k.spec, k.usage), algorithm))
      return AlgorithmMismatch(k, algorithm.empty() ? "SYMMETRIC_DEFAULT" : algorithm);
    CK_ASSIGN_OR_RETURN(blob, k.asymmetric->Encrypt(algorithm, plaintext));
  }
  return json{{"CiphertextBlob", Base64Encode(blob)}, {"KeyId", k.arn}, {"EncryptionAlgorithm", algorithm}};
}

Result<json> KmsService::OpDecrypt(const json& in, Ctx& c) {
  CK_ASSIGN_OR_RETURN(auto blob, DecodeBlob(in, "CiphertextBlob"));
  std::string algorithm = Str(in, "EncryptionAlgorithm");
  // ct-decrypt.md: Decrypt events always carry the algorithm.
  c.params["encryptionAlgorithm"] = algorithm.empty() ? "SYMMETRIC_DEFAULT" : algorithm;
  CK_ASSIGN_OR_RETURN(auto out, DoDecrypt(c, blob, ContextOf(in), Str(in, "KeyId"), algorithm, Flag(in, "DryRun"),
                                          "Decrypt"));
  json r = {{"KeyId", out.key_arn},
            {"Plaintext", Base64Encode(out.plaintext)},
            {"EncryptionAlgorithm", algorithm.empty() ? "SYMMETRIC_DEFAULT" : algorithm}};
  if (c.key && c.key->symmetric()) r["KeyMaterialId"] = c.key->Current().material_id;
  return r;
}

Result<json> KmsService::OpReEncrypt(const json& in, Ctx& c) {
  CK_ASSIGN_OR_RETURN(auto blob, DecodeBlob(in, "CiphertextBlob"));
  std::string src_alg = Str(in, "SourceEncryptionAlgorithm");
  std::string dst_alg = Str(in, "DestinationEncryptionAlgorithm");
  bool dry = Flag(in, "DryRun");
  CK_ASSIGN_OR_RETURN(auto plain, DoDecrypt(c, blob, ContextOf(in, "SourceEncryptionContext"), Str(in, "SourceKeyId"),
                                            src_alg, dry, "ReEncryptFrom"));
  core::kms::EncryptionContext dst_ec = ContextOf(in, "DestinationEncryptionContext");
  std::string action = "kms:ReEncryptTo";
  core::kms::ResolveOptions o;
  o.action = action;
  o.caller_arn = c.caller.principal.arn;
  auto res = core::kms::Resolve(keys_, c.caller.principal.account, c.caller.region, Str(in, "DestinationKeyId"), o);
  if (!res.ok()) return res.status();
  c.extra_key = res->key;
  const core::kms::KeyRecord& k = *res->key;
  CK_RETURN_IF_ERROR(Authorize(c, k, "ReEncryptTo", &dst_ec, res->alias_name));
  CK_RETURN_IF_ERROR(RequireEnabled(k));
  CK_RETURN_IF_ERROR(RequireUsage(k, "ENCRYPT_DECRYPT", "ReEncrypt"));
  std::string out;
  if (k.symmetric()) {
    if (!dst_alg.empty() && dst_alg != "SYMMETRIC_DEFAULT") return AlgorithmMismatch(k, dst_alg);
    dst_alg = "SYMMETRIC_DEFAULT";
    const core::kms::MaterialVersion& m = k.Current();
    out = core::kms::SealBlob({k.account, k.region, k.id, m.version}, m.plain, plain.plaintext, dst_ec);
  } else {
    if (!Contains(core::kms::EncryptionAlgorithmsFor(k.spec, k.usage), dst_alg)) return AlgorithmMismatch(k, dst_alg);
    CK_ASSIGN_OR_RETURN(out, k.asymmetric->Encrypt(dst_alg, plain.plaintext));
  }
  return json{{"CiphertextBlob", Base64Encode(out)},
              {"SourceKeyId", plain.key_arn},
              {"KeyId", k.arn},
              {"SourceEncryptionAlgorithm", src_alg.empty() ? "SYMMETRIC_DEFAULT" : src_alg},
              {"DestinationEncryptionAlgorithm", dst_alg}};
}

namespace {

// GenerateDataKey needs exactly one of KeySpec and NumberOfBytes.
// INFERRED message text (AWS returns ValidationException; wording not recorded).
Result<int> DataKeyBytes(const json& in) {
  bool spec = in.contains("KeySpec"), bytes = in.contains("NumberOfBytes");
  if (spec == bytes)
    return AwsError("ValidationException", 400, "Please specify either number of bytes or key spec.");
  if (bytes) return in["NumberOfBytes"].get<int>();
  return in["KeySpec"].get<std::string>() == "AES_128" ? 16 : 32;
}

}  // namespace

Result<json> KmsService::OpGenerateDataKey(const json& in, Ctx& c) {
  CK_ASSIGN_OR_RETURN(int n, DataKeyBytes(in));
  CK_ASSIGN_OR_RETURN(auto dk, DoGenerateDataKey(c, Str(in, "KeyId"), ContextOf(in), n, Flag(in, "DryRun"),
                                                 "GenerateDataKey"));
  return json{{"CiphertextBlob", Base64Encode(dk.ciphertext_blob)},
              {"Plaintext", Base64Encode(dk.plaintext)},
              {"KeyId", dk.key_arn},
              {"KeyMaterialId", c.key->Current().material_id}};
}

Result<json> KmsService::OpGenerateDataKeyWithoutPlaintext(const json& in, Ctx& c) {
  CK_ASSIGN_OR_RETURN(int n, DataKeyBytes(in));
  CK_ASSIGN_OR_RETURN(auto dk, DoGenerateDataKey(c, Str(in, "KeyId"), ContextOf(in), n, Flag(in, "DryRun"),
                                                 "GenerateDataKeyWithoutPlaintext"));
  return json{{"CiphertextBlob", Base64Encode(dk.ciphertext_blob)},
              {"KeyId", dk.key_arn},
              {"KeyMaterialId", c.key->Current().material_id}};
}

Result<json> KmsService::DataKeyPair(const json& in, Ctx& c, bool with_plaintext) {
  std::string spec = Str(in, "KeyPairSpec");
  core::kms::EncryptionContext ec = ContextOf(in);
  CK_ASSIGN_OR_RETURN(auto res, ResolveFor(c, Str(in, "KeyId"), core::kms::RefForms::kAny, true));
  const core::kms::KeyRecord& k = *res.key;
  CK_RETURN_IF_ERROR(Authorize(c, k, c.op, &ec, res.alias_name));
  if (Flag(in, "DryRun")) return DryRun();
  CK_RETURN_IF_ERROR(RequireEnabled(k));
  if (!k.symmetric() || k.usage != "ENCRYPT_DECRYPT") return InvalidKeyUsage(k, c.op);
  CK_ASSIGN_OR_RETURN(auto pair, core::kms::GenerateKeyPair(spec));
  const core::kms::MaterialVersion& m = k.Current();
  std::string blob = core::kms::SealBlob({k.account, k.region, k.id, m.version}, m.plain, pair.first, ec);
  json out = {{"PrivateKeyCiphertextBlob", Base64Encode(blob)},
              {"PublicKey", Base64Encode(pair.second)},
              {"KeyId", k.arn},
              {"KeyPairSpec", spec},
              {"KeyMaterialId", m.material_id}};
  if (with_plaintext) out["PrivateKeyPlaintext"] = Base64Encode(pair.first);
  return out;
}

Result<json> KmsService::OpGenerateDataKeyPair(const json& in, Ctx& c) { return DataKeyPair(in, c, true); }
Result<json> KmsService::OpGenerateDataKeyPairWithoutPlaintext(const json& in, Ctx& c) {
  return DataKeyPair(in, c, false);
}

Result<json> KmsService::OpGenerateRandom(const json& in, Ctx& c) {
  if (in.contains("CustomKeyStoreId"))
    return AwsError("CustomKeyStoreNotFoundException", 400, "Custom key stores are not supported by crosskey.");
  // INFERRED: AWS rejects a missing NumberOfBytes; the wording is ours.
  if (!in.contains("NumberOfBytes"))
    return AwsError("ValidationException", 400, "Please specify number of bytes.");
  CK_RETURN_IF_ERROR(AuthorizeIdentity(c, "GenerateRandom", "*"));
  if (in.contains("Recipient"))
    return AwsError("UnsupportedOperationException", 400, "Recipient (Nitro Enclaves) is not supported by crosskey.");
  return json{{"Plaintext", Base64Encode(crypto::RandomBytes(in["NumberOfBytes"].get<size_t>()))}};
}

namespace {

struct SignInput {
  std::string message, algorithm;
  bool digest = false;
};

Result<SignInput> ParseSign(const json& in, const core::kms::KeyRecord& k) {
  SignInput s;
  CK_ASSIGN_OR_RETURN(s.message, DecodeBlob(in, "Message"));
  s.algorithm = Str(in, "SigningAlgorithm");
  s.digest = Str(in, "MessageType") == "DIGEST";
  if (!Contains(core::kms::SigningAlgorithmsFor(k.spec, k.usage), s.algorithm)) return AlgorithmMismatch(k, s.algorithm);
  if (s.digest && s.message.size() != core::kms::DigestSizeOf(s.algorithm))
    return AwsError("ValidationException", 400, "Digest is invalid length for algorithm " + s.algorithm + ".");
  return s;
}

}  // namespace

Result<json> KmsService::OpSign(const json& in, Ctx& c) {
  CK_ASSIGN_OR_RETURN(auto res, ResolveFor(c, Str(in, "KeyId"), core::kms::RefForms::kAny, true));
  const core::kms::KeyRecord& k = *res.key;
  CK_RETURN_IF_ERROR(Authorize(c, k, "Sign", nullptr, res.alias_name));
  if (Flag(in, "DryRun")) return DryRun();
  CK_RETURN_IF_ERROR(RequireEnabled(k));
  CK_RETURN_IF_ERROR(RequireUsage(k, "SIGN_VERIFY", "Sign"));
  CK_ASSIGN_OR_RETURN(auto s, ParseSign(in, k));
  CK_ASSIGN_OR_RETURN(auto sig, k.asymmetric->Sign(s.algorithm, s.message, s.digest));
  return json{{"KeyId", k.arn}, {"Signature", Base64Encode(sig)}, {"SigningAlgorithm", s.algorithm}};
}

Result<json> KmsService::OpVerify(const json& in, Ctx& c) {
  CK_ASSIGN_OR_RETURN(auto res, ResolveFor(c, Str(in, "KeyId"), core::kms::RefForms::kAny, true));
  const core::kms::KeyRecord& k = *res.key;
  CK_RETURN_IF_ERROR(Authorize(c, k, "Verify", nullptr, res.alias_name));
  if (Flag(in, "DryRun")) return DryRun();
  CK_RETURN_IF_ERROR(RequireEnabled(k));
  CK_RETURN_IF_ERROR(RequireUsage(k, "SIGN_VERIFY", "Verify"));
  CK_ASSIGN_OR_RETURN(auto s, ParseSign(in, k));
  CK_ASSIGN_OR_RETURN(auto sig, DecodeBlob(in, "Signature"));
  CK_ASSIGN_OR_RETURN(bool valid, k.asymmetric->Verify(s.algorithm, s.message, s.digest, sig));
  if (!valid) return AwsError("KMSInvalidSignatureException", 400, "");
  return json{{"KeyId", k.arn}, {"SignatureValid", true}, {"SigningAlgorithm", s.algorithm}};
}

Result<json> KmsService::OpGetPublicKey(const json& in, Ctx& c) {
  CK_ASSIGN_OR_RETURN(auto res, ResolveFor(c, Str(in, "KeyId"), core::kms::RefForms::kAny, true));
  const core::kms::KeyRecord& k = *res.key;
  CK_RETURN_IF_ERROR(Authorize(c, k, "GetPublicKey", nullptr, res.alias_name));
  CK_RETURN_IF_ERROR(RequireEnabled(k));
  if (!k.asymmetric)
    return AwsError("UnsupportedOperationException", 400,
                    k.arn + " key usage is " + k.usage + " which is not valid for GetPublicKey.");
  json out = {{"KeyId", k.arn},
              {"PublicKey", Base64Encode(k.asymmetric->public_key_der())},
              {"CustomerMasterKeySpec", k.spec},
              {"KeySpec", k.spec},
              {"KeyUsage", k.usage}};
  auto enc = core::kms::EncryptionAlgorithmsFor(k.spec, k.usage);
  if (!enc.empty()) out["EncryptionAlgorithms"] = enc;
  auto sig = core::kms::SigningAlgorithmsFor(k.spec, k.usage);
  if (!sig.empty()) out["SigningAlgorithms"] = sig;
  return out;
}

Result<json> KmsService::OpGenerateMac(const json& in, Ctx& c) {
  CK_ASSIGN_OR_RETURN(auto message, DecodeBlob(in, "Message"));
  std::string algorithm = Str(in, "MacAlgorithm");
  CK_ASSIGN_OR_RETURN(auto res, ResolveFor(c, Str(in, "KeyId"), core::kms::RefForms::kAny, true));
  const core::kms::KeyRecord& k = *res.key;
  CK_RETURN_IF_ERROR(Authorize(c, k, "GenerateMac", nullptr, res.alias_name));
  if (Flag(in, "DryRun")) return DryRun();
  CK_RETURN_IF_ERROR(RequireEnabled(k));
  CK_RETURN_IF_ERROR(RequireUsage(k, "GENERATE_VERIFY_MAC", "GenerateMac"));
  if (!Contains(core::kms::MacAlgorithmsFor(k.spec), algorithm)) return AlgorithmMismatch(k, algorithm);
  return json{{"Mac", Base64Encode(core::kms::Hmac(algorithm, k.Current().plain, message))},
              {"MacAlgorithm", algorithm},
              {"KeyId", k.arn}};
}

Result<json> KmsService::OpVerifyMac(const json& in, Ctx& c) {
  CK_ASSIGN_OR_RETURN(auto message, DecodeBlob(in, "Message"));
  CK_ASSIGN_OR_RETURN(auto mac, DecodeBlob(in, "Mac"));
  std::string algorithm = Str(in, "MacAlgorithm");
  CK_ASSIGN_OR_RETURN(auto res, ResolveFor(c, Str(in, "KeyId"), core::kms::RefForms::kAny, true));
  const core::kms::KeyRecord& k = *res.key;
  CK_RETURN_IF_ERROR(Authorize(c, k, "VerifyMac", nullptr, res.alias_name));
  if (Flag(in, "DryRun")) return DryRun();
  CK_RETURN_IF_ERROR(RequireEnabled(k));
  CK_RETURN_IF_ERROR(RequireUsage(k, "GENERATE_VERIFY_MAC", "VerifyMac"));
  if (!Contains(core::kms::MacAlgorithmsFor(k.spec), algorithm)) return AlgorithmMismatch(k, algorithm);
  std::string expected = core::kms::Hmac(algorithm, k.Current().plain, message);
  if (expected.size() != mac.size() || CRYPTO_memcmp(expected.data(), mac.data(), mac.size()) != 0)
    return AwsError("KMSInvalidMacException", 400, "");
  return json{{"KeyId", k.arn}, {"MacValid", true}, {"MacAlgorithm", algorithm}};
}

}  // namespace ck::services
