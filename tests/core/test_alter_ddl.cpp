// The ALTER family of DDL nodes: the exact SQL each dialect writes, the refusals (naming the
// dialect, with the batch hint on SQLite), and each statement run on the real backends and checked
// by reflecting the result.
#include <catch2/catch.hpp>

#include <algorithm>

#include <retort/core/ddl/alter_elements.hpp>
#include <retort/retort.hpp>

#include "support/backend.hpp"
#include "support/compile.hpp"
#include "support/text.hpp"

namespace {

using retort::testing::compile_ddl;
using retort::testing::contains;
using retort::testing::Statements;
using namespace retort;

ColumnAlteration nullable(bool value) {
  ColumnAlteration c;
  c.nullable = value;
  return c;
}

}  // namespace

TEST_CASE("ALTER: add column, with its foreign key, index and comment, per dialect", "[ddl][alter]") {
  auto email = Column("email", String{100}).not_null().server_default("none");
  CHECK(compile_ddl("sqlite", AddColumn({"users"}, email)) ==
        Statements{"ALTER TABLE users ADD COLUMN email VARCHAR(100) DEFAULT 'none' NOT NULL"});
  CHECK(compile_ddl("postgresql", AddColumn({"users", "app"}, email)) ==
        Statements{"ALTER TABLE app.users ADD COLUMN email VARCHAR(100) DEFAULT 'none' NOT NULL"});
  CHECK(compile_ddl("mysql", AddColumn({"users"}, email)) ==
        Statements{"ALTER TABLE users ADD COLUMN email VARCHAR(100) NOT NULL DEFAULT 'none'"});

  ForeignKey key;
  key.target = "users.id";
  key.name = "fk_orders_user";
  key.ondelete = "CASCADE";
  auto user_id = Column("user_id", Integer{}).references(key).index().comment("the buyer");
  CHECK(compile_ddl("postgresql", AddColumn({"orders"}, user_id)) ==
        Statements{"ALTER TABLE orders ADD COLUMN user_id INTEGER",
                   "ALTER TABLE orders ADD CONSTRAINT fk_orders_user FOREIGN KEY (user_id) REFERENCES users (id) "
                   "ON DELETE CASCADE",
                   "CREATE INDEX ix_orders_user_id ON orders (user_id)",
                   "COMMENT ON COLUMN orders.user_id IS 'the buyer'"});
  CHECK(compile_ddl("mysql", AddColumn({"orders"}, user_id)) ==
        Statements{"ALTER TABLE orders ADD COLUMN user_id INTEGER COMMENT 'the buyer'",
                   "ALTER TABLE orders ADD CONSTRAINT fk_orders_user FOREIGN KEY (user_id) REFERENCES users (id) "
                   "ON DELETE CASCADE",
                   "CREATE INDEX ix_orders_user_id ON orders (user_id)"});
  // SQLite cannot add a constraint later: the reference goes inline; comments it has none of.
  auto plain_fk = Column("user_id", Integer{}).references(key).index();
  CHECK(compile_ddl("sqlite", AddColumn({"orders"}, plain_fk)) ==
        Statements{"ALTER TABLE orders ADD COLUMN user_id INTEGER REFERENCES users (id) ON DELETE CASCADE",
                   "CREATE INDEX ix_orders_user_id ON orders (user_id)"});
  CHECK(compile_ddl("postgresql", AddColumn({"users"}, Column("age", Integer{}), true)) ==
        Statements{"ALTER TABLE users ADD COLUMN IF NOT EXISTS age INTEGER"});
}

TEST_CASE("ALTER: drop column and rename table, per dialect", "[ddl][alter]") {
  for (const char* d : {"sqlite", "postgresql", "mysql"})
    CHECK(compile_ddl(d, DropColumn({"users"}, "age")) == Statements{"ALTER TABLE users DROP COLUMN age"});
  CHECK(compile_ddl("postgresql", DropColumn({"users"}, "age", true)) ==
        Statements{"ALTER TABLE users DROP COLUMN IF EXISTS age"});
  CHECK(compile_ddl("sqlite", RenameTable({"users"}, "people")) == Statements{"ALTER TABLE users RENAME TO people"});
  // PostgreSQL keeps the table in its schema and refuses a qualified new name; MySQL would move
  // it to the default database without one.
  CHECK(compile_ddl("postgresql", RenameTable({"users", "app"}, "people")) ==
        Statements{"ALTER TABLE app.users RENAME TO people"});
  CHECK(compile_ddl("mysql", RenameTable({"users", "app"}, "people")) ==
        Statements{"ALTER TABLE app.users RENAME TO app.people"});
  CHECK(compile_ddl("mysql", RenameTable({"users"}, "order")) == Statements{"ALTER TABLE users RENAME TO `order`"});
}

TEST_CASE("ALTER: alter column on PostgreSQL, one statement per attribute in Alembic's order",
          "[ddl][alter][postgresql]") {
  ColumnAlteration all;
  all.type = BigInteger{};
  all.postgresql_using = "age::bigint";
  all.nullable = false;
  all.server_default = std::optional<Expr>(literal(0));
  all.comment = std::optional<std::string>("years");
  all.new_name = "years";
  CHECK(compile_ddl("postgresql", AlterColumn({"users", "app"}, "age", all)) ==
        Statements{"ALTER TABLE app.users ALTER COLUMN age TYPE BIGINT USING age::bigint",
                   "ALTER TABLE app.users ALTER COLUMN age SET NOT NULL",
                   "ALTER TABLE app.users ALTER COLUMN age SET DEFAULT 0", "COMMENT ON COLUMN app.users.age IS 'years'",
                   "ALTER TABLE app.users RENAME COLUMN age TO years"});
  ColumnAlteration drop;
  drop.nullable = true;
  drop.server_default = std::optional<Expr>();
  drop.comment = std::optional<std::string>();
  CHECK(compile_ddl("postgresql", AlterColumn({"users"}, "age", drop)) ==
        Statements{"ALTER TABLE users ALTER COLUMN age DROP NOT NULL",
                   "ALTER TABLE users ALTER COLUMN age DROP DEFAULT", "COMMENT ON COLUMN users.age IS NULL"});
  CHECK(compile_ddl("postgresql", SetTableComment({"users"}, "people's accounts")) ==
        Statements{"COMMENT ON TABLE users IS 'people''s accounts'"});
  CHECK(compile_ddl("postgresql", DropTableComment({"users"})) == Statements{"COMMENT ON TABLE users IS NULL"});
  CHECK_THROWS_AS(compile_ddl("postgresql", AlterColumn({"users"}, "age", ColumnAlteration{})), CompileError);
}

TEST_CASE("ALTER: alter column on MySQL re-specifies the column from existing_* values", "[ddl][alter][mysql]") {
  ColumnAlteration change = nullable(false);
  change.existing_type = String{40};
  change.existing_server_default = literal("x");
  change.existing_comment = "a note";
  CHECK(compile_ddl("mysql", AlterColumn({"users"}, "note", change)) ==
        Statements{"ALTER TABLE users MODIFY note VARCHAR(40) NOT NULL DEFAULT 'x' COMMENT 'a note'"});
  ColumnAlteration rename;
  rename.new_name = "remark";
  rename.existing_type = String{40};
  rename.existing_nullable = true;
  CHECK(compile_ddl("mysql", AlterColumn({"users"}, "note", rename)) ==
        Statements{"ALTER TABLE users CHANGE COLUMN note remark VARCHAR(40) NULL"});
  ColumnAlteration retype;
  retype.type = BigInteger{};
  retype.existing_nullable = false;
  retype.existing_autoincrement = true;
  CHECK(compile_ddl("mysql", AlterColumn({"users"}, "id", retype)) ==
        Statements{"ALTER TABLE users MODIFY id BIGINT NOT NULL AUTO_INCREMENT"});
  ColumnAlteration only_default;
  only_default.server_default = std::optional<Expr>(literal(5));
  CHECK(compile_ddl("mysql", AlterColumn({"users"}, "age", only_default)) ==
        Statements{"ALTER TABLE users ALTER COLUMN age SET DEFAULT 5"});
  only_default.server_default = std::optional<Expr>();
  CHECK(compile_ddl("mysql", AlterColumn({"users"}, "age", only_default)) ==
        Statements{"ALTER TABLE users ALTER COLUMN age DROP DEFAULT"});
  CHECK(compile_ddl("mysql", SetTableComment({"users"}, "it's")) == Statements{"ALTER TABLE users COMMENT 'it''s'"});
  CHECK(compile_ddl("mysql", DropTableComment({"users"})) == Statements{"ALTER TABLE users COMMENT ''"});
  // Without the column's type MySQL cannot write MODIFY: the message says what to give.
  try {
    compile_ddl("mysql", AlterColumn({"users"}, "note", nullable(false)));
    FAIL("expected a CompileError");
  } catch (const CompileError& e) {
    CHECK(contains(e.what(), "existing_type"));
    CHECK(contains(e.what(), "note"));
  }
}

TEST_CASE("ALTER: SQLite renames a column and refuses the rest, pointing at batch mode", "[ddl][alter][sqlite]") {
  ColumnAlteration rename;
  rename.new_name = "years";
  CHECK(compile_ddl("sqlite", AlterColumn({"users"}, "age", rename)) ==
        Statements{"ALTER TABLE users RENAME COLUMN age TO years"});
  auto refused = [](const auto& statement, const std::string& what) {
    try {
      compile_ddl("sqlite", statement);
      FAIL("expected UnsupportedCompilationError for " << what);
    } catch (const UnsupportedCompilationError& e) {
      CHECK(contains(e.what(), "sqlite"));
      CHECK(contains(e.what(), what));
      CHECK(contains(e.what(), "batch_alter_table"));
    }
  };
  refused(AlterColumn({"users"}, "age", nullable(false)), "nullability of column age");
  ColumnAlteration retype;
  retype.type = BigInteger{};
  refused(AlterColumn({"users"}, "age", retype), "type of column age");
  refused(SetTableComment({"users"}, "x"), "table comment");
  refused(AddColumn({"users"}, Column("code", String{5}).unique()), "UNIQUE or CHECK");
  refused(DropColumn({"users"}, "age", true), "IF EXISTS");
}

// ---- on the real backends --------------------------------------------------------------------

namespace {

const ReflectedColumn* find_column(const ReflectedTable& t, const std::string& name) {
  auto it = std::find_if(t.columns.begin(), t.columns.end(), [&](const auto& c) { return c.name == name; });
  return it == t.columns.end() ? nullptr : &*it;
}

void alter_statements_change_the_schema(retort::testing::BackendDatabase& db) {
  MetaData metadata;
  auto& users = metadata.table("users", Column("id", Integer{}).primary_key(), Column("age", Integer{}),
                               Column("note", String{40}));
  metadata.create_all(db.engine());
  auto conn = db.engine().connect();
  conn.execute(insert(users).values({{"id", 1}, {"age", 30}, {"note", "kept"}}));
  const auto& features = db.features();

  conn.execute(AddColumn({"users"}, Column("email", String{100}).not_null().server_default("none")));
  conn.execute(DropColumn({"users"}, "age"));
  if (!features.requires_recreate_in_batch) {
    ColumnAlteration change;
    change.nullable = false;
    change.type = String{80};
    change.existing_type = String{40};  // MySQL re-specifies the column
    conn.execute(AlterColumn({"users"}, "note", change));
    ColumnAlteration with_default;
    with_default.server_default = std::optional<Expr>(literal("n/a"));
    conn.execute(AlterColumn({"users"}, "note", with_default));
  }
  ColumnAlteration rename;
  rename.new_name = "remark";
  rename.existing_type = String{features.requires_recreate_in_batch ? 40 : 80};
  rename.existing_nullable = features.requires_recreate_in_batch;
  if (!features.requires_recreate_in_batch) rename.existing_server_default = literal("n/a");
  conn.execute(AlterColumn({"users"}, "note", rename));
  if (features.supports_comments) conn.execute(SetTableComment({"users"}, "people"));
  conn.execute(RenameTable({"users"}, "people"));

  Inspector inspector(conn);
  REQUIRE(inspector.has_table("people"));
  CHECK_FALSE(inspector.has_table("users"));
  const auto& people = inspector.get_table("people");
  CHECK(find_column(people, "age") == nullptr);
  CHECK(find_column(people, "note") == nullptr);
  const auto* email = find_column(people, "email");
  REQUIRE(email);
  CHECK_FALSE(email->nullable);
  const auto* remark = find_column(people, "remark");
  REQUIRE(remark);
  if (!features.requires_recreate_in_batch) {
    CHECK_FALSE(remark->nullable);
    REQUIRE(remark->type.length);
    CHECK(*remark->type.length == 80);
    REQUIRE(remark->default_sql);
    CHECK(contains(*remark->default_sql, "n/a"));
  }
  if (features.supports_comments) CHECK(people.comment == std::optional<std::string>("people"));
  // The row survived every change, with the new column's default.
  auto row = conn.exec_driver_sql("SELECT id, remark, email FROM people").all();
  REQUIRE(row.size() == 1);
  CHECK(row[0].get<std::string>(1) == "kept");
  CHECK(row[0].get<std::string>(2) == "none");
}

}  // namespace

RETORT_BACKEND_TEST("ALTER statements change the schema and keep the rows", alter_statements_change_the_schema)
