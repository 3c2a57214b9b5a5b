#include "services/dynamodb/partiql.h"

#include <gtest/gtest.h>

namespace ck::services::ddb {
namespace {

Result<PartiqlStatement> Parse(const std::string& text, const std::vector<Json>& params = {}) {
  return ParsePartiql(text, params);
}

std::string Error(const std::string& text, const std::vector<Json>& params = {}) {
  auto r = Parse(text, params);
  return r.ok() ? "ok" : r.status().aws_code() + ": " + r.status().message();
}

TEST(Partiql, InsertValueBecomesAnItem) {
  auto st = Parse("INSERT INTO users VALUE {'Username': 'alice', 'Age': 30, 'Ok': TRUE, 'Gone': NULL, "
                  "'Tags': <<'a', 'b'>>, 'Nums': <<1, 2>>, 'L': [1, 'x'], 'M': {'k': -1.50}, 'It''s': 'don''t'}");
  ASSERT_TRUE(st.ok()) << st.status().message();
  EXPECT_EQ(st->kind, PartiqlStatement::kInsert);
  EXPECT_EQ(st->table, "users");
  EXPECT_EQ(st->item, Json::parse(R"({"Username":{"S":"alice"},"Age":{"N":"30"},"Ok":{"BOOL":true},
      "Gone":{"NULL":true},"Tags":{"SS":["a","b"]},"Nums":{"NS":["1","2"]},"L":{"L":[{"N":"1"},{"S":"x"}]},
      "M":{"M":{"k":{"N":"-1.5"}}},"It's":{"S":"don't"}})"));
}

TEST(Partiql, ParametersFillQuestionMarksInOrder) {
  auto st = Parse("INSERT INTO \"my-table\" VALUE {'a': ?, 'b': ?}", {Json{{"S", "x"}}, Json{{"B", "AAE="}}});
  ASSERT_TRUE(st.ok()) << st.status().message();
  EXPECT_EQ(st->table, "my-table");
  EXPECT_EQ(st->item, Json::parse(R"({"a":{"S":"x"},"b":{"B":"AAE="}})"));
  EXPECT_EQ(Error("INSERT INTO t VALUE {'a': ?}"),
            "ValidationException: Number of parameters in request and statement don't match.");
  EXPECT_EQ(Error("INSERT INTO t VALUE {'a': 1}", {Json{{"S", "x"}}}),
            "ValidationException: Number of parameters in request and statement don't match.");
}

TEST(Partiql, SelectWithProjectionIndexAndWhere) {
  auto st = Parse("SELECT a, b.c[1] FROM \"t\".\"idx\" WHERE a = 'x' AND (n BETWEEN 1 AND 5 OR m IN [1, 2]) "
                  "AND c IS NOT MISSING AND NOT d IS MISSING AND begins_with(e, 'pre') AND size(f) > 2");
  ASSERT_TRUE(st.ok()) << st.status().message();
  EXPECT_EQ(st->kind, PartiqlStatement::kSelect);
  EXPECT_EQ(st->index, "idx");
  ASSERT_TRUE(st->projection.has_value());
  EXPECT_EQ(PathToString((*st->projection)[1]), "b.c[1]");
  Json item = Json::parse(R"({"a":{"S":"x"},"n":{"N":"3"},"c":{"S":"y"},"d":{"N":"1"},"e":{"S":"prefix"},
                              "f":{"S":"abc"}})");
  auto r = Evaluate(*st->where, item);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(*r);
  item.erase("c");
  EXPECT_FALSE(*Evaluate(*st->where, item));
  auto all = Parse("select * from t");
  ASSERT_TRUE(all.ok());
  EXPECT_FALSE(all->projection.has_value());
  EXPECT_FALSE(all->where.has_value());
}

TEST(Partiql, MissingAndNull) {
  auto st = Parse("SELECT * FROM t WHERE a IS MISSING AND b IS NULL AND c IS NOT NULL");
  ASSERT_TRUE(st.ok()) << st.status().message();
  EXPECT_TRUE(*Evaluate(*st->where, Json::parse(R"({"b":{"NULL":true},"c":{"S":"x"}})")));
  EXPECT_FALSE(*Evaluate(*st->where, Json::parse(R"({"a":{"S":"x"},"b":{"NULL":true},"c":{"S":"x"}})")));
  EXPECT_FALSE(*Evaluate(*st->where, Json::parse(R"({"b":{"NULL":true},"c":{"NULL":true}})")));
}

TEST(Partiql, UpdateSetRemoveAndDelete) {
  auto st = Parse("UPDATE t SET a = a + 1, b = 'x' REMOVE c WHERE pk = 'k' AND a < 10");
  ASSERT_TRUE(st.ok()) << st.status().message();
  EXPECT_EQ(st->kind, PartiqlStatement::kUpdate);
  ASSERT_EQ(st->updates.size(), 3u);
  Json item = Json::parse(R"({"pk":{"S":"k"},"a":{"N":"1"},"c":{"S":"gone"}})");
  ASSERT_TRUE(ApplyUpdate(st->updates, &item).ok());
  EXPECT_EQ(item, Json::parse(R"({"pk":{"S":"k"},"a":{"N":"2"},"b":{"S":"x"}})"));
  auto del = Parse("DELETE FROM t WHERE pk = 'k';");
  ASSERT_TRUE(del.ok());
  EXPECT_EQ(del->kind, PartiqlStatement::kDelete);
  EXPECT_NE(Error("UPDATE t WHERE pk = 'k'"), "ok");  // nothing to set
  EXPECT_NE(Error("DELETE FROM t"), "ok");              // WHERE is required
}

TEST(Partiql, KeyEqualitiesAndTheRest) {
  auto st = Parse("SELECT * FROM t WHERE 'k' = pk AND sk = 2 AND a > 1 AND pk = 'other'");
  ASSERT_TRUE(st.ok());
  auto eq = EqualityConjuncts(*st->where);
  ASSERT_EQ(eq.size(), 2u);  // the first equality of each attribute
  EXPECT_EQ(eq[0], (std::pair<std::string, Json>{"pk", Json{{"S", "k"}}}));
  EXPECT_EQ(eq[1].first, "sk");
  auto rest = WithoutEqualities(*st->where, {"pk", "sk"});
  ASSERT_TRUE(rest.has_value());
  EXPECT_EQ(rest->kind, Condition::kAnd);
  EXPECT_EQ(rest->children.size(), 2u);  // a > 1, and the second pk equality stays a condition
  auto only = Parse("DELETE FROM t WHERE pk = 'k'");
  EXPECT_FALSE(WithoutEqualities(*only->where, {"pk"}).has_value());
}

TEST(Partiql, MalformedStatementsAreValidationErrors) {
  EXPECT_EQ(Error("SELEC * FROM t"), "ValidationException: Statement wasn't well formed, can't be processed: "
                                      "Unexpected token: SELEC");
  EXPECT_EQ(Error("SELECT * FROM t WHERE"), "ValidationException: Statement wasn't well formed, can't be processed: "
                                             "Unexpected end of statement");
  EXPECT_NE(Error("INSERT INTO t VALUE {'a': 'unterminated}"), "ok");
  EXPECT_NE(Error("INSERT INTO t VALUE {'a': 1, 'a': 2}"), "ok");
  EXPECT_NE(Error("INSERT INTO t VALUE {'a': <<1, 'x'>>}"), "ok");
  EXPECT_NE(Error("SELECT * FROM t WHERE a = 1 extra"), "ok");
  EXPECT_NE(Error("SELECT * FROM t WHERE a # 1"), "ok");
}

TEST(Partiql, NestingIsBounded) {
  std::string deep = "INSERT INTO t VALUE {'a': ";
  for (int i = 0; i < 10000; ++i) deep += "[";
  EXPECT_NE(Error(deep), "ok");  // refused long before the stack is at risk
  std::string parens = "SELECT * FROM t WHERE ";
  for (int i = 0; i < 10000; ++i) parens += "(";
  EXPECT_NE(Error(parens + "a = 1"), "ok");
  std::string nots = "SELECT * FROM t WHERE ";
  for (int i = 0; i < 10000; ++i) nots += "NOT ";
  EXPECT_NE(Error(nots + "a = 1"), "ok");
  std::string chain = "SELECT * FROM t WHERE a = 1";
  for (int i = 0; i < 400; ++i) chain += " OR a = 1";
  EXPECT_NE(Error(chain), "ok");  // more than 300 operators
}

}  // namespace
}  // namespace ck::services::ddb
