#include "services/dynamodb/catalog.h"

#include "services/common/record_table.h"
#include "services/dynamodb/table_record.h"

namespace ck::services::dynamodb {

Result<std::vector<TableSummary>> AllTables(storage::MetadataStore& store) {
  RecordTable<TableRecord> records(store, kTables);
  CK_ASSIGN_OR_RETURN(auto rows, records.ScanAll());
  std::vector<TableSummary> out;
  out.reserve(rows.size());
  for (auto& [key, t] : rows)
    out.push_back({std::move(t.name), std::move(t.arn), std::move(t.account), std::move(t.region),
                   t.sse_kms ? std::move(t.kms_key_arn) : std::string()});
  return out;
}

}  // namespace ck::services::dynamodb
