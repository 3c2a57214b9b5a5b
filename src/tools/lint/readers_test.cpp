// The three syntaxes: JSON, HCL and YAML, read into Nodes with exact spans.
#include <gtest/gtest.h>

#include "tools/lint/hcl_reader.h"
#include "tools/lint/json_reader.h"
#include "tools/lint/yaml_reader.h"

namespace ck::tools::lint {
namespace {

std::string_view At(std::string_view text, Span s) { return text.substr(s.begin, s.end - s.begin); }

TEST(JsonReader, SpansAndEscapes) {
  std::string text = R"({"a": [1, "x\"y", true], "b": {"c": null}, "d": "\u00e9"})";
  Node n;
  ParseError e;
  ASSERT_TRUE(ParseJson(text, 0, 0, true, {}, &n, &e)) << e.message;
  const Node* a = n.Get("a");
  ASSERT_TRUE(a && a->is_list());
  EXPECT_EQ(At(text, a->items[1].span), R"("x\"y")");
  EXPECT_EQ(a->items[1].text, "x\"y");
  EXPECT_TRUE(a->items[1].replaceable);
  EXPECT_FALSE(a->items[1].raw);  // escaped: positions inside do not map
  EXPECT_EQ(n.Get("b")->Get("c")->kind, Kind::kNull);
  EXPECT_EQ(n.Str("d"), "\xc3\xa9");
}

TEST(JsonReader, ErrorOffset) {
  Node n;
  ParseError e;
  EXPECT_FALSE(ParseJson("{\n  \"a\": [1,,2]\n}", 0, 0, true, {}, &n, &e));
  EXPECT_EQ(e.offset, 12u);  // the second comma
}

TEST(HclReader, BlocksAttributesAndLiterals) {
  std::string text = R"(# comment
resource "aws_s3_bucket_server_side_encryption_configuration" "e" {
  bucket = aws_s3_bucket.b.id // trailing comment
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = "alias/my-key" /* block comment */
    }
  }
}
)";
  Node body;
  ParseError e;
  ASSERT_TRUE(ParseHcl(text, 0, &body, &e)) << e.message;
  const Node* resources = body.Get("resource");
  ASSERT_TRUE(resources && resources->items.size() == 1);
  const Node& r = resources->items[0];
  EXPECT_EQ(r.labels, (std::vector<std::string>{"aws_s3_bucket_server_side_encryption_configuration", "e"}));
  const Node* bucket = r.Get("bucket");
  ASSERT_TRUE(bucket && bucket->is_expr());
  EXPECT_EQ(bucket->fn, "traversal");
  EXPECT_EQ(bucket->refs, std::vector<std::string>{"aws_s3_bucket.b.id"});
  const Node* key =
      r.Get("rule")->items[0].Get("apply_server_side_encryption_by_default")->items[0].Get("kms_master_key_id");
  ASSERT_TRUE(key && key->is_string());
  EXPECT_EQ(key->text, "alias/my-key");
  EXPECT_EQ(At(text, key->span), "\"alias/my-key\"");
  EXPECT_TRUE(key->replaceable);
}

TEST(HclReader, ExpressionsAreNotLiterals) {
  std::string text = R"(
a = var.x
b = aws_kms_key.k[0].arn
c = "arn:aws:kms:${var.region}:${data.aws_caller_identity.c.account_id}:alias/x"
d = jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:PutObject" }] })
e = var.flag ? "alias/a" : "alias/b"
f = [for k in var.keys : k.arn]
g = "$${literal}"
h = -1
i = {
  "key" : 1
  other = true
}
)";
  Node body;
  ParseError e;
  ASSERT_TRUE(ParseHcl(text, 0, &body, &e)) << e.message;
  EXPECT_EQ(body.Get("a")->refs, std::vector<std::string>{"var.x"});
  EXPECT_EQ(body.Get("b")->refs, std::vector<std::string>{"aws_kms_key.k.arn"});
  const Node* c = body.Get("c");
  EXPECT_EQ(c->fn, "template");
  EXPECT_EQ(TemplatePrefix(*c), "arn:aws:kms:");
  EXPECT_EQ(c->refs.size(), 2u);
  const Node* d = body.Get("d");
  EXPECT_EQ(d->fn, "jsonencode");
  ASSERT_EQ(d->items.size(), 1u);
  EXPECT_EQ(d->items[0].Get("Statement")->items[0].Str("Action"), "s3:PutObject");
  EXPECT_EQ(body.Get("e")->fn, "operator");
  EXPECT_EQ(body.Get("f")->fn, "for");
  EXPECT_EQ(body.Get("g")->text, "${literal}");
  EXPECT_EQ(body.Get("h")->kind, Kind::kNumber);
  EXPECT_EQ(body.Get("i")->Get("key")->text, "1");
  EXPECT_TRUE(body.Get("i")->Get("other")->is_true());
}

TEST(HclReader, Heredocs) {
  std::string text =
      "p = <<EOF\n{\"a\": \"${var.x}\"}\nEOF\nq = <<-EOT\n    one\n      two\n    EOT\nr = <<EOF\n{}\nEOF\n";
  Node body;
  ParseError e;
  ASSERT_TRUE(ParseHcl(text, 0, &body, &e)) << e.message;
  EXPECT_EQ(body.Get("p")->fn, "template");
  EXPECT_EQ(body.Get("q")->text, "one\n  two\n");
  const Node* r = body.Get("r");
  EXPECT_TRUE(r->raw);
  EXPECT_EQ(text.substr(r->raw_offset, 2), "{}");
}

TEST(HclReader, ErrorsNameThePlace) {
  Node body;
  ParseError e;
  EXPECT_FALSE(ParseHcl("resource \"a\" \"b\" {\n  x = \"unterminated\n}\n", 0, &body, &e));
  EXPECT_EQ(e.offset, 25u);  // the opening quote
  EXPECT_NE(e.message.find("unterminated"), std::string::npos);
  EXPECT_FALSE(ParseHcl("resource \"a\" \"b\" {\n  x = 1\n", 0, &body, &e));
  EXPECT_NE(e.message.find("missing '}'"), std::string::npos);
}

TEST(YamlReader, ShortFormIntrinsicsBecomeLongForm) {
  std::string text =
      "A:\n  B: !Ref X   # c\n  C: \"q\"\n  D: !GetAtt K.Arn\n  E: plain text\n  F: !Join [\":\", [a, !Ref B]]\n";
  Node n;
  ParseError e;
  ASSERT_TRUE(ParseYaml(text, 0, &n, &e)) << e.message;
  const Node* a = n.Get("A");
  const Node* b = a->Get("B");
  ASSERT_TRUE(b && b->is_map());
  EXPECT_EQ(b->Str("Ref"), "X");
  EXPECT_EQ(At(text, b->span), "!Ref X");
  const Node* c = a->Get("C");
  EXPECT_EQ(At(text, c->span), "\"q\"");
  EXPECT_EQ(c->quote, '"');
  EXPECT_EQ(a->Get("D")->Str("Fn::GetAtt"), "K.Arn");
  const Node* plain = a->Get("E");
  EXPECT_EQ(At(text, plain->span), "plain text");
  EXPECT_TRUE(plain->replaceable);
  const Node* join = a->Get("F");
  EXPECT_EQ(At(text, join->span), "!Join [\":\", [a, !Ref B]]");
}

TEST(YamlReader, ErrorsNameThePlace) {
  Node n;
  ParseError e;
  EXPECT_FALSE(ParseYaml("a: [b\nc: d\n", 0, &n, &e));
  EXPECT_FALSE(e.message.empty());
}

}  // namespace
}  // namespace ck::tools::lint
