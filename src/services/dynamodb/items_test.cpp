#include "services/dynamodb/items.h"

#include <gtest/gtest.h>

#include "services/dynamodb/attribute_value.h"

namespace ck::services::dynamodb {
namespace {

using api::dynamodb::AttributeValue;

AttributeValue S(std::string s) {
  AttributeValue v;
  v.s = std::move(s);
  return v;
}

TEST(ItemsTest, TypedValuesBecomeTheWireFormDocuments) {
  AttributeValue m;
  m.m.emplace();
  (*m.m)["n"].n = "1.50";
  (*m.m)["l"].l = std::vector<AttributeValue>{S("x"), AttributeValue{}};
  (*m.m)["l"].l->back().bool_ = true;
  AttributeValue b;
  b.b = Bytes(std::string("\x00\xff", 2));
  AttributeValue bs;
  bs.bs = std::vector<Bytes>{Bytes("a"), Bytes("b")};
  AttributeValue null;
  null.null = true;
  ApiItem item = {{"pk", S("a")}, {"m", m}, {"b", b}, {"bs", bs}, {"nul", null}};
  Json j = ToJson(item);
  EXPECT_EQ(j, Json::parse(R"({"pk":{"S":"a"},"b":{"B":"AP8="},"bs":{"BS":["YQ==","Yg=="]},"nul":{"NULL":true},
                               "m":{"M":{"n":{"N":"1.50"},"l":{"L":[{"S":"x"},{"BOOL":true}]}}}})"));
  // And back, as responses carry them.
  auto back = ToApi(j);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(*back, item);
}

TEST(ItemsTest, AValueNamingTwoTypesStaysInvalid) {
  AttributeValue two = S("a");
  two.n = "1";
  Json j = ToJson(ApiItem{{"x", two}});
  EXPECT_EQ(ddb::TypeOf(j["x"]), "");
  Status s = ddb::ValidateItem(&j);
  EXPECT_EQ(s.aws_code(), "ValidationException");
  EXPECT_EQ(s.message(), "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
}

TEST(ItemsTest, KeyParamNormalizesAndChecksTheSchema) {
  TableRecord t;
  t.account = "111111111111";
  t.region = "us-east-1";
  t.id = "id";
  t.hash_key = "pk";
  t.hash_type = "S";
  t.range_key = "sk";
  t.range_type = "N";
  AttributeValue n;
  n.n = "1.50";
  auto k = KeyParam(t, {{"pk", S("a")}, {"sk", n}});
  ASSERT_TRUE(k.ok()) << k.status().message();
  EXPECT_EQ(*k, Json::parse(R"({"pk":{"S":"a"},"sk":{"N":"1.5"}})"));
  auto missing = KeyParam(t, {{"pk", S("a")}}, "The provided starting key is invalid: ");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().message(),
            "The provided starting key is invalid: The provided key element does not match the schema");
  auto item = ItemParam(t, {{"pk", S("a")}, {"sk", S("x")}});
  ASSERT_FALSE(item.ok());
  EXPECT_EQ(item.status().message(),
            "One or more parameter values were invalid: Type mismatch for key sk expected: N actual: S");
  // Equal keys give equal storage keys whatever the number's spelling.
  AttributeValue n2;
  n2.n = "15E-1";
  auto k2 = KeyParam(t, {{"pk", S("a")}, {"sk", n2}});
  ASSERT_TRUE(k2.ok());
  EXPECT_EQ(ItemStorageKey(t, *k), ItemStorageKey(t, *k2));
}

}  // namespace
}  // namespace ck::services::dynamodb
