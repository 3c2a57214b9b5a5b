#include "core/kms/key_material.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "core/kms/errors.h"
#include "crypto/hash.h"

namespace ck::core::kms {

namespace {

EVP_PKEY* P(void* p) { return static_cast<EVP_PKEY*>(p); }
const unsigned char* U(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

const char* CurveOf(std::string_view spec) {
  if (spec == "ECC_NIST_P256") return "P-256";
  if (spec == "ECC_NIST_P384") return "P-384";
  if (spec == "ECC_NIST_P521") return "P-521";
  if (spec == "ECC_SECG_P256K1") return "secp256k1";
  return nullptr;
}

const EVP_MD* DigestOfSigning(std::string_view alg) {
  if (alg.ends_with("SHA_256")) return EVP_sha256();
  if (alg.ends_with("SHA_384")) return EVP_sha384();
  if (alg.ends_with("SHA_512")) return EVP_sha512();
  return nullptr;
}

const EVP_MD* DigestOfMac(std::string_view alg) {
  if (alg == "HMAC_SHA_224") return EVP_sha224();
  if (alg == "HMAC_SHA_256") return EVP_sha256();
  if (alg == "HMAC_SHA_384") return EVP_sha384();
  if (alg == "HMAC_SHA_512") return EVP_sha512();
  return nullptr;
}

Result<std::string> ToPkcs8(EVP_PKEY* pkey) {
  unsigned char* buf = nullptr;
  int n = i2d_PrivateKey(pkey, &buf);
  if (n <= 0) return Internal("cannot encode private key");
  std::string out(reinterpret_cast<char*>(buf), n);
  OPENSSL_free(buf);
  // i2d_PrivateKey writes the traditional format for RSA/EC; convert to PKCS#8.
  PKCS8_PRIV_KEY_INFO* p8 = EVP_PKEY2PKCS8(pkey);
  if (!p8) return out;
  buf = nullptr;
  n = i2d_PKCS8_PRIV_KEY_INFO(p8, &buf);
  PKCS8_PRIV_KEY_INFO_free(p8);
  if (n <= 0) return out;
  out.assign(reinterpret_cast<char*>(buf), n);
  OPENSSL_free(buf);
  return out;
}

std::string PublicDer(EVP_PKEY* pkey) {
  unsigned char* buf = nullptr;
  int n = i2d_PUBKEY(pkey, &buf);
  if (n <= 0) return "";
  std::string out(reinterpret_cast<char*>(buf), n);
  OPENSSL_free(buf);
  return out;
}

EVP_PKEY* Keygen(std::string_view spec) {
  if (spec.starts_with("RSA_")) return EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(RsaBits(spec)));
  if (const char* curve = CurveOf(spec)) return EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", curve);
  return nullptr;
}

}  // namespace

SpecFamily FamilyOf(std::string_view s) {
  if (s == "SYMMETRIC_DEFAULT") return SpecFamily::kSymmetric;
  if (s == "RSA_2048" || s == "RSA_3072" || s == "RSA_4096") return SpecFamily::kRsa;
  if (CurveOf(s)) return SpecFamily::kEcc;
  if (s == "HMAC_224" || s == "HMAC_256" || s == "HMAC_384" || s == "HMAC_512") return SpecFamily::kHmac;
  return SpecFamily::kUnsupported;
}

int RsaBits(std::string_view s) { return s == "RSA_2048" ? 2048 : s == "RSA_3072" ? 3072 : s == "RSA_4096" ? 4096 : 0; }

std::vector<std::string> AllowedUsages(std::string_view s) {
  switch (FamilyOf(s)) {
    case SpecFamily::kSymmetric: return {"ENCRYPT_DECRYPT"};
    case SpecFamily::kRsa: return {"ENCRYPT_DECRYPT", "SIGN_VERIFY"};
    case SpecFamily::kEcc:
      if (s == "ECC_SECG_P256K1") return {"SIGN_VERIFY"};
      return {"SIGN_VERIFY", "KEY_AGREEMENT"};
    case SpecFamily::kHmac: return {"GENERATE_VERIFY_MAC"};
    default: return {};
  }
}

std::vector<std::string> EncryptionAlgorithmsFor(std::string_view s, std::string_view usage) {
  if (usage != "ENCRYPT_DECRYPT") return {};
  if (FamilyOf(s) == SpecFamily::kSymmetric) return {"SYMMETRIC_DEFAULT"};
  if (FamilyOf(s) == SpecFamily::kRsa) return {"RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"};
  return {};
}

std::vector<std::string> SigningAlgorithmsFor(std::string_view s, std::string_view usage) {
  if (usage != "SIGN_VERIFY") return {};
  if (FamilyOf(s) == SpecFamily::kRsa)
    return {"RSASSA_PKCS1_V1_5_SHA_256", "RSASSA_PKCS1_V1_5_SHA_384", "RSASSA_PKCS1_V1_5_SHA_512",
            "RSASSA_PSS_SHA_256",        "RSASSA_PSS_SHA_384",        "RSASSA_PSS_SHA_512"};
  if (s == "ECC_NIST_P384") return {"ECDSA_SHA_384"};
  if (s == "ECC_NIST_P521") return {"ECDSA_SHA_512"};
  if (FamilyOf(s) == SpecFamily::kEcc) return {"ECDSA_SHA_256"};
  return {};
}

std::vector<std::string> MacAlgorithmsFor(std::string_view s) {
  if (FamilyOf(s) != SpecFamily::kHmac) return {};
  return {"HMAC_SHA_" + std::string(s.substr(5))};
}

std::vector<std::string> KeyAgreementAlgorithmsFor(std::string_view s, std::string_view usage) {
  if (usage != "KEY_AGREEMENT" || FamilyOf(s) != SpecFamily::kEcc) return {};
  return {"ECDH"};
}

size_t MaxPlaintextSize(std::string_view s, std::string_view algorithm) {
  size_t k = static_cast<size_t>(RsaBits(s) / 8);
  size_t h = algorithm == "RSAES_OAEP_SHA_1" ? 20 : 32;
  return k > 2 * h + 2 ? k - 2 * h - 2 : 0;
}

Result<std::string> GenerateMaterial(std::string_view spec) {
  switch (FamilyOf(spec)) {
    case SpecFamily::kSymmetric: return crypto::RandomBytes(32);
    case SpecFamily::kHmac: return crypto::RandomBytes(static_cast<size_t>(std::stoi(std::string(spec.substr(5))) / 8));
    case SpecFamily::kRsa:
    case SpecFamily::kEcc: {
      EVP_PKEY* pkey = Keygen(spec);
      if (!pkey) return Internal("key generation failed for " + std::string(spec));
      auto der = ToPkcs8(pkey);
      EVP_PKEY_free(pkey);
      return der;
    }
    default: return errors::UnsupportedOperation(std::string(spec) + " is not supported.");
  }
}

Result<std::pair<std::string, std::string>> GenerateKeyPair(std::string_view spec) {
  EVP_PKEY* pkey = Keygen(spec);
  if (!pkey) return errors::UnsupportedOperation(std::string(spec) + " is not supported.");
  auto der = ToPkcs8(pkey);
  std::string pub = PublicDer(pkey);
  EVP_PKEY_free(pkey);
  if (!der.ok()) return der.status();
  return std::make_pair(std::move(*der), std::move(pub));
}

Result<std::shared_ptr<const AsymmetricKey>> AsymmetricKey::Load(std::string_view der) {
  const unsigned char* p = U(der);
  EVP_PKEY* pkey = d2i_AutoPrivateKey(nullptr, &p, static_cast<long>(der.size()));
  if (!pkey) return DataLoss("stored private key does not parse");
  std::shared_ptr<AsymmetricKey> k(new AsymmetricKey());
  k->pkey_ = pkey;
  k->public_der_ = PublicDer(pkey);
  return std::shared_ptr<const AsymmetricKey>(std::move(k));
}

AsymmetricKey::~AsymmetricKey() { EVP_PKEY_free(P(pkey_)); }

Result<std::string> AsymmetricKey::Encrypt(std::string_view alg, std::string_view plaintext) const {
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(P(pkey_), nullptr);
  std::string out;
  size_t n = 0;
  bool ok = ctx && EVP_PKEY_encrypt_init(ctx) == 1 && EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_OAEP_PADDING) == 1 &&
            EVP_PKEY_CTX_set_rsa_oaep_md(ctx, alg == "RSAES_OAEP_SHA_1" ? EVP_sha1() : EVP_sha256()) == 1 &&
            EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, alg == "RSAES_OAEP_SHA_1" ? EVP_sha1() : EVP_sha256()) == 1 &&
            EVP_PKEY_encrypt(ctx, nullptr, &n, U(plaintext), plaintext.size()) == 1;
  if (ok) {
    out.resize(n);
    ok = EVP_PKEY_encrypt(ctx, reinterpret_cast<unsigned char*>(out.data()), &n, U(plaintext), plaintext.size()) == 1;
    out.resize(n);
  }
  EVP_PKEY_CTX_free(ctx);
  if (!ok)
    return errors::Validation("Plaintext is too long for the key spec and encryption algorithm.");
  return out;
}

Result<std::string> AsymmetricKey::Decrypt(std::string_view alg, std::string_view ciphertext) const {
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(P(pkey_), nullptr);
  std::string out;
  size_t n = 0;
  bool ok = ctx && EVP_PKEY_decrypt_init(ctx) == 1 && EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_OAEP_PADDING) == 1 &&
            EVP_PKEY_CTX_set_rsa_oaep_md(ctx, alg == "RSAES_OAEP_SHA_1" ? EVP_sha1() : EVP_sha256()) == 1 &&
            EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, alg == "RSAES_OAEP_SHA_1" ? EVP_sha1() : EVP_sha256()) == 1 &&
            EVP_PKEY_decrypt(ctx, nullptr, &n, U(ciphertext), ciphertext.size()) == 1;
  if (ok) {
    out.resize(n);
    ok = EVP_PKEY_decrypt(ctx, reinterpret_cast<unsigned char*>(out.data()), &n, U(ciphertext), ciphertext.size()) == 1;
    out.resize(n);
  }
  EVP_PKEY_CTX_free(ctx);
  if (!ok) return errors::InvalidCiphertext("");
  return out;
}

size_t DigestSizeOf(std::string_view alg) {
  const EVP_MD* md = DigestOfSigning(alg);
  return md ? static_cast<size_t>(EVP_MD_get_size(md)) : 0;
}

namespace {

// A PKEY context set up for signing/verifying a precomputed digest.
EVP_PKEY_CTX* DigestCtx(EVP_PKEY* pkey, std::string_view alg, bool sign) {
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(pkey, nullptr);
  if (!ctx) return nullptr;
  bool ok = (sign ? EVP_PKEY_sign_init(ctx) : EVP_PKEY_verify_init(ctx)) == 1 &&
            EVP_PKEY_CTX_set_signature_md(ctx, DigestOfSigning(alg)) == 1;
  if (ok && alg.starts_with("RSASSA_PSS")) {
    ok = EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PSS_PADDING) == 1 &&
         EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, RSA_PSS_SALTLEN_DIGEST) == 1;
  } else if (ok && alg.starts_with("RSASSA_PKCS1")) {
    ok = EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) == 1;
  }
  if (!ok) {
    EVP_PKEY_CTX_free(ctx);
    return nullptr;
  }
  return ctx;
}

std::string DigestOf(std::string_view alg, std::string_view message) {
  const EVP_MD* md = DigestOfSigning(alg);
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(message.data(), message.size(), out, &n, md, nullptr);
  return std::string(reinterpret_cast<char*>(out), n);
}

}  // namespace

Result<std::string> AsymmetricKey::Sign(std::string_view alg, std::string_view message, bool is_digest) const {
  std::string digest = is_digest ? std::string(message) : DigestOf(alg, message);
  EVP_PKEY_CTX* ctx = DigestCtx(P(pkey_), alg, true);
  if (!ctx) return Internal("cannot set up signing");
  size_t n = 0;
  std::string sig;
  bool ok = EVP_PKEY_sign(ctx, nullptr, &n, U(digest), digest.size()) == 1;
  if (ok) {
    sig.resize(n);
    ok = EVP_PKEY_sign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &n, U(digest), digest.size()) == 1;
    sig.resize(n);
  }
  EVP_PKEY_CTX_free(ctx);
  if (!ok) return Internal("signing failed");
  return sig;
}

Result<bool> AsymmetricKey::Verify(std::string_view alg, std::string_view message, bool is_digest,
                                   std::string_view signature) const {
  std::string digest = is_digest ? std::string(message) : DigestOf(alg, message);
  EVP_PKEY_CTX* ctx = DigestCtx(P(pkey_), alg, false);
  if (!ctx) return Internal("cannot set up verification");
  bool ok = EVP_PKEY_verify(ctx, U(signature), signature.size(), U(digest), digest.size()) == 1;
  EVP_PKEY_CTX_free(ctx);
  return ok;
}

Result<std::string> AsymmetricKey::DeriveSharedSecret(std::string_view peer_der) const {
  const unsigned char* p = U(peer_der);
  EVP_PKEY* peer = d2i_PUBKEY(nullptr, &p, static_cast<long>(peer_der.size()));
  if (!peer || p != U(peer_der) + peer_der.size()) {
    EVP_PKEY_free(peer);
    return errors::Validation("");
  }
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(P(pkey_), nullptr);
  std::string secret;
  size_t n = 0;
  bool ok = ctx && EVP_PKEY_derive_init(ctx) == 1 && EVP_PKEY_derive_set_peer(ctx, peer) == 1 &&
            EVP_PKEY_derive(ctx, nullptr, &n) == 1;
  if (ok) {
    secret.resize(n);
    ok = EVP_PKEY_derive(ctx, reinterpret_cast<unsigned char*>(secret.data()), &n) == 1;
    secret.resize(n);
  }
  EVP_PKEY_CTX_free(ctx);
  EVP_PKEY_free(peer);
  // INFERRED: a key on another curve gets the same answer as one that does not parse.
  if (!ok) return errors::Validation("");
  return secret;
}

std::string Hmac(std::string_view alg, std::string_view key, std::string_view message) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  HMAC(DigestOfMac(alg), key.data(), static_cast<int>(key.size()), U(message), message.size(), out, &n);
  return std::string(reinterpret_cast<char*>(out), n);
}

}  // namespace ck::core::kms
