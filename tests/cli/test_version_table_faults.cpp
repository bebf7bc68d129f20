// What the database says that retort cannot take at its word (issue 10, items 6, 8, 11, 12): a
// version row no file defines, two rows on one line, a NULL or non-text version, a mistyped
// SQLite path given to a command that only reads, and targets where nothing is to be done.
// Each must be said plainly, with the exit status that tells a script what happened.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "support/cli_database.hpp"
#include "support/cli_project.hpp"
#include "support/text.hpp"

using namespace retort::testing;
using Rows = std::vector<std::string>;

namespace {

using retort::testing::contains;

const std::string r1 = "fa0100000001", r2 = "fa0100000002", r3 = "fa0100000003";

/// A linear chain r1 <- r2 <- r3 of small tables, on a SQLite file in the project's folder.
struct Chain {
  CliProject project;
  std::unique_ptr<CliDatabase> db = CliDatabase::create(Backend::sqlite, project.root());
  Chain() {
    REQUIRE(db);
    project.set_url(db->url());
    project.write_revision(
        {.id = r1, .upgrade = "CREATE TABLE t1 (id INTEGER PRIMARY KEY)", .downgrade = "DROP TABLE t1"});
    project.write_revision({.id = r2,
                            .down_revision = r1,
                            .upgrade = "CREATE TABLE t2 (id INTEGER PRIMARY KEY)",
                            .downgrade = "DROP TABLE t2"});
    project.write_revision({.id = r3,
                            .down_revision = r2,
                            .upgrade = "CREATE TABLE t3 (id INTEGER PRIMARY KEY)",
                            .downgrade = "DROP TABLE t3"});
  }
  void set_rows(const std::string& values_sql) const {
    auto r = db->query("DELETE FROM retort_version; INSERT INTO retort_version (version_num) VALUES " + values_sql);
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
  }
};

}  // namespace

TEST_CASE("cli: current and history -i fail on a version row that no revision file defines", "[cli][sqlite]") {
  Chain chain;
  chain.project.ok("upgrade " + r2);
  chain.set_rows("('gone00000009')");
  for (const char* command : {"current", "history -i", "history -r current:"}) {
    auto r = chain.project.retort(command);
    INFO(command << "\n" << r.output);
    CHECK(r.exit_code == 1);
    CHECK(contains(r.output, "gone00000009"));
    CHECK(contains(r.output, "stamp --purge"));
  }
  CHECK(chain.db->version_rows() == Rows{"gone00000009"});  // nothing was changed
}

TEST_CASE("cli: a version row of another type reads as text, and NULL is named", "[cli][sqlite]") {
  Chain chain;
  // A hand-made version table with an integer column turns 0123 into 123.
  REQUIRE(chain.db
              ->query("CREATE TABLE retort_version (version_num INTEGER NOT NULL PRIMARY KEY);"
                      "INSERT INTO retort_version VALUES (0123)")
              .exit_code == 0);
  auto integer = chain.project.retort("current");
  CHECK(integer.exit_code == 1);
  CHECK(contains(integer.output, "revision 123, which no revision file defines"));

  REQUIRE(chain.db
              ->query("DROP TABLE retort_version; CREATE TABLE retort_version (version_num VARCHAR(32));"
                      "INSERT INTO retort_version VALUES (NULL)")
              .exit_code == 0);
  for (const char* command : {"current", "upgrade head"}) {
    auto r = chain.project.retort(command);
    INFO(command << "\n" << r.output);
    CHECK(r.exit_code == 1);
    CHECK(contains(r.output, "version table retort_version holds a version_num that is NULL"));
    CHECK(contains(r.output, "stamp --purge"));
    CHECK_FALSE(contains(r.output, "optional"));  // not an internal message
  }
  CHECK_FALSE(chain.db->has_table("t1"));
}

TEST_CASE("cli: two version rows on one line stop upgrade and downgrade, and stamp refuses to write them",
          "[cli][sqlite]") {
  Chain chain;
  chain.project.ok("upgrade " + r2);
  chain.set_rows("('" + r1 + "'), ('" + r2 + "')");
  for (const char* command : {"upgrade head", "downgrade base"}) {
    auto r = chain.project.retort(command);
    INFO(command << "\n" << r.output);
    CHECK(r.exit_code == 1);
    CHECK(contains(r.output, "holds both " + r1 + " and " + r2));
    CHECK(contains(r.output, "stamp --purge"));
  }
  CHECK(chain.db->version_rows() == Rows{r1, r2});
  CHECK_FALSE(chain.db->has_table("t3"));
  CHECK(chain.db->has_table("t2"));

  chain.project.ok("stamp --purge " + r2);
  auto both = chain.project.retort("stamp " + r1 + " " + r3);
  CHECK(both.exit_code == 1);
  CHECK(contains(both.output, "on one line"));
  CHECK(chain.db->version_rows() == Rows{r2});
  CHECK(chain.project.retort("stamp " + r1 + " " + r3 + " --sql").exit_code == 1);
}

TEST_CASE("cli: commands that only read never create a SQLite file", "[cli][sqlite]") {
  Chain chain;
  auto missing = chain.project.root() / "mistyped.db";
  std::string url = "sqlite:///" + missing.string();
  for (const char* command : {"current", "history -i", "inspect"}) {
    auto r = chain.project.retort("--url '" + url + "' " + command);
    INFO(command << "\n" << r.output);
    CHECK(r.exit_code == 1);
    CHECK(contains(r.output, "does not exist"));
    CHECK_FALSE(std::filesystem::exists(missing));
  }
  // Those that write create it, as before.
  chain.project.ok("--url '" + url + "' upgrade " + r1);
  CHECK(std::filesystem::exists(missing));
  CHECK(contains(chain.project.ok("--url '" + url + "' current"), r1));
}

TEST_CASE("cli: an empty plan says what is true, and an empty --sql range fails", "[cli][sqlite]") {
  Chain chain;
  chain.project.ok("upgrade head");
  auto behind = chain.project.ok("upgrade " + r1);
  CHECK(contains(behind, r1 + " is already applied; the database is at " + r3));
  CHECK_FALSE(contains(behind, "already at the requested revision"));
  CHECK(contains(chain.project.ok("upgrade head"), "already at " + r3));
  CHECK(chain.project.retort("upgrade -1").exit_code == 1);

  chain.project.ok("downgrade " + r1);
  // A downgrade "to" a revision that is not applied is refused, as Alembic refuses it.
  auto above = chain.project.retort("downgrade " + r2);
  CHECK(above.exit_code == 1);
  CHECK(contains(above.output, "not a valid downgrade target"));

  auto backwards = chain.project.retort("upgrade --sql " + r3 + ":" + r1);
  CHECK(backwards.exit_code == 1);
  CHECK(contains(backwards.output, "has no revision to write"));
  CHECK(contains(backwards.output, "downgrade --sql"));
  CHECK(chain.project.retort("downgrade --sql " + r1 + ":" + r3).exit_code == 1);
  CHECK(chain.db->version_rows() == Rows{r1});
}

TEST_CASE("cli: a target of 100000 characters is refused and does not overflow the stack", "[cli][sqlite]") {
  // Found by reading fuzz/fuzz_revision_id's findings: the relative-target regex recursed once
  // per character.
  Chain chain;
  auto r = chain.project.retort("upgrade " + std::string(100000, 'a'));
  CHECK(r.exit_code == 1);
  CHECK(contains(r.output, "characters long"));
  CHECK(chain.project.retort("upgrade " + std::string(100000, 'a') + "@head").exit_code == 1);
}
