// Bucket settings kept in the bucket record (BucketSettings, records.h) and
// shown back as configured: lifecycle, website, logging, acceleration,
// request payment (one value each), and the metrics, analytics and
// intelligent-tiering configurations (up to 1,000 each, keyed by id).
//
// What crosskey does with them: the lifecycle's expiration rules give the
// x-amz-expiration header of PutObject, HeadObject and GetObject as S3 gives
// it; objects are not expired, transitioned or cleaned up, no access logs are
// written, website endpoints are not served, and the others are stored only
// (docs/s3.md).
//
// Validation follows S3's recorded answers (test/aws-recorded/s3.json,
// LocalStack's AWS snapshots); where a check's wording was not recorded the
// function says so.
//
// Thread safety: stateless functions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "api/s3.h"
#include "base/clock.h"
#include "base/status.h"
#include "services/s3/ops/common.h"
#include "services/s3/ops/subresources.h"

namespace ck::services::s3 {

// --- Validation (pure) ---
Status ValidateLifecycle(const api::s3::BucketLifecycleConfiguration& cfg);
Status ValidateWebsite(const api::s3::WebsiteConfiguration& cfg);
Status ValidateMetrics(const std::string& id, const api::s3::MetricsConfiguration& cfg);
Status ValidateAnalytics(const std::string& id, const api::s3::AnalyticsConfiguration& cfg);
Status ValidateTiering(const std::string& id, const api::s3::IntelligentTieringConfiguration& cfg);

// The x-amz-expiration header for an object (its key, size, tags, and
// modification time) under a lifecycle configuration: the enabled rule with
// an Expiration of Days or Date whose filter matches and that expires it
// first: `expiry-date="Fri, 23 Dec 2012 00:00:00 GMT", rule-id="ID"`. Days
// count from the object's time, rounded up to the next midnight UTC.
std::optional<std::string> ExpirationHeader(const std::optional<api::s3::BucketLifecycleConfiguration>& cfg,
                                            const std::string& key, uint64_t size, const std::vector<ObjectTag>& tags,
                                            TimePoint mtime);
// The same for a stored object of a bucket.
std::optional<std::string> ExpirationOf(const BucketRecord& b, const ObjectRecord& o);

// --- Operations ---
namespace api_s3 = ::ck::api::s3;

Result<Reply<api_s3::PutBucketLifecycleConfigurationOutput>> PutBucketLifecycleConfiguration(
    S3Service&, const api_s3::PutBucketLifecycleConfigurationRequest&, Call&);
Result<api_s3::GetBucketLifecycleConfigurationOutput> GetBucketLifecycleConfiguration(
    S3Service&, const api_s3::GetBucketLifecycleConfigurationRequest&, Call&);
Result<api::Empty> DeleteBucketLifecycle(S3Service&, const api_s3::DeleteBucketLifecycleRequest&, Call&);

Result<Reply<api::Empty>> PutBucketMetricsConfiguration(S3Service&, const api_s3::PutBucketMetricsConfigurationRequest&,
                                                        Call&);
Result<api_s3::GetBucketMetricsConfigurationOutput> GetBucketMetricsConfiguration(
    S3Service&, const api_s3::GetBucketMetricsConfigurationRequest&, Call&);
Result<api::Empty> DeleteBucketMetricsConfiguration(S3Service&, const api_s3::DeleteBucketMetricsConfigurationRequest&,
                                                    Call&);
Result<api_s3::ListBucketMetricsConfigurationsOutput> ListBucketMetricsConfigurations(
    S3Service&, const api_s3::ListBucketMetricsConfigurationsRequest&, Call&);

Result<Reply<api::Empty>> PutBucketAnalyticsConfiguration(S3Service&,
                                                          const api_s3::PutBucketAnalyticsConfigurationRequest&, Call&);
Result<api_s3::GetBucketAnalyticsConfigurationOutput> GetBucketAnalyticsConfiguration(
    S3Service&, const api_s3::GetBucketAnalyticsConfigurationRequest&, Call&);
Result<api::Empty> DeleteBucketAnalyticsConfiguration(S3Service&,
                                                      const api_s3::DeleteBucketAnalyticsConfigurationRequest&, Call&);
Result<api_s3::ListBucketAnalyticsConfigurationsOutput> ListBucketAnalyticsConfigurations(
    S3Service&, const api_s3::ListBucketAnalyticsConfigurationsRequest&, Call&);

Result<Reply<api::Empty>> PutBucketIntelligentTieringConfiguration(
    S3Service&, const api_s3::PutBucketIntelligentTieringConfigurationRequest&, Call&);
Result<api_s3::GetBucketIntelligentTieringConfigurationOutput> GetBucketIntelligentTieringConfiguration(
    S3Service&, const api_s3::GetBucketIntelligentTieringConfigurationRequest&, Call&);
Result<api::Empty> DeleteBucketIntelligentTieringConfiguration(
    S3Service&, const api_s3::DeleteBucketIntelligentTieringConfigurationRequest&, Call&);
Result<api_s3::ListBucketIntelligentTieringConfigurationsOutput> ListBucketIntelligentTieringConfigurations(
    S3Service&, const api_s3::ListBucketIntelligentTieringConfigurationsRequest&, Call&);

// One-value settings served by the generic sub-resource operations.
namespace sub {
extern const Subresource<api::s3::WebsiteConfiguration, ops::GetBucketWebsite, ops::PutBucketWebsite,
                         ops::DeleteBucketWebsite>
    kWebsite;
extern const Subresource<api::s3::BucketLoggingStatus, ops::GetBucketLogging, ops::PutBucketLogging> kLogging;
extern const Subresource<EnumValue<api::s3::BucketAccelerateStatus>, ops::GetBucketAccelerateConfiguration,
                         ops::PutBucketAccelerateConfiguration>
    kAccelerate;
extern const Subresource<EnumValue<api::s3::Payer>, ops::GetBucketRequestPayment, ops::PutBucketRequestPayment>
    kRequestPayment;
}  // namespace sub

}  // namespace ck::services::s3
