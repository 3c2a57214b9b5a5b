#include "services/s3/catalog.h"

#include "services/common/record_table.h"
#include "services/s3/records.h"

namespace ck::services::s3 {

Result<std::vector<BucketSummary>> AllBuckets(storage::MetadataStore& store) {
  RecordTable<BucketRecord> records(store, kBucketsTable);
  CK_ASSIGN_OR_RETURN(auto rows, records.ScanAll());
  std::vector<BucketSummary> out;
  out.reserve(rows.size());
  for (auto& [name, b] : rows)
    out.push_back({std::move(b.name), std::move(b.owner), std::move(b.region), std::move(b.encryption),
                   std::move(b.policy)});
  return out;
}

Result<ObjectSummaryPage> CurrentObjects(storage::MetadataStore& store, const std::string& bucket, size_t limit) {
  RecordTable<ObjectRecord> records(store, kObjectsTable);
  storage::ScanOptions options{.prefix = ObjectPrefix(bucket, "")};
  ObjectSummaryPage page;
  for (;;) {
    CK_ASSIGN_OR_RETURN(auto rows, store.Scan(kObjectsTable, options));
    for (const auto& row : rows) {
      CK_ASSIGN_OR_RETURN(auto o, records.Decode(row.key, row.value));
      if (o.delete_marker) continue;
      if (page.objects.size() == limit) {
        page.truncated = true;
        return page;
      }
      ObjectSummary s;
      s.key = std::move(o.key);
      s.version_id = std::move(o.version_id);
      s.size = o.size;
      s.mtime = o.mtime;
      if (o.encryption) {
        s.sse = o.encryption->sse;
        s.kms_key_arn = o.encryption->arn.value_or("");
      }
      s.writer = std::move(o.writer);
      s.request_id = std::move(o.request_id);
      page.objects.push_back(std::move(s));
    }
    if (rows.size() < options.limit) return page;
    options.start_after = rows.back().key;
  }
}

}  // namespace ck::services::s3
