// A read-only view of DynamoDB's tables, for readers outside DynamoDB that
// describe state (the web console): which key each table is encrypted under;
// never the wrapped table keys or items.
//
// Thread safety: as the MetadataStore (safe for concurrent use).
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "storage/metadata_store.h"

namespace ck::services::dynamodb {

struct TableSummary {
  std::string name, arn, account, region;
  std::string kms_key_arn;  // "" for the AWS owned key
};

// Every account's tables, by account, region and name.
Result<std::vector<TableSummary>> AllTables(storage::MetadataStore& store);

}  // namespace ck::services::dynamodb
