#include "storage/scan_range.h"

#include <gtest/gtest.h>

namespace ck::storage {
namespace {

TEST(PrefixSuccessor, IncrementsLastNonFFByte) {
  EXPECT_EQ(PrefixSuccessor("abc"), "abd");
  EXPECT_EQ(PrefixSuccessor("a\xff\xff"), "b");
  EXPECT_EQ(PrefixSuccessor(std::string("a\xfe", 2)), "a\xff");
  EXPECT_EQ(PrefixSuccessor(std::string("\0", 1)), "\x01");
  EXPECT_EQ(PrefixSuccessor("\xff\xff"), std::nullopt);
  EXPECT_EQ(PrefixSuccessor(""), std::nullopt);
}

TEST(ResolveScanRange, ForwardAndReverseBounds) {
  auto fwd = ResolveScanRange({.prefix = "p", .start_after = "pq"});
  ASSERT_TRUE(fwd.ok());
  EXPECT_FALSE(fwd->Contains("pq"));
  EXPECT_TRUE(fwd->Contains("pqa"));
  EXPECT_FALSE(fwd->Contains("q"));
  EXPECT_FALSE(fwd->Contains("p"));

  auto rev = ResolveScanRange({.prefix = "p", .start_after = "pq", .reverse = true});
  ASSERT_TRUE(rev.ok());
  EXPECT_TRUE(rev->Contains("p"));
  EXPECT_TRUE(rev->Contains("pp\xff"));
  EXPECT_FALSE(rev->Contains("pq"));
  EXPECT_FALSE(rev->Contains("pqa"));

  auto at = ResolveScanRange({.start_at = "m", .reverse = true});
  ASSERT_TRUE(at.ok());
  EXPECT_TRUE(at->Contains("m"));
  EXPECT_TRUE(at->Contains(""));
  EXPECT_FALSE(at->Contains(std::string("m\0", 2)));
}

TEST(ResolveScanRange, DetectsEmptyRanges) {
  EXPECT_TRUE(ResolveScanRange({.prefix = "b", .start_after = "c"})->empty);
  EXPECT_TRUE(ResolveScanRange({.prefix = "b", .start_at = "a", .reverse = true})->empty);
  EXPECT_FALSE(ResolveScanRange({.prefix = "b", .start_at = "b"})->empty);
  EXPECT_FALSE(ResolveScanRange({.prefix = "b", .start_after = "b"})->empty);
  EXPECT_EQ(ResolveScanRange({.start_after = "a", .start_at = "a"}).status().code(),
            Code::kInvalidArgument);
}

TEST(PrintableKey, EscapesNonPrintableBytes) {
  EXPECT_EQ(PrintableKey(std::string("a\0\xff\\", 4)), "a\\x00\\xff\\x5c");
  EXPECT_EQ(PrintableKey(std::string(500, 'k')).size(), 203u);
}

TEST(WriteBatch, KeepsPreconditionsApartAndCountsBytes) {
  WriteBatch b;
  EXPECT_TRUE(b.empty());
  b.Put("t", "k", "vv");
  b.ExpectAbsent("t", "x");
  b.Delete("t", "d");
  ASSERT_EQ(b.mutations().size(), 2u);
  ASSERT_EQ(b.preconditions().size(), 1u);
  EXPECT_EQ(b.mutations()[1].kind, WriteBatch::OpKind::kDelete);
  EXPECT_EQ(b.ByteSize(), 4u + 2u + 2u);
  b.Clear();
  EXPECT_TRUE(b.empty());
  EXPECT_EQ(b.ByteSize(), 0u);
}

TEST(ValidateTableName, AllowsConservativeCharacterSet) {
  EXPECT_TRUE(ValidateTableName("s3.objects_v2-x").ok());
  EXPECT_FALSE(ValidateTableName("").ok());
  EXPECT_FALSE(ValidateTableName("a/b").ok());
  EXPECT_FALSE(ValidateTableName(std::string("a\0", 2)).ok());
}

}  // namespace
}  // namespace ck::storage
