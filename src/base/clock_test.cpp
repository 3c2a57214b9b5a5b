#include "base/clock.h"

#include <gtest/gtest.h>

#include <limits>

namespace ck {
namespace {

TEST(Clock, DatesATimePointCannotHoldAreRefused) {
  // Found by fuzzing (sigv4_fuzz): year 0215 in X-Amz-Date overflowed the
  // conversion to nanoseconds (undefined behaviour).
  EXPECT_FALSE(ParseAmzDate("02150830T123600Z").has_value());
  EXPECT_FALSE(ParseAmzDate("99990830T123600Z").has_value());
  EXPECT_FALSE(ParseIso8601("0001-01-01T00:00:00Z").has_value());
  ASSERT_TRUE(ParseAmzDate("20150830T123600Z").has_value());
  EXPECT_EQ(ToEpochSeconds(*ParseAmzDate("20150830T123600Z")), 1440938160.0);
}

TEST(Clock, EpochSecondsOutOfRangeSaturate) {
  EXPECT_GT(ToEpochSeconds(FromEpochSeconds(1e300)), 9e9);
  EXPECT_LT(ToEpochSeconds(FromEpochSeconds(-1e300)), -9e9);
  EXPECT_LT(ToEpochSeconds(FromEpochSeconds(std::numeric_limits<double>::quiet_NaN())), -9e9);
  EXPECT_EQ(ToEpochSeconds(FromEpochSeconds(1.5)), 1.5);
}

}  // namespace
}  // namespace ck
