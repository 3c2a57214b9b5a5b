#include "services/cloudtrail/event_codec.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace ck::services::cloudtrail {
namespace {

Principal RoleSession() {
  Principal p;
  p.type = Principal::Type::kAssumedRole;
  p.account = "111111111111";
  p.arn = "arn:aws:sts::111111111111:assumed-role/app/s1";
  p.role_arn = "arn:aws:iam::111111111111:role/app";
  p.user_id = "AROAEXAMPLE:s1";
  p.session_name = "s1";
  p.access_key_id = "ASIAEXAMPLE";
  return p;
}

TEST(EventCodec, RoundTripRendersTheSameRecord) {
  Principal p = RoleSession();
  EventResource resources[] = {{"arn:aws:kms:us-east-1:222222222222:key/k1", "222222222222", "AWS::KMS::Key"},
                               {"arn:aws:kms:us-east-1:111111111111:key/k2", "111111111111", "AWS::KMS::Key"}};
  ApiEvent e;
  e.time = FromEpochSeconds(1717588800.123456);
  e.event_source = "kms.amazonaws.com";
  e.event_name = "ReEncrypt";
  e.region = "us-east-1";
  e.source_ip = "127.0.0.1";
  e.user_agent = "aws-cli/2 \"quoted\"";
  e.principal = &p;
  e.request_parameters = R"({"keyId":"alias/x"})";
  e.additional_event_data = R"({"keyMaterialId":"m"})";
  e.request_id = "req-1";
  e.read_only = true;
  e.resources = resources;
  e.error_code = "AccessDeniedException";
  e.error_message = "User: x is not authorized";
  std::string stored;
  EncodeEvent(e, "shared-1", &stored);
  ASSERT_EQ(stored[0], kEventFormatV1);

  DecodedEvent d;
  ASSERT_TRUE(DecodeEvent(stored, &d));
  EXPECT_EQ(d.shared_event_id, "shared-1");
  EXPECT_EQ(d.principal.arn, p.arn);
  EXPECT_EQ(d.principal.session_name, "s1");
  EXPECT_EQ(d.principal.type, Principal::Type::kAssumedRole);
  ASSERT_EQ(d.event.resources.size(), 2u);
  EXPECT_EQ(d.event.resources[0].arn, resources[0].arn);
  EXPECT_TRUE(d.event.read_only);
  EXPECT_TRUE(d.event.management_event);
  EXPECT_EQ(d.event.time, e.time);
  EXPECT_EQ(EventRecorder::Render(d.event, "222222222222", "id-1", d.shared_event_id),
            EventRecorder::Render(e, "222222222222", "id-1", "shared-1"));
  auto record = nlohmann::json::parse(EventRecorder::Render(d.event, "222222222222", "id-1", d.shared_event_id));
  EXPECT_EQ(record["userAgent"], "aws-cli/2 \"quoted\"");
  EXPECT_EQ(record["requestParameters"]["keyId"], "alias/x");
  EXPECT_EQ(record["responseElements"], nullptr);
  EXPECT_EQ(record["errorCode"], "AccessDeniedException");
  EXPECT_EQ(record["sharedEventID"], "shared-1");
  EXPECT_EQ(record["userIdentity"]["sessionContext"]["sessionIssuer"]["userName"], "app");
}

TEST(EventCodec, RejectsTruncatedAndForeignData) {
  Principal p = RoleSession();
  ApiEvent e;
  e.principal = &p;
  e.event_name = "Decrypt";
  std::string stored;
  EncodeEvent(e, "", &stored);
  DecodedEvent ok;
  EXPECT_TRUE(DecodeEvent(stored, &ok));
  for (size_t n = 0; n < stored.size(); ++n) {
    DecodedEvent d;
    EXPECT_FALSE(DecodeEvent(std::string_view(stored).substr(0, n), &d)) << n;
  }
  DecodedEvent d;
  EXPECT_FALSE(DecodeEvent(stored + "x", &d));
  EXPECT_FALSE(DecodeEvent(R"({"eventVersion":"1.10"})", &d));
}

}  // namespace
}  // namespace ck::services::cloudtrail
