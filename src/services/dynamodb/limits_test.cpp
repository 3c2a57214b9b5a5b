// DynamoDB's request limits (limits.h) as the expression parser and the
// attribute-value validation enforce them, and the parser's linear time.
#include "services/dynamodb/limits.h"

#include <gtest/gtest.h>

#include <chrono>
#include <ctime>

#include "services/dynamodb/attribute_value.h"
#include "services/dynamodb/expression.h"

namespace ck::services::ddb {
namespace {

const Json kValues = {{":v", {{"S", "x"}}}, {":n", {{"N", "1"}}}, {":l", {{"L", Json::array()}}}};

Result<Condition> Condition_(const std::string& text, ExpressionLimits limits = {}) {
  ExpressionContext ctx(nullptr, kValues, limits);
  return ctx.ParseCondition(text, "FilterExpression");
}

std::string Repeat(const std::string& s, size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (size_t i = 0; i < n; ++i) out += s;
  return out;
}

// "a = :v OR a = :v OR ..." with `terms` comparisons (2 * terms - 1 operators).
std::string OrChain(size_t terms) { return "a = :v" + Repeat(" OR a = :v", terms - 1); }

Json Wrapped(int wraps) {
  Json v = {{"S", "leaf"}};
  for (int i = 0; i < wraps; ++i) v = Json{{"M", {{"n", std::move(v)}}}};
  return v;
}

TEST(DdbLimits, ExpressionOf4096BytesIsParsedAndOneByteMoreIsRefused) {
  // A projection of long names (no operators): exactly 4096 bytes.
  std::string name(60, 'p');
  std::string text;
  while (text.size() + 2 + name.size() <= 4096) text += (text.empty() ? "" : ", ") + name;
  text += ", " + std::string(4096 - text.size() - 2, 'q');
  ASSERT_EQ(text.size(), 4096u);
  ExpressionContext ok(nullptr, nullptr);
  EXPECT_TRUE(ok.ParseProjection(text).ok());
  ExpressionContext over(nullptr, nullptr);
  auto r = over.ParseProjection(text + "q");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().aws_code(), "ValidationException");
  // AWS's words, recorded against real DynamoDB (the tail varies by region).
  EXPECT_EQ(r.status().message(),
            "Invalid ProjectionExpression: Expression size has exceeded the maximum allowed size; expression size: "
            "4097");
}

TEST(DdbLimits, TheSizeIsCheckedBeforeTheExpressionIsRead) {
  // 3000 nested parentheses (the crash this limit first answered): refused for its size.
  auto r = Condition_(Repeat("(", 3000) + "a = :v" + Repeat(")", 3000));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "Invalid FilterExpression: Expression size has exceeded the maximum allowed size; expression size: 6006");
  // 2000 ORs (quadratic to parse before): refused for its size too.
  EXPECT_NE(Condition_(OrChain(2000)).status().message().find("Expression size has exceeded"), std::string::npos);
}

TEST(DdbLimits, ThreeHundredOperatorsAreAcceptedAndTheNextIsRefused) {
  // 150 comparisons and 149 ORs: 299 operators; one more comparison makes 301.
  EXPECT_TRUE(Condition_(OrChain(150) + " AND a = :v").ok() == false);
  auto ok = Condition_("NOT " + OrChain(150));  // 300
  EXPECT_TRUE(ok.ok()) << ok.status().message();
  auto over = Condition_("NOT NOT " + OrChain(150));
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.status().message(),
            "Invalid FilterExpression: The expression contains too many operators; operator count: 301");
  // Counting stops at the first operator past the limit, as AWS reports 301
  // for an expression of 409 operators.
  auto many = Condition_("a<:v" + Repeat(" and a<:v", 204));
  ASSERT_FALSE(many.ok());
  EXPECT_EQ(many.status().message(),
            "Invalid FilterExpression: The expression contains too many operators; operator count: 301");
}

TEST(DdbLimits, FunctionsCountAsOperatorsInUpdatesToo) {
  // list_append nested 301 deep: refused before the parser recurses deeper.
  std::string text = "SET a = " + Repeat("list_append(", 301) + ":l" + Repeat(", :l)", 301);
  ExpressionContext ctx(nullptr, kValues, {.max_bytes = 1 << 20});
  auto r = ctx.ParseUpdate(text);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "Invalid UpdateExpression: The expression contains too many operators; operator count: 301");
  ExpressionContext fine(nullptr, kValues, {.max_bytes = 1 << 20});
  EXPECT_TRUE(fine.ParseUpdate("SET a = " + Repeat("list_append(", 300) + ":l" + Repeat(", :l)", 300)).ok());
}

TEST(DdbLimits, InTakesAHundredOperands) {
  std::string list = ":v" + Repeat(", :v", 99);
  EXPECT_TRUE(Condition_("a IN (" + list + ")").ok());
  auto r = Condition_("a IN (" + list + ", :v)");
  ASSERT_FALSE(r.ok());
  // AWS's words; whether AWS counts the left operand in the number is not
  // known (the documented limit is on the list).
  EXPECT_EQ(r.status().message(),
            "Invalid FilterExpression: The IN operator is provided with too many operands; number of operands: 101");
}

TEST(DdbLimits, ParenthesesNestAsDeepAsTheLengthAllows) {
  // 2045 levels fit in 4 KB; parsed without recursion and evaluated.
  auto c = Condition_(Repeat("(", 2045) + "a = :v" + Repeat(")", 2045));
  ASSERT_TRUE(c.ok()) << c.status().message();
  auto r = Evaluate(*c, Json{{"a", {{"S", "x"}}}});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(*r);
  EXPECT_FALSE(Condition_(Repeat("(", 2045) + "a = :v" + Repeat(")", 2044)).ok());
  EXPECT_FALSE(Condition_(Repeat("(", 10) + "a = :v" + Repeat(")", 11)).ok());
}

// CPU seconds this process spent in fn (not wall time: the machine may be loaded).
template <typename F>
double CpuSeconds(F&& fn) {
  std::clock_t start = std::clock();
  fn();
  return static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
}

TEST(DdbLimits, ParsingIsLinear) {
  // Without the limits: a chain of comparisons and deep parentheses. Four
  // times the input must cost about four times the CPU, not sixteen (the old
  // parser copied the tree at every OR: quadratic, minutes for 200,000 terms).
  ExpressionLimits none{.max_bytes = SIZE_MAX, .max_operators = 1 << 30, .max_in_operands = SIZE_MAX};
  auto parse_chain = [&](int terms) {
    auto chain = Condition_(OrChain(terms), none);
    ASSERT_TRUE(chain.ok()) << chain.status().message();
    EXPECT_EQ(chain->kind, Condition::kOr);
    EXPECT_EQ(chain->children.size(), static_cast<size_t>(terms));  // flat: evaluation does not recurse per term
    auto r = Evaluate(*chain, Json{{"b", {{"S", "x"}}}});
    ASSERT_TRUE(r.ok());
    EXPECT_FALSE(*r);
  };
  auto parse_parens = [&](size_t depth) {
    EXPECT_TRUE(Condition_(Repeat("(", depth) + "a = :v" + Repeat(")", depth), none).ok());
  };
  parse_chain(1000);  // warm-up
  double small = CpuSeconds([&] { parse_chain(50000); }) + 0.01;
  double large = CpuSeconds([&] { parse_chain(200000); });
  EXPECT_LT(large, 8 * small) << "50,000 terms: " << small << " s, 200,000 terms: " << large << " s";
  small = CpuSeconds([&] { parse_parens(250000); }) + 0.01;
  large = CpuSeconds([&] { parse_parens(1000000); });
  EXPECT_LT(large, 8 * small) << "250,000 levels: " << small << " s, 1,000,000 levels: " << large << " s";
}

TEST(DdbLimits, AttributeValuesNestThirtyTwoLevels) {
  // 31 wrappers: the leaf is at level 32 (the deepest AWS accepts).
  Json ok = Wrapped(31);
  EXPECT_TRUE(ValidateAndNormalize(&ok).ok());
  Json deep = Wrapped(32);
  Status s = ValidateAndNormalize(&deep);
  EXPECT_EQ(s.aws_code(), "ValidationException");
  EXPECT_EQ(s.message(),
            "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported "
            "limit");
  Json list = {{"L", Json::array({Wrapped(31)})}};
  EXPECT_FALSE(ValidateAndNormalize(&list).ok());
  // 100,000 levels: refused at level 33, without walking the rest.
  Json huge = {{"S", "leaf"}};
  for (int i = 0; i < 100000; ++i) huge = Json{{"L", Json::array({std::move(huge)})}};
  EXPECT_EQ(ValidateAndNormalize(&huge).message(), s.message());
  Json item = {{"pk", {{"S", "a"}}}, {"deep", Wrapped(40)}};
  EXPECT_EQ(ValidateItem(&item).message(), s.message());
}

TEST(DdbLimits, ItemSizeIsCountedAsDynamoDbDocumentsIt) {
  // The developer guide's example: "shirt-color" = "R" and "shirt-size" = "M" is 23 bytes.
  EXPECT_EQ(ItemSize(Json{{"shirt-color", {{"S", "R"}}}, {"shirt-size", {{"S", "M"}}}}), 23u);
  EXPECT_EQ(AttributeValueSize(Json{{"N", "123"}}), 3u);      // 2 bytes for 3 digits, plus 1
  EXPECT_EQ(AttributeValueSize(Json{{"N", "1000"}}), 2u);     // trailing zeros do not count
  EXPECT_EQ(AttributeValueSize(Json{{"N", "-0.0012"}}), 2u);
  EXPECT_EQ(AttributeValueSize(Json{{"B", "AAEC"}}), 3u);     // raw bytes, not base64
  EXPECT_EQ(AttributeValueSize(Json{{"BOOL", true}}), 1u);
  EXPECT_EQ(AttributeValueSize(Json{{"L", Json::array()}}), 3u);
  EXPECT_EQ(AttributeValueSize(Json{{"L", {{{"S", "ab"}}, {{"NULL", true}}}}}), 3u + 3 + 2);
  EXPECT_EQ(AttributeValueSize(Json{{"M", {{"k", {{"S", "ab"}}}}}}), 3u + 1 + 2 + 1);
  EXPECT_EQ(AttributeValueSize(Json{{"SS", {"a", "bc"}}}), 3u);
}

TEST(DdbLimits, PlaceholdersAreAtMost255Bytes) {
  // The placeholder's own bytes count, prefix included (":val" is 4 bytes).
  std::string key = ":" + std::string(254, 'v');
  ExpressionContext ok(nullptr, Json{{key, {{"S", "x"}}}});
  EXPECT_TRUE(ok.ParseCondition("a = " + key, "ConditionExpression").ok());
  std::string longer = key + "v";
  ExpressionContext over(nullptr, Json{{longer, {{"S", "x"}}}});
  auto r = over.ParseCondition("a = " + longer, "ConditionExpression");
  ASSERT_FALSE(r.ok());
  // AWS's exact text for this limit is not known; the code is ValidationException.
  EXPECT_EQ(r.status().aws_code(), "ValidationException");
  ExpressionContext names(Json{{"#" + std::string(300, 'n'), "a"}}, nullptr);
  EXPECT_FALSE(names.ParseProjection("a").ok());
}

TEST(DdbLimits, SubstitutionsAreAtMost2Mb) {
  Json values = Json::object();
  for (int i = 0; i < 6; ++i) values[":v" + std::to_string(i)] = {{"S", std::string(400 * 1024, 'x')}};
  ExpressionContext ctx(nullptr, values);
  auto r = ctx.ParseCondition("a = :v0", "ConditionExpression");
  ASSERT_FALSE(r.ok());
  // AWS's exact text for this limit is not known.
  EXPECT_EQ(r.status().aws_code(), "ValidationException");
}

TEST(DdbLimits, EmptyAttributeNamesAreRefused) {
  // Found by ddb_expression_fuzz: SET #e = :v with "#e": "" stored an item
  // with an empty attribute name, which no later request could read back.
  ExpressionContext ctx(Json{{"#e", ""}}, kValues);
  auto r = ctx.ParseUpdate("SET #e = :v");
  ASSERT_FALSE(r.ok());
  // AWS's exact text here is not known: this is its wording for an empty
  // attribute name, in the form it uses for invalid expression values.
  EXPECT_EQ(r.status().message(), "ExpressionAttributeNames contains invalid value: Empty attribute name for key #e");
}

TEST(DdbLimits, SetMembersAreCheckedBeforeDuplicatesAreListed) {
  // Found by ddb_attribute_value_fuzz: duplicates followed by a member that is
  // not a string threw (nlohmann type_error) while the message was written.
  Json v = Json::parse(R"({"NS":["1","1",{"M":{}}]})");
  Status s = ValidateAndNormalize(&v);
  EXPECT_EQ(s.message(), "Supplied AttributeValue has an invalid NS value");
  Json dup = Json::parse(R"({"SS":["a","b","a"]})");
  EXPECT_EQ(ValidateAndNormalize(&dup).message(),
            "One or more parameter values were invalid: Input collection [a, b, a] contains duplicates.");
}

TEST(DdbLimits, KeyValuesAre2048And1024Bytes) {
  EXPECT_TRUE(CheckKeySize(Json{{"S", std::string(2048, 'k')}}, true).ok());
  EXPECT_EQ(CheckKeySize(Json{{"S", std::string(2049, 'k')}}, true).message(),
            "One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes");
  EXPECT_TRUE(CheckKeySize(Json{{"S", std::string(1024, 'k')}}, false).ok());
  EXPECT_EQ(CheckKeySize(Json{{"S", std::string(1025, 'k')}}, false).message(),
            "One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit "
            "of 1024 bytes");
  // Binary keys count their raw bytes: 1368 base64 characters are 1026 bytes.
  EXPECT_FALSE(CheckKeySize(Json{{"B", std::string(1368, 'A')}}, false).ok());
  EXPECT_TRUE(CheckKeySize(Json{{"N", std::string(38, '9')}}, false).ok());
}

TEST(DdbLimits, HugeListIndexesAreASyntaxErrorNotACrash) {
  ExpressionContext ctx(nullptr, nullptr);
  auto r = ctx.ParseProjection("a[99999999999999999999]");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().aws_code(), "ValidationException");
}

}  // namespace
}  // namespace ck::services::ddb
