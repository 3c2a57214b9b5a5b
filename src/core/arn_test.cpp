#include "core/arn.h"

#include <gtest/gtest.h>

namespace ck::core {
namespace {

TEST(Arn, ParsesKmsKeyArn) {
  auto arn = Arn::Parse("arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab");
  ASSERT_TRUE(arn.ok());
  EXPECT_EQ(arn->partition, "aws");
  EXPECT_EQ(arn->service, "kms");
  EXPECT_EQ(arn->region, "us-east-1");
  EXPECT_EQ(arn->account, "111111111111");
  EXPECT_EQ(arn->resource, "key/1234abcd-12ab");
  EXPECT_EQ(arn->ResourceType(), "key");
  EXPECT_EQ(arn->ResourceId(), "1234abcd-12ab");
}

TEST(Arn, EmptyRegionAndAccountForS3) {
  auto arn = Arn::Parse("arn:aws:s3:::bucket1/dir/obj.txt");
  ASSERT_TRUE(arn.ok());
  EXPECT_EQ(arn->region, "");
  EXPECT_EQ(arn->account, "");
  EXPECT_EQ(arn->ResourceType(), "bucket1");
  EXPECT_EQ(arn->ResourceId(), "dir/obj.txt");
  EXPECT_EQ(arn->ResourceName(), "obj.txt");
}

TEST(Arn, BucketWithoutSeparatorHasEmptyType) {
  auto arn = Arn::Parse("arn:aws:s3:::bucket1");
  ASSERT_TRUE(arn.ok());
  EXPECT_EQ(arn->ResourceType(), "");
  EXPECT_EQ(arn->ResourceId(), "bucket1");
}

TEST(Arn, ResourceKeepsItsColons) {
  auto arn = Arn::Parse("arn:aws:lambda:us-east-1:1:function:my-fn:PROD");
  ASSERT_TRUE(arn.ok());
  EXPECT_EQ(arn->resource, "function:my-fn:PROD");
  EXPECT_EQ(arn->ResourceType(), "function");
  EXPECT_EQ(arn->ResourceId(), "my-fn:PROD");
}

TEST(Arn, RoleWithPathAndAssumedRole) {
  auto role = Arn::Parse("arn:aws:iam::222222222222:role/team/app/role2");
  ASSERT_TRUE(role.ok());
  EXPECT_EQ(role->ResourceType(), "role");
  EXPECT_EQ(role->ResourceId(), "team/app/role2");
  EXPECT_EQ(role->ResourceName(), "role2");
  auto sess = Arn::Parse("arn:aws:sts::222222222222:assumed-role/role2/sess");
  ASSERT_TRUE(sess.ok());
  EXPECT_EQ(sess->service, "sts");
  EXPECT_EQ(sess->ResourceType(), "assumed-role");
  EXPECT_EQ(sess->ResourceId(), "role2/sess");
}

TEST(Arn, SeparatorIsWhicheverComesFirst) {
  auto arn = Arn::Parse("arn:aws:logs:us-east-1:1:log-group:/aws/lambda/x");
  ASSERT_TRUE(arn.ok());
  EXPECT_EQ(arn->ResourceType(), "log-group");
  EXPECT_EQ(arn->ResourceId(), "/aws/lambda/x");
}

TEST(Arn, RoundTripsThroughToString) {
  for (const char* text : {"arn:aws:kms:us-east-1:111111111111:alias/my-key", "arn:aws:s3:::b/k",
                           "arn:aws-cn:iam::1:root", "arn:aws:sts::1:assumed-role/r/s"}) {
    auto arn = Arn::Parse(text);
    ASSERT_TRUE(arn.ok()) << text;
    EXPECT_EQ(arn->ToString(), text);
  }
}

TEST(Arn, RejectsMalformed) {
  for (const char* text : {"", "arn", "arn:aws:kms", "arn:aws:kms:us-east-1:1", "arn::kms:r:1:key/x",
                           "arn:aws::r:1:key/x", "arn:aws:kms:r:1:", "urn:aws:kms:r:1:key/x", "alias/my-key",
                           "1234abcd-12ab"}) {
    auto arn = Arn::Parse(text);
    EXPECT_FALSE(arn.ok()) << text;
    if (!arn.ok()) {
      EXPECT_EQ(arn.status().code(), Code::kInvalidArgument);
    }
    EXPECT_FALSE(Arn::IsArn(text)) << text;
  }
}

TEST(Arn, Equality) {
  EXPECT_EQ(*Arn::Parse("arn:aws:s3:::b"), (Arn{"aws", "s3", "", "", "b"}));
  EXPECT_FALSE(*Arn::Parse("arn:aws:s3:::b") == *Arn::Parse("arn:aws:s3:::c"));
}

}  // namespace
}  // namespace ck::core
