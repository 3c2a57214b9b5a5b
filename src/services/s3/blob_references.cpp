#include "services/s3/blob_references.h"

#include "services/common/record_table.h"
#include "services/s3/records.h"

namespace ck::services::s3 {

namespace {

// Every record of `table`, page by page, decoded as R.
template <typename R, typename Fn>
Status ScanAll(storage::MetadataStore& meta, const char* table, Fn each) {
  RecordTable<R> records(meta, table);
  storage::ScanOptions opt{.limit = 1000};
  for (;;) {
    CK_ASSIGN_OR_RETURN(auto rows, meta.Scan(table, opt));
    for (const auto& row : rows) {
      CK_ASSIGN_OR_RETURN(R record, records.Decode(row.key, row.value));
      each(record);
    }
    if (rows.size() < opt.limit) return Status::Ok();
    opt.start_after = rows.back().key;
  }
}

}  // namespace

Status ForEachBlobReference(storage::MetadataStore& meta, const std::function<void(const std::string&)>& fn) {
  CK_RETURN_IF_ERROR(ScanAll<PartRecord>(meta, kPartsTable, [&](const PartRecord& part) {
    if (!part.segment.blob.empty()) fn(part.segment.blob);
  }));
  for (const char* table : {kObjectsTable, kVersionsTable}) {
    CK_RETURN_IF_ERROR(ScanAll<ObjectRecord>(meta, table, [&](const ObjectRecord& object) {
      for (const auto& segment : object.segments)
        if (!segment.blob.empty()) fn(segment.blob);
    }));
  }
  return Status::Ok();
}

}  // namespace ck::services::s3
