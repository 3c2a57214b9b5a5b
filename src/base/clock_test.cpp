#include "base/clock.h"

#include <gtest/gtest.h>

#include <cstdint>
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

TEST(Clock, DistancesAndSumsOfFarApartTimesDoNotOverflow) {
  TimePoint old = *ParseHttpDate("Sun, 30 Aug 1689 12:36:00 GMT");
  TimePoint late = *ParseAmzDate("22610830T123600Z");
  EXPECT_EQ(AbsDistance(old, late), AbsDistance(late, old));
  EXPECT_EQ(AbsDistance(old, late).count(), 18050515200);
  EXPECT_EQ(AbsDistance(old, old).count(), 0);
  TimePoint t = FromEpochSeconds(1440938160.5);
  EXPECT_EQ(ToEpochSeconds(SaturatingAdd(t, std::chrono::seconds(10))), 1440938170.5);
  EXPECT_GT(ToEpochSeconds(SaturatingAdd(late, std::chrono::seconds(INT64_MAX))), 9.2e9);
  EXPECT_LT(ToEpochSeconds(SaturatingAdd(old, std::chrono::seconds(INT64_MIN))), -9.2e9);
}

}  // namespace
}  // namespace ck
