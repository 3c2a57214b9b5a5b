#include "wire/query_codec.h"

#include <gtest/gtest.h>
#include <pugixml.hpp>

namespace ck::wire {
namespace {

using nlohmann::json;

const ServiceModel& Sts() { return *FindService("sts"); }
const ServiceModel& Iam() { return *FindService("iam"); }

TEST(QueryCodecTest, AssumeRoleDecode) {
  FormParams form = {{"Action", "AssumeRole"},
                     {"Version", "2011-06-15"},
                     {"RoleArn", "arn:aws:iam::111122223333:role/R2"},
                     {"RoleSessionName", "Session1"},
                     {"DurationSeconds", "3600"},
                     {"Tags.member.1.Key", "Project"},
                     {"Tags.member.1.Value", "Blue"},
                     {"Tags.member.2.Key", "Cost"},
                     {"Tags.member.2.Value", "1"},
                     {"PolicyArns.member.1.arn", "arn:aws:iam::aws:policy/ReadOnlyAccess"}};
  auto doc = DecodeQueryRequest(Sts(), *Sts().FindOperation("AssumeRole"), form);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_EQ((*doc)["RoleArn"], "arn:aws:iam::111122223333:role/R2");
  EXPECT_EQ((*doc)["DurationSeconds"], 3600);
  ASSERT_EQ((*doc)["Tags"].size(), 2u);
  EXPECT_EQ((*doc)["Tags"][1]["Key"], "Cost");
  EXPECT_EQ((*doc)["PolicyArns"][0]["arn"], "arn:aws:iam::aws:policy/ReadOnlyAccess");
  EXPECT_FALSE(doc->contains("Action"));
}

TEST(QueryCodecTest, AssumeRolePatternViolation) {
  FormParams form = {{"RoleArn", "arn:aws:iam::111122223333:role/R2"}, {"RoleSessionName", "Session1:2"}};
  auto doc = DecodeQueryRequest(Sts(), *Sts().FindOperation("AssumeRole"), form);
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().aws_code(), "ValidationError");
  EXPECT_EQ(doc.status().http_status(), 400);
  EXPECT_FALSE(doc.status().is_server_fault());
  EXPECT_EQ(doc.status().message(),
            "1 validation error detected: Value 'Session1:2' at 'roleSessionName' failed to satisfy constraint: "
            "Member must satisfy regular expression pattern: [\\w+=,.@-]*");
}

TEST(QueryCodecTest, NestedListPathsAndMissingRequired) {
  FormParams form = {{"RoleSessionName", "s1"}, {"Tags.member.1.Key", "k"}};
  auto doc = DecodeQueryRequest(Sts(), *Sts().FindOperation("AssumeRole"), form);
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().message(),
            "2 validation errors detected: Value null at 'roleArn' failed to satisfy constraint: Member must not "
            "be null; Value null at 'tags.1.member.value' failed to satisfy constraint: Member must not be null");
}

TEST(QueryCodecTest, BadIntegerIsValidationError) {
  FormParams form = {{"RoleArn", "arn:aws:iam::111122223333:role/R2"}, {"RoleSessionName", "s1"},
                     {"DurationSeconds", "abc"}};
  auto doc = DecodeQueryRequest(Sts(), *Sts().FindOperation("AssumeRole"), form);
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().aws_code(), "ValidationError");
}

TEST(QueryCodecTest, AssumeRoleResponse) {
  json out = {{"Credentials",
               {{"AccessKeyId", "ASIAEXAMPLE"},
                {"SecretAccessKey", "secret"},
                {"SessionToken", "token<&>"},
                {"Expiration", 1700000000.0}}},
              {"AssumedRoleUser", {{"AssumedRoleId", "AROA:Session1"}, {"Arn", "arn:aws:sts::1:assumed-role/R/S"}}},
              {"PackedPolicySize", 6}};
  std::string xml = EncodeQueryResponse(Sts(), *Sts().FindOperation("AssumeRole"), out, "req-1");
  EXPECT_EQ(xml,
            "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><AssumeRoleResult>"
            "<Credentials><AccessKeyId>ASIAEXAMPLE</AccessKeyId><SecretAccessKey>secret</SecretAccessKey>"
            "<SessionToken>token&lt;&amp;&gt;</SessionToken><Expiration>2023-11-14T22:13:20Z</Expiration>"
            "</Credentials><AssumedRoleUser><AssumedRoleId>AROA:Session1</AssumedRoleId>"
            "<Arn>arn:aws:sts::1:assumed-role/R/S</Arn></AssumedRoleUser><PackedPolicySize>6</PackedPolicySize>"
            "</AssumeRoleResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>"
            "</AssumeRoleResponse>");
}

TEST(QueryCodecTest, GetCallerIdentity) {
  auto doc = DecodeQueryRequest(Sts(), *Sts().FindOperation("GetCallerIdentity"), {{"Action", "GetCallerIdentity"}});
  ASSERT_TRUE(doc.ok());
  EXPECT_TRUE(doc->empty());
  std::string xml = EncodeQueryResponse(Sts(), *Sts().FindOperation("GetCallerIdentity"),
                                        {{"UserId", "AIDA"}, {"Account", "111122223333"}, {"Arn", "arn:aws:iam::111122223333:user/u"}},
                                        "rid");
  pugi::xml_document d;
  ASSERT_TRUE(d.load_string(xml.c_str()));
  auto result = d.child("GetCallerIdentityResponse").child("GetCallerIdentityResult");
  EXPECT_STREQ(result.child_value("Account"), "111122223333");
  EXPECT_STREQ(d.child("GetCallerIdentityResponse").child("ResponseMetadata").child_value("RequestId"), "rid");
}

TEST(QueryCodecTest, IamCreateRoleAndListRoles) {
  FormParams form = {{"RoleName", "R2"},
                     {"Path", "/app/"},
                     {"AssumeRolePolicyDocument", "{\"Version\":\"2012-10-17\"}"},
                     {"Tags.member.1.Key", "team"},
                     {"Tags.member.1.Value", "blue"}};
  auto doc = DecodeQueryRequest(Iam(), *Iam().FindOperation("CreateRole"), form);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_EQ((*doc)["Path"], "/app/");
  EXPECT_EQ((*doc)["Tags"][0]["Value"], "blue");

  FormParams bad = {{"RoleName", "bad name"}, {"AssumeRolePolicyDocument", "{}"}, {"Path", "app"}};
  doc = DecodeQueryRequest(Iam(), *Iam().FindOperation("CreateRole"), bad);
  ASSERT_FALSE(doc.ok());
  // The path pattern differs between botocore versions; take it from the model.
  const std::string& path_pattern = Iam().FindShape("pathType")->pattern;
  EXPECT_EQ(doc.status().message(),
            "2 validation errors detected: Value 'app' at 'path' failed to satisfy constraint: Member must satisfy "
            "regular expression pattern: " + path_pattern + "; Value 'bad name' at "
            "'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+");

  json role = {{"Path", "/"}, {"RoleName", "R"}, {"RoleId", "AROA1"}, {"Arn", "arn:aws:iam::1:role/R"},
               {"CreateDate", 1336520041.0}, {"Tags", json::array({{{"Key", "a"}, {"Value", "b"}}})}};
  json out = {{"Roles", json::array({role, role})}, {"IsTruncated", false}};
  std::string xml = EncodeQueryResponse(Iam(), *Iam().FindOperation("ListRoles"), out, "r");
  pugi::xml_document d;
  ASSERT_TRUE(d.load_string(xml.c_str()));
  auto resp = d.child("ListRolesResponse");
  EXPECT_STREQ(resp.attribute("xmlns").value(), "https://iam.amazonaws.com/doc/2010-05-08/");
  auto roles = resp.child("ListRolesResult").child("Roles");
  int n = 0;
  for (auto m : roles.children("member")) {
    ++n;
    EXPECT_STREQ(m.child_value("CreateDate"), "2012-05-08T23:34:01Z");
    EXPECT_STREQ(m.child("Tags").child("member").child_value("Key"), "a");
  }
  EXPECT_EQ(n, 2);
  EXPECT_STREQ(resp.child("ListRolesResult").child_value("IsTruncated"), "false");
}

TEST(QueryCodecTest, IamWordsEnumsAndCredentialIdsItsOwnWay) {
  // AWS recordings (test_invalid_update_parameters, test_user_match_id_mismatch).
  FormParams bad_status = {{"ServiceSpecificCredentialId", "ACCAQWERTYUIOPASDFGHJ"}, {"Status", "Invalid"}};
  auto doc = DecodeQueryRequest(Iam(), *Iam().FindOperation("UpdateServiceSpecificCredential"), bad_status);
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().message(),
            "1 validation error detected: Value at 'status' failed to satisfy constraint: Member must satisfy enum "
            "value set");
  FormParams bad_id = {{"ServiceSpecificCredentialId", "totally-wrong-credential-id-with-hyphens"}};
  doc = DecodeQueryRequest(Iam(), *Iam().FindOperation("ResetServiceSpecificCredential"), bad_id);
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().message(),
            "1 validation error detected: Value at 'serviceSpecificCredentialId' failed to satisfy constraint: Member "
            "must satisfy regular expression pattern: [\\w]+");
  // Other IAM values are shown (IamCreateRoleAndListRoles).
}

TEST(QueryCodecTest, NoOutputStillHasMetadata) {
  std::string xml = EncodeQueryResponse(Iam(), *Iam().FindOperation("DeleteRole"), json::object(), "x");
  EXPECT_EQ(xml,
            "<DeleteRoleResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><ResponseMetadata>"
            "<RequestId>x</RequestId></ResponseMetadata></DeleteRoleResponse>");
}

TEST(QueryCodecTest, EmptyListAndForm) {
  auto form = ParseForm("Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2FR&RoleSessionName=a+b&Tags=");
  ASSERT_TRUE(form.has_value());
  ASSERT_EQ(form->size(), 4u);
  EXPECT_EQ((*form)[1].second, "arn:aws:iam::1:role/R");
  EXPECT_EQ((*form)[2].second, "a b");
  auto doc = DecodeQueryRequest(Sts(), *Sts().FindOperation("AssumeRole"),
                                {{"RoleArn", "arn:aws:iam::111122223333:role/R2"}, {"RoleSessionName", "s1"},
                                 {"Tags", ""}});
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_EQ((*doc)["Tags"], json::array());
  EXPECT_FALSE(ParseForm("a=%zz").has_value());
}

}  // namespace
}  // namespace ck::wire
