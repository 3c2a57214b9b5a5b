#include "storage/sqlite_connection.h"

#include <cstdlib>

namespace ck::storage::sqlite {

Status SqliteError(sqlite3* db, int rc, std::string_view what) {
  std::string msg(what);
  msg += ": ";
  msg += db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  msg += " (sqlite code " + std::to_string(db ? sqlite3_extended_errcode(db) : rc) + ")";
  switch (rc & 0xFF) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Status(Code::kUnavailable, std::move(msg));
    case SQLITE_FULL:
      return Status(Code::kResourceExhausted, std::move(msg));
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return DataLoss(std::move(msg));
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_READONLY:
      return Status(Code::kUnavailable, std::move(msg));
    default:
      return Internal(std::move(msg));
  }
}

void Stmt::BindBlob(int i, std::string_view b) {
  // A null pointer would bind SQL NULL; "" keeps an empty key a zero-length BLOB.
  sqlite3_bind_blob64(s_, i, b.empty() ? "" : b.data(), b.size(), SQLITE_STATIC);
}

void Stmt::BindText(int i, std::string_view t) {
  sqlite3_bind_text64(s_, i, t.empty() ? "" : t.data(), t.size(), SQLITE_STATIC, SQLITE_UTF8);
}

void Stmt::BindInt64(int i, int64_t v) { sqlite3_bind_int64(s_, i, v); }

std::string Stmt::ColumnBytes(int i) {
  const void* p = sqlite3_column_blob(s_, i);
  int n = sqlite3_column_bytes(s_, i);
  if (p == nullptr || n <= 0) return std::string();
  return std::string(static_cast<const char*>(p), static_cast<size_t>(n));
}

Result<std::unique_ptr<SqliteConnection>> SqliteConnection::Open(const std::string& path,
                                                                 bool create,
                                                                 int busy_timeout_ms) {
  sqlite3* db = nullptr;
  // NOMUTEX: each connection is confined to one thread at a time by the
  // backend, so SQLite's per-connection mutex would be pure overhead.
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    Status s = SqliteError(db, rc, "open " + path);
    sqlite3_close(db);
    return s;
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, busy_timeout_ms);
  return std::unique_ptr<SqliteConnection>(new SqliteConnection(db));
}

SqliteConnection::~SqliteConnection() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  sqlite3_close(db_);
}

Status SqliteConnection::Exec(std::string_view sql) {
  std::string text(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    sqlite3_free(err);
    return Error(rc, "exec");
  }
  return Status::Ok();
}

Result<std::optional<std::string>> SqliteConnection::QueryString(const std::string& sql) {
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.c_str(), -1, &raw, nullptr);
  if (rc != SQLITE_OK) return Error(rc, "prepare " + sql);
  rc = sqlite3_step(raw);
  std::optional<std::string> out;
  if (rc == SQLITE_ROW) {
    const unsigned char* t = sqlite3_column_text(raw, 0);
    if (t) out = std::string(reinterpret_cast<const char*>(t));
    rc = SQLITE_DONE;
  }
  Status s = rc == SQLITE_DONE ? Status::Ok() : Error(rc, sql);
  sqlite3_finalize(raw);
  if (!s.ok()) return s;
  return out;
}

Result<int64_t> SqliteConnection::QueryInt(const std::string& sql) {
  CK_ASSIGN_OR_RETURN(auto v, QueryString(sql));
  if (!v) return Internal("no result for " + sql);
  char* end = nullptr;
  long long n = std::strtoll(v->c_str(), &end, 10);
  if (end == v->c_str() || *end != '\0') return Internal("not an integer from " + sql);
  return static_cast<int64_t>(n);
}

Result<Stmt> SqliteConnection::Prepare(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end()) return Stmt(it->second);
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
  if (rc != SQLITE_OK) return Error(rc, "prepare " + sql);
  cache_.emplace(sql, raw);
  return Stmt(raw);
}

}  // namespace ck::storage::sqlite
