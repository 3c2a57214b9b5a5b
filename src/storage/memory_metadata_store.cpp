#include "storage/memory_metadata_store.h"

#include <map>
#include <mutex>
#include <shared_mutex>

#include "storage/scan_range.h"

namespace ck::storage {
namespace {

// std::string compares with char_traits<char>::compare, which is memcmp-like
// (unsigned bytes), so std::map order equals SQLite BLOB order.
using Table = std::map<std::string, std::string, std::less<>>;

class MemoryMetadataStore final : public MetadataStore {
 public:
  Result<std::optional<std::string>> Get(std::string_view table, std::string_view key) override {
    CK_RETURN_IF_ERROR(ValidateTableName(table));
    std::shared_lock lock(mu_);
    CK_RETURN_IF_ERROR(CheckOpen());
    return Lookup(table, key);
  }

  Status Apply(const WriteBatch& batch) override {
    CK_RETURN_IF_ERROR(ValidateBatch(batch));
    std::unique_lock lock(mu_);
    CK_RETURN_IF_ERROR(CheckOpen());
    for (const auto& op : batch.preconditions()) {
      auto found = Lookup(op.table, op.key);
      if (!PreconditionHolds(op, found)) return PreconditionFailed(op, found);
    }
    for (const auto& op : batch.mutations()) {
      if (op.kind == WriteBatch::OpKind::kPut) {
        tables_[op.table].insert_or_assign(op.key, op.value);
      } else {
        auto t = tables_.find(op.table);
        if (t != tables_.end()) t->second.erase(op.key);
      }
    }
    return Status::Ok();
  }

  Result<std::vector<Record>> Scan(std::string_view table, const ScanOptions& options) override {
    CK_RETURN_IF_ERROR(ValidateTableName(table));
    CK_ASSIGN_OR_RETURN(KeyRange range, ResolveScanRange(options));
    std::vector<Record> out;
    std::shared_lock lock(mu_);
    CK_RETURN_IF_ERROR(CheckOpen());
    auto t = tables_.find(table);
    if (t == tables_.end() || range.empty || options.limit == 0) return out;
    const Table& m = t->second;
    auto [begin, end] = Bounds(m, range);
    if (!options.reverse) {
      for (auto it = begin; it != end && out.size() < options.limit; ++it) {
        out.push_back(Record{it->first, it->second});
      }
    } else {
      for (auto it = end; it != begin && out.size() < options.limit;) {
        --it;
        out.push_back(Record{it->first, it->second});
      }
    }
    return out;
  }

  Result<uint64_t> Count(std::string_view table, std::string_view prefix) override {
    CK_RETURN_IF_ERROR(ValidateTableName(table));
    std::shared_lock lock(mu_);
    CK_RETURN_IF_ERROR(CheckOpen());
    auto t = tables_.find(table);
    if (t == tables_.end()) return uint64_t{0};
    auto [begin, end] = Bounds(t->second, PrefixRange(prefix));
    return static_cast<uint64_t>(std::distance(begin, end));
  }

  std::string Describe() const override { return "memory"; }

  Status Close() override {
    std::unique_lock lock(mu_);
    closed_ = true;
    tables_.clear();
    return Status::Ok();
  }

 private:
  Status CheckOpen() const {
    if (closed_) return Status(Code::kUnavailable, "metadata store is closed");
    return Status::Ok();
  }

  std::optional<std::string> Lookup(std::string_view table, std::string_view key) const {
    auto t = tables_.find(table);
    if (t == tables_.end()) return std::nullopt;
    auto it = t->second.find(key);
    if (it == t->second.end()) return std::nullopt;
    return it->second;
  }

  static std::pair<Table::const_iterator, Table::const_iterator> Bounds(const Table& m,
                                                                       const KeyRange& r) {
    auto begin = m.begin();
    auto end = m.end();
    if (r.lower) {
      begin = r.lower->inclusive ? m.lower_bound(r.lower->key) : m.upper_bound(r.lower->key);
    }
    if (r.upper) {
      end = r.upper->inclusive ? m.upper_bound(r.upper->key) : m.lower_bound(r.upper->key);
    }
    if (r.empty || (begin != m.end() && end != m.end() && end->first < begin->first) ||
        (begin == m.end())) {
      return {m.end(), m.end()};
    }
    return {begin, end};
  }

  mutable std::shared_mutex mu_;
  std::map<std::string, Table, std::less<>> tables_;
  bool closed_ = false;
};

}  // namespace

std::unique_ptr<MetadataStore> NewMemoryMetadataStore() {
  return std::make_unique<MemoryMetadataStore>();
}

}  // namespace ck::storage
