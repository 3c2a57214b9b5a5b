#include "core/kms/key_rules.h"

#include <gtest/gtest.h>

#include <map>

#include "core/kms/operations.h"

namespace ck::core::kms {
namespace {

constexpr char kArn[] = "arn:aws:kms:us-east-1:111111111111:key/0b3c8a4e-1d2f-4a5b-9c8d-7e6f5a4b3c2d";

KeyRecord Key(std::string spec = "SYMMETRIC_DEFAULT", std::string usage = "ENCRYPT_DECRYPT",
              KeyState state = KeyState::kEnabled, std::string origin = "AWS_KMS") {
  KeyRecord k;
  k.arn = kArn;
  k.spec = std::move(spec);
  k.usage = std::move(usage);
  k.state = state;
  k.origin = std::move(origin);
  return k;
}

// "" when OK, else "<AwsCode>: <message>" with the key ARN written as ARN.
std::string Outcome(const Status& s) {
  if (s.ok()) return "";
  std::string m = s.message();
  for (size_t at; (at = m.find(kArn)) != std::string::npos;) m.replace(at, sizeof(kArn) - 1, "ARN");
  return s.aws_code() + ": " + m;
}

constexpr char kOk[] = "";
constexpr char kDisabled[] = "DisabledException: ARN is disabled.";
constexpr char kPendingDeletion[] = "KMSInvalidStateException: ARN is pending deletion.";
constexpr char kPendingImport[] = "KMSInvalidStateException: ARN is pending import.";
constexpr char kNotPending[] = "KMSInvalidStateException: ARN is not pending deletion.";

// The key-state machine (AWS-SEMANTICS §1.9): every operation of the API on a
// symmetric AWS_KMS key in each state → allowed, or AWS's error and text.
TEST(KeyStateMachine, WhichOperationsEachStateAllows) {
  struct Row {
    const char* enabled;
    const char* disabled;
    const char* pending_deletion;
    const char* pending_import;
  };
  const Row crypto{kOk, kDisabled, kPendingDeletion, kPendingImport};
  const Row any{kOk, kOk, kOk, kOk};
  const Row edit{kOk, kOk, kPendingDeletion, kOk};
  const Row toggle{kOk, kOk, kPendingDeletion, kPendingImport};
  const std::map<std::string, Row> want = {
      {"Encrypt", crypto}, {"Decrypt", crypto}, {"ReEncrypt", crypto}, {"GenerateDataKey", crypto},
      {"GenerateDataKeyWithoutPlaintext", crypto}, {"GenerateDataKeyPair", crypto},
      {"GenerateDataKeyPairWithoutPlaintext", crypto}, {"Sign", crypto}, {"Verify", crypto},
      {"GenerateMac", crypto}, {"VerifyMac", crypto}, {"GetPublicKey", crypto}, {"DeriveSharedSecret", crypto},
      {"EnableKeyRotation", crypto}, {"DisableKeyRotation", crypto}, {"RotateKeyOnDemand", crypto},
      {"GenerateRandom", any}, {"CreateKey", any}, {"DescribeKey", any}, {"ListKeys", any},
      {"GetKeyRotationStatus", any}, {"ListKeyRotations", any}, {"ListResourceTags", any},
      {"DescribeCustomKeyStores", any}, {"DeleteAlias", any}, {"ListAliases", any}, {"GetKeyPolicy", any},
      {"PutKeyPolicy", any}, {"ListKeyPolicies", any}, {"ListGrants", any}, {"ListRetirableGrants", any},
      {"RetireGrant", any}, {"RevokeGrant", any}, {"CreateCustomKeyStore", any}, {"ConnectCustomKeyStore", any},
      {"DisconnectCustomKeyStore", any}, {"UpdateCustomKeyStore", any}, {"DeleteCustomKeyStore", any},
      {"GetParametersForImport", edit}, {"ImportKeyMaterial", edit}, {"DeleteImportedKeyMaterial", any},
      {"ReplicateKey", any}, {"UpdatePrimaryRegion", any}, {"GetKeyLastUsage", any},
      {"UpdateKeyDescription", edit}, {"ScheduleKeyDeletion", edit}, {"TagResource", edit},
      {"UntagResource", edit}, {"CreateAlias", edit}, {"UpdateAlias", edit}, {"CreateGrant", edit},
      {"EnableKey", toggle}, {"DisableKey", toggle},
      {"CancelKeyDeletion", {kNotPending, kNotPending, kOk, kNotPending}},
  };
  ASSERT_EQ(spec::All().size(), want.size());
  for (const OperationSpec* op : spec::All()) {
    auto it = want.find(std::string(op->name));
    ASSERT_NE(it, want.end()) << op->name;
    const Row& row = it->second;
    std::pair<KeyState, const char*> cells[] = {{KeyState::kEnabled, row.enabled},
                                                {KeyState::kDisabled, row.disabled},
                                                {KeyState::kPendingDeletion, row.pending_deletion},
                                                {KeyState::kPendingImport, row.pending_import}};
    for (const auto& [state, expected] : cells)
      EXPECT_EQ(Outcome(CheckState(Key("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT", state), op->state)), expected)
          << op->name << " on a " << KeyStateName(state) << " key";
  }
}

// Rotation needs a symmetric key with AWS_KMS origin before its state matters.
TEST(KeyStateMachine, RotationIsForSymmetricAwsKmsKeys) {
  constexpr char kRsa[] =
      "UnsupportedOperationException: ARN key spec RSA_2048 (origin AWS_KMS) does not support key rotation.";
  constexpr char kExternal[] =
      "UnsupportedOperationException: ARN key spec SYMMETRIC_DEFAULT (origin EXTERNAL) does not support key rotation.";
  EXPECT_EQ(Outcome(CheckState(Key("RSA_2048", "ENCRYPT_DECRYPT", KeyState::kDisabled), StateRule::kRotatable)), kRsa);
  EXPECT_EQ(Outcome(CheckState(Key("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT", KeyState::kPendingImport, "EXTERNAL"),
                               StateRule::kRotatable)),
            kExternal);
  // ListKeyRotations lists the (empty) history of an EXTERNAL symmetric key, refuses others.
  EXPECT_EQ(Outcome(CheckUsage(Key("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT", KeyState::kEnabled, "EXTERNAL"),
                               UsageRule::kRotationHistory, "ListKeyRotations")),
            kOk);
  EXPECT_EQ(Outcome(CheckUsage(Key("RSA_2048"), UsageRule::kRotationHistory, "ListKeyRotations")), kRsa);
}

// RotateKeyOnDemand checks the state before the spec (recorded, 2025): a
// disabled RSA key is DisabledException, an enabled one
// UnsupportedOperationException with an empty message; a symmetric key
// pending import is KMSInvalidStateException.
TEST(KeyStateMachine, OnDemandRotationChecksStateFirst) {
  EXPECT_EQ(Outcome(CheckState(Key("RSA_4096", "ENCRYPT_DECRYPT", KeyState::kDisabled), StateRule::kRotateOnDemand)),
            kDisabled);
  EXPECT_EQ(Outcome(CheckState(Key("RSA_4096", "ENCRYPT_DECRYPT"), StateRule::kRotateOnDemand)),
            "UnsupportedOperationException: ");
  EXPECT_EQ(Outcome(CheckState(Key("HMAC_256", "GENERATE_VERIFY_MAC"), StateRule::kRotateOnDemand)),
            "UnsupportedOperationException: ");
  EXPECT_EQ(Outcome(CheckState(Key("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT", KeyState::kPendingImport, "EXTERNAL"),
                               StateRule::kRotateOnDemand)),
            kPendingImport);
  EXPECT_EQ(Outcome(CheckState(Key("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT", KeyState::kEnabled, "EXTERNAL"),
                               StateRule::kRotateOnDemand)),
            kOk);
}

// DeriveSharedSecret needs a KEY_AGREEMENT key (recorded message).
TEST(KeyUsage, KeyAgreementKeysDeriveSharedSecrets) {
  EXPECT_EQ(Outcome(CheckUsage(Key("ECC_NIST_P256", "KEY_AGREEMENT"), spec::kDeriveSharedSecret.usage,
                               spec::kDeriveSharedSecret.name)),
            kOk);
  EXPECT_EQ(Outcome(CheckUsage(Key("ECC_NIST_P256", "SIGN_VERIFY"), spec::kDeriveSharedSecret.usage,
                               spec::kDeriveSharedSecret.name)),
            "InvalidKeyUsageException: ARN key usage is SIGN_VERIFY which is not valid for DeriveSharedSecret.");
  EXPECT_EQ(Outcome(CheckUsage(Key("ECC_NIST_P256", "KEY_AGREEMENT"), spec::kSign.usage, spec::kSign.name)),
            "InvalidKeyUsageException: ARN key usage is KEY_AGREEMENT which is not valid for Sign.");
  EXPECT_EQ(KeyAgreementAlgorithmsFor("ECC_NIST_P521", "KEY_AGREEMENT"), std::vector<std::string>{"ECDH"});
  EXPECT_TRUE(KeyAgreementAlgorithmsFor("ECC_NIST_P521", "SIGN_VERIFY").empty());
}

// Key spec × usage → which operations' usage the key satisfies (InvalidKeyUsageException otherwise).
TEST(KeyUsage, OperationsEachSpecAndUsageServe) {
  struct KeyKind {
    const char* spec;
    const char* usage;
  };
  const KeyKind kinds[] = {{"SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT"},
                           {"RSA_2048", "ENCRYPT_DECRYPT"},
                           {"RSA_3072", "SIGN_VERIFY"},
                           {"ECC_NIST_P256", "SIGN_VERIFY"},
                           {"HMAC_256", "GENERATE_VERIFY_MAC"}};
  // Per operation, whether each kind above serves it.
  const std::map<std::string, std::vector<bool>> want = {
      {"Encrypt", {true, true, false, false, false}},
      {"Decrypt", {true, true, false, false, false}},
      {"GenerateDataKey", {true, false, false, false, false}},
      {"GenerateDataKeyPairWithoutPlaintext", {true, false, false, false, false}},
      {"Sign", {false, false, true, true, false}},
      {"Verify", {false, false, true, true, false}},
      {"GenerateMac", {false, false, false, false, true}},
      {"VerifyMac", {false, false, false, false, true}},
      {"GetPublicKey", {false, true, true, true, false}},
      {"DescribeKey", {true, true, true, true, true}},
  };
  for (const auto& [name, serves] : want) {
    const OperationSpec* op = spec::Find(name);
    ASSERT_NE(op, nullptr) << name;
    for (size_t i = 0; i < std::size(kinds); ++i) {
      KeyRecord k = Key(kinds[i].spec, kinds[i].usage);
      std::string got = Outcome(CheckUsage(k, op->usage, op->name));
      if (serves[i]) {
        EXPECT_EQ(got, kOk) << name << " with " << kinds[i].spec;
      } else if (name == "GetPublicKey") {
        EXPECT_EQ(got, "UnsupportedOperationException: ARN key usage is " + std::string(kinds[i].usage) +
                           " which is not valid for GetPublicKey.");
      } else {
        EXPECT_EQ(got, "InvalidKeyUsageException: ARN key usage is " + std::string(kinds[i].usage) +
                           " which is not valid for " + name + ".")
            << kinds[i].spec;
      }
    }
  }
}

// Key spec × usage → the algorithms AWS lists for it (KeyMetadata, GetPublicKey).
TEST(KeyAlgorithms, ListedPerSpecAndUsage) {
  using V = std::vector<std::string>;
  EXPECT_EQ(EncryptionAlgorithmsFor("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT"), V{"SYMMETRIC_DEFAULT"});
  EXPECT_EQ(EncryptionAlgorithmsFor("RSA_4096", "ENCRYPT_DECRYPT"), (V{"RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"}));
  EXPECT_EQ(EncryptionAlgorithmsFor("RSA_4096", "SIGN_VERIFY"), V{});
  EXPECT_EQ(SigningAlgorithmsFor("RSA_2048", "SIGN_VERIFY"),
            (V{"RSASSA_PKCS1_V1_5_SHA_256", "RSASSA_PKCS1_V1_5_SHA_384", "RSASSA_PKCS1_V1_5_SHA_512",
               "RSASSA_PSS_SHA_256", "RSASSA_PSS_SHA_384", "RSASSA_PSS_SHA_512"}));
  EXPECT_EQ(SigningAlgorithmsFor("ECC_NIST_P256", "SIGN_VERIFY"), V{"ECDSA_SHA_256"});
  EXPECT_EQ(SigningAlgorithmsFor("ECC_NIST_P384", "SIGN_VERIFY"), V{"ECDSA_SHA_384"});
  EXPECT_EQ(SigningAlgorithmsFor("ECC_NIST_P521", "SIGN_VERIFY"), V{"ECDSA_SHA_512"});
  EXPECT_EQ(SigningAlgorithmsFor("ECC_SECG_P256K1", "SIGN_VERIFY"), V{"ECDSA_SHA_256"});
  EXPECT_EQ(SigningAlgorithmsFor("RSA_2048", "ENCRYPT_DECRYPT"), V{});
  EXPECT_EQ(MacAlgorithmsFor("HMAC_224"), V{"HMAC_SHA_224"});
  EXPECT_EQ(MacAlgorithmsFor("HMAC_512"), V{"HMAC_SHA_512"});
  EXPECT_EQ(MacAlgorithmsFor("SYMMETRIC_DEFAULT"), V{});
}

// The algorithm a request names, against the key: what each rule accepts and its error.
TEST(KeyAlgorithms, RequestedAlgorithmMustFitTheKey) {
  struct Case {
    KeyRecord key;
    AlgorithmRule rule;
    const char* algorithm;
    std::string want;
  };
  const std::string mismatch = "InvalidKeyUsageException: Algorithm ";
  const Case cases[] = {
      {Key(), AlgorithmRule::kEncrypt, "", kOk},
      {Key(), AlgorithmRule::kEncrypt, "SYMMETRIC_DEFAULT", kOk},
      {Key(), AlgorithmRule::kEncrypt, "RSAES_OAEP_SHA_1", mismatch + "RSAES_OAEP_SHA_1 is incompatible with key spec SYMMETRIC_DEFAULT."},
      {Key("RSA_2048"), AlgorithmRule::kEncrypt, "RSAES_OAEP_SHA_256", kOk},
      {Key("RSA_2048"), AlgorithmRule::kEncrypt, "", mismatch + "SYMMETRIC_DEFAULT is incompatible with key spec RSA_2048."},
      {Key(), AlgorithmRule::kDecrypt, "", kOk},
      {Key(), AlgorithmRule::kDecrypt, "RSAES_OAEP_SHA_1", "InvalidCiphertextException: "},
      {Key("RSA_2048"), AlgorithmRule::kDecrypt, "RSAES_OAEP_SHA_1", kOk},
      {Key("RSA_2048"), AlgorithmRule::kDecrypt, "",
       "InvalidKeyUsageException: The encryption algorithm SYMMETRIC_DEFAULT is not compatible with the type of key "
       "you specified."},
      {Key("ECC_NIST_P384", "SIGN_VERIFY"), AlgorithmRule::kSign, "ECDSA_SHA_384", kOk},
      {Key("ECC_NIST_P384", "SIGN_VERIFY"), AlgorithmRule::kSign, "ECDSA_SHA_256",
       mismatch + "ECDSA_SHA_256 is incompatible with key spec ECC_NIST_P384."},
      {Key("HMAC_384", "GENERATE_VERIFY_MAC"), AlgorithmRule::kMac, "HMAC_SHA_384", kOk},
      {Key("HMAC_384", "GENERATE_VERIFY_MAC"), AlgorithmRule::kMac, "HMAC_SHA_256",
       mismatch + "HMAC_SHA_256 is incompatible with key spec HMAC_384."},
      {Key("HMAC_384", "GENERATE_VERIFY_MAC"), AlgorithmRule::kNone, "anything", kOk},
  };
  for (const Case& c : cases)
    EXPECT_EQ(Outcome(CheckAlgorithm(c.key, c.rule, c.algorithm)), c.want) << c.key.spec << " " << c.algorithm;
}

// The checks of one operation run in AWS's order: state, then usage, then algorithm.
TEST(KeyUse, StateComesBeforeUsageBeforeAlgorithm) {
  KeyRecord sign_key = Key("ECC_NIST_P256", "SIGN_VERIFY", KeyState::kDisabled);
  EXPECT_EQ(Outcome(CheckKeyUse(sign_key, spec::kEncrypt, "BOGUS")), kDisabled);
  sign_key.state = KeyState::kEnabled;
  EXPECT_EQ(Outcome(CheckKeyUse(sign_key, spec::kEncrypt, "BOGUS")),
            "InvalidKeyUsageException: ARN key usage is SIGN_VERIFY which is not valid for Encrypt.");
  EXPECT_EQ(Outcome(CheckKeyUse(sign_key, spec::kSign, "BOGUS")),
            "InvalidKeyUsageException: Algorithm BOGUS is incompatible with key spec ECC_NIST_P256.");
  EXPECT_EQ(Outcome(CheckKeyUse(sign_key, spec::kSign, "ECDSA_SHA_256")), kOk);
  // ReEncrypt's destination names the operation, not the IAM action, in its usage error.
  EXPECT_EQ(Outcome(CheckKeyUse(sign_key, spec::kReEncryptTo, "")),
            "InvalidKeyUsageException: ARN key usage is SIGN_VERIFY which is not valid for ReEncrypt.");
}

TEST(NewKeys, SpecUsageAndOriginRules) {
  const std::pair<std::array<const char*, 3>, std::string> cases[] = {
      {{"SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT", "AWS_KMS"}, kOk},
      {{"SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT", "EXTERNAL"}, kOk},
      {{"RSA_2048", "SIGN_VERIFY", "AWS_KMS"}, kOk},
      {{"ECC_NIST_P521", "SIGN_VERIFY", "AWS_KMS"}, kOk},
      {{"HMAC_224", "GENERATE_VERIFY_MAC", "AWS_KMS"}, kOk},
      {{"SYMMETRIC_DEFAULT", "", "AWS_KMS"}, kOk},  // no KeyUsage: ENCRYPT_DECRYPT
      {{"SYMMETRIC_DEFAULT", "SIGN_VERIFY", "AWS_KMS"},
       "ValidationException: KeyUsage SIGN_VERIFY is not compatible with KeySpec SYMMETRIC_DEFAULT"},
      {{"ECC_NIST_P256", "ENCRYPT_DECRYPT", "AWS_KMS"},
       "ValidationException: KeyUsage ENCRYPT_DECRYPT is not compatible with KeySpec ECC_NIST_P256"},
      // Recorded (2024): the pair's message has no final period.
      {{"RSA_2048", "KEY_AGREEMENT", "AWS_KMS"},
       "ValidationException: KeyUsage KEY_AGREEMENT is not compatible with KeySpec RSA_2048"},
      {{"ECC_SECG_P256K1", "KEY_AGREEMENT", "AWS_KMS"},
       "ValidationException: KeyUsage KEY_AGREEMENT is not compatible with KeySpec ECC_SECG_P256K1"},
      {{"ECC_NIST_P384", "KEY_AGREEMENT", "AWS_KMS"}, kOk},
      // Recorded (2023): every spec but SYMMETRIC_DEFAULT needs a KeyUsage.
      {{"HMAC_256", "", "AWS_KMS"},
       "ValidationException: You must specify a KeyUsage value for all KMS keys except for symmetric encryption "
       "keys."},
      {{"RSA_2048", "", "AWS_KMS"},
       "ValidationException: You must specify a KeyUsage value for all KMS keys except for symmetric encryption "
       "keys."},
      {{"SM2", "SIGN_VERIFY", "AWS_KMS"}, "UnsupportedOperationException: KeySpec SM2 is not supported by crosskey."},
      {{"SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT", "AWS_CLOUDHSM"},
       "UnsupportedOperationException: Custom key stores is not supported by crosskey."},
      {{"RSA_2048", "ENCRYPT_DECRYPT", "EXTERNAL"}, kOk},
      {{"ECC_NIST_P256", "SIGN_VERIFY", "EXTERNAL"}, kOk},
      {{"HMAC_512", "GENERATE_VERIFY_MAC", "EXTERNAL"}, kOk},
  };
  for (const auto& [in, want] : cases) EXPECT_EQ(Outcome(CheckNewKey(in[0], in[1], in[2])), want) << in[0] << in[1];
}

TEST(AliasNames, ValidAndReserved) {
  EXPECT_EQ(Outcome(CheckAliasName("alias/my-key_1/x", false)), kOk);
  EXPECT_EQ(Outcome(CheckAliasName("my-key", false)),
            "ValidationException: Alias must start with the prefix \"alias/\". Please see "
            "https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html");
  EXPECT_EQ(Outcome(CheckAliasName("alias/", false)),
            "ValidationException: Alias name must be between 1 and 256 characters after alias/.");
  EXPECT_EQ(Outcome(CheckAliasName("alias/" + std::string(251, 'a'), false)),
            "ValidationException: Alias name must be between 1 and 256 characters after alias/.");
  EXPECT_EQ(Outcome(CheckAliasName("alias/a b", false)),
            "ValidationException: Alias name contains an invalid character: alias/a b");
  EXPECT_EQ(Outcome(CheckAliasName("alias/aws/s3", false)),
            "InvalidAliasNameException: Alias names cannot begin with alias/aws/. That prefix is reserved for AWS "
            "managed keys.");
  EXPECT_EQ(Outcome(CheckAliasName("alias/aws/s3", true)), kOk);
}

// Errors carry canonical codes callers can dispatch on.
TEST(KeyRules, ErrorsHaveDeliberateCanonicalCodes) {
  EXPECT_EQ(CheckState(Key("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT", KeyState::kDisabled), StateRule::kEnabled).code(),
            Code::kFailedPrecondition);
  EXPECT_EQ(CheckNewKey("SM2", "SIGN_VERIFY", "AWS_KMS").code(), Code::kUnimplemented);
  EXPECT_EQ(CheckUsage(Key("RSA_2048"), UsageRule::kSignVerify, "Sign").code(), Code::kInvalidArgument);
}

// Every spec is consistent with what it describes.
TEST(OperationSpecs, ActionsNamesAndReadOnly) {
  for (const OperationSpec* op : spec::All()) {
    EXPECT_EQ(spec::Find(op->name), op);
    EXPECT_TRUE(op->action.starts_with("kms:")) << op->name;
    if (op->name != "ReEncrypt") {
      EXPECT_EQ(op->action.substr(4), op->name);
    }
    bool writes = op->name.starts_with("Create") || op->name.starts_with("Update") ||
                  op->name.starts_with("Delete") || op->name.starts_with("Enable") ||
                  op->name.starts_with("Disable") || op->name.ends_with("Grant") || op->name == "PutKeyPolicy" ||
                  op->name == "ScheduleKeyDeletion" || op->name == "CancelKeyDeletion" ||
                  op->name == "RotateKeyOnDemand" || op->name.ends_with("Resource") ||
                  op->name == "ImportKeyMaterial" || op->name == "ReplicateKey" ||
                  op->name.ends_with("CustomKeyStore");
    EXPECT_EQ(op->read_only, !writes) << op->name;
  }
  EXPECT_EQ(spec::Find("Bogus"), nullptr);
  EXPECT_EQ(spec::kReEncryptFrom.grant_operation(), "ReEncryptFrom");
  EXPECT_FALSE(spec::kReEncryptTo.dry_run);
  EXPECT_EQ(spec::kCreateGrant.forms, RefForms::kKeyOnly);
  EXPECT_TRUE(spec::kCreateGrant.cross_account);
  EXPECT_FALSE(spec::kPutKeyPolicy.cross_account);
  EXPECT_EQ(spec::kDescribeKey.forms, RefForms::kAny);
}

}  // namespace
}  // namespace ck::core::kms
