#include "wire/model.h"

#include <chrono>
#include <cstdio>
#include <thread>

#include <gtest/gtest.h>

#include "wire/models_data.h"

namespace ck::wire {
namespace {

TEST(ModelTest, MetadataOfEachService) {
  const ServiceModel* kms = FindService("kms");
  ASSERT_NE(kms, nullptr);
  EXPECT_EQ(kms->protocol(), Protocol::kJson);
  EXPECT_EQ(kms->json_version(), "1.1");
  EXPECT_EQ(kms->target_prefix(), "TrentService");
  EXPECT_EQ(kms->signing_name(), "kms");
  EXPECT_EQ(kms->api_version(), "2014-11-01");

  const ServiceModel* ddb = FindService("dynamodb");
  ASSERT_NE(ddb, nullptr);
  EXPECT_EQ(ddb->json_version(), "1.0");
  EXPECT_EQ(ddb->target_prefix(), "DynamoDB_20120810");

  const ServiceModel* sts = FindService("sts");
  ASSERT_NE(sts, nullptr);
  EXPECT_EQ(sts->protocol(), Protocol::kQuery);
  EXPECT_EQ(sts->xml_namespace(), "https://sts.amazonaws.com/doc/2011-06-15/");
  EXPECT_EQ(sts->api_version(), "2011-06-15");

  const ServiceModel* iam = FindService("iam");
  ASSERT_NE(iam, nullptr);
  EXPECT_EQ(iam->xml_namespace(), "https://iam.amazonaws.com/doc/2010-05-08/");

  const ServiceModel* s3 = FindService("s3");
  ASSERT_NE(s3, nullptr);
  EXPECT_EQ(s3->protocol(), Protocol::kRestXml);
  EXPECT_EQ(s3->endpoint_prefix(), "s3");

  ASSERT_NE(FindService("secretsmanager"), nullptr);
  EXPECT_EQ(FindService("secretsmanager")->target_prefix(), "secretsmanager");
  ASSERT_NE(FindService("cloudtrail"), nullptr);
  EXPECT_EQ(FindService("nosuch"), nullptr);
  EXPECT_EQ(EmbeddedServiceNames().size(), 7u);
}

TEST(ModelTest, OperationsAndShapes) {
  const ServiceModel* kms = FindService("kms");
  const Operation* enc = kms->FindOperation("Encrypt");
  ASSERT_NE(enc, nullptr);
  EXPECT_EQ(enc->http_method, "POST");
  ASSERT_NE(enc->input.shape, nullptr);
  EXPECT_TRUE(enc->input.shape->IsRequired("KeyId"));
  EXPECT_TRUE(enc->input.shape->IsRequired("Plaintext"));
  const MemberRef* key_id = enc->input.shape->FindMember("KeyId");
  ASSERT_NE(key_id, nullptr);
  EXPECT_EQ(key_id->shape->type, ShapeType::kString);
  EXPECT_EQ(key_id->shape->max, 2048);
  EXPECT_EQ(enc->input.shape->FindMember("Plaintext")->shape->type, ShapeType::kBlob);
  EXPECT_TRUE(enc->input.shape->FindMember("Plaintext")->shape->sensitive);
  // Errors resolve to exception shapes.
  bool found = false;
  for (const Shape* e : enc->errors) found = found || e->name == "NotFoundException";
  EXPECT_TRUE(found);
  EXPECT_EQ(kms->FindOperation("NoSuchOp"), nullptr);

  const ServiceModel* sts = FindService("sts");
  const Operation* assume = sts->FindOperation("AssumeRole");
  ASSERT_NE(assume, nullptr);
  EXPECT_EQ(assume->output.result_wrapper, "AssumeRoleResult");
  const Shape* rsn = assume->input.shape->FindMember("RoleSessionName")->shape;
  ASSERT_TRUE(rsn->compiled_pattern.has_value());
  EXPECT_EQ(rsn->pattern, "[\\w+=,.@-]*");

  // Query error shapes carry their wire code.
  const Shape* mpd = sts->FindShape("MalformedPolicyDocumentException");
  ASSERT_NE(mpd, nullptr);
  EXPECT_EQ(mpd->error_code, "MalformedPolicyDocument");
  EXPECT_EQ(mpd->error_http_status, 400);
  EXPECT_TRUE(mpd->sender_fault);

  const ServiceModel* s3 = FindService("s3");
  const Operation* put = s3->FindOperation("PutBucketEncryption");
  ASSERT_NE(put, nullptr);
  EXPECT_TRUE(put->request_checksum_required);
  ASSERT_EQ(put->path.size(), 1u);
  EXPECT_EQ(put->path[0].label, "Bucket");
  ASSERT_EQ(put->uri_query.size(), 1u);
  EXPECT_EQ(put->uri_query[0].first, "encryption");
  const Operation* get = s3->FindOperation("GetObject");
  ASSERT_EQ(get->path.size(), 2u);
  EXPECT_TRUE(get->path[1].greedy);
  EXPECT_EQ(get->path[1].label, "Key");
  // Member order follows the model (XML element order).
  const Shape* obj = s3->FindShape("Object");
  ASSERT_GE(obj->members.size(), 3u);
  EXPECT_EQ(obj->members[0].name, "Key");
  EXPECT_EQ(obj->members[1].name, "LastModified");
  // The generator restores S3 output root names.
  EXPECT_EQ(s3->FindShape("ListObjectsV2Output")->location_name, "ListBucketResult");
  EXPECT_TRUE(s3->FindShape("ObjectList")->flattened);
  EXPECT_EQ(s3->FindShape("Grantee")->xml_prefix, "xsi");
}

// Every embedded model parses; the time each takes is printed for information
// (start-up time is measured by bench/startup.sh, not asserted in a test).
TEST(ModelTest, ParsesEveryEmbeddedModel) {
  for (size_t i = 0; i < kEmbeddedModelCount; ++i) {
    const EmbeddedModel& em = kEmbeddedModels[i];
    auto start = std::chrono::steady_clock::now();
    std::string text;
    text.reserve(em.total_size);
    for (size_t c = 0; c < em.chunk_count; ++c) text += em.chunks[c];
    std::string error;
    auto model = ServiceModel::Parse(em.service, text, &error);
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    ASSERT_NE(model, nullptr) << em.service << ": " << error;
    std::printf("  parse %-15s %7zu bytes %4zu operations %6.2f ms\n", em.service, em.total_size,
                model->operations().size(), ms);
  }
}

TEST(ModelTest, ConcurrentFirstUseYieldsOneModel) {
  const ServiceModel* seen[8] = {};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) threads.emplace_back([&, i] { seen[i] = FindService("cloudtrail"); });
  for (auto& t : threads) t.join();
  for (int i = 1; i < 8; ++i) EXPECT_EQ(seen[i], seen[0]);
  EXPECT_NE(seen[0], nullptr);
}

TEST(ModelTest, ParseRejectsGarbage) {
  std::string error;
  EXPECT_EQ(ServiceModel::Parse("x", "{not json", &error), nullptr);
  EXPECT_FALSE(error.empty());
  EXPECT_EQ(ServiceModel::Parse("x", R"({"metadata":{"protocol":"json"},"operations":{},
    "shapes":{"A":{"type":"structure","members":[["B",{"shape":"Missing"}]]}}})", &error),
            nullptr);
  EXPECT_NE(error.find("Missing"), std::string::npos);
}

}  // namespace
}  // namespace ck::wire
