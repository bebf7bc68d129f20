// SQL revision files: the header of `-- retort:KEY VALUE` lines in exactly the issue's form,
// empty values, merges, errors naming file:line, and the upgrade/downgrade bodies.
#include <catch2/catch.hpp>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include <retort/migrate/errors.hpp>
#include <retort/migrate/script/revision_file.hpp>

namespace fs = std::filesystem;
using retort::migrate::read_sql_revision_body;
using retort::migrate::read_sql_revision_header;
using retort::migrate::ScriptError;

namespace {

/// A revision file in a fresh folder, removed afterwards.
class TempRevisionFile {
 public:
  explicit TempRevisionFile(const std::string& text) {
    static std::atomic<int> counter{0};
    const char* base = std::getenv("RETORT_TEST_TMPDIR");
    dir_ = fs::path(base ? base : fs::temp_directory_path().string()) /
           ("revfile-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::create_directories(dir_);
    path_ = dir_ / "3f2a9c1d4e5b_add_users.sql";
    std::ofstream(path_) << text;
  }
  ~TempRevisionFile() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path dir_, path_;
};

const std::string kIssueExample =
    "-- retort:revision 3f2a9c1d4e5b\n"
    "-- retort:down_revision 9ab8c7d6e5f4\n"
    "-- retort:branch_labels\n"
    "-- retort:depends_on\n"
    "-- retort:message add users table\n"
    "-- retort:create_date 2026-11-24 10:00:00\n"
    "-- retort:transactional true\n"
    "\n"
    "-- retort:upgrade\n"
    "CREATE TABLE users (id INTEGER PRIMARY KEY, name VARCHAR(50) NOT NULL);\n"
    "\n"
    "-- retort:downgrade\n"
    "DROP TABLE users;\n";

/// The message of the ScriptError that reading the header of `text` throws.
std::string header_error(const std::string& text) {
  TempRevisionFile f(text);
  try {
    read_sql_revision_header(f.path());
  } catch (const ScriptError& e) {
    return e.what();
  }
  FAIL("no ScriptError for\n" << text);
  return {};
}

std::string replace(std::string text, const std::string& from, const std::string& to) {
  auto p = text.find(from);
  REQUIRE(p != std::string::npos);
  return text.replace(p, from.size(), to);
}

}  // namespace

TEST_CASE("revision file: the header in the issue's exact form", "[migrate][sqlite]") {
  TempRevisionFile f(kIssueExample);
  auto rev = read_sql_revision_header(f.path());
  CHECK(rev.id == "3f2a9c1d4e5b");
  CHECK(rev.down_revisions == std::vector<std::string>{"9ab8c7d6e5f4"});
  CHECK(rev.branch_labels.empty());
  CHECK(rev.depends_on.empty());
  CHECK(rev.message == "add users table");
  CHECK(rev.create_date == "2026-11-24 10:00:00");
  CHECK(rev.transactional);
  CHECK(rev.path == f.path());
  CHECK_FALSE(rev.is_base());
  CHECK_FALSE(rev.is_merge());

  SECTION("the bodies, split, with their file lines") {
    auto up = read_sql_revision_body(f.path(), true).statements;
    REQUIRE(up.size() == 1);
    CHECK(up[0].text == "CREATE TABLE users (id INTEGER PRIMARY KEY, name VARCHAR(50) NOT NULL)");
    CHECK(up[0].line == 10);
    auto down = read_sql_revision_body(f.path(), false).statements;
    REQUIRE(down.size() == 1);
    CHECK(down[0].text == "DROP TABLE users");
    CHECK(down[0].line == 13);
  }
}

TEST_CASE("revision file: empty values, bases, merges and lists", "[migrate][sqlite]") {
  SECTION("an empty down_revision is a base; trailing blanks are fine") {
    TempRevisionFile f(replace(kIssueExample, "-- retort:down_revision 9ab8c7d6e5f4", "-- retort:down_revision   "));
    auto rev = read_sql_revision_header(f.path());
    CHECK(rev.is_base());
    CHECK(rev.down_revisions.empty());
  }
  SECTION("a merge: comma-separated down_revision; labels and dependencies are lists too") {
    auto text = replace(kIssueExample, "9ab8c7d6e5f4", "9ab8c7d6e5f4, 1234abcd5678,ffff0000eeee");
    text = replace(text, "-- retort:branch_labels", "-- retort:branch_labels feature, reports");
    text = replace(text, "-- retort:depends_on", "-- retort:depends_on aaa111,bbb222");
    TempRevisionFile f(text);
    auto rev = read_sql_revision_header(f.path());
    CHECK(rev.is_merge());
    CHECK(rev.down_revisions == std::vector<std::string>{"9ab8c7d6e5f4", "1234abcd5678", "ffff0000eeee"});
    CHECK(rev.branch_labels == std::vector<std::string>{"feature", "reports"});
    CHECK(rev.depends_on == std::vector<std::string>{"aaa111", "bbb222"});
  }
  SECTION("transactional false") {
    TempRevisionFile f(replace(kIssueExample, "transactional true", "transactional false"));
    CHECK_FALSE(read_sql_revision_header(f.path()).transactional);
  }
  SECTION("optional keys may be left out; ordinary comments are allowed in the header") {
    TempRevisionFile f(
        "-- retort:revision abc\n-- a note for readers\n-- retort:down_revision\n\n"
        "-- retort:upgrade\nSELECT 1;\n");
    auto rev = read_sql_revision_header(f.path());
    CHECK(rev.id == "abc");
    CHECK(rev.message.empty());
    CHECK(rev.transactional);
    CHECK(read_sql_revision_body(f.path(), false).statements.empty());
  }
}

TEST_CASE("revision file: header errors name file:line", "[migrate][sqlite]") {
  SECTION("a misspelt key") {
    auto msg = header_error(replace(kIssueExample, "-- retort:depends_on", "-- retort:depend_on x"));
    CHECK(msg.find("3f2a9c1d4e5b_add_users.sql:4:") != std::string::npos);
    CHECK(msg.find("unknown header key 'depend_on'") != std::string::npos);
    CHECK(msg.find("depends_on") != std::string::npos);  // the known keys are listed
  }
  SECTION("a duplicate key") {
    auto msg = header_error(replace(kIssueExample, "-- retort:message add users table",
                                    "-- retort:message add users table\n-- retort:revision 111"));
    CHECK(msg.find("_add_users.sql:6:") != std::string::npos);
    CHECK(msg.find("'revision' given twice (first on line 1)") != std::string::npos);
  }
  SECTION("no revision line") {
    auto msg = header_error(replace(kIssueExample, "-- retort:revision 3f2a9c1d4e5b\n", ""));
    CHECK(msg.find("_add_users.sql:1: missing `-- retort:revision") != std::string::npos);
  }
  SECTION("no down_revision line") {
    auto msg = header_error(replace(kIssueExample, "-- retort:down_revision 9ab8c7d6e5f4\n", ""));
    CHECK(msg.find("missing `-- retort:down_revision`") != std::string::npos);
  }
  SECTION("no upgrade section") {
    auto msg = header_error("-- retort:revision abc\n-- retort:down_revision\n");
    CHECK(msg.find("missing the `-- retort:upgrade` section") != std::string::npos);
  }
  SECTION("SQL before the upgrade marker") {
    auto msg = header_error("-- retort:revision abc\n-- retort:down_revision\nDROP TABLE x;\n-- retort:upgrade\n");
    CHECK(msg.find("_add_users.sql:3: SQL before") != std::string::npos);
  }
  SECTION("a bad transactional value and a bad id") {
    CHECK(header_error(replace(kIssueExample, "transactional true", "transactional maybe"))
              .find(":7: transactional must be true or false") != std::string::npos);
    CHECK(header_error(replace(kIssueExample, "3f2a9c1d4e5b\n", "3f2a 9c1d\n")).find(":1: revision id") !=
          std::string::npos);
  }
}
