// Bad input through the real binary, on each backend: each is a short message naming the file,
// line or revision, exit code 1 (2 for usage errors), passwords never shown, and the database
// left as it was.
#include <catch2/catch.hpp>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "support/cli_database.hpp"
#include "support/cli_project.hpp"
#include "support/text.hpp"

using namespace retort::testing;
using Rows = std::vector<std::string>;

namespace {

using retort::testing::contains;

std::size_t line_count(const std::string& text) {
  std::size_t n = 0;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) ++n;
  return n;
}

/// Runs `args`, which must fail with `exit_code` and a message of at most `max_lines` lines
/// holding every one of `parts`.
void expect_failure(const CliProject& project, const std::string& args, const std::vector<std::string>& parts,
                    int exit_code = 1, std::size_t max_lines = 3) {
  auto r = project.retort(args);
  INFO("retort " << args << "\n" << r.output);
  CHECK(r.exit_code == exit_code);
  CHECK(line_count(r.output) >= 1);
  CHECK(line_count(r.output) <= max_lines);
  for (const auto& p : parts) CHECK(contains(r.output, p));
}

void bad_input(Backend backend) {
  CliProject project;
  auto db = CliDatabase::create(backend, project.root());
  if (!db) return;
  project.set_url(db->url());
  const std::string r1 = "abc000000001", r2 = "abc000000002";
  project.write_revision(
      {.id = r1, .upgrade = "CREATE TABLE t1 (id INTEGER PRIMARY KEY)", .downgrade = "DROP TABLE t1"});
  project.write_revision({.id = r2,
                          .down_revision = r1,
                          .upgrade = "CREATE TABLE t2 (id INTEGER PRIMARY KEY)",
                          .downgrade = "DROP TABLE t2"});

  // On a fresh database: nothing may be created by a command that fails.
  expect_failure(project, "upgrade nosuchrev", {"nosuchrev"});
  expect_failure(project, "upgrade abc", {"ambiguous", r1, r2});
  CHECK(db->tables().empty());

  project.ok("upgrade " + r1);
  const auto schema = db->schema();
  auto untouched = [&] {
    CHECK(db->schema() == schema);
    CHECK(db->version_rows() == Rows{r1});
  };

  SECTION("an unknown or ambiguous revision") {
    expect_failure(project, "upgrade nosuchrev", {"no revision or branch label matches 'nosuchrev'"});
    expect_failure(project, "downgrade abc", {"ambiguous", r1, r2});
    expect_failure(project, "downgrade " + r2, {"not a valid downgrade target", r2});
    untouched();
  }
  SECTION("broken TOML") {
    project.write_file(project.dir() / "retort.toml", "[retort]\nscript_location = \"migrations\nlock_timeout = 5\n");
    expect_failure(project, "upgrade head", {"retort.toml:2:"}, 2);
    untouched();
  }
  SECTION("an unknown key in retort.toml") {
    project.write_file(project.dir() / "retort.toml", "[retort]\nscript_locaton = \"migrations\"\n");
    expect_failure(project, "upgrade head", {"retort.toml:2:", "unknown key 'script_locaton'"}, 2);
    untouched();
  }
  SECTION("a misspelt header key") {
    auto file = project.write_revision({.id = "bad000000003",
                                        .down_revision = r2,
                                        .upgrade = "CREATE TABLE t3 (id INTEGER)",
                                        .downgrade = "DROP TABLE t3"});
    auto text = project.read_file(file);
    text.replace(text.find("-- retort:message"), 17, "-- retort:mesage");
    project.write_file(file, text);
    expect_failure(project, "upgrade head", {"bad000000003.sql:5:", "unknown header key 'mesage'"});
    expect_failure(project, "history", {"bad000000003.sql:5:"});
    untouched();
  }
  SECTION("a cycle") {
    project.write_revision({.id = "cyc000000001", .down_revision = "cyc000000002", .upgrade = "", .downgrade = ""});
    project.write_revision({.id = "cyc000000002", .down_revision = "cyc000000001", .upgrade = "", .downgrade = ""});
    expect_failure(project, "upgrade head", {"cycle", "cyc000000001", "cyc000000002"});
    untouched();
  }
  SECTION("a missing revision file: down_revision pointing nowhere") {
    project.write_revision({.id = "mis000000003", .down_revision = "abc000000009", .upgrade = "", .downgrade = ""});
    expect_failure(project, "upgrade head", {"mis000000003.sql", "down_revision abc000000009 does not exist"});
    untouched();
  }
  SECTION("a duplicate revision id") {
    auto copy = project.versions() / "copy_of_r2.sql";
    std::filesystem::copy_file(project.versions() / (r2 + ".sql"), copy);
    expect_failure(project, "upgrade head", {"duplicate revision id " + r2});
    untouched();
  }
  SECTION("an unreachable database, its password not shown") {
    std::string url;
    switch (backend) {
      case Backend::sqlite: url = "sqlite:////nonexistent-folder/sub/x.db"; break;
      case Backend::postgresql: url = "postgresql://retort:Secr3tPw0rd@127.0.0.1:1/retort_test"; break;
      case Backend::mysql: url = "mysql://retort:Secr3tPw0rd@127.0.0.1:1/retort_test"; break;
    }
    auto r = project.retort("--url '" + url + "' upgrade head");
    INFO(r.output);
    CHECK(r.exit_code == 1);
    CHECK(line_count(r.output) <= 3);
    CHECK_FALSE(contains(r.output, "Secr3tPw0rd"));
    untouched();
  }
  SECTION("malformed URLs with a password: the password is not shown") {
    for (std::string url : {"postgresql://bob:Secr3tPw0rd@127.0.0.1:notaport/db", "nosuchdb://bob:Secr3tPw0rd@host/db",
                            "mysql://bob:Secr3tPw0rd@[::1/db"}) {
      auto r = project.retort("--url '" + url + "' current");
      INFO(url << "\n" << r.output);
      CHECK(r.exit_code == 1);
      CHECK_FALSE(contains(r.output, "Secr3tPw0rd"));
      CHECK(line_count(r.output) <= 3);
    }
    untouched();
  }
  SECTION("usage errors exit with 2") {
    expect_failure(project, "upgrade head --no-such-option", {}, 2);
    expect_failure(project, "upgrade", {}, 2);
    expect_failure(project, "no-such-command", {}, 2);
    expect_failure(project, "history --format xml", {}, 2);
    untouched();
  }
}
RETORT_BACKEND_TEST("bad input gives one-line errors and exit codes and leaves the database untouched", bad_input)

}  // namespace
