// The KMS engine end to end in-process: the preamble's order (resolve →
// authorize → DryRun → state → usage → algorithm) as operations see it, the
// typed entry points config seeding uses, and the operation table.
#include "services/kms/kms_engine.h"

#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <gtest/gtest.h>

#include "services/authorizer.h"
#include "services/cloudtrail/event_recorder.h"
#include "services/iam/identity_store.h"
#include "services/kms/kms_api.h"
#include "storage/memory_metadata_store.h"

namespace ck::services::kms {
namespace {

namespace ak = api::kms;
namespace ops = api::kms::ops;

constexpr char kA1[] = "111111111111";
constexpr char kA2[] = "222222222222";

struct World {
  FakeClock clock{std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now())};
  std::unique_ptr<storage::MetadataStore> meta = storage::NewMemoryMetadataStore();
  IdentityStore identities{*meta};
  PolicyAuthorizer authorizer{identities, clock};
  cloudtrail::EventRecorder events{*meta};
  KmsEngine kms{*meta, authorizer, events, clock, std::string(32, 'm')};

  World() { EXPECT_TRUE(kms.Start().ok()); }

  static KmsCaller Root(const std::string& account) {
    KmsCaller c;
    c.principal = Principal::Root(account);
    c.region = "us-east-1";
    return c;
  }
  std::string NewKey(const std::string& spec = "SYMMETRIC_DEFAULT", const std::string& usage = "ENCRYPT_DECRYPT") {
    ak::CreateKeyRequest in;
    in.key_spec = EnumValue<ak::KeySpec>::Parse(spec);
    in.key_usage = EnumValue<ak::KeyUsageType>::Parse(usage);
    auto out = kms.CreateKey(in, Root(kA1));
    EXPECT_TRUE(out.ok()) << out.status().ToString();
    return out.ok() ? *out->key_metadata->arn : "";
  }
  void Disable(const std::string& arn) {
    ak::DisableKeyRequest in;
    in.key_id = arn;
    ASSERT_TRUE((kms.Run<ops::DisableKey, &KeyOps::DisableKey>(in, Root(kA1))).ok());
  }
  Status Encrypt(const std::string& key, bool dry_run, const char* algorithm = nullptr) {
    ak::EncryptRequest in;
    in.key_id = key;
    in.plaintext = "hello";
    if (dry_run) in.dry_run = true;
    if (algorithm) in.encryption_algorithm = EnumValue<ak::EncryptionAlgorithmSpec>::Parse(algorithm);
    return kms.Run<ops::Encrypt, &CryptoOps::Encrypt>(in, Root(kA1)).status();
  }
};

std::string Outcome(const Status& s, const std::string& arn = "") {
  if (s.ok()) return "OK";
  std::string m = s.message();
  if (!arn.empty())
    for (size_t at; (at = m.find(arn)) != std::string::npos;) m.replace(at, arn.size(), "ARN");
  return s.aws_code() + ": " + m;
}

// The client side of key import: RSAES_OAEP_SHA_256 under the wrapping public key (SPKI DER).
std::string WrapForImport(std::string_view spki, std::string_view material) {
  const auto* p = reinterpret_cast<const unsigned char*>(spki.data());
  EVP_PKEY* pub = d2i_PUBKEY(nullptr, &p, static_cast<long>(spki.size()));
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(pub, nullptr);
  size_t n = 0;
  const auto* in = reinterpret_cast<const unsigned char*>(material.data());
  EXPECT_EQ(EVP_PKEY_encrypt_init(ctx), 1);
  EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_OAEP_PADDING);
  EVP_PKEY_CTX_set_rsa_oaep_md(ctx, EVP_sha256());
  EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, EVP_sha256());
  EXPECT_EQ(EVP_PKEY_encrypt(ctx, nullptr, &n, in, material.size()), 1);
  std::string out(n, '\0');
  EXPECT_EQ(EVP_PKEY_encrypt(ctx, reinterpret_cast<unsigned char*>(out.data()), &n, in, material.size()), 1);
  out.resize(n);
  EVP_PKEY_CTX_free(ctx);
  EVP_PKEY_free(pub);
  return out;
}

struct Importer {
  World& w;
  std::string key;

  ak::GetParametersForImportResponse Parameters() {
    ak::GetParametersForImportRequest in;
    in.key_id = key;
    in.wrapping_algorithm = ak::AlgorithmSpec::kRsaesOaepSha256;
    in.wrapping_key_spec = ak::WrappingKeySpec::kRsa2048;
    auto out = w.kms.Run<ops::GetParametersForImport, &ImportOps::GetParametersForImport>(in, World::Root(kA1));
    EXPECT_TRUE(out.ok()) << out.status().ToString();
    return *out;
  }
  Result<ak::ImportKeyMaterialResponse> Import(const ak::GetParametersForImportResponse& params,
                                               const std::string& material, TimePoint valid_to, bool new_material) {
    ak::ImportKeyMaterialRequest in;
    in.key_id = key;
    in.import_token = *params.import_token;
    in.encrypted_key_material = WrapForImport(params.public_key->view(), material);
    in.expiration_model = ak::ExpirationModelType::kKeyMaterialExpires;
    in.valid_to = valid_to;
    if (new_material) in.import_type = ak::ImportType::kNewKeyMaterial;
    return w.kms.Run<ops::ImportKeyMaterial, &ImportOps::ImportKeyMaterial>(in, World::Root(kA1));
  }
  ak::KeyMetadata Describe() {
    ak::DescribeKeyRequest in;
    in.key_id = key;
    auto out = w.kms.Run<ops::DescribeKey, &KeyOps::DescribeKey>(in, World::Root(kA1));
    EXPECT_TRUE(out.ok());
    return *out->key_metadata;
  }
};

std::string NewExternalKey(World& w) {
  ak::CreateKeyRequest in;
  in.origin = ak::OriginType::kExternal;
  auto out = w.kms.CreateKey(in, World::Root(kA1));
  EXPECT_TRUE(out.ok()) << out.status().ToString();
  return *out->key_metadata->arn;
}

// Imported material goes at its ValidTo: material in use takes the key back to
// PendingImport, material pending rotation goes alone.
TEST(KmsEngine, ImportedMaterialExpiresAtItsValidTo) {
  World w;
  Importer imp{w, NewExternalKey(w)};
  TimePoint t0 = w.clock.Now();
  auto params = imp.Parameters();
  ASSERT_TRUE(imp.Import(params, std::string(32, 'a'), t0 + std::chrono::hours(2), false).ok());
  auto pending = imp.Import(params, std::string(32, 'b'), t0 + std::chrono::hours(1), true);
  ASSERT_TRUE(pending.ok()) << pending.status().ToString();
  EXPECT_EQ(imp.Describe().key_state->str(), "Enabled");
  EXPECT_EQ(*imp.Describe().valid_to, t0 + std::chrono::hours(1));  // the earliest

  w.clock.Advance(std::chrono::minutes(61));
  EXPECT_EQ(imp.Describe().key_state->str(), "Enabled");
  EXPECT_EQ(*imp.Describe().valid_to, t0 + std::chrono::hours(2));
  ak::ListKeyRotationsRequest list;
  list.key_id = imp.key;
  list.include_key_material = ak::IncludeKeyMaterial::kAllKeyMaterial;
  auto rotations = w.kms.Run<ops::ListKeyRotations, &RotationOps::ListKeyRotations>(list, World::Root(kA1));
  ASSERT_TRUE(rotations.ok());
  ASSERT_EQ(rotations->rotations->size(), 2u);
  EXPECT_EQ((*rotations->rotations)[1].key_material_id, pending->key_material_id);
  EXPECT_EQ((*rotations->rotations)[1].import_state->str(), "PENDING_IMPORT");
  EXPECT_EQ((*rotations->rotations)[0].import_state->str(), "IMPORTED");

  w.clock.Advance(std::chrono::minutes(60));
  EXPECT_EQ(imp.Describe().key_state->str(), "PendingImport");
  EXPECT_FALSE(imp.Describe().valid_to.has_value());
  EXPECT_EQ(Outcome(w.Encrypt(imp.key, false), imp.key), "KMSInvalidStateException: ARN is pending import.");
}

// Import tokens last 24 hours and belong to one key.
TEST(KmsEngine, ImportTokensExpire) {
  World w;
  Importer imp{w, NewExternalKey(w)};
  auto params = imp.Parameters();
  EXPECT_EQ(*params.parameters_valid_to, w.clock.Now() + std::chrono::hours(24));
  w.clock.Advance(std::chrono::hours(24));
  auto late = imp.Import(params, std::string(32, 'a'), w.clock.Now() + std::chrono::hours(1), false);
  EXPECT_EQ(late.status().aws_code(), "ExpiredImportTokenException");
  Importer other{w, NewExternalKey(w)};
  auto params2 = imp.Parameters();
  EXPECT_EQ(other.Import(params2, std::string(32, 'a'), w.clock.Now() + std::chrono::hours(1), false).status().aws_code(),
            "InvalidImportTokenException");
  EXPECT_TRUE(imp.Import(params2, std::string(32, 'a'), w.clock.Now() + std::chrono::hours(1), false).ok());
}

// DryRun is answered after authorization and before the key's state; state
// comes before usage, usage before the algorithm.
TEST(KmsEngine, PreambleRunsInAwsOrder) {
  World w;
  std::string sign_key = w.NewKey("ECC_NIST_P256", "SIGN_VERIFY");
  w.Disable(sign_key);
  EXPECT_EQ(Outcome(w.Encrypt(sign_key, true), sign_key),
            "DryRunOperationException: The request would have succeeded, but the DryRun option is set.");
  EXPECT_EQ(Outcome(w.Encrypt(sign_key, false), sign_key), "DisabledException: ARN is disabled.");
  ak::EnableKeyRequest enable;
  enable.key_id = sign_key;
  ASSERT_TRUE((w.kms.Run<ops::EnableKey, &KeyOps::EnableKey>(enable, World::Root(kA1))).ok());
  EXPECT_EQ(Outcome(w.Encrypt(sign_key, false), sign_key),
            "InvalidKeyUsageException: ARN key usage is SIGN_VERIFY which is not valid for Encrypt.");
  std::string key = w.NewKey();
  EXPECT_EQ(Outcome(w.Encrypt(key, false, "RSAES_OAEP_SHA_256")),
            "InvalidKeyUsageException: Algorithm RSAES_OAEP_SHA_256 is incompatible with key spec SYMMETRIC_DEFAULT.");
  EXPECT_EQ(Outcome(w.Encrypt(key, false)), "OK");
}

// Authorization comes before DryRun: another account without permission is
// denied even when it only asks whether the call would succeed.
TEST(KmsEngine, AuthorizationBeforeDryRun) {
  World w;
  std::string key = w.NewKey();
  ak::EncryptRequest in;
  in.key_id = key;
  in.plaintext = "x";
  in.dry_run = true;
  Status s = w.kms.Run<ops::Encrypt, &CryptoOps::Encrypt>(in, World::Root(kA2)).status();
  EXPECT_EQ(s.code(), Code::kPermissionDenied);
  EXPECT_EQ(s.aws_code(), "AccessDeniedException");
}

// Management operations never reach another account's key: the denial does
// not reveal whether the key exists.
TEST(KmsEngine, ManagementStaysInTheKeysAccount) {
  World w;
  std::string key = w.NewKey();
  ak::PutKeyPolicyRequest in;
  in.key_id = key;
  in.policy = R"({"Version":"2012-10-17","Statement":[]})";
  Status s = w.kms.Run<ops::PutKeyPolicy, &PolicyOps::PutKeyPolicy>(in, World::Root(kA2)).status();
  EXPECT_EQ(Outcome(s), "AccessDeniedException: User: arn:aws:iam::222222222222:root is not authorized to perform: "
                        "kms:PutKeyPolicy on this resource because the resource does not exist in this Region, no "
                        "resource-based policies allow access, or a resource-based policy explicitly denies access");
}

// ReEncrypt's source key is checked for kms:ReEncryptFrom, which the redacted
// denial names whether the key came from SourceKeyId or from the blob.
TEST(KmsEngine, ReEncryptSourceDenialNamesReEncryptFrom) {
  World w;
  std::string key = w.NewKey();
  ak::ReEncryptRequest in;
  in.ciphertext_blob = "not a blob";
  in.source_key_id = "arn:aws:kms:us-east-1:222222222222:key/0b3c8a4e-1d2f-4a5b-9c8d-7e6f5a4b3c2d";
  in.destination_key_id = key;
  Status s = w.kms.Run<ops::ReEncrypt, &CryptoOps::ReEncrypt>(in, World::Root(kA1)).status();
  EXPECT_EQ(s.aws_code(), "AccessDeniedException");
  EXPECT_NE(s.message().find("kms:ReEncryptFrom on this resource"), std::string::npos) << s.message();
}

// Config seeding's typed calls: a key and its alias, found again by alias.
TEST(KmsEngine, TypedCreateKeyAndAlias) {
  World w;
  std::string key = w.NewKey("HMAC_256", "GENERATE_VERIFY_MAC");
  ASSERT_TRUE(w.kms.CreateAlias({.alias_name = "alias/seeded", .target_key_id = key}, World::Root(kA1)).ok());
  auto d = w.kms.DescribeKey("alias/seeded", World::Root(kA1));
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->key_arn, key);
  EXPECT_EQ(d->key_spec, "HMAC_256");
  EXPECT_EQ(d->key_state, "Enabled");
  auto missing = w.kms.DescribeKey("alias/none", World::Root(kA1));
  EXPECT_EQ(missing.status().code(), Code::kNotFound);
  auto again = w.kms.CreateAlias({.alias_name = "alias/seeded", .target_key_id = key}, World::Root(kA1));
  EXPECT_EQ(again.status().code(), Code::kAlreadyExists);
}

// The in-process Encrypt DynamoDB uses produces a blob Decrypt opens.
TEST(KmsEngine, InProcessEncryptThenDecrypt) {
  World w;
  std::string key = w.NewKey();
  KmsEncryptionContext context{{"aws:dynamodb:tableName", "t"}};
  auto sealed = w.kms.Encrypt(key, "table key", context, World::Root(kA1));
  ASSERT_TRUE(sealed.ok()) << sealed.status().ToString();
  EXPECT_EQ(sealed->key_arn, key);
  auto opened = w.kms.Decrypt(sealed->ciphertext_blob, context, World::Root(kA1));
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(opened->plaintext, "table key");
  EXPECT_EQ(w.kms.Decrypt(sealed->ciphertext_blob, {}, World::Root(kA1)).status().aws_code(),
            "InvalidCiphertextException");
}

TEST(KmsApi, TableMatchesTheModel) {
  World w;
  KmsApi api(w.kms);
  EXPECT_TRUE(api.CheckModel().ok());
}

}  // namespace
}  // namespace ck::services::kms
