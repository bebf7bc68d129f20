// `retort revision --autogenerate`, `diff` and `check` on SQLite, as a user runs them: a project
// whose declared schema is a SQL file, revisions written in both formats, run, and checked.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>

#include <retort/core/text.hpp>
#include <retort/retort.hpp>

#include "support/cli_database.hpp"
#include "support/cli_project.hpp"
#include "support/text.hpp"

namespace {

namespace fs = std::filesystem;
using retort::testing::CliProject;
using retort::testing::contains;

void declare(const CliProject& project, const std::string& schema) {
  project.write_file(project.dir() / "schema.sql", schema);
}

/// [autogenerate] schema = "schema.sql", and the format asked for.
void configure(const CliProject& project, const std::string& format) {
  auto toml = project.read_file(project.dir() / "retort.toml");
  auto pos = toml.find("revision_format = \"sql\"");
  REQUIRE(pos != std::string::npos);
  toml.replace(pos, std::string("revision_format = \"sql\"").size(), "revision_format = \"" + format + "\"");
  toml += "\n[autogenerate]\nschema = \"schema.sql\"\n";
  project.write_file(project.dir() / "retort.toml", toml);
}

int revision_files(const CliProject& project) {
  int n = 0;
  for (const auto& e : fs::directory_iterator(project.versions()))
    if (e.path().extension() == ".sql" || e.path().extension() == ".cpp") ++n;
  return n;
}

const char* kFirstSchema =
    "CREATE TABLE users (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(50) NOT NULL);\n"
    "CREATE TABLE posts (id INTEGER NOT NULL PRIMARY KEY, user_id INTEGER REFERENCES users (id),\n"
    "  title VARCHAR(200));\n"
    "CREATE INDEX ix_posts_title ON posts (title);\n";
const char* kSecondSchema =
    "CREATE TABLE users (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(80) NOT NULL, email VARCHAR(120));\n"
    "CREATE TABLE posts (id INTEGER NOT NULL PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id),\n"
    "  title VARCHAR(200), CONSTRAINT ck_posts_title CHECK (title <> ''));\n"
    "CREATE UNIQUE INDEX ix_users_email ON users (email);\n";

void round_trip(const std::string& format) {
  CliProject project;
  configure(project, format);
  declare(project, kFirstSchema);
  project.ok("upgrade head");
  // The drift gate: the empty database differs from the declaration.
  auto drift = project.retort("check");
  CHECK(drift.exit_code == 1);
  CHECK(contains(drift.output, "users"));
  CHECK(contains(drift.output, "revision --autogenerate"));

  auto first = project.ok("revision --autogenerate -m \"users and posts\"");
  CHECK(contains(first, "Generated"));
  REQUIRE(revision_files(project) == 1);
  project.ok("upgrade head");
  CHECK(contains(project.ok("check"), "No changes"));

  // Nothing differs: nothing is written.
  CHECK(contains(project.ok("revision --autogenerate -m again"), "nothing written"));
  CHECK(revision_files(project) == 1);

  // The declaration moves on: a wider column, a new column and unique index, a dropped index, a
  // NOT NULL and a CHECK on a table that other rows refer to (SQLite recreates it).
  project.ok("upgrade head");
  auto conn_rows = project.shell(
      "sqlite3 app.db \"INSERT INTO users (id, name) VALUES (1, 'ada'); INSERT INTO posts VALUES (1, 1, 'hello')\"");
  REQUIRE(conn_rows.exit_code == 0);
  declare(project, kSecondSchema);
  auto text = project.ok("diff");
  CHECK(contains(text, "email"));
  CHECK(contains(text, "ix_posts_title"));
  CHECK(contains(project.ok("diff --format " + format), format == "cpp" ? "batch_alter_table" : "ALTER TABLE"));
  auto json = project.ok("diff --format json");
  CHECK(contains(json, "\"differences\": ["));
  CHECK(contains(json, R"({"change": "missing", "object": "column", "table": "users", "name": "email", )"));
  auto second = project.retort("revision --autogenerate -m \"second\"");
  REQUIRE(second.exit_code == 0);
  CHECK(contains(second.output, "warning: sets posts.user_id NOT NULL"));
  project.ok("upgrade head");
  CHECK(contains(project.ok("check"), "No changes"));
  // Rows kept through the recreation, and the downgrade goes back to the first declaration.
  CHECK(contains(project.shell("sqlite3 app.db \"SELECT title FROM posts\"").output, "hello"));
  project.ok("downgrade -1");
  declare(project, kFirstSchema);
  // `check` wants the database at head; `diff` compares it as it is.
  CHECK(project.retort("check").exit_code == 1);
  CHECK(contains(project.ok("diff"), "No differences"));
  CHECK(contains(project.shell("sqlite3 app.db \"SELECT count(*) FROM posts\"").output, "1"));
}

TEST_CASE("autogenerate: SQL revisions from a schema file, upgraded, checked and downgraded", "[cli][autogenerate]") {
  round_trip("sql");
}

TEST_CASE("autogenerate: C++ revisions from a schema file, upgraded, checked and downgraded", "[cli][autogenerate]") {
  round_trip("cpp");
}

TEST_CASE("autogenerate: bad input is refused and writes nothing", "[cli][autogenerate]") {
  CliProject project;
  project.ok("upgrade head");
  // No declared schema anywhere: a usage error.
  auto none = project.retort("revision --autogenerate -m x");
  CHECK(none.exit_code == 2);
  CHECK(contains(none.output, "[autogenerate]"));
  configure(project, "sql");
  // A statement the database refuses names the file and line.
  declare(project, "CREATE TABLE a (id INTEGER PRIMARY KEY);\n\nCREATE TABLE b (id INTEGER PRIMARY KEY,, x);\n");
  auto bad = project.retort("revision --autogenerate -m x");
  CHECK(bad.exit_code == 1);
  CHECK(contains(bad.output, "schema.sql:3"));
  CHECK(revision_files(project) == 0);
  // A database that is not at head is not compared.
  declare(project, "CREATE TABLE a (id INTEGER PRIMARY KEY);\n");
  project.ok("revision -m manual");
  auto behind = project.retort("revision --autogenerate -m x");
  CHECK(behind.exit_code == 1);
  CHECK(contains(behind.output, "not up to date"));
  CHECK(revision_files(project) == 1);
  // The autogenerate options without --autogenerate.
  CHECK(project.retort("revision -m y --schema schema.sql").exit_code == 2);
}

}  // namespace

namespace {

using retort::testing::Backend;
using retort::testing::CliDatabase;

/// On a server the schema file is read through a scratch schema (PostgreSQL) or database (MySQL)
/// on dev_url, which is gone afterwards.
void schema_file_on_a_server(Backend backend) {
  CliProject project;
  auto db = CliDatabase::create(backend, project.root());
  if (!db) return;
  project.set_url(db->url());
  configure(project, "sql");
  declare(project, kFirstSchema);
  project.ok("upgrade head");
  // Without dev_url there is nowhere to apply the file.
  auto refused = project.retort("revision --autogenerate -m first");
  CHECK(refused.exit_code == 1);
  CHECK(contains(refused.output, "dev_url"));
  std::string dev = " --dev-url '" + db->url() + "'";
  project.ok("revision --autogenerate -m first" + dev);
  project.ok("upgrade head");
  CHECK(contains(project.ok("check" + dev), "No changes"));
  declare(project, kSecondSchema);
  project.ok("revision --autogenerate -m second" + dev);
  project.ok("upgrade head");
  CHECK(contains(project.ok("check" + dev), "No changes"));
  project.ok("downgrade -1");
  declare(project, kFirstSchema);
  CHECK(contains(project.ok("diff" + dev), "No differences"));
  // No scratch schema or database is left behind.
  auto scratch = backend == Backend::postgresql
                     ? db->rows("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'retort_dev_%'")
                     : db->rows(
                           "SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE "
                           "'retort\\_dev\\_%'");
  CHECK(scratch.empty());
}

}  // namespace

TEST_CASE("autogenerate: a schema file on PostgreSQL through a scratch schema", "[cli][autogenerate][postgresql]") {
  schema_file_on_a_server(Backend::postgresql);
}

TEST_CASE("autogenerate: a schema file on MariaDB through a scratch database", "[cli][autogenerate][mysql]") {
  schema_file_on_a_server(Backend::mysql);
}

namespace {

/// ../shared/schemas/<name>/<dialect>.sql, beside the source tree (never copied into it), or
/// RETORT_SHARED_SCHEMAS/<name>/<dialect>.sql; empty when absent.
std::filesystem::path shared_schema(const std::string& name, const std::string& dialect) {
  auto root = std::filesystem::path(__FILE__).parent_path().parent_path().parent_path() / ".." / "shared" / "schemas";
  if (const char* env = std::getenv("RETORT_SHARED_SCHEMAS")) root = env;
  auto file = root / name / (dialect + ".sql");
  return std::filesystem::exists(file) ? file : std::filesystem::path();
}

/// A real schema written by others, loaded into the database and declared by its own file: no
/// difference may show (Alembic reports defaults and types that did not change on such schemas).
void shared_schema_has_no_spurious_differences(Backend backend) {
  auto file = shared_schema("chinook", retort::testing::backend_name(backend));
  if (file.empty()) {
    WARN("skipped: ../shared/schemas/chinook is absent (a machine outside the workplace)");
    return;
  }
  CliProject project;
  auto db = CliDatabase::create(backend, project.root());
  if (!db) return;
  project.set_url(db->url());
  project.ok("upgrade head");
  auto loaded = project.retort("diff --schema " + file.string() + " --dev-url '" + db->url() + "' --format json");
  INFO(loaded.output);
  REQUIRE(loaded.exit_code == 0);
  // Before loading, every table is missing (PostgreSQL's copy names them in lower case).
  CHECK(contains(retort::core::to_lower(loaded.output), "\"album\""));
  auto engine = retort::create_engine(db->url());
  engine.connect().execute_script(project.read_file(file));
  auto diff = project.retort("diff --schema " + file.string() + " --dev-url '" + db->url() + "'");
  INFO(diff.output);
  CHECK(diff.exit_code == 0);
  CHECK(contains(diff.output, "No differences"));
  CHECK(contains(project.ok("check --schema " + file.string() + " --dev-url '" + db->url() + "'"), "No changes"));
}

}  // namespace

TEST_CASE("autogenerate: the Chinook schema compared with itself gives no difference on SQLite",
          "[cli][autogenerate][sqlite]") {
  shared_schema_has_no_spurious_differences(Backend::sqlite);
}
TEST_CASE("autogenerate: the Chinook schema compared with itself gives no difference on PostgreSQL",
          "[cli][autogenerate][postgresql]") {
  shared_schema_has_no_spurious_differences(Backend::postgresql);
}
TEST_CASE("autogenerate: the Chinook schema compared with itself gives no difference on MariaDB",
          "[cli][autogenerate][mysql]") {
  shared_schema_has_no_spurious_differences(Backend::mysql);
}

namespace {

std::string models(const std::string& users_columns) {
  return "#include <retort/migrate/cpp_metadata.hpp>\n\n"
         "RETORT_METADATA(metadata) {\n"
         "  metadata.table(\"users\", retort::Column(\"id\", retort::Integer{}).primary_key(),\n"
         "                 retort::Column(\"email\", retort::String{200}).not_null().unique()" +
         users_columns +
         ");\n"
         "  metadata.table(\"posts\", retort::Column(\"id\", retort::Integer{}).primary_key(),\n"
         "                 retort::Column(\"user_id\", retort::Integer{}).references(\"users.id\"));\n"
         "}\n";
}

}  // namespace

TEST_CASE("autogenerate: a C++ metadata file declares the schema, compiled and cached", "[cli][autogenerate][cpp]") {
  CliProject project;
  auto toml = project.read_file(project.dir() / "retort.toml");
  project.write_file(project.dir() / "retort.toml", toml + "\n[autogenerate]\nmetadata = \"models.cpp\"\n");
  project.write_file(project.dir() / "models.cpp", models(""));
  project.ok("upgrade head");
  auto first = project.ok("revision --autogenerate -m \"users and posts\"");
  CHECK(contains(first, "Generated"));
  project.ok("upgrade head");
  CHECK(contains(project.ok("check"), "No changes"));
  // An edit is compiled again, never read from a stale cache entry.
  project.write_file(project.dir() / "models.cpp",
                     models(",\n                 retort::Column(\"name\", retort::Text{})"));
  auto drift = project.retort("check");
  CHECK(drift.exit_code == 1);
  CHECK(contains(drift.output, "column name declared but not reflected"));
  // A compile error names the file and line; a file without RETORT_METADATA says what it lacks.
  project.write_file(project.dir() / "models.cpp",
                     models(",\n                 retort::Column(\"name\", retort::NoSuchType{})"));
  auto broken = project.retort("check");
  CHECK(broken.exit_code == 1);
  CHECK(contains(broken.output, "models.cpp:6"));
  project.write_file(project.dir() / "models.cpp", "#include <retort/migrate/cpp_metadata.hpp>\n");
  auto empty = project.retort("check");
  CHECK(empty.exit_code == 1);
  CHECK(contains(empty.output, "declares no schema"));
}

TEST_CASE("autogenerate: renames are told with --rename and keep the data; a likely rename fails under --strict",
          "[cli][autogenerate]") {
  CliProject project;
  configure(project, "sql");
  declare(project,
          "CREATE TABLE users (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(50));\n"
          "CREATE TABLE posts (id INTEGER NOT NULL PRIMARY KEY, user_id INTEGER REFERENCES users (id));\n");
  project.ok("upgrade head");
  project.ok("revision --autogenerate -m first");
  project.ok("upgrade head");
  REQUIRE(project.shell("sqlite3 app.db \"INSERT INTO users VALUES (1, 'ada'); INSERT INTO posts VALUES (7, 1)\"")
              .exit_code == 0);
  declare(project,
          "CREATE TABLE users (id INTEGER NOT NULL PRIMARY KEY, full_name VARCHAR(50));\n"
          "CREATE TABLE articles (id INTEGER NOT NULL PRIMARY KEY, user_id INTEGER REFERENCES users (id));\n");
  // Without hints this is a drop and an add: strict says so and writes nothing.
  auto strict = project.retort("revision --autogenerate -m renames --strict");
  CHECK(strict.exit_code == 1);
  CHECK(contains(strict.output, "--rename users.name:full_name"));
  CHECK(contains(strict.output, "--rename posts:articles"));
  CHECK(revision_files(project) == 1);
  // Not strict: written as it is, with the warnings.
  auto loose = project.retort("diff --format sql");
  CHECK(contains(loose.output, "possible rename"));
  // Told, the data stays.
  project.ok("revision --autogenerate -m renames --strict --rename users.name:full_name --rename posts:articles");
  project.ok("upgrade head");
  CHECK(contains(project.shell("sqlite3 app.db \"SELECT full_name FROM users; SELECT id FROM articles\"").output,
                 "ada\n7"));
  CHECK(contains(project.ok("check"), "No changes"));
  project.ok("downgrade -1");
  CHECK(contains(project.shell("sqlite3 app.db \"SELECT name FROM users; SELECT id FROM posts\"").output, "ada\n7"));
  // A rename of something the database does not have is a usage error.
  CHECK(project.retort("diff --rename nosuch:other").exit_code == 2);
  CHECK(project.retort("diff --rename users").exit_code == 2);
}

TEST_CASE("autogenerate: include and exclude globs leave tables out of the comparison", "[cli][autogenerate]") {
  CliProject project;
  configure(project, "sql");
  auto toml = project.read_file(project.dir() / "retort.toml");
  project.write_file(project.dir() / "retort.toml", toml + "exclude = [\"legacy_*\"]\n");
  declare(project, "CREATE TABLE users (id INTEGER NOT NULL PRIMARY KEY);\n");
  project.ok("upgrade head");
  REQUIRE(project.shell("sqlite3 app.db \"CREATE TABLE legacy_orders (id INTEGER PRIMARY KEY)\"").exit_code == 0);
  auto diff = project.ok("diff");
  CHECK(contains(diff, "table users: declared but not reflected"));
  CHECK_FALSE(contains(diff, "legacy_orders"));
  project.write_file(project.dir() / "retort.toml", toml + "include = [\"legacy_*\"]\n");
  auto only = project.ok("diff");
  CHECK(contains(only, "legacy_orders"));
  CHECK_FALSE(contains(only, "users"));
}
