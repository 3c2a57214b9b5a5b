#include "core/explain/record.h"

#include <gtest/gtest.h>

namespace ck::core::explain {
namespace {

TEST(Explain, ScopesNestAndRestore) {
  EXPECT_EQ(Current(), nullptr);
  Record outer, inner;
  {
    Scope a(&outer);
    EXPECT_EQ(Current(), &outer);
    {
      Scope b(&inner);
      EXPECT_EQ(Current(), &inner);
    }
    EXPECT_EQ(Current(), &outer);
  }
  EXPECT_EQ(Current(), nullptr);
}

TEST(Explain, LogKeepsTheLastRecordsByRequestId) {
  RecordLog log(2);
  for (std::string id : {"a", "b", "c"}) {
    auto r = std::make_shared<Record>();
    r->request_id = id;
    log.Add(r);
  }
  EXPECT_EQ(log.Find("a"), nullptr);
  ASSERT_NE(log.Find("c"), nullptr);
  EXPECT_EQ(log.Find("b")->request_id, "b");
}

TEST(Explain, RecordsRoundTripAndRenderAsText) {
  Record r;
  r.request_id = "rid";
  r.service = "s3";
  r.operation = "PutObject";
  r.principal = "arn:aws:sts::222222222222:assumed-role/role2/s";
  r.status = 400;
  r.error_code = "KMS.NotFoundException";
  r.key_resolutions.push_back({"alias/my-key", "222222222222", "us-east-1", "NotFoundException", "",
                               {"alias name: resolved in the caller's account 222222222222"}});
  Document d = ToDocument(r);
  Record back;
  ASSERT_TRUE(FromDocument(d, &back).ok());
  EXPECT_EQ(back.key_resolutions[0].caller_account, "222222222222");
  std::string text = r.ToText();
  EXPECT_NE(text.find("key reference 'alias/my-key' (caller account 222222222222"), std::string::npos);
  EXPECT_NE(text.find("KMS.NotFoundException"), std::string::npos);
}

}  // namespace
}  // namespace ck::core::explain
