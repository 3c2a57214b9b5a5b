#include "wire/json_codec.h"

#include <gtest/gtest.h>

namespace ck::wire {
namespace {

using nlohmann::json;

class JsonCodecTest : public ::testing::Test {
 protected:
  const ServiceModel& kms() { return *FindService("kms"); }
  const ServiceModel& ddb() { return *FindService("dynamodb"); }
  const Operation& Op(const ServiceModel& m, const char* name) { return *m.FindOperation(name); }
};

TEST_F(JsonCodecTest, KmsEncryptRoundTrip) {
  auto doc = DecodeJsonRequest(kms(), Op(kms(), "Encrypt"),
                               R"({"KeyId":"alias/my-key","Plaintext":"aGVsbG8=",
                                   "EncryptionContext":{"Department":"10"},"Unknown":1})");
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_EQ((*doc)["KeyId"], "alias/my-key");
  EXPECT_EQ((*doc)["Plaintext"], "aGVsbG8=");
  EXPECT_EQ((*doc)["EncryptionContext"]["Department"], "10");
  EXPECT_FALSE(doc->contains("Unknown"));

  json out = {{"CiphertextBlob", "AQID"},
              {"KeyId", "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"},
              {"EncryptionAlgorithm", "SYMMETRIC_DEFAULT"},
              {"NotInModel", "x"}};
  json wire = json::parse(EncodeJsonResponse(kms(), Op(kms(), "Encrypt"), out));
  EXPECT_EQ(wire["CiphertextBlob"], "AQID");
  EXPECT_EQ(wire["EncryptionAlgorithm"], "SYMMETRIC_DEFAULT");
  EXPECT_FALSE(wire.contains("NotInModel"));
}

TEST_F(JsonCodecTest, KmsEncryptMissingKeyId) {
  auto doc = DecodeJsonRequest(kms(), Op(kms(), "Encrypt"), R"({"Plaintext":"aGVsbG8="})");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().aws_code(), "ValidationException");
  EXPECT_EQ(doc.status().http_status(), 400);
  EXPECT_EQ(doc.status().message(),
            "1 validation error detected: Value null at 'keyId' failed to satisfy constraint: "
            "Member must not be null");
}

TEST_F(JsonCodecTest, KmsLengthAndMultipleViolations) {
  std::string long_id(2049, 'k');
  auto doc = DecodeJsonRequest(kms(), Op(kms(), "Encrypt"), R"({"KeyId":")" + long_id + R"("})");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().message(),
            "2 validation errors detected: Value '" + long_id +
                "' at 'keyId' failed to satisfy constraint: Member must have length less than or equal to 2048; "
                "Value null at 'plaintext' failed to satisfy constraint: Member must not be null");

  doc = DecodeJsonRequest(kms(), Op(kms(), "Encrypt"), R"({"KeyId":"","Plaintext":"aGVsbG8="})");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().message(),
            "1 validation error detected: Value '' at 'keyId' failed to satisfy constraint: "
            "Member must have length greater than or equal to 1");
}

TEST_F(JsonCodecTest, KmsEnumAndRange) {
  auto doc = DecodeJsonRequest(kms(), Op(kms(), "GenerateDataKey"),
                               R"({"KeyId":"k","KeySpec":"AES_512","NumberOfBytes":2048})");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().message(),
            "2 validation errors detected: Value '2048' at 'numberOfBytes' failed to satisfy constraint: "
            "Member must have value less than or equal to 1024; Value 'AES_512' at 'keySpec' failed to satisfy "
            "constraint: Member must satisfy enum value set: [AES_256, AES_128]");
  doc = DecodeJsonRequest(kms(), Op(kms(), "GenerateDataKey"), R"({"KeyId":"k","KeySpec":"AES_256"})");
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  json out = {{"CiphertextBlob", "AAAA"}, {"Plaintext", "AQIDBA=="}, {"KeyId", "arn"}};
  json wire = json::parse(EncodeJsonResponse(kms(), Op(kms(), "GenerateDataKey"), out));
  EXPECT_EQ(wire["Plaintext"], "AQIDBA==");
}

TEST_F(JsonCodecTest, SensitiveBlobLengthOmitsValue) {
  auto doc = DecodeJsonRequest(kms(), Op(kms(), "Encrypt"), R"({"KeyId":"k","Plaintext":""})");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().message(),
            "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: "
            "Member must have length greater than or equal to 1");
}

TEST_F(JsonCodecTest, KmsListKeysTimestampsAndLists) {
  auto doc = DecodeJsonRequest(kms(), Op(kms(), "ListKeys"), "");
  ASSERT_TRUE(doc.ok());
  EXPECT_TRUE(doc->empty());
  doc = DecodeJsonRequest(kms(), Op(kms(), "ListKeys"), R"({"Limit":0})");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().message(),
            "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: "
            "Member must have value greater than or equal to 1");

  json out = {{"Keys", json::array({{{"KeyId", "k1"}, {"KeyArn", "arn1"}}, {{"KeyId", "k2"}, {"KeyArn", "arn2"}}})},
              {"Truncated", false}};
  json wire = json::parse(EncodeJsonResponse(kms(), Op(kms(), "ListKeys"), out));
  ASSERT_EQ(wire["Keys"].size(), 2u);
  EXPECT_EQ(wire["Keys"][1]["KeyArn"], "arn2");
  EXPECT_EQ(wire["Truncated"], false);

  json meta = {{"KeyMetadata", {{"KeyId", "k"}, {"CreationDate", 1700000000.5}, {"Enabled", true}}}};
  wire = json::parse(EncodeJsonResponse(kms(), Op(kms(), "DescribeKey"), meta));
  EXPECT_DOUBLE_EQ(wire["KeyMetadata"]["CreationDate"].get<double>(), 1700000000.5);
}

TEST_F(JsonCodecTest, SerializationErrors) {
  auto doc = DecodeJsonRequest(kms(), Op(kms(), "Encrypt"), R"({"KeyId":)");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().aws_code(), "SerializationException");
  EXPECT_EQ(doc.status().http_status(), 400);

  doc = DecodeJsonRequest(kms(), Op(kms(), "Encrypt"), R"({"KeyId":5,"Plaintext":"aGk="})");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().aws_code(), "SerializationException");
  EXPECT_EQ(doc.status().message(), "NUMBER_VALUE can not be converted to a String");

  doc = DecodeJsonRequest(kms(), Op(kms(), "Encrypt"), R"({"KeyId":{"a":1},"Plaintext":"aGk="})");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().message(), "Start of structure or map found where not expected.");

  doc = DecodeJsonRequest(kms(), Op(kms(), "Encrypt"), R"({"KeyId":"k","Plaintext":"not base64!"})");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().aws_code(), "SerializationException");

  doc = DecodeJsonRequest(kms(), Op(kms(), "ListKeys"), R"({"Limit":"10"})");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().message(), "STRING_VALUE can not be converted to an Integer");

  doc = DecodeJsonRequest(kms(), Op(kms(), "ListKeys"), R"([1,2])");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().aws_code(), "SerializationException");
}

TEST_F(JsonCodecTest, DynamoDbPutItemNestedAttributeValues) {
  const char* body = R"({"TableName":"Music","Item":{
      "Artist":{"S":"No One You Know"},
      "Year":{"N":"2015"},
      "Cover":{"B":"AAEC"},
      "Tags":{"SS":["a","b"]},
      "Info":{"M":{"Nested":{"L":[{"S":"x"},{"BOOL":true},{"NULL":true}]}}}},
      "ReturnValues":"ALL_OLD"})";
  auto doc = DecodeJsonRequest(ddb(), Op(ddb(), "PutItem"), body);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  const json& item = (*doc)["Item"];
  EXPECT_EQ(item["Artist"]["S"], "No One You Know");
  EXPECT_EQ(item["Year"]["N"], "2015");
  EXPECT_EQ(item["Tags"]["SS"], json::array({"a", "b"}));
  EXPECT_EQ(item["Info"]["M"]["Nested"]["L"][1]["BOOL"], true);
  EXPECT_EQ(item["Info"]["M"]["Nested"]["L"][2]["NULL"], true);

  json out = {{"Attributes", item}, {"ConsumedCapacity", {{"TableName", "Music"}, {"CapacityUnits", 1.0}}}};
  json wire = json::parse(EncodeJsonResponse(ddb(), Op(ddb(), "PutItem"), out));
  EXPECT_EQ(wire["Attributes"], item);
  EXPECT_DOUBLE_EQ(wire["ConsumedCapacity"]["CapacityUnits"].get<double>(), 1.0);

  auto bad = DecodeJsonRequest(ddb(), Op(ddb(), "PutItem"), R"({"TableName":"Music","Item":{},"ReturnValues":"BAD"})");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().aws_code(), "ValidationException");
  EXPECT_EQ(bad.status().message(),
            "1 validation error detected: Value 'BAD' at 'returnValues' failed to satisfy constraint: "
            "Member must satisfy enum value set: [NONE, ALL_OLD, UPDATED_OLD, ALL_NEW, UPDATED_NEW]");
  bad = DecodeJsonRequest(ddb(), Op(ddb(), "PutItem"), R"({"TableName":"Music"})");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(),
            "1 validation error detected: Value null at 'item' failed to satisfy constraint: "
            "Member must not be null");
}

TEST_F(JsonCodecTest, TargetsAndContentType) {
  EXPECT_EQ(JsonTarget(kms(), Op(kms(), "Encrypt")), "TrentService.Encrypt");
  EXPECT_EQ(FindJsonOperation(kms(), "TrentService.Decrypt"), kms().FindOperation("Decrypt"));
  EXPECT_EQ(FindJsonOperation(kms(), "TrentService.Nope"), nullptr);
  EXPECT_EQ(FindJsonOperation(kms(), "Other.Decrypt"), nullptr);
  EXPECT_EQ(FindJsonOperation(ddb(), "DynamoDB_20120810.PutItem"), ddb().FindOperation("PutItem"));
  EXPECT_EQ(JsonContentType(ddb()), "application/x-amz-json-1.0");
  EXPECT_EQ(JsonContentType(kms()), "application/x-amz-json-1.1");
  const ServiceModel& sm = *FindService("secretsmanager");
  EXPECT_EQ(FindJsonOperation(sm, "secretsmanager.GetSecretValue"), sm.FindOperation("GetSecretValue"));
}

}  // namespace
}  // namespace ck::wire
