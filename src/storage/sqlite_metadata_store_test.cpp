// SQLite-specific behaviour: the file format, migrations, refusing foreign or
// newer databases, and durability of acknowledged writes across kill -9.
#include "storage/sqlite_metadata_store.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <set>
#include <thread>

#include "storage/sqlite_connection.h"
#include "storage/sqlite_migrations.h"
#include "storage/storage_test_util.h"

namespace ck::storage {
namespace {

using sqlite::Migration;
using sqlite::SqliteConnection;

std::unique_ptr<SqliteConnection> Raw(const std::string& path) {
  auto c = SqliteConnection::Open(path, true, 1000);
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return std::move(c).value();
}

int64_t QueryInt(const std::string& path, const std::string& sql) {
  auto c = Raw(path);
  auto v = c->QueryInt(sql);
  EXPECT_TRUE(v.ok()) << v.status().ToString();
  return v.ok() ? *v : -1;
}

class SqliteStoreTest : public ::testing::Test {
 protected:
  std::string db() const { return dir_.path() + "/meta.db"; }
  testing::TempDir dir_;
};

TEST_F(SqliteStoreTest, DescribeAndWalMode) {
  auto s = OpenSqliteMetadataStore(db(), {.fsync = true});
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ((*s)->Describe(), "sqlite:" + db() + " (wal, synchronous=FULL)");
  auto c = Raw(db());
  EXPECT_EQ(*c->QueryString("PRAGMA journal_mode"), "wal");
  auto n = OpenSqliteMetadataStore(dir_.path() + "/other.db", {});
  ASSERT_TRUE(n.ok());
  EXPECT_EQ((*n)->Describe(), "sqlite:" + dir_.path() + "/other.db (wal, synchronous=NORMAL)");
}

TEST_F(SqliteStoreTest, KeysAndValuesAreStoredAsBlobs) {
  auto s = OpenSqliteMetadataStore(db());
  ASSERT_TRUE(s.ok());
  WriteBatch b;
  b.Put("t", "", "");
  b.Put("t", "text-looking", "{\"a\":1}");
  ASSERT_TRUE((*s)->Apply(b).ok());
  auto c = Raw(db());
  EXPECT_EQ(*c->QueryInt("SELECT count(*) FROM kv WHERE typeof(k) = 'blob' AND typeof(v) = 'blob'"),
            2);
}

TEST_F(SqliteStoreTest, ReopenKeepsDataAndSchemaVersion) {
  const int latest = sqlite::MetadataMigrations().back().version;
  {
    auto s = OpenSqliteMetadataStore(db());
    ASSERT_TRUE(s.ok());
    WriteBatch b;
    b.Put("t", "k", "v");
    ASSERT_TRUE((*s)->Apply(b).ok());
    ASSERT_TRUE((*s)->Close().ok());
  }
  EXPECT_EQ(QueryInt(db(), "PRAGMA user_version"), latest);
  EXPECT_EQ(QueryInt(db(), "PRAGMA application_id"), sqlite::kApplicationId);
  auto s = OpenSqliteMetadataStore(db());
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(*(*s)->Get("t", "k"), "v");
  EXPECT_EQ(QueryInt(db(), "PRAGMA user_version"), latest);
}

TEST_F(SqliteStoreTest, RefusesDatabaseFromNewerVersion) {
  ASSERT_TRUE(OpenSqliteMetadataStore(db()).ok());
  const int latest = sqlite::MetadataMigrations().back().version;
  ASSERT_TRUE(Raw(db())->Exec("PRAGMA user_version = " + std::to_string(latest + 1)).ok());
  auto s = OpenSqliteMetadataStore(db());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(s.status().message().find("newer than this crosskey supports"), std::string::npos)
      << s.status().message();
  EXPECT_NE(s.status().message().find(db()), std::string::npos);
}

TEST_F(SqliteStoreTest, RefusesForeignDatabases) {
  std::string foreign = dir_.path() + "/foreign.db";
  ASSERT_TRUE(Raw(foreign)->Exec("CREATE TABLE users (id INTEGER)").ok());
  auto s = OpenSqliteMetadataStore(foreign);
  EXPECT_EQ(s.status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(QueryInt(foreign, "SELECT count(*) FROM sqlite_schema WHERE name = 'kv'"), 0);

  std::string other_app = dir_.path() + "/app.db";
  ASSERT_TRUE(Raw(other_app)->Exec("PRAGMA application_id = 42").ok());
  EXPECT_EQ(OpenSqliteMetadataStore(other_app).status().code(), Code::kFailedPrecondition);

  std::string garbage = dir_.path() + "/garbage.db";
  std::ofstream(garbage) << std::string(8192, 'x');
  EXPECT_FALSE(OpenSqliteMetadataStore(garbage).ok());

  EXPECT_EQ(OpenSqliteMetadataStore(":memory:").status().code(), Code::kInvalidArgument);
  EXPECT_FALSE(OpenSqliteMetadataStore(dir_.path() + "/no/such/dir/x.db").ok());
}

TEST_F(SqliteStoreTest, MigrationsApplyOnlyMissingStepsAtomically) {
  auto c = Raw(db());
  const Migration v2[] = {{1, "CREATE TABLE a (x);"}, {2, "CREATE TABLE b (x);"}};
  auto r = sqlite::Migrate(*c, v2);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, 2);
  EXPECT_EQ(*c->QueryInt("PRAGMA user_version"), 2);

  // Step 3 fails halfway: its first statement must be rolled back too.
  const Migration bad[] = {{1, "CREATE TABLE a (x);"},
                           {2, "CREATE TABLE b (x);"},
                           {3, "CREATE TABLE c (x); INSERT INTO nosuch VALUES (1);"}};
  auto f = sqlite::Migrate(*c, bad);
  ASSERT_FALSE(f.ok());
  EXPECT_NE(f.status().message().find("schema migration 3"), std::string::npos);
  EXPECT_EQ(*c->QueryInt("PRAGMA user_version"), 2);
  EXPECT_EQ(*c->QueryInt("SELECT count(*) FROM sqlite_schema WHERE name = 'c'"), 0);

  // Steps 1 and 2 would fail if re-run (tables exist), so success proves they were skipped.
  const Migration v3[] = {{1, "CREATE TABLE a (x);"},
                          {2, "CREATE TABLE b (x);"},
                          {3, "CREATE TABLE c (x); INSERT INTO c VALUES (1);"}};
  r = sqlite::Migrate(*c, v3);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, 3);
  EXPECT_EQ(*c->QueryInt("SELECT count(*) FROM c"), 1);

  const Migration gap[] = {{1, "SELECT 1;"}, {3, "SELECT 1;"}};
  EXPECT_FALSE(sqlite::Migrate(*Raw(dir_.path() + "/gap.db"), gap).ok());
}

TEST_F(SqliteStoreTest, ManyConcurrentWritersWithFsync) {
  // Group commit: many threads' batches share commits; all must land.
  auto s = OpenSqliteMetadataStore(db(), {.fsync = true});
  ASSERT_TRUE(s.ok());
  MetadataStore& store = **s;
  std::vector<std::thread> threads;
  std::atomic<int> errors{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 40; ++i) {
        WriteBatch b;
        b.Put("w", std::to_string(t) + "/" + std::to_string(i), "v");
        if (!store.Apply(b).ok()) ++errors;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(*store.Count("w", ""), 320u);
  EXPECT_EQ(*store.Count("w", "3/"), 40u);
}

// A child process writes numbered keys and reports each acknowledged Apply
// over a pipe; the parent kills it with SIGKILL mid-stream. Every reported key
// must be in the reopened database and the file must pass integrity_check.
TEST_F(SqliteStoreTest, AcknowledgedWritesSurviveKill9) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::close(fds[0]);
    auto s = OpenSqliteMetadataStore(db(), {.fsync = false});
    if (!s.ok()) ::_exit(2);
    for (uint32_t i = 0;; ++i) {
      WriteBatch b;
      b.Put("crash", std::to_string(i), std::string(200, 'v'));
      b.Put("crash-count", "n", std::to_string(i));
      if (!(*s)->Apply(b).ok()) ::_exit(3);
      if (::write(fds[1], &i, sizeof i) != sizeof i) ::_exit(4);
    }
  }
  ::close(fds[1]);
  uint32_t last = 0;
  uint32_t got = 0;
  while (got < 300 && ::read(fds[0], &last, sizeof last) == sizeof last) ++got;
  ::kill(pid, SIGKILL);
  // Drain what the child acknowledged before it died.
  while (::read(fds[0], &last, sizeof last) == sizeof last) ++got;
  ::close(fds[0]);
  int wstatus = 0;
  ::waitpid(pid, &wstatus, 0);
  ASSERT_TRUE(WIFSIGNALED(wstatus)) << "child exited early: " << WEXITSTATUS(wstatus);
  ASSERT_GE(got, 300u);

  auto s = OpenSqliteMetadataStore(db());
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(*Raw(db())->QueryString("PRAGMA integrity_check"), "ok");
  for (uint32_t i = 0; i < got; ++i) {
    auto v = (*s)->Get("crash", std::to_string(i));
    ASSERT_TRUE(v.ok() && v->has_value()) << "acknowledged key " << i << " lost";
  }
  // Atomicity: the counter matches the number of keys written.
  auto n = (*s)->Get("crash-count", "n");
  ASSERT_TRUE(n.ok() && n->has_value());
  EXPECT_EQ(*(*s)->Count("crash", ""), std::stoull(**n) + 1);
}

}  // namespace
}  // namespace ck::storage
