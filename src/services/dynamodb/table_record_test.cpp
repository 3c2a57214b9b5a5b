#include "services/dynamodb/table_record.h"

#include <gtest/gtest.h>

#include "services/common/record_table.h"
#include "storage/memory_metadata_store.h"

namespace ck::services::dynamodb {
namespace {

// Table records exactly as the code before the field tables wrote them
// (Table::ToJson().dump(), PrincipalToJson for the creator): a data
// directory written then must still load, and unchanged records must encode
// to the same bytes.
constexpr char kKmsTable[] =
    R"({"account":"111111111111","arn":"arn:aws:dynamodb:us-east-1:111111111111:table/orders",)"
    R"("attribute_definitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"N"}],)"
    R"("billing_mode":"PAY_PER_REQUEST","created":1717171717.0,)"
    R"("creator":{"access_key_id":"ASIAEXAMPLE000000001","account":"111111111111",)"
    R"("arn":"arn:aws:sts::111111111111:assumed-role/app/s1","role_arn":"arn:aws:iam::111111111111:role/app",)"
    R"("session_name":"s1","type":2,"user_id":"AROAEXAMPLEROLE00001:s1","username":""},)"
    R"("deletion_protection":true,"hash_key":"pk","hash_type":"S","id":"5f0c3a8e-2b1d-4c6e-9a7b-1d2e3f4a5b6c",)"
    R"("kms_key_arn":"arn:aws:kms:us-east-1:111111111111:key/0b3c8a4e-1d2f-4a5b-9c8d-7e6f5a4b3c2d",)"
    R"("name":"orders","range_key":"sk","range_type":"N","rcu":0,"region":"us-east-1","sse_kms":true,)"
    R"("tags":[{"Key":"team","Value":"data"}],"wcu":0,"wrapped_key":"AQIDBAUGBwgJCgsMDQ4PEA=="})";

constexpr char kOwnedTable[] =
    R"({"account":"111111111111","arn":"arn:aws:dynamodb:us-east-1:111111111111:table/plain",)"
    R"("attribute_definitions":[{"AttributeName":"id","AttributeType":"B"}],"billing_mode":"PROVISIONED",)"
    R"("created":1717171717.0,"creator":{"access_key_id":"ASIAEXAMPLE000000001","account":"111111111111",)"
    R"("arn":"arn:aws:sts::111111111111:assumed-role/app/s1","role_arn":"arn:aws:iam::111111111111:role/app",)"
    R"("session_name":"s1","type":2,"user_id":"AROAEXAMPLEROLE00001:s1","username":""},)"
    R"("deletion_protection":false,"hash_key":"id","hash_type":"B","id":"0e1d2c3b-4a59-4877-a665-544332211000",)"
    R"("kms_key_arn":"","name":"plain","range_key":"","range_type":"","rcu":5,"region":"us-east-1",)"
    R"("sse_kms":false,"tags":[],"wcu":7,"wrapped_key":"c2VhbGVkLXVuZGVyLW93bmVkLXJvb3Q="})";

struct Tables {
  std::unique_ptr<storage::MetadataStore> store = storage::NewMemoryMetadataStore();
  RecordTable<TableRecord> table{*store, kTables};
};

TEST(TableRecordTest, DecodesTheKmsTableFormatWrittenBeforeFieldTables) {
  Tables s;
  auto r = s.table.Decode("k", kKmsTable);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->name, "orders");
  EXPECT_EQ(r->arn, "arn:aws:dynamodb:us-east-1:111111111111:table/orders");
  EXPECT_EQ(r->id, "5f0c3a8e-2b1d-4c6e-9a7b-1d2e3f4a5b6c");
  EXPECT_EQ(r->account, "111111111111");
  EXPECT_EQ(r->region, "us-east-1");
  EXPECT_EQ(ToEpochSeconds(r->created), 1717171717.0);
  EXPECT_EQ(r->hash_key, "pk");
  EXPECT_EQ(r->hash_type, "S");
  EXPECT_EQ(r->range_key, "sk");
  EXPECT_EQ(r->range_type, "N");
  ASSERT_EQ(r->attribute_definitions.size(), 2u);
  EXPECT_EQ(r->attribute_definitions[1].attribute_name, "sk");
  EXPECT_EQ(r->attribute_definitions[1].attribute_type, api::dynamodb::ScalarAttributeType::kN);
  EXPECT_EQ(r->billing_mode, "PAY_PER_REQUEST");
  EXPECT_TRUE(r->deletion_protection);
  EXPECT_TRUE(r->sse_kms);
  EXPECT_EQ(r->kms_key_arn, "arn:aws:kms:us-east-1:111111111111:key/0b3c8a4e-1d2f-4a5b-9c8d-7e6f5a4b3c2d");
  EXPECT_EQ(r->wrapped_key.str(), std::string("\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10"));
  EXPECT_FALSE(r->sealed_table_key.has_value());
  ASSERT_EQ(r->tags.size(), 1u);
  EXPECT_EQ(r->tags[0].key, "team");
  EXPECT_EQ(r->tags[0].value, "data");
  Principal creator = r->creator.ToPrincipal();
  EXPECT_EQ(creator.type, Principal::Type::kAssumedRole);
  EXPECT_EQ(creator.arn, "arn:aws:sts::111111111111:assumed-role/app/s1");
  EXPECT_EQ(creator.role_arn, "arn:aws:iam::111111111111:role/app");
  EXPECT_EQ(creator.session_name, "s1");
  EXPECT_EQ(creator.access_key_id, "ASIAEXAMPLE000000001");
  EXPECT_EQ(RecordTable<TableRecord>::Encode(*r), kKmsTable);
}

TEST(TableRecordTest, DecodesTheOwnedKeyTableFormatWrittenBeforeFieldTables) {
  Tables s;
  auto r = s.table.Decode("k", kOwnedTable);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->hash_key, "id");
  EXPECT_EQ(r->hash_type, "B");
  EXPECT_TRUE(r->range_key.empty());
  EXPECT_EQ(r->billing_mode, "PROVISIONED");
  EXPECT_EQ(r->rcu, 5);
  EXPECT_EQ(r->wcu, 7);
  EXPECT_FALSE(r->sse_kms);
  EXPECT_EQ(r->wrapped_key.str(), "sealed-under-owned-root");
  EXPECT_TRUE(r->tags.empty());
  EXPECT_EQ(r->KeySchema().size(), 1u);
  EXPECT_EQ(RecordTable<TableRecord>::Encode(*r), kOwnedTable);
}

TEST(TableRecordTest, ReKeyedTableKeepsItsSealedTableKey) {
  Tables s;
  auto r = s.table.Decode("k", kKmsTable);
  ASSERT_TRUE(r.ok());
  r->sealed_table_key = Bytes(std::string("\x00\xff sealed", 9));
  std::string text = RecordTable<TableRecord>::Encode(*r);
  EXPECT_NE(text.find(R"("sealed_table_key":"AP8gc2VhbGVk")"), std::string::npos) << text;
  auto back = s.table.Decode("k", text);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->sealed_table_key, r->sealed_table_key);
}

TEST(TableRecordTest, RecordWithoutItsKeyAttributeIsCorrupt) {
  Tables s;
  std::string text = kOwnedTable;
  text.replace(text.find(R"("hash_key":"id",)"), std::string(R"("hash_key":"id",)").size(), "");
  auto r = s.table.Decode("k", text);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInternal);
  EXPECT_NE(r.status().message().find("hash_key"), std::string::npos) << r.status().message();
}

TEST(TableRecordTest, KeysOrderByAccountRegionThenName) {
  EXPECT_EQ(TableRecordKey("111111111111", "us-east-1", "t").rfind(TableRecordPrefix("111111111111", "us-east-1"), 0),
            0u);
  EXPECT_NE(TableRecordPrefix("111111111111", "us-east-1"), TableRecordPrefix("111111111111", "us-east-2"));
}

TEST(TableRecordTest, LaterSettingsRoundTripAndStayOutOfOlderRecords) {
  Tables s;
  auto r = s.table.Decode("k", kOwnedTable);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->indexes || r->warm_read || r->on_demand_since || r->pitr_since || r->insights);
  IndexRecord i;
  i.name = "by-team";
  i.global = true;
  i.hash_key = "team";
  i.hash_type = "S";
  i.projection = "INCLUDE";
  i.non_key_attributes = {"v"};
  i.rcu = 1;
  r->indexes = std::vector<IndexRecord>{i};
  r->warm_read = 1000;
  r->pitr_since = FromEpochSeconds(1717171800);
  r->pitr_days = 7;
  r->insights = std::map<std::string, TimePoint>{{"", FromEpochSeconds(1717171900)}};
  auto back = s.table.Decode("k", RecordTable<TableRecord>::Encode(*r));
  ASSERT_TRUE(back.ok()) << back.status().message();
  ASSERT_NE(back->FindIndex("by-team"), nullptr);
  EXPECT_EQ(back->FindIndex("by-team")->non_key_attributes, std::vector<std::string>{"v"});
  EXPECT_TRUE(back->FindIndex("by-team")->global);
  EXPECT_EQ(back->FindIndex("nope"), nullptr);
  EXPECT_EQ(back->warm_read, 1000);
  EXPECT_EQ(back->pitr_days, 7);
  EXPECT_EQ(ToEpochSeconds(*back->pitr_since), 1717171800.0);
  EXPECT_EQ(back->insights->count(""), 1u);
}

}  // namespace
}  // namespace ck::services::dynamodb
