// C++ revision files through the real `retort` program: written by `retort revision` under
// revision_format = "cpp", listed without compiling, compiled on demand (cold) and loaded from the
// cache (warm), recompiled after an edit, mixed with SQL revisions in one chain, rendered by --sql,
// and a compile error that names the file and line and changes nothing in the database.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "support/cli_database.hpp"
#include "support/cli_project.hpp"
#include "support/text.hpp"

using namespace retort::testing;
using Rows = std::vector<std::string>;
namespace fs = std::filesystem;

namespace {

using retort::testing::contains;

std::string create_table(const std::string& table) {
  return "  op.create_table(\"" + table +
         "\", retort::Column(\"id\", retort::Integer{}).primary_key(), retort::Column(\"name\", retort::String{50}));";
}
std::string drop_table(const std::string& table) { return "  op.drop_table(\"" + table + "\");"; }

/// The compiled objects in the project's cache.
int cached_objects(const CliProject& project) {
  int n = 0;
  fs::path cache = project.dir() / "migrations" / ".retort-cache";
  if (!fs::exists(cache)) return 0;
  for (const auto& e : fs::directory_iterator(cache))
    if (e.path().extension() == ".so") ++n;
  return n;
}

void use_cpp_format(const CliProject& project) {
  auto toml = project.read_file(project.dir() / "retort.toml");
  auto pos = toml.find("revision_format = \"sql\"");
  REQUIRE(pos != std::string::npos);
  toml.replace(pos, std::string("revision_format = \"sql\"").size(), "revision_format = \"cpp\"");
  project.write_file(project.dir() / "retort.toml", toml);
}

}  // namespace

TEST_CASE("cpp revisions: revision writes a C++ file that upgrade compiles and runs", "[cli][cpp][sqlite]") {
  CliProject project;
  use_cpp_format(project);
  auto db = CliDatabase::create(Backend::sqlite, project.root());
  project.set_url(db->url());

  auto out = project.ok("revision -m \"add users\" --rev-id aa01");
  auto file = project.versions() / "aa01_add_users.cpp";
  REQUIRE(fs::exists(file));
  auto text = project.read_file(file);
  CHECK(contains(text, "// retort:revision aa01"));
  CHECK(contains(text, "RETORT_UPGRADE(op)"));
  CHECK(contains(text, "RETORT_DOWNGRADE(op)"));
  // Listing reads the header: nothing is compiled.
  CHECK(contains(project.ok("history"), "aa01"));
  CHECK(cached_objects(project) == 0);

  // The generated file compiles as written (its steps do nothing yet).
  project.ok("upgrade head");
  CHECK(db->version_rows() == Rows{"aa01"});
  project.ok("downgrade base");

  project.write_cpp_revision(
      "aa01", "",
      create_table("users") + "\n  op.add_column(\"users\", retort::Column(\"email\", retort::String{100}));",
      drop_table("users"));
  fs::remove(file);
  project.ok("upgrade head");
  CHECK(db->has_table("users"));
  CHECK(db->rows("SELECT count(*) FROM pragma_table_info('users') WHERE name = 'email'") == Rows{"1"});
  int objects = cached_objects(project);
  CHECK(objects >= 1);

  // Warm: the cached object is loaded, nothing new is compiled.
  project.ok("downgrade base");
  CHECK_FALSE(db->has_table("users"));
  project.ok("upgrade head");
  CHECK(db->has_table("users"));
  CHECK(cached_objects(project) == objects);
}

TEST_CASE("cpp revisions: an edited revision is compiled again, never loaded stale", "[cli][cpp][sqlite]") {
  CliProject project;
  auto db = CliDatabase::create(Backend::sqlite, project.root());
  project.set_url(db->url());
  project.write_cpp_revision("bb01", "", create_table("first_name"), drop_table("first_name"));
  project.ok("upgrade head");
  CHECK(db->has_table("first_name"));
  project.ok("downgrade base");
  project.write_cpp_revision("bb01", "", create_table("second_name"), drop_table("second_name"));
  project.ok("upgrade head");
  CHECK(db->has_table("second_name"));
  CHECK_FALSE(db->has_table("first_name"));
}

TEST_CASE("cpp revisions: SQL and C++ revisions in one chain, up and down, and as --sql", "[cli][cpp][sqlite]") {
  CliProject project;
  auto db = CliDatabase::create(Backend::sqlite, project.root());
  project.set_url(db->url());
  project.write_revision(
      {.id = "cc01", .upgrade = "CREATE TABLE a (id INTEGER PRIMARY KEY)", .downgrade = "DROP TABLE a"});
  project.write_cpp_revision(
      "cc02", "cc01",
      "  const auto& b = op.create_table(\"b\", retort::Column(\"id\", retort::Integer{}).primary_key(),\n"
      "      retort::Column(\"a_id\", retort::Integer{}).references(\"a.id\"));\n"
      "  op.bulk_insert(b, {{{\"id\", 1}}, {{\"id\", 2}}});",
      drop_table("b"));
  project.write_revision({.id = "cc03",
                          .down_revision = "cc02",
                          .upgrade = "INSERT INTO b (id) VALUES (3)",
                          .downgrade = "DELETE FROM b WHERE id = 3"});

  auto sql = project.ok("upgrade head --sql");
  CHECK(contains(sql, "CREATE TABLE b"));
  CHECK(contains(sql, "INSERT INTO b (id) VALUES (1)"));
  CHECK(contains(sql, "INSERT INTO b (id) VALUES (3)"));

  project.ok("upgrade head");
  CHECK(db->version_rows() == Rows{"cc03"});
  CHECK(db->rows("SELECT count(*) FROM b") == Rows{"3"});
  project.ok("downgrade cc01");
  CHECK_FALSE(db->has_table("b"));
  CHECK(db->has_table("a"));
}

TEST_CASE("cpp revisions: a compile error names the file and line and changes nothing", "[cli][cpp][sqlite]") {
  CliProject project;
  auto db = CliDatabase::create(Backend::sqlite, project.root());
  project.set_url(db->url());
  project.write_revision({.id = "dd01", .upgrade = "CREATE TABLE a (id INTEGER)", .downgrade = "DROP TABLE a"});
  auto file = project.write_cpp_revision("dd02", "dd01", "  op.no_such_op(\"a\");", drop_table("a"));
  // Listing never compiles, so a broken revision does not stop it.
  CHECK(contains(project.ok("heads"), "dd02"));
  auto r = project.retort("upgrade head");
  INFO(r.output);
  CHECK(r.exit_code == 1);
  CHECK(contains(r.output, "revision dd02"));
  CHECK(contains(r.output, file.string() + ":8"));  // the line of op.no_such_op
  CHECK(contains(r.output, "no_such_op"));
  // Compiled before anything ran: dd01 was not applied either.
  CHECK(db->version_rows().empty());
  CHECK_FALSE(db->has_table("a"));
}

TEST_CASE("cpp revisions: a revision without a downgrade step cannot be downgraded", "[cli][cpp][sqlite]") {
  CliProject project;
  auto db = CliDatabase::create(Backend::sqlite, project.root());
  project.set_url(db->url());
  project.write_cpp_revision("ee01", "", create_table("t"), "");
  project.ok("upgrade head");
  auto r = project.retort("downgrade base");
  CHECK(r.exit_code == 1);
  CHECK(contains(r.output, "ee01 cannot be downgraded"));
  CHECK(contains(r.output, "RETORT_DOWNGRADE"));
  CHECK(db->version_rows() == Rows{"ee01"});
  CHECK(db->has_table("t"));
}

TEST_CASE("cpp revisions: helpers of the same name in two revisions still compile", "[cli][cpp][sqlite]") {
  // Unity compilation puts both in one translation unit; the clash makes retort compile each
  // file on its own, which succeeds.
  CliProject project;
  auto db = CliDatabase::create(Backend::sqlite, project.root());
  project.set_url(db->url());
  std::string helper = "static const char* table_name() { return \"%\"; }\n";
  auto with = [&](const std::string& name) {
    auto h = helper;
    h.replace(h.find('%'), 1, name);
    return h;
  };
  project.write_cpp_revision("ff01", "", "  op.create_table(table_name(), retort::Column(\"id\", retort::Integer{}));",
                             "  op.drop_table(table_name());", with("t1"));
  project.write_cpp_revision("ff02", "ff01",
                             "  op.create_table(table_name(), retort::Column(\"id\", retort::Integer{}));",
                             "  op.drop_table(table_name());", with("t2"));
  project.ok("upgrade head");
  CHECK(db->has_table("t1"));
  CHECK(db->has_table("t2"));
}

TEST_CASE("cpp revisions: C++ revisions run on the servers too", "[cli][cpp][postgresql]") {
  CliProject project;
  auto db = CliDatabase::create(Backend::postgresql, project.root());
  if (!db) return;
  project.set_url(db->url());
  project.write_cpp_revision("gg01", "",
                             create_table("users") +
                                 "\n  op.alter_column(\"users\", \"name\", {.nullable = false, .type = retort::Text{},"
                                 " .existing_type = retort::String{50}, .existing_nullable = true});",
                             drop_table("users"));
  project.ok("upgrade head");
  CHECK(db->rows("SELECT data_type || ' ' || is_nullable FROM information_schema.columns WHERE table_name = 'users' "
                 "AND column_name = 'name' AND table_schema = current_schema()") == Rows{"text NO"});
  project.ok("downgrade base");
  CHECK_FALSE(db->has_table("users"));
}

TEST_CASE("cpp revisions: CREATE INDEX CONCURRENTLY runs online in a revision marked transactional false",
          "[cli][cpp][postgresql]") {
  CliProject project;
  auto db = CliDatabase::create(Backend::postgresql, project.root());
  if (!db) return;
  project.set_url(db->url());
  project.write_cpp_revision("hh01", "", create_table("users"), drop_table("users"));
  const std::string create_index =
      "  op.create_index(\"ix_users_name\", \"users\", {\"name\"},\n"
      "                  {.dialect_options = {{\"postgresql_concurrently\", \"true\"}}});";
  const std::string drop_index = "  op.drop_index(\"ix_users_name\", \"users\");";
  const std::string index_query =
      "SELECT indexname FROM pg_indexes WHERE tablename = 'users' AND schemaname = current_schema() ORDER BY 1";
  // Inside the revision's transaction PostgreSQL refuses it: the message says what to do, and
  // nothing of the revision stays.
  project.write_cpp_revision("hh02", "hh01",
                             "  op.add_column(\"users\", retort::Column(\"email\", retort::Text{}));\n" + create_index,
                             drop_index);
  auto refused = project.retort("upgrade head");
  CHECK(refused.exit_code == 1);
  CHECK(contains(refused.output, "cannot run inside a transaction block"));
  CHECK(contains(refused.output, "transactional false"));
  CHECK(contains(project.ok("current"), "hh01"));
  CHECK(db->rows("SELECT column_name FROM information_schema.columns WHERE table_name = 'users' AND "
                 "column_name = 'email' AND table_schema = current_schema()")
            .empty());
  // Marked `transactional false`, it runs outside any transaction, and so does its downgrade.
  project.write_file(project.versions() / "hh02_step.cpp",
                     "// retort:revision hh02\n// retort:down_revision hh01\n// retort:message concurrent index\n"
                     "// retort:transactional false\n\n#include <retort/migrate/cpp_revision.hpp>\n\n"
                     "RETORT_UPGRADE(op) {\n" +
                         create_index + "\n}\n\nRETORT_DOWNGRADE(op) {\n" + drop_index + "\n}\n");
  project.ok("upgrade head");
  CHECK(db->rows(index_query) == Rows{"ix_users_name", "users_pkey"});
  CHECK(db->rows("SELECT indisvalid::text FROM pg_index WHERE indexrelid = 'ix_users_name'::regclass") == Rows{"true"});
  project.ok("downgrade hh01");
  CHECK(db->rows(index_query) == Rows{"users_pkey"});
}
