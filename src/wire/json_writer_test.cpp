#include "wire/json_writer.h"

#include <gtest/gtest.h>

namespace ck::wire {
namespace {

using nlohmann::json;

TEST(JsonWriter, PlacesCommasAndEscapes) {
  JsonWriter w;
  w.BeginObject().Field("a", "x\"y\\z\n\x01").Key("b").BeginArray().Int(-3).Bool(true).Null().EndArray();
  w.Key("c").BeginObject().EndObject().Key("d").Raw("{\"pre\":1}").EndObject();
  std::string s = w.Take();
  EXPECT_EQ(s, R"({"a":"x\"y\\z\n\u0001","b":[-3,true,null],"c":{},"d":{"pre":1}})");
  EXPECT_EQ(json::parse(s)["a"], "x\"y\\z\n\x01");
}

TEST(JsonWriter, ValueRoundTripsAnyDocument) {
  json doc = json::parse(R"({"keyId":"alias/x","n":7,"u":18446744073709551615,"f":1.5,
    "ctx":{"aws:s3:arn":"arn:aws:s3:::b/k","é":"ü\t"},"list":[1,"two",null,false,{"x":[]}]})");
  std::string s = JsonWriter(8).Value(doc).Take();  // a small start: the buffer grows
  EXPECT_EQ(json::parse(s), doc);
  EXPECT_EQ(s, doc.dump());  // same text as nlohmann for these values
}

TEST(JsonWriter, LiteralAndRuntimeKeysAgree) {
  std::string runtime_key = "eventTime";
  std::string a = JsonWriter().BeginObject().Key("eventTime").String("t").Field("x", "1").EndObject().Take();
  std::string b =
      JsonWriter().BeginObject().Key(runtime_key).String("t").Field(std::string("x"), "1").EndObject().Take();
  EXPECT_EQ(a, b);
  EXPECT_EQ(a, R"({"eventTime":"t","x":"1"})");
  std::string hostile = "a\"b";  // a key from data is escaped
  std::string c = JsonWriter().BeginObject().Key(hostile).Null().EndObject().Take();
  EXPECT_EQ(c, R"({"a\"b":null})");
}

TEST(JsonWriter, ValuesInArraysAndAfterKeys) {
  JsonWriter w;
  w.BeginArray().Value(json::object()).Value(json::array({1, 2})).String("z").EndArray();
  std::string s = w.Take();
  EXPECT_EQ(s, R"([{},[1,2],"z"])");
}

// The word-at-a-time scan agrees with a byte-by-byte escape for every byte
// value at every position of strings around the 8-byte word size.
TEST(JsonWriter, QuotingMatchesBytewiseReference) {
  auto reference = [](std::string_view v) {
    std::string r = "\"";
    for (unsigned char c : v) {
      if (c == '"') r += "\\\"";
      else if (c == '\\') r += "\\\\";
      else if (c == '\n') r += "\\n";
      else if (c == '\r') r += "\\r";
      else if (c == '\t') r += "\\t";
      else if (c < 0x20) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        r += buf;
      } else {
        r += static_cast<char>(c);
      }
    }
    return r + "\"";
  };
  for (size_t len : {1u, 7u, 8u, 9u, 16u, 17u}) {
    for (size_t pos = 0; pos < len; ++pos) {
      for (int b = 0; b < 256; ++b) {
        std::string v(len, 'a');
        v[pos] = static_cast<char>(b);
        std::string got = "prefix";
        JsonWriter::AppendQuoted(v, &got);
        ASSERT_EQ(got, "prefix" + reference(v)) << "len " << len << " pos " << pos << " byte " << b;
        ASSERT_EQ(JsonWriter(4).String(v).Take(), reference(v));
      }
    }
  }
}

}  // namespace
}  // namespace ck::wire
