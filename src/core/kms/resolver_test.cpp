#include "core/kms/resolver.h"

#include <gtest/gtest.h>

#include <map>

namespace ck::core::kms {
namespace {

constexpr char kK1[] = "11111111-1111-1111-1111-111111111111";
constexpr char kK2[] = "22222222-2222-2222-2222-222222222222";

class FakeDirectory : public KeyDirectory {
 public:
  std::map<std::string, std::shared_ptr<const KeyRecord>> keys;
  std::map<std::string, std::string> aliases;
  int managed_created = 0;

  void AddKey(const std::string& account, const std::string& region, const std::string& id) {
    auto k = std::make_shared<KeyRecord>();
    k->account = account;
    k->region = region;
    k->id = id;
    k->arn = KeyArn(region, account, id);
    keys[account + "/" + region + "/" + id] = k;
  }
  std::shared_ptr<const KeyRecord> FindKey(const std::string& a, const std::string& r, const std::string& id) override {
    auto it = keys.find(a + "/" + r + "/" + id);
    return it == keys.end() ? nullptr : it->second;
  }
  std::optional<std::string> FindAlias(const std::string& a, const std::string& r, const std::string& n) override {
    auto it = aliases.find(a + "/" + r + "/" + n);
    if (it == aliases.end()) return std::nullopt;
    return it->second;
  }
  Result<std::shared_ptr<const KeyRecord>> EnsureManagedKey(const std::string& a, const std::string& r,
                                                            const ManagedAlias& m) override {
    ++managed_created;
    AddKey(a, r, "33333333-3333-3333-3333-333333333333");
    aliases[a + "/" + r + "/" + std::string(m.alias)] = "33333333-3333-3333-3333-333333333333";
    return FindKey(a, r, "33333333-3333-3333-3333-333333333333");
  }
};

class ResolverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir.AddKey("111111111111", "us-east-1", kK1);
    dir.aliases["111111111111/us-east-1/alias/my-key"] = kK1;
    dir.AddKey("222222222222", "us-east-1", kK2);
    dir.aliases["222222222222/us-east-1/alias/my-key"] = kK2;
    dir.AddKey("111111111111", "us-west-2", "44444444-4444-4444-4444-444444444444");
  }
  Result<Resolution> R(const std::string& caller, std::string_view ref, RefForms forms = RefForms::kAny,
                       bool cross = true) {
    ResolveOptions o;
    o.forms = forms;
    o.cross_account = cross;
    o.action = "kms:Encrypt";
    caller_arn_ = "arn:aws:iam::" + caller + ":user/u";
    o.caller_arn = caller_arn_;
    return Resolve(dir, caller, "us-east-1", ref, o);
  }
  void ExpectError(const Result<Resolution>& r, const std::string& code, const std::string& message) {
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().aws_code(), code);
    EXPECT_EQ(r.status().message(), message);
    EXPECT_EQ(r.status().http_status(), 400);
  }
  FakeDirectory dir;
  std::string caller_arn_;
};

TEST_F(ResolverTest, AliasNameResolvesInCallersAccount) {
  auto a1 = R("111111111111", "alias/my-key");
  ASSERT_TRUE(a1.ok());
  EXPECT_EQ(a1->key->arn, KeyArn("us-east-1", "111111111111", kK1));
  EXPECT_EQ(a1->alias_name, "alias/my-key");
  auto a2 = R("222222222222", "alias/my-key");
  ASSERT_TRUE(a2.ok());
  EXPECT_EQ(a2->key->account, "222222222222");
  EXPECT_FALSE(a2->cross_account);
}

TEST_F(ResolverTest, MissingAliasNamesCallersAliasArn) {
  ExpectError(R("333333333333", "alias/my-key"), "NotFoundException",
              "Alias arn:aws:kms:us-east-1:333333333333:alias/my-key is not found.");
}

TEST_F(ResolverTest, BareKeyIdResolvesOnlyInCallersAccount) {
  ExpectError(R("222222222222", kK1), "NotFoundException",
              std::string("Key 'arn:aws:kms:us-east-1:222222222222:key/") + kK1 + "' does not exist");
  EXPECT_TRUE(R("111111111111", kK1).ok());
}

TEST_F(ResolverTest, ArnsCrossAccounts) {
  auto k = R("222222222222", std::string("arn:aws:kms:us-east-1:111111111111:key/") + kK1);
  ASSERT_TRUE(k.ok());
  EXPECT_TRUE(k->cross_account);
  auto a = R("222222222222", "arn:aws:kms:us-east-1:111111111111:alias/my-key");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->key->id, kK1);
}

TEST_F(ResolverTest, MalformedIdsAndOtherRegions) {
  ExpectError(R("111111111111", "fake-key-id"), "NotFoundException", "Invalid keyId 'fake-key-id'");
  ExpectError(R("111111111111", "aws/s3"), "NotFoundException", "Invalid keyId 'aws/s3'");
  ExpectError(R("111111111111", "arn:aws:kms:us-west-2:111111111111:key/44444444-4444-4444-4444-444444444444"),
              "NotFoundException", "Invalid arn us-west-2");
  // A bare id of a key that exists only in another region.
  ExpectError(R("111111111111", "44444444-4444-4444-4444-444444444444"), "NotFoundException",
              "Key 'arn:aws:kms:us-east-1:111111111111:key/44444444-4444-4444-4444-444444444444' does not exist");
}

TEST_F(ResolverTest, ForeignMissingKeyIsARedactedDenialNotANotFound) {
  std::string redacted =
      "User: arn:aws:iam::222222222222:user/u is not authorized to perform: kms:Encrypt on this resource because the "
      "resource does not exist in this Region, no resource-based policies allow access, or a resource-based policy "
      "explicitly denies access";
  ExpectError(R("222222222222", "arn:aws:kms:us-east-1:111111111111:key/99999999-9999-9999-9999-999999999999"),
              "AccessDeniedException", redacted);
  ExpectError(R("222222222222", "arn:aws:kms:us-east-1:111111111111:alias/nope"), "AccessDeniedException", redacted);
  // Operations that never work across accounts deny even existing keys.
  ExpectError(R("222222222222", std::string("arn:aws:kms:us-east-1:111111111111:key/") + kK1, RefForms::kKeyOnly,
                false),
              "AccessDeniedException", redacted);
}

TEST_F(ResolverTest, KeyOnlyOperationsRejectAliases) {
  ExpectError(R("222222222222", "arn:aws:kms:us-east-1:111111111111:alias/my-key", RefForms::kKeyOnly),
              "InvalidArnException", "Key Aliases are not supported for this operation");
  ExpectError(R("111111111111", "alias/my-key", RefForms::kKeyOnly), "InvalidArnException",
              "Key Aliases are not supported for this operation");
}

TEST_F(ResolverTest, PredefinedAwsAliasCreatesManagedKeyOnlyInOwnAccount) {
  auto r = R("111111111111", "alias/aws/s3");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(dir.managed_created, 1);
  EXPECT_FALSE(R("111111111111", "alias/aws/not-a-service").ok());
  auto foreign = R("222222222222", "arn:aws:kms:us-east-1:333333333333:alias/aws/s3");
  ASSERT_FALSE(foreign.ok());
  EXPECT_EQ(foreign.status().aws_code(), "AccessDeniedException");
  EXPECT_EQ(dir.managed_created, 1);
}

TEST(KeyIdFormatTest, UuidAndMrk) {
  EXPECT_TRUE(IsKeyIdFormat("1234abcd-12ab-34cd-56ef-1234567890ab"));
  EXPECT_TRUE(IsKeyIdFormat("mrk-1234abcd12ab34cd56ef1234567890ab"));
  EXPECT_FALSE(IsKeyIdFormat("1234abcd-12ab-34cd-56ef-1234567890a"));
  EXPECT_FALSE(IsKeyIdFormat("1234abcd_12ab-34cd-56ef-1234567890ab"));
  EXPECT_FALSE(IsKeyIdFormat("mrk-xyz"));
}

}  // namespace
}  // namespace ck::core::kms
