// Object Lock rules: configuration validation, headers of a write, which
// deletes and retention changes are refused, and the dates S3 prints.
#include "services/s3/object_lock.h"

#include <gtest/gtest.h>

#include "services/common/record_table.h"
#include "storage/memory_metadata_store.h"

namespace ck::services::s3 {
namespace {

namespace s3api = api::s3;

constexpr double kNow = 1800000000;  // 2027-01-15T08:00:00Z

StoredLock Retention(const char* mode, double until) { return StoredLock{mode, until, ""}; }

s3api::ObjectLockConfiguration Config(std::optional<s3api::DefaultRetention> d, bool with_rule = true) {
  s3api::ObjectLockConfiguration c;
  c.object_lock_enabled = s3api::ObjectLockEnabled::kEnabled;
  if (with_rule) c.rule.emplace().default_retention = d;
  return c;
}

s3api::DefaultRetention Default(const char* mode, std::optional<int> days, std::optional<int> years) {
  s3api::DefaultRetention d;
  d.mode = EnumValue<s3api::ObjectLockRetentionMode>::Parse(mode);
  d.days = days;
  d.years = years;
  return d;
}

// A bucket with Object Lock and no default retention.
BucketRecord LockedBucket() {
  BucketRecord b;
  b.object_lock.emplace().object_lock_enabled = s3api::ObjectLockEnabled::kEnabled;
  return b;
}

std::string CodeOf(const Status& s) { return s.ok() ? "" : s.aws_code(); }

std::string FieldOf(const Status& s, const std::string& name) {
  for (const auto& [n, v] : s.fields())
    if (n == name) return v;
  return "<none>";
}

TEST(ObjectLockConfiguration, AcceptsEnabledAloneOrWithOneDefaultPeriod) {
  EXPECT_TRUE(CheckLockConfiguration(Config(std::nullopt, false)).ok());
  EXPECT_TRUE(CheckLockConfiguration(Config(Default("GOVERNANCE", 1, std::nullopt))).ok());
  EXPECT_TRUE(CheckLockConfiguration(Config(Default("COMPLIANCE", std::nullopt, 100))).ok());
}

TEST(ObjectLockConfiguration, MalformedShapesAreMalformedXml) {
  EXPECT_EQ(CodeOf(CheckLockConfiguration(std::nullopt)), "MalformedXML");
  s3api::ObjectLockConfiguration no_enabled;  // a Rule without ObjectLockEnabled
  no_enabled.rule.emplace().default_retention = Default("GOVERNANCE", 1, std::nullopt);
  EXPECT_EQ(CodeOf(CheckLockConfiguration(no_enabled)), "MalformedXML");
  EXPECT_EQ(CodeOf(CheckLockConfiguration(Config(std::nullopt))), "MalformedXML");  // empty Rule
  EXPECT_EQ(CodeOf(CheckLockConfiguration(Config(s3api::DefaultRetention{}))), "MalformedXML");
  EXPECT_EQ(CodeOf(CheckLockConfiguration(Config(Default("GOVERNANCE", std::nullopt, std::nullopt)))), "MalformedXML");
  EXPECT_EQ(CodeOf(CheckLockConfiguration(Config(Default("GOVERNANCE", 1, 1)))), "MalformedXML");
  EXPECT_EQ(CodeOf(CheckLockConfiguration(Config(Default("BAD-VALUE", 1, std::nullopt)))), "MalformedXML");
}

TEST(ObjectLockConfiguration, PeriodsOutOfRangeAreInvalidArguments) {
  EXPECT_EQ(CodeOf(CheckLockConfiguration(Config(Default("GOVERNANCE", 0, std::nullopt)))), "InvalidArgument");
  EXPECT_EQ(CodeOf(CheckLockConfiguration(Config(Default("GOVERNANCE", -3, std::nullopt)))), "InvalidArgument");
  EXPECT_EQ(CodeOf(CheckLockConfiguration(Config(Default("GOVERNANCE", 36501, std::nullopt)))), "InvalidArgument");
  EXPECT_EQ(CodeOf(CheckLockConfiguration(Config(Default("GOVERNANCE", std::nullopt, 101)))), "InvalidArgument");
}

TEST(DefaultRetention, DaysAndYearsFromNow) {
  BucketRecord b;
  EXPECT_FALSE(DefaultRetainUntil(b, kNow));
  b.object_lock = Config(std::nullopt, false);
  EXPECT_FALSE(DefaultRetainUntil(b, kNow));
  b.object_lock = Config(Default("GOVERNANCE", 2, std::nullopt));
  EXPECT_DOUBLE_EQ(*DefaultRetainUntil(b, kNow), kNow + 2 * 86400);
  b.object_lock = Config(Default("COMPLIANCE", std::nullopt, 1));
  EXPECT_DOUBLE_EQ(*DefaultRetainUntil(b, kNow), kNow + 365 * 86400);

  StoredLock explicit_lock = Retention("GOVERNANCE", kNow + 10);
  ApplyDefaultRetention(b, kNow, &explicit_lock);  // an explicit retention wins
  EXPECT_EQ(explicit_lock, Retention("GOVERNANCE", kNow + 10));
  StoredLock hold{"", 0, "ON"};
  ApplyDefaultRetention(b, kNow, &hold);
  EXPECT_EQ(hold, (StoredLock{"COMPLIANCE", kNow + 365 * 86400, "ON"}));
}

TEST(LockHeaders, ModeAndDateGoTogether) {
  BucketRecord b = LockedBucket();
  LockHeaders mode_only{EnumValue<s3api::ObjectLockMode>::Parse("BAD-VALUE"), std::nullopt, std::nullopt};
  auto r = LockFromHeaders(mode_only, b, kNow);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied");
  EXPECT_EQ(FieldOf(r.status(), "ArgumentName"), "x-amz-object-lock-retain-until-date");
  LockHeaders date_only{std::nullopt, FromEpochSeconds(kNow + 60), std::nullopt};
  EXPECT_EQ(FieldOf(LockFromHeaders(date_only, b, kNow).status(), "ArgumentName"), "x-amz-object-lock-mode");
  LockHeaders bad{EnumValue<s3api::ObjectLockMode>::Parse("BAD-VALUE"), FromEpochSeconds(kNow + 60), std::nullopt};
  EXPECT_EQ(LockFromHeaders(bad, b, kNow).status().message(), "Unknown wormMode directive.");
  EXPECT_EQ(FieldOf(LockFromHeaders(bad, b, kNow).status(), "ArgumentValue"), "BAD-VALUE");
}

TEST(LockHeaders, ValidHeadersNeedALockBucketAndAFutureDate) {
  BucketRecord plain;
  LockHeaders h{s3api::ObjectLockMode::kGovernance, FromEpochSeconds(kNow + 60), s3api::ObjectLockLegalHoldStatus::kOn};
  EXPECT_EQ(LockFromHeaders(h, plain, kNow).status().message(), "Bucket is missing Object Lock Configuration");
  EXPECT_TRUE(LockFromHeaders(LockHeaders{}, plain, kNow).ok());  // no headers: nothing to check
  BucketRecord locked = LockedBucket();
  auto lock = LockFromHeaders(h, locked, kNow);
  ASSERT_TRUE(lock.ok());
  EXPECT_EQ(*lock, (StoredLock{"GOVERNANCE", kNow + 60, "ON"}));
  h.retain_until = FromEpochSeconds(kNow - 1);
  EXPECT_EQ(LockFromHeaders(h, locked, kNow).status().message(), "The retain until date must be in the future!");
}

TEST(Deletion, LegalHoldAndActiveRetentionProtect) {
  EXPECT_TRUE(CheckDeletable(StoredLock{}, kNow, false).ok());
  EXPECT_TRUE(CheckDeletable(StoredLock{"", 0, "OFF"}, kNow, false).ok());
  EXPECT_EQ(CheckDeletable(StoredLock{"", 0, "ON"}, kNow, true).message(),
            "Access Denied because object protected by object lock.");
  EXPECT_FALSE(CheckDeletable(Retention("GOVERNANCE", kNow + 1), kNow, false).ok());
  EXPECT_TRUE(CheckDeletable(Retention("GOVERNANCE", kNow + 1), kNow, true).ok());
  EXPECT_FALSE(CheckDeletable(Retention("COMPLIANCE", kNow + 1), kNow, true).ok());
  // An expired retention protects nothing; the date is exclusive.
  EXPECT_TRUE(CheckDeletable(Retention("COMPLIANCE", kNow), kNow, false).ok());
  EXPECT_TRUE(CheckDeletable(Retention("COMPLIANCE", kNow - 5), kNow, false).ok());
}

TEST(RetentionChange, StricterAlwaysLooserOnlyWithBypassForGovernance) {
  StoredLock gov = Retention("GOVERNANCE", kNow + 100);
  StoredLock comp = Retention("COMPLIANCE", kNow + 100);
  EXPECT_TRUE(CheckRetentionChange(gov, Retention("GOVERNANCE", kNow + 200), kNow, false).ok());
  EXPECT_TRUE(CheckRetentionChange(gov, Retention("COMPLIANCE", kNow + 100), kNow, false).ok());
  EXPECT_FALSE(CheckRetentionChange(gov, Retention("GOVERNANCE", kNow + 50), kNow, false).ok());
  EXPECT_TRUE(CheckRetentionChange(gov, Retention("GOVERNANCE", kNow + 50), kNow, true).ok());
  EXPECT_FALSE(CheckRetentionChange(gov, StoredLock{}, kNow, false).ok());  // removing it
  EXPECT_TRUE(CheckRetentionChange(gov, StoredLock{}, kNow, true).ok());
  EXPECT_TRUE(CheckRetentionChange(comp, Retention("COMPLIANCE", kNow + 101), kNow, false).ok());
  EXPECT_FALSE(CheckRetentionChange(comp, Retention("COMPLIANCE", kNow + 99), kNow, true).ok());
  EXPECT_FALSE(CheckRetentionChange(comp, Retention("GOVERNANCE", kNow + 200), kNow, true).ok());
  EXPECT_FALSE(CheckRetentionChange(comp, StoredLock{}, kNow, true).ok());
  // Once expired, any change is allowed.
  EXPECT_TRUE(
      CheckRetentionChange(Retention("COMPLIANCE", kNow - 1), Retention("GOVERNANCE", kNow + 5), kNow, false).ok());
}

TEST(RetentionRequest, EmptyRemovesPartialIsMalformedPastIsRefused) {
  auto removed = RetentionFromRequest(s3api::ObjectLockRetention{});
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(*removed, StoredLock{});
  s3api::ObjectLockRetention mode_only;
  mode_only.mode = s3api::ObjectLockRetentionMode::kGovernance;
  EXPECT_EQ(CodeOf(RetentionFromRequest(mode_only).status()), "MalformedXML");
  s3api::ObjectLockRetention bad = mode_only;
  bad.mode = EnumValue<s3api::ObjectLockRetentionMode>::Parse("BAD-VALUE");
  bad.retain_until_date = FromEpochSeconds(kNow + 10);
  EXPECT_EQ(CodeOf(RetentionFromRequest(bad).status()), "MalformedXML");
  // 2020-01-01T00:00:00Z, as S3 words it (recorded on AWS).
  Status past = CheckRetainUntil(Retention("GOVERNANCE", 1577836800), kNow);
  EXPECT_EQ(past.message(), "The retain until date must be in the future!");
  EXPECT_EQ(FieldOf(past, "ArgumentName"), "RetainUntilDate");
  EXPECT_EQ(FieldOf(past, "ArgumentValue"), "Tue Dec 31 16:00:00 PST 2019");
  EXPECT_TRUE(CheckRetainUntil(Retention("GOVERNANCE", kNow + 1), kNow).ok());
}

TEST(PacificDate, FollowsUsDaylightSavingTime) {
  EXPECT_EQ(PacificDateText(1577836800), "Tue Dec 31 16:00:00 PST 2019");
  EXPECT_EQ(PacificDateText(1719835200), "Mon Jul 01 05:00:00 PDT 2024");  // 2024-07-01T12:00Z
  // 2024-03-10: 09:59:59Z is still PST, 10:00:00Z is 03:00 PDT.
  EXPECT_EQ(PacificDateText(1710064799), "Sun Mar 10 01:59:59 PST 2024");
  EXPECT_EQ(PacificDateText(1710064800), "Sun Mar 10 03:00:00 PDT 2024");
  // 2024-11-03: 08:59:59Z is 01:59:59 PDT, 09:00:00Z is 01:00 PST.
  EXPECT_EQ(PacificDateText(1730624399), "Sun Nov 03 01:59:59 PDT 2024");
  EXPECT_EQ(PacificDateText(1730624400), "Sun Nov 03 01:00:00 PST 2024");
}

TEST(LockRecords, LockRoundTripsAndIsLeftOutWhenUnset) {
  ObjectRecord rec;
  rec.key = "k";
  Document plain = ToDocument(rec);
  EXPECT_FALSE(plain.contains("lk"));
  rec.lock = StoredLock{"COMPLIANCE", kNow + 0.5, "OFF"};
  ObjectRecord back;
  ASSERT_TRUE(FromDocument(ToDocument(rec), &back).ok());
  EXPECT_EQ(back.lock, rec.lock);
  BucketRecord b;
  b.name = "b";
  b.owner = "111111111111";
  b.object_lock = Config(Default("GOVERNANCE", 1, std::nullopt));
  BucketRecord b2;
  ASSERT_TRUE(FromDocument(ToDocument(b), &b2).ok());
  EXPECT_EQ(b2.object_lock, b.object_lock);
}

}  // namespace
}  // namespace ck::services::s3
