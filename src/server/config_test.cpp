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
trust_policy = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"sts:AssumeRole"}]}'
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
  EXPECT_EQ(c->buckets[0].origin.Where("name"), "t.toml:19: buckets[0].name");
  EXPECT_EQ(c->users[0].origin.Where(), "t.toml:6: users[0]");
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

std::string ErrorOf(const std::string& text) {
  auto c = ParseConfig(text, "cfg.toml");
  return c.ok() ? "(accepted)" : c.status().message();
}

constexpr char kAllowAll[] = R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})";

// Every policy document goes through the IAM API's parser, with the error
// the API would give, at the document's own line.
TEST(Config, PolicyDocumentsAreValidatedAsTheApiDoes) {
  EXPECT_EQ(ErrorOf("[[users]]\naccount = \"111111111111\"\nname = \"u\"\n"
                    "policies = [{ name = \"p\", document = 'not json' }]\n"),
            "cfg.toml:4: users[0].policies[0].document: MalformedPolicyDocument: Syntax errors in policy.");
  EXPECT_EQ(ErrorOf("[[roles]]\naccount = \"111111111111\"\nname = \"r\"\ntrust_policy = 'garbage'\n"),
            "cfg.toml:4: roles[0].trust_policy: MalformedPolicyDocument: Syntax errors in policy.");
  // An identity policy may not name a principal (as PutUserPolicy says).
  EXPECT_EQ(ErrorOf(std::string("[[roles]]\naccount = \"111111111111\"\nname = \"r\"\n") + "trust_policy = '" +
                    kAllowAll + "'\n"),
            "cfg.toml:4: roles[0].trust_policy: MalformedPolicyDocument: Missing required field Principal");
  EXPECT_EQ(ErrorOf("[[keys]]\naccount = \"111111111111\"\nalias = \"alias/k\"\npolicy = '{\"Statement\": 3}'\n"),
            "cfg.toml:4: keys[0].policy: MalformedPolicyDocument: Syntax errors in policy.");
  EXPECT_EQ(ErrorOf(std::string("[[users]]\naccount = \"111111111111\"\nname = \"u\"\n") +
                    "policies = [{ name = \"p\", document = '" + kAllowAll + "' }, { name = \"p\", document = '" +
                    kAllowAll + "' }]\n"),
            "cfg.toml:4: users[0].policies[1].name: \"p\" is declared twice");
}

TEST(Config, NamesAndPathsFollowIam) {
  EXPECT_EQ(ErrorOf("[[users]]\naccount = \"111111111111\"\nname = \"a b\"\n"),
            "cfg.toml:3: users[0].name: must be 1 to 64 characters of letters, digits and +=,.@_-");
  EXPECT_EQ(ErrorOf("[[users]]\naccount = \"111111111111\"\nname = \"u\"\npath = \"/no-trailing\"\n"),
            "cfg.toml:4: users[0].path: must start and end with / (printable ASCII, at most 512 characters)");
}

// A second declaration would silently win over the first: refused, naming both.
TEST(Config, DuplicatesAreRefused) {
  EXPECT_EQ(ErrorOf("[[users]]\naccount = \"111111111111\"\nname = \"a\"\n"
                    "access_key_id = \"AKIASAME000000000001\"\nsecret_access_key = \"s1\"\n"
                    "[[users]]\naccount = \"222222222222\"\nname = \"b\"\n"
                    "access_key_id = \"AKIASAME000000000001\"\nsecret_access_key = \"s2\"\n"),
            "cfg.toml:6: users[1].access_key_id: access key id AKIASAME000000000001 is already declared by users[0] "
            "(line 1)");
  EXPECT_EQ(ErrorOf("[[accounts]]\nid = \"111111111111\"\naccess_key_id = \"AKIAROOT000000000001\"\n"
                    "secret_access_key = \"s\"\n"
                    "[[users]]\naccount = \"111111111111\"\nname = \"a\"\n"
                    "access_key_id = \"AKIAROOT000000000001\"\nsecret_access_key = \"s2\"\n"),
            "cfg.toml:5: users[0].access_key_id: access key id AKIAROOT000000000001 is already declared by "
            "accounts[0] (line 1)");
  EXPECT_EQ(ErrorOf("[[users]]\naccount = \"111111111111\"\nname = \"Alice\"\n"
                    "[[users]]\naccount = \"111111111111\"\nname = \"alice\"\n"),
            "cfg.toml:4: users[1].name: user alice in account 111111111111 is already declared by users[0] (line 1)");
  EXPECT_EQ(ErrorOf("[[buckets]]\naccount = \"111111111111\"\nname = \"b1\"\n"
                    "[[buckets]]\naccount = \"222222222222\"\nname = \"b1\"\n"),
            "cfg.toml:4: buckets[1].name: bucket b1 is already declared by buckets[0] (line 1)");
}

}  // namespace
}  // namespace ck::server
