// MySQL/MariaDB reflection in detail, against a live server (RETORT_TEST_MYSQL_URL), each test in
// its own database: COLUMN_TYPE read back as generic types, the shared rich schema
// (support/rich_schema.hpp; its round trip on every backend is tests/core/test_reflection_backends.cpp)
// read back with MySQL's types, options and keys, the Inspector, MetaData::reflect rebuilding the
// schema elsewhere, and `retort inspect --format json` on the Chinook sample schema loaded with the
// mysql client.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <sys/wait.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <retort/core/reflection/inspector.hpp>
#include <retort/core/reflection/normalize.hpp>
#include <retort/dialects/mysql/mysql_dialect.hpp>
#include <retort/retort.hpp>

#include "dialects/mysql/mysql_database.hpp"
#include "support/reflection_helpers.hpp"
#include "support/rich_schema.hpp"

namespace {

using Names = std::vector<std::string>;
using retort::Column;
using retort::testing::MySQLDatabase;
namespace mysql = retort::dialects::mysql;

/// The rich schema shared by every backend (support/rich_schema.hpp).
struct RichSchema {
  retort::MetaData metadata;
  RichSchema() { retort::testing::declare_rich_schema(metadata, retort::testing::Backend::mysql); }
};

retort::ReflectedSchema reflect(const retort::Engine& engine, const std::optional<std::string>& schema = std::nullopt) {
  auto conn = engine.connect();
  return engine.dialect().reflect_schema(conn.driver_connection(), schema, {});
}

using retort::testing::column;
using retort::testing::run;
using retort::testing::shell_quote;
using retort::testing::table;

}  // namespace

TEST_CASE("MySQL column types read back as generic types where they round-trip", "[mysql][reflection]") {
  using retort::SqlType;
  CHECK(mysql::mysql_type_from_column_type("int(11)") == SqlType(retort::Integer{}));
  CHECK(mysql::mysql_type_from_column_type("int") == SqlType(retort::Integer{}));
  CHECK(mysql::mysql_type_from_column_type("smallint(6)") == SqlType(retort::SmallInteger{}));
  CHECK(mysql::mysql_type_from_column_type("bigint(20)") == SqlType(retort::BigInteger{}));
  CHECK(mysql::mysql_type_from_column_type("tinyint(1)") == SqlType(retort::Boolean{}));
  CHECK(mysql::mysql_type_from_column_type("tinyint(4)") == SqlType(retort::NamedType{"tinyint(4)", "mysql"}));
  CHECK(mysql::mysql_type_from_column_type("int(10) unsigned") ==
        SqlType(retort::NamedType{"int(10) unsigned", "mysql"}));
  CHECK(mysql::mysql_type_from_column_type("decimal(10,2)") == SqlType(retort::Numeric{10, 2}));
  CHECK(mysql::mysql_type_from_column_type("float") == SqlType(retort::Float{}));
  CHECK(mysql::mysql_type_from_column_type("double") == SqlType(retort::Double{}));
  CHECK(mysql::mysql_type_from_column_type("varchar(50)") == SqlType(retort::String{50}));
  CHECK(mysql::mysql_type_from_column_type("char(36)") == SqlType(retort::String{36}));
  CHECK(mysql::mysql_type_from_column_type("text") == SqlType(retort::Text{}));
  CHECK(mysql::mysql_type_from_column_type("blob") == SqlType(retort::LargeBinary{}));
  CHECK(mysql::mysql_type_from_column_type("date") == SqlType(retort::Date{}));
  CHECK(mysql::mysql_type_from_column_type("time") == SqlType(retort::Time{}));
  CHECK(mysql::mysql_type_from_column_type("datetime") == SqlType(retort::DateTime{}));
  CHECK(mysql::mysql_type_from_column_type("timestamp") == SqlType(retort::DateTime{true}));
  SqlType precise = retort::DateTime{};
  precise.precision = 6;
  CHECK(mysql::mysql_type_from_column_type("datetime(6)") == precise);
  CHECK(mysql::mysql_type_from_column_type("json") == SqlType(retort::JSON{}));
  CHECK(mysql::mysql_type_from_column_type("enum('a','b''c','d,e')") == SqlType(retort::Enum{{"a", "b'c", "d,e"}}));
  CHECK(mysql::mysql_type_from_column_type("mediumblob") == SqlType(retort::NamedType{"mediumblob", "mysql"}));
  CHECK(mysql::mysql_type_from_column_type("longtext") == SqlType(retort::NamedType{"longtext", "mysql"}));
}

TEST_CASE("MySQL reads the rich schema back with its own types, options and keys", "[mysql][reflection]") {
  auto db = MySQLDatabase::open();
  if (!db) return;
  RichSchema schema;
  auto engine = retort::create_engine(db->url());
  schema.metadata.create_all(engine);

  auto reflected = reflect(engine);
  CHECK(reflected.schema == db->name());

  // Spot checks of what the rules let through.
  const auto& parent = table(reflected, "parent co");
  CHECK_FALSE(parent.schema);
  CHECK(column(parent, "id").autoincrement);
  CHECK(column(parent, "id").type == retort::SqlType(retort::BigInteger{}));
  CHECK(column(parent, "flag").type == retort::SqlType(retort::Boolean{}));
  CHECK(column(parent, "doc").type == retort::SqlType(retort::JSON{}));  // LONGTEXT + json_valid CHECK
  CHECK(column(parent, "uid").type == retort::SqlType(retort::String{36}));
  CHECK(column(parent, "mood").type == retort::SqlType(retort::Enum{{"happy", "sad", "it's"}}));
  CHECK(column(parent, "updated").type == retort::SqlType(retort::DateTime{true}));
  CHECK(column(parent, "status").default_sql == "'dr''aft'");
  CHECK_FALSE(column(parent, "ratio").default_sql);  // MariaDB's bare NULL is no default
  CHECK(column(parent, "updated").dialect_options.at("mysql_on_update") == "current_timestamp()");
  CHECK(column(parent, "note").comment == "a 'note', with quotes");
  CHECK(column(parent, "twice").computed == retort::Computed{"`order` * 2", true});
  CHECK(column(parent, "plus").computed == retort::Computed{"`order` + 1", false});
  CHECK(parent.comment == "the parent's table");
  CHECK(parent.dialect_options.at("mysql_engine") == "InnoDB");
  CHECK(parent.dialect_options.at("mysql_charset") == "utf8mb4");
  CHECK(parent.dialect_options.at("mysql_collate") == "utf8mb4_unicode_ci");
  REQUIRE(parent.check_constraints.size() == 1);  // json_valid(`doc`) is left out
  CHECK(parent.check_constraints[0].name == "ck_amount_positive");
  const auto& naive = table(reflected, "naïve_tëst");
  REQUIRE(naive.foreign_keys.size() == 2);
  CHECK(naive.foreign_keys[0].name == "fk mixed");
  CHECK(naive.foreign_keys[0].columns == Names{"ref_b", "ref_a"});
  CHECK(naive.foreign_keys[0].referred_columns == Names{"b", "A"});
  CHECK(naive.foreign_keys[0].ondelete == "CASCADE");
  CHECK(naive.foreign_keys[0].onupdate == "SET NULL");
  CHECK_FALSE(naive.foreign_keys[0].referred_schema);
  CHECK(naive.foreign_keys[1].name == "fk_self");
  CHECK(naive.foreign_keys[1].onupdate.empty());  // RESTRICT, InnoDB's default, reads as none
  REQUIRE(naive.indexes.size() == 1);             // fk_self's own index is left out; the unique index is a UNIQUE KEY
  CHECK(naive.indexes[0].name == "ix_ref_a");
  CHECK(naive.indexes[0].columns == Names{"ref_a", "back`tick"});
  CHECK(column(naive, "path").default_sql == R"('C:\\dir ''x''')");
  CHECK(column(naive, "json `doc`").type == retort::SqlType(retort::JSON{}));
  CHECK(naive.check_constraints.size() == 1);
  CHECK(table(reflected, "order").indexes.size() == 1);  // the unnamed key's index (parent_id) is left out
  CHECK(table(reflected, "MixedCase").primary_key.columns == Names{"b", "A"});
  CHECK(table(reflected, "MixedCase").primary_key.name.empty());  // MySQL calls it PRIMARY
}

TEST_CASE("the Inspector reads MySQL databases, views and rejects unknown schemas", "[mysql][reflection]") {
  auto db = MySQLDatabase::open();
  if (!db) return;
  RichSchema schema;
  auto engine = retort::create_engine(db->url());
  schema.metadata.create_all(engine);
  auto conn = engine.connect();
  conn.exec_driver_sql("CREATE VIEW `big names` AS SELECT id, upper(`Name`) AS name FROM `parent co` WHERE id > 1");
  retort::Inspector inspector(conn);

  auto schemas = inspector.get_schema_names();
  CHECK(std::find(schemas.begin(), schemas.end(), db->name()) != schemas.end());
  CHECK(inspector.default_schema_name() == db->name());
  CHECK(inspector.get_table_names() == Names{"MixedCase", "naïve_tëst", "order", "parent co"});
  CHECK(inspector.get_view_names() == Names{"big names"});
  // MariaDB keeps its own rewrite of the query: qualified, backticked names, upper() as ucase();
  // the database's name is left out of the qualifiers (the same definition in any database).
  auto definition = inspector.get_view_definition("big names");
  CHECK(definition.find("ucase(`parent co`.`Name`) AS `name`") != std::string::npos);
  CHECK(definition.find("`" + db->name() + "`.") == std::string::npos);
  CHECK(inspector.has_table("order"));
  CHECK_FALSE(inspector.has_table("big names"));
  CHECK(inspector.get_pk_constraint("MixedCase").columns == Names{"b", "A"});
  auto uniques = inspector.get_unique_constraints("parent co");
  REQUIRE(uniques.size() == 2);
  CHECK(uniques[0].name == "Name");  // MySQL names an unnamed UNIQUE after its first column
  CHECK(uniques[0].columns == Names{"Name"});
  CHECK(uniques[1].name == "uq order small");
  CHECK(uniques[1].columns == Names{"order", "small"});
  auto naive_uniques = inspector.get_unique_constraints("naïve_tëst");
  REQUIRE(naive_uniques.size() == 1);  // the declared unique index: a UNIQUE KEY
  CHECK(naive_uniques[0].name == "ix unique ref");
  CHECK(inspector.get_check_constraints("naïve_tëst").at(0).sqltext == "`it's` > 0");
  CHECK(inspector.get_columns("naïve_tëst").size() == 9);
  CHECK(inspector.get_columns("naïve_tëst").at(5).default_sql == "5");
  CHECK(inspector.get_table_comment("parent co") == "the parent's table");
  CHECK_FALSE(inspector.get_table_comment("order"));
  CHECK(inspector.get_foreign_keys("order").at(0).referred_table == "parent co");
  CHECK(inspector.get_sequence_names().empty());
  CHECK(inspector.get_enums().empty());
  std::size_t queries = inspector.reflect().queries;
  CHECK(queries <= 7);
  CHECK(&inspector.reflect() == &inspector.reflect());

  // An explicit schema qualifies its tables and the keys' referred schema.
  const auto& explicit_pass = inspector.reflect(db->name());
  CHECK(explicit_pass.schema == db->name());
  CHECK(table(explicit_pass, "order").schema == db->name());
  CHECK(table(explicit_pass, "order").foreign_keys.at(0).referred_schema == db->name());

  CHECK_THROWS_AS(inspector.get_table_names("no_such_database_here"), retort::ArgumentError);
  CHECK_THROWS_WITH(inspector.get_table_names("no_such_database_here"), Catch::Contains("no_such_database_here"));
  CHECK_THROWS_AS(inspector.get_columns("missing"), retort::NoSuchTableError);
}

TEST_CASE("MetaData::reflect rebuilds a MySQL schema elsewhere", "[mysql][reflection]") {
  auto db = MySQLDatabase::open();
  if (!db) return;
  RichSchema schema;
  auto engine = retort::create_engine(db->url());
  schema.metadata.create_all(engine);

  retort::MetaData reflected;
  reflected.reflect(engine);
  CHECK(reflected.tables().size() == 4);
  auto again = reflect(engine);
  auto differences = retort::schema_differences(reflected, again, engine.dialect());
  INFO(fmt::format("{}", fmt::join(differences, "\n")));
  CHECK(differences.empty());

  auto copy = MySQLDatabase::open();
  auto copy_engine = retort::create_engine(copy->url());
  reflected.create_all(copy_engine);
  auto copy_differences = retort::schema_differences(schema.metadata, reflect(copy_engine), engine.dialect());
  INFO(fmt::format("{}", fmt::join(copy_differences, "\n")));
  CHECK(copy_differences.empty());
}

// ../shared/schemas/chinook/mysql.sql, beside the source tree (never copied into it), loaded with
// the mysql command-line client.
TEST_CASE("retort inspect reports every object of the Chinook schema on MySQL", "[mysql][reflection][cli]") {
  std::filesystem::path source_root =
      std::filesystem::path(__FILE__).parent_path().parent_path().parent_path().parent_path();
  std::filesystem::path file = source_root / ".." / "shared" / "schemas" / "chinook" / "mysql.sql";
  if (const char* env = std::getenv("RETORT_SHARED_SCHEMAS"))
    file = std::filesystem::path(env) / "chinook" / "mysql.sql";
  if (!std::filesystem::exists(file)) {
    WARN("skipped: the Chinook schema is not at " << file.string() << " (a machine outside the workplace)");
    return;
  }
  auto db = MySQLDatabase::open();
  if (!db) return;
  std::ifstream in(file);
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string ddl = buffer.str();

  auto url = retort::URL::parse(db->url());
  std::string client;
  for (const char* candidate : {"mariadb", "mysql"})
    if (run(std::string("command -v ") + candidate + " >/dev/null 2>&1").second == 0) {
      client = candidate;
      break;
    }
  REQUIRE_FALSE(client.empty());
  auto [load_output, load_status] =
      run(fmt::format("MYSQL_PWD={} {} --no-defaults --protocol=tcp -h {} -P {} -u {} --default-character-set=utf8mb4 "
                      "{} < {} 2>&1",
                      shell_quote(url.password().value_or("")), client, shell_quote(url.host().value_or("127.0.0.1")),
                      url.port().value_or(3306), shell_quote(url.username().value_or("root")), shell_quote(db->name()),
                      shell_quote(file.string())));
  INFO(load_output);
  REQUIRE(load_status == 0);

  // Not a structured binding: the lambda below captures it, which clang before 16 refuses.
  auto inspected = run(std::string(RETORT_CLI_PATH) + " inspect --format json --url " + shell_quote(db->url()));
  const std::string& json = inspected.first;
  REQUIRE(inspected.second == 0);
  CHECK(json.rfind("{\"dialect\": \"mysql\", \"tables\": [", 0) == 0);

  // Expectations from the DDL text: each CREATE TABLE's columns and PRIMARY KEY, each ALTER
  // TABLE ... FOREIGN KEY, each CREATE INDEX. Spellings as MySQL stores them: INT is INTEGER,
  // NVARCHAR(n) is VARCHAR(n), NUMERIC(10,2) is DECIMAL(10, 2).
  auto entry_of = [&](const std::string& name) {
    auto start = json.find("\"name\": \"" + name + "\", \"comment\"");
    REQUIRE(start != std::string::npos);
    auto stop = json.find("{\"schema\": ", start);
    return json.substr(start, stop == std::string::npos ? std::string::npos : stop - start);
  };
  std::size_t tables = 0, columns = 0, keys = 0, indexes = 0;
  std::regex create_table(R"(CREATE TABLE `(\w+)`\s*\(([\s\S]*?)\n\);)");
  std::sregex_iterator end;
  for (std::sregex_iterator it(ddl.begin(), ddl.end(), create_table); it != end; ++it) {
    std::string name = (*it)[1], body = (*it)[2];
    ++tables;
    std::string entry = entry_of(name);
    INFO("table " << name << ": " << entry);
    std::regex column_line(R"(\n\s*`(\w+)` (\w+)(\([\d,]+\))? *(NOT NULL)?)");
    for (std::sregex_iterator c(body.begin(), body.end(), column_line); c != end; ++c) {
      ++columns;
      std::string type = (*c)[2], args = std::regex_replace((*c)[3].str(), std::regex(","), ", ");
      if (type == "INT")
        type = "INTEGER";
      else if (type == "NVARCHAR")
        type = "VARCHAR";
      else if (type == "NUMERIC")
        type = "DECIMAL";
      bool not_null = (*c)[4].matched;
      CHECK(entry.find(fmt::format("{{\"name\": \"{}\", \"type\": \"{}{}\", \"nullable\": {}", (*c)[1].str(), type,
                                   args, not_null ? "false" : "true")) != std::string::npos);
    }
    std::smatch pk;
    REQUIRE(std::regex_search(body, pk, std::regex(R"(PRIMARY KEY\s*\(([^)]*)\))")));
    std::vector<std::string> pk_columns;
    std::string pk_list = pk[1];
    std::regex backticked(R"(`(\w+)`)");
    for (std::sregex_iterator p(pk_list.begin(), pk_list.end(), backticked); p != end; ++p)
      pk_columns.push_back("\"" + (*p)[1].str() + "\"");
    // MySQL keeps no primary-key name (every one is PRIMARY): reported unnamed.
    CHECK(entry.find(fmt::format("\"primary_key\": {{\"name\": null, \"columns\": [{}]}}",
                                 fmt::join(pk_columns, ", "))) != std::string::npos);
  }
  std::regex foreign_key(
      R"(ALTER TABLE `(\w+)` ADD CONSTRAINT `(\w+)`\s*FOREIGN KEY \(`(\w+)`\) REFERENCES `(\w+)` \(`(\w+)`\))");
  for (std::sregex_iterator f(ddl.begin(), ddl.end(), foreign_key); f != end; ++f) {
    ++keys;
    std::string entry = entry_of((*f)[1]);
    INFO("foreign key " << (*f)[2].str() << ": " << entry);
    CHECK(entry.find(fmt::format("{{\"name\": \"{}\", \"columns\": [\"{}\"], \"referred_schema\": null, "
                                 "\"referred_table\": \"{}\", \"referred_columns\": [\"{}\"], \"ondelete\": null, "
                                 "\"onupdate\": null}}",
                                 (*f)[2].str(), (*f)[3].str(), (*f)[4].str(), (*f)[5].str())) != std::string::npos);
    // The index InnoDB made for the key (named after it) is not reported as an index.
    CHECK(entry.find(fmt::format("\"indexes\": [{{\"name\": \"{}\"", (*f)[2].str())) == std::string::npos);
  }
  std::regex create_index(R"(CREATE (UNIQUE )?INDEX `(\w+)` ON `(\w+)` \(`(\w+)`\))");
  for (std::sregex_iterator it(ddl.begin(), ddl.end(), create_index); it != end; ++it) {
    ++indexes;
    std::string entry = entry_of((*it)[3]);
    INFO("index " << (*it)[2].str() << ": " << entry);
    CHECK(entry.find(fmt::format("{{\"name\": \"{}\", \"columns\": [\"{}\"], \"unique\": {}", (*it)[2].str(),
                                 (*it)[4].str(), (*it)[1].matched ? "true" : "false")) != std::string::npos);
  }
  // The sample holds 11 tables, 64 columns, 11 foreign keys and 11 indexes.
  CHECK(tables == 11);
  CHECK(columns == 64);
  CHECK(keys == 11);
  CHECK(indexes == 11);
}

TEST_CASE("the normalisation rules MySQL reflection needs", "[mysql][reflection]") {
  // Rule 4: MySQL shows a DECIMAL default at the column's scale, MariaDB current_timestamp().
  CHECK(retort::normalize_default("0.00") == retort::normalize_default("0"));
  CHECK(retort::normalize_default("1.50") == "1.5");
  CHECK(retort::normalize_default("'2.0'") == "2");
  CHECK(retort::normalize_default("10") == "10");
  CHECK(retort::normalize_default("100.00") == "100");
  CHECK(retort::normalize_default("1.2.0") == "1.2.0");
  CHECK(retort::normalize_default("current_timestamp()") == "CURRENT_TIMESTAMP");
  CHECK(retort::normalize_default("CURRENT_TIMESTAMP") == "CURRENT_TIMESTAMP");
  CHECK(retort::normalize_default("now()") == "CURRENT_TIMESTAMP");
  CHECK(retort::normalize_default("curdate()") == "curdate()");
  CHECK(retort::normalize_default("'current_timestamp()'") == "current_timestamp()");  // a string stays a string
}

TEST_CASE("retort inspect on MySQL fails in one line for an unknown schema", "[mysql][reflection][cli]") {
  auto db = MySQLDatabase::open();
  if (!db) return;
  std::string cli = std::string(RETORT_CLI_PATH) + " inspect --url " + shell_quote(db->url());
  auto [out, status] = run(cli + " --schema no_such_database_here 2>&1");
  CHECK(status == 1);
  CHECK(out.find("unknown schema 'no_such_database_here'") != std::string::npos);
  CHECK(std::count(out.begin(), out.end(), '\n') == 1);
  auto [text, text_status] = run(cli);
  CHECK(text_status == 0);
  CHECK(text.find("mysql schema " + db->name() + ": 0 table(s), 0 view(s)") != std::string::npos);
}
