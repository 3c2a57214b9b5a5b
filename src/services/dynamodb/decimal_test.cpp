#include "services/dynamodb/decimal.h"

#include <gtest/gtest.h>

namespace ck::services::ddb {
namespace {

std::string Norm(const char* s) { return Decimal::Parse(s)->ToString(); }

TEST(DecimalTest, NormalizesLikeDynamoDb) {
  EXPECT_EQ(Norm("1.50"), "1.5");
  EXPECT_EQ(Norm("007"), "7");
  EXPECT_EQ(Norm("-0.000"), "0");
  EXPECT_EQ(Norm("1E+2"), "100");
  EXPECT_EQ(Norm("12.5e-3"), "0.0125");
  EXPECT_EQ(Norm("-.5"), "-0.5");
}

TEST(DecimalTest, RejectsNonNumbersAndOutOfRange) {
  EXPECT_FALSE(Decimal::Parse("abc"));
  EXPECT_FALSE(Decimal::Parse(""));
  EXPECT_FALSE(Decimal::Parse("1e"));
  EXPECT_FALSE(Decimal::Parse("1E+126"));
  EXPECT_FALSE(Decimal::Parse("1E-131"));
  EXPECT_FALSE(Decimal::Parse("123456789012345678901234567890123456789"));  // 39 digits
  EXPECT_TRUE(Decimal::Parse("12345678901234567890123456789012345678"));    // 38 digits
}

TEST(DecimalTest, ComparesBeyondDoublePrecision) {
  auto a = *Decimal::Parse("12345678901234567890123456789012345678");
  auto b = *Decimal::Parse("12345678901234567890123456789012345679");
  EXPECT_EQ(Decimal::Compare(a, b), -1);
  EXPECT_EQ(Decimal::Compare(*Decimal::Parse("1.0"), *Decimal::Parse("1")), 0);
  EXPECT_EQ(Decimal::Compare(*Decimal::Parse("-10"), *Decimal::Parse("-9")), -1);
  EXPECT_EQ(Decimal::Compare(*Decimal::Parse("-0.12"), *Decimal::Parse("-0.123")), 1);
  EXPECT_EQ(Decimal::Compare(*Decimal::Parse("0"), *Decimal::Parse("-1E-130")), 1);
}

TEST(DecimalTest, SortableBytesFollowNumericOrder) {
  const char* ordered[] = {"-1E+100", "-100", "-10", "-9.5", "-0.123", "-0.12", "0", "0.12", "0.123", "9.5", "10", "100", "1E+100"};
  for (size_t i = 0; i + 1 < std::size(ordered); ++i)
    EXPECT_LT(Decimal::Parse(ordered[i])->SortableBytes(), Decimal::Parse(ordered[i + 1])->SortableBytes())
        << ordered[i] << " vs " << ordered[i + 1];
}

TEST(DecimalTest, AddsExactly) {
  EXPECT_EQ(Decimal::Add(*Decimal::Parse("0.1"), *Decimal::Parse("0.2"))->ToString(), "0.3");
  EXPECT_EQ(Decimal::Add(*Decimal::Parse("5"), *Decimal::Parse("-7.25"))->ToString(), "-2.25");
  EXPECT_EQ(Decimal::Add(*Decimal::Parse("1E+20"), *Decimal::Parse("1"))->ToString(), "100000000000000000001");
  EXPECT_TRUE(Decimal::Add(*Decimal::Parse("3"), *Decimal::Parse("-3"))->is_zero());
  // 39 significant digits cannot be stored.
  EXPECT_FALSE(Decimal::Add(*Decimal::Parse("1E+38"), *Decimal::Parse("1")));
}

}  // namespace
}  // namespace ck::services::ddb
