#include "core/kms/key_model.h"

#include <gtest/gtest.h>

namespace ck::core::kms {
namespace {

// Records as the key store wrote them before records had field tables
// (KeyToStorage / AliasToStorage with nlohmann::json): data directories
// written then must still load.
constexpr char kStoredKey[] =
    R"({"account":"111111111111","created":1700000000.2499998,"deletion_date":1700604800.2499998,"description":"golden","grants":[{"created":1700000100.0,"equals":null,"grantee":"arn:aws:iam::222222222222:root","id":"cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc","issuing_account":"arn:aws:iam::111111111111:root","name":"g1","operations":["Encrypt","Decrypt"],"retiring":"arn:aws:iam::222222222222:role/r","subset":{"x":"y"},"token":"dG9rZW4="},{"created":1700000200.0,"equals":{"a":"b"},"grantee":"s3.amazonaws.com","id":"dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd","issuing_account":"","name":"","operations":["GenerateDataKey"],"retiring":"","subset":null,"token":""}],"id":"0b3c8a4e-1d2f-4a5b-9c8d-7e6f5a4b3c2d","manager":"CUSTOMER","materials":[{"created":1700000000.2499998,"id":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","rotation_type":"","version":1,"wrapped":"AQIDd3JhcHBlZC0x"},{"created":1700100000.5,"id":"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb","rotation_type":"ON_DEMAND","version":2,"wrapped":"d3JhcHBlZC0y"}],"next_rotation":1707776000.2499998,"on_demand_started":null,"origin":"AWS_KMS","pending_window_days":7,"policy":"{\"Version\":\"2012-10-17\",\"Statement\":[]}","region":"us-east-1","rotation_enabled":true,"rotation_period_days":90,"spec":"SYMMETRIC_DEFAULT","state":"PendingDeletion","tags":[["team","blue"],["env","dev"]],"usage":"ENCRYPT_DECRYPT"})";
constexpr char kStoredPlainKey[] =
    R"({"account":"222222222222","created":1600000000.0,"deletion_date":null,"description":"","grants":[],"id":"11111111-2222-4333-8444-555555555555","manager":"CUSTOMER","materials":[],"next_rotation":null,"on_demand_started":null,"origin":"AWS_KMS","pending_window_days":0,"policy":"{}","region":"eu-west-1","rotation_enabled":false,"rotation_period_days":365,"spec":"SYMMETRIC_DEFAULT","state":"Enabled","tags":[],"usage":"ENCRYPT_DECRYPT"})";
constexpr char kStoredAlias[] =
    R"({"account":"111111111111","created":1700000000.5,"name":"alias/golden","region":"us-east-1","target":"0b3c8a4e-1d2f-4a5b-9c8d-7e6f5a4b3c2d","updated":1700000300.7500002})";

double Epoch(TimePoint t) { return ToEpochSeconds(t); }

template <typename R>
Result<R> Decode(std::string_view text) {
  R record{};
  CK_RETURN_IF_ERROR(FromDocument(Document::parse(text), &record));
  return record;
}

TEST(KeyModel, DecodesTodaysKeyRecord) {
  auto k = Decode<KeyRecord>(kStoredKey);
  ASSERT_TRUE(k.ok()) << k.status().ToString();
  EXPECT_EQ(k->account, "111111111111");
  EXPECT_EQ(k->region, "us-east-1");
  EXPECT_EQ(k->id, "0b3c8a4e-1d2f-4a5b-9c8d-7e6f5a4b3c2d");
  EXPECT_EQ(k->arn, "arn:aws:kms:us-east-1:111111111111:key/0b3c8a4e-1d2f-4a5b-9c8d-7e6f5a4b3c2d");
  EXPECT_EQ(k->description, "golden");
  EXPECT_EQ(k->state, KeyState::kPendingDeletion);
  EXPECT_DOUBLE_EQ(Epoch(k->created), 1700000000.25);
  ASSERT_TRUE(k->deletion_date.has_value());
  EXPECT_DOUBLE_EQ(Epoch(*k->deletion_date), 1700604800.25);
  EXPECT_EQ(k->pending_window_days, 7);
  EXPECT_EQ(k->policy, R"({"Version":"2012-10-17","Statement":[]})");
  ASSERT_EQ(k->tags.size(), 2u);
  EXPECT_EQ(k->tags[0].key, "team");
  EXPECT_EQ(k->tags[0].value, "blue");
  EXPECT_EQ(k->tags[1].key, "env");
  EXPECT_TRUE(k->rotation_enabled);
  EXPECT_EQ(k->rotation_period_days, 90);
  ASSERT_TRUE(k->next_rotation.has_value());
  EXPECT_FALSE(k->on_demand_rotation_started.has_value());
  ASSERT_EQ(k->materials.size(), 2u);
  EXPECT_EQ(k->materials[0].version, 1u);
  EXPECT_EQ(k->materials[0].material_id, std::string(64, 'a'));
  EXPECT_EQ(k->materials[0].rotation_type, "");
  EXPECT_EQ(k->materials[0].wrapped, Bytes(std::string("\x01\x02\x03wrapped-1", 12)));
  EXPECT_EQ(k->materials[1].version, 2u);
  EXPECT_EQ(k->materials[1].rotation_type, "ON_DEMAND");
  EXPECT_EQ(k->Current().material_id, std::string(64, 'b'));
  EXPECT_TRUE(k->materials[1].plain.empty());
  ASSERT_EQ(k->grants.size(), 2u);
  const Grant& g = k->grants[0];
  EXPECT_EQ(g.grant_id, std::string(64, 'c'));
  EXPECT_EQ(g.name, "g1");
  EXPECT_EQ(g.grantee, "arn:aws:iam::222222222222:root");
  EXPECT_EQ(g.retiring, "arn:aws:iam::222222222222:role/r");
  EXPECT_EQ(g.issuing_account, "arn:aws:iam::111111111111:root");
  EXPECT_EQ(g.token, "dG9rZW4=");
  EXPECT_EQ(g.operations, (std::vector<std::string>{"Encrypt", "Decrypt"}));
  EXPECT_FALSE(g.constraints.context_equals.has_value());
  ASSERT_TRUE(g.constraints.context_subset.has_value());
  EXPECT_EQ(g.constraints.context_subset->at("x"), "y");
  EXPECT_DOUBLE_EQ(Epoch(g.created), 1700000100.0);
  EXPECT_EQ(k->grants[1].grantee, "s3.amazonaws.com");
  ASSERT_TRUE(k->grants[1].constraints.context_equals.has_value());
  EXPECT_FALSE(k->grants[1].constraints.context_subset.has_value());
}

TEST(KeyModel, DecodesTodaysPlainKeyRecordWithDefaults) {
  auto k = Decode<KeyRecord>(kStoredPlainKey);
  ASSERT_TRUE(k.ok()) << k.status().ToString();
  EXPECT_EQ(k->state, KeyState::kEnabled);
  EXPECT_EQ(k->spec, "SYMMETRIC_DEFAULT");
  EXPECT_EQ(k->usage, "ENCRYPT_DECRYPT");
  EXPECT_EQ(k->origin, "AWS_KMS");
  EXPECT_EQ(k->manager, "CUSTOMER");
  EXPECT_FALSE(k->deletion_date.has_value());
  EXPECT_FALSE(k->next_rotation.has_value());
  EXPECT_EQ(k->rotation_period_days, 365);
  EXPECT_TRUE(k->materials.empty());
  EXPECT_TRUE(k->grants.empty());
  EXPECT_TRUE(k->tags.empty());
}

TEST(KeyModel, DecodesTodaysAliasRecord) {
  auto decoded = Decode<AliasRecord>(kStoredAlias);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  const AliasRecord& a = *decoded;
  EXPECT_EQ(a.account, "111111111111");
  EXPECT_EQ(a.region, "us-east-1");
  EXPECT_EQ(a.name, "alias/golden");
  EXPECT_EQ(a.target_key_id, "0b3c8a4e-1d2f-4a5b-9c8d-7e6f5a4b3c2d");
  EXPECT_DOUBLE_EQ(Epoch(a.created), 1700000000.5);
  EXPECT_DOUBLE_EQ(Epoch(a.updated), 1700000300.75);
  EXPECT_EQ(a.arn(), "arn:aws:kms:us-east-1:111111111111:alias/golden");
}

// The records written now: the same members under the same names, except
// that absent optional members are left out instead of written as null.
TEST(KeyModel, EncodesTheSameStoredMembers) {
  auto strip_nulls = [](Document d) {
    for (auto it = d.begin(); it != d.end();) it = it->is_null() ? d.erase(it) : std::next(it);
    for (auto& g : d.at("grants"))
      for (auto it = g.begin(); it != g.end();) it = it->is_null() ? g.erase(it) : std::next(it);
    return d;
  };
  for (const char* stored : {kStoredKey, kStoredPlainKey}) {
    auto k = Decode<KeyRecord>(stored);
    ASSERT_TRUE(k.ok());
    EXPECT_EQ(ToDocument(*k).dump(), strip_nulls(Document::parse(stored)).dump());
  }
  auto a = Decode<AliasRecord>(kStoredAlias);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(ToDocument(*a).dump(), kStoredAlias);
}

TEST(KeyModel, StorageFormHoldsNoPlaintextOrParsedState) {
  auto k = Decode<KeyRecord>(kStoredKey);
  ASSERT_TRUE(k.ok());
  k->materials[0].plain = "PLAINTEXT";
  std::string stored = ToDocument(*k).dump();
  EXPECT_EQ(stored.find("PLAINTEXT"), std::string::npos);
  EXPECT_EQ(stored.find("\"arn\""), std::string::npos);
}

TEST(KeyModel, CorruptRecordsFailToDecode) {
  EXPECT_FALSE(Decode<KeyRecord>(R"({"region":"us-east-1","id":"x"})").ok());  // no account
  EXPECT_FALSE(Decode<KeyRecord>(R"({"account":"1","region":"r","id":"x","materials":[{"version":1,"wrapped":"%%"}]})").ok());
  EXPECT_FALSE(Decode<KeyRecord>(R"({"account":"1","region":"r","id":"x","materials":[{"id":"m"}]})").ok());  // no version
  EXPECT_FALSE(Decode<KeyRecord>(R"({"account":"1","region":"r","id":"x","state":"Melting"})").ok());
  EXPECT_FALSE(Decode<KeyRecord>(R"({"account":"1","region":"r","id":"x","tags":[["only-a-key"]]})").ok());
  EXPECT_FALSE(Decode<KeyRecord>(R"({"account":"1","region":"r","id":"x","grants":[{"name":"no id"}]})").ok());
}

}  // namespace
}  // namespace ck::core::kms
