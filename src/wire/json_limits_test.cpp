#include "wire/json_limits.h"

#include <gtest/gtest.h>

#include "wire/json_codec.h"

namespace ck::wire {
namespace {

std::string Nested(size_t levels, const std::string& open = "[", const std::string& close = "]") {
  std::string s;
  for (size_t i = 0; i < levels; ++i) s += open;
  for (size_t i = 0; i < levels; ++i) s += close;
  return s;
}

// {"L":[{"L":[ ... {"S":"x"} ... ]}]}: an AttributeValue `levels` lists deep.
std::string DeepAttributeValue(size_t levels) {
  std::string s;
  for (size_t i = 0; i < levels; ++i) s += R"({"L":[)";
  s += R"({"S":"x"})";
  for (size_t i = 0; i < levels; ++i) s += "]}";
  return s;
}

TEST(JsonLimits, DepthCountsArraysAndObjectsButNotStrings) {
  EXPECT_EQ(JsonNestingDepth("1"), 0u);
  EXPECT_EQ(JsonNestingDepth(R"({"a":[1,{"b":[]}]})"), 4u);
  EXPECT_EQ(JsonNestingDepth(R"({"a":"[[[[{{{{"})"), 1u);
  EXPECT_EQ(JsonNestingDepth(R"({"a":"\"[[[["})"), 1u);        // an escaped quote stays in the string
  EXPECT_EQ(JsonNestingDepth(R"(["\\",[[]]])"), 3u);            // an escaped backslash ends the escape
  EXPECT_EQ(JsonNestingDepth("]]]][["), 2u);                    // malformed: measured as far as it goes
  EXPECT_EQ(JsonNestingDepth(Nested(100000), 300), 301u);       // stops counting past the limit
}

TEST(JsonLimits, CheckRefusesTooDeepAndTooLarge) {
  EXPECT_TRUE(CheckJsonLimits(Nested(kMaxJsonDepth)).ok());
  EXPECT_EQ(CheckJsonLimits(Nested(kMaxJsonDepth + 1)).code(), Code::kInvalidArgument);
  EXPECT_EQ(CheckJsonLimits("[1,2,3]", 10, 6).code(), Code::kInvalidArgument);
}

TEST(JsonLimits, DecoderRefusesDeepDocumentsBeforeParsing) {
  // A PutItem item nested 10,000 lists deep crashed the server (recursion in
  // the typed decoder); now refused as DynamoDB refuses a too-deep value.
  const ServiceModel& ddb = *FindService("dynamodb");
  std::string body = R"({"TableName":"ttt","Item":{"pk":{"S":"a"},"x":)" + DeepAttributeValue(10000) + "}}";
  auto r = DecodeJsonRequest(ddb, *ddb.FindOperation("PutItem"), body);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().aws_code(), "ValidationException");
  EXPECT_EQ(r.status().message(),
            "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported "
            "limit");
  // 100 levels are within the decoder's limit: DynamoDB itself refuses them.
  body = R"({"TableName":"ttt","Item":{"pk":{"S":"a"},"x":)" + DeepAttributeValue(100) + "}}";
  EXPECT_TRUE(DecodeJsonRequest(ddb, *ddb.FindOperation("PutItem"), body).ok());
  // Other services: a SerializationException (AWS's text is not known).
  const ServiceModel& kms = *FindService("kms");
  r = DecodeJsonRequest(kms, *kms.FindOperation("Encrypt"), R"({"KeyId":"k","Plaintext":"AA==","X":)" +
                                                                 Nested(5000) + "}");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().aws_code(), "SerializationException");
}

TEST(JsonCodecNumbers, WholeFloatsOutOfRangeAreRefusedNotConverted) {
  // Found by json_codec_fuzz: an integral float past 2^63 for a Long member
  // was converted (undefined behaviour) instead of refused.
  const ServiceModel& ddb = *FindService("dynamodb");
  const Operation& scan = *ddb.FindOperation("Scan");
  for (const char* limit : {"8.88889e104", "9223372036854775808.0", "-1e19", "18446744073709551615"}) {
    auto r = DecodeJsonRequest(ddb, scan, std::string(R"({"TableName":"ttt","TotalSegments":)") + limit + "}");
    ASSERT_FALSE(r.ok()) << limit;
    EXPECT_EQ(r.status().aws_code(), "SerializationException") << limit;
  }
  auto ok = DecodeJsonRequest(ddb, scan, R"({"TableName":"ttt","Limit":1e3})");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ((*ok)["Limit"], 1000);
  const ServiceModel& kms = *FindService("kms");
  auto big = DecodeJsonRequest(kms, *kms.FindOperation("GenerateDataKey"), R"({"KeyId":"k","NumberOfBytes":3e9})");
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.status().message(), "Numeric value out of range of int");
}

}  // namespace
}  // namespace ck::wire
