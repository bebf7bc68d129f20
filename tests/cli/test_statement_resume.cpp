// Statement-level resume (issue 10, item 17): where no transaction surrounds a revision (MySQL and
// MariaDB, whose DDL commits at once; `transactional false` revisions anywhere), a failure at
// statement 3 of 5 leaves statements 1 and 2 done and recorded; `current` says so; the rerun,
// once statement 3 is fixed, resumes at statement 3 instead of failing on statement 1, and refuses
// to resume when the statements already run have changed since.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "support/cli_database.hpp"
#include "support/cli_project.hpp"
#include "support/each_backend.hpp"
#include "support/text.hpp"

using namespace retort::testing;
using Rows = std::vector<std::string>;

namespace {

using retort::testing::contains;

const std::string r1 = "5e0000000001", r2 = "5e0000000002";

void write_revisions(const CliProject& project, Backend backend, const std::string& third,
                     const std::string& first = "CREATE TABLE a (id INTEGER)") {
  project.write_revision({.id = r1, .upgrade = "CREATE TABLE t1 (id INTEGER)", .downgrade = "DROP TABLE t1"});
  // MySQL's DDL commits at once; elsewhere the revision asks to run without a transaction.
  project.write_revision({.id = r2,
                          .down_revision = r1,
                          .upgrade = first + ";\nCREATE TABLE b (id INTEGER);\n" + third +
                                     ";\nCREATE TABLE c (id INTEGER);\nCREATE TABLE d (id INTEGER)",
                          .downgrade = "DROP TABLE d;\nDROP TABLE c;\nDROP TABLE x;\nDROP TABLE b;\nDROP TABLE a",
                          .transactional = backend == Backend::mysql});
}

void statement_resume(Backend backend) {
  CliProject project;
  auto db = CliDatabase::create(backend, project.root());
  if (!db) return;
  project.set_url(db->url());
  write_revisions(project, backend, "INSERT INTO no_such_table (id) VALUES (1)");

  auto failed = project.retort("upgrade head");
  CHECK(failed.exit_code == 1);
  CHECK(contains(failed.output, "no_such_table"));
  CHECK(db->version_rows() == Rows{r1});
  CHECK(db->has_table("a"));
  CHECK(db->has_table("b"));
  CHECK_FALSE(db->has_table("c"));
  auto current = project.ok("current");
  CHECK(contains(current, r1));
  CHECK(contains(current, r2 + " stopped part-way: 2 statement(s) of its upgrade ran"));

  // Statement 1 changed since it ran: no resume; the revision runs from its first statement, as
  // it would have without resume, and here that fails on the table the earlier run created.
  write_revisions(project, backend, "CREATE TABLE x (id INTEGER)", "CREATE TABLE a (id INTEGER, more INTEGER)");
  auto changed = project.retort("upgrade head");
  CHECK(changed.exit_code == 1);
  CHECK(contains(changed.output, "statements 1 to 2 have changed since the earlier run"));
  CHECK_FALSE(db->has_table("x"));
  CHECK(db->version_rows() == Rows{r1});

  // Statement 3 fixed, 1 and 2 as they ran: the rerun goes on at statement 3.
  write_revisions(project, backend, "CREATE TABLE x (id INTEGER)");
  auto resumed = project.ok("upgrade head");
  CHECK(contains(resumed, "resuming after statement 2"));
  CHECK(db->version_rows() == Rows{r2});
  for (const char* table : {"a", "b", "x", "c", "d"}) CHECK(db->has_table(table));
  CHECK(db->rows("SELECT count(*) FROM retort_version_progress") == Rows{"0"});
  CHECK_FALSE(contains(project.ok("current"), "part-way"));

  // And back down, whole.
  project.ok("downgrade base");
  CHECK_FALSE(db->has_table("a"));
  CHECK(db->version_rows().empty());
}

}  // namespace

RETORT_BACKEND_TEST("a revision without a transaction resumes at the statement that failed", statement_resume)
