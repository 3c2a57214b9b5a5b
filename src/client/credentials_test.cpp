#include "client/credentials.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "client/aws_client.h"

namespace ck::client {
namespace {

class CredentialChainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("ck-creds-" + std::to_string(::getpid()) + "-" +
                                                      ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    env_["AWS_CONFIG_FILE"] = (dir_ / "config").string();
    env_["AWS_SHARED_CREDENTIALS_FILE"] = (dir_ / "credentials").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void Write(const char* name, const std::string& text) { std::ofstream(dir_ / name) << text; }

  CredentialChain Chain(std::string profile = "") {
    CredentialEnvironment e;
    e.getenv = [this](const std::string& n) -> std::optional<std::string> {
      auto it = env_.find(n);
      if (it == env_.end()) return std::nullopt;
      return it->second;
    };
    e.run = [this](const std::string& command) -> Result<std::string> {
      commands_.push_back(command);
      return std::string(R"({"Version":1,"AccessKeyId":"AKIAPROC","SecretAccessKey":"procsecret"})");
    };
    return CredentialChain(std::move(profile), e,
                           [this](const Credentials& source, const std::string& role, const std::string& session,
                                  const std::string& external_id, int duration) -> Result<Credentials> {
                             assumed_.push_back(source.keys.access_key_id + "->" + role + "|" + external_id + "|" +
                                                std::to_string(duration));
                             Credentials c;
                             c.keys = {"ASIA" + std::to_string(assumed_.size()), "s", "token"};
                             (void)session;
                             return c;
                           });
  }

  std::filesystem::path dir_;
  std::map<std::string, std::string> env_;
  std::vector<std::string> commands_, assumed_;
};

TEST_F(CredentialChainTest, EnvironmentWinsWithoutAnExplicitProfile) {
  Write("credentials", "[default]\naws_access_key_id = AKIAFILE\naws_secret_access_key = s\n");
  env_["AWS_ACCESS_KEY_ID"] = "AKIAENV";
  env_["AWS_SECRET_ACCESS_KEY"] = "e";
  env_["AWS_SESSION_TOKEN"] = "tok";
  auto c = Chain().Get();
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->keys.access_key_id, "AKIAENV");
  EXPECT_EQ(c->keys.session_token, "tok");
  auto p = Chain("default").Get();  // --profile skips the environment, as botocore does
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->keys.access_key_id, "AKIAFILE");
}

TEST_F(CredentialChainTest, ProfilesFromBothFilesAndAwsProfile) {
  Write("credentials", "# comment\n[dev]\naws_access_key_id=AKIADEV\naws_secret_access_key=d\n");
  Write("config", "[profile dev]\nregion = eu-west-2\n");
  env_["AWS_PROFILE"] = "dev";
  CredentialChain chain = Chain();
  auto c = chain.Get();
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->keys.access_key_id, "AKIADEV");
  EXPECT_EQ(chain.ProfileRegion(), "eu-west-2");
}

TEST_F(CredentialChainTest, RoleChainsAssumeEachRoleWithThePreviousCredentials) {
  Write("credentials", "[base]\naws_access_key_id = AKIABASE\naws_secret_access_key = b\n");
  Write("config",
        "[profile hop1]\nrole_arn = arn:aws:iam::111111111111:role/r1\nsource_profile = base\nexternal_id = x1\n"
        "[profile hop2]\nrole_arn = arn:aws:iam::222222222222:role/r2\nsource_profile = hop1\n"
        "duration_seconds = 900\n");
  auto c = Chain("hop2").Get();
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  ASSERT_EQ(assumed_.size(), 2u);
  EXPECT_EQ(assumed_[0], "AKIABASE->arn:aws:iam::111111111111:role/r1|x1|3600");
  EXPECT_EQ(assumed_[1], "ASIA1->arn:aws:iam::222222222222:role/r2||900");
  EXPECT_EQ(c->keys.access_key_id, "ASIA2");
}

TEST_F(CredentialChainTest, CyclesAreRefused) {
  Write("config",
        "[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = b\n"
        "[profile b]\nrole_arn = arn:aws:iam::1:role/b\nsource_profile = a\n");
  auto c = Chain("a").Get();
  EXPECT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("cycle"), std::string::npos);
}

TEST_F(CredentialChainTest, CredentialProcess) {
  Write("config", "[profile p]\ncredential_process = /usr/bin/get-creds --role x\n");
  auto c = Chain("p").Get();
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->keys.access_key_id, "AKIAPROC");
  EXPECT_EQ(commands_, std::vector<std::string>{"/usr/bin/get-creds --role x"});
}

TEST_F(CredentialChainTest, MissingCredentialsAreAnError) {
  auto c = Chain("nope").Get();
  EXPECT_EQ(c.status().code(), Code::kUnauthenticated);
}

TEST(Ini, BadLinesNameTheFileAndLine) {
  auto ini = ParseIni("[a]\nx = 1\nnot a pair\n", "cfg");
  ASSERT_FALSE(ini.ok());
  EXPECT_EQ(ini.status().message(), "cfg:3: expected key = value in a section");
}

TEST(Endpoint, ParsesUrls) {
  auto e = Endpoint::Parse("http://127.0.0.1:4566");
  ASSERT_TRUE(e.ok());
  EXPECT_FALSE(e->tls);
  EXPECT_EQ(e->port, 4566);
  EXPECT_EQ(e->HostHeader(), "127.0.0.1:4566");
  auto a = Endpoint::Parse("https://kms.us-east-1.amazonaws.com/");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->HostHeader(), "kms.us-east-1.amazonaws.com");
  EXPECT_FALSE(Endpoint::Parse("ftp://x").ok());
}

TEST(Backoff, GrowsExponentiallyToACap) {
  EXPECT_EQ(AwsClient::BackoffCeiling(1).count(), 100);
  EXPECT_EQ(AwsClient::BackoffCeiling(3).count(), 400);
  EXPECT_EQ(AwsClient::BackoffCeiling(20).count(), 20000);
}

TEST(RateLimiter, SpacesRequests) {
  RateLimiter limiter(200);  // 5 ms apart
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 11; ++i) limiter.Acquire();
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(45));
}

}  // namespace
}  // namespace ck::client
