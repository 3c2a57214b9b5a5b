#include "storage/sqlite_metadata_store.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <limits>
#include <mutex>

#include "storage/scan_range.h"
#include "storage/sqlite_connection.h"
#include "storage/sqlite_migrations.h"

namespace ck::storage {
namespace {

using sqlite::SqliteConnection;
using sqlite::Stmt;

constexpr char kGetSql[] = "SELECT v FROM kv WHERE tbl = ?1 AND k = ?2";
constexpr char kPutSql[] =
    "INSERT INTO kv (tbl, k, v) VALUES (?1, ?2, ?3) "
    "ON CONFLICT (tbl, k) DO UPDATE SET v = excluded.v";
constexpr char kDeleteSql[] = "DELETE FROM kv WHERE tbl = ?1 AND k = ?2";

// The WHERE clause for a key range; parameters ?1 table, ?2 lower, ?3 upper.
std::string RangeSql(const KeyRange& r) {
  std::string sql = "tbl = ?1";
  if (r.lower) sql += r.lower->inclusive ? " AND k >= ?2" : " AND k > ?2";
  if (r.upper) sql += r.upper->inclusive ? " AND k <= ?3" : " AND k < ?3";
  return sql;
}

void BindRange(Stmt& st, std::string_view table, const KeyRange& r) {
  st.BindText(1, table);
  if (r.lower) st.BindBlob(2, r.lower->key);
  if (r.upper) st.BindBlob(3, r.upper->key);
}

Result<std::optional<std::string>> GetOn(SqliteConnection& c, std::string_view table,
                                         std::string_view key) {
  CK_ASSIGN_OR_RETURN(Stmt st, c.Prepare(kGetSql));
  st.BindText(1, table);
  st.BindBlob(2, key);
  int rc = st.Step();
  if (rc == SQLITE_ROW) return std::optional<std::string>(st.ColumnBytes(0));
  if (rc == SQLITE_DONE) return std::optional<std::string>();
  return c.Error(rc, "get");
}

// A write waiting in the queue; the group leader fills in status and done.
struct PendingWrite {
  const WriteBatch* batch;
  Status status;
  bool done = false;
  std::condition_variable cv;
};

class SqliteMetadataStore final : public MetadataStore {
 public:
  SqliteMetadataStore(std::string path, SqliteOptions options,
                      std::unique_ptr<SqliteConnection> writer)
      : path_(std::move(path)), options_(options), writer_(std::move(writer)) {}

  ~SqliteMetadataStore() override { (void)Close(); }

  Result<std::optional<std::string>> Get(std::string_view table, std::string_view key) override {
    CK_RETURN_IF_ERROR(ValidateTableName(table));
    CK_ASSIGN_OR_RETURN(ReaderLease lease, AcquireReader());
    return GetOn(*lease.conn, table, key);
  }

  Status Apply(const WriteBatch& batch) override;

  Result<std::vector<Record>> Scan(std::string_view table, const ScanOptions& options) override {
    CK_RETURN_IF_ERROR(ValidateTableName(table));
    CK_ASSIGN_OR_RETURN(KeyRange range, ResolveScanRange(options));
    std::vector<Record> out;
    if (range.empty || options.limit == 0) return out;
    CK_ASSIGN_OR_RETURN(ReaderLease lease, AcquireReader());
    std::string sql = "SELECT k, v FROM kv WHERE " + RangeSql(range) + " ORDER BY k " +
                      (options.reverse ? "DESC" : "ASC") + " LIMIT ?4";
    CK_ASSIGN_OR_RETURN(Stmt st, lease.conn->Prepare(sql));
    BindRange(st, table, range);
    constexpr auto kMax = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
    st.BindInt64(4, static_cast<int64_t>(std::min<uint64_t>(options.limit, kMax)));
    int rc;
    while ((rc = st.Step()) == SQLITE_ROW) {
      out.push_back(Record{st.ColumnBytes(0), st.ColumnBytes(1)});
    }
    if (rc != SQLITE_DONE) return lease.conn->Error(rc, "scan");
    return out;
  }

  Result<uint64_t> Count(std::string_view table, std::string_view prefix) override {
    CK_RETURN_IF_ERROR(ValidateTableName(table));
    KeyRange range = PrefixRange(prefix);
    CK_ASSIGN_OR_RETURN(ReaderLease lease, AcquireReader());
    CK_ASSIGN_OR_RETURN(Stmt st, lease.conn->Prepare("SELECT count(*) FROM kv WHERE " +
                                                     RangeSql(range)));
    BindRange(st, table, range);
    int rc = st.Step();
    if (rc != SQLITE_ROW) return lease.conn->Error(rc, "count");
    return static_cast<uint64_t>(st.ColumnInt64(0));
  }

  std::string Describe() const override {
    return "sqlite:" + path_ + (options_.fsync ? " (wal, synchronous=FULL)"
                                               : " (wal, synchronous=NORMAL)");
  }

  Status Close() override {
    closed_.store(true);
    std::vector<std::unique_ptr<SqliteConnection>> readers;
    {
      std::lock_guard lock(pool_mu_);
      readers.swap(idle_readers_);
    }
    readers.clear();
    std::lock_guard lock(queue_mu_);
    writer_.reset();  // the last connection to close checkpoints the WAL
    return Status::Ok();
  }

 private:
  // A read connection borrowed from the pool, returned on destruction.
  struct ReaderLease {
    SqliteMetadataStore* store;
    std::unique_ptr<SqliteConnection> conn;
    ReaderLease(SqliteMetadataStore* s, std::unique_ptr<SqliteConnection> c)
        : store(s), conn(std::move(c)) {}
    ReaderLease(ReaderLease&& o) noexcept : store(o.store), conn(std::move(o.conn)) {}
    ~ReaderLease() {
      if (conn) store->ReleaseReader(std::move(conn));
    }
  };

  Status CheckOpen() const {
    if (closed_.load()) return Status(Code::kUnavailable, "metadata store is closed");
    return Status::Ok();
  }

  Result<ReaderLease> AcquireReader() {
    CK_RETURN_IF_ERROR(CheckOpen());
    {
      std::lock_guard lock(pool_mu_);
      if (!idle_readers_.empty()) {
        auto c = std::move(idle_readers_.back());
        idle_readers_.pop_back();
        return ReaderLease(this, std::move(c));
      }
    }
    CK_ASSIGN_OR_RETURN(auto c, SqliteConnection::Open(path_, false, options_.busy_timeout_ms));
    // Guards against a bug turning a read path into a write.
    CK_RETURN_IF_ERROR(c->Exec("PRAGMA query_only = 1"));
    return ReaderLease(this, std::move(c));
  }

  void ReleaseReader(std::unique_ptr<SqliteConnection> c) {
    {
      std::lock_guard lock(pool_mu_);
      if (!closed_.load() && idle_readers_.size() < options_.max_idle_readers) {
        idle_readers_.push_back(std::move(c));
        return;
      }
    }
    c.reset();  // closed outside the lock
  }

  // Applies one batch inside the open write transaction. kAborted when a
  // precondition fails (nothing of this batch was written); any other error
  // leaves the transaction in an unknown state and must roll it back.
  Status ApplyInTransaction(const WriteBatch& batch) {
    for (const auto& op : batch.preconditions()) {
      CK_ASSIGN_OR_RETURN(auto found, GetOn(*writer_, op.table, op.key));
      if (!PreconditionHolds(op, found)) return PreconditionFailed(op, found);
    }
    for (const auto& op : batch.mutations()) {
      bool put = op.kind == WriteBatch::OpKind::kPut;
      CK_ASSIGN_OR_RETURN(Stmt st, writer_->Prepare(put ? kPutSql : kDeleteSql));
      st.BindText(1, op.table);
      st.BindBlob(2, op.key);
      if (put) st.BindBlob(3, op.value);
      int rc = st.Step();
      if (rc != SQLITE_DONE) return writer_->Error(rc, put ? "put" : "delete");
    }
    return Status::Ok();
  }

  // Runs one transaction for the group; sets every member's status.
  void CommitGroup(const std::vector<PendingWrite*>& group);

  const std::string path_;
  const SqliteOptions options_;
  std::atomic<bool> closed_{false};

  std::mutex pool_mu_;
  std::vector<std::unique_ptr<SqliteConnection>> idle_readers_;

  // Guards the queue. writer_ is used only by the queue head (the leader),
  // never concurrently, and the leader does not hold queue_mu_ while writing.
  std::mutex queue_mu_;
  std::deque<PendingWrite*> queue_;
  std::unique_ptr<SqliteConnection> writer_;
};

Status SqliteMetadataStore::Apply(const WriteBatch& batch) {
  CK_RETURN_IF_ERROR(ValidateBatch(batch));
  CK_RETURN_IF_ERROR(CheckOpen());
  if (batch.empty()) return Status::Ok();
  PendingWrite w;
  w.batch = &batch;
  std::unique_lock lock(queue_mu_);
  queue_.push_back(&w);
  while (!w.done && queue_.front() != &w) w.cv.wait(lock);
  if (w.done) return w.status;

  // Leader: take the batches queued behind us, bounded so latency stays low.
  std::vector<PendingWrite*> group;
  size_t bytes = 0;
  for (PendingWrite* p : queue_) {
    if (!group.empty() && (group.size() >= options_.max_group_batches ||
                           bytes + p->batch->ByteSize() > options_.max_group_bytes)) {
      break;
    }
    group.push_back(p);
    bytes += p->batch->ByteSize();
  }
  lock.unlock();
  if (writer_ == nullptr) {
    for (PendingWrite* p : group) p->status = Status(Code::kUnavailable, "metadata store is closed");
  } else {
    CommitGroup(group);
  }
  lock.lock();
  for (size_t i = 0; i < group.size(); ++i) {
    PendingWrite* p = queue_.front();
    queue_.pop_front();
    p->done = true;
    if (p != &w) p->cv.notify_one();
  }
  if (!queue_.empty()) queue_.front()->cv.notify_one();
  return w.status;
}

void SqliteMetadataStore::CommitGroup(const std::vector<PendingWrite*>& group) {
  auto fail_all = [&](const Status& s) {
    for (PendingWrite* p : group) p->status = s;
  };
  Status s = writer_->Exec("BEGIN IMMEDIATE");
  if (!s.ok()) return fail_all(s);
  for (PendingWrite* p : group) {
    p->status = ApplyInTransaction(*p->batch);
    if (!p->status.ok() && !IsPreconditionFailure(p->status)) {
      // Nothing of the group is committed, so every member learns the error.
      Status err = p->status;
      (void)writer_->Exec("ROLLBACK");
      return fail_all(err);
    }
  }
  s = writer_->Exec("COMMIT");
  if (!s.ok()) {
    (void)writer_->Exec("ROLLBACK");
    return fail_all(s);
  }
}

}  // namespace

Result<std::unique_ptr<MetadataStore>> OpenSqliteMetadataStore(const std::string& path,
                                                               const SqliteOptions& options) {
  if (path.empty() || path == ":memory:" || path.rfind("file:", 0) == 0) {
    return InvalidArgument("sqlite metadata store needs a file path, got '" + path + "'");
  }
  CK_ASSIGN_OR_RETURN(auto writer, SqliteConnection::Open(path, true, options.busy_timeout_ms));
  CK_ASSIGN_OR_RETURN(auto mode, writer->QueryString("PRAGMA journal_mode = WAL"));
  if (!mode || *mode != "wal") {
    return FailedPrecondition("could not put " + path + " in WAL mode (journal_mode=" +
                              mode.value_or("?") + ")");
  }
  CK_RETURN_IF_ERROR(
      writer->Exec(options.fsync ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL"));
  // After a checkpoint the WAL is truncated back to this size rather than
  // keeping its high-water mark on disk.
  CK_RETURN_IF_ERROR(writer->Exec("PRAGMA journal_size_limit = 67108864"));
  auto migrated = sqlite::Migrate(*writer, sqlite::MetadataMigrations());
  if (!migrated.ok()) {
    const Status& s = migrated.status();
    return Status(s.code(), path + ": " + s.message());
  }
  return std::unique_ptr<MetadataStore>(
      std::make_unique<SqliteMetadataStore>(path, options, std::move(writer)));
}

}  // namespace ck::storage
