#include "server/config.h"

#include <gtest/gtest.h>

namespace ck::server {
namespace {

TEST(Config, ParsesAllSections) {
  auto c = ParseConfig(R"(
region = "eu-west-1"
[[accounts]]
id = "111111111111"
name = "dev"
[[users]]
account = "111111111111"
name = "alice"
access_key_id = "AKIAALICE0000000001"
secret_access_key = "secret"
policies = [{ name = "all", document = '{"Version":"2012-10-17","Statement":[]}' }]
[[roles]]
account = "222222222222"
name = "role2"
trust_policy = '{}'
[[keys]]
account = "111111111111"
alias = "alias/my-key"
[[buckets]]
account = "111111111111"
name = "bucket1"
)",
                       "t.toml");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(*c->region, "eu-west-1");
  ASSERT_EQ(c->users.size(), 1u);
  EXPECT_EQ(c->users[0].policies[0].name, "all");
  EXPECT_EQ(c->roles[0].max_session_duration, 3600);
  EXPECT_EQ(c->keys[0].alias, "alias/my-key");
  EXPECT_EQ(c->buckets[0].name, "bucket1");
}

TEST(Config, ErrorsNameFileLineAndField) {
  auto c = ParseConfig("[[users]]\naccount = \"12\"\nname = \"x\"\n", "cfg.toml");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().message(), "cfg.toml:2: users[0].account: must be a 12-digit account id");

  auto unknown = ParseConfig("[[accounts]]\nid = \"111111111111\"\ncolour = \"red\"\n", "cfg.toml");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().message(), "cfg.toml:3: accounts[0].colour: unknown field");

  auto syntax = ParseConfig("region = \n", "bad.toml");
  ASSERT_FALSE(syntax.ok());
  EXPECT_EQ(syntax.status().message().rfind("bad.toml:1:", 0), 0u) << syntax.status().message();

  auto pair = ParseConfig("[[users]]\naccount = \"111111111111\"\nname = \"x\"\naccess_key_id = \"AKIA000000000000000\"\n",
                          "c.toml");
  ASSERT_FALSE(pair.ok());
  EXPECT_NE(pair.status().message().find("go together"), std::string::npos);
}

}  // namespace
}  // namespace ck::server
