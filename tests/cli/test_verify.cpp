// Checksums and `retort verify` (issue 10, item 16): every revision run or stamped is recorded in
// the history table beside the version table, with its file's checksum, in the revision's own
// transaction; `verify` lists applied revisions whose file changed, disappeared or was never
// recorded and exits 1; `upgrade` warns on an edited revision and `--strict` stops there.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include <retort/migrate/revision_checksum.hpp>

#include "support/cli_database.hpp"
#include "support/cli_project.hpp"
#include "support/text.hpp"

using namespace retort::testing;
using Rows = std::vector<std::string>;

namespace {

using retort::testing::contains;

const std::string r1 = "ce0000000001", r2 = "ce0000000002", r3 = "ce0000000003";

void write_chain(const CliProject& project) {
  project.write_revision({.id = r1, .upgrade = "CREATE TABLE t1 (id INTEGER)", .downgrade = "DROP TABLE t1"});
  project.write_revision(
      {.id = r2, .down_revision = r1, .upgrade = "CREATE TABLE t2 (id INTEGER)", .downgrade = "DROP TABLE t2"});
  project.write_revision(
      {.id = r3, .down_revision = r2, .upgrade = "CREATE TABLE t3 (id INTEGER)", .downgrade = "DROP TABLE t3"});
}

void verify_flow(Backend backend) {
  CliProject project;
  auto db = CliDatabase::create(backend, project.root());
  if (!db) return;
  project.set_url(db->url());
  write_chain(project);

  project.ok("upgrade " + r2);
  CHECK(db->rows("SELECT revision, action FROM retort_version_history ORDER BY applied_at") ==
        Rows{r1 + "|upgrade", r2 + "|upgrade"});
  CHECK(contains(project.ok("verify"), "verified"));

  // An applied revision edited afterwards: verify fails, upgrade warns, --strict stops.
  auto path = project.versions() / (r1 + ".sql");
  auto original = project.read_file(path);
  auto edited = original;
  edited.replace(edited.find("t1 (id INTEGER)"), 15, "t1 (id BIGINT)");
  project.write_file(path, edited);
  auto changed = project.retort("verify");
  CHECK(changed.exit_code == 1);
  CHECK(contains(changed.output, "changed: " + r1));
  CHECK_FALSE(contains(changed.output, "changed: " + r2));
  auto strict = project.retort("upgrade head --strict");
  CHECK(strict.exit_code == 1);
  CHECK(contains(strict.output, r1));
  CHECK(db->version_rows() == Rows{r2});
  auto warned = project.ok("upgrade head");
  CHECK(contains(warned, "warning: 1 applied revision's file has changed since it ran: " + r1));
  CHECK(db->version_rows() == Rows{r3});

  // Line ends and trailing blanks are not edits.
  std::string crlf;
  for (char c : original) crlf += c == '\n' ? std::string("  \r\n") : std::string(1, c);
  project.write_file(path, crlf);
  CHECK(contains(project.ok("verify"), "verified"));

  // Rows written by another tool (Alembic, an offline script) have no history: never recorded,
  // until accepted.
  project.ok("downgrade base");
  REQUIRE(db->query("INSERT INTO retort_version (version_num) VALUES ('" + r2 + "')").exit_code == 0);
  auto never = project.retort("verify");
  CHECK(never.exit_code == 1);
  CHECK(contains(never.output, "never recorded: " + r1));
  CHECK(contains(never.output, "never recorded: " + r2));
  auto accepted = project.ok("verify --record-missing");
  CHECK(contains(accepted, "recorded: " + r1));
  CHECK(contains(project.ok("verify"), "verified"));

  // A revision file deleted after it ran.
  project.ok("upgrade head");
  std::filesystem::remove(project.versions() / (r3 + ".sql"));
  auto gone = project.retort("verify");
  CHECK(gone.exit_code == 1);
  CHECK(contains(gone.output, "disappeared: " + r3));
}

}  // namespace

TEST_CASE("revision checksum: the SQL counts, line ends, a BOM and trailing blanks do not", "[migrate]") {
  using retort::migrate::revision_checksum_of_text;
  auto plain = revision_checksum_of_text("-- retort:upgrade\nCREATE TABLE t (id INTEGER);\n");
  CHECK(plain.rfind("fnv1a64:", 0) == 0);
  CHECK(plain.size() == 8 + 16);
  CHECK(revision_checksum_of_text("\xEF\xBB\xBF-- retort:upgrade  \r\nCREATE TABLE t (id INTEGER);\r\n\r\n\n") ==
        plain);
  CHECK(revision_checksum_of_text("-- retort:upgrade\nCREATE TABLE t (id BIGINT);\n") != plain);
  CHECK(revision_checksum_of_text("-- retort:upgrade\n\nCREATE TABLE t (id INTEGER);\n") != plain);
}

TEST_CASE("sqlite: verify lists edited, deleted and unrecorded revisions, and upgrade --strict stops",
          "[sqlite][backends]") {
  verify_flow(Backend::sqlite);
}
TEST_CASE("postgresql: verify lists edited, deleted and unrecorded revisions, and upgrade --strict stops",
          "[postgresql][backends]") {
  verify_flow(Backend::postgresql);
}
TEST_CASE("mysql: verify lists edited, deleted and unrecorded revisions, and upgrade --strict stops",
          "[mysql][backends]") {
  verify_flow(Backend::mysql);
}
