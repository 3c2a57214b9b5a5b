// The stored S3 records: golden strings as the service wrote them before
// records had field tables (captured from a data directory written by that
// code). Each must decode, and encode back to the same bytes, so data
// directories keep loading and a rewrite changes nothing on disk.
#include "services/s3/records.h"

#include <gtest/gtest.h>

#include "services/common/record_table.h"
#include "storage/memory_metadata_store.h"

namespace ck::services::s3 {
namespace {

namespace s3api = api::s3;

// clang-format off
constexpr char kBucketConfigured[] = R"json({"acl":{"Grants":[{"Grantee":{"ID":"384dfb5545fc1d56cb8f8963c26eacc6432d2ae1f7a825d0b39043ded0e07f8a","Type":"CanonicalUser"},"Permission":"FULL_CONTROL"},{"Grantee":{"Type":"Group","URI":"http://acs.amazonaws.com/groups/global/AllUsers"},"Permission":"READ"}],"Owner":{"ID":"384dfb5545fc1d56cb8f8963c26eacc6432d2ae1f7a825d0b39043ded0e07f8a"}},"cors":[{"AllowedHeaders":["*"],"AllowedMethods":["GET","PUT"],"AllowedOrigins":["https://a.example"],"ExposeHeaders":["ETag"],"ID":"r1","MaxAgeSeconds":300},{"AllowedMethods":["HEAD"],"AllowedOrigins":["*"]}],"created":1796395734.0833614,"encryption":{"Rules":[{"ApplyServerSideEncryptionByDefault":{"KMSMasterKeyID":"arn:aws:kms:us-east-1:111111111111:key/32e8abdb-e570-49dc-b181-be194d85e3de","SSEAlgorithm":"aws:kms"},"BlockedEncryptionTypes":{"EncryptionType":["SSE-C"]},"BucketKeyEnabled":true}]},"name":"golden","owner":"111111111111","ownership":"ObjectWriter","pab":{"BlockPublicAcls":false,"BlockPublicPolicy":false,"IgnorePublicAcls":false,"RestrictPublicBuckets":false},"policy":"{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"222222222222\"}, \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::golden/*\"}]}","region":"us-east-1","tags":[{"Key":"team","Value":"storage"},{"Key":"env","Value":""}],"versioning":"Enabled"})json";
constexpr char kBucketPlain[] = R"json({"created":1796395734.183658,"name":"golden-plain","owner":"111111111111","ownership":"","pab":{"BlockPublicAcls":true,"BlockPublicPolicy":true,"IgnorePublicAcls":true,"RestrictPublicBuckets":true},"region":"us-east-1","versioning":""})json";
constexpr char kObjectSseS3[] = R"json({"ca":"CRC32","ct":"FULL_OBJECT","cv":"NhCmhg==","e":"5d41402abc4b2a76b9719d911017c592","g":[{"b":"6803da88241f13ccac3a51d296e4f48c","c":"NhCmhg==","m":"5d41402abc4b2a76b9719d911017c592","n":5,"x":{"d":false,"s":"cpfq3LB4RbixFuI7ZoCMYsR6mBD0SLpzV1uYD2h77QU=","v":1}}],"h":{"CacheControl":"no-cache","ContentType":"text/plain","Expires":"Wed, 21 Oct 2015 07:28:00 GMT"},"k":"dir/a.txt","md":{"color":"blue"},"o":"111111111111","q":1796395734206787,"s":5,"sc":"STANDARD_IA","t":1796395734.206,"tg":[["k1","v1"],["k2",""]],"v":"null","x":{"sse":"AES256","v":1,"wk":"R+bjIFW1X9BTUT+BosyzwReGvMs3qD8WbDxy8h2RcJPKs4E0xES/b3QsnMLMbrS+hi+64vXjtqOCMd5B"}})json";
constexpr char kObjectSseKms[] = R"json({"ca":"CRC32","ct":"FULL_OBJECT","cv":"XKLo5Q==","e":"710c12444ad09c4bee72904be0a99e36","g":[{"b":"b96ba1f2b47ad0806f224c242ffaabc2","c":"XKLo5Q==","m":"5ebe2294ecd0e0f08eab7690d2a6ee69","n":6,"x":{"d":false,"s":"8s6P+ay6hOIpPz0nd6YbS/UxODpmyBhZ/jLmSvXg5gs=","v":1}}],"k":"kms","o":"111111111111","q":1796395734223989,"s":6,"t":1796395734.223,"v":"null","x":{"arn":"arn:aws:kms:us-east-1:111111111111:key/32e8abdb-e570-49dc-b181-be194d85e3de","bk":false,"blob":"Q0sBMTExMTExMTExMTExCXVzLWVhc3QtMSQzMmU4YWJkYi1lNTcwLTQ5ZGMtYjE4MS1iZTE5NGQ4NWUzZGUAAAABSJLaBUT3q+kJwbZRLvUZhl0ryQ23n3e07xE0ZWAGzXJTcB1gQ+D4r6171z8i+azTHrLUIg+fYdVzX3dO","ctx":{"aws:s3:arn":"arn:aws:s3:::golden-plain/kms","purpose":"golden"},"ref":"arn:aws:kms:us-east-1:111111111111:key/32e8abdb-e570-49dc-b181-be194d85e3de","sse":"aws:kms","uctx":true,"v":1}})json";
constexpr char kObjectDsse[] = R"json({"ca":"CRC32","ct":"FULL_OBJECT","cv":"EcqKZg==","e":"8f4aa78a3aa19703f1559cf426349d09","g":[{"b":"d3e58f53ef53b11dccf9a9a22434b5ce","c":"EcqKZg==","m":"b8a9f715dbb64fd5c56e7783c6820a61","n":3,"x":{"d":false,"s":"+TeevOr+lzXvdVTi2OG1F/AvX0EzVBj/B2ORsCX22NI=","v":1}}],"k":"dsse","o":"111111111111","q":1796395734235662,"s":3,"t":1796395734.235,"v":"null","x":{"arn":"arn:aws:kms:us-east-1:111111111111:key/32e8abdb-e570-49dc-b181-be194d85e3de","bk":false,"blob":"Q0sBMTExMTExMTExMTExCXVzLWVhc3QtMSQzMmU4YWJkYi1lNTcwLTQ5ZGMtYjE4MS1iZTE5NGQ4NWUzZGUAAAABnZC+b9v1FNl5TxILtggZrWXRdAkULisviQa6ni54OAXPANup5N0/Jp/WD8tLVHyDdMHiCF5YKqLZKws+","blob2":"Q0sBMTExMTExMTExMTExCXVzLWVhc3QtMSQzMmU4YWJkYi1lNTcwLTQ5ZGMtYjE4MS1iZTE5NGQ4NWUzZGUAAAABTLjemDchQennWgNmJzKD5GcKv+renjjbPTdp+qClHadf9PNdYx0ZZZd8nRYPCiGFjLFGBfzCH7KvkbMQ","ctx":{"aws:s3:arn":"arn:aws:s3:::golden-plain/dsse"},"ref":"arn:aws:kms:us-east-1:111111111111:key/32e8abdb-e570-49dc-b181-be194d85e3de","sse":"aws:kms:dsse","v":1}})json";
constexpr char kObjectSseC[] = R"json({"ca":"CRC32","ct":"FULL_OBJECT","cv":"CZeyWg==","e":"ea453e351f16e1153a4b904c10706299","g":[{"b":"d415c267a2e7af6be85354a73633d95a","c":"CZeyWg==","m":"3aad3506aa11f05f265ea8304b8152b3","n":4,"x":{"d":false,"s":"upgGow3Y/JHI3U5YuTvN+avsDLJW0+PvIXaEtBl6t9s=","v":1}}],"k":"ssec","o":"111111111111","q":1796395734228239,"s":4,"t":1796395734.228,"v":"null","x":{"mac":"FmjXN3wYYR+l85cGf2lX2Fd1BCFltDGCWsEQtL7ABD0=","md5":"mT2HRsMGJ5IX5C+0rreZ8Q==","sse":"SSE-C","v":1,"wk":"8XeYHtAyMyUaTCj0XkHRUl1psHkZEejHrxJOpkS1P3Z9WW9i99HfvdoUu7dQwEwJM95CbA5VAW5L2Sxk"}})json";
constexpr char kObjectMultipart[] = R"json({"ca":"SHA256","ct":"COMPOSITE","cv":"02fcpk5/QKJNsvzEdkeBlFeIWeYNwKJOAWPjbe9fHIs=-2","e":"30dcfd3901d1c613b7fb532281748544-2","g":[{"b":"5720b6d8aaf46a4433df72204709b5e2","c":"oplo+tLngqqfIECjXwWtuX7Yl56x9XLIyOp4Y34nXzw=","m":"79b281060d337b9b2b84ccf390adcf74","n":5242880,"x":{"d":true,"s":"e31WswLZWLopBE42oTVtrp4y/PlYF3QChbv16FWL/1k=","v":1}},{"b":"678e60f487964f088d5826aa94295f0d","c":"DGL4du8d6oMN6fMsL0tG3W101Q0ViW4J71ovzUrH4dc=","m":"7aea2552dfe7eb84b9443b6fc9ba6e01","n":4,"x":{"d":true,"s":"Y32EyO6v/UzJIjzoS7CSdjhlbIjNnmKwpZKhJtEhpVI=","v":1}}],"k":"mp","o":"111111111111","pc":2,"q":1796395734468368,"s":5242884,"t":1796395734.468,"v":"null","x":{"sse":"AES256","v":1,"wk":"c09r4VzWK0/6Hy/ugmclQp6d/IfhRPOye/JAhjRBUBx2R1HILa2UWmmdh/bJD7pgo6dUc9AmMnYV395K"}})json";
constexpr char kVersionBucketKey[] = R"json({"ca":"CRC32","ct":"FULL_OBJECT","cv":"emyG8Q==","e":"76223d9c399cdfef79fb7eac97f336ad","g":[{"b":"4d8ac38670b028342262b7317b77b170","c":"emyG8Q==","m":"f97c5d29941bfb1b2fdab0874906ab82","n":3,"x":{"d":true,"s":"3wtfD5sHPT5hceh9r60O4F6+XJ0UOXFUJwvmtGzRlLw=","v":1}}],"k":"v","o":"111111111111","q":1796395734508346,"s":3,"t":1796395734.508,"v":"000661cff9a1a33aBWyh7Z4so8cEwopV","x":{"arn":"arn:aws:kms:us-east-1:111111111111:key/32e8abdb-e570-49dc-b181-be194d85e3de","bk":true,"blob":"Q0sBMTExMTExMTExMTExCXVzLWVhc3QtMSQzMmU4YWJkYi1lNTcwLTQ5ZGMtYjE4MS1iZTE5NGQ4NWUzZGUAAAABefG19kmP9oPUfAn+nH8/q2UTW/7mXskERmn+ZFUDIQIpuF7AaeiT+tBaWgj2s7LINjn0siN+NogGZJLm","ctx":{"aws:s3:arn":"arn:aws:s3:::golden"},"ref":"arn:aws:kms:us-east-1:111111111111:key/32e8abdb-e570-49dc-b181-be194d85e3de","sse":"aws:kms","v":1}})json";
constexpr char kDeleteMarker[] = R"json({"dm":true,"k":"v","o":"111111111111","q":1796395734516190,"t":1796395734.516,"v":"000661cff9a1c1de2sm4xjK5b7e8PXJR"})json";
constexpr char kUpload[] = R"json({"ca":"CRC32","ct":"COMPOSITE","h":{"ContentType":"application/x"},"ia":"arn:aws:iam::111111111111:root","iacct":"111111111111","k":"pending","md":{"m":"1"},"o":"111111111111","t":1796395734.482,"tg":[["t","1"]],"u":"bb4500eadc787d797f312d088419c0dddc807118a8658785","x":{"sse":"AES256","v":1,"wk":"Us3WNGFs+Jl3J0aLCaiBIU0ib5Yvu1+W8Ad3h7r0+05d6t8oMyskCEiq1FB/eA5AM0+/+RM5YlzMsuJV"}})json";
constexpr char kPart[] = R"json({"b":"0e700d166fe49327ceaf62e16cabee46","c":"H5zmbg==","m":"49dcd91231f801159e893fb5c6674985","n":5,"p":3,"t":1796395734.492,"x":{"d":true,"s":"16SJQzJCHrNlehL6Yp5m3y8qLPz+j/nS0An1KntHcpA=","v":1}})json";
// clang-format on

template <class R>
R Decode(const char* text) {
  auto meta = storage::NewMemoryMetadataStore();
  RecordTable<R> table(*meta, "s3.test");
  auto r = table.Decode("key", text);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(RecordTable<R>::Encode(r.ok() ? *r : R{}), text) << "the stored form changed";
  return r.ok() ? *r : R{};
}

TEST(S3Records, BucketWithEveryConfiguration) {
  auto b = Decode<BucketRecord>(kBucketConfigured);
  EXPECT_EQ(b.name, "golden");
  EXPECT_EQ(b.owner, "111111111111");
  EXPECT_EQ(b.region, "us-east-1");
  EXPECT_DOUBLE_EQ(b.created, 1796395734.0833614);
  EXPECT_TRUE(b.versioning_enabled());
  EXPECT_TRUE(b.ownership == s3api::ObjectOwnership::kObjectWriter);
  ASSERT_TRUE(b.policy.has_value());
  EXPECT_NE(b.policy->find("222222222222"), std::string::npos);
  ASSERT_TRUE(b.public_access_block.has_value());
  EXPECT_EQ(b.public_access_block->block_public_acls, false);
  EXPECT_FALSE(b.restricts_public_buckets());
  ASSERT_TRUE(b.tags.has_value());
  ASSERT_EQ(b.tags->size(), 2u);
  EXPECT_EQ((*b.tags)[1].key, "env");
  EXPECT_EQ((*b.tags)[1].value, "");
  ASSERT_TRUE(b.cors.has_value());
  ASSERT_EQ(b.cors->size(), 2u);
  EXPECT_EQ((*b.cors)[0].max_age_seconds, 300);
  EXPECT_EQ((*b.cors)[1].allowed_headers, std::nullopt);
  ASSERT_TRUE(b.encryption.has_value());
  const auto& rule = b.encryption->rules.at(0);
  EXPECT_TRUE(rule.apply_server_side_encryption_by_default->sse_algorithm == s3api::ServerSideEncryption::kAwsKms);
  EXPECT_EQ(rule.bucket_key_enabled, true);
  ASSERT_TRUE(rule.blocked_encryption_types->encryption_type.has_value());
  EXPECT_TRUE(rule.blocked_encryption_types->encryption_type->at(0) == s3api::EncryptionType::kSseC);
  ASSERT_TRUE(b.acl.has_value() && b.acl->grants.has_value());
  EXPECT_EQ(b.acl->grants->size(), 2u);
  EXPECT_TRUE((*b.acl->grants)[1].grantee->type == s3api::Type::kGroup);
}

TEST(S3Records, BucketWithoutConfigurationAndDeletedOwnershipControls) {
  auto b = Decode<BucketRecord>(kBucketPlain);
  EXPECT_FALSE(b.versioned());
  EXPECT_EQ(b.versioning.str(), "");
  EXPECT_EQ(b.ownership.str(), "") << "deleted ownership controls stay deleted";
  EXPECT_TRUE(b.restricts_public_buckets());
  EXPECT_FALSE(b.policy || b.tags || b.cors || b.encryption || b.acl);
}

TEST(S3Records, OldBucketWithoutOptionalMembersTakesTheDefaults) {
  auto meta = storage::NewMemoryMetadataStore();
  RecordTable<BucketRecord> table(*meta, "s3.buckets");
  auto b = table.Decode("b", R"({"name":"b","owner":"111111111111"})");
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(b->region, "us-east-1");
  EXPECT_TRUE(b->ownership == s3api::ObjectOwnership::kBucketOwnerEnforced);
  EXPECT_FALSE(table.Decode("b", R"({"owner":"111111111111"})").ok()) << "name is required";
  EXPECT_FALSE(table.Decode("b", R"({"name":"b","owner":"1","created":"yesterday"})").ok());
}

TEST(S3Records, ObjectWithHeadersMetadataTagsChecksumAndSseS3) {
  auto o = Decode<ObjectRecord>(kObjectSseS3);
  EXPECT_EQ(o.key, "dir/a.txt");
  EXPECT_EQ(o.version_id, "null");
  EXPECT_EQ(o.seq, 1796395734206787u);
  EXPECT_FALSE(o.delete_marker);
  EXPECT_EQ(o.size, 5u);
  EXPECT_EQ(o.etag, "5d41402abc4b2a76b9719d911017c592");
  EXPECT_DOUBLE_EQ(o.mtime, 1796395734.206);
  EXPECT_EQ(o.parts_count, 0);
  ASSERT_EQ(o.segments.size(), 1u);
  EXPECT_EQ(o.segments[0].blob, "6803da88241f13ccac3a51d296e4f48c");
  EXPECT_EQ(o.segments[0].size, 5u);
  EXPECT_EQ(o.segments[0].checksum, "NhCmhg==");
  ASSERT_TRUE(o.segments[0].sealing.has_value());
  EXPECT_EQ(o.segments[0].sealing->v, 1);
  EXPECT_FALSE(o.segments[0].sealing->d);
  EXPECT_EQ(o.headers.content_type, "text/plain");
  EXPECT_EQ(o.headers.cache_control, "no-cache");
  EXPECT_EQ(o.headers.expires, "Wed, 21 Oct 2015 07:28:00 GMT");
  EXPECT_EQ(o.headers.content_encoding, std::nullopt);
  EXPECT_EQ(o.metadata.at("color"), "blue");
  ASSERT_EQ(o.tags.size(), 2u);
  EXPECT_EQ(o.tags[1], (ObjectTag{"k2", ""}));
  EXPECT_EQ(o.checksum_algorithm, "CRC32");
  EXPECT_EQ(o.checksum_type, "FULL_OBJECT");
  EXPECT_EQ(o.storage_class, "STANDARD_IA");
  ASSERT_TRUE(o.encryption.has_value());
  EXPECT_EQ(o.encryption->sse, "AES256");
  EXPECT_TRUE(o.encryption->wk.has_value());
  EXPECT_FALSE(o.encryption->ref.has_value());
}

TEST(S3Records, ObjectsUnderKmsDsseAndCustomerKeys) {
  auto kms = Decode<ObjectRecord>(kObjectSseKms);
  ASSERT_TRUE(kms.encryption.has_value());
  EXPECT_EQ(kms.encryption->sse, "aws:kms");
  EXPECT_EQ(kms.encryption->bk, false);
  EXPECT_EQ(kms.encryption->uctx, true);
  EXPECT_EQ(kms.encryption->ctx->at("purpose"), "golden");
  EXPECT_EQ(kms.encryption->ctx->at("aws:s3:arn"), "arn:aws:s3:::golden-plain/kms");
  EXPECT_EQ(kms.encryption->ref, kms.encryption->arn);
  EXPECT_FALSE(kms.encryption->blob2.has_value());

  auto dsse = Decode<ObjectRecord>(kObjectDsse);
  EXPECT_EQ(dsse.encryption->sse, "aws:kms:dsse");
  EXPECT_TRUE(dsse.encryption->blob2.has_value());
  EXPECT_FALSE(dsse.encryption->uctx.has_value());

  auto ssec = Decode<ObjectRecord>(kObjectSseC);
  EXPECT_EQ(ssec.encryption->sse, "SSE-C");
  EXPECT_EQ(ssec.encryption->md5, "mT2HRsMGJ5IX5C+0rreZ8Q==");
  EXPECT_TRUE(ssec.encryption->mac.has_value());

  auto bucket_key = Decode<ObjectRecord>(kVersionBucketKey);
  EXPECT_EQ(bucket_key.encryption->bk, true);
  EXPECT_EQ(bucket_key.version_id, "000661cff9a1a33aBWyh7Z4so8cEwopV");
  EXPECT_EQ(SeqOfVersionId(bucket_key.version_id), bucket_key.seq);
  EXPECT_TRUE(bucket_key.segments[0].sealing->d);
}

TEST(S3Records, MultipartObjectListsItsParts) {
  auto o = Decode<ObjectRecord>(kObjectMultipart);
  EXPECT_EQ(o.parts_count, 2);
  ASSERT_EQ(o.segments.size(), 2u);
  EXPECT_EQ(o.segments[0].size + o.segments[1].size, o.size);
  EXPECT_EQ(o.etag, "30dcfd3901d1c613b7fb532281748544-2");
  EXPECT_EQ(o.checksum_type, "COMPOSITE");
  EXPECT_TRUE(o.segments[1].sealing->d);
}

TEST(S3Records, DeleteMarkerStoresNoData) {
  auto dm = Decode<ObjectRecord>(kDeleteMarker);
  EXPECT_TRUE(dm.delete_marker);
  EXPECT_EQ(dm.key, "v");
  EXPECT_EQ(dm.owner, "111111111111");
  EXPECT_TRUE(dm.segments.empty());
  EXPECT_FALSE(dm.encryption.has_value());
}

TEST(S3Records, UploadAndPart) {
  auto u = Decode<UploadRecord>(kUpload);
  EXPECT_EQ(u.upload_id, "bb4500eadc787d797f312d088419c0dddc807118a8658785");
  EXPECT_EQ(u.key, "pending");
  EXPECT_EQ(u.initiator_arn, "arn:aws:iam::111111111111:root");
  EXPECT_EQ(u.initiator_account, "111111111111");
  EXPECT_EQ(u.headers.content_type, "application/x");
  EXPECT_EQ(u.metadata.at("m"), "1");
  EXPECT_EQ(u.tags, (std::vector<ObjectTag>{{"t", "1"}}));
  EXPECT_EQ(u.checksum_algorithm, "CRC32");
  EXPECT_EQ(u.checksum_type, "COMPOSITE");
  EXPECT_EQ(u.storage_class, "STANDARD");
  EXPECT_EQ(u.encryption->sse, "AES256");

  auto p = Decode<PartRecord>(kPart);
  EXPECT_EQ(p.number, 3);
  EXPECT_DOUBLE_EQ(p.mtime, 1796395734.492);
  EXPECT_EQ(p.segment.size, 5u);
  EXPECT_EQ(p.segment.checksum, "H5zmbg==");
  EXPECT_TRUE(p.segment.sealing->d);
}

TEST(S3Records, SparseMembersStayOutOfTheStoredForm) {
  ObjectRecord o;
  o.key = "k";
  o.segments.push_back(Segment{"b", 1, "m", "", std::nullopt});
  EXPECT_EQ(ToDocument(o).dump(),
            R"({"e":"","g":[{"b":"b","m":"m","n":1}],"k":"k","o":"","q":0,"s":0,"t":0.0,"v":"null"})");
  o.delete_marker = true;
  EXPECT_EQ(ToDocument(o).dump(), R"({"dm":true,"k":"k","o":"","q":0,"t":0.0,"v":"null"})");
}

TEST(S3Records, WriterAndRequestIdAreKeptWhenKnown) {
  ObjectRecord o;
  o.key = "k";
  o.writer = "arn:aws:sts::222222222222:assumed-role/role2/writer";
  o.request_id = "RID1";
  std::string text = RecordTable<ObjectRecord>::Encode(o);
  EXPECT_NE(text.find(R"("w":"arn:aws:sts::222222222222:assumed-role/role2/writer")"), std::string::npos) << text;
  EXPECT_NE(text.find(R"("r":"RID1")"), std::string::npos) << text;
  auto back = Decode<ObjectRecord>(text.c_str());
  EXPECT_EQ(back.writer, o.writer);
  EXPECT_EQ(back.request_id, "RID1");
  // Records written before these members existed read as unknown.
  EXPECT_EQ(Decode<ObjectRecord>(kObjectSseKms).writer, "");
  EXPECT_EQ(Decode<ObjectRecord>(kObjectSseKms).request_id, "");

  UploadRecord u;
  u.upload_id = "u";
  u.key = "k";
  u.request_id = "RID2";
  EXPECT_EQ(Decode<UploadRecord>(RecordTable<UploadRecord>::Encode(u).c_str()).request_id, "RID2");
  EXPECT_EQ(Decode<UploadRecord>(kUpload).request_id, "");
}

TEST(S3Records, ObjectTagMustBeAPair) {
  ObjectTag t;
  EXPECT_FALSE(FromDocument(Document::parse(R"(["k"])"), &t).ok());
  EXPECT_FALSE(FromDocument(Document::parse(R"({"k":"v"})"), &t).ok());
  ASSERT_TRUE(FromDocument(Document::parse(R"(["k","v"])"), &t).ok());
  EXPECT_EQ(t, (ObjectTag{"k", "v"}));
}

}  // namespace
}  // namespace ck::services::s3
