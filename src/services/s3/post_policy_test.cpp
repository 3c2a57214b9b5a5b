#include "services/s3/post_policy.h"

#include <gtest/gtest.h>

namespace ck::services::s3 {
namespace {

TimePoint At(const char* iso) { return *ParseIso8601(iso); }

PostPolicy Parse(const std::string& conditions, const char* expiration = "2030-01-01T00:00:00.000Z") {
  auto p = ParsePostPolicy(std::string("{\"expiration\": \"") + expiration + "\", \"conditions\": " + conditions + "}");
  EXPECT_TRUE(p.ok()) << p.status().message();
  return p.ok() ? *p : PostPolicy{};
}

Status Check(const PostPolicy& p, std::vector<wire::FormField> fields, const char* now = "2029-06-01T00:00:00Z") {
  return CheckPostPolicy(p, fields, "bucket1", At(now));
}

TEST(PostPolicyTest, ExpirationBothForms) {
  EXPECT_EQ(Parse("[]", "2030-01-01T00:00:00Z").expiration, At("2030-01-01T00:00:00Z"));
  PostPolicy p = Parse("[]", "2030-01-01T00:00:00.000Z");
  EXPECT_TRUE(Check(p, {}).ok());
  Status expired = Check(p, {}, "2030-01-01T00:00:01Z");
  EXPECT_EQ(expired.aws_code(), "AccessDenied");
  EXPECT_EQ(expired.message(), "Invalid according to Policy: Policy expired.");
}

TEST(PostPolicyTest, InvalidDocuments) {
  for (const char* doc : {"not json", "[]", "{\"conditions\": []}", "{\"expiration\": \"2030-01-01T00:00:00Z\"}",
                          "{\"expiration\": \"tomorrow\", \"conditions\": []}",
                          "{\"expiration\": \"2030-01-01T00:00:00Z\", \"conditions\": [[\"eq\", \"$a\"]]}",
                          "{\"expiration\": \"2030-01-01T00:00:00Z\", \"conditions\": [[\"like\", \"$a\", \"b\"]]}",
                          "{\"expiration\": \"2030-01-01T00:00:00Z\", \"conditions\": [\"x\"]}"}) {
    auto p = ParsePostPolicy(doc);
    ASSERT_FALSE(p.ok()) << doc;
    EXPECT_EQ(p.status().aws_code(), "InvalidPolicyDocument") << doc;
  }
  auto two = ParsePostPolicy(R"({"expiration": "2030-01-01T00:00:00Z", "conditions": [{"bucket": "b", "key": "k"}]})");
  ASSERT_FALSE(two.ok());
  EXPECT_EQ(two.status().message(),
            "Invalid Policy: Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.");
}

TEST(PostPolicyTest, EqAndSimpleConditions) {
  PostPolicy p = Parse(R"([{"bucket": "bucket1"}, {"Key": "a/b"}, ["eq", "$Content-Type", "text/plain"]])");
  EXPECT_TRUE(Check(p, {{"key", "a/b"}, {"content-type", "text/plain"}}).ok());
  // Field names without case; values with.
  EXPECT_TRUE(Check(p, {{"KEY", "a/b"}, {"Content-Type", "text/plain"}}).ok());
  Status st = Check(p, {{"key", "a/b"}, {"content-type", "Text/plain"}});
  EXPECT_EQ(st.aws_code(), "AccessDenied");
  EXPECT_EQ(st.message(),
            R"(Invalid according to Policy: Policy Condition failed: ["eq", "$Content-Type", "text/plain"])");
  st = Check(p, {{"key", "a/c"}, {"content-type", "text/plain"}});
  EXPECT_EQ(st.message(), R"(Invalid according to Policy: Policy Condition failed: ["eq", "$Key", "a/b"])");
  // $bucket is the bucket posted to.
  PostPolicy other = Parse(R"([["eq", "$bucket", "bucket2"]])");
  EXPECT_EQ(Check(other, {}).aws_code(), "AccessDenied");
}

TEST(PostPolicyTest, NameWithoutDollarNeverHolds) {
  PostPolicy p = Parse(R"([["eq", "success_action_redirect", "http://a/"]])");
  Status st = Check(p, {{"success_action_redirect", "http://a/"}});
  EXPECT_EQ(st.message(),
            R"(Invalid according to Policy: Policy Condition failed: ["eq", "success_action_redirect", "http://a/"])");
}

TEST(PostPolicyTest, StartsWith) {
  PostPolicy p = Parse(R"([["starts-with", "$key", "user/"], ["starts-with", "$success_action_redirect", ""]])");
  EXPECT_TRUE(Check(p, {{"key", "user/x"}, {"success_action_redirect", "anything"}}).ok());
  EXPECT_TRUE(Check(p, {{"key", "user/"}}).ok());  // "" accepts anything, an absent field too
  EXPECT_EQ(Check(p, {{"key", "User/x"}}).message(),
            R"(Invalid according to Policy: Policy Condition failed: ["starts-with", "$key", "user/"])");
}

TEST(PostPolicyTest, ExtraFields) {
  PostPolicy p = Parse(R"([{"key": "k"}])");
  EXPECT_TRUE(Check(p, {{"key", "k"},
                        {"Policy", "x"},
                        {"X-Amz-Signature", "s"},
                        {"AWSAccessKeyId", "a"},
                        {"signature", "s"},
                        {"x-ignore-anything", "v"}})
                  .ok());
  Status st = Check(p, {{"key", "k"}, {"x-amz-meta-a", "1"}});
  EXPECT_EQ(st.aws_code(), "AccessDenied");
  EXPECT_EQ(st.message(), "Invalid according to Policy: Extra input fields: x-amz-meta-a");
}

TEST(PostPolicyTest, ContentLengthRange) {
  PostPolicy p = Parse(R"([["content-length-range", 5, 10], ["content-length-range", "0", "20"]])");
  EXPECT_TRUE(Check(p, {}).ok());
  EXPECT_EQ(PostMaxSize(p), 10u);
  EXPECT_TRUE(CheckPostSize(p, 5).ok());
  EXPECT_TRUE(CheckPostSize(p, 10).ok());
  Status small = CheckPostSize(p, 1);
  EXPECT_EQ(small.aws_code(), "EntityTooSmall");
  EXPECT_EQ(small.message(), "Your proposed upload is smaller than the minimum allowed size");
  Status large = CheckPostSize(p, 12);
  EXPECT_EQ(large.aws_code(), "EntityTooLarge");
  ASSERT_EQ(large.fields().size(), 2u);
  // Values that are not integers make the condition fail as written (recorded).
  PostPolicy bad = Parse(R"([["content-length-range", "test", "10"]])");
  EXPECT_EQ(Check(bad, {}).message(),
            R"(Invalid according to Policy: Policy Condition failed: ["content-length-range", "test", "10"])");
}

}  // namespace
}  // namespace ck::services::s3
