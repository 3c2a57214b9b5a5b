#include "core/kms/key_material.h"

#include <gtest/gtest.h>

#include "core/kms/key_model.h"
#include "core/kms/policies.h"
#include "core/iam/policy_document.h"

namespace ck::core::kms {
namespace {

TEST(KeyMaterialTest, RsaEncryptDecryptAndSignVerify) {
  auto der = GenerateMaterial("RSA_2048");
  ASSERT_TRUE(der.ok()) << der.status().ToString();
  auto key = AsymmetricKey::Load(*der);
  ASSERT_TRUE(key.ok());
  auto ct = (*key)->Encrypt("RSAES_OAEP_SHA_256", "hello");
  ASSERT_TRUE(ct.ok());
  auto pt = (*key)->Decrypt("RSAES_OAEP_SHA_256", *ct);
  ASSERT_TRUE(pt.ok());
  EXPECT_EQ(*pt, "hello");
  EXPECT_FALSE((*key)->Decrypt("RSAES_OAEP_SHA_1", *ct).ok());
  for (const char* alg : {"RSASSA_PSS_SHA_256", "RSASSA_PKCS1_V1_5_SHA_512"}) {
    auto sig = (*key)->Sign(alg, "msg", false);
    ASSERT_TRUE(sig.ok());
    EXPECT_TRUE(*(*key)->Verify(alg, "msg", false, *sig));
    EXPECT_FALSE(*(*key)->Verify(alg, "msg2", false, *sig));
  }
}

TEST(KeyMaterialTest, EccCurvesIncludingSecp256k1) {
  for (const char* spec : {"ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521", "ECC_SECG_P256K1"}) {
    auto der = GenerateMaterial(spec);
    ASSERT_TRUE(der.ok()) << spec;
    auto key = AsymmetricKey::Load(*der);
    ASSERT_TRUE(key.ok());
    std::string alg = SigningAlgorithmsFor(spec, "SIGN_VERIFY").at(0);
    auto sig = (*key)->Sign(alg, "m", false);
    ASSERT_TRUE(sig.ok()) << spec;
    EXPECT_TRUE(*(*key)->Verify(alg, "m", false, *sig)) << spec;
    EXPECT_FALSE((*key)->public_key_der().empty());
  }
}

TEST(KeyMaterialTest, UsagesPerSpec) {
  EXPECT_EQ(AllowedUsages("ECC_NIST_P256"), (std::vector<std::string>{"SIGN_VERIFY", "KEY_AGREEMENT"}));
  EXPECT_EQ(AllowedUsages("ECC_SECG_P256K1"), std::vector<std::string>{"SIGN_VERIFY"});
  EXPECT_EQ(AllowedUsages("HMAC_256"), std::vector<std::string>{"GENERATE_VERIFY_MAC"});
  EXPECT_TRUE(AllowedUsages("SM2").empty());
  EXPECT_EQ(GenerateMaterial("HMAC_384")->size(), 48u);
  EXPECT_EQ(Hmac("HMAC_SHA_256", "k", "m").size(), 32u);
}

TEST(KeyMaterialTest, EcdhDerivesOneSecretForBothPeers) {
  for (const char* spec : {"ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521"}) {
    auto a = AsymmetricKey::Load(*GenerateMaterial(spec));
    auto b = AsymmetricKey::Load(*GenerateMaterial(spec));
    ASSERT_TRUE(a.ok() && b.ok());
    auto ab = (*a)->DeriveSharedSecret((*b)->public_key_der());
    auto ba = (*b)->DeriveSharedSecret((*a)->public_key_der());
    ASSERT_TRUE(ab.ok() && ba.ok()) << spec;
    EXPECT_EQ(*ab, *ba) << spec;
    EXPECT_EQ(ab->size(), spec == std::string("ECC_NIST_P521") ? 66u : spec == std::string("ECC_NIST_P384") ? 48u : 32u);
  }
  auto p256 = AsymmetricKey::Load(*GenerateMaterial("ECC_NIST_P256"));
  auto p384 = AsymmetricKey::Load(*GenerateMaterial("ECC_NIST_P384"));
  // A peer key that does not parse, or is on another curve: ValidationException with no text (recorded).
  auto garbage = (*p256)->DeriveSharedSecret("InvalidPublicKey");
  EXPECT_EQ(garbage.status().aws_code(), "ValidationException");
  EXPECT_EQ(garbage.status().message(), "");
  EXPECT_EQ((*p256)->DeriveSharedSecret((*p384)->public_key_der()).status().aws_code(), "ValidationException");
}

// Recorded: "Algorithm RSAES_OAEP_SHA_1 and key spec RSA_2048 cannot encrypt data larger than 214 bytes."
TEST(KeyMaterialTest, RsaOaepPlaintextLimits) {
  const std::tuple<const char*, const char*, size_t> limits[] = {
      {"RSA_2048", "RSAES_OAEP_SHA_1", 214}, {"RSA_2048", "RSAES_OAEP_SHA_256", 190},
      {"RSA_3072", "RSAES_OAEP_SHA_1", 342}, {"RSA_3072", "RSAES_OAEP_SHA_256", 318},
      {"RSA_4096", "RSAES_OAEP_SHA_1", 470}, {"RSA_4096", "RSAES_OAEP_SHA_256", 446}};
  for (const auto& [spec, alg, max] : limits) EXPECT_EQ(MaxPlaintextSize(spec, alg), max) << spec << alg;
  auto key = AsymmetricKey::Load(*GenerateMaterial("RSA_2048"));
  EXPECT_TRUE((*key)->Encrypt("RSAES_OAEP_SHA_1", std::string(214, 'x')).ok());
}

TEST(KeyMaterialTest, WrappedMaterialIsBoundToKeyAndVersion) {
  std::string master(32, 'm');
  std::string w = WrapMaterial(master, "arn:a", 1, "material");
  EXPECT_EQ(*UnwrapMaterial(master, "arn:a", 1, w), "material");
  EXPECT_FALSE(UnwrapMaterial(master, "arn:b", 1, w).ok());
  EXPECT_FALSE(UnwrapMaterial(master, "arn:a", 2, w).ok());
  EXPECT_FALSE(UnwrapMaterial(std::string(32, 'x'), "arn:a", 1, w).ok());
  EXPECT_EQ(w.find("material"), std::string::npos);
}

TEST(KeyPoliciesTest, DefaultAndManagedPoliciesParseAsKeyPolicies) {
  std::string def = DefaultKeyPolicy("111111111111");
  EXPECT_NE(def.find("\"Id\" : \"key-default-1\""), std::string::npos);
  EXPECT_NE(def.find("Enable IAM User Permissions"), std::string::npos);
  EXPECT_TRUE(iam::ParsePolicy(def, iam::PolicyKind::kKeyPolicy).ok());
  const ManagedAlias* s3 = FindManagedAlias("alias/aws/s3");
  ASSERT_NE(s3, nullptr);
  std::string managed = ManagedKeyPolicy(*s3, "111111111111", "us-east-1");
  EXPECT_NE(managed.find("s3.us-east-1.amazonaws.com"), std::string::npos);
  EXPECT_TRUE(iam::ParsePolicy(managed, iam::PolicyKind::kKeyPolicy).ok());
  EXPECT_EQ(FindManagedAlias("alias/aws/nope"), nullptr);
}

}  // namespace
}  // namespace ck::core::kms
