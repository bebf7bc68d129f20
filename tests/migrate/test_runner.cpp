// The runner and the migration context from C++, without the CLI: offline output for a dialect's
// script syntax, a caller's Engine or Connection (and transaction) handed to upgrade(), Core
// statements through the context, and the database error kept inside a MigrationError.
#include <catch2/catch.hpp>

#include <sstream>

#include <retort/core/ddl/alter_elements.hpp>
#include <retort/core/sql/type_compiler.hpp>
#include <retort/dialects/sqlite/sqlite_dialect.hpp>
#include <retort/migrate/runtime/migration_context.hpp>
#include <retort/retort.hpp>

#include "support/cli_project.hpp"
#include "support/temp_database.hpp"
#include "support/text.hpp"

namespace {

using retort::testing::CliProject;
using retort::testing::contains;
using retort::testing::TempDatabase;
namespace migrate = retort::migrate;

/// A dialect that writes scripts the way SQL Server's tools want them (generic SQL otherwise,
/// quoting and types borrowed from SQLite's dialect); it connects nowhere.
class BatchScriptDialect final : public retort::Dialect {
 public:
  BatchScriptDialect() {
    script_syntax_.begin_transaction = "BEGIN TRANSACTION";
    script_syntax_.batch_separator = "GO";
  }
  std::string name() const override { return "batchscript"; }
  std::string driver_name() const override { return "none"; }
  const retort::IdentifierPreparer& preparer() const override { return sqlite_.preparer(); }
  const retort::TypeCompiler& type_compiler() const override { return sqlite_.type_compiler(); }
  std::unique_ptr<retort::DriverConnection> connect(const retort::URL&) const override {
    throw retort::ArgumentError("batchscript connects nowhere");
  }
  bool has_table(retort::DriverConnection&, const std::string&, const std::optional<std::string>&) const override {
    return false;
  }

 private:
  retort::dialects::sqlite::SQLiteDialect sqlite_;
};

/// Two revisions: a table, then a row in it.
void two_revisions(const CliProject& project) {
  project.write_revision(
      {.id = "a1", .upgrade = "CREATE TABLE t (x INTEGER PRIMARY KEY)", .downgrade = "DROP TABLE t"});
  project.write_revision(
      {.id = "b2", .down_revision = "a1", .upgrade = "INSERT INTO t VALUES (1)", .downgrade = "DELETE FROM t"});
}

migrate::Config config_of(const CliProject& project) { return migrate::Config::load(project.dir() / "retort.toml"); }

}  // namespace

TEST_CASE("migration context: offline statements use the dialect's transaction words and batch separator",
          "[migrate][runtime]") {
  BatchScriptDialect dialect;
  std::ostringstream out;
  migrate::MigrationContext context(dialect, out, {});
  REQUIRE(context.as_sql());
  context.begin_run();
  context.begin_revision("a1", true);
  context.execute("CREATE TABLE t (x INTEGER)");
  context.execute(retort::AddColumn({"t"}, retort::Column("y", retort::Integer{})));
  context.record({{migrate::VersionChange::Kind::Insert, {}, "a1"}});
  context.end_revision();
  context.end_run();
  CHECK(out.str() ==
        "BEGIN TRANSACTION;\n\n"
        "CREATE TABLE t (x INTEGER);\n\nGO\n\n"
        "ALTER TABLE t ADD COLUMN y INTEGER;\n\nGO\n\n"
        "INSERT INTO retort_version (version_num) VALUES ('a1');\n\nGO\n\n"
        "COMMIT;\n\n");
  // Offline there is no connection to hand out.
  CHECK_THROWS_AS(context.connection(), migrate::CommandError);
}

TEST_CASE("migration context: a run-wide transaction offline is one BEGIN and one COMMIT", "[migrate][runtime]") {
  BatchScriptDialect dialect;
  std::ostringstream out;
  migrate::MigrationContext context(dialect, out, {.transaction_per_migration = false});
  context.begin_run();
  for (const char* id : {"a1", "b2"}) {
    context.begin_revision(id, true);
    context.execute(std::string("SELECT '") + id + "'");
    context.end_revision();
  }
  context.end_run();
  CHECK(out.str() == "BEGIN TRANSACTION;\n\nSELECT 'a1';\n\nGO\n\nSELECT 'b2';\n\nGO\n\nCOMMIT;\n\n");
}

TEST_CASE("runner: upgrade() runs on the application's own Engine", "[migrate][runtime][sqlite]") {
  CliProject project;
  two_revisions(project);
  TempDatabase db;
  auto engine = retort::create_engine(db.url());
  migrate::CommandOptions options;
  options.engine = engine;
  CHECK(migrate::upgrade(config_of(project), "head", options) == std::vector<std::string>{"a1", "b2"});
  CHECK(migrate::current(config_of(project), options) == std::vector<std::string>{"b2"});
  auto conn = engine.connect();
  CHECK(conn.exec_driver_sql("SELECT count(*) FROM t").scalar<std::int64_t>() == 1);
}

TEST_CASE("runner: inside the caller's transaction the run commits nothing itself", "[migrate][runtime][sqlite]") {
  CliProject project;
  two_revisions(project);
  TempDatabase db;
  auto engine = retort::create_engine(db.url());
  auto conn = engine.connect();
  migrate::CommandOptions options;
  options.connection = &conn;
  {
    auto tx = conn.begin();
    CHECK(migrate::upgrade(config_of(project), "head", options).size() == 2);
    CHECK(conn.exec_driver_sql("SELECT count(*) FROM t").scalar<std::int64_t>() == 1);
    tx.rollback();  // the caller changes its mind: nothing of the run remains
  }
  CHECK(migrate::current(config_of(project), options).empty());
  {
    auto tx = conn.begin();
    migrate::upgrade(config_of(project), "a1", options);
    tx.commit();
  }
  CHECK(migrate::current(config_of(project), options) == std::vector<std::string>{"a1"});
  // Outside a transaction the same connection runs the rest as usual, each revision committed.
  CHECK(migrate::upgrade(config_of(project), "head", options) == std::vector<std::string>{"b2"});
  CHECK_FALSE(conn.in_transaction());
  auto other = engine.connect();
  CHECK(other.exec_driver_sql("SELECT version_num FROM retort_version").scalar<std::string>() == "b2");
}

TEST_CASE("runner: a failing statement's MigrationError keeps the database error", "[migrate][runtime][sqlite]") {
  CliProject project;
  project.write_revision({.id = "a1",
                          .upgrade = "CREATE TABLE t (x INTEGER PRIMARY KEY);\nINSERT INTO t VALUES (1);\n"
                                     "INSERT INTO t VALUES (1)",
                          .downgrade = "DROP TABLE t"});
  TempDatabase db;
  migrate::CommandOptions options;
  options.url = db.url();
  try {
    migrate::upgrade(config_of(project), "head", options);
    FAIL("expected a MigrationError");
  } catch (const migrate::MigrationError& e) {
    CHECK(contains(e.what(), "a1.sql:"));
    CHECK(contains(e.what(), "revision a1"));
    CHECK(contains(e.what(), "INSERT INTO t VALUES (1)"));
    CHECK_THROWS_AS(std::rethrow_if_nested(e), retort::IntegrityError);
  }
  // Rolled back whole: no table, no version row.
  auto engine = retort::create_engine(db.url());
  auto conn = engine.connect();
  CHECK_FALSE(engine.dialect().has_table(conn.driver_connection(), "t", std::nullopt));
  CHECK(migrate::current(config_of(project), options).empty());
}

namespace {

/// Whether `sql` reads the version table itself (not retort_version_history).
bool reads_version_table(std::string_view sql) {
  return sql.starts_with("SELECT") &&
         (sql.ends_with("FROM retort_version") || contains(std::string(sql), "FROM retort_version "));
}

/// Three revisions, one table each.
void three_tables(const CliProject& project) {
  project.write_revision({.id = "a1", .upgrade = "CREATE TABLE t1 (x INTEGER)", .downgrade = "DROP TABLE t1"});
  project.write_revision(
      {.id = "b2", .down_revision = "a1", .upgrade = "CREATE TABLE t2 (x INTEGER)", .downgrade = "DROP TABLE t2"});
  project.write_revision(
      {.id = "c3", .down_revision = "b2", .upgrade = "CREATE TABLE t3 (x INTEGER)", .downgrade = "DROP TABLE t3"});
}

}  // namespace

TEST_CASE("runner: on SQLite another run that migrates between two revisions is noticed and its work skipped",
          "[migrate][runtime][sqlite]") {
  // SQLite commits each revision by ending the lock's transaction and taking it again. In that
  // gap, a second run (another connection) applies the rest; this run must notice (PRAGMA
  // data_version changed) and not apply b2 and c3 a second time.
  CliProject project;
  three_tables(project);
  TempDatabase db;
  auto engine = retort::create_engine(db.url());
  std::vector<std::string> other_run;
  bool other_ran = false;
  engine.events().after_execute([&](const retort::StatementEvent& e) {
    if (e.sql != "COMMIT" || other_ran) return;
    other_ran = true;
    migrate::CommandOptions other;
    other.url = db.url();
    other_run = migrate::upgrade(config_of(project), "head", other);
  });
  std::ostringstream log;
  migrate::CommandOptions options;
  options.engine = engine;
  options.log = &log;
  CHECK(migrate::upgrade(config_of(project), "head", options) == std::vector<std::string>{"a1"});
  CHECK(other_run == std::vector<std::string>{"b2", "c3"});
  CHECK(contains(log.str(), "Another run migrated the database meanwhile (now at c3); going on from there"));
  auto conn = retort::create_engine(db.url()).connect();
  CHECK(conn.exec_driver_sql("SELECT group_concat(version_num) FROM retort_version").scalar<std::string>() == "c3");
  // Each revision ran once: one upgrade row each in the history table.
  CHECK(conn.exec_driver_sql("SELECT group_concat(revision) FROM (SELECT revision FROM retort_version_history "
                             "WHERE action = 'upgrade' ORDER BY revision)")
            .scalar<std::string>() == "a1,b2,c3");
}

TEST_CASE("runner: on SQLite a run alone reads the version table once however many revisions it commits",
          "[migrate][runtime][sqlite]") {
  // Nobody else wrote between two revisions (data_version unchanged): no re-read per revision.
  CliProject project;
  three_tables(project);
  TempDatabase db;
  auto engine = retort::create_engine(db.url());
  int version_reads = 0, commits = 0;
  engine.events().before_execute([&](const retort::StatementEvent& e) {
    if (reads_version_table(e.sql)) ++version_reads;
    if (e.sql == "COMMIT") ++commits;
  });
  migrate::CommandOptions options;
  options.engine = engine;
  migrate::ensure_version(config_of(project), options);  // so that the run's first read is a SELECT
  version_reads = commits = 0;
  CHECK(migrate::upgrade(config_of(project), "head", options).size() == 3);
  CHECK(commits >= 3);  // each revision committed on its own
  CHECK(version_reads == 1);
}

TEST_CASE(
    "runner: on SQLite another connection's commit between two revisions makes the run read the version "
    "table again",
    "[migrate][runtime][sqlite]") {
  // Another writer (not a migration) commits in the gap after a1: data_version changes, the run
  // reads the version table again, finds it as it left it, and goes on.
  CliProject project;
  three_tables(project);
  TempDatabase db;
  auto engine = retort::create_engine(db.url());
  migrate::CommandOptions options;
  options.engine = engine;
  migrate::ensure_version(config_of(project), options);
  int version_reads = 0;
  bool wrote = false;
  auto other = retort::create_engine(db.url()).connect();
  other.exec_driver_sql("CREATE TABLE unrelated (x INTEGER)");
  engine.events().before_execute([&](const retort::StatementEvent& e) {
    if (reads_version_table(e.sql)) ++version_reads;
  });
  engine.events().after_execute([&](const retort::StatementEvent& e) {
    if (e.sql != "COMMIT" || wrote) return;
    wrote = true;
    other.exec_driver_sql("INSERT INTO unrelated VALUES (1)");
  });
  CHECK(migrate::upgrade(config_of(project), "head", options).size() == 3);
  CHECK(wrote);
  CHECK(version_reads == 2);  // at the start, and once after the other connection's commit
  CHECK(migrate::current(config_of(project), options) == std::vector<std::string>{"c3"});
}

TEST_CASE("runner: on SQLite the caller's connection gets its own busy timeout back after a run",
          "[migrate][runtime][sqlite]") {
  // The run waits for the lock up to lock_timeout through the busy timeout, for all its revisions.
  CliProject project;
  three_tables(project);
  project.write_revision({.id = "d4", .down_revision = "c3", .upgrade = "CREATE TABLE t1 (x INTEGER)"});  // fails
  TempDatabase db;
  auto engine = retort::create_engine(db.url("?busy_timeout=300"));
  auto conn = engine.connect();
  REQUIRE(conn.exec_driver_sql("PRAGMA busy_timeout").scalar<std::int64_t>() == 300);
  migrate::CommandOptions options;
  options.connection = &conn;
  CHECK(migrate::upgrade(config_of(project), "c3", options).size() == 3);
  CHECK(conn.exec_driver_sql("PRAGMA busy_timeout").scalar<std::int64_t>() == 300);
  CHECK_THROWS_AS(migrate::upgrade(config_of(project), "head", options), migrate::MigrationError);
  CHECK(conn.exec_driver_sql("PRAGMA busy_timeout").scalar<std::int64_t>() == 300);
  CHECK(migrate::current(config_of(project), options) == std::vector<std::string>{"c3"});
}

TEST_CASE("runner: on SQLite a revision that fails part-way leaves nothing behind and the ones before it stay",
          "[migrate][runtime][sqlite]") {
  // After the first revision each one runs in the lock's own transaction (no savepoint): a failure
  // rolls that transaction back whole.
  CliProject project;
  three_tables(project);
  project.write_revision(
      {.id = "d4",
       .down_revision = "c3",
       .upgrade = "CREATE TABLE t4 (x INTEGER);\nINSERT INTO t4 VALUES (1);\nINSERT INTO t9 VALUES (1)",
       .downgrade = "DROP TABLE t4"});
  TempDatabase db;
  auto engine = retort::create_engine(db.url());
  int savepoints = 0;
  engine.events().before_execute([&](const retort::StatementEvent& e) {
    if (e.sql.starts_with("SAVEPOINT")) ++savepoints;
  });
  migrate::CommandOptions options;
  options.engine = engine;
  CHECK_THROWS_AS(migrate::upgrade(config_of(project), "head", options), migrate::MigrationError);
  CHECK(savepoints == 1);  // the first revision's: its transaction also created the version table
  auto conn = retort::create_engine(db.url()).connect();
  CHECK(migrate::current(config_of(project), options) == std::vector<std::string>{"c3"});
  CHECK_FALSE(engine.dialect().has_table(conn.driver_connection(), "t4", std::nullopt));
  CHECK(conn.exec_driver_sql("SELECT count(*) FROM retort_version_history").scalar<std::int64_t>() == 3);
  // The lock went with the failed run: the next one takes it and applies d4 once fixed.
  project.write_revision({.id = "d4",
                          .down_revision = "c3",
                          .upgrade = "CREATE TABLE t4 (x INTEGER);\nINSERT INTO t4 VALUES (1)",
                          .downgrade = "DROP TABLE t4"});
  CHECK(migrate::upgrade(config_of(project), "head", options) == std::vector<std::string>{"d4"});
  CHECK(conn.exec_driver_sql("SELECT count(*) FROM t4").scalar<std::int64_t>() == 1);
}
