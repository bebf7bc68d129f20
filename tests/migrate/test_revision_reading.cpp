// Reading revision files that are odd but real: ids and labels a target would misread, a byte
// order mark, a section marker with a comment, NUL bytes, a missing downgrade section. Listing
// (the header) and running (the bodies) must read each file the same way.
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

/// A revision file r.sql holding exactly `text`, in a fresh folder removed afterwards.
class RevisionFile {
 public:
  explicit RevisionFile(const std::string& text) {
    static std::atomic<int> counter{0};
    const char* base = std::getenv("RETORT_TEST_TMPDIR");
    dir_ = fs::path(base ? base : fs::temp_directory_path().string()) /
           ("revread-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::create_directories(dir_);
    path_ = dir_ / "r.sql";
    std::ofstream(path_, std::ios::binary) << text;
  }
  ~RevisionFile() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path dir_, path_;
};

/// A revision file's text with `header` lines between the required ones and the sections.
std::string revision_text(const std::string& id, const std::string& header = "",
                          const std::string& sections = "-- retort:upgrade\nSELECT 1;\n-- retort:downgrade\n") {
  return "-- retort:revision " + id + "\n-- retort:down_revision\n" + header + "\n" + sections;
}

/// The message of the ScriptError that reading `text`'s header throws ("" when it reads).
std::string header_error(const std::string& text) {
  RevisionFile f(text);
  try {
    read_sql_revision_header(f.path());
  } catch (const ScriptError& e) {
    return e.what();
  }
  return "";
}

/// The message of the ScriptError that reading `text`'s upgrade body throws ("" when it reads).
std::string body_error(const std::string& text) {
  RevisionFile f(text);
  try {
    read_sql_revision_body(f.path(), true);
  } catch (const ScriptError& e) {
    return e.what();
  }
  return "";
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("revision reading: ids and labels that a target would misread are refused with file:line", "[migrate]") {
  // `upgrade release-1` means "release minus one"; '@' and ':' are label and range syntax.
  for (std::string id : {"release-1", "a+b", "lbl@x", "a:b", "a.b", "a b", "caf\xc3\xa9"}) {
    INFO(id);
    auto msg = header_error(revision_text(id));
    CHECK(has(msg, "r.sql:1: revision id '" + id + "' contains "));
  }
  CHECK(header_error(revision_text(std::string(32, 'a'))).empty());
  CHECK(has(header_error(revision_text(std::string(33, 'a'))), "r.sql:1: revision id"));
  CHECK(header_error(revision_text("Release_2024_01")).empty());

  SECTION("head, heads, base and current name positions, not revisions or labels") {
    for (std::string name : {"head", "heads", "base", "current"}) {
      INFO(name);
      CHECK(has(header_error(revision_text(name)), "r.sql:1: revision id '" + name + "' is a reserved word"));
      CHECK(has(header_error(revision_text("abc", "-- retort:branch_labels feature, " + name + "\n")),
                "r.sql:3: branch label '" + name + "' is a reserved word"));
    }
  }
  SECTION("labels, parents and dependencies follow the rules `revision` writes by") {
    CHECK(has(header_error(revision_text("abc", "-- retort:branch_labels feature-1\n")),
              "r.sql:3: branch label 'feature-1' has a '-' before a digit"));
    CHECK(has(header_error(revision_text("abc", "-- retort:branch_labels a@b\n")), "r.sql:3: branch label 'a@b'"));
    CHECK(has(header_error("-- retort:revision abc\n-- retort:down_revision a-b\n-- retort:upgrade\n"),
              "r.sql:2: down_revision: revision id 'a-b' contains '-'"));
    CHECK(has(header_error(revision_text("abc", "-- retort:depends_on x@head\n")),
              "r.sql:3: depends_on: branch label 'x@head'"));
    CHECK(header_error(revision_text("abc", "-- retort:branch_labels feature-x, reports\n")).empty());
  }
}

TEST_CASE("revision reading: a NUL byte in the header is refused with file:line, not cut", "[migrate]") {
  auto msg = header_error(revision_text(std::string("ab\0cd", 5)));
  CHECK(has(msg, "r.sql:1: a NUL byte in the header"));
  CHECK(msg.find('\0') == std::string::npos);
  CHECK(has(header_error(revision_text("abc", std::string("-- retort:message one\0two\n", 26))),
            "r.sql:3: a NUL byte in the header"));
  CHECK(has(body_error(revision_text("abc", "", std::string("-- retort:upgrade\nSELECT '\0';\n", 30))),
            "r.sql:5: a NUL byte in the SQL"));
}

TEST_CASE("revision reading: a UTF-8 byte order mark at the start is skipped", "[migrate]") {
  RevisionFile f("\xEF\xBB\xBF" + revision_text("abc", "", "-- retort:upgrade\nCREATE TABLE t (id INTEGER);\n"));
  CHECK(read_sql_revision_header(f.path()).id == "abc");
  auto up = read_sql_revision_body(f.path(), true).statements;
  REQUIRE(up.size() == 1);
  CHECK(up[0].text == "CREATE TABLE t (id INTEGER)");
  CHECK(up[0].line == 5);
  // UTF-16 (an editor's "Unicode") is named, not reported as SQL before the header.
  CHECK(has(header_error(std::string("\xFF\xFE-\0-\0", 6)), "r.sql:1: the file is UTF-16; save it as UTF-8"));
}

TEST_CASE("revision reading: section markers read the same for listing and for running", "[migrate]") {
  SECTION("a marker followed by a comment") {
    RevisionFile f(revision_text("abc", "",
                                 "-- retort:upgrade   -- creates t\nCREATE TABLE t (id INTEGER);\n"
                                 "\t-- retort:downgrade -- drops t\r\nDROP TABLE t;\n"));
    CHECK(read_sql_revision_header(f.path()).id == "abc");
    auto up = read_sql_revision_body(f.path(), true).statements;
    REQUIRE(up.size() == 1);
    CHECK(up[0].text == "CREATE TABLE t (id INTEGER)");
    auto down = read_sql_revision_body(f.path(), false).statements;
    REQUIRE(down.size() == 1);
    CHECK(down[0].text == "DROP TABLE t");
    CHECK(down[0].line == 7);
  }
  SECTION("anything else after a marker is refused by both") {
    auto text = revision_text("abc", "", "-- retort:upgrade now\nSELECT 1;\n");
    CHECK(has(header_error(text), "r.sql:4: only a `--` comment may follow `-- retort:upgrade`"));
    CHECK(has(body_error(text), "r.sql:4: only a `--` comment may follow `-- retort:upgrade`"));
  }
  SECTION("a misspelt or repeated marker in the body is an error, not SQL run by the upgrade") {
    CHECK(has(body_error(revision_text("abc", "",
                                       "-- retort:upgrade\nCREATE TABLE t (id INTEGER);\n"
                                       "-- retort:downgrad\nDROP TABLE t;\n")),
              "r.sql:6: '-- retort:downgrad' after `-- retort:upgrade`"));
    CHECK(has(body_error(revision_text("abc", "", "-- retort:upgrade\n-- retort:downgrade\n-- retort:downgrade\n")),
              "r.sql:6: a second `-- retort:downgrade` line"));
    CHECK(has(body_error(revision_text("abc", "", "-- retort:upgrade\nSELECT 1;\n-- retort:upgrade\n")),
              "r.sql:6: a second `-- retort:upgrade` line"));
    CHECK(has(body_error(revision_text("abc", "", "-- retort:upgrade\n-- retort:message late\n")),
              "r.sql:5: '-- retort:message late' after `-- retort:upgrade`"));
  }
  SECTION("the marker text inside a header value does not end the header") {
    RevisionFile f(revision_text("abc", "-- retort:message see -- retort:upgrade below\n"));
    auto rev = read_sql_revision_header(f.path());
    CHECK(rev.message == "see -- retort:upgrade below");
  }
}

TEST_CASE("revision reading: a missing downgrade section is told apart from an empty one", "[migrate]") {
  RevisionFile missing(revision_text("abc", "", "-- retort:upgrade\nCREATE TABLE t (id INTEGER);\n"));
  CHECK_FALSE(read_sql_revision_body(missing.path(), false).present);
  CHECK(read_sql_revision_body(missing.path(), true).present);
  RevisionFile empty(
      revision_text("abc", "", "-- retort:upgrade\nCREATE TABLE t (id INTEGER);\n-- retort:downgrade\n"));
  auto body = read_sql_revision_body(empty.path(), false);
  CHECK(body.present);
  CHECK(body.statements.empty());
}
