// The rules applied to inputs read from each format.
#include "tools/lint/rules.h"

#include <gtest/gtest.h>

#include "tools/lint/cloudformation.h"
#include "tools/lint/hcl_reader.h"
#include "tools/lint/json_reader.h"
#include "tools/lint/policy.h"
#include "tools/lint/terraform.h"
#include "tools/lint/yaml_reader.h"

namespace ck::tools::lint {
namespace {

std::vector<Finding> LintHcl(const std::string& text, const ReadOptions& options = {}) {
  HclFile f;
  ParseError e;
  EXPECT_TRUE(ParseHcl(text, 0, &f.body, &e)) << e.message;
  return Check(ReadTerraformModule("m", {f}, options));
}

std::vector<Finding> LintYaml(const std::string& text, const ReadOptions& options = {}) {
  Node root;
  ParseError e;
  EXPECT_TRUE(ParseYaml(text, 0, &root, &e)) << e.message;
  NormalizeIntrinsics(&root, text);
  return Check(ReadCloudFormation("t.yaml", 0, &root, true, options));
}

std::vector<Finding> LintJson(const std::string& text, const ReadOptions& options = {}) {
  Node root;
  ParseError e;
  EXPECT_TRUE(ParseJson(text, 0, 0, true, {}, &root, &e)) << e.message;
  Format format;
  if (LooksLikeTerraformJson(root, &format)) return Check(ReadTerraformJson("p.json", 0, root, format, options));
  NormalizeIntrinsics(&root, text);
  return Check(ReadCloudFormation("t.json", 0, &root, false, options));
}

std::string At(const std::string& text, Span s) { return text.substr(s.begin, s.end - s.begin); }

const std::string kBucketPolicy = R"(
resource "aws_s3_bucket" "b" {
  bucket = "bucket1"
}
resource "aws_s3_bucket_policy" "b" {
  bucket = aws_s3_bucket.b.id
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Principal = { AWS = "222222222222" }, Action = "s3:PutObject", Resource = "*" }]
  })
}
)";

std::string Sse(const std::string& key) {
  return R"(
resource "aws_s3_bucket_server_side_encryption_configuration" "b" {
  bucket = aws_s3_bucket.b.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = )" +
         key + R"(
    }
  }
}
)";
}

TEST(Rules, SeedBucketIsAnErrorWithTheAliasArnFromFlags) {
  std::string text = kBucketPolicy + Sse("\"alias/my-key\"");
  auto findings = LintHcl(text, {"111111111111", "us-east-1"});
  ASSERT_EQ(findings.size(), 1u);
  const Finding& f = findings[0];
  EXPECT_EQ(f.rule->id, "CK001");
  EXPECT_EQ(At(text, f.span), "\"alias/my-key\"");
  EXPECT_EQ(f.arn, "arn:aws:kms:us-east-1:111111111111:alias/my-key");
  EXPECT_EQ(f.replacement, "\"arn:aws:kms:us-east-1:111111111111:alias/my-key\"");
  ASSERT_EQ(f.related.size(), 1u);
  EXPECT_NE(f.message.find("arn:aws:kms:us-east-1:222222222222:alias/my-key"), std::string::npos) << f.message;
}

TEST(Rules, WithoutAnotherWriterItIsAWarning) {
  auto findings = LintHcl("resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n}\n" + Sse("\"alias/my-key\""));
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].rule->id, "CK002");
  EXPECT_TRUE(findings[0].replacement.empty());  // no account or region: lint cannot compute the ARN
}

TEST(Rules, TheOwnersOwnAccountIsNotAnotherWriter) {
  std::string text = kBucketPolicy + Sse("\"alias/my-key\"");
  auto findings = LintHcl(text, {"222222222222", ""});
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].rule->id, "CK002");
}

TEST(Rules, ReferencesThatAreArnsAreClean) {
  std::string keys =
      "resource \"aws_kms_key\" \"k\" {}\nresource \"aws_kms_alias\" \"a\" {\n  name = \"alias/my-key\"\n"
      "  target_key_id = aws_kms_key.k.key_id\n}\n";
  for (std::string ref : {"aws_kms_key.k.arn", "aws_kms_alias.a.arn", "aws_kms_alias.a.target_key_arn",
                          "\"arn:aws:kms:us-east-1:111111111111:alias/my-key\"",
                          "\"arn:aws:kms:${var.region}:${var.account}:alias/my-key\""}) {
    SCOPED_TRACE(ref);
    auto findings = LintHcl(keys + Sse(ref));
    EXPECT_TRUE(findings.empty()) << findings[0].message;
  }
}

TEST(Rules, KeyIdAttributesAreUnqualifiedAndFixable) {
  std::string keys =
      "resource \"aws_kms_key\" \"k\" {}\nresource \"aws_kms_alias\" \"a\" {\n  name = \"alias/my-key\"\n"
      "  target_key_id = aws_kms_key.k.key_id\n}\n";
  struct Case {
    std::string ref, replacement;
  };
  for (const Case& c :
       {Case{"aws_kms_key.k.key_id", "aws_kms_key.k.arn"}, Case{"aws_kms_key.k.id", "aws_kms_key.k.arn"},
        Case{"aws_kms_alias.a.name", "aws_kms_alias.a.arn"},
        Case{"aws_kms_alias.a.target_key_id", "aws_kms_alias.a.target_key_arn"},
        Case{"\"alias/my-key\"", "aws_kms_alias.a.arn"}}) {
    SCOPED_TRACE(c.ref);
    auto findings = LintHcl(keys + Sse(c.ref));
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_EQ(findings[0].rule->id, "CK002");
    EXPECT_EQ(findings[0].replacement, c.replacement);
  }
}

TEST(Rules, UnknownExpressionsAreNotes) {
  auto findings = LintHcl(Sse("var.key"));
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].rule->id, "CK007");
  EXPECT_EQ(findings[0].rule->severity, Severity::kNote);
}

TEST(Rules, KeyPolicyMustLetTheWriterIn) {
  std::string key = R"(
resource "aws_kms_key" "k" {
  policy = jsonencode({ Statement = [{ Effect = "Allow", Principal = { AWS = "arn:aws:iam::222222222222:root" },
                                       Action = ["kms:Decrypt"], Resource = "*" }] })
}
)";
  auto findings = LintHcl(key + kBucketPolicy + Sse("aws_kms_key.k.arn"));
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].rule->id, "CK005");
  EXPECT_NE(findings[0].message.find("kms:GenerateDataKey"), std::string::npos);
  EXPECT_EQ(findings[0].message.find("kms:Decrypt"), std::string::npos);  // that one is granted

  std::string grant =
      "resource \"aws_kms_grant\" \"g\" {\n  key_id = aws_kms_key.k.id\n"
      "  grantee_principal = \"arn:aws:iam::222222222222:role/w\"\n  operations = [\"GenerateDataKey\"]\n}\n";
  EXPECT_TRUE(LintHcl(key + grant + kBucketPolicy + Sse("aws_kms_key.k.arn")).empty());
}

TEST(Rules, SecretsShareWithAResourcePolicy) {
  std::string policy = R"(
resource "aws_secretsmanager_secret_policy" "p" {
  secret_arn = aws_secretsmanager_secret.s.arn
  policy = "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"secretsmanager:*\",\"Resource\":\"*\"}]}"
}
)";
  auto unqualified =
      LintHcl("resource \"aws_secretsmanager_secret\" \"s\" {\n  kms_key_id = \"alias/k\"\n}\n" + policy);
  ASSERT_EQ(unqualified.size(), 1u);
  EXPECT_EQ(unqualified[0].rule->id, "CK003");
  auto managed = LintHcl("resource \"aws_secretsmanager_secret\" \"s\" {\n  name = \"s\"\n}\n" + policy);
  ASSERT_EQ(managed.size(), 1u);
  EXPECT_EQ(managed[0].rule->id, "CK004");
  EXPECT_TRUE(LintHcl("resource \"aws_secretsmanager_secret\" \"s\" {\n  kms_key_id = \"alias/k\"\n}\n").empty());
}

TEST(Rules, CloudFormationRefOfAKeyIsItsKeyId) {
  std::string text = R"(Resources:
  Key:
    Type: AWS::KMS::Key
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault:
              SSEAlgorithm: aws:kms
              KMSMasterKeyID: !Ref Key
)";
  auto findings = LintYaml(text);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].rule->id, "CK002");
  EXPECT_EQ(At(text, findings[0].span), "!Ref Key");
  EXPECT_EQ(findings[0].replacement, "!GetAtt Key.Arn");

  auto clean = LintYaml(text.substr(0, text.find("!Ref Key")) + "!GetAtt Key.Arn\n");
  EXPECT_TRUE(clean.empty());
}

TEST(Rules, CloudFormationJsonLiteralGetsASubOrTheArn) {
  std::string text = R"({"Resources": {"B": {"Type": "AWS::S3::Bucket", "Properties": {"BucketEncryption": {
  "ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {
    "SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "alias/k"}}]}}}}})";
  auto findings = LintJson(text);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].replacement,
            "{\"Fn::Sub\": \"arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:alias/k\"}");
  findings = LintJson(text, {"111111111111", "eu-west-1"});
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].replacement, "\"arn:aws:kms:eu-west-1:111111111111:alias/k\"");
}

TEST(Rules, CloudFormationManagedKeyOnASharedQueue) {
  std::string text = R"(Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties: { KmsMasterKeyId: alias/aws/sqs }
  P:
    Type: AWS::SQS::QueuePolicy
    Properties:
      Queues: [!Ref Q]
      PolicyDocument:
        Statement: [{ Effect: Allow, Principal: { AWS: !Sub "arn:aws:iam::${Other}:root" }, Action: "sqs:*" },
                    { Effect: Allow, Principal: "*", Action: "sqs:SendMessage" }]
)";
  auto findings = LintYaml(text);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].rule->id, "CK004");
}

TEST(Rules, PlanValuesKnownAfterApplyKeepTheirReferences) {
  // Trimmed from `terraform show -json` of a plan creating a key and a bucket.
  std::string plan = R"({
  "format_version": "1.2",
  "planned_values": {"root_module": {"resources": [
    {"address": "aws_s3_bucket_server_side_encryption_configuration.e", "mode": "managed",
     "type": "aws_s3_bucket_server_side_encryption_configuration", "name": "e",
     "values": {"expected_bucket_owner": null, "rule": [{"apply_server_side_encryption_by_default": [
       {"sse_algorithm": "aws:kms"}], "bucket_key_enabled": null}]}}]}},
  "resource_changes": [{"address": "aws_s3_bucket_server_side_encryption_configuration.e",
    "change": {"after_unknown": {"bucket": true, "id": true, "rule": [{"apply_server_side_encryption_by_default": [
      {"kms_master_key_id": true}]}]}}}],
  "configuration": {"root_module": {"resources": [{"address": "aws_s3_bucket_server_side_encryption_configuration.e",
    "expressions": {"rule": [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": {
      "references": [KEY]}}]}]}}]}}
})";
  auto with = [&](const std::string& refs) {
    std::string p = plan;
    p.replace(p.find("KEY"), 3, refs);
    return LintJson(p);
  };
  EXPECT_TRUE(with(R"("aws_kms_key.k.arn", "aws_kms_key.k")").empty());
  auto findings = with(R"("aws_kms_key.k.key_id", "aws_kms_key.k")");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].rule->id, "CK002");
  EXPECT_EQ(findings[0].suggestion, "aws_kms_key.k.arn");
  EXPECT_TRUE(findings[0].replacement.empty());  // plans are not rewritten
}

TEST(Policy, ActionsAndNotActions) {
  PolicyStatement s;
  s.actions = {"s3:put*"};
  EXPECT_TRUE(Allows(s, "s3:PutObject"));
  EXPECT_FALSE(Allows(s, "s3:GetObject"));
  s.not_action = true;
  EXPECT_FALSE(Allows(s, "s3:PutObject"));
  EXPECT_TRUE(Allows(s, "s3:GetObject"));
  s.allow = false;
  EXPECT_FALSE(Allows(s, "s3:GetObject"));
}

TEST(Policy, PrincipalsWrittenAsExpressions) {
  std::string text = R"(
a = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"
b = "arn:aws:iam::222222222222:role/${var.name}"
c = var.principal
)";
  Node body;
  ParseError e;
  ASSERT_TRUE(ParseHcl(text, 0, &body, &e));
  EXPECT_EQ(PrincipalOf(*body.Get("a")).kind, PolicyPrincipal::Kind::kOwn);
  EXPECT_EQ(PrincipalOf(*body.Get("b")).account, "222222222222");
  EXPECT_EQ(PrincipalOf(*body.Get("c")).kind, PolicyPrincipal::Kind::kUnknown);
}

}  // namespace
}  // namespace ck::tools::lint
