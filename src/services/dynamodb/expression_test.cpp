#include "services/dynamodb/expression.h"

#include <gtest/gtest.h>

#include "services/dynamodb/attribute_value.h"

namespace ck::services::ddb {
namespace {

Json Item() {
  return Json::parse(R"({"id":{"S":"a"},"n":{"N":"10"},"tags":{"SS":["x","y"]},
    "m":{"M":{"k":{"S":"v"},"l":{"L":[{"N":"1"},{"S":"two"}]}}}})");
}

bool Eval(const std::string& expr, const Json& values, const Json& names = nullptr) {
  ExpressionContext ctx(names, values);
  auto c = ctx.ParseCondition(expr, "ConditionExpression");
  EXPECT_TRUE(c.ok()) << c.status().message();
  EXPECT_TRUE(ctx.CheckAllUsed().ok());
  auto r = Evaluate(*c, Item());
  EXPECT_TRUE(r.ok()) << r.status().message();
  return *r;
}

TEST(ExpressionTest, ComparisonsAndFunctions) {
  Json v = {{":ten", {{"N", "10.0"}}}, {":nine", {{"N", "9"}}}, {":x", {{"S", "x"}}}, {":s", {{"S", "v"}}}};
  EXPECT_TRUE(Eval("n = :ten", {{":ten", v[":ten"]}}));
  EXPECT_TRUE(Eval("n > :nine AND contains(tags, :x)", {{":nine", v[":nine"]}, {":x", v[":x"]}}));
  EXPECT_FALSE(Eval("NOT (n >= :nine)", {{":nine", v[":nine"]}}));
  EXPECT_TRUE(Eval("m.k = :s", {{":s", v[":s"]}}));
  EXPECT_TRUE(Eval("attribute_exists(m.l[1]) AND attribute_not_exists(m.l[2])", nullptr));
  EXPECT_TRUE(Eval("size(tags) = :two", {{":two", {{"N", "2"}}}}));
  EXPECT_TRUE(Eval("n BETWEEN :nine AND :ten", {{":nine", v[":nine"]}, {":ten", v[":ten"]}}));
  EXPECT_TRUE(Eval("#i IN (:x, :a)", {{":x", v[":x"]}, {":a", {{"S", "a"}}}}, {{"#i", "id"}}));
  EXPECT_TRUE(Eval("begins_with(id, :a) OR n < :nine", {{":a", {{"S", "a"}}}, {":nine", v[":nine"]}}));
  EXPECT_TRUE(Eval("attribute_type(n, :t)", {{":t", {{"S", "N"}}}}));
  // Comparing different types is false, not an error.
  EXPECT_FALSE(Eval("n < :x", {{":x", v[":x"]}}));
}

TEST(ExpressionTest, ErrorsUseDynamoDbWording) {
  ExpressionContext ctx(nullptr, Json{{":v", {{"S", "x"}}}});
  auto bad = ctx.ParseCondition("a = :missing", "ConditionExpression");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(),
            "Invalid ConditionExpression: An expression attribute value used in expression is not defined; "
            "attribute value: :missing");
  EXPECT_EQ(ctx.CheckAllUsed().message(), "Value provided in ExpressionAttributeValues unused in expressions: keys: {:v}");
  ExpressionContext names(Json::object(), nullptr);
  auto n = names.ParseCondition("#x = a", "FilterExpression");
  EXPECT_EQ(n.status().message(),
            "Invalid FilterExpression: An expression attribute name used in the document path is not defined; "
            "attribute name: #x");
  auto syntax = names.ParseCondition("a = = b", "ConditionExpression");
  EXPECT_EQ(syntax.status().aws_code(), "ValidationException");
  EXPECT_NE(syntax.status().message().find("Syntax error; token: \"=\""), std::string::npos);
}

TEST(ExpressionTest, UpdateSetRemoveAddDelete) {
  ExpressionContext ctx(Json{{"#c", "count"}},
                        Json{{":one", {{"N", "1"}}}, {":l", {{"L", {{{"S", "z"}}}}}}, {":rm", {{"SS", {"x"}}}},
                             {":d", {{"S", "dflt"}}}, {":half", {{"N", "0.5"}}}});
  auto u = ctx.ParseUpdate(
      "SET n = n + :half, m.l = list_append(m.l, :l), other = if_not_exists(other, :d) "
      "REMOVE m.k ADD #c :one DELETE tags :rm");
  ASSERT_TRUE(u.ok()) << u.status().message();
  EXPECT_TRUE(ctx.CheckAllUsed().ok());
  Json item = Item();
  ASSERT_TRUE(ApplyUpdate(*u, &item).ok());
  EXPECT_EQ(item["n"]["N"], "10.5");
  EXPECT_EQ(item["m"]["M"]["l"]["L"].size(), 3u);
  EXPECT_FALSE(item["m"]["M"].contains("k"));
  EXPECT_EQ(item["count"]["N"], "1");
  EXPECT_EQ(item["tags"]["SS"], Json::array({"y"}));
  EXPECT_EQ(item["other"]["S"], "dflt");
}

TEST(ExpressionTest, UpdateRejectsOverlapAndBadOperands) {
  ExpressionContext ctx(nullptr, Json{{":v", {{"S", "x"}}}});
  auto overlap = ctx.ParseUpdate("SET a = :v, a.b = :v");
  ASSERT_FALSE(overlap.ok());
  EXPECT_NE(overlap.status().message().find("Two document paths overlap"), std::string::npos);
  ExpressionContext ctx2(nullptr, Json{{":v", {{"S", "x"}}}});
  auto plus = ctx2.ParseUpdate("SET n = n + :v");
  ASSERT_TRUE(plus.ok());
  Json item = Item();
  Status s = ApplyUpdate(*plus, &item);
  EXPECT_EQ(s.message(), "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: +, operand type: S");
  EXPECT_EQ(item["n"]["N"], "10");  // unchanged on error
}

TEST(ExpressionTest, ProjectionKeepsNestedShape) {
  ExpressionContext ctx(nullptr, nullptr);
  auto p = ctx.ParseProjection("id, m.l[1], nope");
  ASSERT_TRUE(p.ok());
  Json out = Project(Item(), *p);
  EXPECT_EQ(out, Json::parse(R"({"id":{"S":"a"},"m":{"M":{"l":{"L":[{"S":"two"}]}}}})"));
}

TEST(AttributeValueTest, ValidatesAndNormalizes) {
  Json v = {{"NS", {"1.0", "2"}}};
  ASSERT_TRUE(ValidateAndNormalize(&v).ok());
  EXPECT_EQ(v["NS"], Json::array({"1", "2"}));
  Json dup = {{"SS", {"a", "a"}}};
  EXPECT_EQ(ValidateAndNormalize(&dup).message(),
            "One or more parameter values were invalid: Input collection [a, a] contains duplicates.");
  Json empty = Json::object();
  EXPECT_EQ(ValidateAndNormalize(&empty).aws_code(), "ValidationException");
  EXPECT_TRUE(Equal(Json{{"NS", {"1", "2"}}}, Json{{"NS", {"2", "1.00"}}}));
}

}  // namespace
}  // namespace ck::services::ddb
