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
