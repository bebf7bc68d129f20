// Revision files as users and tools really leave them, through the real binary: no downgrade
// section, a marker with a comment, a byte order mark, ids a target would misread, a NUL byte,
// a dangling symbolic link, a message that is not UTF-8, and a file replaced by `cp -p`. Listing
// and running read each file the same way, and nothing is skipped or reported as done when it
// was not.
#include <catch2/catch.hpp>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "support/cli_database.hpp"
#include "support/cli_project.hpp"
#include "support/text.hpp"

using namespace retort::testing;
namespace fs = std::filesystem;
using Rows = std::vector<std::string>;

namespace {

using retort::testing::contains;

/// A revision file's text: the header, then `sections` as given.
std::string revision_text(const std::string& id, const std::string& down, const std::string& sections) {
  return "-- retort:revision " + id + "\n-- retort:down_revision " + down + "\n-- retort:message revision " + id +
         "\n\n" + sections;
}

/// Whether `text` is well-formed UTF-8.
bool valid_utf8(const std::string& text) {
  for (std::size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
    if (n == 0 || i + n > text.size()) return false;
    for (std::size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(text[i + k]) >> 6) != 0x2) return false;
    i += n;
  }
  return true;
}

}  // namespace

TEST_CASE("revision files: a revision with no downgrade section cannot be downgraded", "[cli][sqlite]") {
  CliProject project;
  auto db = CliDatabase::create(Backend::sqlite, project.root());
  project.set_url(db->url());
  project.write_revision({.id = "r1", .upgrade = "CREATE TABLE t1 (id INTEGER)", .downgrade = "DROP TABLE t1"});
  project.write_file(project.versions() / "r2.sql",
                     revision_text("r2", "r1", "-- retort:upgrade\nCREATE TABLE t2 (id INTEGER);\n"));
  // An explicitly empty section: a deliberate no-op, as Alembic's `def downgrade(): pass`.
  project.write_revision({.id = "r3", .down_revision = "r2", .upgrade = "CREATE TABLE t3 (id INTEGER)"});

  project.ok("history");  // listing and upgrading are not affected
  project.ok("upgrade head");
  CHECK(db->version_rows() == Rows{"r3"});
  project.ok("downgrade -1");
  CHECK(db->version_rows() == Rows{"r2"});
  CHECK(db->has_table("t3"));

  auto r = project.retort("downgrade -1");
  INFO(r.output);
  CHECK(r.exit_code == 1);
  CHECK(contains(r.output, "revision r2 cannot be downgraded"));
  CHECK(contains(r.output, "versions/r2.sql has no"));
  CHECK(contains(r.output, "no `-- retort:downgrade` section"));  // and what to do about it
  CHECK(db->version_rows() == Rows{"r2"});
  CHECK(db->has_table("t2"));
  CHECK(project.retort("downgrade base").exit_code == 1);
  CHECK(db->version_rows() == Rows{"r2"});
}

TEST_CASE("revision files: history and upgrade read a marker with a comment, and a byte order mark, alike",
          "[cli][sqlite]") {
  CliProject project;
  auto db = CliDatabase::create(Backend::sqlite, project.root());
  project.set_url(db->url());
  project.write_file(project.versions() / "a1.sql",
                     "\xEF\xBB\xBF" + revision_text("a1", "",
                                                    "-- retort:upgrade   -- creates t\nCREATE TABLE t (id INTEGER);\n"
                                                    "-- retort:downgrade -- drops t\nDROP TABLE t;\n"));
  CHECK(contains(project.ok("history"), "<base> -> a1 (head), revision a1"));
  project.ok("upgrade head");
  CHECK(db->has_table("t"));
  project.ok("downgrade base");
  CHECK_FALSE(db->has_table("t"));

  // Text after a marker that is not a comment: the same error for both, before anything runs.
  project.write_file(project.versions() / "a1.sql",
                     revision_text("a1", "", "-- retort:upgrade now\nCREATE TABLE t (id INTEGER);\n"));
  for (const char* command : {"history", "upgrade head"}) {
    auto r = project.retort(command);
    INFO(r.output);
    CHECK(r.exit_code == 1);
    CHECK(contains(r.output, "a1.sql:5: only a `--` comment may follow `-- retort:upgrade`"));
  }
  CHECK_FALSE(db->has_table("t"));
}

TEST_CASE("revision files: ids and labels that a target would misread are refused on read", "[cli][sqlite]") {
  CliProject project;
  auto db = CliDatabase::create(Backend::sqlite, project.root());
  project.set_url(db->url());
  project.write_revision({.id = "release", .upgrade = "CREATE TABLE t1 (id INTEGER)", .downgrade = "DROP TABLE t1"});

  SECTION("a '-' in an id: `upgrade release-1` would mean one before release") {
    project.write_revision({.id = "release-1", .down_revision = "release"});
    for (const char* command : {"history", "upgrade release-1"}) {
      auto r = project.retort(command);
      INFO(r.output);
      CHECK(r.exit_code == 1);
      CHECK(contains(r.output, "release-1.sql:1: revision id 'release-1' contains '-'"));
    }
    CHECK(db->version_rows().empty());
  }
  SECTION("an id or a label named as a position") {
    project.write_revision({.id = "head", .down_revision = "release"});
    auto r = project.retort("history");
    CHECK(r.exit_code == 1);
    CHECK(contains(r.output, "head.sql:1: revision id 'head' is a reserved word"));
    fs::remove(project.versions() / "head.sql");
    project.write_revision({.id = "r2", .down_revision = "release", .branch_labels = "feature, base"});
    r = project.retort("upgrade head");
    CHECK(r.exit_code == 1);
    CHECK(contains(r.output, "r2.sql:3: branch label 'base' is a reserved word"));
  }
  SECTION("a NUL byte in an id: named with its file:line, the message not cut") {
    project.write_file(project.versions() / "r2.sql",
                       revision_text(std::string("r2\0x", 4), "release", "-- retort:upgrade\n"));
    auto r = project.retort("history");
    CHECK(r.exit_code == 1);
    CHECK(contains(r.output, "r2.sql:1: a NUL byte in the header"));
  }
}

TEST_CASE("revision files: a dangling symbolic link in the versions folder is reported", "[cli][sqlite]") {
  CliProject project;
  project.write_revision({.id = "a1"});
  project.ok("history");
  fs::create_symlink("../shared/b1.sql", project.versions() / "b1.sql");
  auto r = project.retort("history");
  INFO(r.output);
  CHECK(r.exit_code == 1);
  CHECK(contains(r.output, "b1.sql: a symbolic link to ../shared/b1.sql, which does not exist"));
}

TEST_CASE("revision files: json output stays valid UTF-8 whatever bytes a message holds", "[cli][sqlite]") {
  CliProject project;
  project.write_revision({.id = "a1", .message = "caf\xe9 (Latin-1), na\xc3\xafve (UTF-8), cut \xe2\x82"});
  auto r = project.retort("history --format json");
  INFO(r.output);
  CHECK(r.exit_code == 0);
  CHECK(valid_utf8(r.output));
  CHECK(contains(r.output, "caf\\ufffd (Latin-1), na\xc3\xafve (UTF-8), cut \\ufffd\\ufffd"));
}

TEST_CASE("revision files: a file replaced by `cp -p` with the same size and time is read again", "[cli][sqlite]") {
  CliProject project;
  auto db = CliDatabase::create(Backend::sqlite, project.root());
  project.set_url(db->url());
  auto file = project.write_revision({.id = "aaaa01", .upgrade = "CREATE TABLE t (id INTEGER)"});
  CHECK(contains(project.ok("history"), "aaaa01"));  // cached
  // The same size and modification time, another id: what a restored cache or `tar x` can do.
  project.write_file(project.root() / "new.sql",
                     project.read_file(file).replace(project.read_file(file).find("aaaa01"), 6, "bbbb02"));
  auto cp = project.shell("touch -r " + shell_quote(file.string()) + " ../new.sql && cp -p ../new.sql " +
                          shell_quote(file.string()));
  REQUIRE(cp.exit_code == 0);
  CHECK(contains(project.ok("history"), "bbbb02"));
  project.ok("upgrade head");
  CHECK(db->version_rows() == Rows{"bbbb02"});
}
