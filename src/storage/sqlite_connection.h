// SqliteConnection: one sqlite3 handle with a cache of prepared statements and
// helpers that turn SQLite result codes into ck::Status. Internal to the
// SQLite backend (and its tests).
//
// Thread safety: none. A connection is used by one thread at a time; the
// backend hands connections out from a pool or behind the writer mutex.
#pragma once

#include <sqlite3.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/status.h"

namespace ck::storage::sqlite {

// Status for a failed SQLite call on db (or the code alone when db is null).
Status SqliteError(sqlite3* db, int rc, std::string_view what);

// A prepared statement borrowed from the cache. Resetting it on destruction
// matters: a statement left mid-step holds its read transaction open, which
// pins an old snapshot and blocks WAL checkpoints.
class Stmt {
 public:
  explicit Stmt(sqlite3_stmt* s) : s_(s) {}
  ~Stmt() {
    if (s_ == nullptr) return;
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }
  Stmt(Stmt&& o) noexcept : s_(o.s_) { o.s_ = nullptr; }
  Stmt& operator=(Stmt&&) = delete;
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  // Binds bytes as a BLOB (never NULL, even when empty) so that comparisons
  // and ordering are memcmp.
  void BindBlob(int i, std::string_view b);
  void BindText(int i, std::string_view t);
  void BindInt64(int i, int64_t v);
  // SQLITE_ROW, SQLITE_DONE or an error code.
  int Step() { return sqlite3_step(s_); }
  std::string ColumnBytes(int i);
  int64_t ColumnInt64(int i) { return sqlite3_column_int64(s_, i); }
  sqlite3_stmt* get() { return s_; }

 private:
  sqlite3_stmt* s_;
};

class SqliteConnection {
 public:
  // Opens (creating when `create`) the database file with a busy timeout.
  static Result<std::unique_ptr<SqliteConnection>> Open(const std::string& path, bool create,
                                                        int busy_timeout_ms);
  ~SqliteConnection();
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  // Runs SQL with no results (may hold several statements).
  Status Exec(std::string_view sql);
  // Runs a single-value query such as "PRAGMA user_version".
  Result<std::optional<std::string>> QueryString(const std::string& sql);
  Result<int64_t> QueryInt(const std::string& sql);
  // A cached prepared statement for this exact SQL text.
  Result<Stmt> Prepare(const std::string& sql);
  Status Error(int rc, std::string_view what) { return SqliteError(db_, rc, what); }
  sqlite3* raw() { return db_; }

 private:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

}  // namespace ck::storage::sqlite
