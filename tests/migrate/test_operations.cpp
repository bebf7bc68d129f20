// The operations API (migrate/ops/) on every backend: each op runs through a live migration
// context, its effect is checked by reflecting the database, and its reverse (reverse()) brings the
// reflected schema back to what it was. Ops a database cannot do by ALTER fail naming the op and
// the dialect (and batch mode on SQLite). Offline, the same ops write SQL; render_cpp writes the
// call that performs them.
#include <catch2/catch.hpp>

#include <functional>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <retort/core/ddl/alter_elements.hpp>
#include <retort/migrate/ops/batch_operations.hpp>
#include <retort/migrate/ops/operations.hpp>
#include <retort/migrate/runtime/migration_context.hpp>
#include <retort/retort.hpp>

#include "support/backend.hpp"
#include "support/each_backend.hpp"
#include "support/text.hpp"

namespace {

using retort::testing::BackendDatabase;
using retort::testing::contains;
namespace migrate = retort::migrate;
namespace ops = retort::migrate::ops;
using retort::Column;

/// Runs `body` with an `op` object on a live context, in one transaction.
void with_ops(BackendDatabase& db, const std::function<void(migrate::Operations&)>& body) {
  auto conn = db.engine().connect();
  migrate::MigrationContext context(conn, {});
  migrate::Operations op(context);
  auto tx = conn.begin();
  body(op);
  tx.commit();
}

/// Runs one op (as data) on a live context.
void run_op(BackendDatabase& db, const ops::Operation& operation) {
  with_ops(db, [&](migrate::Operations& op) { op.run(operation); });
}

/// The reflected schema of the test database as text: what an op changes and its reverse must
/// restore (names of unnamed SQLite constraints left out).
std::string snapshot(BackendDatabase& db) {
  auto conn = db.engine().connect();
  retort::Inspector inspector(conn);
  const auto& schema = inspector.reflect();
  std::vector<std::string> tables;
  for (const auto& t : schema.tables) {
    if (t.name.rfind("retort_", 0) == 0) continue;
    std::ostringstream out;
    out << "table " << t.name << " comment=" << t.comment.value_or("-") << "\n";
    out << "  pk " << fmt::format("{}", fmt::join(t.primary_key.columns, ",")) << "\n";
    // Sorted: a column dropped and added back by ALTER comes back last, as in Alembic.
    std::vector<std::string> parts;
    for (const auto& c : t.columns)
      parts.push_back(fmt::format("  column {} {}{} default={} comment={}\n", c.name, c.type.to_string(),
                                  c.nullable ? " null" : " not null", c.default_sql.value_or("-"),
                                  c.comment.value_or("-")));
    for (const auto& fk : t.foreign_keys)
      parts.push_back(fmt::format("  fk {} ({}) -> {} ({}) ondelete={}\n", fk.name, fmt::join(fk.columns, ","),
                                  fk.referred_table, fmt::join(fk.referred_columns, ","), fk.ondelete));
    for (const auto& ix : t.indexes)
      parts.push_back(fmt::format("  index {} ({}{}) unique={} where={}\n", ix.name, fmt::join(ix.columns, ","),
                                  fmt::join(ix.expressions, ","), ix.unique, ix.where.value_or("-")));
    for (const auto& uq : t.unique_constraints)
      parts.push_back(fmt::format("  unique {} ({})\n", uq.name, fmt::join(uq.columns, ",")));
    for (const auto& ck : t.check_constraints) parts.push_back(fmt::format("  check {} {}\n", ck.name, ck.sqltext));
    std::sort(parts.begin(), parts.end());
    for (const auto& p : parts) out << p;
    tables.push_back(out.str());
  }
  std::sort(tables.begin(), tables.end());
  return fmt::format("{}", fmt::join(tables, ""));
}

/// A parent and a child table with rows: what most ops below change.
void base_schema(BackendDatabase& db) {
  with_ops(db, [](migrate::Operations& op) {
    const auto& parents = op.create_table("parents", Column("id", retort::Integer{}).primary_key(),
                                          Column("name", retort::String{50}).not_null());
    op.create_table("children", Column("id", retort::Integer{}).primary_key(), Column("parent_id", retort::Integer{}),
                    Column("label", retort::String{50}), Column("price", retort::Integer{}));
    op.bulk_insert(parents, {{{"id", 1}, {"name", "one"}}, {{"id", 2}, {"name", "two"}}});
  });
}

/// Applies `op`, checks the reflected schema changed (and `check` on the new snapshot), then
/// applies its reverse and checks the schema is back.
void forward_and_back(BackendDatabase& db, const ops::Operation& op,
                      const std::function<void(const std::string&)>& check,
                      const std::function<void()>& after_reverse = {}) {
  auto before = snapshot(db);
  run_op(db, op);
  auto after = snapshot(db);
  INFO("op " << ops::operation_name(op) << "\nbefore:\n" << before << "after:\n" << after);
  CHECK(after != before);
  check(after);
  run_op(db, ops::reverse(op));
  if (after_reverse) after_reverse();
  CHECK(snapshot(db) == before);
}

/// Whether the op must be refused on this database (no ALTER for it), and if so that the
/// refusal names the op, the dialect and batch mode.
bool refused_without_alter(BackendDatabase& db, const ops::Operation& op) {
  if (db.features().supports_alter) return false;
  try {
    run_op(db, op);
    FAIL("op." << ops::operation_name(op) << " ran on " << db.engine().dialect().name());
  } catch (const migrate::CommandError& e) {
    std::string message = e.what();
    INFO(message);
    CHECK(contains(message, "op." + ops::operation_name(op)));
    CHECK(contains(message, db.engine().dialect().name()));
    CHECK(contains(message, "batch"));
    CHECK(contains(message, "test_operations.cpp"));  // where the op was called
  }
  return true;
}

void table_and_column_ops(BackendDatabase& db) {
  base_schema(db);
  const bool sqlite = !db.features().supports_alter;

  // create_table with constraints and an index; its reverse drops it.
  auto metadata = std::make_shared<retort::MetaData>();
  auto& tags = metadata->table("tags", Column("id", retort::Integer{}).primary_key(),
                               Column("name", retort::String{40}).not_null().unique(),
                               Column("parent_id", retort::Integer{}).references("parents.id"),
                               retort::Index("ix_tags_parent", std::vector<std::string>{"parent_id"}));
  forward_and_back(db, ops::CreateTableOp{tags.shared_from_this()}, [](const std::string& s) {
    CHECK(contains(s, "table tags"));
    CHECK(contains(s, "index ix_tags_parent (parent_id)"));
    CHECK(contains(s, "-> parents (id)"));
  });

  // add_column with a server default; existing rows get it.
  forward_and_back(db,
                   ops::AddColumnOp{{"parents"}, Column("status", retort::String{20}).not_null().server_default("new")},
                   [&](const std::string& s) {
                     CHECK(contains(s, "column status VARCHAR(20) not null"));
                     auto conn = db.engine().connect();
                     CHECK(conn.execute(retort::text("SELECT count(*) FROM parents WHERE status = 'new'"))
                               .scalar_one<std::int64_t>() == 2);
                   });

  // drop_column with its definition, so that the reverse adds it back.
  forward_and_back(db, ops::DropColumnOp{{"children"}, "label", false, Column("label", retort::String{50})},
                   [](const std::string& s) { CHECK_FALSE(contains(s, "column label")); });

  forward_and_back(db, ops::RenameTableOp{{"children"}, "kids"}, [](const std::string& s) {
    CHECK(contains(s, "table kids"));
    CHECK_FALSE(contains(s, "table children"));
  });

  // An index with a WHERE clause where the database has partial indexes.
  retort::Index partial("ix_children_price", std::vector<std::string>{"price"}, true);
  if (db.features().supports_partial_indexes) partial.where(retort::text("price > 0"));
  forward_and_back(db, ops::CreateIndexOp{{"children"}, partial}, [&](const std::string& s) {
    // MySQL reports a unique index as a unique constraint: the two are one thing there.
    CHECK((contains(s, "index ix_children_price (price) unique=true") ||
           contains(s, "unique ix_children_price (price)")));
    if (db.features().supports_partial_indexes) CHECK_FALSE(contains(s, "unique=true where=-"));
  });
  if (db.features().supports_expression_indexes) {
    retort::Index lower_name("ix_parents_lower_name",
                             std::vector<retort::IndexElement>{{"", retort::text("lower(name)")}});
    forward_and_back(db, ops::CreateIndexOp{{"parents"}, lower_name},
                     [](const std::string& s) { CHECK(contains(s, "index ix_parents_lower_name")); });
  }

  // The ALTER family that SQLite cannot do: refused there, run and reversed elsewhere.
  ops::AlterColumnOp not_null{
      {"children"}, "price", {.nullable = false, .existing_type = retort::Integer{}, .existing_nullable = true}};
  if (!refused_without_alter(db, not_null))
    forward_and_back(db, not_null, [](const std::string& s) { CHECK(contains(s, "column price INTEGER not null")); });

  ops::AlterColumnOp widen{
      {"parents"},
      "name",
      {.type = retort::String{200}, .existing_type = retort::String{50}, .existing_nullable = false}};
  if (!refused_without_alter(db, widen))
    forward_and_back(db, widen, [](const std::string& s) { CHECK(contains(s, "column name VARCHAR(200) not null")); });

  ops::AlterColumnOp rename{
      {"parents"}, "name", {.new_name = "title", .existing_type = retort::String{50}, .existing_nullable = false}};
  if (!sqlite) forward_and_back(db, rename, [](const std::string& s) { CHECK(contains(s, "column title")); });

  ops::AlterColumnOp set_default{
      {"children"}, "price", {.server_default = retort::text("7"), .existing_type = retort::Integer{}}};
  if (!refused_without_alter(db, set_default))
    forward_and_back(db, set_default, [](const std::string& s) { CHECK(contains(s, "default=7")); });

  ops::CreateUniqueConstraintOp unique{{"children"}, {{"parent_id", "price"}, "uq_children_parent_price"}};
  if (!refused_without_alter(db, unique))
    forward_and_back(db, unique, [](const std::string& s) { CHECK(contains(s, "uq_children_parent_price")); });

  retort::ForeignKeyConstraint fk;
  fk.columns = {"parent_id"};
  fk.referred_table = "parents";
  fk.referred_columns = {"id"};
  fk.name = "fk_children_parent";
  fk.ondelete = "CASCADE";
  ops::CreateForeignKeyOp foreign{{"children"}, fk};
  if (!refused_without_alter(db, foreign))
    forward_and_back(
        db, foreign,
        [](const std::string& s) {
          CHECK(contains(s, "fk fk_children_parent (parent_id) -> parents (id) ondelete=CASCADE"));
        },
        [&] {
          // MySQL made an index for the key, named after it, and keeps it when the key goes (as
          // under Alembic): the schema is back once it is dropped too.
          if (db.engine().dialect().name() == "mysql")
            db.engine().connect().execute(retort::text("DROP INDEX fk_children_parent ON children"));
        });

  ops::CreateCheckConstraintOp check{{"children"}, {"price >= 0", "ck_children_price"}};
  if (!refused_without_alter(db, check))
    forward_and_back(db, check, [](const std::string& s) { CHECK(contains(s, "check ck_children_price")); });

  if (db.features().supports_comments) {
    forward_and_back(db, ops::CreateTableCommentOp{{"parents"}, "the parents"},
                     [](const std::string& s) { CHECK(contains(s, "table parents comment=the parents")); });
    ops::AlterColumnOp comment{{"parents"},
                               "name",
                               {.comment = std::optional<std::string>("shown"),
                                .existing_type = retort::String{50},
                                .existing_nullable = false}};
    forward_and_back(db, comment, [](const std::string& s) { CHECK(contains(s, "comment=shown")); });
  }
}

RETORT_BACKEND_TEST("ops: each op changes the reflected schema and its reverse restores it", table_and_column_ops)

void primary_key_op(BackendDatabase& db) {
  with_ops(db, [](migrate::Operations& op) {
    op.create_table("loose", Column("a", retort::Integer{}).not_null(), Column("b", retort::Integer{}).not_null());
  });
  ops::CreatePrimaryKeyOp pk{{"loose"}, {{"a", "b"}, "pk_loose"}};
  if (!refused_without_alter(db, pk))
    forward_and_back(db, pk, [](const std::string& s) { CHECK(contains(s, "pk a,b")); });
}

RETORT_BACKEND_TEST("ops: create_primary_key and its reverse", primary_key_op)

void data_ops(BackendDatabase& db) {
  base_schema(db);
  with_ops(db, [](migrate::Operations& op) {
    auto& t = op.create_table("notes", Column("id", retort::Integer{}).primary_key(), Column("body", retort::Text{}));
    std::vector<retort::Params> rows;
    for (int i = 1; i <= 250; ++i) rows.push_back({{"id", i}, {"body", fmt::format("note {}", i)}});
    op.bulk_insert(t, rows);
    op.execute("UPDATE notes SET body = 'first' WHERE id = 1");
    op.execute(retort::update(t).values({{"body", std::string("second")}}).where(t.c("id") == 2));
    op.execute(retort::delete_(t).where(t.c("id") > op.inline_literal(200)));
    // get_bind() is the live connection: a data migration reads through it.
    CHECK(op.get_bind().execute(retort::text("SELECT count(*) FROM notes")).scalar_one<std::int64_t>() == 200);
  });
  auto conn = db.engine().connect();
  CHECK(conn.execute(retort::text("SELECT body FROM notes WHERE id = 1")).scalar_one<std::string>() == "first");
  CHECK(conn.execute(retort::text("SELECT body FROM notes WHERE id = 2")).scalar_one<std::string>() == "second");
  CHECK(conn.execute(retort::text("SELECT count(*) FROM notes")).scalar_one<std::int64_t>() == 200);
}

RETORT_BACKEND_TEST("ops: bulk_insert and execute of text and Core statements", data_ops)

void failing_op_names_its_line(BackendDatabase& db) {
  base_schema(db);
  int line = 0;
  try {
    with_ops(db, [&](migrate::Operations& op) {
      line = __LINE__ + 1;
      op.add_column("no_such_table", Column("x", retort::Integer{}));
    });
    FAIL("adding a column to a missing table succeeded");
  } catch (const migrate::MigrationError& e) {
    INFO(e.what());
    CHECK(contains(e.what(), fmt::format("test_operations.cpp:{}", line)));
    CHECK(contains(e.what(), "no_such_table"));
  }
}

RETORT_BACKEND_TEST("ops: a failing op's error names the revision line that called it", failing_op_names_its_line)

}  // namespace

TEST_CASE("ops: offline ops write their SQL and get_bind is refused", "[migrate][ops]") {
  auto dialect = retort::DialectRegistry::instance().create("postgresql");
  std::ostringstream out;
  migrate::MigrationContext context(*dialect, out, {});
  migrate::Operations op(context);
  CHECK(op.is_offline());
  auto& t = op.create_table("users", Column("id", retort::Integer{}).primary_key(), Column("name", retort::String{50}));
  op.add_column("users", Column("email", retort::String{100}).not_null().server_default("none"));
  op.alter_column("users", "name", {.nullable = false, .type = retort::Text{}, .postgresql_using = "name::text"});
  op.create_index("ix_users_email", "users", {"email"}, {.unique = true, .where = retort::text("email <> ''")});
  op.create_foreign_key("fk_x", "users", "orgs", {"org_id"}, {"id"}, {.ondelete = "CASCADE", .match = "FULL"});
  op.create_index("ix_cover", "users", {"email"},
                  {.dialect_options = {{"postgresql_concurrently", "true"}, {"postgresql_include", "name, id"}}});
  op.bulk_insert(t, {{{"id", 1}, {"name", "O'Brien"}}});
  op.drop_constraint("fk_x", "users", {.type = "foreignkey"});
  CHECK_THROWS_WITH(op.get_bind(), Catch::Contains("offline"));
  CHECK_THROWS_WITH(op.drop_constraint("x", "users", {.type = "bogus"}), Catch::Contains("not one of"));
  auto sql = out.str();
  INFO(sql);
  CHECK(contains(sql, "CREATE TABLE users"));
  CHECK(contains(sql, "ALTER TABLE users ADD COLUMN email VARCHAR(100) DEFAULT 'none' NOT NULL"));
  CHECK(contains(sql, "USING name::text"));
  CHECK(contains(sql, "CREATE UNIQUE INDEX ix_users_email ON users (email) WHERE email <> ''"));
  CHECK(contains(sql, "MATCH FULL ON DELETE CASCADE"));
  CHECK(contains(sql, "CREATE INDEX CONCURRENTLY ix_cover ON users (email) INCLUDE (name, id)"));
  CHECK(contains(sql, "INSERT INTO users (id, name) VALUES (1, 'O''Brien')"));
  CHECK(contains(sql, "ALTER TABLE users DROP CONSTRAINT fk_x"));
}

TEST_CASE("ops: reverse needs what the op removed", "[migrate][ops]") {
  CHECK_THROWS_WITH(ops::reverse(ops::DropTableOp{{"t"}}), Catch::Contains("definition is not known"));
  CHECK_THROWS_WITH(ops::reverse(ops::DropColumnOp{{"t"}, "c"}), Catch::Contains("definition is not known"));
  CHECK_THROWS_WITH(ops::reverse(ops::AlterColumnOp{{"t"}, "c", {.nullable = false}}),
                    Catch::Contains("existing_nullable"));
  CHECK_THROWS_WITH(ops::reverse(ops::ExecuteOp{std::string("DELETE FROM t")}), Catch::Contains("by hand"));
  // The reverse of a reverse is the op again, as C++ source.
  ops::AlterColumnOp alter{{"t"}, "c", {.nullable = false, .new_name = "d", .existing_nullable = true}};
  CHECK(ops::render_cpp(ops::reverse(ops::reverse(alter))) == ops::render_cpp(alter));
  ops::RenameTableOp rename{{"a", "s"}, "b"};
  CHECK(ops::render_cpp(ops::reverse(rename)) == R"(op.rename_table("b", "a", {.schema = "s"});)");
}

TEST_CASE("ops: render_cpp writes the call that performs the op", "[migrate][ops]") {
  CHECK(ops::render_cpp(ops::AddColumnOp{{"users"}, Column("email", retort::String{100}).not_null()}) ==
        R"(op.add_column("users", retort::Column("email", retort::String{100}).not_null());)");
  CHECK(ops::render_cpp(ops::DropIndexOp{{"users"}, "ix_a", true}) ==
        R"(op.drop_index("ix_a", "users", {.if_exists = true});)");
  CHECK(ops::render_cpp(ops::ExecuteOp{std::string("UPDATE t SET s = 'a\"b'")}) ==
        R"(op.execute("UPDATE t SET s = 'a\"b'");)");
  retort::MetaData metadata;
  auto& t = metadata.table("orders", Column("id", retort::Integer{}).primary_key(),
                           Column("code", retort::String{8}).not_null().unique(),
                           Column("user_id", retort::Integer{}).references("users.id"));
  auto cpp = ops::render_cpp(ops::CreateTableOp{t.shared_from_this()});
  INFO(cpp);
  CHECK(contains(cpp, R"(op.create_table("orders",)"));
  CHECK(contains(cpp, R"(retort::Column("id", retort::Integer{}).primary_key())"));
  CHECK(contains(cpp, R"(retort::Column("code", retort::String{8}).not_null().unique())"));
  CHECK(contains(cpp, R"(retort::ForeignKeyConstraint{.columns = {"user_id"}, .referred_table = "users")"));
}

TEST_CASE("ops: batch_alter_table offline needs copy_from and writes the recreation", "[migrate][ops][batch]") {
  auto dialect = retort::DialectRegistry::instance().create("sqlite");
  std::ostringstream out;
  migrate::MigrationContext context(*dialect, out, {});
  migrate::Operations op(context);
  auto changes = [](migrate::BatchOperations& batch) {
    batch.drop_column("legacy");
    batch.alter_column("name", {.nullable = false, .type = retort::Text{}});
  };
  CHECK_THROWS_WITH(op.batch_alter_table("t", changes), Catch::Contains("copy_from"));
  retort::MetaData metadata;
  auto& t =
      metadata.table("t", Column("id", retort::Integer{}).primary_key(), Column("name", retort::String{50}),
                     Column("legacy", retort::Text{}), retort::Index("ix_t_name", std::vector<std::string>{"name"}));
  op.batch_alter_table("t", changes, {.copy_from = t.shared_from_this()});
  // Only plain ALTERs: no recreation, even on SQLite.
  op.batch_alter_table("t",
                       [](migrate::BatchOperations& batch) { batch.add_column(Column("extra", retort::Integer{})); });
  CHECK_THROWS_WITH(op.batch_alter_table("t", changes, {.recreate = "sometimes"}), Catch::Contains("recreate must be"));
  auto sql = out.str();
  INFO(sql);
  CHECK(contains(sql, "CREATE TABLE _retort_tmp_t"));
  CHECK(contains(sql, "name TEXT NOT NULL"));
  CHECK(contains(sql, "INSERT INTO _retort_tmp_t (id, name) SELECT id, CAST(name AS TEXT) FROM t"));
  CHECK(contains(sql, "DROP TABLE t"));
  CHECK(contains(sql, "ALTER TABLE _retort_tmp_t RENAME TO t"));
  CHECK(contains(sql, "CREATE INDEX ix_t_name ON t (name)"));
  CHECK(contains(sql, "ALTER TABLE t ADD COLUMN extra INTEGER"));
  CHECK_FALSE(contains(sql, "legacy"));
}

TEST_CASE("postgresql: ops: enum types are created, given values, used and dropped", "[postgresql][migrate][ops]") {
  auto db = BackendDatabase::open("postgresql");
  if (!db) return;
  with_ops(*db, [](migrate::Operations& op) {
    op.create_enum("mood", {"sad", "ok"});
    op.add_enum_value("mood", "happy", {.after = "ok"});
    op.add_enum_value("mood", "awful", {.before = "sad", .if_not_exists = true});
    op.create_table("people", Column("id", retort::Integer{}).primary_key(), Column("m", retort::NamedType{"mood"}));
  });
  auto values = [&] {
    auto conn = db->engine().connect();
    return conn
        .execute(retort::text("SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum JOIN pg_type t "
                              "ON t.oid = enumtypid WHERE t.typname = 'mood'"))
        .scalar_one<std::string>();
  };
  CHECK(values() == "awful,sad,ok,happy");
  // A value used in the transaction that added it: PostgreSQL refuses, and the message says why.
  try {
    with_ops(*db, [](migrate::Operations& op) {
      op.add_enum_value("mood", "great");
      op.execute("INSERT INTO people VALUES (1, 'great')");
    });
    FAIL("a new enum value was used in the transaction that added it");
  } catch (const migrate::MigrationError& e) {
    CHECK(contains(e.what(), "transactional false"));
  }
  CHECK(values() == "awful,sad,ok,happy");  // rolled back
  with_ops(*db, [](migrate::Operations& op) { op.execute("INSERT INTO people VALUES (1, 'happy')"); });
  with_ops(*db, [](migrate::Operations& op) {
    op.drop_table("people");
    op.run(ops::reverse(ops::CreateEnumOp{"mood", {"awful", "sad", "ok", "happy"}}));
  });
  auto conn = db->engine().connect();
  CHECK(conn.execute(retort::text("SELECT count(*) FROM pg_type WHERE typname = 'mood'")).scalar_one<std::int64_t>() ==
        0);
}

TEST_CASE("ops: enum types elsewhere are refused naming the dialect", "[migrate][ops]") {
  auto dialect = retort::DialectRegistry::instance().create("sqlite");
  std::ostringstream out;
  migrate::MigrationContext context(*dialect, out, {});
  migrate::Operations op(context);
  CHECK_THROWS_WITH(op.create_enum("mood", {"a"}), Catch::Contains("sqlite dialect has no named enum types"));
  CHECK_THROWS_WITH(ops::reverse(ops::AddEnumValueOp{"mood", "b"}), Catch::Contains("cannot remove a value"));
  CHECK(ops::render_cpp(ops::AddEnumValueOp{"mood", "b", std::nullopt, std::nullopt, "a"}) ==
        R"(op.add_enum_value("mood", "b", {.after = "a"});)");
}

TEST_CASE("sqlite: ops: batch positions, reordering, table_args, reflected overrides and constraint names",
          "[sqlite][migrate][ops][batch]") {
  auto db = BackendDatabase::open("sqlite");
  REQUIRE(db);
  with_ops(*db, [](migrate::Operations& op) {
    op.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, b TEXT, a TEXT, code TEXT UNIQUE, flag INTEGER)");
    op.execute("INSERT INTO t VALUES (1, 'b', 'a', 'c1', 1)");
  });
  with_ops(*db, [](migrate::Operations& op) {
    op.batch_alter_table("t",
                         [](migrate::BatchOperations& batch) {
                           batch.add_column(Column("z", retort::Integer{}), {.insert_after = "id"});
                           batch.drop_constraint("uq_t_code");  // SQLite's unnamed UNIQUE, named by the convention
                         },
                         {.partial_reordering = {{"a", "b"}},
                          .table_args = {retort::CheckConstraint{"flag IN (0, 1)", "ck_t_flag"}},
                          .reflect_columns = {Column("flag", retort::Boolean{})},
                          .naming_convention = retort::NamingConvention(
                              std::map<std::string, std::string>{{"uq", "uq_%(table_name)s_%(column_0_name)s"}})});
  });
  auto conn = db->engine().connect();
  auto columns = conn.execute(retort::text("SELECT group_concat(name, ',') FROM pragma_table_info('t')"))
                     .scalar_one<std::string>();
  CHECK(columns == "id,z,a,b,code,flag");
  auto sql = conn.execute(retort::text("SELECT sql FROM sqlite_master WHERE name = 't'")).scalar_one<std::string>();
  INFO(sql);
  CHECK(contains(sql, "ck_t_flag"));
  CHECK(contains(sql, "BOOLEAN"));
  CHECK_FALSE(contains(sql, "UNIQUE"));
  CHECK(conn.execute(retort::text("SELECT a || b || code || flag FROM t")).scalar_one<std::string>() == "abc11");
  // A name the convention does not give, or a position next to a column that is not there.
  CHECK_THROWS_WITH(with_ops(*db,
                             [](migrate::Operations& op) {
                               op.batch_alter_table("t", [](migrate::BatchOperations& batch) {
                                 batch.drop_constraint("no_such_constraint");
                               });
                             }),
                    Catch::Contains("no constraint named 'no_such_constraint'"));
  CHECK_THROWS_WITH(with_ops(*db,
                             [](migrate::Operations& op) {
                               op.batch_alter_table("t", [](migrate::BatchOperations& batch) {
                                 batch.add_column(Column("y", retort::Integer{}), {.insert_before = "nope"});
                               });
                             }),
                    Catch::Contains("has no column 'nope'"));
}

/// A table with everything a server's move and copy must carry over: a serial key whose counter is
/// past the largest id, named foreign, unique and check constraints, an index, a self-reference,
/// a child table with ON DELETE CASCADE, a view and a trigger.
void recreation_schema(BackendDatabase& db) {
  bool pg = db.engine().dialect().name() == "postgresql";
  auto conn = db.engine().connect();
  std::vector<std::string> setup = {
      "CREATE TABLE parents (id INTEGER PRIMARY KEY)",
      fmt::format("CREATE TABLE items (id {}, parent_id INTEGER, code VARCHAR(10), qty INTEGER, legacy VARCHAR(10), "
                  "up_id INTEGER, "
                  "CONSTRAINT fk_items_parent FOREIGN KEY (parent_id) REFERENCES parents (id) ON DELETE CASCADE, "
                  "CONSTRAINT uq_items_code UNIQUE (code), CONSTRAINT ck_items_qty CHECK (qty >= 0), "
                  "CONSTRAINT fk_items_up FOREIGN KEY (up_id) REFERENCES items (id))",
                  pg ? "SERIAL PRIMARY KEY" : "INTEGER AUTO_INCREMENT PRIMARY KEY"),
      "CREATE INDEX ix_items_qty ON items (qty)",
      "CREATE TABLE notes (id INTEGER PRIMARY KEY, item_id INTEGER NOT NULL, "
      "CONSTRAINT fk_notes_item FOREIGN KEY (item_id) REFERENCES items (id) ON DELETE CASCADE)",
      "INSERT INTO parents (id) VALUES (1), (2)",
      "INSERT INTO items (parent_id, code, qty, legacy, up_id) VALUES (1, 'a', 1, 'x', NULL)",
      "INSERT INTO items (parent_id, code, qty, legacy, up_id) VALUES (2, 'b', 2, 'y', NULL)",
      "INSERT INTO items (parent_id, code, qty, legacy, up_id) VALUES (NULL, 'c', 3, 'z', 1)",
      "INSERT INTO items (parent_id, code, qty, legacy, up_id) VALUES (NULL, 'd', 4, 'w', NULL)",
      "DELETE FROM items WHERE code = 'd'",  // the counter stays at 4
      "INSERT INTO notes (id, item_id) VALUES (1, 1), (2, 2), (3, 3)",
      "CREATE VIEW item_codes AS SELECT id, code FROM items",
  };
  if (pg) {
    setup.push_back(
        "CREATE FUNCTION items_qty() RETURNS trigger LANGUAGE plpgsql AS "
        "'BEGIN NEW.qty := COALESCE(NEW.qty, 0); RETURN NEW; END'");
    setup.push_back("CREATE TRIGGER items_qty BEFORE INSERT ON items FOR EACH ROW EXECUTE FUNCTION items_qty()");
  } else {
    setup.push_back("CREATE TRIGGER items_qty BEFORE INSERT ON items FOR EACH ROW SET NEW.qty = COALESCE(NEW.qty, 0)");
  }
  for (const auto& sql : setup) conn.exec_driver_sql(sql);
}

std::int64_t count_rows(BackendDatabase& db, const std::string& sql) {
  return db.engine().connect().exec_driver_sql(sql).scalar<std::int64_t>().value_or(-1);
}

void batch_always_on_servers(BackendDatabase& db) {
  if (!db.features().supports_alter) return;  // SQLite: the CLI batch tests
  recreation_schema(db);
  with_ops(db, [](migrate::Operations& op) {
    op.batch_alter_table("items",
                         [](migrate::BatchOperations& batch) {
                           batch.drop_column("legacy");
                           batch.alter_column("code", {.nullable = false, .existing_type = retort::String{10}});
                         },
                         {.recreate = "always"});
  });
  // Rows kept everywhere: the drop of the old table cascaded to nothing.
  CHECK(count_rows(db, "SELECT count(*) FROM items") == 3);
  CHECK(count_rows(db, "SELECT count(*) FROM notes") == 3);
  CHECK(count_rows(db, "SELECT count(*) FROM item_codes") == 3);
  // The schema as declared, under the old names, and nothing left behind.
  auto conn = db.engine().connect();
  retort::Inspector inspector(conn);
  auto items = inspector.get_table("items");
  std::vector<std::string> columns;
  for (const auto& c : items.columns) {
    columns.push_back(c.name);
    if (c.name == "code") CHECK_FALSE(c.nullable);
  }
  CHECK(columns == std::vector<std::string>{"id", "parent_id", "code", "qty", "up_id"});
  CHECK(items.primary_key.columns == std::vector<std::string>{"id"});
  std::vector<std::string> fks, uniques, checks, indexes;
  for (const auto& fk : items.foreign_keys) fks.push_back(fk.name + "->" + fk.referred_table + ":" + fk.ondelete);
  for (const auto& u : items.unique_constraints) uniques.push_back(u.name);
  for (const auto& c : items.check_constraints) checks.push_back(c.name);
  for (const auto& i : items.indexes) indexes.push_back(i.name);
  std::sort(fks.begin(), fks.end());
  CHECK(fks == std::vector<std::string>{"fk_items_parent->parents:CASCADE", "fk_items_up->items:"});
  CHECK(uniques == std::vector<std::string>{"uq_items_code"});
  CHECK(checks == std::vector<std::string>{"ck_items_qty"});
  CHECK(contains(fmt::format("{}", fmt::join(indexes, ",")), "ix_items_qty"));
  for (const auto& t : inspector.get_table_names()) CHECK_FALSE(contains(t, "_retort_tmp"));
  auto notes = inspector.get_table("notes");
  REQUIRE(notes.foreign_keys.size() == 1);
  CHECK(notes.foreign_keys[0].name == "fk_notes_item");
  // The counter continues after the deleted row, the trigger fires, the constraints hold.
  conn.exec_driver_sql("INSERT INTO items (code) VALUES ('e')");
  CHECK(count_rows(db, "SELECT id FROM items WHERE code = 'e'") == 5);
  CHECK(count_rows(db, "SELECT qty FROM items WHERE code = 'e'") == 0);
  CHECK_THROWS(conn.exec_driver_sql("INSERT INTO notes (id, item_id) VALUES (9, 999)"));
  CHECK_THROWS(conn.exec_driver_sql("INSERT INTO items (code, qty) VALUES ('f', -1)"));
  CHECK_THROWS(conn.exec_driver_sql("INSERT INTO items (code) VALUES ('a')"));
  // ON DELETE CASCADE runs through the new table: parent 2 takes item 2 and its note.
  conn.exec_driver_sql("DELETE FROM parents WHERE id = 2");
  CHECK(count_rows(db, "SELECT count(*) FROM items") == 3);
  CHECK(count_rows(db, "SELECT count(*) FROM notes") == 2);
}

RETORT_BACKEND_TEST("ops: batch recreate always moves and copies on the servers and keeps what refers to the table",
                    batch_always_on_servers)

void batch_always_failure_on_servers(BackendDatabase& db) {
  if (!db.features().supports_alter) return;  // SQLite: the CLI batch tests inject failures at each step
  recreation_schema(db);
  auto before = snapshot(db);
  // Rows that the new table's CHECK refuses: the copy fails.
  CHECK_THROWS_AS(with_ops(db,
                           [](migrate::Operations& op) {
                             op.batch_alter_table("items",
                                                  [](migrate::BatchOperations& batch) {
                                                    batch.create_check_constraint("ck_small", "qty < 2");
                                                  },
                                                  {.recreate = "always"});
                           }),
                  migrate::MigrationError);
  CHECK(snapshot(db) == before);
  // A new foreign key that existing rows break: found before the old table goes.
  CHECK_THROWS_WITH(with_ops(db,
                             [](migrate::Operations& op) {
                               op.batch_alter_table("items",
                                                    [](migrate::BatchOperations& batch) {
                                                      batch.create_foreign_key("fk_items_qty", "parents", {"qty"},
                                                                               {"id"});
                                                    },
                                                    {.recreate = "always"});
                             }),
                    // PostgreSQL checks the key as the copy inserts; MySQL's copy has no keys yet.
                    Catch::Contains("fk_items_qty") &&
                        (Catch::Contains("rows would break a foreign key") || Catch::Contains("violates foreign key")));
  CHECK(snapshot(db) == before);
  CHECK(count_rows(db, "SELECT count(*) FROM items") == 3);
  CHECK(count_rows(db, "SELECT count(*) FROM notes") == 3);
  // Offline there is no catalog to read the sequences and referring keys from.
  std::ostringstream out;
  migrate::MigrationContext offline(db.engine().dialect(), out, {});
  migrate::Operations op(offline);
  auto t = std::make_shared<retort::Table>("items", std::make_shared<const retort::NamingConvention>());
  t->append(Column("id", retort::Integer{}).primary_key());
  CHECK_THROWS_WITH(op.batch_alter_table("items", [](migrate::BatchOperations& batch) { batch.drop_column("id"); },
                                         {.recreate = "always", .copy_from = t}),
                    Catch::Contains("needs the database"));
}

RETORT_BACKEND_TEST("ops: a failed move and copy on a server leaves the table as it was",
                    batch_always_failure_on_servers)

void drop_constraint_if_exists(BackendDatabase& db) {
  if (!db.features().supports_alter) return;  // SQLite: batch mode, where it is checked below
  base_schema(db);
  with_ops(db, [](migrate::Operations& op) {
    op.drop_constraint("no_such_key", "children", {.type = "foreignkey", .if_exists = true});
  });
  CHECK_THROWS_AS(
      with_ops(db,
               [](migrate::Operations& op) { op.drop_constraint("no_such_key", "children", {.type = "foreignkey"}); }),
      migrate::MigrationError);
}

RETORT_BACKEND_TEST("ops: drop_constraint with if_exists passes over a missing constraint", drop_constraint_if_exists)

TEST_CASE("sqlite: ops: batch drop_constraint with if_exists passes over a missing constraint",
          "[sqlite][migrate][ops][batch]") {
  auto db = BackendDatabase::open("sqlite");
  REQUIRE(db);
  with_ops(*db, [](migrate::Operations& op) {
    op.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT)");
    op.batch_alter_table("t", [](migrate::BatchOperations& batch) {
      batch.drop_constraint("no_such_constraint", {.if_exists = true});
      batch.alter_column("a", {.nullable = false});
    });
  });
  auto conn = db->engine().connect();
  CHECK(conn.execute(retort::text("SELECT \"notnull\" FROM pragma_table_info('t') WHERE name = 'a'"))
            .scalar_one<std::int64_t>() == 1);
}
