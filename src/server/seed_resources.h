// Creates the KMS keys (with their aliases) and S3 buckets a config declares,
// through the services' own code paths as each account's root, so they get
// the same validation, defaults and events as API calls. Idempotent across
// restarts: a key is identified by its alias (required), a bucket by its name.
#pragma once

#include "base/status.h"
#include "server/config.h"
#include "services/kms/kms_engine.h"
#include "services/service.h"

namespace ck::server {

Status SeedKeysAndBuckets(const Config& config, const std::string& default_region, services::kms::KmsEngine& kms,
                          services::StreamingService& s3);

}  // namespace ck::server
