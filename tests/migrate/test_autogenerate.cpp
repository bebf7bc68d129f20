// Autogenerate's comparison on every backend: a database made from one MetaData, compared with
// another, migrated by the plan's ops, must then compare equal to the declaration (convergence),
// and the reversed ops must bring back the schema it started from.
#include <catch2/catch.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <retort/migrate/autogenerate/autogenerate.hpp>
#include <retort/migrate/autogenerate/compare.hpp>
#include <retort/migrate/autogenerate/declared_schema.hpp>
#include <retort/migrate/autogenerate/render_revision.hpp>
#include <retort/migrate/ops/operations.hpp>
#include <retort/migrate/runtime/migration_context.hpp>
#include <retort/retort.hpp>

#include "support/autogenerate_plans.hpp"
#include "support/backend.hpp"
#include "support/each_backend.hpp"
#include "support/text.hpp"

namespace {

using retort::Column;
using retort::testing::BackendDatabase;
using retort::testing::contains;
namespace migrate = retort::migrate;
namespace autogenerate = retort::migrate::autogenerate;
namespace ops = retort::migrate::ops;

using retort::testing::listed;
using retort::testing::plan_for;
using retort::testing::run_ops;

std::vector<ops::Operation> reversed(const std::vector<ops::Operation>& list) {
  std::vector<ops::Operation> out;
  for (auto it = list.rbegin(); it != list.rend(); ++it) out.push_back(ops::reverse(*it));
  return out;
}

/// The database made from `start`, migrated to `target` by the plan, then back by its reverse.
/// Returns the plan for more checks.
autogenerate::MigrationPlan converges(BackendDatabase& db, const retort::MetaData& start,
                                      const retort::MetaData& target) {
  start.create_all(db.engine());
  auto original = [&] {
    auto conn = db.engine().connect();
    return autogenerate::metadata_of(autogenerate::reflect_database(conn, {}));
  }();
  auto plan = plan_for(db, target);
  INFO("differences:\n" << listed(plan));
  REQUIRE_FALSE(plan.empty());
  // The C++ and SQL renderings of the plan are what a revision gets: they must render.
  auto cpp = autogenerate::render_cpp_bodies(plan);
  INFO("C++ upgrade:\n" << cpp.upgrade << "\nC++ downgrade:\n" << cpp.downgrade);
  CHECK_FALSE(cpp.upgrade.empty());
  INFO("SQL upgrade:\n" << autogenerate::render_sql_bodies(plan, db.engine().dialect()).upgrade);
  run_ops(db, plan.ops);
  auto after = plan_for(db, target);
  INFO("left after the upgrade:\n" << listed(after));
  CHECK(after.empty());
  run_ops(db, reversed(plan.ops));
  auto back = plan_for(db, *original);
  INFO("left after the downgrade:\n" << listed(back));
  CHECK(back.empty());
  return plan;
}

void tables_columns_and_keys(BackendDatabase& db) {
  retort::MetaData start;
  start.table("users", Column("id", retort::Integer{}).primary_key(), Column("name", retort::String{50}),
              Column("legacy", retort::Text{}));
  start.table("posts", Column("id", retort::Integer{}).primary_key(),
              Column("user_id", retort::Integer{}).references("users.id"), Column("title", retort::String{100}));
  start.table("old_table", Column("id", retort::Integer{}).primary_key());

  retort::MetaData target;
  target.table("users", Column("id", retort::Integer{}).primary_key(),
               Column("name", retort::String{100}).not_null().server_default("x"),
               Column("email", retort::String{200}).unique());
  target.table("posts", Column("id", retort::Integer{}).primary_key(),
               Column("user_id", retort::Integer{})
                   .references(retort::ForeignKey{.target = "users.id",
                                                  .ondelete = "CASCADE",
                                                  .onupdate = "",
                                                  .name = "fk_posts_users",
                                                  .deferrable = std::nullopt,
                                                  .initially = ""}),
               Column("title", retort::String{100}), retort::Index("ix_posts_title", {"title"}));
  target.table("tags", Column("id", retort::Integer{}).primary_key(), Column("name", retort::String{40}).not_null(),
               retort::UniqueConstraint{{"name"}, "uq_tags_name"});
  target.table("post_tags", Column("post_id", retort::Integer{}).references("posts.id"),
               Column("tag_id", retort::Integer{}).references("tags.id"),
               retort::PrimaryKeyConstraint{{"post_id", "tag_id"}, "pk_post_tags"});
  auto plan = converges(db, start, target);
  // What a reviewer must read: the dropped table and column, the tightened column.
  auto warnings = fmt::format("{}", fmt::join(plan.warnings, "\n"));
  CHECK(contains(warnings, "drops table old_table"));
  CHECK(contains(warnings, "drops column users.legacy"));
  CHECK(contains(warnings, "sets users.name NOT NULL"));
}

RETORT_BACKEND_TEST("autogenerate: tables columns keys and indexes converge and reverse", tables_columns_and_keys)

void checks_comments_and_primary_keys(BackendDatabase& db) {
  retort::MetaData start;
  start.table("accounts", Column("code", retort::String{10}).not_null(), Column("balance", retort::Integer{}),
              Column("note", retort::String{20}), retort::CheckConstraint{"balance >= 0", "ck_balance"},
              retort::Index("ix_accounts_note", {"note"}));
  retort::MetaData target;
  target.table(
      "accounts", Column("code", retort::String{10}).not_null(), Column("balance", retort::Integer{}),
      Column("note", retort::String{20}).comment("free text"), retort::PrimaryKeyConstraint{{"code"}, "pk_accounts"},
      retort::CheckConstraint{"balance >= -100", "ck_balance"}, retort::CheckConstraint{"note <> ''", "ck_note"},
      retort::Index("ix_accounts_note", std::vector<std::string>{"note", "code"}),
      retort::TableOptions{.comment = "money"});
  converges(db, start, target);
}

RETORT_BACKEND_TEST("autogenerate: checks comments primary keys and changed indexes converge",
                    checks_comments_and_primary_keys)

void nothing_to_do(BackendDatabase& db) {
  retort::MetaData schema;
  schema.table("parents", Column("id", retort::Integer{}).primary_key(), Column("name", retort::String{30}).not_null());
  schema.table("children", Column("id", retort::Integer{}).primary_key(),
               Column("parent_id", retort::Integer{}).references("parents.id"),
               Column("score", retort::Numeric{10, 2}).server_default(0),
               retort::Index("ix_children_score", {"score"}));
  schema.create_all(db.engine());
  auto plan = plan_for(db, schema);
  INFO(listed(plan));
  CHECK(plan.empty());
  CHECK(plan.ops.empty());
}

RETORT_BACKEND_TEST("autogenerate: a database that matches its declaration gives no ops", nothing_to_do)

void renamed_from_hints(BackendDatabase& db) {
  retort::MetaData start;
  start.table("people", Column("id", retort::Integer{}).primary_key(), Column("name", retort::String{50}));
  start.create_all(db.engine());
  db.engine().connect().exec_driver_sql("INSERT INTO people (id, name) VALUES (1, 'ada')");
  retort::MetaData target;
  target.table("persons", Column("id", retort::Integer{}).primary_key(),
               Column("full_name", retort::String{50}).renamed_from("name"),
               retort::TableOptions{.renamed_from = "people"});
  auto plan = plan_for(db, target);
  INFO(listed(plan));
  REQUIRE(plan.renamed == 2);
  CHECK(plan.likely_renames.empty());
  run_ops(db, plan.ops);
  CHECK(plan_for(db, target).empty());
  CHECK(db.engine().connect().exec_driver_sql("SELECT full_name FROM persons").scalar<std::string>() == "ada");
  run_ops(db, reversed(plan.ops));
  CHECK(db.engine().connect().exec_driver_sql("SELECT name FROM people").scalar<std::string>() == "ada");
  // Once renamed, the hint is nothing more to do.
  run_ops(db, plan.ops);
  CHECK(plan_for(db, target).ops.empty());
}

RETORT_BACKEND_TEST("autogenerate: renamed_from hints rename tables and columns and keep their data",
                    renamed_from_hints)

}  // namespace

// ---- enum types: PostgreSQL's named types; elsewhere the column's ENUM or CHECK ----------------

retort::Enum mood(std::vector<std::string> values) { return retort::Enum{std::move(values), "mood"}; }

void people(retort::MetaData& m, const retort::Enum& type) {
  m.table("person", Column("id", retort::Integer{}).primary_key(), Column("current_mood", type).server_default("ok"));
  m.table("pet", Column("id", retort::Integer{}).primary_key(), Column("m", type).not_null());
}

/// The ops of `plan` of one kind.
template <class Op>
std::vector<Op> ops_of(const autogenerate::MigrationPlan& plan) {
  std::vector<Op> out;
  for (const auto& o : plan.ops)
    if (const auto* op = std::get_if<Op>(&o)) out.push_back(*op);
  return out;
}

void enum_type_made_and_dropped(BackendDatabase& db) {
  retort::MetaData start;
  start.table("person", Column("id", retort::Integer{}).primary_key());
  retort::MetaData target;
  people(target, mood({"sad", "ok", "happy"}));  // a new column of it, and a new table
  auto plan = converges(db, start, target);
  if (db.engine().dialect().name() != "postgresql") return;
  // The type is made before the tables that use it, and its reverse drops it after them.
  REQUIRE(ops_of<ops::CreateEnumOp>(plan).size() == 1);
  CHECK(std::holds_alternative<ops::CreateEnumOp>(plan.ops.front()));
  CHECK(contains(listed(plan), "enum type mood declared but not reflected"));
  auto sql = autogenerate::render_sql_bodies(plan, db.engine().dialect());
  CHECK(contains(sql.downgrade, "DROP TYPE mood"));
}

RETORT_BACKEND_TEST("autogenerate: a new enum type is made before its columns and dropped after them",
                    enum_type_made_and_dropped)

void enum_values_added(BackendDatabase& db) {
  retort::MetaData start;
  people(start, mood({"sad", "ok", "happy"}));
  retort::MetaData target;
  people(target, mood({"awful", "sad", "ok", "fine", "happy", "ecstatic"}));
  auto plan = converges(db, start, target);
  if (db.engine().dialect().name() != "postgresql") return;
  CHECK(contains(listed(plan),
                 "enum type mood: values ('awful', 'sad', 'ok', 'fine', 'happy', 'ecstatic') declared, "
                 "('sad', 'ok', 'happy') reflected"));
  // Added in place, each next to a value that is there; the downgrade makes the type again.
  auto sql = autogenerate::render_sql_bodies(plan, db.engine().dialect());
  CHECK(contains(sql.upgrade, "ALTER TYPE mood ADD VALUE 'awful' BEFORE 'sad';\n"));
  CHECK(contains(sql.upgrade, "ALTER TYPE mood ADD VALUE 'fine' BEFORE 'happy';\n"));
  CHECK(contains(sql.upgrade, "ALTER TYPE mood ADD VALUE 'ecstatic' AFTER 'happy'"));
  CHECK_FALSE(contains(sql.upgrade, "RENAME"));
  CHECK(contains(sql.downgrade, "ALTER TYPE mood RENAME TO mood_retort_old"));
  CHECK(contains(autogenerate::render_cpp_bodies(plan).upgrade,
                 "op.alter_enum(\"mood\", {\"awful\", \"sad\", \"ok\", \"fine\", \"happy\", \"ecstatic\"}, "
                 "{.existing_values = std::vector<std::string>{\"sad\", \"ok\", \"happy\"}, .columns = "
                 "{retort::EnumTypeColumn{{\"person\"}, \"current_mood\", \"'ok'::mood\"}, "
                 "retort::EnumTypeColumn{{\"pet\"}, \"m\"}}});"));
}

RETORT_BACKEND_TEST("autogenerate: enum values added converge and reverse", enum_values_added)

void enum_values_removed_and_reordered(BackendDatabase& db) {
  retort::MetaData start;
  people(start, mood({"sad", "ok", "happy", "meh"}));
  retort::MetaData target;
  people(target, mood({"happy", "ok", "sad"}));
  start.create_all(db.engine());
  {
    auto conn = db.engine().connect();
    conn.exec_driver_sql("INSERT INTO person (id, current_mood) VALUES (1, 'sad'), (2, 'happy')");
    conn.exec_driver_sql("INSERT INTO pet (id, m) VALUES (1, 'ok')");
    // A row holds a removed value: the migration fails whole and the database stays as it was.
    conn.exec_driver_sql("INSERT INTO person (id, current_mood) VALUES (3, 'meh')");
  }
  auto plan = plan_for(db, target);
  INFO(listed(plan));
  REQUIRE_FALSE(plan.empty());
  if (db.engine().dialect().name() == "postgresql")
    CHECK(contains(fmt::format("{}", fmt::join(plan.warnings, "\n")), "removes 'meh' from enum type mood"));
  CHECK_THROWS(run_ops(db, plan.ops));
  CHECK(listed(plan_for(db, target)) == listed(plan));
  db.engine().connect().exec_driver_sql("DELETE FROM person WHERE id = 3");
  run_ops(db, plan_for(db, target).ops);
  INFO(listed(plan_for(db, target)));
  CHECK(plan_for(db, target).empty());
  // The rows kept their values, the default still works.
  auto conn = db.engine().connect();
  conn.exec_driver_sql("INSERT INTO person (id) VALUES (4)");
  auto rows = conn.exec_driver_sql("SELECT id, current_mood FROM person ORDER BY id").all();
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].get<std::string>(1) == "sad");
  CHECK(rows[1].get<std::string>(1) == "happy");
  CHECK(rows[2].get<std::string>(1) == "ok");
  CHECK(conn.exec_driver_sql("SELECT m FROM pet").scalar<std::string>() == "ok");
}

RETORT_BACKEND_TEST("autogenerate: enum values removed and reordered keep the rows, or fail whole on one that goes",
                    enum_values_removed_and_reordered)

// ---- views --------------------------------------------------------------------------------------

void views_converge(BackendDatabase& db) {
  auto users = [](retort::MetaData& m, bool email) {
    auto& t = m.table("users", Column("id", retort::Integer{}).primary_key(), Column("name", retort::String{40}));
    if (email) t.append(Column("email", retort::String{80}));
  };
  retort::MetaData start;
  users(start, false);
  start.view("v_names", "SELECT id, name FROM users");
  start.view("v_old", "SELECT id FROM users");
  retort::MetaData target;
  users(target, true);
  target.view("v_names", "SELECT id, name, email FROM users WHERE id > 10");  // uses the new column
  target.view("v_new", "SELECT name FROM users");
  auto plan = converges(db, start, target);
  auto text = listed(plan);
  CHECK(contains(text, "view v_new declared but not reflected"));
  CHECK(contains(text, "view v_old reflected but not declared"));
  CHECK(contains(text, "view v_names: definition SELECT id, name, email FROM users WHERE id > 10 declared"));
  // Views go before the tables change and come back after.
  REQUIRE(plan.ops.size() >= 4);
  CHECK(std::holds_alternative<ops::DropViewOp>(plan.ops.front()));
  CHECK(std::holds_alternative<ops::CreateViewOp>(plan.ops.back()));
  CHECK(contains(autogenerate::render_cpp_bodies(plan).upgrade,
                 "op.create_view(\"v_new\", \"SELECT name FROM users\");"));
}

RETORT_BACKEND_TEST("autogenerate: views made, dropped and changed converge and reverse", views_converge)

void views_left_alone_unless_declared(BackendDatabase& db) {
  retort::MetaData schema;
  schema.table("users", Column("id", retort::Integer{}).primary_key());
  schema.create_all(db.engine());
  db.engine().connect().exec_driver_sql("CREATE VIEW v_ids AS SELECT id FROM users");
  // A declaration without views does not speak for them, as in Alembic.
  INFO(listed(plan_for(db, schema)));
  CHECK(plan_for(db, schema).empty());
  // One that does (a view declared, or a database or schema file read whole) reports the others.
  schema.set_declares_views(true);
  CHECK(listed(plan_for(db, schema)) == "view v_ids reflected but not declared");
  // The database's own rewriting of a view reads as what was declared.
  schema.view("v_ids", "select id from users;");
  INFO(listed(plan_for(db, schema)));
  CHECK(plan_for(db, schema).empty());
}

RETORT_BACKEND_TEST("autogenerate: the database's views are compared only where the declaration speaks for them",
                    views_left_alone_unless_declared)

void include_object_leaves_out(BackendDatabase& db) {
  retort::MetaData start, declared;
  start.table("users", Column("id", retort::Integer{}).primary_key(), Column("name", retort::String{30}));
  start.table("audit", Column("id", retort::Integer{}).primary_key());
  start.table("posts", Column("id", retort::Integer{}).primary_key(), Column("title", retort::String{30}));
  start.create_all(db.engine());
  declared.table("users", Column("id", retort::Integer{}).primary_key(), Column("name", retort::String{30}),
                 Column("email", retort::String{60}));
  declared.table("posts", Column("id", retort::Integer{}).primary_key(), Column("title", retort::String{30}),
                 Column("body", retort::Text{}), retort::Index("ix_posts_title", {"title"}));
  std::vector<std::string> asked;
  autogenerate::CompareOptions options;
  options.include_object = [&](const autogenerate::ObjectRef& o) {
    asked.push_back(fmt::format("{} {} {}", o.table, o.name, o.in_database));
    if (o.object == retort::SchemaObject::Table) return o.name != "audit";
    return !(o.object == retort::SchemaObject::Column && o.name == "body");
  };
  auto conn = db.engine().connect();
  auto plan = autogenerate::compare(declared, autogenerate::reflect_database(conn, {}), db.engine().dialect(), options);
  auto text = listed(plan);
  INFO(text);
  CHECK(contains(text, "column email declared but not reflected"));
  CHECK(contains(text, "index ix_posts_title"));
  CHECK_FALSE(contains(text, "body"));
  CHECK_FALSE(contains(text, "audit"));
  auto all = fmt::format("{}", fmt::join(asked, "\n"));
  INFO(all);
  CHECK(contains(all, "audit audit true"));  // asked about the table once, as the database has it
  CHECK(contains(all, "posts body false"));  // and about each object that differs in the others
  CHECK(std::count(asked.begin(), asked.end(), "posts posts true") == 1);
}

RETORT_BACKEND_TEST("autogenerate: include_object leaves out the tables and objects it refuses",
                    include_object_leaves_out)

TEST_CASE("postgresql: autogenerate: views over a column whose type changes go first and come back after",
          "[postgresql][backends]") {
  auto db = BackendDatabase::open("postgresql");
  if (!db) return;
  auto users = [](retort::MetaData& m, int length, bool age) {
    auto& t = m.table("users", Column("id", retort::Integer{}).primary_key(), Column("name", retort::String{length}));
    if (age) t.append(Column("age", retort::Integer{}));
  };
  retort::MetaData start, target;
  users(start, 30, true);
  users(target, 60, false);
  start.create_all(db->engine());
  auto conn = db->engine().connect();
  conn.exec_driver_sql("CREATE VIEW v_users AS SELECT id, name FROM users");
  conn.exec_driver_sql("CREATE VIEW v_names AS SELECT name FROM v_users");  // over the first
  conn.exec_driver_sql("INSERT INTO users (id, name, age) VALUES (1, 'ada', 36)");
  // The declaration has no views: they are not compared, but PostgreSQL refuses the ALTER while
  // they stand.
  auto plan = plan_for(*db, target);
  auto cpp = autogenerate::render_cpp_bodies(plan).upgrade;
  INFO(cpp);
  REQUIRE(plan.ops.size() >= 4);
  CHECK(contains(cpp, "op.drop_view(\"v_names\""));
  CHECK(cpp.find("op.drop_view(\"v_names\"") < cpp.find("op.drop_view(\"v_users\""));
  CHECK(cpp.find("op.create_view(\"v_users\"") < cpp.find("op.create_view(\"v_names\""));
  run_ops(*db, plan.ops);
  CHECK(plan_for(*db, target).empty());
  CHECK(conn.exec_driver_sql("SELECT name FROM v_names").scalar<std::string>() == "ada");
  run_ops(*db, reversed(plan.ops));
  CHECK(plan_for(*db, start).empty());
  CHECK(conn.exec_driver_sql("SELECT count(*) FROM v_names").scalar<std::int64_t>() == 1);
}

// ---- other schemas --------------------------------------------------------------------------------

void other_schemas_compared(retort::testing::BackendDatabase& db) {
  bool pg = db.engine().dialect().name() == "postgresql";
  auto conn = db.engine().connect();
  auto home =
      conn.exec_driver_sql(pg ? "SELECT current_schema()" : "SELECT database()").scalar<std::string>().value_or("");
  const std::string other = home + "_b";
  conn.exec_driver_sql((pg ? "CREATE SCHEMA " : "CREATE DATABASE ") + other);
  struct DropOther {
    retort::Connection& conn;
    std::string sql;
    ~DropOther() {
      try {
        conn.exec_driver_sql(sql);
      } catch (...) {
      }
    }
  } drop_other{conn, pg ? "DROP SCHEMA " + other + " CASCADE" : "DROP DATABASE " + other};
  auto in_other = retort::TableOptions{.schema = other};
  retort::MetaData start, target;
  for (auto* m : {&start, &target})
    m->table("users", Column("id", retort::Integer{}).primary_key(), Column("name", retort::String{30}));
  start.table("invoices", Column("id", retort::Integer{}).primary_key(), Column("total", retort::Integer{}), in_other);
  start.table("legacy", Column("id", retort::Integer{}).primary_key(), in_other);
  target.table("invoices", Column("id", retort::Integer{}).primary_key(), Column("total", retort::BigInteger{}),
               Column("note", retort::String{40}), retort::Index("ix_invoices_note", {"note"}), in_other);
  retort::ForeignKeyConstraint to_invoice;
  to_invoice.columns = {"invoice_id"};
  to_invoice.referred_table = "invoices";
  to_invoice.referred_columns = {"id"};
  to_invoice.referred_schema = other;
  to_invoice.name = "fk_payments_invoices";
  target.table("payments", Column("id", retort::Integer{}).primary_key(), Column("invoice_id", retort::Integer{}),
               to_invoice, in_other);
  start.create_all(db.engine());
  auto plan_with = [&](const retort::MetaData& declared, std::vector<std::string> schemas) {
    return autogenerate::compare(declared, autogenerate::reflect_database(conn, {}, schemas), db.engine().dialect());
  };
  // Without the schema named, its tables are out of the comparison on both sides.
  CHECK(plan_with(target, {}).empty());
  auto plan = plan_with(target, {other});
  auto text = listed(plan);
  INFO(text);
  CHECK(contains(text, "table " + other + ".invoices: column note declared but not reflected"));
  CHECK(contains(text, "table " + other + ".payments: declared but not reflected"));
  CHECK(contains(text, "table " + other + ".legacy: reflected but not declared"));
  CHECK_FALSE(contains(text, "users"));
  // A glob may name the schema.
  autogenerate::CompareOptions options;
  options.exclude = {other + ".leg*"};
  CHECK_FALSE(contains(listed(autogenerate::compare(target, autogenerate::reflect_database(conn, {}, {other}),
                                                    db.engine().dialect(), options)),
                       "legacy"));
  run_ops(db, plan.ops);
  INFO("left after the upgrade:\n" << listed(plan_with(target, {other})));
  CHECK(plan_with(target, {other}).empty());
  run_ops(db, reversed(plan.ops));
  INFO("left after the downgrade:\n" << listed(plan_with(start, {other})));
  CHECK(plan_with(start, {other}).empty());
}

TEST_CASE("postgresql: autogenerate: tables in another schema are compared when it is named",
          "[postgresql][backends]") {
  auto db = BackendDatabase::open("postgresql");
  if (db) other_schemas_compared(*db);
}

TEST_CASE("mysql: autogenerate: tables in another database are compared when it is named", "[mysql][backends]") {
  auto db = BackendDatabase::open("mysql");
  if (db) other_schemas_compared(*db);
}

// ---- computed columns, identity and autoincrement ----------------------------------------------

void boxes(retort::MetaData& m, bool target) {
  auto stored = [](std::string sql) { return retort::Computed{std::move(sql), true}; };
  m.table(
      "boxes", Column("id", retort::Integer{}).primary_key().autoincrement(false), Column("w", retort::Integer{}),
      Column("h", retort::Integer{}),
      Column("area", retort::Integer{}).computed(stored(target ? "w * h * 2" : "w * h")),
      target ? Column("perimeter", retort::Integer{})
             : Column("perimeter", retort::Integer{}).computed(stored("2 * (w + h)")),
      target ? Column("volume", retort::Integer{}).computed(stored("w * h * 3")) : Column("volume", retort::Integer{}),
      retort::Index("ix_boxes_area", {"area"}));
}

void computed_columns_made_again(BackendDatabase& db) {
  retort::MetaData start, target;
  boxes(start, false);
  boxes(target, true);
  start.create_all(db.engine());
  db.engine().connect().exec_driver_sql("INSERT INTO boxes (id, w, h, volume) VALUES (1, 2, 3, 7)");
  auto plan = plan_for(db, target);
  auto text = listed(plan);
  INFO(text);
  CHECK(contains(text, "column area: computed as (w * h * 2) declared"));
  CHECK(contains(text, "column perimeter: computed as none declared"));
  CHECK(contains(text, "column volume: computed as (w * h * 3) declared, none reflected"));
  auto warnings = fmt::format("{}", fmt::join(plan.warnings, "\n"));
  CHECK(contains(warnings, "makes boxes.volume a computed column"));
  CHECK(contains(warnings, "makes computed column boxes.perimeter a plain one"));
  auto sql = autogenerate::render_sql_bodies(plan, db.engine().dialect()).upgrade;
  INFO(sql);
  if (db.engine().dialect().name() == "sqlite") {
    // Offline, the recreated table keeps every computed column and copies none of them.
    CHECK(contains(sql, "area INTEGER GENERATED ALWAYS AS (w * h * 2) STORED"));
    CHECK(contains(sql, "INSERT INTO _retort_tmp_boxes (id, w, h) SELECT id, w, h FROM boxes"));
  }
  run_ops(db, plan.ops);
  INFO("left after the upgrade:\n" << listed(plan_for(db, target)));
  CHECK(plan_for(db, target).empty());
  auto conn = db.engine().connect();
  CHECK(conn.exec_driver_sql("SELECT area FROM boxes").scalar<std::int64_t>() == 12);
  CHECK(conn.exec_driver_sql("SELECT volume FROM boxes").scalar<std::int64_t>() == 18);
  conn.exec_driver_sql("UPDATE boxes SET perimeter = 5");  // plain now
  run_ops(db, reversed(plan.ops));
  INFO("left after the downgrade:\n" << listed(plan_for(db, start)));
  CHECK(plan_for(db, start).empty());
  CHECK(conn.exec_driver_sql("SELECT area FROM boxes").scalar<std::int64_t>() == 6);
  CHECK(conn.exec_driver_sql("SELECT perimeter FROM boxes").scalar<std::int64_t>() == 10);
  CHECK(conn.exec_driver_sql("SELECT count(*) FROM boxes").scalar<std::int64_t>() == 1);
}

RETORT_BACKEND_TEST("autogenerate: computed columns changed, made or unmade are made again with their indexes",
                    computed_columns_made_again)

TEST_CASE("postgresql: autogenerate: identity columns made, changed and removed converge and reverse",
          "[postgresql][backends]") {
  auto db = BackendDatabase::open("postgresql");
  if (!db) return;
  retort::MetaData start, target;
  start.table("tickets", Column("id", retort::Integer{}).primary_key().autoincrement(false),
              Column("n", retort::Integer{}).identity(retort::Identity{}),
              Column("m", retort::BigInteger{}).identity(retort::Identity{.always = true}),
              Column("k", retort::Integer{}).server_default(0));
  target.table("tickets", Column("id", retort::Integer{}).primary_key().identity({.always = true, .start = 100}),
               Column("n", retort::Integer{}), Column("m", retort::BigInteger{}).identity({.increment = 5}),
               Column("k", retort::Integer{}).identity(retort::Identity{}));
  auto plan = converges(*db, start, target);
  auto text = listed(plan);
  CHECK(contains(text, "column id: identity ALWAYS (START WITH 100) declared, none reflected"));
  CHECK(contains(text, "column n: identity none declared, BY DEFAULT"));
  auto sql = autogenerate::render_sql_bodies(plan, db->engine().dialect());
  INFO(sql.upgrade);
  CHECK(contains(sql.upgrade, "ALTER TABLE tickets ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (START WITH 100)"));
  CHECK(contains(sql.upgrade, "ALTER TABLE tickets ALTER COLUMN n DROP IDENTITY"));
  CHECK(contains(sql.upgrade, "ALTER TABLE tickets ALTER COLUMN m SET GENERATED BY DEFAULT SET INCREMENT BY 5"));
  CHECK(contains(sql.upgrade, "ALTER TABLE tickets ALTER COLUMN k SET NOT NULL"));
  CHECK(contains(sql.upgrade, "ALTER TABLE tickets ALTER COLUMN k ADD GENERATED BY DEFAULT AS IDENTITY"));
  CHECK(contains(autogenerate::render_cpp_bodies(plan).upgrade,
                 ".identity = retort::Identity{.always = true, .start = 100}"));
  CHECK(contains(fmt::format("{}", fmt::join(plan.warnings, "\n")), "makes tickets.id an identity column"));
}

TEST_CASE("mysql: autogenerate: AUTO_INCREMENT added to a key converges and reverses", "[mysql][backends]") {
  auto db = BackendDatabase::open("mysql");
  if (!db) return;
  retort::MetaData start, target;
  start.table("counters", Column("id", retort::Integer{}).primary_key().autoincrement(false),
              Column("name", retort::String{20}));
  target.table("counters", Column("id", retort::Integer{}).primary_key(), Column("name", retort::String{20}));
  auto plan = converges(*db, start, target);
  CHECK(contains(autogenerate::render_sql_bodies(plan, db->engine().dialect()).upgrade,
                 "ALTER TABLE counters MODIFY id INTEGER NOT NULL AUTO_INCREMENT"));
}

// ---- PostgreSQL: covering columns and MATCH -----------------------------------------------------

TEST_CASE("postgresql: autogenerate: an index's INCLUDE columns and a foreign key's MATCH converge",
          "[postgresql][backends]") {
  auto db = BackendDatabase::open("postgresql");
  if (!db) return;
  auto schema = [](retort::MetaData& m, const std::string& include, const std::string& match) {
    m.table("parents", Column("id", retort::Integer{}).primary_key(), Column("code", retort::Integer{}));
    auto& children =
        m.table("children", Column("id", retort::Integer{}).primary_key(), Column("parent_id", retort::Integer{}),
                Column("x", retort::Integer{}), Column("y", retort::Integer{}), retort::Index("ix_children_x", {"x"}));
    if (!include.empty())
      children.append(retort::Index("ix_children_y", {"y"}).dialect_option("postgresql_include", include));
    retort::ForeignKeyConstraint fk;
    fk.columns = {"parent_id"};
    fk.referred_table = "parents";
    fk.referred_columns = {"id"};
    fk.name = "fk_children_parents";
    fk.match = match;
    children.append(fk);
  };
  retort::MetaData start, target;
  schema(start, "x", "");
  schema(target, "x, id", "FULL");
  auto plan = converges(*db, start, target);
  auto text = listed(plan);
  CHECK(contains(text, "index ix_children_y: INCLUDE (x, id) declared, (x) reflected"));
  CHECK(contains(text, "MATCH 'FULL' declared, '' reflected"));
  auto sql = autogenerate::render_sql_bodies(plan, db->engine().dialect());
  CHECK(contains(sql.upgrade, "CREATE INDEX ix_children_y ON children (y) INCLUDE (x, id)"));
  CHECK(contains(sql.upgrade, "MATCH FULL"));
}
