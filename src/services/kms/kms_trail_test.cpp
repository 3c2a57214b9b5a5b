// CloudTrail records of KMS calls, byte for byte: a scripted sequence of JSON
// API calls and in-process calls (as S3, DynamoDB and Secrets Manager make
// them), and the CloudTrailEvent text each recipient account stores, with ids
// and times masked. The expected texts were recorded from the implementation
// before the typed conversion, so any change to what KMS records shows here.
#include <gtest/gtest.h>

#include <regex>

#include "services/authorizer.h"
#include "services/cloudtrail/event_recorder.h"
#include "services/iam/identity_store.h"
#include "services/kms/kms_api.h"
#include "services/kms/kms_engine.h"
#include "storage/memory_metadata_store.h"

namespace ck::services::kms {
namespace {

constexpr char kA1[] = "111111111111";
constexpr char kA2[] = "222222222222";

std::string Masked(std::string s) {
  static const std::regex kUuid("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  static const std::regex kHex64("[0-9a-f]{64}");
  static const std::regex kTime("\"eventTime\":\"[^\"]*\"");
  s = std::regex_replace(s, kUuid, "<id>");
  s = std::regex_replace(s, kHex64, "<hex>");
  return std::regex_replace(s, kTime, "\"eventTime\":\"<t>\"");
}

struct World {
  SystemClock clock;
  std::unique_ptr<storage::MetadataStore> meta = storage::NewMemoryMetadataStore();
  IdentityStore identities{*meta};
  PolicyAuthorizer authorizer{identities, clock};
  cloudtrail::EventRecorder events{*meta};
  KmsEngine kms{*meta, authorizer, events, clock, std::string(32, 'm')};
  KmsApi json_api{kms};
  http::RequestHead head;

  World() {
    EXPECT_TRUE(kms.Start().ok());
    head.headers.Add("user-agent", "test-agent/1.0");
  }

  RequestContext Direct(const std::string& account) {
    RequestContext ctx;
    ctx.principal = Principal::Root(account);
    ctx.region = "us-east-1";
    ctx.request_id = "req-" + account;
    ctx.service = "kms";
    ctx.source_ip = "10.0.0.1";
    ctx.secure_transport = true;
    ctx.head = &head;
    return ctx;
  }
  Result<Document> Api(const std::string& account, const std::string& op, const Document& in) {
    RequestContext ctx = Direct(account);
    ctx.operation = op;
    return json_api.Invoke(op, in, ctx);
  }
  KmsCaller Forward(const std::string& account, const std::string& service) {
    RequestContext ctx = Direct(account);
    return ForwardAccessCaller(ctx, service, "us-east-1");
  }
  // Every record stored for `account`, oldest first, masked.
  std::vector<std::string> Trail(const std::string& account) {
    cloudtrail::LookupQuery q;
    q.max_results = 50;
    std::vector<std::string> out;
    auto page = events.Lookup(account, q);
    EXPECT_TRUE(page.ok());
    for (auto it = page->events.rbegin(); it != page->events.rend(); ++it)
      out.push_back(Masked(it->cloud_trail_event.value_or("")));
    return out;
  }
};

// Runs the script; returns nothing, the trail is the result.
void Script(World& w) {
  std::string policy = R"({"Version":"2012-10-17","Statement":[)"
                       R"({"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"kms:*","Resource":"*"},)"
                       R"({"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:root"},"Action":["kms:Decrypt","kms:GenerateDataKey*","kms:DescribeKey","kms:CreateGrant"],"Resource":"*"}]})";
  auto created = w.Api(kA1, "CreateKey",
                       {{"Description", "d"}, {"Policy", policy}, {"Tags", {{{"TagKey", "t"}, {"TagValue", "v"}}}}});
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  std::string arn = (*created)["KeyMetadata"]["Arn"];
  std::string id = (*created)["KeyMetadata"]["KeyId"];
  ASSERT_TRUE(w.Api(kA1, "CreateAlias", {{"AliasName", "alias/k1"}, {"TargetKeyId", id}}).ok());
  auto enc = w.Api(kA1, "Encrypt", {{"KeyId", "alias/k1"}, {"Plaintext", "aGVsbG8="}, {"EncryptionContext", {{"a", "1"}}}});
  ASSERT_TRUE(enc.ok());
  std::string blob = (*enc)["CiphertextBlob"];
  ASSERT_TRUE(w.Api(kA1, "Decrypt", {{"CiphertextBlob", blob}, {"EncryptionContext", {{"a", "1"}}}}).ok());
  ASSERT_TRUE(w.Api(kA1, "Decrypt", {{"CiphertextBlob", blob}, {"KeyId", arn}, {"EncryptionContext", {{"a", "1"}}},
                                     {"EncryptionAlgorithm", "SYMMETRIC_DEFAULT"}}).ok());
  EXPECT_FALSE(w.Api(kA1, "Decrypt", {{"CiphertextBlob", blob}}).ok());  // wrong context
  EXPECT_FALSE(w.Api(kA1, "GenerateDataKey", {{"KeyId", id}, {"KeySpec", "AES_256"}, {"DryRun", true}}).ok());
  ASSERT_TRUE(w.Api(kA1, "GenerateDataKeyWithoutPlaintext", {{"KeyId", arn}, {"NumberOfBytes", 16}}).ok());
  ASSERT_TRUE(w.Api(kA1, "ReEncrypt", {{"CiphertextBlob", blob}, {"SourceEncryptionContext", {{"a", "1"}}},
                                       {"DestinationKeyId", "alias/k1"}}).ok());
  EXPECT_FALSE(w.Api(kA1, "DescribeKey", {{"KeyId", "fake-key-id"}}).ok());
  ASSERT_TRUE(w.Api(kA1, "GenerateRandom", {{"NumberOfBytes", 8}}).ok());
  EXPECT_FALSE(w.Api(kA1, "ReplicateKey", {{"KeyId", id}, {"ReplicaRegion", "eu-west-1"}}).ok());
  ASSERT_TRUE(w.Api(kA1, "ListAliases", Document::object()).ok());

  // In-process, as the services call it.
  KmsCaller s3 = w.Forward(kA1, "s3");
  KmsEncryptionContext ctx{{"aws:s3:arn", "arn:aws:s3:::b/o"}};
  auto dk = w.kms.GenerateDataKey("alias/k1", ctx, s3);
  ASSERT_TRUE(dk.ok());
  ASSERT_TRUE(w.kms.GenerateDataKey(arn, ctx, s3, 16).ok());
  EXPECT_FALSE(w.kms.GenerateDataKey(arn, ctx, s3, 2000).ok());
  ASSERT_TRUE(w.kms.Decrypt(dk->ciphertext_blob, ctx, s3).ok());
  EXPECT_FALSE(w.kms.Decrypt(dk->ciphertext_blob, {}, s3).ok());
  ASSERT_TRUE(w.kms.DescribeKey("alias/k1", s3).ok());
  EXPECT_FALSE(w.kms.DescribeKey("alias/missing", s3).ok());
  KmsCaller ddb = w.Forward(kA1, "dynamodb");
  ASSERT_TRUE(w.kms.Encrypt(arn, std::string(3, '\0'), {{"aws:dynamodb:tableName", "t"}}, ddb).ok());

  // Across accounts: allowed use goes to both accounts, a denial only to the caller.
  KmsCaller s3_a2 = w.Forward(kA2, "s3");
  ASSERT_TRUE(w.kms.Decrypt(dk->ciphertext_blob, ctx, s3_a2).ok());
  ASSERT_TRUE(w.kms.GenerateDataKey(arn, ctx, s3_a2).ok());
  EXPECT_FALSE(w.kms.GenerateDataKey("alias/k1", ctx, s3_a2).ok());
  ASSERT_TRUE(w.Api(kA2, "Decrypt", {{"CiphertextBlob", blob}, {"EncryptionContext", {{"a", "1"}}}}).ok());
  EXPECT_FALSE(w.Api(kA2, "Encrypt", {{"KeyId", arn}, {"Plaintext", "aGVsbG8="}}).ok());
  auto grant = w.Api(kA2, "CreateGrant", {{"KeyId", arn}, {"GranteePrincipal", "arn:aws:iam::222222222222:root"},
                                          {"Operations", {"Encrypt"}},
                                          {"Constraints", {{"EncryptionContextSubset", {{"x", "y"}}}}}});
  ASSERT_TRUE(grant.ok()) << grant.status().ToString();
  ASSERT_TRUE(w.Api(kA2, "Encrypt", {{"KeyId", arn}, {"Plaintext", "aGVsbG8="}, {"EncryptionContext", {{"x", "y"}}}}).ok());

  ASSERT_TRUE(w.Api(kA1, "UpdateAlias", {{"AliasName", "alias/k1"}, {"TargetKeyId", id}}).ok());
  ASSERT_TRUE(w.Api(kA1, "DisableKey", {{"KeyId", id}}).ok());
  EXPECT_FALSE(w.kms.GenerateDataKey(arn, ctx, s3).ok());
  ASSERT_TRUE(w.Api(kA1, "ScheduleKeyDeletion", {{"KeyId", id}, {"PendingWindowInDays", 7}}).ok());
  ASSERT_TRUE(w.Api(kA1, "DeleteAlias", {{"AliasName", "alias/k1"}}).ok());
  w.events.Flush();
}

// One line per stored record: "A1 " or "A2 " (the recipient account), then
// the masked CloudTrailEvent text.
constexpr char kGolden[] =
#include "services/kms/kms_trail_golden.inc"
    ;

TEST(KmsTrail, RecordsEveryCallAsBefore) {
  World w;
  Script(w);
  std::vector<std::string> got;
  for (const auto& e : w.Trail(kA1)) got.push_back("A1 " + e);
  for (const auto& e : w.Trail(kA2)) got.push_back("A2 " + e);
  std::vector<std::string> want;
  std::string golden = kGolden;
  for (size_t start = golden.find_first_not_of('\n'); start != std::string::npos;) {
    size_t end = golden.find('\n', start);
    want.push_back(golden.substr(start, end - start));
    start = end == std::string::npos ? end : golden.find_first_not_of('\n', end);
  }
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i], want[i]) << "record " << i;
}

}  // namespace
}  // namespace ck::services::kms
