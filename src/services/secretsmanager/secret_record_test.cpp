#include "services/secretsmanager/secret_record.h"

#include <gtest/gtest.h>

namespace ck::services::sm {
namespace {

SecretVersion V(const std::string& id) {
  SecretVersion v;
  v.id = id;
  return v;
}

TEST(SecretRecordTest, NewCurrentDemotesOldCurrentToPrevious) {
  Secret s;
  s.AddVersion(V("v1"), {"AWSCURRENT"});
  s.AddVersion(V("v2"), {"AWSCURRENT"});
  s.AddVersion(V("v3"), {"AWSCURRENT"});
  EXPECT_EQ(s.versions["v3"].stages, std::vector<std::string>{"AWSCURRENT"});
  EXPECT_EQ(s.versions["v2"].stages, std::vector<std::string>{"AWSPREVIOUS"});
  EXPECT_TRUE(s.versions["v1"].stages.empty());  // deprecated, still kept
  EXPECT_EQ(s.VersionIdsToStages().size(), 2u);
}

TEST(SecretRecordTest, PendingDoesNotTouchCurrent) {
  Secret s;
  s.AddVersion(V("v1"), {"AWSCURRENT"});
  s.AddVersion(V("v2"), {"AWSPENDING"});
  EXPECT_EQ(s.WithStage("AWSCURRENT")->id, "v1");
  EXPECT_EQ(s.WithStage("AWSPENDING")->id, "v2");
  EXPECT_EQ(s.WithStage("AWSPREVIOUS"), nullptr);
}

TEST(SecretRecordTest, NewCurrentTakesPendingOffTheOldCurrent) {
  // AWS recording (test_update_secret_version_stages_current_pending): the
  // old current, also pending, keeps AWSPREVIOUS only; other labels stay.
  Secret s;
  s.AddVersion(V("v1"), {"AWSCURRENT"});
  s.AddVersion(V("v2"), {"AWSPENDING", "MINE"});
  s.MoveStage("AWSCURRENT", "v1", "v2");
  s.MoveStage("AWSPREVIOUS", "", "v1");
  s.AddVersion(V("v3"), {"AWSCURRENT"});
  EXPECT_EQ(s.versions["v2"].stages, (std::vector<std::string>{"MINE", "AWSPREVIOUS"}));
  EXPECT_EQ(s.WithStage("AWSPENDING"), nullptr);
  EXPECT_TRUE(s.versions["v1"].stages.empty());
}

TEST(SecretRecordTest, PrunesOnlyUnlabeledOldestFirst) {
  Secret s;
  for (size_t i = 0; i < kMaxVersions + 5; ++i) s.AddVersion(V("v" + std::to_string(i)), {"AWSCURRENT"});
  EXPECT_EQ(s.versions.size(), kMaxVersions);
  EXPECT_FALSE(s.versions.count("v0"));
  EXPECT_TRUE(s.versions.count("v" + std::to_string(kMaxVersions + 4)));
}

TEST(SecretRecordTest, JsonRoundTripKeepsSealedBytes) {
  Secret s;
  s.name = "n";
  SecretVersion v = V("v1");
  v.data_key_blob = std::string("\x00\x01\xff", 3);
  v.sealed = "sealed";
  s.AddVersion(v, {"AWSCURRENT"});
  s.versions["v1"].default_key = true;
  s.versions["v1"].last_accessed = FromEpochSeconds(1796342400);
  s.tagged = true;
  Secret back = Secret::FromJson(s.ToJson());
  EXPECT_EQ(back.versions["v1"].data_key_blob, v.data_key_blob);
  EXPECT_EQ(back.versions["v1"].default_key, std::optional<bool>(true));
  EXPECT_EQ(back.versions["v1"].last_accessed, std::optional<TimePoint>(FromEpochSeconds(1796342400)));
  EXPECT_EQ(back.tagged, std::optional<bool>(true));
  EXPECT_EQ(back.versions["v1"].stages, std::vector<std::string>{"AWSCURRENT"});
  EXPECT_EQ(back.next_seq, s.next_seq);
}

TEST(SecretRecordTest, ArnHasSixCharacterSuffix) {
  std::string arn = NewSecretArn("us-east-1", "111111111111", "a/b");
  ASSERT_EQ(arn.rfind("arn:aws:secretsmanager:us-east-1:111111111111:secret:a/b-", 0), 0u);
  EXPECT_EQ(arn.size(), std::string("arn:aws:secretsmanager:us-east-1:111111111111:secret:a/b-").size() + 6);
}

}  // namespace
}  // namespace ck::services::sm
