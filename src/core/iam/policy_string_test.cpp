#include "core/iam/policy_string.h"

#include <gtest/gtest.h>

#include "core/iam/wildcard.h"

namespace ck::core::iam {
namespace {

TEST(GlobMatch, StarAndQuestion) {
  EXPECT_TRUE(GlobMatch("s3:get*", "s3:getobject"));
  EXPECT_TRUE(GlobMatch("*", ""));
  EXPECT_TRUE(GlobMatch("a*b*c", "axxbyyc"));
  EXPECT_FALSE(GlobMatch("a*b*c", "axxbyy"));
  EXPECT_TRUE(GlobMatch("s3:get?bject", "s3:getobject"));
  EXPECT_FALSE(GlobMatch("s3:get?bject", "s3:getbject"));
  EXPECT_TRUE(GlobMatch("arn:aws:s3:::b/*", "arn:aws:s3:::b/a/b:c"));
  EXPECT_FALSE(GlobMatch("arn:aws:s3:::b/*", "arn:aws:s3:::bb/x"));
  EXPECT_TRUE(GlobMatch("*a", "aaa"));
  EXPECT_FALSE(GlobMatch("abc", "ABC"));
  EXPECT_TRUE(GlobMatch("abc", "ABC", true));
}

TEST(GlobMatch, LiteralSentinels) {
  std::string p = std::string("a") + kLiteralStar + "b";
  EXPECT_TRUE(GlobMatch(p, "a*b"));
  EXPECT_FALSE(GlobMatch(p, "axb"));
  std::string q = std::string("a") + kLiteralQuestion;
  EXPECT_TRUE(GlobMatch(q, "a?"));
  EXPECT_FALSE(GlobMatch(q, "ab"));
}

TEST(ArnGlobMatch, ComponentsAreSeparate) {
  EXPECT_TRUE(ArnGlobMatch("arn:aws:iam::*:role/app", "arn:aws:iam::111111111111:role/app"));
  EXPECT_FALSE(ArnGlobMatch("arn:aws:iam::*", "arn:aws:iam::111111111111:role/app"));  // only 4 parts
  EXPECT_TRUE(ArnGlobMatch("arn:aws:iam::*:*", "arn:aws:iam::111111111111:role/app"));
  EXPECT_TRUE(ArnGlobMatch("arn:*:s3:::b/*", "arn:aws:s3:::b/k:x"));
  EXPECT_FALSE(ArnGlobMatch("arn:aws:s3:::b/*", "not-an-arn"));
  EXPECT_TRUE(ArnGlobMatch("*", "anything"));
}

ContextKeys Keys(std::initializer_list<std::pair<const std::string, std::vector<std::string>>> kv) { return ContextKeys(kv); }

std::string Resolve(std::string_view raw, const ContextKeys& keys, bool glob = false, bool* ok_out = nullptr) {
  PolicyString ps = PolicyString::Parse(raw, true);
  std::string out;
  bool ok = ps.Resolve(ValueSource{&keys, nullptr}, glob, &out);
  if (ok_out) *ok_out = ok;
  return ok ? out : "<unresolved>";
}

TEST(PolicyString, SubstitutesKeysCaseInsensitively) {
  auto keys = Keys({{"aws:username", {"alice"}}});
  EXPECT_EQ(Resolve("home/${aws:username}/*", keys), "home/alice/*");
  EXPECT_EQ(Resolve("home/${AWS:UserName}", keys), "home/alice");
  EXPECT_EQ(Resolve("${aws:username}${aws:username}", keys), "alicealice");
}

TEST(PolicyString, MissingOrMultivaluedKeyDoesNotResolve) {
  auto keys = Keys({{"aws:CalledVia", {"a", "b"}}});
  bool ok = true;
  Resolve("${aws:username}", keys, false, &ok);
  EXPECT_FALSE(ok);
  Resolve("${aws:CalledVia}", keys, false, &ok);
  EXPECT_FALSE(ok);
}

TEST(PolicyString, DefaultValues) {
  ContextKeys none;
  EXPECT_EQ(Resolve("${aws:username, 'guest'}", none), "guest");
  EXPECT_EQ(Resolve("${ aws:username , 'it''s' }", none), "it's");
  auto keys = Keys({{"aws:username", {"bob"}}});
  EXPECT_EQ(Resolve("${aws:username, 'guest'}", keys), "bob");
  // One pass only: a default that looks like a variable stays literal.
  EXPECT_EQ(Resolve("${x, '${aws:username}'}", keys), "${aws:username}");
}

TEST(PolicyString, Escapes) {
  ContextKeys none;
  EXPECT_EQ(Resolve("a${*}b${?}c${$}", none), "a*b?c$");
  std::string glob = Resolve("a${*}", none, true);
  EXPECT_EQ(glob, std::string("a") + kLiteralStar);
}

TEST(PolicyString, SubstitutedWildcardsAreLiteralInGlobMode) {
  auto keys = Keys({{"k", {"x*"}}});
  std::string glob = Resolve("p/${k}", keys, true);
  EXPECT_TRUE(GlobMatch(glob, "p/x*"));
  EXPECT_FALSE(GlobMatch(glob, "p/xyz"));
}

TEST(PolicyString, MalformedVariablesStayLiteral) {
  ContextKeys none;
  EXPECT_EQ(Resolve("${foo", none), "${foo");
  EXPECT_EQ(Resolve("${}", none), "${}");
  EXPECT_EQ(Resolve("${a, b}", none), "${a, b}");
  EXPECT_FALSE(PolicyString::Parse("${foo", true).needs_resolve());
}

TEST(PolicyString, DisabledFor2008) {
  PolicyString ps = PolicyString::Parse("${aws:username}", false);
  EXPECT_FALSE(ps.needs_resolve());
  EXPECT_EQ(ps.raw(), "${aws:username}");
}

TEST(ValueSource, FallsBackToPrincipal) {
  Principal p;
  p.type = Principal::kAssumedRole;
  p.arn = "arn:aws:sts::1:assumed-role/r/s";
  p.role_arn = "arn:aws:iam::1:role/r";
  p.account = "111111111111";
  p.user_id = "AROAEXAMPLE:s";
  p.username = "ignored";
  ContextKeys none;
  ValueSource src{&none, &p};
  ASSERT_EQ(src.Lookup("aws:PrincipalArn").size(), 1u);
  EXPECT_EQ(src.Lookup("aws:principalarn")[0], "arn:aws:iam::1:role/r");
  EXPECT_EQ(src.Lookup("aws:PrincipalAccount")[0], "111111111111");
  EXPECT_EQ(src.Lookup("aws:userid")[0], "AROAEXAMPLE:s");
  EXPECT_TRUE(src.Lookup("aws:username").empty());  // users only
  ContextKeys explicit_keys{{"aws:PrincipalAccount", {"999999999999"}}};
  ValueSource src2{&explicit_keys, &p};
  EXPECT_EQ(src2.Lookup("aws:PrincipalAccount")[0], "999999999999");
}

}  // namespace
}  // namespace ck::core::iam
