#include "storage/key_codec.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace ck::storage {
namespace {

std::string Composite(std::string_view a, std::string_view b) {
  std::string k;
  AppendKeyPart(&k, a);
  AppendKeyPart(&k, b);
  return k;
}

TEST(KeyCodec, PartOrderMatchesTupleOrder) {
  // Tuples in lexicographic (byte-wise, part by part) order.
  const std::vector<std::pair<std::string, std::string>> sorted = {
      {"", ""},
      {"", "z"},
      {"a", ""},
      {"a", std::string("\0", 1)},
      {"a", "b"},
      {std::string("a\0", 2), ""},
      {std::string("a\0\0", 3), "x"},
      {std::string("a\0\x01", 3), "x"},
      {"a\x01", ""},
      {"ab", ""},
      {"a\xff", ""},
      {"b", ""},
  };
  std::vector<std::string> encoded;
  for (const auto& [a, b] : sorted) encoded.push_back(Composite(a, b));
  std::vector<std::string> shuffled = encoded;
  std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937(3));
  std::sort(shuffled.begin(), shuffled.end());
  EXPECT_EQ(shuffled, encoded);
}

TEST(KeyCodec, RoundTripsArbitraryBytes) {
  std::string key;
  std::string weird("\0\x01\xff\0\0x", 6);
  AppendKeyPart(&key, weird);
  AppendUint64(&key, 0x0102030405060708ull);
  AppendUint64Desc(&key, 42);
  AppendKeyPart(&key, "");
  KeyReader r(key);
  std::string part;
  uint64_t n = 0;
  ASSERT_TRUE(r.ReadPart(&part));
  EXPECT_EQ(part, weird);
  ASSERT_TRUE(r.ReadUint64(&n));
  EXPECT_EQ(n, 0x0102030405060708ull);
  ASSERT_TRUE(r.ReadUint64Desc(&n));
  EXPECT_EQ(n, 42u);
  ASSERT_TRUE(r.ReadPart(&part));
  EXPECT_EQ(part, "");
  EXPECT_TRUE(r.done());
  EXPECT_FALSE(r.ReadUint64(&n));
}

TEST(KeyCodec, RejectsMalformedParts) {
  std::string part;
  KeyReader unterminated("abc");
  EXPECT_FALSE(unterminated.ReadPart(&part));
  const std::string bad("a\0\x02", 3);
  KeyReader bad_escape(bad);
  EXPECT_FALSE(bad_escape.ReadPart(&part));
}

TEST(KeyCodec, IntegersSortNumericallyAndDescending) {
  std::string k1, k2, d1, d2;
  AppendUint64(&k1, 255);
  AppendUint64(&k2, 256);
  AppendUint64Desc(&d1, 255);
  AppendUint64Desc(&d2, 256);
  EXPECT_LT(k1, k2);
  EXPECT_GT(d1, d2);
}

TEST(KeyCodec, PrefixSelectsPartsStartingWithIt) {
  std::string base = KeyPart("bucket");
  std::string p = base + KeyPrefix(std::string("ph\0", 3));
  EXPECT_TRUE((base + KeyPart(std::string("ph\0oto", 6))).starts_with(p));
  EXPECT_TRUE((base + KeyPart(std::string("ph\0", 3))).starts_with(p));
  EXPECT_FALSE((base + KeyPart("photo")).starts_with(p));
  EXPECT_FALSE((KeyPart("bucket2") + KeyPart(std::string("ph\0", 3))).starts_with(p));
  // A complete part as prefix does not match longer parts.
  EXPECT_FALSE(Composite("bucket2", "x").starts_with(KeyPart("bucket")));
}

}  // namespace
}  // namespace ck::storage
