#include "core/ids.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>

namespace ck::ids {
namespace {

TEST(Ids, Uuid4HasVersionAndVariantBits) {
  std::regex form("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    std::string id = Uuid4();
    EXPECT_TRUE(std::regex_match(id, form)) << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 200u);
}

TEST(Ids, FakeRandomMakesIdsRepeatable) {
  FakeRandom a(7), b(7);
  EXPECT_EQ(Uuid4(a), Uuid4(b));
  EXPECT_EQ(IamId("AIDA", 21, a), IamId("AIDA", 21, b));
}

TEST(Ids, IamIdsUseAwsAlphabetAndLength) {
  std::string id = IamId("AROA", 21);
  EXPECT_EQ(id.size(), 21u);
  EXPECT_TRUE(std::regex_match(id, std::regex("AROA[A-Z2-7]{17}"))) << id;
  EXPECT_EQ(Hex(8, SystemRandom(), true).size(), 16u);
  EXPECT_TRUE(std::regex_match(Hex(8, SystemRandom(), true), std::regex("[0-9A-F]{16}")));
}

TEST(Ids, AppendUuid4AppendsTheSameForm) {
  FakeRandom a(3), b(3);
  std::string key = "prefix/";
  AppendUuid4(&key, a);
  EXPECT_EQ(key, "prefix/" + Uuid4(b));
}

TEST(Ids, AlphanumericUsesLettersAndDigits) {
  std::string s = Alphanumeric(64);
  EXPECT_EQ(s.size(), 64u);
  EXPECT_TRUE(std::regex_match(s, std::regex("[A-Za-z0-9]{64}"))) << s;
}

}  // namespace
}  // namespace ck::ids
