#include "core/kms/key_import.h"

#include <openssl/evp.h>

#include <gtest/gtest.h>

#include "core/kms/key_material.h"

namespace ck::core::kms {
namespace {

constexpr char kArn[] = "arn:aws:kms:us-east-1:111111111111:key/0b3c8a4e-1d2f-4a5b-9c8d-7e6f5a4b3c2d";
const std::string kMaster(32, 'm');
const TimePoint kNow = TimePoint(std::chrono::seconds(1'700'000'000));

std::string Outcome(const Status& s) { return s.ok() ? "" : std::string(s.aws_code()) + ": " + s.message(); }

// RFC 5649 wrap, as a client does for the RSA_AES_KEY_WRAP_* algorithms.
std::string AesKeyWrapWithPadding(std::string_view kek, std::string_view plain) {
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  EVP_CIPHER_CTX_set_flags(ctx, EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
  std::string out(plain.size() + 16, '\0');
  int n = 0, m = 0;
  auto* o = reinterpret_cast<unsigned char*>(out.data());
  EXPECT_EQ(EVP_EncryptInit_ex(ctx, EVP_aes_256_wrap_pad(), nullptr,
                               reinterpret_cast<const unsigned char*>(kek.data()), nullptr),
            1);
  EXPECT_EQ(EVP_EncryptUpdate(ctx, o, &n, reinterpret_cast<const unsigned char*>(plain.data()),
                              static_cast<int>(plain.size())),
            1);
  EXPECT_EQ(EVP_EncryptFinal_ex(ctx, o + n, &m), 1);
  EVP_CIPHER_CTX_free(ctx);
  out.resize(static_cast<size_t>(n + m));
  return out;
}

ImportParameters Params(const char* algorithm, const char* spec = "RSA_2048") {
  auto p = NewImportParameters(algorithm, spec, kNow + kImportParametersLifetime);
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  return p->first;
}

TEST(KeyImport, TokenCarriesTheParametersForItsKeyOnly) {
  auto made = NewImportParameters("RSAES_OAEP_SHA_256", "RSA_2048", kNow + kImportParametersLifetime);
  ASSERT_TRUE(made.ok());
  const auto& [params, public_key] = *made;
  auto wrapping = AsymmetricKey::Load(params.private_key);
  ASSERT_TRUE(wrapping.ok());
  EXPECT_EQ((*wrapping)->public_key_der(), public_key);

  std::string token = SealImportToken(kMaster, kArn, params);
  EXPECT_EQ(token.find(params.private_key), std::string::npos);  // the wrapping key is sealed
  auto opened = OpenImportToken(kMaster, kArn, token, kNow);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(opened->wrapping_algorithm, "RSAES_OAEP_SHA_256");
  EXPECT_EQ(opened->wrapping_key_spec, "RSA_2048");
  EXPECT_EQ(opened->private_key, params.private_key);
  EXPECT_EQ(opened->valid_to, kNow + kImportParametersLifetime);

  const std::string invalid = "InvalidImportTokenException: Import token is invalid or does not match the KMS key.";
  EXPECT_EQ(Outcome(OpenImportToken(kMaster, std::string(kArn) + "x", token, kNow).status()), invalid);
  EXPECT_EQ(Outcome(OpenImportToken(std::string(32, 'x'), kArn, token, kNow).status()), invalid);
  std::string flipped = token;
  flipped[flipped.size() / 2] ^= 1;
  EXPECT_EQ(Outcome(OpenImportToken(kMaster, kArn, flipped, kNow).status()), invalid);
  EXPECT_EQ(Outcome(OpenImportToken(kMaster, kArn, "short", kNow).status()), invalid);
  // Valid for 24 hours.
  EXPECT_TRUE(OpenImportToken(kMaster, kArn, token, kNow + std::chrono::hours(23)).ok());
  EXPECT_EQ(Outcome(OpenImportToken(kMaster, kArn, token, kNow + std::chrono::hours(24)).status()),
            "ExpiredImportTokenException: Import token is expired.");
}

TEST(KeyImport, WrappingAlgorithmsCrosskeyServes) {
  EXPECT_TRUE(CheckWrapping("RSA_AES_KEY_WRAP_SHA_1", "RSA_3072").ok());
  EXPECT_EQ(CheckWrapping("RSAES_PKCS1_V1_5", "RSA_2048").aws_code(), "ValidationException");
  EXPECT_EQ(CheckWrapping("SM2PKE", "SM2").aws_code(), "ValidationException");
  EXPECT_EQ(CheckWrapping("RSAES_OAEP_SHA_256", "SM2").aws_code(), "ValidationException");
}

TEST(KeyImport, UnwrapsEveryWrappingAlgorithm) {
  const std::string material(32, '\x5a');
  for (const char* alg : {"RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"}) {
    ImportParameters p = Params(alg);
    auto key = AsymmetricKey::Load(p.private_key);
    ASSERT_TRUE(key.ok());
    auto wrapped = (*key)->Encrypt(alg, material);
    ASSERT_TRUE(wrapped.ok());
    auto got = UnwrapKeyMaterial(p, *wrapped);
    ASSERT_TRUE(got.ok()) << alg << " " << got.status().ToString();
    EXPECT_EQ(*got, material);
    // Wrapped with the other hash: does not unwrap.
    auto other = (*key)->Encrypt(std::string_view(alg) == "RSAES_OAEP_SHA_1" ? "RSAES_OAEP_SHA_256" : "RSAES_OAEP_SHA_1",
                                 material);
    EXPECT_EQ(Outcome(UnwrapKeyMaterial(p, *other).status()), "InvalidCiphertextException: ");
  }
  // RSA_AES_KEY_WRAP: RSA-OAEP(AES key) || AES-KWP(material); material longer than RSA-OAEP could carry.
  const std::string pkcs8 = *GenerateMaterial("RSA_2048");
  for (const char* alg : {"RSA_AES_KEY_WRAP_SHA_1", "RSA_AES_KEY_WRAP_SHA_256"}) {
    ImportParameters p = Params(alg, std::string_view(alg).ends_with("SHA_1") ? "RSA_3072" : "RSA_2048");
    auto key = AsymmetricKey::Load(p.private_key);
    ASSERT_TRUE(key.ok());
    std::string aes(32, '\x11');
    auto head = (*key)->Encrypt(std::string_view(alg).ends_with("SHA_1") ? "RSAES_OAEP_SHA_1" : "RSAES_OAEP_SHA_256",
                                aes);
    ASSERT_TRUE(head.ok());
    auto got = UnwrapKeyMaterial(p, *head + AesKeyWrapWithPadding(aes, pkcs8));
    ASSERT_TRUE(got.ok()) << alg << " " << got.status().ToString();
    EXPECT_EQ(*got, pkcs8);
    EXPECT_EQ(Outcome(UnwrapKeyMaterial(p, *head + AesKeyWrapWithPadding(std::string(32, '\x22'), pkcs8)).status()),
              "InvalidCiphertextException: ");
    EXPECT_EQ(Outcome(UnwrapKeyMaterial(p, *head).status()), "InvalidCiphertextException: ");
  }
}

TEST(KeyImport, MaterialMustFitTheKeySpec) {
  auto incorrect = [](const char* spec) {
    return "IncorrectKeyMaterialException: The key material is not valid for a KMS key with key spec " +
           std::string(spec) + ".";
  };
  EXPECT_TRUE(CheckImportedMaterial("SYMMETRIC_DEFAULT", std::string(32, 'a')).ok());
  EXPECT_EQ(Outcome(CheckImportedMaterial("SYMMETRIC_DEFAULT", std::string(16, 'a')).status()),
            incorrect("SYMMETRIC_DEFAULT"));
  // HMAC: from the digest size to the block size.
  const std::tuple<const char*, size_t, size_t> hmac[] = {
      {"HMAC_224", 28, 64}, {"HMAC_256", 32, 64}, {"HMAC_384", 48, 128}, {"HMAC_512", 64, 128}};
  for (const auto& [spec, min, max] : hmac) {
    EXPECT_TRUE(CheckImportedMaterial(spec, std::string(min, 'k')).ok()) << spec;
    EXPECT_TRUE(CheckImportedMaterial(spec, std::string(max, 'k')).ok()) << spec;
    EXPECT_EQ(Outcome(CheckImportedMaterial(spec, std::string(min - 1, 'k')).status()), incorrect(spec));
    EXPECT_EQ(Outcome(CheckImportedMaterial(spec, std::string(max + 1, 'k')).status()), incorrect(spec));
  }
  // Asymmetric: a PKCS#8 private key of the spec's size or curve.
  for (const char* spec : {"ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521", "ECC_SECG_P256K1", "RSA_2048"}) {
    auto der = GenerateMaterial(spec);
    ASSERT_TRUE(der.ok());
    auto kept = CheckImportedMaterial(spec, *der);
    ASSERT_TRUE(kept.ok()) << spec << " " << kept.status().ToString();
    EXPECT_TRUE(AsymmetricKey::Load(*kept).ok());
  }
  EXPECT_EQ(Outcome(CheckImportedMaterial("ECC_NIST_P384", *GenerateMaterial("ECC_NIST_P256")).status()),
            incorrect("ECC_NIST_P384"));
  EXPECT_EQ(Outcome(CheckImportedMaterial("RSA_3072", *GenerateMaterial("RSA_2048")).status()), incorrect("RSA_3072"));
  EXPECT_EQ(Outcome(CheckImportedMaterial("RSA_2048", *GenerateMaterial("ECC_NIST_P256")).status()),
            incorrect("RSA_2048"));
  EXPECT_EQ(Outcome(CheckImportedMaterial("ECC_NIST_P256", std::string(100, 'x')).status()), incorrect("ECC_NIST_P256"));
  EXPECT_EQ(Outcome(CheckImportedMaterial("ECC_NIST_P256", *GenerateMaterial("ECC_NIST_P256") + "x").status()),
            incorrect("ECC_NIST_P256"));
}

TEST(KeyImport, MaterialIdsFollowKeyAndMaterial) {
  std::string id = ImportedMaterialId("key-1", std::string(32, 'a'));
  EXPECT_EQ(id.size(), 64u);
  EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(ImportedMaterialId("key-1", std::string(32, 'a')), id);
  EXPECT_NE(ImportedMaterialId("key-2", std::string(32, 'a')), id);
  EXPECT_NE(ImportedMaterialId("key-1", std::string(32, 'b')), id);
}

}  // namespace
}  // namespace ck::core::kms
