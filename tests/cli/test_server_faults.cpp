// Faults on the real servers (issue 10, item 19): the connection of a run is killed in the middle
// of a revision (pg_terminate_backend on PostgreSQL, KILL on MariaDB). The run fails with a clear
// message; PostgreSQL keeps nothing of the revision (transactional DDL) and MariaDB keeps the
// statements that ran, recorded, so the rerun resumes after them; and the migration lock, a
// session lock on both, goes with the dead session, so the rerun does not wait for it.
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

const std::string r1 = "fa0700000001", r2 = "fa0700000002";

/// Starts `retort upgrade head` in the background, waits until it runs r2, kills its database
/// session with `kill_command` (a shell command line), and returns the run's output and exit
/// status.
std::string kill_session_during_r2(const CliProject& project, const std::string& kill_command) {
  auto r = project.shell("'" + retort_binary() +
                         "' upgrade head > run.log 2>&1 & pid=$!\n"
                         "for i in $(seq 1 200); do grep -q -- '-> " +
                         r2 +
                         "' run.log && break; sleep 0.05; done\n"
                         "sleep 0.5\n" +
                         kill_command +
                         " > /dev/null\n"
                         "wait $pid; echo \"exit $?\" >> run.log; cat run.log");
  return r.output;
}

void write_revisions(const CliProject& project, const std::string& sleep_sql) {
  project.write_revision({.id = r1, .upgrade = "CREATE TABLE t1 (id INTEGER)", .downgrade = "DROP TABLE t1"});
  project.write_revision({.id = r2,
                          .down_revision = r1,
                          .upgrade = "CREATE TABLE t2 (id INTEGER);\n" + sleep_sql + ";\nCREATE TABLE t3 (id INTEGER)",
                          .downgrade = "DROP TABLE t3;\nDROP TABLE t2"});
}

}  // namespace

TEST_CASE("postgresql: a run whose connection is terminated keeps nothing of that revision", "[postgresql]") {
  CliProject project;
  auto db = CliDatabase::create(Backend::postgresql, project.root());
  if (!db) return;
  project.set_url(db->url());
  write_revisions(project, "SELECT pg_sleep(30)");

  auto out = kill_session_during_r2(
      project, db->query_command_line("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = "
                                      "current_database() AND pid <> pg_backend_pid()"));
  INFO(out);
  CHECK(contains(out, "exit 1"));
  CHECK(contains(out, "revision " + r2));  // the message names the revision
  CHECK(db->version_rows() == Rows{r1});
  CHECK_FALSE(db->has_table("t2"));  // rolled back with the session

  // The advisory lock died with the session: the rerun does not wait for it.
  write_revisions(project, "SELECT 1");
  auto rerun = project.retort("upgrade head");
  CHECK(rerun.exit_code == 0);
  CHECK_FALSE(contains(rerun.output, "Waiting for the migration lock"));
  CHECK(db->version_rows() == Rows{r2});
}

TEST_CASE("mysql: a run whose connection is killed resumes after the statements that ran", "[mysql]") {
  CliProject project;
  auto db = CliDatabase::create(Backend::mysql, project.root());
  if (!db) return;
  project.set_url(db->url());
  write_revisions(project, "SELECT SLEEP(30)");

  // The session running the SLEEP, killed with KILL (CONNECTION) as another client.
  auto out = kill_session_during_r2(
      project, db->query_command_line("SELECT CONCAT('KILL ', id, ';') FROM information_schema.processlist WHERE "
                                      "info LIKE 'SELECT SLEEP%'") +
                   " | " + db->client_command_line());
  INFO(out);
  CHECK(contains(out, "exit 1"));
  CHECK(db->version_rows() == Rows{r1});
  CHECK(db->has_table("t2"));  // MariaDB committed it at once
  CHECK_FALSE(db->has_table("t3"));
  CHECK(contains(project.ok("current"), r2 + " stopped part-way: 1 statement(s) of its upgrade ran"));

  // The rerun: the lock (GET_LOCK) died with the session; statement 1 is not run again.
  write_revisions(project, "SELECT 1");
  auto rerun = project.retort("upgrade head");
  INFO(rerun.output);
  CHECK(rerun.exit_code == 0);
  CHECK(contains(rerun.output, "resuming after statement 1"));
  CHECK_FALSE(contains(rerun.output, "Waiting for the migration lock"));
  CHECK(db->version_rows() == Rows{r2});
  CHECK(db->has_table("t3"));
}
