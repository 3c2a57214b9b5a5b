#include "wire/xml_writer.h"

#include <gtest/gtest.h>

namespace ck::wire {
namespace {

TEST(XmlEscape, EscapesMarkup) {
  EXPECT_EQ(XmlEscape("a<b>&\"c'\r"), "a&lt;b&gt;&amp;&quot;c&apos;&#13;");
}

TEST(XmlEscape, KeepsUtf8AndReplacesBytesThatAreNot) {
  EXPECT_EQ(XmlEscape("caf\xC3\xA9 \xF0\x9F\x98\x80"), "caf\xC3\xA9 \xF0\x9F\x98\x80");
  // A key stored with a raw 0xFF was echoed into S3 error and listing XML,
  // which no parser then accepted.
  EXPECT_EQ(XmlEscape("a\xFF" "b"), "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(XmlEscape("\xC3"), "\xEF\xBF\xBD");              // truncated
  EXPECT_EQ(XmlEscape("\xE2\x82" "x"), "\xEF\xBF\xBD\xEF\xBF\xBD" "x");
  EXPECT_EQ(XmlEscape("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
}

}  // namespace
}  // namespace ck::wire
