// The MySQL dialect's SQL and DDL text, checked without a server.
#include <catch2/catch.hpp>

#include <retort/core/sql/type_compiler.hpp>
#include <retort/retort.hpp>

#include "support/compile.hpp"

namespace {

std::unique_ptr<retort::Dialect> mysql_dialect() { return retort::DialectRegistry::instance().create("mysql"); }
const retort::testing::Compiler mysql{"mysql"};
using retort::testing::literal;

retort::TableOptions table_options(std::optional<std::string> comment,
                                   std::map<std::string, std::string> dialect_options) {
  retort::TableOptions options;
  options.comment = std::move(comment);
  options.dialect_options = std::move(dialect_options);
  return options;
}

}  // namespace

TEST_CASE("mysql dialect is registered under its names with MySQL's flags", "[mysql]") {
  for (const char* name : {"mysql", "mariadb", "mysql+mariadb", "mariadb+mariadb", "mysql+mysqlclient"}) {
    auto d = retort::DialectRegistry::instance().create(name);
    CHECK(d->name() == "mysql");
  }
  auto dialect = mysql_dialect();
  const auto& f = dialect->features();
  CHECK(f.paramstyle == retort::ParamStyle::Qmark);
  CHECK_FALSE(f.transactional_ddl);
  CHECK_FALSE(f.supports_returning);
  CHECK_FALSE(f.supports_native_boolean);
  CHECK_FALSE(f.supports_sequences);
  CHECK_FALSE(f.supports_partial_indexes);
  CHECK_FALSE(f.supports_expression_indexes);
  CHECK(f.supports_alter);
  CHECK(f.supports_savepoints);
  CHECK(f.max_bind_parameters == 65535);
}

TEST_CASE("mysql URL options: known keys parse, unknown keys are refused without the password", "[mysql]") {
  auto d = mysql_dialect();
  // options_from_url is reached through connect(); an unknown key fails before any network use.
  auto bad = retort::URL::parse("mysql://u:s3cret-pw@127.0.0.1:1/app?bogus=1");
  try {
    d->connect(bad);
    FAIL("an unknown URL option was accepted");
  } catch (const retort::ArgumentError& e) {
    std::string what = e.what();
    CHECK(what.find("bogus") != std::string::npos);
    CHECK(what.find("s3cret-pw") == std::string::npos);
  }
  auto bad_number = retort::URL::parse("mysql://u:s3cret-pw@127.0.0.1:1/app?connect_timeout=soon");
  CHECK_THROWS_AS(d->connect(bad_number), retort::ArgumentError);
}

TEST_CASE("mysql quotes identifiers with backticks where needed", "[mysql]") {
  auto d = mysql_dialect();
  const auto& p = d->preparer();
  CHECK(p.quote("users") == "users");
  CHECK(p.quote("order") == "`order`");
  CHECK(p.quote("key") == "`key`");
  CHECK(p.quote("interval") == "`interval`");
  CHECK(p.quote("has space") == "`has space`");
  CHECK(p.quote("back`tick") == "`back``tick`");
  CHECK(p.format_table("t", std::string("other_db")) == "other_db.t");
}

TEST_CASE("mysql statement spellings", "[mysql]") {
  retort::MetaData metadata;
  auto& t = metadata.table("t", retort::Column("id", retort::Integer{}).primary_key(),
                           retort::Column("name", retort::String{50}), retort::Column("order", retort::Integer{}));
  SECTION("an upsert is ON DUPLICATE KEY UPDATE, excluded() is VALUES()") {
    auto row = retort::insert(t).values({{"id", 1}, {"order", 2}});
    CHECK(mysql.sql(row.on_duplicate_key_update({{"order", t.c("order") + retort::excluded("order")}})) ==
          "INSERT INTO t (id, `order`) VALUES (?, ?) ON DUPLICATE KEY UPDATE `order` = t.`order` + VALUES(`order`)");
    CHECK_THROWS_AS(mysql.sql(row.on_conflict_do_nothing()), retort::UnsupportedCompilationError);
  }
  SECTION("concat is CONCAT()") {
    CHECK(mysql.sql(retort::select(t.c("name").concat(retort::literal("!")))) == "SELECT CONCAT(t.name, ?) FROM t");
  }
  SECTION("ILIKE lower-cases both sides") {
    CHECK(mysql.sql(retort::select(t.c("id")).where(t.c("name").ilike(retort::literal("a%")))) ==
          "SELECT t.id FROM t WHERE lower(t.name) LIKE lower(?)");
  }
  SECTION("OFFSET alone gets MySQL's largest LIMIT") {
    CHECK(mysql.sql(retort::select(t.c("id")).offset(5), literal) ==
          "SELECT t.id FROM t LIMIT 18446744073709551615 OFFSET 5");
    CHECK(mysql.sql(retort::select(t.c("id")).limit(2).offset(5), literal) == "SELECT t.id FROM t LIMIT 2 OFFSET 5");
  }
  SECTION("NULLS FIRST / LAST sort by IS NULL first where MySQL's order differs") {
    CHECK(mysql.sql(retort::select(t.c("id")).order_by({t.c("name").nulls_last()})) ==
          "SELECT t.id FROM t ORDER BY t.name IS NULL ASC, t.name ASC");
    CHECK(mysql.sql(retort::select(t.c("id")).order_by({t.c("name").desc().nulls_first()})) ==
          "SELECT t.id FROM t ORDER BY t.name IS NULL DESC, t.name DESC");
    // Already MySQL's order: nothing added.
    CHECK(mysql.sql(retort::select(t.c("id")).order_by({t.c("name").nulls_first()})) ==
          "SELECT t.id FROM t ORDER BY t.name ASC");
  }
  SECTION("FULL OUTER JOIN is refused") {
    auto& u = metadata.table("u", retort::Column("id", retort::Integer{}).primary_key());
    CHECK_THROWS_AS(
        mysql.sql(retort::select(t.c("id")).select_from(retort::From(t).full_outerjoin(u, t.c("id") == u.c("id")))),
        retort::UnsupportedCompilationError);
  }
  SECTION("string literals double quotes and backslashes") {
    CHECK(mysql.sql(retort::select(retort::literal("it's a \\ test")), literal) == "SELECT 'it''s a \\\\ test'");
  }
  SECTION("reserved column names are quoted, booleans are literals") {
    CHECK(mysql.sql(retort::select(t.c("order")).where(t.c("id") == 1), literal) ==
          "SELECT t.`order` FROM t WHERE t.id = 1");
  }
  SECTION("an INSERT without values") { CHECK(mysql.sql(retort::insert(t)) == "INSERT INTO t () VALUES ()"); }
  SECTION("RETURNING is refused") {
    CHECK_THROWS_AS(mysql.sql(retort::insert(t).values({{"name", "a"}}).returning({t.c("id")})),
                    retort::UnsupportedCompilationError);
  }
  SECTION("CAST uses MySQL's target names") {
    CHECK(mysql.sql(retort::select(t.c("id").cast(retort::String{10}))) == "SELECT CAST(t.id AS CHAR(10)) FROM t");
    CHECK(mysql.sql(retort::select(t.c("name").cast(retort::Integer{}))) == "SELECT CAST(t.name AS SIGNED) FROM t");
  }
}

TEST_CASE("mysql DDL: AUTO_INCREMENT, options, comments, ON UPDATE", "[mysql]") {
  retort::MetaData metadata;
  auto& t = metadata.table(
      "events", retort::Column("id", retort::BigInteger{}).primary_key(),
      retort::Column("title", retort::String{100}).not_null().comment("what's \\ happening"),
      retort::Column("kind", retort::Enum{{"a", "b'c"}, ""}),
      retort::Column("flag", retort::Boolean{}).server_default(true),
      retort::Column("updated", retort::DateTime{})
          .server_default(retort::func::now())
          .dialect_option("mysql_on_update", "CURRENT_TIMESTAMP"),
      table_options("all events",
                    {{"mysql_engine", "MyISAM"}, {"mysql_collate", "utf8mb4_bin"}, {"mysql_row_format", "DYNAMIC"}}));
  auto c = mysql.compile_ddl(retort::CreateTable(t));
  CHECK(c.sql ==
        "CREATE TABLE events (\n"
        "\tid BIGINT NOT NULL AUTO_INCREMENT,\n"
        "\ttitle VARCHAR(100) NOT NULL COMMENT 'what''s \\\\ happening',\n"
        "\tkind ENUM('a', 'b''c'),\n"
        "\tflag BOOL DEFAULT 1,\n"
        "\tupdated DATETIME DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,\n"
        "\tPRIMARY KEY (id)\n"
        ") ENGINE=MyISAM DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin ROW_FORMAT=DYNAMIC "
        "COMMENT='all events'");

  auto& plain = metadata.table("plain", retort::Column("id", retort::Integer{}).primary_key());
  CHECK(mysql.compile_ddl(retort::CreateTable(plain)).sql ==
        "CREATE TABLE plain (\n\tid INTEGER NOT NULL AUTO_INCREMENT,\n\tPRIMARY KEY (id)\n) "
        "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");

  CHECK(mysql.compile_ddl(retort::DropIndex("ix_a", "events")).sql == "DROP INDEX ix_a ON events");
  using CT = retort::ConstraintType;
  CHECK(mysql.compile_ddl(retort::DropConstraint("fk_a", "events", {}, CT::ForeignKey)).sql ==
        "ALTER TABLE events DROP FOREIGN KEY fk_a");
  CHECK(mysql.compile_ddl(retort::DropConstraint("uq_a", "events", {}, CT::Unique)).sql ==
        "ALTER TABLE events DROP INDEX uq_a");
  CHECK(mysql.compile_ddl(retort::DropConstraint("ck_a", "events", {}, CT::Check)).sql ==
        "ALTER TABLE events DROP CONSTRAINT ck_a");
  CHECK(mysql.compile_ddl(retort::DropConstraint("pk", "events", {}, CT::PrimaryKey)).sql ==
        "ALTER TABLE events DROP PRIMARY KEY");

  auto& bad = metadata.table("bad", retort::Column("s", retort::String{}));
  try {
    mysql.compile_ddl(retort::CreateTable(bad));
    FAIL("VARCHAR without a length compiled");
  } catch (const retort::CompileError& e) {
    CHECK(std::string(e.what()).find("length") != std::string::npos);
  }
  auto& engine_option = metadata.table("eo", retort::Column("id", retort::Integer{}).primary_key(),
                                       table_options(std::nullopt, {{"mysql_engine", "InnoDB; DROP"}}));
  CHECK_THROWS_AS(mysql.compile_ddl(retort::CreateTable(engine_option)), retort::CompileError);
}

TEST_CASE("mysql type names", "[mysql]") {
  auto d = mysql_dialect();
  const auto& tc = d->type_compiler();
  CHECK(tc.process(retort::Text{}) == "TEXT");
  CHECK(tc.process(retort::LargeBinary{}) == "BLOB");
  CHECK(tc.process(retort::DateTime{}) == "DATETIME");
  CHECK(tc.process(retort::DateTime{true}) == "TIMESTAMP");
  CHECK(tc.process(retort::Double{}) == "DOUBLE");
  CHECK(tc.process(retort::Boolean{}) == "BOOL");
  CHECK(tc.process(retort::JSON{}) == "JSON");
  CHECK(tc.process(retort::UUID{}) == "CHAR(36)");
  CHECK(tc.process(retort::Numeric{10, 2}) == "DECIMAL(10, 2)");
  CHECK(tc.process(retort::Enum{{"x", "y"}, ""}) == "ENUM('x', 'y')");
  CHECK_THROWS_AS(tc.process(retort::Interval{}), retort::CompileError);
}
