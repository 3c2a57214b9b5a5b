#include "wire/rest_xml_codec.h"

#include <gtest/gtest.h>
#include <pugixml.hpp>

namespace ck::wire {
namespace {

using nlohmann::json;

const ServiceModel& S3() { return *FindService("s3"); }
const Operation& Op(const char* name) { return *S3().FindOperation(name); }

http::RequestHead Head(const char* method, const char* target) {
  http::RequestHead h;
  h.method = method;
  EXPECT_TRUE(http::ParseTarget(target, &h));
  return h;
}

TEST(RestXmlCodecTest, PutBucketEncryptionInput) {
  http::RequestHead head = Head("PUT", "/b1?encryption");
  head.headers.Add("x-amz-expected-bucket-owner", "111122223333");
  const char* body = R"(<?xml version="1.0" encoding="UTF-8"?>
<ServerSideEncryptionConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Rule>
    <ApplyServerSideEncryptionByDefault>
      <SSEAlgorithm>aws:kms</SSEAlgorithm>
      <KMSMasterKeyID>alias/my-key</KMSMasterKeyID>
    </ApplyServerSideEncryptionByDefault>
    <BucketKeyEnabled>true</BucketKeyEnabled>
  </Rule>
</ServerSideEncryptionConfiguration>)";
  auto doc = DecodeRestXmlRequest(S3(), Op("PutBucketEncryption"), head, {{"Bucket", "b1"}}, body);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_EQ((*doc)["Bucket"], "b1");
  EXPECT_EQ((*doc)["ExpectedBucketOwner"], "111122223333");
  const json& rules = (*doc)["ServerSideEncryptionConfiguration"]["Rules"];
  ASSERT_EQ(rules.size(), 1u);
  EXPECT_EQ(rules[0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"], "aws:kms");
  EXPECT_EQ(rules[0]["ApplyServerSideEncryptionByDefault"]["KMSMasterKeyID"], "alias/my-key");
  EXPECT_EQ(rules[0]["BucketKeyEnabled"], true);
}

TEST(RestXmlCodecTest, MalformedXml) {
  http::RequestHead head = Head("PUT", "/b1?encryption");
  for (const char* body : {"<ServerSideEncryptionConfiguration><Rule>", "",
                           "<WrongRoot/>",
                           "<ServerSideEncryptionConfiguration><Rule><BucketKeyEnabled>maybe</BucketKeyEnabled>"
                           "</Rule></ServerSideEncryptionConfiguration>"}) {
    auto doc = DecodeRestXmlRequest(S3(), Op("PutBucketEncryption"), head, {{"Bucket", "b1"}}, body);
    ASSERT_FALSE(doc.ok()) << body;
    EXPECT_EQ(doc.status().aws_code(), "MalformedXML");
    EXPECT_EQ(doc.status().http_status(), 400);
    EXPECT_EQ(doc.status().message(),
              "The XML you provided was not well-formed or did not validate against our published schema");
  }
}

TEST(RestXmlCodecTest, PutObjectHeadersAndMetadata) {
  http::RequestHead head = Head("PUT", "/b1/dir/file.txt");
  head.headers.Add("content-type", "text/plain");
  head.headers.Add("content-length", "5");
  head.headers.Add("x-amz-server-side-encryption", "aws:kms");
  head.headers.Add("x-amz-server-side-encryption-aws-kms-key-id", "alias/my-key");
  head.headers.Add("x-amz-server-side-encryption-bucket-key-enabled", "true");
  head.headers.Add("x-amz-meta-color", "blue");
  head.headers.Add("x-amz-meta-owner-id", "42");
  head.headers.Add("x-amz-object-lock-retain-until-date", "Wed, 21 Oct 2015 07:28:00 GMT");
  auto doc = DecodeRestXmlRequest(S3(), Op("PutObject"), head, {{"Bucket", "b1"}, {"Key", "dir/file.txt"}}, "");
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_EQ((*doc)["Key"], "dir/file.txt");
  EXPECT_EQ((*doc)["ContentType"], "text/plain");
  EXPECT_EQ((*doc)["ContentLength"], 5);
  EXPECT_EQ((*doc)["ServerSideEncryption"], "aws:kms");
  EXPECT_EQ((*doc)["SSEKMSKeyId"], "alias/my-key");
  EXPECT_EQ((*doc)["BucketKeyEnabled"], true);
  EXPECT_EQ((*doc)["Metadata"], json({{"color", "blue"}, {"owner-id", "42"}}));
  EXPECT_DOUBLE_EQ((*doc)["ObjectLockRetainUntilDate"].get<double>(), 1445412480.0);
  EXPECT_FALSE(doc->contains("Body"));

  http::RequestHead get = Head("GET", "/b1/k");
  get.headers.Add("if-modified-since", "not a date");
  get.headers.Add("range", "bytes=0-9");
  auto g = DecodeRestXmlRequest(S3(), Op("GetObject"), get, {{"Bucket", "b1"}, {"Key", "k"}}, "");
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_FALSE(g->contains("IfModifiedSince"));
  EXPECT_EQ((*g)["Range"], "bytes=0-9");

  head.headers.Set("content-length", "five");
  doc = DecodeRestXmlRequest(S3(), Op("PutObject"), head, {{"Bucket", "b1"}, {"Key", "k"}}, "");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().aws_code(), "InvalidArgument");
}

TEST(RestXmlCodecTest, ListObjectsV2QueryMembers) {
  http::RequestHead head = Head("GET", "/b1?list-type=2&prefix=photos%2F&max-keys=2&delimiter=%2F");
  auto doc = DecodeRestXmlRequest(S3(), Op("ListObjectsV2"), head, {{"Bucket", "b1"}}, "");
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_EQ((*doc)["Prefix"], "photos/");
  EXPECT_EQ((*doc)["MaxKeys"], 2);
  EXPECT_EQ((*doc)["Delimiter"], "/");
}

TEST(RestXmlCodecTest, ListObjectsV2Output) {
  json out = {{"IsTruncated", false},
              {"Contents", json::array({{{"Key", "a.txt"}, {"LastModified", 1700000000.25}, {"ETag", "\"e1\""},
                                         {"Size", 5}, {"StorageClass", "STANDARD"}},
                                        {{"Key", "b&c.txt"}, {"LastModified", 1700000001.0}, {"Size", 0}}})},
              {"Name", "b1"},
              {"Prefix", ""},
              {"MaxKeys", 1000},
              {"CommonPrefixes", json::array({{{"Prefix", "photos/"}}})},
              {"KeyCount", 2}};
  http::Response resp;
  EncodeRestXmlResponse(S3(), Op("ListObjectsV2"), out, &resp);
  EXPECT_EQ(resp.status, 200);
  EXPECT_EQ(resp.headers.GetOr("content-type"), "application/xml");
  EXPECT_EQ(resp.body,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><IsTruncated>false</IsTruncated>"
            "<Contents><Key>a.txt</Key><LastModified>2023-11-14T22:13:20.250Z</LastModified>"
            "<ETag>&quot;e1&quot;</ETag><Size>5</Size><StorageClass>STANDARD</StorageClass></Contents>"
            "<Contents><Key>b&amp;c.txt</Key><LastModified>2023-11-14T22:13:21.000Z</LastModified><Size>0</Size>"
            "</Contents><Name>b1</Name><Prefix></Prefix><MaxKeys>1000</MaxKeys>"
            "<CommonPrefixes><Prefix>photos/</Prefix></CommonPrefixes><KeyCount>2</KeyCount></ListBucketResult>");
}

TEST(RestXmlCodecTest, GetObjectOutputHeaders) {
  json out = {{"LastModified", 1445412480.0},
              {"ContentLength", 11},
              {"ETag", "\"abc\""},
              {"ContentType", "text/plain"},
              {"ServerSideEncryption", "aws:kms"},
              {"SSEKMSKeyId", "arn:aws:kms:us-east-1:222233334444:key/k"},
              {"BucketKeyEnabled", true},
              {"Metadata", {{"color", "blue"}}},
              {"Body", "ignored"}};
  http::Response resp;
  EncodeRestXmlResponse(S3(), Op("GetObject"), out, &resp);
  EXPECT_EQ(resp.status, 200);
  EXPECT_EQ(resp.headers.GetOr("last-modified"), "Wed, 21 Oct 2015 07:28:00 GMT");
  EXPECT_EQ(resp.headers.GetOr("content-length"), "11");
  EXPECT_EQ(resp.headers.GetOr("etag"), "\"abc\"");
  EXPECT_EQ(resp.headers.GetOr("x-amz-server-side-encryption-aws-kms-key-id"),
            "arn:aws:kms:us-east-1:222233334444:key/k");
  EXPECT_EQ(resp.headers.GetOr("x-amz-server-side-encryption-bucket-key-enabled"), "true");
  EXPECT_EQ(resp.headers.GetOr("x-amz-meta-color"), "blue");
  EXPECT_TRUE(resp.body.empty());  // streaming payload is the caller's
}

TEST(RestXmlCodecTest, DeleteObjectStatusAndCopyObjectPayload) {
  http::Response resp;
  EncodeRestXmlResponse(S3(), Op("DeleteObject"), {{"VersionId", "v1"}}, &resp);
  EXPECT_EQ(resp.status, 204);
  EXPECT_EQ(resp.headers.GetOr("x-amz-version-id"), "v1");
  EXPECT_TRUE(resp.body.empty());

  http::Response copy;
  EncodeRestXmlResponse(S3(), Op("CopyObject"),
                        {{"CopyObjectResult", {{"ETag", "\"e\""}, {"LastModified", 0.0}}},
                         {"SSEKMSKeyId", "arn:k"}},
                        &copy);
  EXPECT_EQ(copy.headers.GetOr("x-amz-server-side-encryption-aws-kms-key-id"), "arn:k");
  EXPECT_EQ(copy.body,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<CopyObjectResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><ETag>&quot;e&quot;</ETag>"
            "<LastModified>1970-01-01T00:00:00.000Z</LastModified></CopyObjectResult>");
}

TEST(RestXmlCodecTest, EncryptionRoundTripAndLocation) {
  json cfg = {{"Rules", json::array({{{"ApplyServerSideEncryptionByDefault",
                                        {{"SSEAlgorithm", "aws:kms"}, {"KMSMasterKeyID", "alias/k"}}},
                                       {"BucketKeyEnabled", false}}})}};
  http::Response resp;
  EncodeRestXmlResponse(S3(), Op("GetBucketEncryption"), {{"ServerSideEncryptionConfiguration", cfg}}, &resp);
  // What we write, we read back.
  http::RequestHead head = Head("PUT", "/b?encryption");
  auto doc = DecodeRestXmlRequest(S3(), Op("PutBucketEncryption"), head, {{"Bucket", "b"}},
                                  resp.body);
  ASSERT_TRUE(doc.ok()) << resp.body;
  EXPECT_EQ((*doc)["ServerSideEncryptionConfiguration"], cfg);

  http::Response loc;
  EncodeRestXmlResponse(S3(), Op("GetBucketLocation"), {{"LocationConstraint", "eu-west-1"}}, &loc);
  EXPECT_EQ(loc.body,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<LocationConstraint xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">eu-west-1</LocationConstraint>");
  http::Response us;
  EncodeRestXmlResponse(S3(), Op("GetBucketLocation"), json::object(), &us);
  EXPECT_EQ(us.body,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<LocationConstraint xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"/>");
}

TEST(RestXmlCodecTest, ListBucketsAndDeleteObjects) {
  http::Response resp;
  EncodeRestXmlResponse(S3(), Op("ListBuckets"),
                        {{"Buckets", json::array({{{"Name", "b1"}, {"CreationDate", 0.0}}})},
                         {"Owner", {{"ID", "abc"}}}},
                        &resp);
  pugi::xml_document d;
  ASSERT_TRUE(d.load_string(resp.body.c_str()));
  auto root = d.child("ListAllMyBucketsResult");
  ASSERT_TRUE(root);
  EXPECT_STREQ(root.child("Buckets").child("Bucket").child_value("Name"), "b1");
  EXPECT_STREQ(root.child("Owner").child_value("ID"), "abc");

  const char* body =
      "<Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Object><Key>a</Key></Object>"
      "<Object><Key>b</Key><VersionId>v</VersionId></Object><Quiet>true</Quiet></Delete>";
  auto doc = DecodeRestXmlRequest(S3(), Op("DeleteObjects"), Head("POST", "/b?delete"), {{"Bucket", "b"}}, body);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  ASSERT_EQ((*doc)["Delete"]["Objects"].size(), 2u);
  EXPECT_EQ((*doc)["Delete"]["Objects"][1]["VersionId"], "v");
  EXPECT_EQ((*doc)["Delete"]["Quiet"], true);
}

// An empty number parameter is absent (S3 lists parts for part-number-marker=); a bad one is refused.
TEST(RestXmlCodecTest, EmptyNumberParameterIsAbsent) {
  auto doc = DecodeRestXmlRequest(S3(), Op("ListParts"), Head("GET", "/b/k?uploadId=u&part-number-marker="),
                                  {{"Bucket", "b"}, {"Key", "k"}}, "");
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_FALSE(doc->contains("PartNumberMarker"));
  auto bad = DecodeRestXmlRequest(S3(), Op("ListParts"), Head("GET", "/b/k?uploadId=u&part-number-marker=x"),
                                  {{"Bucket", "b"}, {"Key", "k"}}, "");
  EXPECT_FALSE(bad.ok());
}

// A key that is only whitespace is a key; whitespace between elements is not content.
TEST(RestXmlCodecTest, WhitespaceOnlyTextIsKept) {
  const char* body =
      "<Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\n  <Object><Key> </Key></Object>\n"
      "  <Object>\n    <Key>\t</Key>\n  </Object>\n</Delete>";
  auto doc = DecodeRestXmlRequest(S3(), Op("DeleteObjects"), Head("POST", "/b?delete"), {{"Bucket", "b"}}, body);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  ASSERT_EQ((*doc)["Delete"]["Objects"].size(), 2u);
  EXPECT_EQ((*doc)["Delete"]["Objects"][0]["Key"], " ");
  EXPECT_EQ((*doc)["Delete"]["Objects"][1]["Key"], "\t");
}

TEST(RestXmlCodecTest, AclGranteeAttributes) {
  json acl = {{"Owner", {{"ID", "o"}}},
              {"Grants", json::array({{{"Grantee", {{"ID", "o"}, {"Type", "CanonicalUser"}}},
                                       {"Permission", "FULL_CONTROL"}}})}};
  http::Response resp;
  EncodeRestXmlResponse(S3(), Op("GetBucketAcl"), acl, &resp);
  EXPECT_NE(resp.body.find("<AccessControlPolicy xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"),
            std::string::npos);
  EXPECT_NE(resp.body.find("<Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                           "xsi:type=\"CanonicalUser\"><ID>o</ID></Grantee>"),
            std::string::npos)
      << resp.body;
  auto doc = DecodeRestXmlRequest(S3(), Op("PutBucketAcl"), Head("PUT", "/b?acl"), {{"Bucket", "b"}},
                                  resp.body);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_EQ((*doc)["AccessControlPolicy"]["Grants"][0]["Grantee"]["Type"], "CanonicalUser");
}

}  // namespace
}  // namespace ck::wire
