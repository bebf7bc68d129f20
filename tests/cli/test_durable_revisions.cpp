// One transaction per migration means a finished revision stays, also on SQLite, where the
// migration lock is the run's write transaction (issue 10, item 15): a run killed with SIGKILL in
// its third revision keeps the first two, and the rerun goes on from there. With
// transaction_per_migration = false the run is one transaction and keeps nothing.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "support/cli_database.hpp"
#include "support/cli_project.hpp"
#include "support/text.hpp"

using namespace retort::testing;
using Rows = std::vector<std::string>;

namespace {

using retort::testing::contains;

const std::string r1 = "d0ab00000001", r2 = "d0ab00000002", r3 = "d0ab00000003";

// Seconds of work in SQLite itself: long enough to be killed in the middle of.
const std::string kSlowStatement =
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 400000000) SELECT count(*) FROM c";

/// Starts `retort upgrade head` in the background, waits until it says that it runs r3, kills
/// it with SIGKILL inside r3's slow statement, and returns the version rows another connection
/// saw just before the kill.
std::string kill_during_third_revision(const CliProject& project, const CliDatabase& db) {
  std::string read = "sqlite3 '" + db.url().substr(std::string("sqlite:///").size()) +
                     "' 'SELECT version_num FROM retort_version' 2>/dev/null";
  auto r = project.shell("'" + retort_binary() +
                         "' upgrade head > run.log 2>&1 & pid=$!\n"
                         "for i in $(seq 1 400); do\n"
                         "  grep -q -- '-> " +
                         r3 +
                         "' run.log && break\n"
                         "  sleep 0.05\n"
                         "done\n"
                         "sleep 0.3\n"  // well inside r3's statement
                         "seen=$(" +
                         read +
                         ")\n"
                         "kill -9 $pid; wait $pid 2>/dev/null\n"
                         "echo \"seen=$seen\"");
  return r.output;
}

void write_chain(const CliProject& project) {
  project.write_revision({.id = r1, .upgrade = "CREATE TABLE t1 (id INTEGER)", .downgrade = "DROP TABLE t1"});
  project.write_revision(
      {.id = r2, .down_revision = r1, .upgrade = "CREATE TABLE t2 (id INTEGER)", .downgrade = "DROP TABLE t2"});
  project.write_revision({.id = r3,
                          .down_revision = r2,
                          .upgrade = "CREATE TABLE t3 (id INTEGER);\n" + kSlowStatement,
                          .downgrade = "DROP TABLE t3"});
}

}  // namespace

TEST_CASE("cli: a SQLite run killed in its third revision keeps the first two", "[cli][sqlite]") {
  CliProject project;
  auto db = CliDatabase::create(Backend::sqlite, project.root());
  REQUIRE(db);
  project.set_url(db->url());
  write_chain(project);

  auto seen = kill_during_third_revision(project, *db);
  INFO(seen << project.read_file(project.dir() / "run.log"));
  REQUIRE(contains(seen, "seen=" + r2));
  CHECK(db->version_rows() == Rows{r2});
  CHECK(db->has_table("t1"));
  CHECK(db->has_table("t2"));
  CHECK_FALSE(db->has_table("t3"));

  // The rerun runs only the third revision (now quick).
  project.write_revision(
      {.id = r3, .down_revision = r2, .upgrade = "CREATE TABLE t3 (id INTEGER)", .downgrade = "DROP TABLE t3"});
  auto rerun = project.ok("upgrade head");
  CHECK_FALSE(contains(rerun, "-> " + r1));
  CHECK_FALSE(contains(rerun, "-> " + r2 + ","));
  CHECK(contains(rerun, r2 + " -> " + r3));
  CHECK(db->version_rows() == Rows{r3});
}

TEST_CASE("cli: with transaction_per_migration = false a killed SQLite run keeps nothing", "[cli][sqlite]") {
  CliProject project;
  auto db = CliDatabase::create(Backend::sqlite, project.root());
  REQUIRE(db);
  project.set_url(db->url());
  auto toml = project.read_file(project.dir() / "retort.toml");
  auto at = toml.find("transaction_per_migration = true");
  REQUIRE(at != std::string::npos);
  toml.replace(at, std::string("transaction_per_migration = true").size(), "transaction_per_migration = false");
  project.write_file(project.dir() / "retort.toml", toml);
  write_chain(project);

  // The version table never shows r2 to another connection.
  auto seen = kill_during_third_revision(project, *db);
  INFO(seen);
  CHECK_FALSE(contains(seen, "seen=" + r2));
  CHECK(db->version_rows().empty());
  CHECK_FALSE(db->has_table("t1"));
}
