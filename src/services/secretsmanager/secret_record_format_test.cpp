// The stored form of secrets: records written before secrets had field tables
// (captured from a data directory of that build) keep loading and re-encode
// to the same document.
#include <gtest/gtest.h>

#include "services/common/record_table.h"
#include "services/secretsmanager/secret_record.h"
#include "storage/memory_metadata_store.h"

namespace ck::services::sm {
namespace {

// Two versions: the current one binary (6 bytes, sealed as their 8-character
// base64 text: 12 IV + 8 + 16 tag = 36 sealed bytes), the previous a string.
constexpr char kSecret[] =
    R"({"account":"111111111111","arn":"arn:aws:secretsmanager:us-east-1:111111111111:secret:s/one-rPsUAg",)"
    R"("created":1796391123.0,"deleted":0.0,"deletion_date":0.0,"description":"desc","kms_key_id":"",)"
    R"("last_accessed":0.0,"last_changed":1796391123.0,"name":"s/one","next_seq":3,)"
    R"("policy":"{\"Version\": \"2012-10-17\"}","region":"us-east-1","tags":[{"Key":"t","Value":"u"}],)"
    R"("versions":{"283bae83-3335-4248-8053-ad13e8475a0a":{"binary":true,)"
    R"("blob":"Q0sBMTExMTExMTExMTExCXVzLWVhc3QtMSQzZmQwMTczMS0yMTI0LTQ4OTMtOGExOC0wOTY0OTBmY2YwYzcAAAABTRfse9qiKHEf)"
    R"(Vvqkf7K6YN3o+QxEmoCUVO4HyAOmX4/EjBOqgjvL82Q51yd2T9cCwTVty3CLZxsoqTMQ","created":1796391123.0,)"
    R"("key_arn":"arn:aws:kms:us-east-1:111111111111:key/3fd01731-2124-4893-8a18-096490fcf0c7",)"
    R"("sealed":"j/6EZdreMcmzYp/uHL14li4ZXe5Dxh31khcvcDMTGxrTQNWt","seq":2,"stages":["AWSCURRENT"]},)"
    R"("c4a63872-b14a-4b4f-b030-762f2697b95e":{"binary":false,)"
    R"("blob":"Q0sBMTExMTExMTExMTExCXVzLWVhc3QtMSQzZmQwMTczMS0yMTI0LTQ4OTMtOGExOC0wOTY0OTBmY2YwYzcAAAABsbbvqT/70XHr)"
    R"(pVZgPxC2dqMBLDKZ2mYxt6gIv+gMMawDJ3KzSt+b3PLTdrxVLNrhPyRvMO4u9Y40HPN1","created":1796391123.0,)"
    R"("key_arn":"arn:aws:kms:us-east-1:111111111111:key/3fd01731-2124-4893-8a18-096490fcf0c7",)"
    R"("sealed":"HyMrFSx/mlMX4X3U3aRnhNKWE7Y2tVfAvS5/xdES66sX","seq":1,"stages":["AWSPREVIOUS"]}}})";

// Scheduled for deletion: "deleted" and "deletion_date" set.
constexpr char kDeleted[] =
    R"({"account":"111111111111","arn":"arn:aws:secretsmanager:us-east-1:111111111111:secret:s/gone-ORJDxC",)"
    R"("created":1796391123.0,"deleted":1796391123.0,"deletion_date":1796995923.0,"description":"",)"
    R"("kms_key_id":"","last_accessed":0.0,"last_changed":1796391123.0,"name":"s/gone","next_seq":2,)"
    R"("policy":"","region":"us-east-1","tags":[],"versions":{}})";

TEST(SecretRecordFormat, LoadsTodaysRecordAndRewritesItUnchanged) {
  auto meta = storage::NewMemoryMetadataStore();
  RecordTable<Secret> table(*meta, kSecrets);
  std::string key = RecordKey("111111111111", "us-east-1", "s/one");
  auto s = table.Decode(key, kSecret);
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->name, "s/one");
  EXPECT_EQ(s->description, "desc");
  EXPECT_EQ(s->kms_key_id, "");
  EXPECT_FALSE(s->scheduled_for_deletion());
  EXPECT_EQ(s->last_accessed, TimePoint{});
  EXPECT_EQ(ToEpochSeconds(s->created), 1796391123.0);
  ASSERT_EQ(s->tags.size(), 1u);
  EXPECT_EQ(s->tags[0].key, std::optional<std::string>("t"));
  EXPECT_EQ(s->next_seq, 3u);
  ASSERT_EQ(s->versions.size(), 2u);
  const SecretVersion* current = s->WithStage("AWSCURRENT");
  ASSERT_NE(current, nullptr);
  EXPECT_EQ(current->id, "283bae83-3335-4248-8053-ad13e8475a0a");  // from the map key
  EXPECT_TRUE(current->binary);
  EXPECT_EQ(current->seq, 2u);
  EXPECT_EQ(current->sealed.size(), 36u);
  EXPECT_EQ(current->data_key_blob.view().substr(0, 2), "CK");
  EXPECT_EQ(s->WithStage("AWSPREVIOUS")->id, "c4a63872-b14a-4b4f-b030-762f2697b95e");

  EXPECT_EQ(Document::parse(table.Encode(*s)), Document::parse(kSecret));
}

TEST(SecretRecordFormat, DeletionTimesZeroMeansNotScheduled) {
  auto meta = storage::NewMemoryMetadataStore();
  RecordTable<Secret> table(*meta, kSecrets);
  auto s = table.Decode("k", kDeleted);
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_TRUE(s->scheduled_for_deletion());
  EXPECT_EQ(s->deletion_date - s->deleted, std::chrono::days(7));
  EXPECT_TRUE(s->versions.empty());
  EXPECT_EQ(Document::parse(table.Encode(*s)), Document::parse(kDeleted));
}

TEST(SecretRecordFormat, CorruptRecordIsAnError) {
  auto meta = storage::NewMemoryMetadataStore();
  RecordTable<Secret> table(*meta, kSecrets);
  // A version without its sealed value cannot be opened: refuse it whole.
  auto s = table.Decode("k", R"({"account":"1","arn":"a","name":"n","region":"r",)"
                             R"("versions":{"v":{"blob":"AAAA"}}})");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Code::kInternal);
}

}  // namespace
}  // namespace ck::services::sm
