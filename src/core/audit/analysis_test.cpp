#include "core/audit/analysis.h"

#include <gtest/gtest.h>

namespace ck::core::audit {
namespace {

iam::Policy Parse(const std::string& json, iam::PolicyKind kind) {
  auto p = iam::ParsePolicy(json, kind);
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  return *p;
}

TEST(Audit, ClassifiesReferences) {
  EXPECT_EQ(ClassifyRef("arn:aws:kms:us-east-1:111111111111:key/11111111-1111-1111-1111-111111111111"),
            RefKind::kKeyArn);
  EXPECT_EQ(ClassifyRef("arn:aws:kms:us-east-1:111111111111:alias/my-key"), RefKind::kAliasArn);
  EXPECT_EQ(ClassifyRef("alias/my-key"), RefKind::kAliasName);
  EXPECT_EQ(ClassifyRef("11111111-1111-1111-1111-111111111111"), RefKind::kKeyId);
  EXPECT_EQ(ClassifyRef(""), RefKind::kNone);
  EXPECT_EQ(ClassifyRef("aws/s3"), RefKind::kInvalid);
  EXPECT_EQ(ClassifyRef("arn:aws:s3:::bucket"), RefKind::kInvalid);
}

TEST(Audit, ForeignWritersComeFromAllowStatementsCoveringPutObject) {
  auto policy = Parse(R"({"Version":"2012-10-17","Statement":[
    {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:role/role2"},"Action":["s3:PutObject","s3:GetObject"],"Resource":"arn:aws:s3:::b/*"},
    {"Effect":"Allow","Principal":{"AWS":"333333333333"},"Action":"s3:*","Resource":"arn:aws:s3:::b/*"},
    {"Effect":"Allow","Principal":{"AWS":"444444444444"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},
    {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::b/*"},
    {"Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::b/*"}]})",
                      iam::PolicyKind::kResource);
  auto writers = ForeignWriters(policy, "111111111111");
  ASSERT_EQ(writers.size(), 2u);
  EXPECT_EQ(writers[0].account, "222222222222");
  EXPECT_EQ(writers[0].principal, "arn:aws:iam::222222222222:role/role2");
  EXPECT_EQ(writers[1].account, "333333333333");
}

TEST(Audit, WriterModesAreTheSeedsFailureModes) {
  BucketDefault alias{"aws:kms", "alias/my-key", false};
  EXPECT_EQ(ModeForWriter(alias, Resolves::kMissing), WriterMode::kPutFails);
  EXPECT_EQ(ModeForWriter(alias, Resolves::kToKey), WriterMode::kWriterKeySilently);
  EXPECT_EQ(ModeForWriter(alias, Resolves::kUnknown), WriterMode::kUnknown);
  BucketDefault arn{"aws:kms", "arn:aws:kms:us-east-1:111111111111:alias/my-key", false};
  EXPECT_EQ(ModeForWriter(arn, Resolves::kMissing), WriterMode::kSafe);
  BucketDefault managed{"aws:kms", "", false};
  EXPECT_EQ(ModeForWriter(managed, Resolves::kUnknown), WriterMode::kWriterManagedKey);
  BucketDefault s3{"AES256", "", false};
  EXPECT_EQ(ModeForWriter(s3, Resolves::kUnknown), WriterMode::kNotKms);
}

TEST(Audit, ClassifiesObjects) {
  BucketDefault d{"aws:kms", "alias/my-key", false};
  const std::string k1 = "arn:aws:kms:us-east-1:111111111111:key/k1";
  const std::string k2 = "arn:aws:kms:us-east-1:222222222222:key/k2";
  ObjectFacts own{"a", "null", true, 1, "", "aws:kms", k1, false};
  EXPECT_FALSE(Classify(own, d, "111111111111", k1, nullptr).has_value());

  ObjectFacts foreign{"b", "null", true, 1, "", "aws:kms", k2, false};
  auto unknown = Classify(foreign, d, "111111111111", k1, nullptr);
  ASSERT_TRUE(unknown.has_value());
  EXPECT_EQ(unknown->kind, FindingKind::kForeignKey);
  EXPECT_EQ(unknown->key_account, "222222222222");
  EXPECT_FALSE(unknown->owner_can_decrypt.has_value());

  KeyFacts managed{k2, "222222222222", true, std::nullopt};
  auto m = Classify(foreign, d, "111111111111", k1, &managed);
  EXPECT_EQ(m->kind, FindingKind::kForeignManagedKey);
  EXPECT_EQ(m->owner_can_decrypt, false);

  KeyFacts customer{k2, "222222222222", false, false};
  EXPECT_EQ(Classify(foreign, d, "111111111111", k1, &customer)->kind, FindingKind::kForeignCustomerKey);

  ObjectFacts sse_s3{"c", "null", true, 1, "", "AES256", "", false};
  EXPECT_EQ(Classify(sse_s3, d, "111111111111", k1, nullptr)->kind, FindingKind::kSseS3WhereKmsRequired);
  EXPECT_FALSE(Classify(sse_s3, BucketDefault{}, "111111111111", "", nullptr).has_value());

  ObjectFacts sse_c{"d", "null", true, 1, "", "", "", true};
  auto c = Classify(sse_c, d, "111111111111", k1, nullptr);
  EXPECT_EQ(c->kind, FindingKind::kSseC);
  EXPECT_FALSE(c->fixable);
}

TEST(Audit, KeyPolicyDecryptForAnAccount) {
  auto own_only = Parse(R"({"Version":"2012-10-17","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow",
    "Principal":{"AWS":"arn:aws:iam::222222222222:root"},"Action":"kms:*","Resource":"*"}]})",
                        iam::PolicyKind::kKeyPolicy);
  EXPECT_EQ(PolicyLetsAccountDecrypt(own_only, "111111111111"), false);
  EXPECT_EQ(PolicyLetsAccountDecrypt(own_only, "222222222222"), true);
  auto shared = Parse(R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",
    "Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":["kms:Decrypt"],"Resource":"*",
    "Condition":{"StringEquals":{"kms:ViaService":"s3.us-east-1.amazonaws.com"}}}]})",
                      iam::PolicyKind::kKeyPolicy);
  EXPECT_FALSE(PolicyLetsAccountDecrypt(shared, "111111111111").has_value());
}

}  // namespace
}  // namespace ck::core::audit
