// The database client libraries are loaded when their dialect is first used
// (core/shared_library.hpp): a command that opens no database maps none of them, a run on SQLite
// never maps libpq or libmariadb, a run on PostgreSQL or MariaDB maps its own one only. Checked on the real binary with
// the dynamic loader's own trace (LD_DEBUG=files lists every object it maps, dlopen included).
#include <catch2/catch.hpp>

#include <string>

#include <retort/core/errors.hpp>
#include <retort/core/shared_library.hpp>

#include "support/cli_database.hpp"
#include "support/cli_project.hpp"
#include "support/text.hpp"

using namespace retort::testing;

namespace {

using retort::testing::contains;

/// `retort current` run with the loader's trace on; returns the trace and the output.
std::string traced_current(const CliProject& project) {
  auto r = project.shell("LD_DEBUG=files retort current");
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  return r.output;
}

}  // namespace

TEST_CASE("client libraries: a SQLite run loads neither libpq nor libmariadb", "[cli][startup]") {
  CliProject project;
  auto db = CliDatabase::create(Backend::sqlite, project.root());
  project.set_url(db->url());
  project.write_revision({.id = "aaa000000001", .upgrade = "CREATE TABLE t (id INTEGER)", .downgrade = "DROP TABLE t"});
  project.ok("upgrade head");
  std::string trace = traced_current(project);
  CHECK(contains(trace, "libsqlite3.so"));  // the trace is on: the objects it maps are listed
  CHECK(contains(trace, "aaa000000001"));
  CHECK_FALSE(contains(trace, "libpq.so"));
  CHECK_FALSE(contains(trace, "libmariadb.so"));
}

TEST_CASE("client libraries: a command that opens no database loads none", "[cli][startup]") {
  CliProject project;
  auto db = CliDatabase::create(Backend::sqlite, project.root());
  project.set_url(db->url());
  project.write_revision({.id = "aaa000000001", .upgrade = "CREATE TABLE t (id INTEGER)", .downgrade = "DROP TABLE t"});
  auto r = project.shell("LD_DEBUG=files retort heads");
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  CHECK(contains(r.output, "aaa000000001 (head)"));
  CHECK(contains(r.output, "file="));  // the trace is on
  CHECK_FALSE(contains(r.output, "libsqlite3.so"));
  CHECK_FALSE(contains(r.output, "libpq.so"));
  CHECK_FALSE(contains(r.output, "libmariadb.so"));
}

/// A run on `backend` maps `ours` and not `other`.
void loads_only_its_client(Backend backend, const std::string& ours, const std::string& other) {
  CliProject project;
  auto db = CliDatabase::create(backend, project.root());
  if (!db) return;
  project.set_url(db->url());
  project.write_revision({.id = "aaa000000001", .upgrade = "CREATE TABLE t (id INTEGER)", .downgrade = "DROP TABLE t"});
  project.ok("upgrade head");
  std::string trace = traced_current(project);
  CHECK(contains(trace, "aaa000000001 (head)"));
  CHECK(contains(trace, "file=" + ours));
  CHECK_FALSE(contains(trace, other));
}

TEST_CASE("client libraries: a PostgreSQL run loads libpq only", "[cli][startup][postgresql]") {
  loads_only_its_client(Backend::postgresql, "libpq.so.5", "libmariadb.so");
}

TEST_CASE("client libraries: a MariaDB run loads libmariadb only", "[cli][startup][mysql]") {
  loads_only_its_client(Backend::mysql, "libmariadb.so.3", "libpq.so");
}

TEST_CASE("client libraries: a library that cannot be loaded is a clear InterfaceError", "[core][startup]") {
  try {
    retort::core::SharedLibrary missing("the Example dialect (Debian package libexample1)",
                                        {"libretort-no-such-client.so.7", "libretort-no-such-client.so"});
    FAIL("loading a library that does not exist succeeded");
  } catch (const retort::core::InterfaceError& e) {
    std::string message = e.what();
    CHECK(contains(message, "the Example dialect (Debian package libexample1)"));
    CHECK(contains(message, "libretort-no-such-client.so.7, libretort-no-such-client.so"));
  }
  // A library that loads but lacks a function names the function.
  retort::core::SharedLibrary sqlite("SQLite", {"libsqlite3.so.0"});
  CHECK(sqlite.symbol("sqlite3_libversion") != nullptr);
  try {
    sqlite.symbol("sqlite3_no_such_function");
    FAIL("looking up a function that does not exist succeeded");
  } catch (const retort::core::InterfaceError& e) {
    CHECK(contains(e.what(), "sqlite3_no_such_function"));
    CHECK(contains(e.what(), "libsqlite3.so.0"));
  }
}
