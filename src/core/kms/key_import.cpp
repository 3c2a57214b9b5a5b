#include "core/kms/key_import.h"

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>

#include "base/codec.h"
#include "core/kms/errors.h"
#include "core/kms/key_material.h"
#include "crypto/aead.h"
#include "crypto/hash.h"

namespace ck::core::kms {

namespace {

constexpr char kTokenAad[] = "crosskey-kms-import-token-v1\n";
constexpr uint8_t kTokenVersion = 1;

const unsigned char* U(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;

bool IsRsaAesKeyWrap(std::string_view algorithm) { return algorithm.starts_with("RSA_AES_KEY_WRAP_"); }

// The RSAES-OAEP algorithm that carries the material (RSAES_*) or the AES key (RSA_AES_*).
std::string_view OaepOf(std::string_view algorithm) {
  return algorithm.ends_with("SHA_1") ? "RSAES_OAEP_SHA_1" : "RSAES_OAEP_SHA_256";
}

void AppendShort(std::string* out, std::string_view s) {
  out->push_back(static_cast<char>(s.size()));
  out->append(s);
}

bool ReadShort(std::string_view* in, std::string* out) {
  if (in->empty()) return false;
  size_t n = static_cast<unsigned char>((*in)[0]);
  if (in->size() < 1 + n) return false;
  out->assign(in->substr(1, n));
  in->remove_prefix(1 + n);
  return true;
}

// RFC 5649 AES key wrap with padding, unwrapping with a 256-bit key.
std::optional<std::string> AesKeyUnwrapWithPadding(std::string_view kek, std::string_view wrapped) {
  if (kek.size() != 32 || wrapped.size() < 16 || wrapped.size() % 8 != 0) return std::nullopt;
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  if (!ctx) return std::nullopt;
  EVP_CIPHER_CTX_set_flags(ctx, EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
  std::string out(wrapped.size() + 16, '\0');
  int n = 0, m = 0;
  bool ok = EVP_DecryptInit_ex(ctx, EVP_aes_256_wrap_pad(), nullptr, U(kek), nullptr) == 1 &&
            EVP_DecryptUpdate(ctx, reinterpret_cast<unsigned char*>(out.data()), &n, U(wrapped),
                              static_cast<int>(wrapped.size())) == 1 &&
            EVP_DecryptFinal_ex(ctx, reinterpret_cast<unsigned char*>(out.data()) + n, &m) == 1;
  EVP_CIPHER_CTX_free(ctx);
  if (!ok) return std::nullopt;
  out.resize(static_cast<size_t>(n + m));
  return out;
}

// The OpenSSL group name of an ECC key spec's curve.
const char* GroupOf(std::string_view spec) {
  if (spec == "ECC_NIST_P256") return "prime256v1";
  if (spec == "ECC_NIST_P384") return "secp384r1";
  if (spec == "ECC_NIST_P521") return "secp521r1";
  if (spec == "ECC_SECG_P256K1") return "secp256k1";
  return nullptr;
}

// INFERRED wording: AWS's text for material that does not fit the key spec was not found.
Status NotForSpec(std::string_view spec) {
  return errors::IncorrectKeyMaterial("The key material is not valid for a KMS key with key spec " +
                                      std::string(spec) + ".");
}

Result<std::string> CheckPrivateKey(std::string_view spec, std::string_view der) {
  const unsigned char* p = U(der);
  PKCS8_PRIV_KEY_INFO* p8 = d2i_PKCS8_PRIV_KEY_INFO(nullptr, &p, static_cast<long>(der.size()));
  if (!p8 || p != U(der) + der.size()) {
    PKCS8_PRIV_KEY_INFO_free(p8);
    return NotForSpec(spec);
  }
  PkeyPtr pkey(EVP_PKCS82PKEY(p8));
  PKCS8_PRIV_KEY_INFO_free(p8);
  if (!pkey) return NotForSpec(spec);
  if (FamilyOf(spec) == SpecFamily::kRsa) {
    if (!EVP_PKEY_is_a(pkey.get(), "RSA") || EVP_PKEY_get_bits(pkey.get()) != RsaBits(spec)) return NotForSpec(spec);
  } else {
    char group[64] = {0};
    size_t len = 0;
    if (!EVP_PKEY_is_a(pkey.get(), "EC") ||
        EVP_PKEY_get_group_name(pkey.get(), group, sizeof(group), &len) != 1 || std::string_view(group, len) != GroupOf(spec))
      return NotForSpec(spec);
  }
  // Re-encoded, so that reimporting the same key in another encoding is the same material.
  unsigned char* buf = nullptr;
  PKCS8_PRIV_KEY_INFO* out = EVP_PKEY2PKCS8(pkey.get());
  int n = out ? i2d_PKCS8_PRIV_KEY_INFO(out, &buf) : 0;
  PKCS8_PRIV_KEY_INFO_free(out);
  if (n <= 0) return NotForSpec(spec);
  std::string canonical(reinterpret_cast<char*>(buf), static_cast<size_t>(n));
  OPENSSL_free(buf);
  return canonical;
}

}  // namespace

Status CheckWrapping(std::string_view algorithm, std::string_view key_spec) {
  // INFERRED wordings: AWS documents that it stopped serving RSAES_PKCS1_V1_5
  // on 2023-10-10 and serves SM2 only in its China Regions; its texts were not found.
  if (algorithm == "RSAES_PKCS1_V1_5")
    return errors::Validation("The wrapping algorithm RSAES_PKCS1_V1_5 is no longer supported.");
  if (algorithm == "SM2PKE" || key_spec == "SM2")
    return errors::Validation("The SM2 wrapping key spec and SM2PKE wrapping algorithm are supported only in China Regions.");
  return Status::Ok();
}

Result<std::pair<ImportParameters, std::string>> NewImportParameters(std::string_view algorithm,
                                                                     std::string_view key_spec, TimePoint valid_to) {
  CK_RETURN_IF_ERROR(CheckWrapping(algorithm, key_spec));
  ImportParameters p;
  p.wrapping_algorithm = std::string(algorithm);
  p.wrapping_key_spec = std::string(key_spec);
  p.valid_to = std::chrono::time_point_cast<std::chrono::seconds>(valid_to);
  CK_ASSIGN_OR_RETURN(p.private_key, GenerateMaterial(key_spec));
  CK_ASSIGN_OR_RETURN(auto key, AsymmetricKey::Load(p.private_key));
  std::string public_key = key->public_key_der();
  return std::make_pair(std::move(p), std::move(public_key));
}

std::string SealImportToken(std::string_view master_key, const std::string& key_arn, const ImportParameters& p) {
  std::string plain;
  plain.push_back(static_cast<char>(kTokenVersion));
  uint64_t t = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(p.valid_to.time_since_epoch()).count());
  for (int i = 7; i >= 0; --i) plain.push_back(static_cast<char>((t >> (8 * i)) & 0xff));
  AppendShort(&plain, p.wrapping_algorithm);
  AppendShort(&plain, p.wrapping_key_spec);
  plain.append(p.private_key);
  std::string out;
  crypto::AesGcmSeal(master_key, crypto::RandomBytes(crypto::kAesGcmIvSize), kTokenAad + key_arn, plain, &out);
  return out;
}

Result<ImportParameters> OpenImportToken(std::string_view master_key, const std::string& key_arn,
                                         std::string_view token, TimePoint now) {
  // INFERRED wordings: AWS's texts for these two exceptions were not found.
  Status invalid = errors::InvalidImportToken("Import token is invalid or does not match the KMS key.");
  auto plain = crypto::AesGcmOpen(master_key, kTokenAad + key_arn, token);
  if (!plain || plain->size() < 9 || static_cast<uint8_t>((*plain)[0]) != kTokenVersion) return invalid;
  std::string_view in(*plain);
  uint64_t t = 0;
  for (int i = 1; i <= 8; ++i) t = (t << 8) | static_cast<unsigned char>(in[i]);
  in.remove_prefix(9);
  ImportParameters p;
  if (!ReadShort(&in, &p.wrapping_algorithm) || !ReadShort(&in, &p.wrapping_key_spec) || in.empty()) return invalid;
  p.private_key = std::string(in);
  p.valid_to = TimePoint(std::chrono::seconds(static_cast<int64_t>(t)));
  if (now >= p.valid_to) return errors::ExpiredImportToken("Import token is expired.");
  return p;
}

Result<std::string> UnwrapKeyMaterial(const ImportParameters& p, std::string_view encrypted) {
  CK_ASSIGN_OR_RETURN(auto key, AsymmetricKey::Load(p.private_key));
  if (!IsRsaAesKeyWrap(p.wrapping_algorithm)) return key->Decrypt(OaepOf(p.wrapping_algorithm), encrypted);
  size_t k = static_cast<size_t>(RsaBits(p.wrapping_key_spec) / 8);
  if (encrypted.size() <= k) return errors::InvalidCiphertext("");
  CK_ASSIGN_OR_RETURN(auto aes_key, key->Decrypt(OaepOf(p.wrapping_algorithm), encrypted.substr(0, k)));
  auto material = AesKeyUnwrapWithPadding(aes_key, encrypted.substr(k));
  if (!material) return errors::InvalidCiphertext("");
  return std::move(*material);
}

Result<std::string> CheckImportedMaterial(std::string_view spec, std::string_view material) {
  switch (FamilyOf(spec)) {
    case SpecFamily::kSymmetric:
      if (material.size() != 32) return NotForSpec(spec);
      return std::string(material);
    case SpecFamily::kHmac: {
      size_t bits = static_cast<size_t>(std::stoi(std::string(spec.substr(5))));
      size_t min = bits / 8, max = bits <= 256 ? 64 : 128;  // the digest's block size
      if (material.size() < min || material.size() > max) return NotForSpec(spec);
      return std::string(material);
    }
    case SpecFamily::kRsa:
    case SpecFamily::kEcc: return CheckPrivateKey(spec, material);
    default: return NotForSpec(spec);
  }
}

std::string ImportedMaterialId(std::string_view key_id, std::string_view material) {
  return HexEncode(crypto::HmacSha256(material, key_id));
}

}  // namespace ck::core::kms
