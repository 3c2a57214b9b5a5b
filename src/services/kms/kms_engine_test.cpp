// The KMS engine end to end in-process: the preamble's order (resolve →
// authorize → DryRun → state → usage → algorithm) as operations see it, the
// typed entry points config seeding uses, and the operation table.
#include "services/kms/kms_engine.h"

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
  SystemClock clock;
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
