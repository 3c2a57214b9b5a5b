#include "tools/lint/reference.h"

#include <gtest/gtest.h>

#include <map>

#include "core/kms/resolver.h"

namespace ck::tools::lint {
namespace {

constexpr char kKey[] = "1234abcd-12ab-34cd-56ef-1234567890ab";

TEST(ClassifyLiteral, TheFourFormsAndInvalid) {
  EXPECT_EQ(ClassifyLiteral("alias/my-key").form, RefForm::kAliasName);
  EXPECT_EQ(ClassifyLiteral(kKey).form, RefForm::kKeyId);
  EXPECT_EQ(ClassifyLiteral("mrk-1234abcd12ab34cd56ef1234567890ab").form, RefForm::kKeyId);
  LiteralRef arn = ClassifyLiteral("arn:aws:kms:us-east-1:111111111111:alias/my-key");
  EXPECT_EQ(arn.form, RefForm::kAliasArn);
  EXPECT_EQ(arn.account, "111111111111");
  EXPECT_EQ(arn.region, "us-east-1");
  EXPECT_EQ(arn.alias_name, "alias/my-key");
  EXPECT_EQ(ClassifyLiteral(std::string("arn:aws:kms:us-east-1:111111111111:key/") + kKey).form, RefForm::kKeyArn);
  // "aws/s3" without alias/ is what aws/aws-cli#4507 hit: KMS answers Invalid keyId.
  EXPECT_EQ(ClassifyLiteral("aws/s3").form, RefForm::kInvalid);
  EXPECT_EQ(ClassifyLiteral("arn:aws:s3:::bucket").form, RefForm::kInvalid);
  EXPECT_EQ(ClassifyLiteral("alias/").form, RefForm::kInvalid);
}

TEST(ClassifyLiteral, AwsManagedAliases) {
  EXPECT_TRUE(ClassifyLiteral("alias/aws/s3").managed);
  EXPECT_TRUE(ClassifyLiteral("arn:aws:kms:us-east-1:111111111111:alias/aws/secretsmanager").managed);
  EXPECT_FALSE(ClassifyLiteral("alias/awsome").managed);
}

TEST(QualifiedArn, NeedsAccountAndRegion) {
  EXPECT_EQ(QualifiedArn(ClassifyLiteral("alias/my-key"), "111111111111", "us-east-1"),
            "arn:aws:kms:us-east-1:111111111111:alias/my-key");
  EXPECT_EQ(QualifiedArn(ClassifyLiteral(kKey), "111111111111", "cn-north-1"),
            std::string("arn:aws-cn:kms:cn-north-1:111111111111:key/") + kKey);
  EXPECT_EQ(QualifiedArn(ClassifyLiteral("alias/my-key"), "", "us-east-1"), "");
  EXPECT_EQ(QualifiedArn(ClassifyLiteral("alias/my-key"), "111111111111", ""), "");
}

TEST(PrincipalFromText, Accounts) {
  EXPECT_EQ(PrincipalFromText("*").kind, PolicyPrincipal::Kind::kAnyone);
  EXPECT_EQ(PrincipalFromText("222222222222").account, "222222222222");
  EXPECT_EQ(PrincipalFromText("arn:aws:iam::222222222222:role/writer").account, "222222222222");
  EXPECT_EQ(PrincipalFromText("arn:aws:sts::222222222222:assumed-role/r/s").account, "222222222222");
  EXPECT_EQ(PrincipalFromText("s3.amazonaws.com").kind, PolicyPrincipal::Kind::kUnknown);
}

// What lint calls unqualified is exactly what the KMS resolver resolves in the
// caller's account: a caller in account 2 asking for each form finds account
// 2's key for the unqualified ones and account 1's for the qualified ones.
class Directory : public core::kms::KeyDirectory {
 public:
  std::shared_ptr<const core::kms::KeyRecord> FindKey(const std::string& account, const std::string& region,
                                                      const std::string& id) override {
    if (id != kKey) return nullptr;
    auto k = std::make_shared<core::kms::KeyRecord>();
    k->account = account;
    k->region = region;
    k->id = id;
    return k;
  }
  std::optional<std::string> FindAlias(const std::string&, const std::string&, const std::string& name) override {
    if (name == "alias/my-key") return std::string(kKey);
    return std::nullopt;
  }
  Result<std::shared_ptr<const core::kms::KeyRecord>> EnsureManagedKey(const std::string& account,
                                                                       const std::string& region,
                                                                       const core::kms::ManagedAlias&) override {
    return FindKey(account, region, kKey);
  }
};

TEST(ClassifyLiteral, AgreesWithTheResolver) {
  Directory dir;
  const std::string owner = "111111111111", writer = "222222222222", region = "us-east-1";
  for (std::string ref :
       {std::string("alias/my-key"), std::string(kKey), "arn:aws:kms:us-east-1:" + owner + ":alias/my-key",
        "arn:aws:kms:us-east-1:" + owner + ":key/" + kKey}) {
    SCOPED_TRACE(ref);
    auto r = core::kms::Resolve(dir, writer, region, ref, {});
    ASSERT_TRUE(r.ok()) << r.status().message();
    bool unqualified = IsUnqualified(ClassifyLiteral(ref).form);
    EXPECT_EQ(r->key->account, unqualified ? writer : owner);
  }
}

}  // namespace
}  // namespace ck::tools::lint
