#include "core/kms/grants.h"

#include <gtest/gtest.h>

namespace ck::core::kms {
namespace {

Principal Session() {
  Principal p;
  p.type = Principal::Type::kAssumedRole;
  p.account = "222222222222";
  p.arn = "arn:aws:sts::222222222222:assumed-role/app/s1";
  p.role_arn = "arn:aws:iam::222222222222:role/app";
  return p;
}

Grant GrantTo(std::string grantee, std::vector<std::string> operations) {
  Grant g;
  g.grant_id = std::string(64, 'a');
  g.grantee = std::move(grantee);
  g.operations = std::move(operations);
  return g;
}

TEST(Grants, PrincipalMatchesArnRoleRootOrService) {
  Principal p = Session();
  EXPECT_TRUE(PrincipalMatches(p, "arn:aws:sts::222222222222:assumed-role/app/s1"));
  EXPECT_TRUE(PrincipalMatches(p, "arn:aws:iam::222222222222:role/app"));
  EXPECT_TRUE(PrincipalMatches(p, "arn:aws:iam::222222222222:root"));
  EXPECT_FALSE(PrincipalMatches(p, "arn:aws:iam::111111111111:root"));
  EXPECT_FALSE(PrincipalMatches(p, "arn:aws:iam::222222222222:role/other"));
  EXPECT_FALSE(PrincipalMatches(p, "arn:aws:iam::2222222222222:root"));
  EXPECT_FALSE(PrincipalMatches(p, "s3.amazonaws.com"));
  Principal service;
  service.type = Principal::Type::kService;
  service.service = "s3.amazonaws.com";
  EXPECT_TRUE(PrincipalMatches(service, "s3.amazonaws.com"));
}

// Grantee × operation × encryption context → allowed?
TEST(Grants, AllowTheirOperationsUnderTheirConstraints) {
  KeyRecord key;
  Grant plain = GrantTo("arn:aws:iam::222222222222:role/app", {"Encrypt", "Decrypt"});
  Grant equals = GrantTo("arn:aws:iam::222222222222:root", {"GenerateDataKey"});
  equals.constraints.context_equals = EncryptionContext{{"k", "v"}};
  Grant subset = GrantTo("arn:aws:iam::222222222222:root", {"ReEncryptFrom"});
  subset.constraints.context_subset = EncryptionContext{{"k", "v"}};
  key.grants = {plain, equals, subset};
  Principal p = Session();
  EncryptionContext none, exact{{"k", "v"}}, more{{"k", "v"}, {"x", "y"}}, other{{"k", "w"}};
  struct Case {
    std::string_view op;
    const EncryptionContext* context;
    bool allowed;
  };
  const Case cases[] = {
      {"Encrypt", nullptr, true},       {"Decrypt", &more, true},         {"Sign", nullptr, false},
      {"GenerateDataKey", &exact, true}, {"GenerateDataKey", &more, false}, {"GenerateDataKey", nullptr, false},
      {"GenerateDataKey", &none, false}, {"ReEncryptFrom", &more, true},   {"ReEncryptFrom", &exact, true},
      {"ReEncryptFrom", &other, false},  {"ReEncryptFrom", nullptr, false},
  };
  for (const Case& c : cases)
    EXPECT_EQ(GrantAllows(key, p, c.op, c.context), c.allowed) << c.op << " " << (c.context ? c.context->size() : 99);
  Principal stranger = Session();
  stranger.account = "333333333333";
  stranger.arn = "arn:aws:iam::333333333333:user/u";
  stranger.role_arn.clear();
  EXPECT_FALSE(GrantAllows(key, stranger, "Encrypt", nullptr));
  EXPECT_FALSE(GrantAllows(KeyRecord{}, p, "Encrypt", nullptr));
}

TEST(Grants, RetiringPrincipalOrGranteeWithRetireGrant) {
  Principal p = Session();
  Grant g = GrantTo("arn:aws:iam::111111111111:root", {"Decrypt"});
  EXPECT_FALSE(MayRetire(g, p));
  g.retiring = "arn:aws:iam::222222222222:role/app";
  EXPECT_TRUE(MayRetire(g, p));
  Grant own = GrantTo("arn:aws:iam::222222222222:root", {"Decrypt"});
  EXPECT_FALSE(MayRetire(own, p));
  own.operations.push_back("RetireGrant");
  EXPECT_TRUE(MayRetire(own, p));
}

TEST(Grants, FindAndRetryWithTheSameName) {
  KeyRecord key;
  Grant a = GrantTo("arn:aws:iam::222222222222:root", {"Decrypt"});
  a.name = "n";
  key.grants = {a};
  EXPECT_EQ(FindGrant(key, a.grant_id), &key.grants[0]);
  EXPECT_EQ(FindGrant(key, "nope"), nullptr);
  Grant retry = a;
  retry.grant_id.clear();
  EXPECT_EQ(SameGrant(key, retry), &key.grants[0]);
  retry.operations = {"Encrypt"};
  EXPECT_EQ(SameGrant(key, retry), nullptr);
  retry = a;
  retry.name.clear();
  EXPECT_EQ(SameGrant(key, retry), nullptr);  // unnamed grants are never the same
}

TEST(Grants, TokenNamesKeyAndGrant) {
  std::string token = GrantToken("arn:aws:kms:us-east-1:111111111111:key/k", "g1", std::string("\x00\n\x01", 3));
  auto ref = ParseGrantToken(token);
  ASSERT_TRUE(ref.has_value());
  EXPECT_EQ(ref->key_arn, "arn:aws:kms:us-east-1:111111111111:key/k");
  EXPECT_EQ(ref->grant_id, "g1");
  // Tokens issued before (same layout) still parse.
  auto old = ParseGrantToken("Y2tncmFudDEKYXJuOmF3czprbXM6dXMtZWFzdC0xOjExMTExMTExMTExMTprZXkvawpnMQpYWA==");
  ASSERT_TRUE(old.has_value());
  EXPECT_EQ(old->grant_id, "g1");
  EXPECT_FALSE(ParseGrantToken("not base64!").has_value());
  EXPECT_FALSE(ParseGrantToken("aGVsbG8=").has_value());  // "hello"
  EXPECT_FALSE(ParseGrantToken(GrantToken("arn", "id", "").substr(0, 8)).has_value());
}

}  // namespace
}  // namespace ck::core::kms
