// batch_alter_table through the real `retort` program, on SQLite's documented procedure for
// schema changes: a table with ON DELETE CASCADE children, a self-referencing key, a view and a
// trigger, unnamed CHECK/UNIQUE/foreign key constraints, an index on an expression and 100,000
// rows keeps every row of every table (counts and checksums) when a column is dropped and a NOT
// NULL tightened, with foreign key enforcement on; `foreign_key_check` is empty; and a failure at
// each step of the procedure leaves the database exactly as it was (its .dump compared).
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

const char* kSchema = R"(CREATE TABLE parents (
  id INTEGER PRIMARY KEY,
  name VARCHAR(50),
  legacy TEXT,
  code TEXT UNIQUE,
  parent_id INTEGER REFERENCES parents (id),
  CHECK (length(code) > 1)
);
CREATE TABLE children (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parents (id) ON DELETE CASCADE, note TEXT);
CREATE INDEX ix_parents_lower_name ON parents (lower(name));
CREATE VIEW parent_names AS SELECT id, name FROM parents;
CREATE TRIGGER parents_touch AFTER UPDATE OF name ON parents BEGIN UPDATE children SET note = 'touched' WHERE parent_id = NEW.id; END;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
  INSERT INTO parents (id, name, legacy, code, parent_id) SELECT i, 'p' || i, 'old', 'c' || i, CASE WHEN i > 1 THEN i - 1 END FROM n;
INSERT INTO children (id, parent_id, note) SELECT id, id, 'n' || (id % 7) FROM parents)";

/// A project on a fresh SQLite file with the schema above as revision b1.
struct BatchProject {
  CliProject project;
  std::unique_ptr<CliDatabase> db = CliDatabase::create(Backend::sqlite, project.root());
  BatchProject() {
    project.set_url(db->url());
    project.write_revision({.id = "b1",
                            .upgrade = kSchema,
                            .downgrade = "DROP VIEW parent_names;\nDROP TABLE children;\nDROP TABLE parents"});
    project.ok("upgrade b1");
  }
  std::string dump() const {
    auto r = run_command("sqlite3 " + shell_quote(db->url().substr(std::string("sqlite:///").size())) + " .dump",
                         project.root());
    REQUIRE(r.exit_code == 0);
    return r.output;
  }
  std::string one(const std::string& sql) const {
    auto rows = db->rows(sql);
    return rows.empty() ? std::string("<none>") : rows.front();
  }
  /// Counts and checksums of both tables' rows.
  std::string checksums() const {
    return one("SELECT count(*) || ' ' || sum(id * 3 + coalesce(parent_id, 0)) || ' ' || sum(length(name)) FROM "
               "parents") +
           " / " + one("SELECT count(*) || ' ' || sum(id * 5 + parent_id) || ' ' || sum(length(note)) FROM children");
  }
};

std::string batch(const std::string& table, const std::string& body) {
  return "  op.batch_alter_table(\"" + table + "\", [](retort::migrate::BatchOperations& batch) {\n" + body + "\n  });";
}

}  // namespace

TEST_CASE("batch: SQLite recreation keeps every row of the table and of its cascading children",
          "[cli][batch][sqlite]") {
  BatchProject p;
  auto before = p.checksums();
  p.project.write_cpp_revision(
      "b2", "b1",
      batch("parents",
            "    batch.drop_column(\"legacy\");\n"
            "    batch.alter_column(\"name\", {.nullable = false, .existing_type = retort::String{50}});"),
      batch("parents",
            "    batch.add_column(retort::Column(\"legacy\", retort::Text{}));\n"
            "    batch.alter_column(\"name\", {.nullable = true});"));
  auto out = p.project.ok("upgrade head");
  CHECK(contains(out, "foreign key enforcement off"));

  CHECK(p.checksums() == before);  // not one child row cascaded away
  CHECK(p.one("SELECT count(*) FROM pragma_table_info('parents') WHERE name = 'legacy'") == "0");
  CHECK(p.one("SELECT \"notnull\" FROM pragma_table_info('parents') WHERE name = 'name'") == "1");
  CHECK(p.db->rows("PRAGMA foreign_key_check").empty());
  // What hangs off the table came back: the view, the trigger, the expression index, the unnamed
  // UNIQUE and CHECK constraints and both foreign keys.
  CHECK(p.one("SELECT count(*) FROM parent_names") == "100000");
  CHECK(p.one("SELECT count(*) FROM sqlite_master WHERE name IN ('parents_touch', 'ix_parents_lower_name')") == "2");
  auto table_sql = p.one("SELECT replace(sql, char(10), ' ') FROM sqlite_master WHERE name = 'parents'");
  INFO(table_sql);
  CHECK(contains(table_sql, "UNIQUE"));
  CHECK(contains(table_sql, "CHECK"));
  CHECK(contains(table_sql, "REFERENCES"));
  CHECK(p.db->query("INSERT INTO parents (id, name, code) VALUES (200001, 'x', 'c5')").exit_code != 0);  // unique
  CHECK(p.db->query("INSERT INTO parents (id, name, code) VALUES (200002, 'x', 'z')").exit_code != 0);   // check
  CHECK(p.db->query("INSERT INTO parents (id, code) VALUES (200003, 'zz')").exit_code != 0);             // not null
  // The trigger works on the new table; the children still cascade.
  CHECK(p.db->query("UPDATE parents SET name = 'renamed' WHERE id = 3").exit_code == 0);
  CHECK(p.one("SELECT note FROM children WHERE id = 3") == "touched");
  CHECK(p.db->query("PRAGMA foreign_keys = ON; DELETE FROM parents WHERE id = 100000").exit_code == 0);
  CHECK(p.one("SELECT count(*) FROM children WHERE parent_id = 100000") == "0");

  p.project.ok("downgrade b1");
  CHECK(p.one("SELECT count(*) FROM pragma_table_info('parents') WHERE name = 'legacy'") == "1");
  CHECK(p.one("SELECT count(*) FROM children") == "99999");
  CHECK(p.db->rows("PRAGMA foreign_key_check").empty());
}

TEST_CASE("batch: a failure at any step of the recreation leaves the database as it was", "[cli][batch][sqlite]") {
  BatchProject p;
  auto before = p.dump();
  struct Case {
    const char* step;
    std::string body;
    const char* message;
  };
  std::vector<Case> cases = {
      // The new table: a CHECK on a column it does not have.
      {"create", "    batch.create_check_constraint(\"ck_missing\", \"missing_column > 0\");", "no such column"},
      // The copy: a new CHECK that existing rows break.
      {"copy", "    batch.create_check_constraint(\"ck_small\", \"id < 50000\");", "CHECK constraint failed"},
      // The indexes made again: a unique index over duplicates.
      {"index", "    batch.create_index(\"ix_dup\", {\"legacy\"}, {.unique = true});", "UNIQUE constraint failed"},
      // The view made again: it selects a column that is dropped.
      {"view", "    batch.drop_column(\"name\");", "no such column"},
      // The foreign key check: a new key that the rows do not satisfy.
      {"foreign_key_check", "    batch.create_foreign_key(\"fk_bad\", \"children\", {\"code\"}, {\"id\"});",
       "break a foreign key"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION("a failure at the " << c.step) {
      p.project.write_cpp_revision("b2", "b1", batch("parents", c.body), "");
      auto r = p.project.retort("upgrade head");
      INFO(r.output);
      CHECK(r.exit_code == 1);
      CHECK(contains(r.output, c.message));
      CHECK(contains(r.output, "b2"));
      CHECK(p.dump() == before);
      CHECK(p.db->version_rows() == Rows{"b1"});
    }
  }
}

TEST_CASE("batch: a run in one transaction says why it cannot recreate a referenced table", "[cli][batch][sqlite]") {
  BatchProject p;
  auto toml = p.project.read_file(p.project.dir() / "retort.toml");
  auto pos = toml.find("transaction_per_migration = true");
  REQUIRE(pos != std::string::npos);
  toml.replace(pos, std::string("transaction_per_migration = true").size(), "transaction_per_migration = false");
  p.project.write_file(p.project.dir() / "retort.toml", toml);
  auto before = p.dump();
  p.project.write_cpp_revision("b2", "b1", batch("parents", "    batch.drop_column(\"legacy\");"), "");
  auto r = p.project.retort("upgrade head");
  INFO(r.output);
  CHECK(r.exit_code == 1);
  CHECK(contains(r.output, "transaction_per_migration = true"));
  CHECK(p.dump() == before);
}

TEST_CASE("batch: a table nothing refers to is recreated with enforcement left on", "[cli][batch][sqlite]") {
  CliProject project;
  auto db = CliDatabase::create(Backend::sqlite, project.root());
  project.set_url(db->url());
  project.write_revision({.id = "s1",
                          .upgrade = "CREATE TABLE lone (id INTEGER PRIMARY KEY, a TEXT, b INTEGER);\n"
                                     "INSERT INTO lone VALUES (1, 'x', 10), (2, 'y', 20)",
                          .downgrade = "DROP TABLE lone"});
  project.write_cpp_revision(
      "s2", "s1",
      batch("lone",
            "    batch.alter_column(\"b\", {.type = retort::String{10}, .new_name = \"b_text\"});\n"
            "    batch.add_column(retort::Column(\"c\", retort::Integer{}).not_null().server_default(0));"),
      "");
  auto out = project.ok("upgrade head");
  CHECK_FALSE(contains(out, "enforcement off"));
  CHECK(db->rows("SELECT id || ':' || a || ':' || typeof(b_text) || ':' || b_text || ':' || c FROM lone ORDER BY id") ==
        Rows{"1:x:text:10:0", "2:y:text:20:0"});
}

TEST_CASE("batch: on PostgreSQL auto mode is plain ALTER TABLE", "[cli][batch][postgresql]") {
  CliProject project;
  auto db = CliDatabase::create(Backend::postgresql, project.root());
  if (!db) return;
  project.set_url(db->url());
  project.write_revision(
      {.id = "p1",
       .upgrade = "CREATE TABLE t (id INTEGER PRIMARY KEY, a VARCHAR(10), legacy TEXT);\n"
                  "CREATE TABLE c (id INTEGER PRIMARY KEY, t_id INTEGER REFERENCES t (id) ON DELETE CASCADE);\n"
                  "INSERT INTO t VALUES (1, 'x', 'o');\nINSERT INTO c VALUES (1, 1)",
       .downgrade = "DROP TABLE c;\nDROP TABLE t"});
  project.write_cpp_revision(
      "p2", "p1",
      batch("t",
            "    batch.drop_column(\"legacy\");\n"
            "    batch.alter_column(\"a\", {.nullable = false, .existing_type = retort::String{10}});"),
      "");
  auto sql = project.ok("upgrade head --sql");
  CHECK(contains(sql, "ALTER TABLE t DROP COLUMN legacy"));
  CHECK_FALSE(contains(sql, "_retort_tmp_"));
  project.ok("upgrade head");
  CHECK(db->rows("SELECT count(*) FROM c") == Rows{"1"});
}

TEST_CASE("batch: a SQL revision that turns foreign keys off, as SQLite's procedure says, keeps the cascading children",
          "[cli][batch][sqlite]") {
  CliProject project;
  auto db = CliDatabase::create(Backend::sqlite, project.root());
  REQUIRE(db);
  project.set_url(db->url());
  project.write_revision({.id = "p1",
                          .upgrade = "CREATE TABLE parents (id INTEGER PRIMARY KEY, name TEXT, legacy TEXT);\n"
                                     "CREATE TABLE children (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL "
                                     "REFERENCES parents (id) ON DELETE CASCADE);\n"
                                     "INSERT INTO parents VALUES (1, 'a', 'x'), (2, 'b', 'y');\n"
                                     "INSERT INTO children VALUES (10, 1), (11, 2)",
                          .downgrade = "DROP TABLE children;\nDROP TABLE parents"});
  // The 12 steps by hand: inside the revision's transaction the pragma alone would do nothing, and
  // DROP TABLE parents would cascade to the children.
  project.write_revision({.id = "p2",
                          .down_revision = "p1",
                          .upgrade = "PRAGMA foreign_keys = OFF;\n"
                                     "CREATE TABLE new_parents (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n"
                                     "INSERT INTO new_parents (id, name) SELECT id, name FROM parents;\n"
                                     "DROP TABLE parents;\n"
                                     "ALTER TABLE new_parents RENAME TO parents",
                          .downgrade = ""});
  auto out = project.ok("upgrade head");
  CHECK(contains(out, "foreign key enforcement off"));
  CHECK(db->rows("SELECT count(*) FROM children") == Rows{"2"});
  CHECK(db->rows("SELECT count(*) FROM pragma_table_info('parents') WHERE name = 'legacy'") == Rows{"0"});
  // The foreign key still holds: a child without a parent is refused.
  CHECK(db->query("PRAGMA foreign_keys = ON; INSERT INTO children VALUES (12, 99)").exit_code != 0);
}
