#include "services/cloudtrail/event_recorder.h"

#include <gtest/gtest.h>

#include "base/codec.h"
#include "services/cloudtrail/event_codec.h"
#include "storage/memory_metadata_store.h"

namespace ck::services::cloudtrail {
namespace {

using api::cloudtrail::LookupAttribute;
using api::cloudtrail::LookupAttributeKey;

Principal User() {
  Principal p;
  p.type = Principal::kUser;
  p.account = "111111111111";
  p.arn = "arn:aws:iam::111111111111:user/alice";
  p.user_id = "AIDAEXAMPLE";
  p.username = "alice";
  p.access_key_id = "AKIAEXAMPLE";
  return p;
}

// The binary record of one event, byte for byte: the stored format of
// event_codec.h (version 1). A change here is a format change.
TEST(EventCodec, GoldenBytes) {
  Principal p = User();
  EventResource resource[] = {{"arn:k", "111111111111", "AWS::KMS::Key"}};
  ApiEvent e;
  e.time = FromEpochSeconds(1.5);
  e.event_source = "kms";
  e.event_name = "Decrypt";
  e.region = "r";
  e.principal = &p;
  e.request_id = "q";
  e.read_only = true;
  e.resources = resource;
  std::string stored;
  EncodeEvent(e, "s", &stored);
  EXPECT_EQ(HexEncode(stored),
            "01"                                                    // version
            "60e3160000000000"                                      // time: 1,500,000 µs
            "030000006b6d73"                                        // source "kms"
            "0700000044656372797074"                                // name "Decrypt"
            "0100000072"                                            // region "r"
            "00000000" "00000000" "00000000"                        // source IP, user agent, invoked by
            "00000000" "00000000" "00000000"                        // parameters, response, additional data
            "0100000071" "00000000" "00000000"                      // request id "q", error code, message
            "0100000073"                                            // shared event id "s"
            "01"                                                    // principal type: user
            "2400000061726e3a6177733a69616d3a3a3131313131313131313131313a757365722f616c696365"  // arn
            "0c000000313131313131313131313131"                      // account
            "00000000"                                              // role arn
            "0b000000414944414558414d504c45"                        // user id
            "05000000616c696365"                                    // user name
            "00000000" "00000000"                                   // session name, service
            "0b000000414b49414558414d504c45"                        // access key id
            "01000000"                                              // one resource:
            "0500000061726e3a6b" "0c000000313131313131313131313131" "0d0000004157533a3a4b4d533a3a4b6579"
            "03");                                                  // flags: read-only, management
}

// Events as an earlier version stored them: the LookupEvents entry as JSON.
TEST(EventRecorder, LooksUpLegacyJsonEntries) {
  auto meta = storage::NewMemoryMetadataStore();
  storage::WriteBatch b;
  b.Put(EventRecorder::kTable, "111111111111/fffffe5e0f8c2ed6/e1",
        R"({"EventId":"e1","EventName":"CreateKey","ReadOnly":"false","EventTime":1717588800.0,)"
        R"("EventSource":"kms.amazonaws.com","Username":"root","Resources":[],"CloudTrailEvent":"{}"})");
  b.Put(EventRecorder::kTable, "111111111111/fffffe5e0f8c2ed7/e2", R"({"EventId":"e2"})");  // no record: skipped
  ASSERT_TRUE(meta->Apply(b).ok());
  EventRecorder recorder(*meta);
  auto page = recorder.Lookup("111111111111", {});
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->events.size(), 1u);
  const api::cloudtrail::Event& e = page->events[0];
  EXPECT_EQ(e.event_id, std::optional<std::string>("e1"));
  EXPECT_EQ(e.username, std::optional<std::string>("root"));
  EXPECT_EQ(e.event_time, FromEpochSeconds(1717588800.0));
  EXPECT_EQ(e.cloud_trail_event, std::optional<std::string>("{}"));
}

TEST(EventRecorder, FiltersByOneAttribute) {
  auto meta = storage::NewMemoryMetadataStore();
  EventRecorder recorder(*meta);
  Principal p = User();
  EventResource key1[] = {{"arn:aws:kms:us-east-1:111111111111:key/k1", "111111111111", "AWS::KMS::Key"}};
  std::string_view recipients[] = {"111111111111"};
  for (const char* name : {"Encrypt", "DescribeKey"}) {
    ApiEvent e;
    e.time = FromEpochSeconds(1717588800);
    e.event_source = "kms.amazonaws.com";
    e.event_name = name;
    e.principal = &p;
    e.read_only = std::string_view(name) == "DescribeKey";
    if (e.read_only) e.resources = key1;
    e.recipients = recipients;
    recorder.Record(e);
  }
  auto names = [&](LookupAttributeKey key, std::string value) {
    LookupQuery q;
    q.attribute = LookupAttribute{key, std::move(value)};
    std::vector<std::string> out;
    auto page = recorder.Lookup("111111111111", q);
    EXPECT_TRUE(page.ok());
    for (const auto& e : page->events) out.push_back(e.event_name.value_or(""));
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(names(LookupAttributeKey::kEventName, "Encrypt"), V{"Encrypt"});
  EXPECT_EQ(names(LookupAttributeKey::kReadOnly, "true"), V{"DescribeKey"});
  EXPECT_EQ(names(LookupAttributeKey::kResourceName, key1[0].arn.data()), V{"DescribeKey"});
  EXPECT_EQ(names(LookupAttributeKey::kResourceType, "AWS::KMS::Key"), V{"DescribeKey"});
  EXPECT_EQ(names(LookupAttributeKey::kUsername, "alice").size(), 2u);
  EXPECT_EQ(names(LookupAttributeKey::kAccessKeyId, "AKIAEXAMPLE").size(), 2u);
  EXPECT_TRUE(names(LookupAttributeKey::kEventSource, "s3.amazonaws.com").empty());

  LookupQuery bad;
  bad.next_token = "not a token";
  auto page = recorder.Lookup("111111111111", bad);
  ASSERT_FALSE(page.ok());
  EXPECT_EQ(page.status().aws_code(), "InvalidNextTokenException");
}

}  // namespace
}  // namespace ck::services::cloudtrail
