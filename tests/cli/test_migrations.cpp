// The migration workflow through the real `retort` binary, on each backend: a linear chain,
// branches and their merge, depends_on, partial ids and relative targets, stamp, offline SQL,
// a revision failing half-way, and concurrent runs.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "support/cli_database.hpp"
#include "support/cli_project.hpp"
#include "support/text.hpp"

using namespace retort::testing;
using Rows = std::vector<std::string>;

namespace {

using retort::testing::contains;

int count(const std::string& text, const std::string& part) {
  int n = 0;
  for (auto p = text.find(part); p != std::string::npos; p = text.find(part, p + part.size())) ++n;
  return n;
}

/// `retort revision ...` output "Generated PATH": the path.
std::string generated_path(const std::string& output) {
  auto p = output.find("Generated ");
  REQUIRE(p != std::string::npos);
  auto end = output.find('\n', p);
  return output.substr(p + 10, end == std::string::npos ? std::string::npos : end - p - 10);
}

/// Replaces the template's placeholder sections of a generated revision file.
void fill(const CliProject& project, const std::string& path, const std::string& up, const std::string& down) {
  auto text = project.read_file(path);
  auto replace = [&](const std::string& from, const std::string& to) {
    auto p = text.find(from);
    REQUIRE(p != std::string::npos);
    text.replace(p, from.size(), to);
  };
  replace("-- write the upgrade statements here", up);
  replace("-- write the downgrade statements here", down);
  project.write_file(path, text);
}

/// `others` and retort's own tables, sorted as CliDatabase::tables() lists them: the version
/// table, its history, and where DDL is not transactional (MySQL) the statement progress table.
Rows with_retort_tables(Backend backend, Rows others) {
  others.insert(others.end(), {"retort_version", "retort_version_history"});
  if (backend == Backend::mysql) others.push_back("retort_version_progress");
  std::sort(others.begin(), others.end());
  return others;
}

std::string create_table(const std::string& name) {
  return "CREATE TABLE " + name + " (id INTEGER PRIMARY KEY, name VARCHAR(50) NOT NULL)";
}

// ---------------------------------------------------------------------------------------------

void linear_chain(Backend backend) {
  CliProject project;
  auto db = CliDatabase::create(backend, project.root());
  if (!db) return;
  project.set_url(db->url());
  const std::string r1 = "1111aaaa0001", r2 = "2222bbbb0002", r3 = "3333cccc0003";
  project.write_revision(
      {.id = r1, .upgrade = create_table("t1"), .downgrade = "DROP TABLE t1", .message = "create t1"});
  project.write_revision({.id = r2,
                          .down_revision = r1,
                          .upgrade = "CREATE TABLE t2 (id INTEGER PRIMARY KEY, t1_id INTEGER REFERENCES t1 (id));\n"
                                     "-- a comment; with a semicolon\n"
                                     "INSERT INTO t1 (id, name) VALUES (1, 'semi;colon')",
                          .downgrade = "DROP TABLE t2;\nDELETE FROM t1",
                          .message = "create t2"});
  project.write_revision({.id = r3, .down_revision = r2, .upgrade = create_table("t3"), .downgrade = "DROP TABLE t3"});

  auto out = project.ok("upgrade head");
  CHECK(contains(out, "Running upgrade <base> -> " + r1 + ", create t1 ..."));
  CHECK(contains(out, "Running upgrade " + r1 + " -> " + r2 + ", create t2 ..."));
  CHECK(contains(out, "Running upgrade " + r2 + " -> " + r3));
  CHECK(count(out, " ms\n") == 3);
  CHECK(db->version_rows() == Rows{r3});
  CHECK(db->tables() == with_retort_tables(backend, {"t1", "t2", "t3"}));
  CHECK(db->rows("SELECT name FROM t1") == Rows{"semi;colon"});

  auto current = project.ok("current");
  CHECK(contains(current, r3 + " (head)"));  // as `alembic current` prints it
  CHECK_FALSE(contains(current, r2));
  // --verbose names the database first, as Alembic does, with the password masked.
  auto verbose = project.ok("-v current");
  CHECK(contains(verbose, "Current revision(s) for "));
  CHECK(verbose.find("Current revision(s) for ") < verbose.find(r3));
  if (auto at = db->url().find('@'); at != std::string::npos && backend != Backend::sqlite) {
    CHECK(contains(verbose, "***@"));
    CHECK_FALSE(contains(verbose, db->url().substr(0, at)));  // user:password
  }
  auto history = project.ok("history");
  CHECK(history.find(r3) < history.find(r2 + ", create t2"));
  CHECK(history.find(r2 + ", create t2") < history.find("<base> -> " + r1));
  CHECK(contains(project.ok("history --indicate-current"), r3 + " (head) (current)"));
  CHECK(contains(project.ok("upgrade head"), "Nothing to do"));

  CHECK(contains(project.ok("downgrade -1"), "Running downgrade " + r3 + " -> " + r2));
  CHECK(db->version_rows() == Rows{r2});
  CHECK_FALSE(db->has_table("t3"));

  project.ok("downgrade base");
  CHECK(db->version_rows().empty());
  CHECK(db->tables() == with_retort_tables(backend, {}));
  CHECK(contains(project.ok("current"), "<base>"));
}
RETORT_BACKEND_TEST("a linear chain: upgrade head then current and history then downgrade", linear_chain)

// ---------------------------------------------------------------------------------------------

void branch_and_merge(Backend backend) {
  CliProject project;
  auto db = CliDatabase::create(backend, project.root());
  if (!db) return;
  project.set_url(db->url());
  const std::string root = "aaaa00000001", main2 = "aaaa00000002", feat1 = "bbbb00000001", feat2 = "bbbb00000002",
                    merge = "cccc00000001";
  fill(project, generated_path(project.ok("revision -m root --rev-id " + root)), create_table("root_t"),
       "DROP TABLE root_t");
  fill(project, generated_path(project.ok("revision -m 'main two' --rev-id " + main2)), create_table("main_t"),
       "DROP TABLE main_t");
  // Branching from a revision that is not a head needs --splice.
  auto refused = project.retort("revision -m 'feature one' --rev-id " + feat1 + " --head " + root);
  CHECK(refused.exit_code == 1);
  CHECK(contains(refused.output, "not a head"));
  auto f1 = generated_path(project.ok("revision -m 'feature one' --rev-id " + feat1 + " --head " + root +
                                      " --splice --branch-label feature"));
  CHECK(contains(project.read_file(f1), "-- retort:down_revision " + root + "\n"));
  CHECK(contains(project.read_file(f1), "-- retort:branch_labels feature\n"));
  fill(project, f1, create_table("feat_1"), "DROP TABLE feat_1");
  auto f2 = generated_path(project.ok("revision -m 'feature two' --rev-id " + feat2 + " --head feature@head"));
  CHECK(contains(project.read_file(f2), "-- retort:down_revision " + feat1 + "\n"));
  fill(project, f2, create_table("feat_2"), "DROP TABLE feat_2");

  // Two heads: `head` is ambiguous, for revision and upgrade alike.
  auto heads = project.ok("heads");
  CHECK(contains(heads, main2));
  CHECK(contains(heads, feat2));
  CHECK(project.retort("revision -m more").exit_code == 1);
  auto multiple = project.retort("upgrade head");
  CHECK(multiple.exit_code == 1);
  CHECK(contains(multiple.output, "multiple heads"));
  CHECK(contains(multiple.output, "heads"));
  CHECK(contains(multiple.output, "LABEL@head"));
  CHECK(db->version_rows().empty());

  project.ok("upgrade heads");
  CHECK(db->version_rows() == Rows{main2, feat2});  // one row per head while branched
  auto current = project.ok("current");
  CHECK(contains(current, main2));
  CHECK(contains(current, feat2));
  CHECK(contains(project.ok("branches"), root));

  auto m = generated_path(project.ok("merge heads -m 'merge feature' --rev-id " + merge));
  CHECK(contains(project.read_file(m), "-- retort:down_revision " + main2 + ", " + feat2 + "\n"));
  CHECK(contains(project.ok("upgrade head"), "Running upgrade " + main2 + ", " + feat2 + " -> " + merge));
  CHECK(db->version_rows() == Rows{merge});  // one row after the merge

  project.ok("downgrade " + main2);
  CHECK(db->version_rows() == Rows{main2, feat2});
  // Only the feature line unwinds: down to the branch point (Alembic's LABEL@-N).
  project.ok("downgrade feature@-2");
  CHECK(db->version_rows() == Rows{main2});
  CHECK(db->tables() == with_retort_tables(backend, {"main_t", "root_t"}));
  project.ok("upgrade " + feat2);
  CHECK(db->version_rows() == Rows{main2, feat2});
  project.ok("upgrade feature@head");  // since the merge, the branch's head is the merge
  CHECK(db->version_rows() == Rows{merge});
  // LABEL@base with a base the branches share unwinds from that base: everything (as Alembic).
  project.ok("downgrade feature@base");
  CHECK(db->version_rows().empty());
  project.ok("upgrade " + merge);
  project.ok("downgrade base");
  CHECK(db->version_rows().empty());
  CHECK(db->tables() == with_retort_tables(backend, {}));
}
RETORT_BACKEND_TEST("a branch and its merge: two version rows then one", branch_and_merge)

// ---------------------------------------------------------------------------------------------

void depends_on(Backend backend) {
  CliProject project;
  auto db = CliDatabase::create(backend, project.root());
  if (!db) return;
  project.set_url(db->url());
  const std::string x1 = "e0e000000001", x2 = "e0e000000002", y1 = "f0f000000001", y2 = "f0f000000002";
  project.write_revision({.id = x1, .upgrade = create_table("x1"), .downgrade = "DROP TABLE x1"});
  project.write_revision(
      {.id = y1, .upgrade = create_table("y1"), .downgrade = "DROP TABLE y1", .branch_labels = "ylabel"});
  project.write_revision({.id = y2, .down_revision = y1, .upgrade = create_table("y2"), .downgrade = "DROP TABLE y2"});
  // x2 depends on the other line's y1 (named by its label), and its table references y1's.
  auto path = generated_path(project.ok("revision -m x2 --rev-id " + x2 + " --head " + x1 + " --depends-on ylabel"));
  CHECK(contains(project.read_file(path), "-- retort:depends_on " + y1 + "\n"));
  fill(project, path, "CREATE TABLE x2 (id INTEGER PRIMARY KEY, y1_id INTEGER REFERENCES y1 (id))", "DROP TABLE x2");

  auto out = project.ok("upgrade " + x2);
  CHECK(out.find("-> " + y1) < out.find("-> " + x2));
  CHECK(out.find("-> " + x1) < out.find("-> " + x2));
  CHECK_FALSE(contains(out, y2));
  CHECK(db->version_rows() == Rows{x2});  // x2's row implies y1, as in Alembic's version table
  CHECK(db->tables() == with_retort_tables(backend, {"x1", "x2", "y1"}));
  CHECK(contains(project.ok("current"), y1));  // current shows what the rows imply

  // Unapplying the dependency unapplies what depends on it first.
  auto down = project.ok("downgrade ylabel@base");
  CHECK(down.find("Running downgrade " + x2) < down.find("Running downgrade " + y1));
  CHECK(db->version_rows() == Rows{x1});
  CHECK(db->tables() == with_retort_tables(backend, {"x1"}));
  project.ok("upgrade heads");
  CHECK(db->version_rows() == Rows{x2, y2});
}
RETORT_BACKEND_TEST("depends_on: the dependency is applied first and removed last", depends_on)

// ---------------------------------------------------------------------------------------------

void partial_ids_and_relative_targets(Backend backend) {
  CliProject project;
  auto db = CliDatabase::create(backend, project.root());
  if (!db) return;
  project.set_url(db->url());
  const std::string r1 = "abc100000001", r2 = "abc200000002", r3 = "def300000003", r4 = "def400000004";
  project.write_revision(
      {.id = r1, .upgrade = create_table("t1"), .downgrade = "DROP TABLE t1", .branch_labels = "trunk"});
  project.write_revision({.id = r2, .down_revision = r1, .upgrade = create_table("t2"), .downgrade = "DROP TABLE t2"});
  project.write_revision({.id = r3, .down_revision = r2, .upgrade = create_table("t3"), .downgrade = "DROP TABLE t3"});
  project.write_revision({.id = r4, .down_revision = r3, .upgrade = create_table("t4"), .downgrade = "DROP TABLE t4"});

  project.ok("upgrade abc1");
  CHECK(db->version_rows() == Rows{r1});
  project.ok("upgrade +2");
  CHECK(db->version_rows() == Rows{r3});
  project.ok("downgrade -1");
  CHECK(db->version_rows() == Rows{r2});
  CHECK_FALSE(db->has_table("t3"));
  project.ok("upgrade abc2+2");
  CHECK(db->version_rows() == Rows{r4});
  project.ok("downgrade def4-3");
  CHECK(db->version_rows() == Rows{r1});
  project.ok("upgrade trunk@+2");
  CHECK(db->version_rows() == Rows{r3});
  project.ok("upgrade trunk@head");
  CHECK(db->version_rows() == Rows{r4});
  project.ok("downgrade " + r1.substr(0, 5) + "+1");
  CHECK(db->version_rows() == Rows{r2});

  auto ambiguous = project.retort("upgrade abc");
  CHECK(ambiguous.exit_code == 1);
  CHECK(contains(ambiguous.output, "ambiguous"));
  CHECK(contains(ambiguous.output, r1));
  CHECK(contains(ambiguous.output, r2));
  auto too_far = project.retort("upgrade +5");
  CHECK(too_far.exit_code == 1);
  CHECK(db->version_rows() == Rows{r2});
}
RETORT_BACKEND_TEST("partial ids and relative targets +N -N REV+N LABEL@head", partial_ids_and_relative_targets)

// ---------------------------------------------------------------------------------------------

void stamp(Backend backend) {
  CliProject project;
  auto db = CliDatabase::create(backend, project.root());
  if (!db) return;
  project.set_url(db->url());
  const std::string s1 = "5a0000000001", s2 = "5a0000000002", s3 = "5b0000000003";
  project.write_revision({.id = s1, .upgrade = create_table("s1"), .downgrade = "DROP TABLE s1"});
  project.write_revision({.id = s2, .down_revision = s1, .upgrade = create_table("s2"), .downgrade = "DROP TABLE s2"});
  project.write_revision({.id = s3,
                          .down_revision = s1,
                          .upgrade = create_table("s3"),
                          .downgrade = "DROP TABLE s3",
                          .branch_labels = "side"});

  CHECK(contains(project.ok("stamp " + s2), "Stamped <base> -> " + s2));
  CHECK(db->version_rows() == Rows{s2});
  CHECK(db->tables() == Rows{"retort_version", "retort_version_history"});  // nothing ran: no progress either
  project.ok("stamp " + s3);
  CHECK(db->version_rows() == Rows{s2, s3});
  project.ok("stamp --purge " + s1);
  CHECK(db->version_rows() == Rows{s1});
  project.ok("stamp --purge " + s2 + " side@head");  // several targets
  CHECK(db->version_rows() == Rows{s2, s3});
  project.ok("stamp base");
  CHECK(db->version_rows().empty());

  // A revision no file defines (e.g. a deleted file): only --purge resets it.
  db->rows("INSERT INTO retort_version (version_num) VALUES ('deadbeef0000')");
  auto unknown = project.retort("upgrade head");
  CHECK(unknown.exit_code == 1);
  CHECK(contains(unknown.output, "deadbeef0000"));
  CHECK(contains(unknown.output, "stamp --purge"));
  CHECK(project.retort("stamp " + s2).exit_code == 1);
  CHECK(db->version_rows() == Rows{"deadbeef0000"});
  project.ok("stamp --purge " + s2);
  CHECK(db->version_rows() == Rows{s2});

  auto sql = project.retort("stamp --sql " + s3);
  CHECK(sql.exit_code == 0);
  CHECK(contains(sql.output, "INSERT INTO retort_version (version_num) VALUES ('" + s3 + "')"));
  CHECK(db->version_rows() == Rows{s2});
}
RETORT_BACKEND_TEST("stamp and stamp --purge with several targets", stamp)

// ---------------------------------------------------------------------------------------------

void offline_sql(Backend backend) {
  CliProject project;
  auto online = CliDatabase::create(backend, project.root());
  if (!online) return;
  auto offline = CliDatabase::create(backend, project.root());
  const std::string r1 = "0ff000000001", r2 = "0ff000000002", r3 = "0ff000000003";
  project.write_revision({.id = r1, .upgrade = create_table("t1"), .downgrade = "DROP TABLE t1"});
  project.write_revision({.id = r2,
                          .down_revision = r1,
                          .upgrade =
                              "CREATE TABLE t2 (id INTEGER PRIMARY KEY, t1_id INTEGER NOT NULL REFERENCES t1 (id));\n"
                              "CREATE INDEX ix_t2_t1_id ON t2 (t1_id);\n"
                              "INSERT INTO t1 (id, name) VALUES (1, 'it''s; here')",
                          .downgrade = "DROP TABLE t2;\nDELETE FROM t1"});
  project.write_revision({.id = r3, .down_revision = r2, .upgrade = create_table("t3"), .downgrade = "DROP TABLE t3"});

  project.set_url(online->url());
  project.ok("upgrade head");
  project.set_url(offline->url());
  auto written = project.retort("upgrade head --sql > up.sql");
  CHECK(written.exit_code == 0);
  CHECK(offline->tables().empty());  // --sql touches nothing
  auto up = project.read_file(project.dir() / "up.sql");
  CHECK(contains(up, "CREATE TABLE retort_version"));
  CHECK(contains(up, "INSERT INTO retort_version (version_num) VALUES ('" + r1 + "')"));
  auto applied = offline->apply_file(project.dir() / "up.sql");
  INFO(up);
  REQUIRE(applied.exit_code == 0);
  // The same schema, but for the history table: an offline script records no history (`retort
  // verify --record-missing` accepts what it applied).
  REQUIRE(online->query("DROP TABLE retort_version_history").exit_code == 0);
  if (backend == Backend::mysql) REQUIRE(online->query("DROP TABLE retort_version_progress").exit_code == 0);
  CHECK(offline->schema() == online->schema());
  CHECK(offline->version_rows() == Rows{r3});
  CHECK(offline->rows("SELECT name FROM t1") == Rows{"it's; here"});

  // A START:END range holds only what is between.
  auto range = project.ok("upgrade --sql " + r1 + ":" + r3);
  CHECK_FALSE(contains(range, "CREATE TABLE t1 "));
  CHECK(contains(range, "CREATE TABLE t2 "));
  CHECK(contains(range, "CREATE TABLE t3 "));

  // Downgrades need a range; applied, they undo the upgrade.
  CHECK(project.retort("downgrade --sql base").exit_code == 1);
  CHECK(project.retort("downgrade --sql " + r3 + ":base > down.sql").exit_code == 0);
  REQUIRE(offline->apply_file(project.dir() / "down.sql").exit_code == 0);
  project.set_url(online->url());
  project.ok("downgrade base");
  // Down to the base, the script ends by dropping the version table, as Alembic's does; online
  // the empty table stays.
  CHECK(contains(project.read_file(project.dir() / "down.sql"), "DROP TABLE retort_version"));
  CHECK(offline->tables().empty());
  CHECK(online->tables() == with_retort_tables(backend, {}));
  CHECK(online->version_rows().empty());
}
RETORT_BACKEND_TEST("offline --sql applied with the client matches the online run", offline_sql)

// ---------------------------------------------------------------------------------------------

void failure_in_a_revision(Backend backend) {
  CliProject project;
  auto db = CliDatabase::create(backend, project.root());
  if (!db) return;
  project.set_url(db->url());
  const std::string r1 = "fa1000000001", r2 = "fa1000000002", r3 = "fa1000000003", r4 = "fa1000000004";
  project.write_revision({.id = r1, .upgrade = create_table("t1"), .downgrade = "DROP TABLE t1"});
  project.write_revision({.id = r2, .down_revision = r1, .upgrade = create_table("t2"), .downgrade = "DROP TABLE t2"});
  project.write_revision({.id = r3,
                          .down_revision = r2,
                          .upgrade = "CREATE TABLE t3 (id INTEGER PRIMARY KEY);\n"
                                     "INSERT INTO t3 (id) VALUES (1);\n"
                                     "INSERT INTO no_such_table (id) VALUES (1)",
                          .downgrade = "DROP TABLE t3"});
  project.write_revision({.id = r4, .down_revision = r3, .upgrade = create_table("t4"), .downgrade = "DROP TABLE t4"});

  auto failed = project.retort("upgrade head");
  CHECK(failed.exit_code == 1);
  CHECK(contains(failed.output, r3 + ".sql:12:"));  // the failing statement's file and line
  CHECK(contains(failed.output, "INSERT INTO no_such_table"));
  CHECK(db->version_rows() == Rows{r2});  // the revisions before it stay applied
  CHECK_FALSE(db->has_table("t4"));
  if (backend == Backend::mysql) {
    CHECK(db->has_table("t3"));  // MySQL commits DDL at once: the rerun has to cope
  } else {
    CHECK_FALSE(db->has_table("t3"));  // transactional DDL: nothing of the revision remains
  }

  project.write_revision({.id = r3,
                          .down_revision = r2,
                          .upgrade = "CREATE TABLE IF NOT EXISTS t3 (id INTEGER PRIMARY KEY);\n"
                                     "INSERT INTO t3 (id) VALUES (2)",
                          .downgrade = "DROP TABLE t3"});
  auto rerun = project.ok("upgrade head");
  CHECK_FALSE(contains(rerun, "-> " + r1));
  CHECK_FALSE(contains(rerun, "-> " + r2 + ","));
  CHECK(contains(rerun, "Running upgrade " + r2 + " -> " + r3));
  CHECK(db->version_rows() == Rows{r4});
  CHECK(db->has_table("t4"));
}
RETORT_BACKEND_TEST("a failure in the middle of a revision and the rerun", failure_in_a_revision)

// ---------------------------------------------------------------------------------------------

void concurrent_upgrades(Backend backend) {
  CliProject project;
  auto db = CliDatabase::create(backend, project.root());
  if (!db) return;
  project.set_url(db->url());
  // Enough revisions for the runs to interleave: each revision is committed as it ends, so
  // another run may take the lock between two revisions and must then go on from its rows.
  // Each revision records itself; a second application would also fail on its CREATE TABLE.
  const int n = 40;
  auto id = [](int i) { return fmt::format("c0c0000000{:02}", i); };
  project.write_revision(
      {.id = id(1),
       .upgrade = "CREATE TABLE applied (rev VARCHAR(20) NOT NULL);\nINSERT INTO applied (rev) VALUES ('r01')",
       .downgrade = "DROP TABLE applied"});
  Rows expected{"r01"};
  for (int i = 2; i <= n; ++i) {
    auto table = fmt::format("t{:02}", i);
    expected.push_back(fmt::format("r{:02}", i));
    project.write_revision(
        {.id = id(i),
         .down_revision = id(i - 1),
         .upgrade = create_table(table) + fmt::format(";\nINSERT INTO applied (rev) VALUES ('r{:02}')", i),
         .downgrade = "DROP TABLE " + table});
  }

  auto run = project.shell(
      "for i in 1 2 3 4; do (retort upgrade head > out$i.txt 2>&1; echo \"exit $?\" >> out$i.txt) & done; wait; "
      "cat out1.txt out2.txt out3.txt out4.txt");
  INFO(run.output);
  CHECK(count(run.output, "exit 0") == 4);
  CHECK(count(run.output, "Running upgrade") == n);  // every revision exactly once
  CHECK(db->rows("SELECT rev FROM applied ORDER BY rev") == expected);
  CHECK(db->version_rows() == Rows{id(n)});
}
RETORT_BACKEND_TEST("four concurrent upgrade head runs apply each revision once", concurrent_upgrades)

}  // namespace

namespace {

void non_transactional_revision(Backend backend) {
  CliProject project;
  auto db = CliDatabase::create(backend, project.root());
  if (!db) return;
  project.set_url(db->url());
  const std::string r1 = "070000000001", r2 = "070000000002", r3 = "070000000003";
  project.write_revision({.id = r1, .upgrade = create_table("t1"), .downgrade = "DROP TABLE t1"});
  // PostgreSQL refuses CREATE INDEX CONCURRENTLY inside a transaction: the revision must run outside one.
  std::string concurrently = backend == Backend::postgresql ? "CONCURRENTLY " : "";
  project.write_revision(
      {.id = r2,
       .down_revision = r1,
       .upgrade = "CREATE INDEX " + concurrently + "ix_t1_name ON t1 (name)",
       .downgrade = backend == Backend::mysql ? "DROP INDEX ix_t1_name ON t1" : "DROP INDEX ix_t1_name",
       .transactional = false});
  project.write_revision({.id = r3, .down_revision = r2, .upgrade = create_table("t3"), .downgrade = "DROP TABLE t3"});
  project.ok("upgrade head");
  CHECK(db->version_rows() == Rows{r3});
  CHECK(contains(db->schema(), "ix_t1_name"));
  project.ok("downgrade " + r1);
  CHECK(db->version_rows() == Rows{r1});
  CHECK_FALSE(contains(db->schema(), "ix_t1_name"));
}

}  // namespace

RETORT_BACKEND_TEST("a revision with transactional false runs outside a transaction", non_transactional_revision)

namespace {

void x_arguments_in_revisions(Backend backend) {
  CliProject project;
  auto db = CliDatabase::create(backend, project.root());
  if (!db) return;
  project.set_url(db->url());
  const std::string r1 = "080000000001", r2 = "080000000002";
  project.write_revision({.id = r1, .upgrade = create_table("t1"), .downgrade = "DROP TABLE t1"});
  project.write_revision({.id = r2,
                          .down_revision = r1,
                          .upgrade = "INSERT INTO t1 (id, name) VALUES (1, '${x.who}'); "
                                     "INSERT INTO t1 (id, name) VALUES (2, '${x.team:-core}'); "
                                     "INSERT INTO t1 (id, name) VALUES (3, '${not.x}')",
                          .downgrade = "DELETE FROM t1"});
  // No -x who=...: a clear error naming the file and line, and the revision is not applied.
  auto missing = project.retort("upgrade head");
  CHECK(missing.exit_code == 1);
  CHECK(contains(missing.output, r2 + ".sql:"));
  CHECK(contains(missing.output, "${x.who}"));
  CHECK(contains(missing.output, "-x who=VALUE"));
  CHECK(db->rows("SELECT count(*) FROM t1") == Rows{"0"});
  CHECK(db->version_rows() == Rows{r1});
  // Offline, the SQL shows the values; online, they are what runs. Other ${...} text is left alone.
  CHECK(contains(project.ok("-x who=alice upgrade " + r1 + ":" + r2 + " --sql"), "VALUES (1, 'alice')"));
  project.ok("-x who=alice upgrade head");
  CHECK(db->rows("SELECT name FROM t1 ORDER BY id") == Rows{"alice", "core", "${not.x}"});
  CHECK(db->version_rows() == Rows{r2});
}

}  // namespace

RETORT_BACKEND_TEST("-x KEY=VALUE reaches SQL revisions as ${x.KEY}", x_arguments_in_revisions)
