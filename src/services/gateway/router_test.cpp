#include "services/gateway/router.h"

#include <gtest/gtest.h>

namespace ck::services {
namespace {

http::RequestHead Head(std::string method, std::string target, std::vector<std::pair<std::string, std::string>> headers) {
  http::RequestHead h;
  h.method = std::move(method);
  EXPECT_TRUE(http::ParseTarget(target, &h));
  for (auto& [k, v] : headers) h.headers.Add(k, v);
  return h;
}

const std::string kAuth = "AWS4-HMAC-SHA256 Credential=111111111111/20261129/eu-west-1/";

TEST(Router, RoutesByTargetScopeAndPath) {
  struct Case {
    http::RequestHead head;
    std::string service;
    Protocol protocol;
    std::string operation;
    bool unknown;
  } cases[] = {
      {Head("POST", "/", {{"X-Amz-Target", "TrentService.Encrypt"}}), "kms", Protocol::kJson, "Encrypt", false},
      {Head("POST", "/", {{"X-Amz-Target", "DynamoDB_20120810.PutItem"}}), "dynamodb", Protocol::kJson, "PutItem", false},
      {Head("POST", "/", {{"X-Amz-Target", "secretsmanager.GetSecretValue"}}), "secretsmanager", Protocol::kJson,
       "GetSecretValue", false},
      {Head("POST", "/", {{"X-Amz-Target", "AWSCognitoIdentityService.GetId"}}), "AWSCognitoIdentityService",
       Protocol::kJson, "GetId", true},
      {Head("POST", "/", {{"Authorization", kAuth + "sts/aws4_request, SignedHeaders=host, Signature=x"},
                          {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}}),
       "sts", Protocol::kQuery, "", false},
      {Head("POST", "/", {{"Authorization", kAuth + "iam/aws4_request, SignedHeaders=host, Signature=x"}}), "iam",
       Protocol::kQuery, "", false},
      {Head("GET", "/bucket/key", {{"Authorization", kAuth + "s3/aws4_request, SignedHeaders=host, Signature=x"}}),
       "s3", Protocol::kRestXml, "", false},
      {Head("GET", "/bucket/key?X-Amz-Credential=AK%2F20261129%2Fus-east-1%2Fs3%2Faws4_request", {}), "s3",
       Protocol::kRestXml, "", false},
      {Head("POST", "/", {{"Authorization", kAuth + "lambda/aws4_request, SignedHeaders=host, Signature=x"}}),
       "lambda", Protocol::kQuery, "", true},
      {Head("POST", "/", {{"Content-Type", "application/x-www-form-urlencoded"}}), "sts", Protocol::kQuery, "", false},
      {Head("GET", "/", {}), "s3", Protocol::kRestXml, "", false},
      {Head("GET", "/_crosskey/health", {}), "crosskey", Protocol::kInternal, "", false},
  };
  for (const auto& c : cases) {
    Route r = RouteRequest(c.head);
    EXPECT_EQ(r.service, c.service) << c.head.target;
    EXPECT_EQ(r.protocol, c.protocol) << c.head.target;
    EXPECT_EQ(r.operation, c.operation) << c.head.target;
    EXPECT_EQ(r.unknown, c.unknown) << c.head.target;
  }
}

TEST(Router, TakesRegionFromScope) {
  auto r = RouteRequest(Head("POST", "/", {{"Authorization", kAuth + "sts/aws4_request, SignedHeaders=host, Signature=x"}}));
  EXPECT_EQ(r.region, "eu-west-1");
}

TEST(Router, ParsesCredentialScope) {
  std::string ak, date, region, service;
  EXPECT_TRUE(ParseCredentialScope("AKID/20150830/us-east-1/iam/aws4_request", &ak, &date, &region, &service));
  EXPECT_EQ(ak, "AKID");
  EXPECT_EQ(service, "iam");
  EXPECT_FALSE(ParseCredentialScope("AKID/20150830/us-east-1/iam", &ak, &date, &region, &service));
  EXPECT_FALSE(ParseCredentialScope("AKID/20150830/us-east-1/iam/aws4_request/x", &ak, &date, &region, &service));
}

}  // namespace
}  // namespace ck::services
