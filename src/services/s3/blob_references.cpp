#include "services/s3/blob_references.h"

#include "services/s3/records.h"

namespace ck::services::s3 {

namespace {

template <typename Fn>
Status ScanAll(storage::MetadataStore& meta, const char* table, Fn each) {
  storage::ScanOptions opt{.limit = 1000};
  for (;;) {
    CK_ASSIGN_OR_RETURN(auto rows, meta.Scan(table, opt));
    for (const auto& row : rows) CK_RETURN_IF_ERROR(each(row.value));
    if (rows.size() < opt.limit) return Status::Ok();
    opt.start_after = rows.back().key;
  }
}

}  // namespace

Status ForEachBlobReference(storage::MetadataStore& meta, const std::function<void(const std::string&)>& fn) {
  CK_RETURN_IF_ERROR(ScanAll(meta, kPartsTable, [&](const std::string& value) -> Status {
    CK_ASSIGN_OR_RETURN(PartRecord part, PartRecord::FromJson(value));
    if (!part.segment.blob.empty()) fn(part.segment.blob);
    return Status::Ok();
  }));
  for (const char* table : {kObjectsTable, kVersionsTable}) {
    CK_RETURN_IF_ERROR(ScanAll(meta, table, [&](const std::string& value) -> Status {
      CK_ASSIGN_OR_RETURN(ObjectRecord object, ObjectRecord::FromJson(value));
      for (const auto& segment : object.segments)
        if (!segment.blob.empty()) fn(segment.blob);
      return Status::Ok();
    }));
  }
  return Status::Ok();
}

}  // namespace ck::services::s3
