// Exit codes through the real binary: 0 success; 1 a failure while doing the work (a migration,
// the database); 2 a usage or configuration error (bad arguments, a missing, unreadable or invalid
// retort.toml, an unknown -n NAME), found before anything is touched. And a MySQL password given
// as ?password= is taken, and shown as *** wherever a URL is printed.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "support/cli_project.hpp"
#include "support/text.hpp"

using namespace retort::testing;

namespace {

using retort::testing::contains;

/// Runs `args`, which must exit with `code` and print every one of `parts`.
void expect_exit(const CliProject& project, const std::string& args, int code,
                 const std::vector<std::string>& parts = {}) {
  auto r = project.retort(args);
  INFO("retort " << args << "\n" << r.output);
  CHECK(r.exit_code == code);
  for (const auto& p : parts) CHECK(contains(r.output, p));
}

}  // namespace

TEST_CASE("exit codes: 2 for a configuration error, with the file, key and line", "[cli][sqlite]") {
  CliProject project;
  const auto db = project.root() / "app.db";
  project.set_url("sqlite:///" + db.string());
  project.write_revision({.id = "aaa000000001", .upgrade = "CREATE TABLE t (id INTEGER)", .downgrade = "DROP TABLE t"});
  const auto toml = project.dir() / "retort.toml";
  const auto original = project.read_file(toml);

  SECTION("a missing, unreadable or unknown configuration") {
    expect_exit(project, "-c nosuch.toml upgrade head", 2, {"nosuch.toml: no such file"});
    std::filesystem::create_directory(project.dir() / "folder.toml");
    expect_exit(project, "-c folder.toml upgrade head", 2, {"folder.toml: is a folder"});
    expect_exit(project, "-n nosuch upgrade head", 2, {"retort.toml", "[env.nosuch]"});
  }
  SECTION("an invalid retort.toml") {
    struct Case {
      std::string text;
      std::vector<std::string> parts;
    };
    const std::vector<Case> cases = {
        {"[retort]\nversion_table = \"open\n", {"retort.toml:2:"}},
        {"[retort]\nlock_timout = 5\n", {"retort.toml:2:1: unknown key 'lock_timout'"}},
        {"[retort]\nlock_timeout = \"soon\"\n", {"retort.toml:2:16: 'lock_timeout'"}},
        {"[retort]\nlock_timeout = 1e9\n", {"retort.toml:2:16: 'lock_timeout'", "0 to 86400"}},
        {"[retort]\ntruncate_slug_length = 0\n", {"retort.toml:2:24: 'truncate_slug_length'", "1 to 255"}},
        {"[retort]\nversion_table = \"\"\n", {"retort.toml:2:17: 'version_table' must not be empty"}},
        {"[retort]\n[env]\nprod = 5\n", {"retort.toml:3:8:", "'env.prod' must be a table"}},
        {"[env.prod]\n", {"retort.toml:1:1: no [retort] table"}},
    };
    for (const auto& c : cases) {
      project.write_file(toml, c.text);
      expect_exit(project, "upgrade head", 2, c.parts);
    }
    project.write_file(toml, "[retort]\n[env]\nprod = 5\n");
    expect_exit(project, "-n prod upgrade head", 2, {"'env.prod' must be a table"});
    project.write_file(toml, "[retort]\nurl = \"${RETORT_TEST_NO_SUCH_VARIABLE}\"\n");
    project.set_url("");
    expect_exit(project, "upgrade head", 2, {"retort.toml:2:7", "RETORT_TEST_NO_SUCH_VARIABLE is not set"});
  }
  SECTION("a bad -x, like CLI11's own usage errors") {
    expect_exit(project, "-x novalue upgrade head", 2, {"KEY=VALUE"});
    expect_exit(project, "upgrade head --no-such-option", 2);
  }
  // Found before anything was done: no database was made.
  CHECK_FALSE(std::filesystem::exists(db));
  project.write_file(toml, original);
}

TEST_CASE("exit codes: 0 on success, 1 for a failed migration or database", "[cli][sqlite]") {
  CliProject project;
  project.set_url("sqlite:///" + (project.root() / "app.db").string());
  project.write_revision({.id = "aaa000000001", .upgrade = "CREATE TABLE t (id INTEGER)", .downgrade = "DROP TABLE t"});
  expect_exit(project, "upgrade head", 0);
  project.write_revision({.id = "aaa000000002",
                          .down_revision = "aaa000000001",
                          .upgrade = "CREATE TABLE t (id INTEGER)",
                          .downgrade = ""});
  expect_exit(project, "upgrade head", 1, {"aaa000000002"});
  expect_exit(project, "--url sqlite:////nonexistent-folder/sub/x.db upgrade head", 1);
}

TEST_CASE("exit codes: the table is in --help", "[cli][sqlite]") {
  CliProject project;
  const std::vector<std::string> table = {"Exit status:\n", "  0  success\n",
                                          "  1  failure: a migration or the database\n",
                                          "  2  usage or configuration error: bad arguments, retort.toml, -n NAME"};
  expect_exit(project, "--help", 0, table);
  expect_exit(project, "upgrade --help", 0, table);
}

TEST_CASE("a MySQL password given as ?password= is taken and never shown", "[cli][sqlite]") {
  CliProject project;
  const std::string secret = "Qu3ryS3cretPw";
  const std::vector<std::string> urls = {
      // Taken as the password: the failure is the closed port, not an unknown option.
      "mysql://retort@127.0.0.1:1/retort_test?password=" + secret,
      "mysql://retort@127.0.0.1:1/retort_test?connect_timeout=5&password=" + secret + "&no_such_option=1",
      "mysql://retort:other@127.0.0.1:1/retort_test?password=" + secret,  // two passwords: refused
      // Every dialect's messages mask it, whether it takes the option or not.
      "postgresql://retort@127.0.0.1:1/retort_test?password=" + secret,
      "postgresql://retort@127.0.0.1:notaport/retort_test?password=" + secret,  // malformed
      "sqlite:///app.db?password=" + secret,
      "mysql://retort@127.0.0.1:1/retort_test?PassWord=" + secret,  // any case
  };
  for (const auto& url : urls) {
    for (const auto& args :
         std::vector<std::string>{"--url '" + url + "' current", "--url '" + url + "' inspect", "-v current"}) {
      project.set_url(url);  // for -v current: from RETORT_DATABASE_URL
      auto r = project.retort(args);
      INFO(url << "\n$ retort " << args << "\n" << r.output);
      CHECK(r.exit_code == 1);
      CHECK_FALSE(r.output.empty());
      CHECK_FALSE(contains(r.output, secret));
      CHECK_FALSE(contains(r.output, "unknown MySQL URL option 'password'"));
    }
  }
}
