// RecordTable<R>: typed records in one MetadataStore table.
//
// A record type describes its fields once (base/fields.h, CK_DECLARE_FIELDS /
// CK_DEFINE_FIELDS); the table stores it as that JSON document and reads it
// back strictly (wrong types and missing required fields are corruption, an
// Internal error naming the table and key). The field names are the stored
// format: renaming one is a format change.
//
// Thread safety: as the MetadataStore (safe for concurrent use).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/fields.h"
#include "storage/metadata_store.h"

namespace ck::services {

template <typename R>
class RecordTable {
 public:
  RecordTable(storage::MetadataStore& store, std::string table) : store_(store), table_(std::move(table)) {}

  const std::string& name() const { return table_; }
  storage::MetadataStore& store() { return store_; }

  static std::string Encode(const R& record) { return ToDocument(record).dump(); }

  Result<R> Decode(std::string_view key, std::string_view text) const {
    Document d = Document::parse(text, nullptr, /*allow_exceptions=*/false);
    if (d.is_discarded()) return Corrupt(key, "not JSON");
    R record{};
    if (Status s = FromDocument(d, &record); !s.ok()) return Corrupt(key, s.message());
    return record;
  }

  Result<std::optional<R>> Get(std::string_view key) {
    auto raw = store_.Get(table_, key);
    if (!raw.ok()) return raw.status();
    if (!raw->has_value()) return std::optional<R>();
    auto r = Decode(key, **raw);
    if (!r.ok()) return r.status();
    return std::optional<R>(std::move(*r));
  }

  // Writes unconditionally.
  Status Put(std::string_view key, const R& record) {
    storage::WriteBatch b;
    Put(b, key, record);
    return store_.Apply(b);
  }
  void Put(storage::WriteBatch& batch, std::string_view key, const R& record) const {
    batch.Put(table_, std::string(key), Encode(record));
  }
  void Delete(storage::WriteBatch& batch, std::string_view key) const { batch.Delete(table_, std::string(key)); }
  Status Delete(std::string_view key) {
    storage::WriteBatch b;
    Delete(b, key);
    return store_.Apply(b);
  }

  // Every record under `prefix`, in key order, paging through the store.
  Result<std::vector<std::pair<std::string, R>>> ScanAll(std::string_view prefix = "") {
    std::vector<std::pair<std::string, R>> out;
    storage::ScanOptions options{.prefix = std::string(prefix)};
    for (;;) {
      auto page = store_.Scan(table_, options);
      if (!page.ok()) return page.status();
      for (auto& rec : *page) {
        auto r = Decode(rec.key, rec.value);
        if (!r.ok()) return r.status();
        out.emplace_back(std::move(rec.key), std::move(*r));
      }
      if (page->size() < options.limit) return out;
      options.start_after = out.back().first;
    }
  }

 private:
  Status Corrupt(std::string_view key, const std::string& why) const {
    return Internal("corrupt record in " + table_ + " at key of " + std::to_string(key.size()) + " bytes: " + why);
  }

  storage::MetadataStore& store_;
  std::string table_;
};

}  // namespace ck::services
