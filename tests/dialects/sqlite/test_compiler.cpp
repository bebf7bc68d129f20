// The SQLite dialect's compilers: qmark parameters, LIMIT/OFFSET, ILIKE, booleans, RETURNING and
// DDL spellings; a few statements also run on an in-memory database to prove they parse.
#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include <retort/retort.hpp>

#include "support/compile.hpp"

namespace {

namespace func = retort::func;

struct SqliteFixture {
  retort::testing::Compiler sqlite{"sqlite"};
  retort::MetaData md;
  retort::Table& users =
      md.table("users", retort::Column("id", retort::Integer{}).primary_key(),
               retort::Column("name", retort::String{50}).not_null(), retort::Column("active", retort::Boolean{}),
               retort::Column("age", retort::Integer{}));
  retort::Table& orders = md.table("orders", retort::Column("id", retort::Integer{}).primary_key(),
                                   retort::Column("user_id", retort::Integer{}).references("users.id"),
                                   retort::Column("amount", retort::Numeric{10, 2}));
};

}  // namespace

TEST_CASE("SQLite uses qmark placeholders in statement order", "[compiler][sqlite]") {
  SqliteFixture f;
  auto c = f.sqlite.compile(retort::select(f.users.c("id"))
                                .where(f.users.c("name") == "bob")
                                .where(f.users.c("age") > retort::bindparam("min_age"))
                                .limit(5));
  CHECK(c.sql == "SELECT users.id FROM users WHERE users.name = ? AND users.age > ? LIMIT ?");
  REQUIRE(c.params.size() == 3);
  CHECK(c.params[0].has_value);
  CHECK(c.params[1].name == "min_age");
  CHECK_FALSE(c.params[1].has_value);
  CHECK(c.params[2].has_value);
  CHECK(f.sqlite.dialect().name() == "sqlite");
  CHECK(f.sqlite.dialect().features().paramstyle == retort::ParamStyle::Qmark);
  CHECK(f.sqlite.sql(retort::text("SELECT * FROM users WHERE id = :id AND name = :name")) ==
        "SELECT * FROM users WHERE id = ? AND name = ?");
}

TEST_CASE("SQLite LIMIT and OFFSET", "[compiler][sqlite]") {
  SqliteFixture f;
  auto base = retort::select(f.users.c("id"));
  CHECK(f.sqlite.sql(base.limit(3)) == "SELECT users.id FROM users LIMIT ?");
  CHECK(f.sqlite.sql(base.offset(3)) == "SELECT users.id FROM users LIMIT -1 OFFSET ?");
  CHECK(f.sqlite.sql(base.limit(2).offset(3)) == "SELECT users.id FROM users LIMIT ? OFFSET ?");
  CHECK(f.sqlite.sql(base.offset(7), retort::testing::literal) == "SELECT users.id FROM users LIMIT -1 OFFSET 7");
  CHECK(f.sqlite.sql(base.union_(base).offset(1), retort::testing::literal) ==
        "SELECT users.id FROM users UNION SELECT users.id FROM users LIMIT -1 OFFSET 1");
}

TEST_CASE("SQLite writes a compound inside a compound as a subquery", "[compiler][sqlite]") {
  SqliteFixture f;
  auto a = retort::select(f.users.c("id"));
  auto b = retort::select(f.orders.c("user_id"));
  auto c = retort::select(f.orders.c("id"));
  CHECK(f.sqlite.sql(a.union_(b).except_(c)) ==
        "SELECT * FROM (SELECT users.id FROM users UNION SELECT orders.user_id FROM orders) "
        "EXCEPT SELECT orders.id FROM orders");
  // Flat compounds stay flat.
  CHECK(f.sqlite.sql(a.union_(b).union_(c)) ==
        "SELECT users.id FROM users UNION SELECT orders.user_id FROM orders UNION SELECT orders.id FROM orders");
}

TEST_CASE("SQLite upserts are ON CONFLICT", "[compiler][sqlite]") {
  SqliteFixture f;
  auto row = retort::insert(f.users).values({{"id", 1}, {"name", "a"}});
  CHECK(f.sqlite.sql(row.on_conflict_do_nothing()) ==
        "INSERT INTO users (id, name) VALUES (?, ?) ON CONFLICT DO NOTHING");
  CHECK(f.sqlite.sql(row.on_conflict_do_update({"id"}, {{"name", retort::excluded("name")}}, f.users.c("age") > 1)
                         .returning({f.users.c("id")})) ==
        "INSERT INTO users (id, name) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name "
        "WHERE users.age > ? RETURNING id");
  CHECK_THROWS_AS(f.sqlite.sql(row.on_duplicate_key_update({{"name", "b"}})), retort::UnsupportedCompilationError);
}

TEST_CASE("SQLite ILIKE becomes lower() LIKE lower()", "[compiler][sqlite]") {
  SqliteFixture f;
  auto name = f.users.c("name");
  CHECK(f.sqlite.sql(name.ilike(retort::literal("A%"))) == "lower(users.name) LIKE lower(?)");
  CHECK(f.sqlite.sql(name.not_ilike(retort::literal("A%"))) == "lower(users.name) NOT LIKE lower(?)");
  CHECK(f.sqlite.sql(name.ilike(retort::literal("a!%"), "!"), retort::testing::literal) ==
        "lower(users.name) LIKE lower('a!%') ESCAPE '!'");
  CHECK(f.sqlite.sql(name.like(retort::literal("A%"))) == "users.name LIKE ?");
}

TEST_CASE("SQLite booleans are 1 and 0", "[compiler][sqlite]") {
  SqliteFixture f;
  CHECK(f.sqlite.sql(retort::select(retort::true_(), retort::false_())) == "SELECT 1, 0");
  CHECK(f.sqlite.sql(f.users.c("active") == true, retort::testing::literal) == "users.active = 1");
  CHECK(f.sqlite.sql(f.users.c("active") == false, retort::testing::literal) == "users.active = 0");
  CHECK(f.sqlite.sql(f.users.c("active") == true) == "users.active = ?");
  CHECK(f.sqlite.sql(retort::and_({}), retort::testing::literal) == "1");
  CHECK(f.sqlite.sql(retort::update(f.users).values({{"active", true}}), retort::testing::literal) ==
        "UPDATE users SET active = 1");
}

TEST_CASE("SQLite RETURNING and DML", "[compiler][sqlite]") {
  SqliteFixture f;
  auto c = f.sqlite.compile(retort::insert(f.users).values({{"name", "a"}}).returning({f.users.c("id")}));
  CHECK(c.sql == "INSERT INTO users (name) VALUES (?) RETURNING id");
  CHECK(c.returns_rows);
  CHECK(f.sqlite.sql(retort::update(f.users)
                         .values({{"age", 1}})
                         .where(f.users.c("id") == 2)
                         .returning({f.users.c("age"), f.users.c("name")})) ==
        "UPDATE users SET age = ? WHERE users.id = ? RETURNING age, name");
  CHECK(f.sqlite.sql(retort::delete_(f.users).where(f.users.c("id") == 2).returning({f.users.c("id")})) ==
        "DELETE FROM users WHERE users.id = ? RETURNING id");
  CHECK(f.sqlite.sql(retort::insert(f.users).values(std::vector<retort::Params>{{{"name", "a"}}, {{"name", "b"}}})) ==
        "INSERT INTO users (name) VALUES (?), (?)");
  CHECK(f.sqlite.sql(retort::insert(f.users)) == "INSERT INTO users DEFAULT VALUES");
}

TEST_CASE("SQLite quotes identifiers with double quotes", "[compiler][sqlite]") {
  SqliteFixture f;
  retort::MetaData md;
  auto& t = md.table("Order Lines", retort::Column("select", retort::Integer{}),
                     retort::Column("a\"b", retort::Integer{}), retort::Column("ok", retort::Integer{}));
  CHECK(f.sqlite.sql(retort::select(t)) ==
        "SELECT \"Order Lines\".\"select\", \"Order Lines\".\"a\"\"b\", \"Order Lines\".ok FROM "
        "\"Order Lines\"");
}

TEST_CASE("SQLite CREATE TABLE", "[compiler][sqlite]") {
  SqliteFixture f;
  CHECK(f.sqlite.compile_ddl(retort::CreateTable(f.users)).sql ==
        "CREATE TABLE users (\n"
        "\tid INTEGER NOT NULL,\n"
        "\tname VARCHAR(50) NOT NULL,\n"
        "\tactive BOOLEAN,\n"
        "\tage INTEGER,\n"
        "\tPRIMARY KEY (id)\n"
        ")");
  CHECK(f.sqlite.compile_ddl(retort::CreateTable(f.orders, true)).sql ==
        "CREATE TABLE IF NOT EXISTS orders (\n"
        "\tid INTEGER NOT NULL,\n"
        "\tuser_id INTEGER,\n"
        "\tamount NUMERIC(10, 2),\n"
        "\tPRIMARY KEY (id),\n"
        "\tFOREIGN KEY (user_id) REFERENCES users (id)\n"
        ")");

  retort::MetaData md;
  auto& big = md.table("big", retort::Column("id", retort::BigInteger{}).primary_key());
  // Only a column declared exactly INTEGER becomes the rowid alias that numbers new rows.
  CHECK(f.sqlite.compile_ddl(retort::CreateTable(big)).sql ==
        "CREATE TABLE big (\n\tid INTEGER NOT NULL,\n\tPRIMARY KEY (id)\n)");
  auto& strict = md.table("strict", retort::Column("id", retort::Integer{}).primary_key(),
                          retort::TableOptions{.dialect_options = {{"sqlite_autoincrement", "true"}}});
  CHECK(f.sqlite.compile_ddl(retort::CreateTable(strict)).sql ==
        "CREATE TABLE strict (\n\tid INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT\n)");
  auto& manual = md.table("manual", retort::Column("id", retort::BigInteger{}).primary_key().autoincrement(false));
  CHECK(f.sqlite.compile_ddl(retort::CreateTable(manual)).sql ==
        "CREATE TABLE manual (\n\tid BIGINT NOT NULL,\n\tPRIMARY KEY (id)\n)");

  auto& types = md.table("types", retort::Column("e", retort::Enum{{"draft", "published"}, "status"}),
                         retort::Column("ts", retort::DateTime{}), retort::Column("t", retort::Time{}),
                         retort::Column("u", retort::UUID{}), retort::Column("d", retort::Double{}),
                         retort::Column("b", retort::LargeBinary{}), retort::Column("j", retort::JSON{}),
                         retort::Column("f", retort::Float{}), retort::Column("s", retort::String{}),
                         retort::Column("x", retort::Text{}).server_default("it's"),
                         retort::Column("n", retort::Integer{}).server_default(7).not_null(),
                         retort::Column("c", retort::DateTime{}).server_default(retort::func::now()),
                         retort::CheckConstraint{"n > 0", "ck_n"}, retort::UniqueConstraint{{"s", "x"}, "uq_sx"});
  CHECK(f.sqlite.compile_ddl(retort::CreateTable(types)).sql ==
        "CREATE TABLE types (\n"
        "\te VARCHAR(9),\n"
        "\tts DATETIME,\n"
        "\tt TIME,\n"
        "\tu CHAR(36),\n"
        "\td DOUBLE,\n"
        "\tb BLOB,\n"
        "\tj JSON,\n"
        "\tf FLOAT,\n"
        "\ts VARCHAR,\n"
        "\tx TEXT DEFAULT 'it''s',\n"
        "\tn INTEGER DEFAULT 7 NOT NULL,\n"
        "\tc DATETIME DEFAULT CURRENT_TIMESTAMP,\n"
        "\tCONSTRAINT uq_sx UNIQUE (s, x),\n"
        "\tCONSTRAINT ck_n CHECK (n > 0),\n"
        "\tCHECK (e IN ('draft', 'published'))\n"
        ")");

  // SQLite takes an expression default only in parentheses; literals and now() stay bare.
  auto& defaults =
      md.table("defaults", retort::Column("l", retort::String{}).server_default(func::lower(retort::literal("X"))),
               retort::Column("n", retort::Integer{}).server_default(-1),
               retort::Column("t", retort::DateTime{}).server_default(retort::text("(datetime('now'))")));
  CHECK(f.sqlite.compile_ddl(retort::CreateTable(defaults)).sql ==
        "CREATE TABLE defaults (\n"
        "\tl VARCHAR DEFAULT (lower('X')),\n"
        "\tn INTEGER DEFAULT -1,\n"
        "\tt DATETIME DEFAULT (datetime('now'))\n"
        ")");

  auto& foreign = md.table("pg_only", retort::Column("ip", retort::NamedType{"INET", "postgresql"}));
  CHECK_THROWS_AS(f.sqlite.compile_ddl(retort::CreateTable(foreign)).sql, retort::CompileError);
}

TEST_CASE("SQLite CREATE INDEX, DROP TABLE, DROP INDEX", "[compiler][sqlite]") {
  SqliteFixture f;
  CHECK(f.sqlite
            .compile_ddl(retort::CreateIndex(f.users, retort::Index("ix_users_name", std::vector<std::string>{"name"})))
            .sql == "CREATE INDEX ix_users_name ON users (name)");
  CHECK(f.sqlite
            .compile_ddl(retort::CreateIndex(
                f.users, retort::Index("ux_users_name_age", std::vector<std::string>{"name", "age"}, true), true))
            .sql == "CREATE UNIQUE INDEX IF NOT EXISTS ux_users_name_age ON users (name, age)");
  retort::Index expr("ix_lower_name",
                     std::vector<retort::IndexElement>{{"", func::lower(f.users.c("name"))}, {"age", {}}});
  expr.where(f.users.c("active") == true);
  CHECK(f.sqlite.compile_ddl(retort::CreateIndex(f.users, expr)).sql ==
        "CREATE INDEX ix_lower_name ON users ((lower(name)), age) WHERE active = 1");
  CHECK(f.sqlite.compile_ddl(retort::DropTable(f.users)).sql == "DROP TABLE users");
  CHECK(f.sqlite.compile_ddl(retort::DropTable(f.users, true)).sql == "DROP TABLE IF EXISTS users");
  CHECK(f.sqlite.compile_ddl(retort::DropTable("order", std::string("aux"), true)).sql ==
        "DROP TABLE IF EXISTS aux.\"order\"");
  CHECK(f.sqlite.compile_ddl(retort::DropIndex("ix_users_name", "users")).sql == "DROP INDEX ix_users_name");
  CHECK(f.sqlite.compile_ddl(retort::DropIndex("ix", "users", std::string("aux"), true)).sql ==
        "DROP INDEX IF EXISTS aux.ix");
  // SQLite has no ALTER TABLE ADD/DROP CONSTRAINT.
  CHECK_THROWS_AS(f.sqlite.compile_ddl(retort::AddConstraint(f.users, retort::CheckConstraint{"age > 0", "ck"})).sql,
                  retort::UnsupportedCompilationError);
  CHECK_THROWS_AS(f.sqlite.compile_ddl(retort::DropConstraint("ck", "users")).sql, retort::UnsupportedCompilationError);
  // The statement compiler hands DDL to the DDL compiler.
  CHECK(f.sqlite.compile(retort::DropTable(f.users)).sql == "DROP TABLE users");
  CHECK(f.sqlite.compile(retort::DropTable(f.users)).kind == retort::StatementKind::DDL);
}

TEST_CASE("SQLite: foreign keys in a cycle stay inline (no ALTER)", "[compiler][sqlite]") {
  SqliteFixture f;
  retort::MetaData md;
  auto& a = md.table("a", retort::Column("id", retort::Integer{}).primary_key(),
                     retort::Column("b_id", retort::Integer{}).references("b.id"));
  auto& b = md.table("b", retort::Column("id", retort::Integer{}).primary_key(),
                     retort::Column("a_id", retort::Integer{}).references("a.id"));
  md.sorted_tables();
  CHECK(a.foreign_keys()[0].use_alter != b.foreign_keys()[0].use_alter);
  CHECK_THAT(f.sqlite.compile_ddl(retort::CreateTable(a)).sql, Catch::Contains("FOREIGN KEY (b_id) REFERENCES b (id)"));
  CHECK_THAT(f.sqlite.compile_ddl(retort::CreateTable(b)).sql, Catch::Contains("FOREIGN KEY (a_id) REFERENCES a (id)"));
}

TEST_CASE("SQLite runs the compiled statements", "[compiler][sqlite]") {
  SqliteFixture f;
  retort::MetaData md;
  auto& people =
      md.table("people", retort::Column("id", retort::Integer{}).primary_key(),
               retort::Column("name", retort::String{50}).not_null(), retort::Column("active", retort::Boolean{}),
               retort::Column("boss_id", retort::Integer{}).references("people.id"),
               retort::Column("kind", retort::Enum{{"staff", "boss"}}),
               retort::Column("score", retort::Double{}).server_default(retort::func::call("abs", -1.5)));
  auto engine = retort::create_engine("sqlite://");
  md.create_all(engine);
  auto conn = engine.connect();
  auto id = conn.execute(retort::insert(people)
                             .values({{"name", "Ann"}, {"active", true}, {"kind", "boss"}})
                             .returning({people.c("id")}))
                .scalar_one<int>();
  conn.execute(retort::insert(people).values(
      std::vector<retort::Params>{{{"name", "bob"}, {"active", false}, {"boss_id", id}, {"kind", "staff"}},
                                  {{"name", "CAROL"}, {"active", true}, {"boss_id", id}, {"kind", "staff"}}}));
  CHECK_THROWS_AS(conn.execute(retort::insert(people).values({{"name", "x"}, {"kind", "intern"}})),
                  retort::IntegrityError);

  auto names = [&](const retort::Select& s) { return conn.execute(s).scalars<std::string>(); };
  auto name = people.c("name");
  CHECK(names(retort::select(name).where(name.ilike(retort::literal("c%")))) == std::vector<std::string>{"CAROL"});
  CHECK(names(retort::select(name).where(name.not_ilike(retort::literal("%O%"))).order_by({name})) ==
        std::vector<std::string>{"Ann"});
  CHECK(names(retort::select(name).order_by({people.c("id")}).offset(1)) == std::vector<std::string>{"bob", "CAROL"});
  CHECK(names(retort::select(name).where(people.c("active") == true).order_by({name.desc()})) ==
        std::vector<std::string>{"CAROL", "Ann"});
  CHECK(names(retort::select(name).where(!(people.c("active") == true))) == std::vector<std::string>{"bob"});
  CHECK(names(retort::select(name).where(people.c("id").in_(std::vector<retort::Value>{}))).empty());
  CHECK(names(retort::select(name).where(people.c("boss_id") == std::nullopt)) == std::vector<std::string>{"Ann"});
  CHECK(conn.execute(retort::select(people.c("score")).where(people.c("id") == id)).scalar_one<double>() == 1.5);
  CHECK(conn.execute(retort::select(retort::literal(1.0) / 2)).scalar_one<double>() == 0.5);

  auto boss = people.alias("boss");
  CHECK(names(retort::select(people.c("name"))
                  .select_from(people.join(boss, people.c("boss_id") == boss.c("id")))
                  .where(boss.c("name") == "Ann")
                  .order_by({people.c("id")})) == std::vector<std::string>{"bob", "CAROL"});

  auto base = retort::select(retort::literal(1).label("n")).cte("counter", true);
  auto counter = base.union_all(retort::select((base.c("n") + 1).label("n")).where(base.c("n") < 5));
  CHECK(conn.execute(retort::select(func::sum(counter.c("n")))).scalar_one<int>() == 15);

  auto deleted = conn.execute(retort::delete_(people)
                                  .where(people.c("boss_id").is_not_null())
                                  .where(people.c("name") == "bob")
                                  .returning({people.c("name")}))
                     .scalars<std::string>();
  CHECK(deleted == std::vector<std::string>{"bob"});
}
