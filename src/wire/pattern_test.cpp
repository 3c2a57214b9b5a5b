#include "wire/pattern.h"

#include <gtest/gtest.h>

namespace ck::wire {
namespace {

bool M(const char* pattern, std::string_view s) {
  auto p = Pattern::Compile(pattern);
  EXPECT_TRUE(p.has_value()) << pattern;
  return p && p->Matches(s);
}

TEST(PatternTest, RoleSessionName) {
  EXPECT_TRUE(M("[\\w+=,.@-]*", "Session1"));
  EXPECT_TRUE(M("[\\w+=,.@-]*", ""));
  EXPECT_FALSE(M("[\\w+=,.@-]*", "Session1:2"));
  EXPECT_FALSE(M("[\\w+=,.@-]+", ""));
}

TEST(PatternTest, AnchorsAlternationGroups) {
  EXPECT_TRUE(M("^(/[a-zA-Z0-9\\/_-]+/kms/xks/v\\d{1,2})$|^(/kms/xks/v\\d{1,2})$", "/kms/xks/v1"));
  EXPECT_TRUE(M("^(/[a-zA-Z0-9\\/_-]+/kms/xks/v\\d{1,2})$|^(/kms/xks/v\\d{1,2})$", "/a/b/kms/xks/v12"));
  EXPECT_FALSE(M("^(/[a-zA-Z0-9\\/_-]+/kms/xks/v\\d{1,2})$|^(/kms/xks/v\\d{1,2})$", "/kms/xks/v123"));
  EXPECT_TRUE(M("((/[A-Za-z0-9\\.,\\+@=_-]+)*)/", "/"));
  EXPECT_TRUE(M("((/[A-Za-z0-9\\.,\\+@=_-]+)*)/", "/division_abc/subdivision_xyz/"));
  EXPECT_FALSE(M("((/[A-Za-z0-9\\.,\\+@=_-]+)*)/", "/a//"));
  EXPECT_TRUE(M("(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)", "/aws-service-role/"));
  EXPECT_FALSE(M("(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)", "aws"));
  EXPECT_TRUE(M("([0-9a-f]{16})+", "0123456789abcdef0123456789abcdef"));
  EXPECT_FALSE(M("([0-9a-f]{16})+", "0123456789abcdef0"));
}

TEST(PatternTest, NegativeLookaheadAndDotall) {
  const char* p = "^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$";
  EXPECT_TRUE(M(p, "my-domain"));
  EXPECT_FALSE(M(p, "my--domain"));
  EXPECT_TRUE(M("(?s).*", "a\nb"));
  EXPECT_FALSE(M(".*", "a\nb"));
}

TEST(PatternTest, UnicodeClasses) {
  const char* tag = "[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*";
  EXPECT_TRUE(M(tag, "Projekt Überblick 2"));
  EXPECT_TRUE(M(tag, "日本語"));
  EXPECT_FALSE(M(tag, "a;b"));
  const char* policy = "[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+";
  EXPECT_TRUE(M(policy, "{\"Version\":\"2012-10-17\"}\n"));
  EXPECT_FALSE(M(policy, "\x01"));
  // U+0100 is outside \u0020-\u00FF even though its UTF-8 bytes are not.
  EXPECT_FALSE(M(policy, "\xC4\x80"));
  const char* cloudtrail = "[\\u0020-\\uD7FF\\uE000-\\uFFFD\\uD800\\uDC00-\\uDBFF\\uDFFF\\t]*";
  EXPECT_TRUE(M(cloudtrail, "emoji \xF0\x9F\x98\x80 ok"));
  EXPECT_FALSE(M(cloudtrail, "bell\x07"));
  EXPECT_TRUE(M("\\p{Print}+", "abc ~"));
}

TEST(PatternTest, LongInputDoesNotRecursePerCharacter) {
  std::string doc(200000, 'a');
  EXPECT_TRUE(M("[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+", doc));
  EXPECT_TRUE(M("(?s).*", doc));
  doc.back() = '\x01';
  EXPECT_FALSE(M("[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+", doc));
}

TEST(PatternTest, UnsupportedSyntaxIsRejected) {
  EXPECT_FALSE(Pattern::Compile("[a-z&&[^b]]").has_value());
  EXPECT_FALSE(Pattern::Compile("(unclosed").has_value());
  EXPECT_FALSE(Pattern::Compile("\\q").has_value());
}

}  // namespace
}  // namespace ck::wire
