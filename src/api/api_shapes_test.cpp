#include <gtest/gtest.h>

#include "api/dynamodb.h"
#include "api/kms.h"
#include "api/s3.h"
#include "api/sts.h"

namespace ck::api {
namespace {

using nlohmann::json;

TEST(ApiShapes, DecodesTypedMembers) {
  json d = {{"KeyId", "alias/my-key"},
            {"Plaintext", "aGk="},
            {"EncryptionContext", {{"a", "1"}}},
            {"EncryptionAlgorithm", "SYMMETRIC_DEFAULT"},
            {"DryRun", true},
            {"Unmodelled", 1}};
  kms::EncryptRequest in;
  ASSERT_TRUE(FromDocument(d, &in).ok());
  EXPECT_EQ(in.key_id, "alias/my-key");
  EXPECT_EQ(in.plaintext.str(), "hi");
  ASSERT_TRUE(in.encryption_context.has_value());
  EXPECT_EQ(in.encryption_context->at("a"), "1");
  EXPECT_TRUE(in.encryption_algorithm == kms::EncryptionAlgorithmSpec::kSymmetricDefault);
  EXPECT_EQ(in.dry_run, true);
  EXPECT_FALSE(in.grant_tokens.has_value());
}

TEST(ApiShapes, EncodesOnlyPresentMembersAndRoundTrips) {
  kms::EncryptResponse out;
  out.ciphertext_blob = Bytes(std::string("\x00\x01\xff", 3));
  out.key_id = "arn:aws:kms:us-east-1:111111111111:key/k";
  json d = ToDocument(out);
  EXPECT_EQ(d, (json{{"CiphertextBlob", "AAH/"}, {"KeyId", "arn:aws:kms:us-east-1:111111111111:key/k"}}));
  kms::EncryptResponse back;
  ASSERT_TRUE(FromDocument(d, &back).ok());
  EXPECT_EQ(back, out);
}

TEST(ApiShapes, UnrecognisedEnumKeepsItsText) {
  auto v = EnumValue<kms::KeySpec>::Parse("FUTURE_SPEC");
  EXPECT_FALSE(v.known());
  EXPECT_EQ(v.str(), "FUTURE_SPEC");
  EXPECT_TRUE(v == kms::KeySpec::kUnrecognized);
  EXPECT_EQ(EnumValue<kms::KeySpec>(kms::KeySpec::kRsa2048).str(), "RSA_2048");
  EXPECT_EQ(ToString(kms::KeySpec::kHmac256), "HMAC_256");
}

TEST(ApiShapes, MissingRequiredMemberIsAnErrorOnlyWhenStrict) {
  json d = {{"Plaintext", "aGk="}};
  kms::EncryptRequest in;
  Status s = FromDocument(d, &in);
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_NE(s.message().find("KeyId"), std::string::npos);
  EXPECT_TRUE(FromDocument(d, &in, DecodeOptions{.strict = false}).ok());
}

TEST(ApiShapes, WrongTypesAndBadBase64AreErrors) {
  kms::EncryptRequest in;
  EXPECT_FALSE(FromDocument(json{{"KeyId", 5}, {"Plaintext", "aGk="}}, &in).ok());
  EXPECT_FALSE(FromDocument(json{{"KeyId", "k"}, {"Plaintext", "not base64!"}}, &in).ok());
  EXPECT_FALSE(FromDocument(json::array(), &in).ok());
  kms::GenerateRandomRequest r;
  EXPECT_FALSE(FromDocument(json{{"NumberOfBytes", 1LL << 40}}, &r).ok());
}

TEST(ApiShapes, RecursiveShapes) {
  json d = {{"M", {{"l", {{"L", json::array({json{{"S", "x"}}, json{{"N", "1"}}})}}}}}};
  dynamodb::AttributeValue v;
  ASSERT_TRUE(FromDocument(d, &v).ok());
  ASSERT_TRUE(v.m.has_value());
  const auto& l = v.m->at("l").l;
  ASSERT_TRUE(l.has_value());
  ASSERT_EQ(l->size(), 2u);
  EXPECT_EQ((*l)[0].s, "x");
  EXPECT_EQ((*l)[1].n, "1");
  EXPECT_EQ(ToDocument(v), d);
}

TEST(ApiShapes, TimestampsAreEpochSeconds) {
  sts::Credentials c;
  c.access_key_id = "ASIA";
  c.secret_access_key = "s";
  c.session_token = "t";
  c.expiration = FromEpochSeconds(1700000000.5);
  json d = ToDocument(c);
  EXPECT_DOUBLE_EQ(d["Expiration"].get<double>(), 1700000000.5);
  sts::Credentials back;
  ASSERT_TRUE(FromDocument(d, &back).ok());
  EXPECT_EQ(back.expiration, c.expiration);
}

TEST(ApiShapes, OperationDescriptorsNameTheirShapes) {
  static_assert(std::is_same_v<kms::ops::Encrypt::Input, kms::EncryptRequest>);
  static_assert(std::is_same_v<s3::ops::GetObject::Output, s3::GetObjectOutput>);
  static_assert(std::is_same_v<s3::ops::DeleteBucket::Output, Empty>);
  EXPECT_EQ(kms::ops::Encrypt::kName, "Encrypt");
}

TEST(ApiShapes, StreamingBodiesAreNotMembers) {
  // PutObject's Body travels beside the struct; every other member is there.
  s3::PutObjectRequest in;
  in.bucket = "b";
  in.key = "k";
  in.content_type = "text/plain";
  json d = ToDocument(in);
  EXPECT_FALSE(d.contains("Body"));
  EXPECT_EQ(d["ContentType"], "text/plain");
}

}  // namespace
}  // namespace ck::api
