// A read-only view of Secrets Manager's secrets, for readers outside it that
// describe state (the web console): which key protects each secret; never a
// secret value or a data key.
//
// Thread safety: as the MetadataStore (safe for concurrent use).
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "storage/metadata_store.h"

namespace ck::services::sm {

struct SecretSummary {
  std::string name, arn, account, region;
  std::string kms_key_id;       // as given; "" for aws/secretsmanager
  std::string current_key_arn;  // the key of the AWSCURRENT version ("" without one)
};

// Every account's secrets, by account, region and name.
Result<std::vector<SecretSummary>> AllSecrets(storage::MetadataStore& store);

}  // namespace ck::services::sm
