// Lifecycle, website, logging, acceleration, request payment, metrics,
// analytics and intelligent-tiering configurations (bucket_configs.h).
#include "services/s3/ops/bucket_configs.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <set>

namespace ck::services::s3 {

namespace {

namespace s3api = api::s3;

// --- Lifecycle validation ---

// Exactly one condition, or an And of several: S3's schema allows no other filter.
Status CheckLifecycleFilter(const s3api::LifecycleRuleFilter& f) {
  int set = f.prefix.has_value() + f.tag.has_value() + f.object_size_greater_than.has_value() +
            f.object_size_less_than.has_value() + f.and_.has_value();
  if (set > 1) return errors::Malformed();
  if (f.and_ && f.and_->tags) {
    std::set<std::string> keys;
    for (const auto& t : *f.and_->tags)
      if (!keys.insert(t.key).second) return errors::InvalidRequest("Duplicate Tag Keys are not allowed.");
  }
  return Status::Ok();
}

bool AtMidnight(TimePoint t) { return t.time_since_epoch() % std::chrono::hours(24) == TimePoint::duration::zero(); }

Status CheckExpiration(const s3api::LifecycleExpiration& e) {
  int set = e.days.has_value() + e.date.has_value() + e.expired_object_delete_marker.has_value();
  if (set != 1) return errors::Malformed();  // recorded: Days with ExpiredObjectDeleteMarker
  // INFERRED (not recorded): the wording of a non-positive Days.
  if (e.days && *e.days <= 0)
    return errors::BadArgument("'Days' for Expiration action must be a positive integer", "Days",
                               std::to_string(*e.days));
  if (e.date && !AtMidnight(*e.date))
    return errors::BadArgument("'Date' must be at midnight GMT", "Date", FormatAmzDate(*e.date));
  return Status::Ok();
}

Status CheckTransitions(const s3api::LifecycleRule& r) {
  for (const auto& t : r.transitions.value_or(std::vector<s3api::Transition>{}))
    if (t.days.has_value() == t.date.has_value() || !t.storage_class || !t.storage_class->known())
      return errors::Malformed();
  for (const auto& t : r.noncurrent_version_transitions.value_or(std::vector<s3api::NoncurrentVersionTransition>{}))
    if (!t.noncurrent_days || !t.storage_class || !t.storage_class->known()) return errors::Malformed();
  return Status::Ok();
}

Status CheckRule(const s3api::LifecycleRule& r) {
  if (!r.status.known()) return errors::Malformed();
  // A rule has a Filter or (the older form) a Prefix: recorded, a rule with neither is MalformedXML.
  if (r.filter.has_value() == r.prefix.has_value()) return errors::Malformed();
  if (r.filter) CK_RETURN_IF_ERROR(CheckLifecycleFilter(*r.filter));
  if (r.id && r.id->size() > 255)  // INFERRED wording (S3 user guide: IDs of up to 255 characters)
    return errors::InvalidArgument("ID length should not exceed allowed limit of 255");
  if (r.expiration) CK_RETURN_IF_ERROR(CheckExpiration(*r.expiration));
  const auto& nve = r.noncurrent_version_expiration;
  if (nve && !nve->noncurrent_days && !nve->newer_noncurrent_versions) return errors::Malformed();
  if (r.abort_incomplete_multipart_upload && !r.abort_incomplete_multipart_upload->days_after_initiation)
    return errors::Malformed();
  CK_RETURN_IF_ERROR(CheckTransitions(r));
  if (!r.expiration && !r.transitions && !r.noncurrent_version_transitions && !nve &&
      !r.abort_incomplete_multipart_upload)  // INFERRED wording
    return errors::InvalidRequest("At least one action needs to be specified in a rule");
  return Status::Ok();
}

// --- Lifecycle matching ---

bool HasTags(const std::vector<s3api::Tag>& wanted, const std::vector<ObjectTag>& tags) {
  return std::all_of(wanted.begin(), wanted.end(), [&](const s3api::Tag& w) {
    return std::any_of(tags.begin(), tags.end(),
                       [&](const ObjectTag& t) { return t.key == w.key && t.value == w.value; });
  });
}

bool Matches(const s3api::LifecycleRule& r, const std::string& key, uint64_t size, const std::vector<ObjectTag>& tags) {
  if (r.prefix) return StartsWith(key, *r.prefix);
  if (!r.filter) return false;
  const auto& f = *r.filter;
  auto size_ok = [&](const std::optional<int64_t>& gt, const std::optional<int64_t>& lt) {
    return (!gt || static_cast<int64_t>(size) > *gt) && (!lt || static_cast<int64_t>(size) < *lt);
  };
  if (f.prefix && !StartsWith(key, *f.prefix)) return false;
  if (f.tag && !HasTags({*f.tag}, tags)) return false;
  if (!size_ok(f.object_size_greater_than, f.object_size_less_than)) return false;
  if (f.and_) {
    const auto& a = *f.and_;
    if (a.prefix && !StartsWith(key, *a.prefix)) return false;
    if (a.tags && !HasTags(*a.tags, tags)) return false;
    if (!size_ok(a.object_size_greater_than, a.object_size_less_than)) return false;
  }
  return true;
}

// When a rule's Expiration ends an object of time `mtime`, if it has Days or a Date.
std::optional<TimePoint> ExpiryOf(const s3api::LifecycleExpiration& e, TimePoint mtime) {
  if (e.date) return *e.date;
  if (!e.days) return std::nullopt;
  double t = ToEpochSeconds(mtime) + 86400.0 * *e.days;
  return FromEpochSeconds(std::ceil(t / 86400.0) * 86400.0);
}

// --- Website validation ---

Status CheckRoutingRule(const s3api::RoutingRule& rule) {
  if (rule.condition && !rule.condition->http_error_code_returned_equals && !rule.condition->key_prefix_equals)
    return errors::InvalidRequest(
        "Condition cannot be empty. To redirect all requests without a condition, the condition element shouldn't "
        "be present.");
  const auto& r = rule.redirect;
  if (r.protocol && !r.protocol->known())
    return errors::InvalidRequest(
        "Invalid protocol, protocol can be http or https. If not defined the protocol will be selected "
        "automatically.");
  if (r.replace_key_prefix_with && r.replace_key_with)
    return errors::InvalidRequest("You can only define ReplaceKeyPrefix or ReplaceKey but not both.");
  return Status::Ok();
}

// --- Id-keyed configurations ---

constexpr size_t kMaxConfigurations = 1000;
constexpr size_t kListPage = 100;  // INFERRED: S3 lists these 100 at a time

Status NoSuchConfiguration() { return errors::NoSuchConfiguration("The specified configuration does not exist."); }

// Adds or replaces a configuration of an authorized bucket.
template <class Config>
Status PutById(S3Service& s, const std::string& bucket, std::vector<Config> BucketSettings::*list, const Config& cfg) {
  return s.store().UpdateBucket(bucket, [&](BucketRecord& r) {
    auto& items = r.settings.*list;
    auto at = std::lower_bound(items.begin(), items.end(), cfg.id,
                               [](const Config& x, const std::string& id) { return x.id < id; });
    if (at != items.end() && at->id == cfg.id) {
      *at = cfg;
      return Status::Ok();
    }
    if (items.size() >= kMaxConfigurations)
      return errors::TooManyConfigurations(
          "You are attempting to create a new configuration but have already reached the 1,000-configuration "
          "limit.");
    items.insert(at, cfg);
    return Status::Ok();
  });
}

template <class Config>
Result<Config> GetById(S3Service& s, const Call& c, const std::string& bucket,
                       std::vector<Config> BucketSettings::*list, const std::string& id) {
  CK_ASSIGN_OR_RETURN(auto b, AuthorizedBucket(s, c, bucket));
  for (const auto& x : b->settings.*list)
    if (x.id == id) return x;
  return NoSuchConfiguration();
}

template <class Config>
Status DeleteById(S3Service& s, const Call& c, const std::string& bucket, std::vector<Config> BucketSettings::*list,
                  const std::string& id) {
  CK_ASSIGN_OR_RETURN(auto b, AuthorizedBucket(s, c, bucket));
  return s.store().UpdateBucket(b->name, [&](BucketRecord& r) {
    auto& items = r.settings.*list;
    auto it = std::find_if(items.begin(), items.end(), [&](const Config& x) { return x.id == id; });
    if (it == items.end()) return NoSuchConfiguration();
    items.erase(it);
    return Status::Ok();
  });
}

// A page of a list: the configurations from the one after the token (the last
// id of the previous page) on; IsTruncated and the next token.
template <class Out, class Config>
Result<Out> ListById(S3Service& s, const Call& c, const std::string& bucket, std::vector<Config> BucketSettings::*list,
                     const std::optional<std::string>& token, std::optional<std::vector<Config>> Out::*member) {
  CK_ASSIGN_OR_RETURN(auto b, AuthorizedBucket(s, c, bucket));
  Out out;
  const auto& items = b->settings.*list;
  auto it = items.begin();
  if (token) {
    out.continuation_token = *token;
    it = std::upper_bound(items.begin(), items.end(), *token,
                          [](const std::string& id, const Config& x) { return id < x.id; });
  }
  auto end = items.end() - it > static_cast<std::ptrdiff_t>(kListPage) ? it + kListPage : items.end();
  if (it != end) out.*member = std::vector<Config>(it, end);
  out.is_truncated = end != items.end();
  if (end != items.end()) out.next_continuation_token = (end - 1)->id;
  return out;
}

// --- One-value settings ---

Result<std::optional<s3api::WebsiteConfiguration>> TakeWebsite(S3Service&, const Call&, const BucketRecord&,
                                                               const s3api::PutBucketWebsiteRequest& in) {
  CK_RETURN_IF_ERROR(ValidateWebsite(in.website_configuration));
  return std::optional<s3api::WebsiteConfiguration>(in.website_configuration);
}

s3api::GetBucketWebsiteOutput ShowWebsite(const s3api::WebsiteConfiguration& w) {
  s3api::GetBucketWebsiteOutput out;
  out.redirect_all_requests_to = w.redirect_all_requests_to;
  out.index_document = w.index_document;
  out.error_document = w.error_document;
  out.routing_rules = w.routing_rules;
  return out;
}

// The target bucket must exist, in the source bucket's region (recorded:
// SourceBucketLocation is named only for a source outside us-east-1).
Result<std::optional<s3api::BucketLoggingStatus>> TakeLogging(S3Service& s, const Call&, const BucketRecord& b,
                                                              const s3api::PutBucketLoggingRequest& in) {
  const auto& status = in.bucket_logging_status;
  if (status.logging_enabled) {
    const std::string& target = status.logging_enabled->target_bucket;
    auto t = s.store().Bucket(target);
    if (!t.ok())
      return errors::InvalidTargetBucketForLogging("The target bucket for logging does not exist")
          .WithField("TargetBucket", target);
    if ((*t)->region != b.region) {
      Status e = errors::CrossLocationLoggingProhibitted("Cross S3 location logging not allowed. ");
      if (b.region != "us-east-1") e.WithField("SourceBucketLocation", b.region);
      e.WithField("TargetBucketLocation", (*t)->region);
      return e;
    }
  }
  return std::optional<s3api::BucketLoggingStatus>(status);  // without LoggingEnabled: logging off
}

Result<std::optional<EnumValue<s3api::BucketAccelerateStatus>>> TakeAccelerate(
    S3Service&, const Call&, const BucketRecord& b, const s3api::PutBucketAccelerateConfigurationRequest& in) {
  if (b.name.find('.') != std::string::npos)
    return errors::InvalidRequest(
        "S3 Transfer Acceleration is not supported for buckets with periods (.) in their names");
  const auto& status = in.accelerate_configuration.status;
  if (!status || !status->known()) return errors::Malformed();
  return std::optional<EnumValue<s3api::BucketAccelerateStatus>>(*status);
}

Result<std::optional<EnumValue<s3api::Payer>>> TakePayer(S3Service&, const Call&, const BucketRecord&,
                                                         const s3api::PutBucketRequestPaymentRequest& in) {
  const auto& payer = in.request_payment_configuration.payer;
  if (!payer.known()) return errors::Malformed();
  return std::optional<EnumValue<s3api::Payer>>(payer);
}

template <class E>
std::optional<EnumValue<E>> SetEnum(const EnumValue<E>& v) {
  if (!v.known()) return std::nullopt;
  return v;
}

}  // namespace

// --- Validation ---

Status ValidateLifecycle(const s3api::BucketLifecycleConfiguration& cfg) {
  if (cfg.rules.empty()) return errors::Malformed();
  std::set<std::string> ids;
  for (const auto& r : cfg.rules) {
    CK_RETURN_IF_ERROR(CheckRule(r));
    if (r.id && !r.id->empty() && !ids.insert(*r.id).second)  // INFERRED wording
      return errors::BadArgument("Rule ID must be unique. Found same ID for more than one rule", "ID", *r.id);
  }
  return Status::Ok();
}

Status ValidateWebsite(const s3api::WebsiteConfiguration& w) {
  // Recorded (LocalStack's test_validate_website_configuration), in this order.
  if (w.redirect_all_requests_to) {
    if (w.index_document || w.error_document || w.routing_rules)
      return errors::BadArgument("RedirectAllRequestsTo cannot be provided in conjunction with other Routing Rules.",
                                 "RedirectAllRequestsTo", "not null");
    const auto& protocol = w.redirect_all_requests_to->protocol;
    if (protocol && !protocol->known())
      return errors::InvalidRequest(
          "Invalid protocol, protocol can be http or https. If not defined the protocol will be selected "
          "automatically.");
    return Status::Ok();
  }
  if (!w.index_document)
    return errors::BadArgument("A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo is empty",
                               "IndexDocument", "null");
  const std::string& suffix = w.index_document->suffix;
  if (suffix.empty() || suffix.find('/') != std::string::npos)
    return errors::BadArgument("The IndexDocument Suffix is not well formed", "IndexDocument", suffix);
  if (w.routing_rules) {
    if (w.routing_rules->empty()) return errors::Malformed();
    for (const auto& rule : *w.routing_rules) CK_RETURN_IF_ERROR(CheckRoutingRule(rule));
  }
  return Status::Ok();
}

// The id in the request's query must be the configuration's (recorded for
// analytics and intelligent tiering; INFERRED for metrics), and a filter has
// one condition or an And.
Status ValidateMetrics(const std::string& id, const s3api::MetricsConfiguration& cfg) {
  if (cfg.id.empty() || cfg.id != id) return errors::Malformed();
  if (cfg.filter) {
    const auto& f = *cfg.filter;
    if (f.prefix.has_value() + f.tag.has_value() + f.access_point_arn.has_value() + f.and_.has_value() != 1)
      return errors::Malformed();
  }
  return Status::Ok();
}

Status ValidateAnalytics(const std::string& id, const s3api::AnalyticsConfiguration& cfg) {
  if (cfg.id.empty() || cfg.id != id) return errors::Malformed();
  if (cfg.filter && cfg.filter->prefix.has_value() + cfg.filter->tag.has_value() + cfg.filter->and_.has_value() != 1)
    return errors::Malformed();
  if (const auto& e = cfg.storage_class_analysis.data_export) {
    const auto& d = e->destination.s3_bucket_destination;
    if (!e->output_schema_version.known() || !d.format.known() || d.bucket.empty()) return errors::Malformed();
  }
  return Status::Ok();
}

Status ValidateTiering(const std::string& id, const s3api::IntelligentTieringConfiguration& cfg) {
  if (cfg.id.empty() || cfg.id != id) return errors::Malformed();
  if (!cfg.status.known() || cfg.tierings.empty()) return errors::Malformed();
  for (const auto& t : cfg.tierings)
    if (!t.access_tier.known()) return errors::Malformed();
  if (cfg.filter && cfg.filter->prefix.has_value() + cfg.filter->tag.has_value() + cfg.filter->and_.has_value() != 1)
    return errors::Malformed();
  return Status::Ok();
}

std::optional<std::string> ExpirationHeader(const std::optional<s3api::BucketLifecycleConfiguration>& cfg,
                                            const std::string& key, uint64_t size, const std::vector<ObjectTag>& tags,
                                            TimePoint mtime) {
  if (!cfg) return std::nullopt;
  std::optional<TimePoint> first;
  std::string rule_id;
  for (const auto& r : cfg->rules) {
    if (r.status != s3api::ExpirationStatus::kEnabled || !r.expiration || !Matches(r, key, size, tags)) continue;
    auto when = ExpiryOf(*r.expiration, mtime);
    if (when && (!first || *when < *first)) {
      first = when;
      rule_id = r.id.value_or("");
    }
  }
  if (!first) return std::nullopt;
  return "expiry-date=\"" + FormatHttpDate(*first) + "\", rule-id=\"" + rule_id + "\"";
}

std::optional<std::string> ExpirationOf(const BucketRecord& b, const ObjectRecord& o) {
  if (o.delete_marker) return std::nullopt;
  return ExpirationHeader(b.settings.lifecycle, o.key, o.size, o.tags, FromEpochSeconds(o.mtime));
}

// --- Lifecycle ---

Result<Reply<s3api::PutBucketLifecycleConfigurationOutput>> PutBucketLifecycleConfiguration(
    S3Service& s, const s3api::PutBucketLifecycleConfigurationRequest& in, Call& c) {
  CK_ASSIGN_OR_RETURN(auto b, AuthorizedBucket(s, c, in.bucket));
  auto min_size = in.transition_default_minimum_object_size.value_or(
      s3api::TransitionDefaultMinimumObjectSize::kAllStorageClasses128k);
  if (!min_size.known())
    return errors::InvalidRequest("Invalid TransitionDefaultMinimumObjectSize found: " + std::string(min_size.str()));
  if (!in.lifecycle_configuration) return errors::Malformed();
  CK_RETURN_IF_ERROR(ValidateLifecycle(*in.lifecycle_configuration));
  CK_RETURN_IF_ERROR(s.store().UpdateBucket(b->name, [&](BucketRecord& r) {
    r.settings.lifecycle = in.lifecycle_configuration;
    r.settings.lifecycle_min_size = std::string(min_size.str());
    return Status::Ok();
  }));
  Reply<s3api::PutBucketLifecycleConfigurationOutput> reply;
  reply.out.transition_default_minimum_object_size = min_size;
  return reply;
}

Result<s3api::GetBucketLifecycleConfigurationOutput> GetBucketLifecycleConfiguration(
    S3Service& s, const s3api::GetBucketLifecycleConfigurationRequest& in, Call& c) {
  CK_ASSIGN_OR_RETURN(auto b, AuthorizedBucket(s, c, in.bucket));
  if (!b->settings.lifecycle)
    return errors::NoSuchLifecycleConfiguration("The lifecycle configuration does not exist")
        .WithField("BucketName", b->name);
  s3api::GetBucketLifecycleConfigurationOutput out;
  out.rules = b->settings.lifecycle->rules;
  out.transition_default_minimum_object_size =
      EnumValue<s3api::TransitionDefaultMinimumObjectSize>::Parse(b->settings.lifecycle_min_size);
  return out;
}

Result<api::Empty> DeleteBucketLifecycle(S3Service& s, const s3api::DeleteBucketLifecycleRequest& in, Call& c) {
  CK_ASSIGN_OR_RETURN(auto b, AuthorizedBucket(s, c, in.bucket));
  CK_RETURN_IF_ERROR(s.store().UpdateBucket(b->name, [](BucketRecord& r) {
    r.settings.lifecycle.reset();
    r.settings.lifecycle_min_size.clear();
    return Status::Ok();
  }));
  return api::Empty{};
}

// --- Metrics ---

Result<Reply<api::Empty>> PutBucketMetricsConfiguration(S3Service& s,
                                                        const s3api::PutBucketMetricsConfigurationRequest& in,
                                                        Call& c) {
  CK_ASSIGN_OR_RETURN(auto b, AuthorizedBucket(s, c, in.bucket));
  CK_RETURN_IF_ERROR(ValidateMetrics(in.id, in.metrics_configuration));
  CK_RETURN_IF_ERROR(PutById(s, b->name, &BucketSettings::metrics, in.metrics_configuration));
  return Reply<api::Empty>{.status = 204};  // recorded: 204 (the model says 200)
}

Result<s3api::GetBucketMetricsConfigurationOutput> GetBucketMetricsConfiguration(
    S3Service& s, const s3api::GetBucketMetricsConfigurationRequest& in, Call& c) {
  CK_ASSIGN_OR_RETURN(auto cfg, GetById(s, c, in.bucket, &BucketSettings::metrics, in.id));
  return s3api::GetBucketMetricsConfigurationOutput{std::move(cfg)};
}

Result<api::Empty> DeleteBucketMetricsConfiguration(S3Service& s,
                                                    const s3api::DeleteBucketMetricsConfigurationRequest& in, Call& c) {
  CK_RETURN_IF_ERROR(DeleteById(s, c, in.bucket, &BucketSettings::metrics, in.id));
  return api::Empty{};
}

Result<s3api::ListBucketMetricsConfigurationsOutput> ListBucketMetricsConfigurations(
    S3Service& s, const s3api::ListBucketMetricsConfigurationsRequest& in, Call& c) {
  return ListById(s, c, in.bucket, &BucketSettings::metrics, in.continuation_token,
                  &s3api::ListBucketMetricsConfigurationsOutput::metrics_configuration_list);
}

// --- Analytics ---

Result<Reply<api::Empty>> PutBucketAnalyticsConfiguration(S3Service& s,
                                                          const s3api::PutBucketAnalyticsConfigurationRequest& in,
                                                          Call& c) {
  CK_ASSIGN_OR_RETURN(auto b, AuthorizedBucket(s, c, in.bucket));
  CK_RETURN_IF_ERROR(ValidateAnalytics(in.id, in.analytics_configuration));
  CK_RETURN_IF_ERROR(PutById(s, b->name, &BucketSettings::analytics, in.analytics_configuration));
  return Reply<api::Empty>{.status = 204};  // recorded
}

Result<s3api::GetBucketAnalyticsConfigurationOutput> GetBucketAnalyticsConfiguration(
    S3Service& s, const s3api::GetBucketAnalyticsConfigurationRequest& in, Call& c) {
  CK_ASSIGN_OR_RETURN(auto cfg, GetById(s, c, in.bucket, &BucketSettings::analytics, in.id));
  return s3api::GetBucketAnalyticsConfigurationOutput{std::move(cfg)};
}

Result<api::Empty> DeleteBucketAnalyticsConfiguration(S3Service& s,
                                                      const s3api::DeleteBucketAnalyticsConfigurationRequest& in,
                                                      Call& c) {
  CK_RETURN_IF_ERROR(DeleteById(s, c, in.bucket, &BucketSettings::analytics, in.id));
  return api::Empty{};
}

Result<s3api::ListBucketAnalyticsConfigurationsOutput> ListBucketAnalyticsConfigurations(
    S3Service& s, const s3api::ListBucketAnalyticsConfigurationsRequest& in, Call& c) {
  return ListById(s, c, in.bucket, &BucketSettings::analytics, in.continuation_token,
                  &s3api::ListBucketAnalyticsConfigurationsOutput::analytics_configuration_list);
}

// --- Intelligent tiering ---

Result<Reply<api::Empty>> PutBucketIntelligentTieringConfiguration(
    S3Service& s, const s3api::PutBucketIntelligentTieringConfigurationRequest& in, Call& c) {
  CK_ASSIGN_OR_RETURN(auto b, AuthorizedBucket(s, c, in.bucket));
  CK_RETURN_IF_ERROR(ValidateTiering(in.id, in.intelligent_tiering_configuration));
  CK_RETURN_IF_ERROR(PutById(s, b->name, &BucketSettings::tiering, in.intelligent_tiering_configuration));
  return Reply<api::Empty>{.status = 204};  // recorded
}

Result<s3api::GetBucketIntelligentTieringConfigurationOutput> GetBucketIntelligentTieringConfiguration(
    S3Service& s, const s3api::GetBucketIntelligentTieringConfigurationRequest& in, Call& c) {
  CK_ASSIGN_OR_RETURN(auto cfg, GetById(s, c, in.bucket, &BucketSettings::tiering, in.id));
  return s3api::GetBucketIntelligentTieringConfigurationOutput{std::move(cfg)};
}

Result<api::Empty> DeleteBucketIntelligentTieringConfiguration(
    S3Service& s, const s3api::DeleteBucketIntelligentTieringConfigurationRequest& in, Call& c) {
  CK_RETURN_IF_ERROR(DeleteById(s, c, in.bucket, &BucketSettings::tiering, in.id));
  return api::Empty{};
}

Result<s3api::ListBucketIntelligentTieringConfigurationsOutput> ListBucketIntelligentTieringConfigurations(
    S3Service& s, const s3api::ListBucketIntelligentTieringConfigurationsRequest& in, Call& c) {
  return ListById(s, c, in.bucket, &BucketSettings::tiering, in.continuation_token,
                  &s3api::ListBucketIntelligentTieringConfigurationsOutput::intelligent_tiering_configuration_list);
}

// --- One-value settings ---

namespace sub {

const Subresource<s3api::WebsiteConfiguration, ops::GetBucketWebsite, ops::PutBucketWebsite, ops::DeleteBucketWebsite>
    kWebsite{
        .read = [](const BucketRecord& b) { return b.settings.website; },
        .write = [](BucketRecord& b,
                    std::optional<s3api::WebsiteConfiguration> v) { b.settings.website = std::move(v); },
        .show = ShowWebsite,
        .not_found = &errors::kNoSuchWebsiteConfiguration,
        .not_found_message = "The specified bucket does not have a website configuration",
        .take = TakeWebsite,
    };

const Subresource<s3api::BucketLoggingStatus, ops::GetBucketLogging, ops::PutBucketLogging> kLogging{
    .read =
        [](const BucketRecord& b) {
          if (!b.settings.logging) return std::optional<s3api::BucketLoggingStatus>();
          return std::optional(s3api::BucketLoggingStatus{b.settings.logging});
        },
    .write =
        [](BucketRecord& b, std::optional<s3api::BucketLoggingStatus> v) {
          b.settings.logging = v ? v->logging_enabled : std::nullopt;
        },
    .show = [](const s3api::BucketLoggingStatus& v) { return s3api::GetBucketLoggingOutput{v.logging_enabled}; },
    .unset = [](const BucketRecord&) { return s3api::GetBucketLoggingOutput{}; },
    .take = TakeLogging,
};

const Subresource<EnumValue<s3api::BucketAccelerateStatus>, ops::GetBucketAccelerateConfiguration,
                  ops::PutBucketAccelerateConfiguration>
    kAccelerate{
        .read = [](const BucketRecord& b) { return SetEnum(b.settings.accelerate); },
        .write =
            [](BucketRecord& b, std::optional<EnumValue<s3api::BucketAccelerateStatus>> v) {
              b.settings.accelerate = v.value_or(EnumValue<s3api::BucketAccelerateStatus>());
            },
        .show =
            [](const EnumValue<s3api::BucketAccelerateStatus>& v) {
              s3api::GetBucketAccelerateConfigurationOutput out;
              out.status = v;
              return out;
            },
        .unset = [](const BucketRecord&) { return s3api::GetBucketAccelerateConfigurationOutput{}; },
        .take = TakeAccelerate,
    };

const Subresource<EnumValue<s3api::Payer>, ops::GetBucketRequestPayment, ops::PutBucketRequestPayment> kRequestPayment{
    .read = [](const BucketRecord& b) { return SetEnum(b.settings.payer); },
    .write = [](BucketRecord& b,
                std::optional<EnumValue<s3api::Payer>> v) { b.settings.payer = v.value_or(EnumValue<s3api::Payer>()); },
    .show = [](const EnumValue<s3api::Payer>& v) { return s3api::GetBucketRequestPaymentOutput{v}; },
    .unset = [](const BucketRecord&) { return s3api::GetBucketRequestPaymentOutput{s3api::Payer::kBucketOwner}; },
    .take = TakePayer,
};

}  // namespace sub

}  // namespace ck::services::s3
