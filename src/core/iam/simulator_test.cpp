#include "core/iam/simulator.h"

#include <gtest/gtest.h>

namespace ck::core::iam {
namespace {

SimulatedPolicy Make(const std::string& id, const std::string& doc) {
  auto parsed = ParsePolicy(doc, PolicyKind::kIdentity);
  EXPECT_TRUE(parsed.ok()) << parsed.status().message();
  return SimulatedPolicy{id, "IAM Policy", std::move(*parsed), StatementSpans(doc)};
}

TEST(StatementSpans, RecordedSingleLineDocuments) {
  // Recorded on AWS (SimulatePrincipalPolicy): the document as Python's
  // json.dumps writes it, statement at columns 41..113 of line 1.
  auto spans = StatementSpans(
      R"({"Version": "2012-10-17", "Statement": {"Sid": "", "Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"}})");
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].start.line, 1);
  EXPECT_EQ(spans[0].start.column, 41);
  EXPECT_EQ(spans[0].end.line, 1);
  EXPECT_EQ(spans[0].end.column, 113);
  // AWS CLI reference example (simulate-custom-policy): columns 38..167.
  spans = StatementSpans(
      R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2018-08-16T12:00:00Z"}}}})");
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].start.column, 38);
  EXPECT_EQ(spans[0].end.column, 167);
}

TEST(StatementSpans, ArraysLinesAndStringsWithBraces) {
  std::string doc =
      "{\n"
      "  \"Version\": \"2012-10-17\",\n"
      "  \"Statement\": [\n"
      "    {\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"arn:aws:s3:::a}{\"},\n"
      "    {\n"
      "      \"Effect\": \"Deny\", \"Action\": \"s3:Get*\", \"Resource\": \"*\"\n"
      "    }\n"
      "  ]\n"
      "}";
  auto spans = StatementSpans(doc);
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[0].start.line, 4);
  EXPECT_EQ(spans[0].start.column, 6);
  EXPECT_EQ(spans[0].end.line, 4);
  EXPECT_EQ(spans[1].start.line, 5);
  EXPECT_EQ(spans[1].end.line, 7);
  EXPECT_EQ(spans[1].end.column, 6);
  EXPECT_TRUE(StatementSpans("not json").empty());
  EXPECT_TRUE(StatementSpans(R"({"Version": "2012-10-17"})").empty());
}

TEST(Simulate, AllowDenyAndImplicitDeny) {
  SimulationInput in;
  in.identity.push_back(Make("a", R"({"Version":"2012-10-17","Statement":[
      {"Effect":"Allow","Action":"s3:*","Resource":"*"},
      {"Effect":"Deny","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::b/*"}]})"));
  auto put = Simulate(in, "s3:PutObject", "arn:aws:s3:::b/k");
  EXPECT_EQ(put.decision, SimulatedDecision::kAllowed);
  ASSERT_EQ(put.matched.size(), 1u);
  EXPECT_EQ(put.matched[0].index, 0u);
  auto del = Simulate(in, "s3:DeleteObject", "arn:aws:s3:::b/k");
  EXPECT_EQ(del.decision, SimulatedDecision::kExplicitDeny);
  ASSERT_EQ(del.matched.size(), 1u);
  EXPECT_EQ(del.matched[0].index, 1u);
  auto kms = Simulate(in, "kms:Decrypt", "*");
  EXPECT_EQ(kms.decision, SimulatedDecision::kImplicitDeny);
  EXPECT_TRUE(kms.matched.empty());
  EXPECT_FALSE(kms.allowed_by_boundary.has_value());
}

TEST(Simulate, ContextValuesAndMissingKeys) {
  SimulationInput in;
  in.identity.push_back(Make("PolicyInputList.1", R"({"Version":"2012-10-17","Statement":{"Effect":"Allow",
      "Action":"dynamodb:*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2018-08-16T12:00:00Z"}}}})"));
  auto none = Simulate(in, "dynamodb:CreateBackup", "*");
  EXPECT_EQ(none.decision, SimulatedDecision::kImplicitDeny);
  EXPECT_EQ(none.missing_context, std::vector<std::string>{"aws:CurrentTime"});
  in.keys["aws:currenttime"] = {"2019-04-25T11:00:00Z"};
  auto later = Simulate(in, "dynamodb:CreateBackup", "*");
  EXPECT_EQ(later.decision, SimulatedDecision::kAllowed);
  EXPECT_TRUE(later.missing_context.empty());
  in.keys["aws:currenttime"] = {"2014-04-25T11:00:00Z"};
  EXPECT_EQ(Simulate(in, "dynamodb:CreateBackup", "*").decision, SimulatedDecision::kImplicitDeny);
  // A statement whose action does not match asks for nothing.
  EXPECT_TRUE(Simulate(in, "s3:GetObject", "*").missing_context.empty());
}

TEST(Simulate, PermissionsBoundaryMustAllowToo) {
  SimulationInput in;
  in.identity.push_back(
      Make("p", R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}})"));
  in.boundary.push_back(
      Make("b", R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}})"));
  auto s3 = Simulate(in, "s3:GetObject", "*");
  EXPECT_EQ(s3.decision, SimulatedDecision::kAllowed);
  EXPECT_EQ(s3.allowed_by_boundary, true);
  auto kms = Simulate(in, "kms:Decrypt", "*");
  EXPECT_EQ(kms.decision, SimulatedDecision::kImplicitDeny);
  EXPECT_EQ(kms.allowed_by_boundary, false);
  EXPECT_TRUE(kms.matched.empty());
}

TEST(ConditionKeysOf, SortedWithoutDuplicates) {
  auto a = ParsePolicy(R"({"Version":"2012-10-17","Statement":[
      {"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"s3:prefix":"x","aws:SourceIp":"1"}}},
      {"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringLike":{"AWS:SourceIp":"2"}}}]})",
                       PolicyKind::kIdentity);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(ConditionKeysOf({&*a}), (std::vector<std::string>{"aws:SourceIp", "s3:prefix"}));
}

}  // namespace
}  // namespace ck::core::iam
