// Validation of the bucket settings, the x-amz-expiration header they give,
// and how the settings are stored.
#include "services/s3/ops/bucket_configs.h"

#include <gtest/gtest.h>

namespace ck::services::s3 {
namespace {

namespace s3api = api::s3;

s3api::LifecycleRule DaysRule(const std::string& id, int days, const std::string& prefix) {
  s3api::LifecycleRule r;
  r.id = id;
  r.status = s3api::ExpirationStatus::kEnabled;
  r.filter.emplace().prefix = prefix;
  r.expiration.emplace().days = days;
  return r;
}

s3api::BucketLifecycleConfiguration Lifecycle(std::vector<s3api::LifecycleRule> rules) {
  s3api::BucketLifecycleConfiguration cfg;
  cfg.rules = std::move(rules);
  return cfg;
}

std::string CodeOf(const Status& s) { return s.ok() ? "OK" : s.aws_code(); }

TEST(LifecycleValidation, AcceptsAPlainRule) { EXPECT_TRUE(ValidateLifecycle(Lifecycle({DaysRule("r", 7, "")})).ok()); }

TEST(LifecycleValidation, RefusesWhatS3Refuses) {
  auto no_filter = DaysRule("r", 7, "");
  no_filter.filter.reset();
  EXPECT_EQ(CodeOf(ValidateLifecycle(Lifecycle({no_filter}))), "MalformedXML");

  auto and_plus_prefix = DaysRule("r", 7, "");
  and_plus_prefix.filter->and_.emplace().prefix = "test";
  EXPECT_EQ(CodeOf(ValidateLifecycle(Lifecycle({and_plus_prefix}))), "MalformedXML");

  auto size_plus_prefix = DaysRule("r", 7, "");
  size_plus_prefix.filter->object_size_greater_than = 500;
  EXPECT_EQ(CodeOf(ValidateLifecycle(Lifecycle({size_plus_prefix}))), "MalformedXML");

  auto marker_and_days = DaysRule("r", 1, "");
  marker_and_days.expiration->expired_object_delete_marker = true;
  EXPECT_EQ(CodeOf(ValidateLifecycle(Lifecycle({marker_and_days}))), "MalformedXML");

  auto empty_noncurrent = DaysRule("r", 7, "");
  empty_noncurrent.noncurrent_version_expiration.emplace();
  EXPECT_EQ(CodeOf(ValidateLifecycle(Lifecycle({empty_noncurrent}))), "MalformedXML");

  auto dup_tags = DaysRule("r", 1, "");
  dup_tags.filter->prefix.reset();
  dup_tags.filter->and_.emplace().tags = std::vector<s3api::Tag>{{"k", "a"}, {"k", "b"}};
  Status s = ValidateLifecycle(Lifecycle({dup_tags}));
  EXPECT_EQ(CodeOf(s), "InvalidRequest");
  EXPECT_EQ(s.message(), "Duplicate Tag Keys are not allowed.");

  auto not_midnight = DaysRule("r", 1, "");
  not_midnight.expiration->days.reset();
  not_midnight.expiration->date = FromEpochSeconds(1672538520);  // 2023-01-01T02:02:00Z
  s = ValidateLifecycle(Lifecycle({not_midnight}));
  EXPECT_EQ(CodeOf(s), "InvalidArgument");
  EXPECT_EQ(s.message(), "'Date' must be at midnight GMT");
  not_midnight.expiration->date = FromEpochSeconds(1672531200);  // midnight
  EXPECT_TRUE(ValidateLifecycle(Lifecycle({not_midnight})).ok());

  EXPECT_EQ(CodeOf(ValidateLifecycle(Lifecycle({}))), "MalformedXML");
  auto disabled = DaysRule("r", 1, "");
  disabled.status = EnumValue<s3api::ExpirationStatus>::Parse("enabled");
  EXPECT_EQ(CodeOf(ValidateLifecycle(Lifecycle({disabled}))), "MalformedXML");
}

TEST(LifecycleExpiration, HeaderOfTheFirstMatchingRuleRoundedToMidnight) {
  auto cfg = Lifecycle({DaysRule("long", 30, "logs/"), DaysRule("short", 7, "logs/"), DaysRule("other", 1, "tmp/")});
  TimePoint mtime = FromEpochSeconds(1672538520);  // 2023-01-01T02:02:00Z
  auto h = ExpirationHeader(cfg, "logs/a", 4, {}, mtime);
  ASSERT_TRUE(h);
  EXPECT_EQ(*h, "expiry-date=\"Mon, 09 Jan 2023 00:00:00 GMT\", rule-id=\"short\"");
  EXPECT_FALSE(ExpirationHeader(cfg, "data/a", 4, {}, mtime)) << "no rule matches";
  EXPECT_FALSE(ExpirationHeader(std::nullopt, "logs/a", 4, {}, mtime));
}

TEST(LifecycleExpiration, OnlyEnabledDaysOrDateRulesWhoseFilterMatches) {
  auto marker = DaysRule("m", 1, "");
  marker.expiration->days.reset();
  marker.expiration->expired_object_delete_marker = true;
  auto disabled = DaysRule("d", 1, "");
  disabled.status = s3api::ExpirationStatus::kDisabled;
  auto tagged = DaysRule("t", 3, "");
  tagged.filter->prefix.reset();
  tagged.filter->tag = s3api::Tag{"keep", "no"};
  auto big = DaysRule("b", 2, "");
  big.filter->prefix.reset();
  big.filter->object_size_greater_than = 100;
  auto cfg = Lifecycle({marker, disabled, tagged, big});
  TimePoint t = FromEpochSeconds(1672531200);
  EXPECT_FALSE(ExpirationHeader(cfg, "k", 10, {}, t));
  auto h = ExpirationHeader(cfg, "k", 10, {ObjectTag{"keep", "no"}}, t);
  ASSERT_TRUE(h);
  EXPECT_NE(h->find("rule-id=\"t\""), std::string::npos);
  h = ExpirationHeader(cfg, "k", 1000, {}, t);
  ASSERT_TRUE(h);
  EXPECT_EQ(*h, "expiry-date=\"Tue, 03 Jan 2023 00:00:00 GMT\", rule-id=\"b\"");
}

TEST(WebsiteValidation, RecordedErrors) {
  s3api::WebsiteConfiguration w;
  Status s = ValidateWebsite(w);
  EXPECT_EQ(s.message(), "A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo is empty");
  w.index_document = s3api::IndexDocument{"/index.html"};
  EXPECT_EQ(ValidateWebsite(w).message(), "The IndexDocument Suffix is not well formed");
  w.index_document = s3api::IndexDocument{""};
  EXPECT_EQ(ValidateWebsite(w).message(), "The IndexDocument Suffix is not well formed");
  w.index_document = s3api::IndexDocument{"index.html"};
  EXPECT_TRUE(ValidateWebsite(w).ok());
  w.redirect_all_requests_to = s3api::RedirectAllRequestsTo{"example.com", std::nullopt};
  EXPECT_EQ(ValidateWebsite(w).message(),
            "RedirectAllRequestsTo cannot be provided in conjunction with other Routing Rules.");
  w.redirect_all_requests_to.reset();
  s3api::RoutingRule rule;
  rule.redirect.replace_key_with = "a";
  rule.redirect.replace_key_prefix_with = "b";
  w.routing_rules = std::vector<s3api::RoutingRule>{rule};
  EXPECT_EQ(ValidateWebsite(w).message(), "You can only define ReplaceKeyPrefix or ReplaceKey but not both.");
  w.routing_rules->front().redirect.replace_key_with.reset();
  w.routing_rules->front().condition.emplace();
  EXPECT_EQ(CodeOf(ValidateWebsite(w)), "InvalidRequest");
  w.routing_rules->clear();
  EXPECT_EQ(CodeOf(ValidateWebsite(w)), "MalformedXML");
}

TEST(IdConfigurations, TheQueryIdMustBeTheConfigurationsId) {
  s3api::MetricsConfiguration m;
  m.id = "a";
  EXPECT_TRUE(ValidateMetrics("a", m).ok());
  EXPECT_EQ(CodeOf(ValidateMetrics("b", m)), "MalformedXML");

  s3api::IntelligentTieringConfiguration it;
  it.id = "t";
  it.status = s3api::IntelligentTieringStatus::kEnabled;
  it.tierings.push_back(s3api::Tiering{90, s3api::IntelligentTieringAccessTier::kArchiveAccess});
  EXPECT_TRUE(ValidateTiering("t", it).ok());
  EXPECT_EQ(CodeOf(ValidateTiering("other", it)), "MalformedXML");
  it.tierings.clear();
  EXPECT_EQ(CodeOf(ValidateTiering("t", it)), "MalformedXML");

  s3api::AnalyticsConfiguration a;
  a.id = "x";
  EXPECT_TRUE(ValidateAnalytics("x", a).ok());
  EXPECT_EQ(CodeOf(ValidateAnalytics("y", a)), "MalformedXML");
}

TEST(BucketSettingsRecord, RoundTripsAndStaysOutOfPlainRecords) {
  BucketRecord b;
  b.name = "b";
  b.owner = "111111111111";
  EXPECT_FALSE(ToDocument(b).contains("set")) << "a bucket without settings is stored as before";
  b.settings.lifecycle = Lifecycle({DaysRule("r", 7, "logs/")});
  b.settings.lifecycle_min_size = "all_storage_classes_128K";
  b.settings.payer = s3api::Payer::kRequester;
  b.settings.metrics.push_back(s3api::MetricsConfiguration{"m1", std::nullopt});
  b.settings.website.emplace().index_document = s3api::IndexDocument{"index.html"};
  BucketRecord back;
  ASSERT_TRUE(FromDocument(ToDocument(b), &back).ok());
  EXPECT_EQ(back.settings, b.settings);
}

TEST(MetadataDecoding, BadBase64WordDecodesAsS3Does) {
  // Recorded on AWS: "=?UTF-8?B?=GGG?=" comes back as U+FFFD "a" U+FFFD, B-encoded.
  std::string decoded = DecodeMetadataValue("=?UTF-8?B?=GGG?=");
  EXPECT_EQ(decoded,
            "\xEF\xBF\xBD"
            "a"
            "\xEF\xBF\xBD");
  EXPECT_EQ(EncodeMetadataValue(decoded), "=?UTF-8?B?77+9Ye+/vQ==?=");
  EXPECT_EQ(DecodeMetadataValue("=?UTF-8?B?aGVsbG8=?="), "hello") << "valid words are unchanged";
}

}  // namespace
}  // namespace ck::services::s3
