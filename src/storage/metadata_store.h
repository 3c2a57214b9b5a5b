// MetadataStore: the ordered key-value store every service keeps its records in.
//
// A store holds logical tables (short names such as "s3.objects"); each table
// maps byte-string keys to byte-string values, ordered by memcmp of the key
// bytes (which is also UTF-8 code point order). Services store JSON records as
// values and build keys so that prefix scans answer their list operations.
//
// All writes go through WriteBatch, applied atomically: either every
// precondition holds and every mutation becomes visible at once, or nothing
// changes. A single Get/Scan/Count reads one consistent snapshot.
//
// Thread safety: every MetadataStore implementation is safe for concurrent use
// by many threads, except Close(), which the caller must not race with other
// calls. WriteBatch is a plain value type (not synchronized).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace ck::storage {

struct Record {
  std::string key;
  std::string value;

  bool operator==(const Record&) const = default;
};

// A set of preconditions and mutations applied all-or-nothing by
// MetadataStore::Apply. Every precondition is evaluated against the state
// before any mutation of this batch; mutations are then applied in the order
// they were added (a later Put/Delete of the same key wins).
class WriteBatch {
 public:
  enum class OpKind { kPut, kDelete, kExpectAbsent, kExpectValue };
  struct Op {
    OpKind kind;
    std::string table;
    std::string key;
    std::string value;  // kPut: new value; kExpectValue: expected bytes
  };

  void Put(std::string table, std::string key, std::string value);
  void Delete(std::string table, std::string key);
  // Precondition: the key does not exist.
  void ExpectAbsent(std::string table, std::string key);
  // Precondition: the key exists and its value is exactly these bytes.
  void ExpectValue(std::string table, std::string key, std::string value);
  // Adds other's preconditions and mutations after this batch's own.
  void Append(const WriteBatch& other);

  const std::vector<Op>& preconditions() const { return preconditions_; }
  const std::vector<Op>& mutations() const { return mutations_; }
  bool empty() const { return preconditions_.empty() && mutations_.empty(); }
  // Bytes of keys and values held (a cheap guard against huge batches).
  size_t ByteSize() const { return byte_size_; }
  void Clear();

 private:
  std::vector<Op> preconditions_;
  std::vector<Op> mutations_;
  size_t byte_size_ = 0;
};

// Which records a Scan returns. Empty strings mean "not set".
//
// Bounds are in the scan direction: for a forward scan start_after/start_at
// are lower bounds; for a reverse scan they are upper bounds (the scan starts
// at or just before them and goes down). This is what paging needs: pass the
// last key of one page as start_after of the next, in either direction.
// Setting both start_after and start_at is InvalidArgument.
struct ScanOptions {
  // The {} initializers keep designated initializers such as
  // {.prefix = "a/", .limit = 100} free of -Wmissing-field-initializers.
  std::string prefix{};       // only keys starting with these bytes
  std::string start_after{};  // exclusive
  std::string start_at{};     // inclusive
  size_t limit = 1000;        // at most this many records; 0 returns none
  bool reverse = false;       // descending key order
};

class MetadataStore {
 public:
  virtual ~MetadataStore() = default;

  // The value, or nullopt when the key does not exist.
  virtual Result<std::optional<std::string>> Get(std::string_view table, std::string_view key) = 0;

  // Applies the batch atomically. A failed precondition returns Code::kAborted
  // (message names the table and key) and changes nothing. When Apply returns
  // OK the batch is durable against a crash of the process (and against power
  // loss when the backend was opened with fsync).
  virtual Status Apply(const WriteBatch& batch) = 0;

  // Records in key byte order (descending if reverse), at most options.limit.
  virtual Result<std::vector<Record>> Scan(std::string_view table, const ScanOptions& options) = 0;

  // Number of keys in the table starting with prefix ("" counts the table).
  virtual Result<uint64_t> Count(std::string_view table, std::string_view prefix) = 0;

  // For logs: "sqlite:/data/meta.db (wal, synchronous=FULL)", "memory".
  virtual std::string Describe() const = 0;

  // Releases resources. Later calls fail with kUnavailable. Idempotent.
  virtual Status Close() = 0;
};

// True for the status Apply returns when a precondition did not hold.
inline bool IsPreconditionFailure(const Status& s) { return s.code() == Code::kAborted; }

// Table names: 1..128 characters of [A-Za-z0-9_.-]. Backends reject others
// with InvalidArgument so that names are safe in logs, SQL and file names.
Status ValidateTableName(std::string_view table);

// For backends: validates every table name in the batch.
Status ValidateBatch(const WriteBatch& batch);
// For backends: the kAborted status for a precondition that did not hold;
// `found` is the current value (nullopt when absent).
Status PreconditionFailed(const WriteBatch::Op& op, const std::optional<std::string>& found);
// For backends: whether a precondition holds given the current value.
bool PreconditionHolds(const WriteBatch::Op& op, const std::optional<std::string>& found);

}  // namespace ck::storage
