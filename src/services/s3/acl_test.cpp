// ACL reading and evaluation: canned ACLs, grant headers, bodies, S3's
// validation errors (recorded on AWS) and what grants give a requester.
#include "services/s3/acl.h"

#include <gtest/gtest.h>

#include "services/s3/records.h"

namespace ck::services::s3::acl {
namespace {

namespace s3api = api::s3;

constexpr char kOwner[] = "111111111111";
constexpr char kOther[] = "222222222222";

AclOwners BucketOf(const std::string& owner) { return AclOwners{owner, owner, true}; }

std::string FieldOf(const Status& st, const std::string& name) {
  for (const auto& [k, v] : st.fields())
    if (k == name) return v;
  return "";
}

TEST(CanonicalIdTest, NamesTheAccountBack) {
  std::string id = CanonicalId(kOther);
  EXPECT_EQ(id.size(), 64u);
  EXPECT_EQ(AccountOfCanonicalId(id), kOther);
  std::string altered = id;
  altered[3] = altered[3] == 'a' ? 'b' : 'a';
  EXPECT_EQ(AccountOfCanonicalId(altered), std::nullopt);
  EXPECT_EQ(AccountOfCanonicalId("wrong-id"), std::nullopt);
  EXPECT_EQ(AccountOfCanonicalId(kEc2BundleReader), std::nullopt);
}

TEST(AclValidateTest, ErrorsInS3Order) {
  AclInput in;
  in.canned = "fake-acl";
  Status st = Validate(in, true);
  EXPECT_EQ(st.aws_code(), "InvalidArgument");
  EXPECT_EQ(FieldOf(st, "ArgumentName"), "x-amz-acl");
  EXPECT_EQ(FieldOf(st, "ArgumentValue"), "fake-acl");

  in.canned = "private";
  in.grant_read = "uri=\"http://acs.amazonaws.com/groups/s3/LogDelivery\"";
  EXPECT_EQ(Validate(in, true).aws_code(), "InvalidRequest");

  in.grant_read.reset();
  s3api::AccessControlPolicy body = OwnerOnly(kOwner);
  in.body = &body;
  EXPECT_EQ(Validate(in, true).aws_code(), "UnexpectedContent");

  EXPECT_EQ(Validate(AclInput{}, true).aws_code(), "MissingSecurityHeader");
  EXPECT_TRUE(Validate(AclInput{}, false).ok());
}

TEST(AclValidateTest, GrantHeaders) {
  AclInput in;
  in.grant_write = "uri=\"http://acs.amazonaws.com/groups/s3/FakeGroup\"";
  Status st = Validate(in, true);
  EXPECT_EQ(st.message(), "Invalid group uri");
  EXPECT_EQ(FieldOf(st, "ArgumentName"), "uri");

  in.grant_write = "fakekey=\"1234\"";
  st = Validate(in, true);
  EXPECT_EQ(st.message(), "Argument format not recognized");
  EXPECT_EQ(FieldOf(st, "ArgumentName"), "x-amz-grant-write");
  EXPECT_EQ(FieldOf(st, "ArgumentValue"), "fakekey=\"1234\"");

  in.grant_write = "id=\"wrong-id\"";
  st = Validate(in, true);
  EXPECT_EQ(st.message(), "Invalid id");
  EXPECT_EQ(FieldOf(st, "ArgumentName"), "id");

  in.grant_write = "emailAddress=\"someone@example.com\"";
  EXPECT_EQ(Validate(in, true).aws_code(), "UnresolvableGrantByEmailAddress");

  in.grant_write = "id=\"" + CanonicalId(kOther) + "\", uri=\"" + kAllUsers + "\"";
  EXPECT_TRUE(Validate(in, true).ok());
  auto acl = Resolve(in, BucketOf(kOwner));
  ASSERT_TRUE(acl.ok());
  ASSERT_TRUE(*acl);
  ASSERT_EQ((*acl)->grants->size(), 2u);
  EXPECT_EQ((*acl)->grants->at(0).grantee->id, CanonicalId(kOther));
  EXPECT_EQ((*acl)->grants->at(1).grantee->uri, std::string(kAllUsers));
  EXPECT_EQ((*acl)->owner->id, CanonicalId(kOwner));
}

TEST(AclValidateTest, Bodies) {
  s3api::AccessControlPolicy body = OwnerOnly(kOwner);
  AclInput in;
  in.body = &body;
  EXPECT_TRUE(Validate(in, true).ok());

  body.owner.reset();
  EXPECT_EQ(Validate(in, true).aws_code(), "MalformedACLError");

  body.owner.emplace().id = "wrong-id";
  Status st = Validate(in, true);
  EXPECT_EQ(st.aws_code(), "InvalidArgument");
  EXPECT_EQ(FieldOf(st, "ArgumentName"), "CanonicalUser/ID");

  body.owner->id = CanonicalId(kOwner);
  (*body.grants)[0].grantee->type = s3api::Type::kGroup;
  (*body.grants)[0].grantee->uri = "http://acs.amazonaws.com/groups/s3/FakeGroup";
  EXPECT_EQ(FieldOf(Validate(in, true), "ArgumentName"), "Group/URI");

  (*body.grants)[0].grantee->type = EnumValue<s3api::Type>::Parse("BadType");
  EXPECT_EQ(Validate(in, true).aws_code(), "MalformedACLError");

  (*body.grants)[0].grantee->type = s3api::Type::kCanonicalUser;
  (*body.grants)[0].permission = EnumValue<s3api::Permission>::Parse("WRONG-PERMISSION");
  EXPECT_EQ(Validate(in, true).aws_code(), "MalformedACLError");
}

TEST(AclCannedTest, Expansions) {
  auto grants = [](const s3api::AccessControlPolicy& p) { return p.grants->size(); };
  EXPECT_EQ(grants(Canned("private", BucketOf(kOwner))), 1u);
  EXPECT_EQ(grants(Canned("public-read-write", BucketOf(kOwner))), 3u);
  EXPECT_EQ(grants(Canned("log-delivery-write", BucketOf(kOwner))), 3u);
  EXPECT_EQ(grants(Canned("bucket-owner-full-control", BucketOf(kOwner))), 1u);
  auto obj = Canned("bucket-owner-full-control", AclOwners{kOther, kOwner, false});
  ASSERT_EQ(grants(obj), 2u);
  EXPECT_EQ(obj.grants->at(1).grantee->id, CanonicalId(kOwner));
  EXPECT_EQ(obj.owner->id, CanonicalId(kOther));
  EXPECT_TRUE(IsPublic(Canned("authenticated-read", BucketOf(kOwner))));
  EXPECT_FALSE(IsPublic(Canned("log-delivery-write", BucketOf(kOwner))));
  EXPECT_TRUE(OwnerFullControlOnly(Canned("private", BucketOf(kOwner)), kOwner));
  EXPECT_FALSE(OwnerFullControlOnly(Canned("public-read", BucketOf(kOwner)), kOwner));
}

TEST(AclGrantedTest, WhoGetsWhat) {
  auto acl = Canned("public-read", BucketOf(kOwner));
  EXPECT_EQ(GrantedTo(acl, kOwner, false).ReachFor(kWriteAcp), Reach::kAccount);
  EXPECT_EQ(GrantedTo(acl, kOther, false).ReachFor(kRead), Reach::kPublic);
  EXPECT_EQ(GrantedTo(acl, kOther, false).ReachFor(kWrite), Reach::kNone);
  EXPECT_EQ(GrantedTo(acl, "", false).ReachFor(kRead), Reach::kPublic);      // anonymous
  EXPECT_EQ(GrantedTo(acl, "", true).ReachFor(kRead), Reach::kNone);         // IgnorePublicAcls
  EXPECT_EQ(GrantedTo(acl, kOwner, true).ReachFor(kRead), Reach::kAccount);  // the owner's own grant stays

  auto auth = Canned("authenticated-read", BucketOf(kOwner));
  EXPECT_EQ(GrantedTo(auth, kOther, false).ReachFor(kRead), Reach::kPublic);
  EXPECT_EQ(GrantedTo(auth, "", false).ReachFor(kRead), Reach::kNone);

  AclInput in;
  in.grant_read_acp = "id=\"" + CanonicalId(kOther) + "\"";
  auto granted = Resolve(in, BucketOf(kOwner));
  ASSERT_TRUE(granted.ok());
  EXPECT_EQ(GrantedTo(**granted, kOther, false).ReachFor(kReadAcp), Reach::kAccount);
  EXPECT_EQ(GrantedTo(**granted, kOther, false).ReachFor(kRead), Reach::kNone);
  EXPECT_EQ(GrantedTo(**granted, kOwner, false).ReachFor(kRead), Reach::kNone);  // header grants replace all
}

TEST(AclNeedTest, ActionsToPermissions) {
  EXPECT_EQ(NeedFor("s3:ListBucket")->bits, kRead);
  EXPECT_FALSE(NeedFor("s3:ListBucket")->object);
  EXPECT_EQ(NeedFor("s3:PutObject")->bits, kWrite);
  EXPECT_FALSE(NeedFor("s3:PutObject")->object);
  EXPECT_TRUE(NeedFor("s3:GetObjectVersion")->object);
  EXPECT_EQ(NeedFor("s3:PutObjectAcl")->bits, kWriteAcp);
  EXPECT_FALSE(NeedFor("s3:PutBucketPolicy"));
  EXPECT_FALSE(NeedFor("s3:GetObjectTagging"));
}

}  // namespace
}  // namespace ck::services::s3::acl
