// SQLite reflection in detail: the shared rich schema (support/rich_schema.hpp; its round trip
// on every backend is tests/core/test_reflection_backends.cpp) reads back with SQLite's own
// spellings, the Inspector answers from one batched pass, MetaData::reflect builds usable tables,
// the CREATE-text parser reads names the pragmas omit, and `retort inspect` reports every object
// of the Chinook sample schema.
#include <catch2/catch.hpp>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <retort/core/reflection/inspector.hpp>
#include <retort/core/reflection/normalize.hpp>
#include <retort/dialects/sqlite/sqlite_ddl_parser.hpp>
#include <retort/dialects/sqlite/sqlite_dialect.hpp>
#include <retort/retort.hpp>

#include "support/reflection_helpers.hpp"
#include "support/rich_schema.hpp"
#include "support/temp_database.hpp"

namespace {

using Names = std::vector<std::string>;
using retort::Column;
namespace sqlite = retort::dialects::sqlite;

/// The rich schema shared by every backend (support/rich_schema.hpp).
struct RichSchema {
  retort::MetaData metadata;
  RichSchema() { retort::testing::declare_rich_schema(metadata, retort::testing::Backend::sqlite); }
};

const retort::Table& mixed_table(const retort::MetaData& m) { return m.get("MixedCase"); }

retort::ReflectedSchema reflect(const retort::Engine& engine, retort::ReflectOptions options = {}) {
  auto conn = engine.connect();
  return engine.dialect().reflect_schema(conn.driver_connection(), std::nullopt, options);
}

using retort::testing::column;
using retort::testing::run;
using retort::testing::shell_quote;
using retort::testing::table;

}  // namespace

TEST_CASE("SQLite declared types read back as generic types where they round-trip", "[sqlite][reflection]") {
  using retort::SqlType;
  CHECK(sqlite::sqlite_type_from_declaration("INTEGER") == SqlType(retort::Integer{}));
  CHECK(sqlite::sqlite_type_from_declaration("bigint") == SqlType(retort::BigInteger{}));
  CHECK(sqlite::sqlite_type_from_declaration("VARCHAR(50)") == SqlType(retort::String{50}));
  CHECK(sqlite::sqlite_type_from_declaration("CHAR(36)") == SqlType(retort::String{36}));
  CHECK(sqlite::sqlite_type_from_declaration("NUMERIC(10, 2)") == SqlType(retort::Numeric{10, 2}));
  CHECK(sqlite::sqlite_type_from_declaration("DECIMAL(8)") == SqlType(retort::Numeric{8}));
  CHECK(sqlite::sqlite_type_from_declaration("FLOAT(53)") == SqlType(retort::Float{53}));
  CHECK(sqlite::sqlite_type_from_declaration("REAL") == SqlType(retort::Float{}));
  CHECK(sqlite::sqlite_type_from_declaration("double  precision") == SqlType(retort::Double{}));
  CHECK(sqlite::sqlite_type_from_declaration("TIMESTAMP") == SqlType(retort::DateTime{}));
  CHECK(sqlite::sqlite_type_from_declaration("BLOB") == SqlType(retort::LargeBinary{}));
  CHECK(sqlite::sqlite_type_from_declaration("JSON") == SqlType(retort::JSON{}));
  CHECK(sqlite::sqlite_type_from_declaration("") == SqlType(retort::TypeKind::Null));
  CHECK(sqlite::sqlite_type_from_declaration("NVARCHAR(160)") == SqlType(retort::NamedType{"NVARCHAR(160)", "sqlite"}));
  CHECK(sqlite::sqlite_type_from_declaration("INTEGER(4)") == SqlType(retort::NamedType{"INTEGER(4)", "sqlite"}));
  // SQLite keeps any declared text: a length that is not an int stays as declared (it threw
  // std::out_of_range from reflection).
  CHECK(sqlite::sqlite_type_from_declaration("VARCHAR(99999999999)") ==
        SqlType(retort::NamedType{"VARCHAR(99999999999)", "sqlite"}));
  auto engine = retort::create_engine("sqlite://");
  auto conn = engine.connect();
  conn.exec_driver_sql("CREATE TABLE huge (c VARCHAR(99999999999), d NUMERIC(5, 99999999999))");
  retort::Inspector inspector(conn);
  auto columns = inspector.get_columns("huge");
  REQUIRE(columns.size() == 2);
  CHECK(columns[0].type == SqlType(retort::NamedType{"VARCHAR(99999999999)", "sqlite"}));
}

TEST_CASE("the CREATE TABLE parser reads names, checks and keys the pragmas omit", "[sqlite][reflection]") {
  auto t = sqlite::parse_create_table(R"(CREATE TABLE [a b] (
      "x ""y""" INTEGER CONSTRAINT "pk x" PRIMARY KEY AUTOINCREMENT,
      `c` TEXT DEFAULT 'CHECK (no)' CONSTRAINT c_ck CHECK (c <> ')') UNIQUE, -- a comment, (
      g INT GENERATED ALWAYS AS (length(c) * 2) STORED,
      h AS (g + 1),
      p INT REFERENCES parent ON DELETE SET NULL NOT DEFERRABLE,
      CONSTRAINT 'fk two' FOREIGN KEY (p, c) REFERENCES other (a, b) ON UPDATE NO ACTION DEFERRABLE INITIALLY deferred,
      /* block ) comment */ CONSTRAINT u1 UNIQUE (p, g)
      CHECK (p > 0)
    ) WITHOUT ROWID)");
  CHECK(t.primary_key_name == "pk x");
  CHECK(t.primary_key_columns == Names{"x \"y\""});
  CHECK(t.autoincrement);
  CHECK(t.without_rowid);
  REQUIRE(t.columns.size() == 5);
  CHECK(t.columns[1].type == "TEXT");
  CHECK(t.columns[2].generated == "length(c) * 2");
  CHECK(t.columns[2].generated_stored);
  CHECK(t.columns[3].generated == "g + 1");
  CHECK_FALSE(t.columns[3].generated_stored);
  REQUIRE(t.checks.size() == 2);
  CHECK(t.checks[0].name == "c_ck");
  CHECK(t.checks[0].sqltext == "c <> ')'");
  CHECK(t.checks[1].name.empty());
  CHECK(t.checks[1].sqltext == "p > 0");
  REQUIRE(t.uniques.size() == 2);
  CHECK(t.uniques[0].name.empty());
  CHECK(t.uniques[0].columns == Names{"c"});
  CHECK(t.uniques[1].name == "u1");
  REQUIRE(t.foreign_keys.size() == 2);
  CHECK(t.foreign_keys[0].referred_table == "parent");
  CHECK(t.foreign_keys[0].referred_columns.empty());
  CHECK(t.foreign_keys[0].ondelete == "SET NULL");
  CHECK(t.foreign_keys[0].deferrable == false);
  CHECK(t.foreign_keys[1].name == "fk two");
  CHECK(t.foreign_keys[1].columns == Names{"p", "c"});
  CHECK(t.foreign_keys[1].referred_columns == Names{"a", "b"});
  CHECK(t.foreign_keys[1].onupdate == "NO ACTION");
  CHECK(t.foreign_keys[1].deferrable == true);
  CHECK(t.foreign_keys[1].initially == "DEFERRED");

  auto ix = sqlite::parse_create_index(
      "CREATE UNIQUE INDEX \"i\" ON t (\"a\" COLLATE NOCASE DESC, (lower(b)), abs(c) ASC) WHERE a > 'x)'");
  CHECK(ix.elements == Names{"\"a\"", "lower(b)", "abs(c)"});
  CHECK(ix.where == "a > 'x)'");
  CHECK(sqlite::parse_view_definition("CREATE VIEW \"as\" (a) AS SELECT 1 AS a;") == "SELECT 1 AS a");
}

TEST_CASE("SQLite reads the rich schema back with its own spellings", "[sqlite][reflection]") {
  retort::testing::TempDatabase db;
  RichSchema schema;
  auto engine = retort::create_engine(db.url());
  schema.metadata.create_all(engine);

  auto reflected = reflect(engine);

  // Spot checks of what the rules let through.
  const auto& parent = table(reflected, "parent co");
  CHECK(column(parent, "id").autoincrement);
  CHECK(column(parent, "id").type == retort::SqlType(retort::Integer{}));    // BigInteger key: INTEGER rowid alias
  CHECK(column(parent, "uid").type == retort::SqlType(retort::String{36}));  // UUID is CHAR(36) on SQLite
  CHECK(column(parent, "flag").type == retort::SqlType(retort::Boolean{}));
  CHECK(column(parent, "status").default_sql == "'dr''aft'");
  CHECK(column(parent, "twice").computed == retort::Computed{"\"order\" * 2", true});
  CHECK(column(parent, "plus").computed == retort::Computed{"\"order\" + 1", false});
  CHECK(parent.check_constraints.size() == 2);  // the named one and the Enum's CHECK (mood IN (...))
  const auto& naive = table(reflected, "naïve_tëst");
  REQUIRE(naive.foreign_keys.size() == 2);
  CHECK(naive.foreign_keys[0].name == "fk_self");
  CHECK(naive.foreign_keys[0].ondelete == "CASCADE");
  CHECK(naive.foreign_keys[1].name == "fk mixed");
  CHECK(naive.foreign_keys[1].referred_columns == Names{"b", "A"});
  CHECK(naive.foreign_keys[1].deferrable == true);
  CHECK(naive.foreign_keys[1].initially == "DEFERRED");
  CHECK(table(reflected, "MixedCase").primary_key.columns == Names{"b", "A"});
  CHECK(table(reflected, "MixedCase").primary_key.name == "pk_Mixed");
}

TEST_CASE("reflection reads views, attached schemas and rejects unknown schemas", "[sqlite][reflection]") {
  retort::testing::TempDatabase db, other;
  auto engine = retort::create_engine(db.url());
  auto conn = engine.connect();
  conn.execute_script(
      "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT);"
      "CREATE VIEW \"big names\" AS SELECT id, upper(name) AS name FROM t WHERE id > 1;"
      "ATTACH DATABASE '" +
      other.path().string() +
      "' AS extra;"
      "CREATE TABLE extra.e (id INTEGER PRIMARY KEY, t_id INTEGER REFERENCES e (id));"
      "CREATE TABLE counted (id INTEGER PRIMARY KEY AUTOINCREMENT, big BIGINT);"
      "CREATE TABLE keyed (k TEXT PRIMARY KEY, n INTEGER) WITHOUT ROWID;");
  retort::Inspector inspector(conn);
  CHECK(inspector.get_schema_names() == Names{"main", "extra"});
  CHECK(inspector.default_schema_name() == "main");
  CHECK(inspector.get_view_names() == Names{"big names"});
  CHECK(inspector.get_table("counted").dialect_options.at("sqlite_autoincrement") == "true");
  CHECK(inspector.get_columns("counted").at(0).autoincrement);
  CHECK(inspector.get_table("keyed").dialect_options.at("sqlite_with_rowid") == "false");
  CHECK_FALSE(inspector.get_columns("keyed").at(0).autoincrement);
  CHECK(inspector.get_indexes("keyed").empty());  // the key's own index backs the primary key
  CHECK(inspector.get_view_definition("big names") == "SELECT id, upper(name) AS name FROM t WHERE id > 1");
  CHECK(inspector.get_table_names("extra") == Names{"e"});
  CHECK(inspector.get_foreign_keys("e", "extra").at(0).referred_schema == "extra");
  CHECK(inspector.get_table("e", "extra").schema == "extra");
  CHECK_THROWS_AS(inspector.get_table_names("nope"), retort::ArgumentError);
  CHECK_THROWS_WITH(inspector.get_columns("missing", "extra"), Catch::Contains("missing") && Catch::Contains("extra"));
  CHECK_THROWS_AS(inspector.get_columns("missing"), retort::NoSuchTableError);
}

TEST_CASE("the Inspector answers from one cached batched pass", "[sqlite][reflection]") {
  retort::testing::TempDatabase db;
  RichSchema schema;
  auto engine = retort::create_engine(db.url());
  schema.metadata.create_all(engine);
  auto conn = engine.connect();
  retort::Inspector inspector(conn);

  CHECK(inspector.get_table_names() == Names{"MixedCase", "naïve_tëst", "order", "parent co"});
  CHECK(inspector.has_table("order"));
  CHECK_FALSE(inspector.has_table("Order"));
  CHECK(inspector.get_pk_constraint("MixedCase").columns == Names{"b", "A"});
  auto uniques = inspector.get_unique_constraints("parent co");
  REQUIRE(uniques.size() == 2);
  CHECK(uniques[0].name.empty());
  CHECK(uniques[0].columns == Names{"Name"});
  CHECK(uniques[1].name == "uq order small");
  const auto& indexes = inspector.get_indexes("naïve_tëst");
  REQUIRE(indexes.size() == 3);
  CHECK(indexes[0].name == "ix unique ref");
  CHECK(indexes[0].unique);
  CHECK(indexes[1].name == "ix_lower");
  CHECK(indexes[1].columns.empty());
  CHECK(indexes[1].expressions == Names{"lower(\"he said \"\"hi\"\"\")"});
  CHECK(indexes[2].name == "ix_partial");
  CHECK(indexes[2].where == "\"it's\" > 3");
  auto checks = inspector.get_check_constraints("parent co");
  CHECK(checks.at(0).name == "ck_amount_positive");
  CHECK(checks.at(0).sqltext == "amount >= 0");
  CHECK(inspector.get_columns("order").size() == 4);
  CHECK_FALSE(inspector.get_table_comment("order"));
  CHECK(inspector.get_sequence_names().empty());
  CHECK(inspector.get_enums().empty());

  std::size_t queries = inspector.reflect().queries;
  CHECK(queries <= 5);
  // Everything above came from that one pass.
  CHECK(&inspector.reflect() == &inspector.reflect());
  CHECK(inspector.reflect().queries == queries);
}

TEST_CASE("MetaData::reflect builds tables that work in statements", "[sqlite][reflection]") {
  retort::testing::TempDatabase db;
  RichSchema schema;
  auto engine = retort::create_engine(db.url());
  schema.metadata.create_all(engine);
  {
    auto conn = engine.connect();
    conn.execute_script("CREATE VIEW v AS SELECT id, \"it's\" FROM \"naïve_tëst\"");
    conn.execute(retort::insert(schema.metadata.get("MixedCase")).values({{"A", 1}, {"b", "x"}}));
    conn.execute(retort::insert(schema.metadata.get("naïve_tëst")).values({{"ref_a", 1}, {"ref_b", "x"}, {"it's", 7}}));
  }

  retort::MetaData reflected;
  reflected.reflect(engine);
  CHECK(reflected.tables().size() == 4);
  const auto& naive = reflected.get("naïve_tëst");
  auto conn = engine.connect();
  auto row =
      conn.execute(retort::select(naive.c("id"), naive.c("it's"), naive.c("ref_b")).where(naive.c("ref_a") == 1)).one();
  CHECK(row.get<int>(0) == 1);
  CHECK(row.get<int>(1) == 7);
  CHECK(row.get<std::string>(2) == "x");
  conn.execute(retort::insert(mixed_table(reflected)).values({{"A", 2}, {"b", "y"}}));
  conn.execute(retort::insert(naive).values({{"ref_a", 2}, {"ref_b", "y"}}));
  CHECK(conn.execute(retort::select(naive.c("it's")).where(naive.c("id") == 2)).scalar_one<int>() == 5);

  // The reflected tables declare the same schema: comparing them with the database finds nothing.
  auto again = reflect(engine);
  auto differences = retort::schema_differences(reflected, again, engine.dialect());
  INFO(fmt::format("{}", fmt::join(differences, "\n")));
  CHECK(differences.empty());

  // Created elsewhere from the reflected tables, the schema reflects the same again.
  retort::testing::TempDatabase copy;
  auto copy_engine = retort::create_engine(copy.url());
  reflected.create_all(copy_engine);
  auto copy_differences = retort::schema_differences(schema.metadata, reflect(copy_engine), engine.dialect());
  INFO(fmt::format("{}", fmt::join(copy_differences, "\n")));
  CHECK(copy_differences.empty());

  retort::MetaData some;
  some.reflect(engine, std::nullopt, {"order", "v"}, true);
  CHECK(some.tables().size() == 2);
  CHECK(some.get("v").has_column("it's"));
  CHECK_THROWS_AS(some.reflect(engine, std::nullopt, {"nope"}), retort::NoSuchTableError);
}

TEST_CASE("retort inspect prints text, json and sql, and fails in one line", "[sqlite][reflection][cli]") {
  retort::testing::TempDatabase db;
  RichSchema schema;
  auto engine = retort::create_engine(db.url());
  schema.metadata.create_all(engine);
  std::string cli = std::string(RETORT_CLI_PATH) + " inspect --url " + shell_quote(db.url());

  auto [text, text_status] = run(cli);
  CHECK(text_status == 0);
  CHECK(text.find("table naïve_tëst") != std::string::npos);
  CHECK(text.find("foreign key fk mixed (ref_b, ref_a) -> MixedCase (b, A) ON DELETE CASCADE ON UPDATE SET NULL") !=
        std::string::npos);

  auto [json, json_status] = run(cli + " --format json");
  CHECK(json_status == 0);
  CHECK(json.rfind("{\"dialect\": \"sqlite\", \"tables\": [", 0) == 0);
  CHECK(json.find("{\"name\": \"he said \\\"hi\\\"\", \"type\": \"TEXT\", \"nullable\": true, \"default\": null, "
                  "\"autoincrement\": false, \"comment\": null}") != std::string::npos);
  CHECK(json.find("\"primary_key\": {\"name\": \"pk_Mixed\", \"columns\": [\"b\", \"A\"]}") != std::string::npos);
  CHECK(json.find("\"views\": [], \"sequences\": [], \"enums\": []}") != std::string::npos);

  // The sql format recreates the same schema.
  auto [sql, sql_status] = run(cli + " --format sql");
  REQUIRE(sql_status == 0);
  retort::testing::TempDatabase copy;
  auto copy_engine = retort::create_engine(copy.url());
  copy_engine.connect().execute_script(sql);
  auto differences = retort::schema_differences(schema.metadata, reflect(copy_engine), engine.dialect());
  INFO(sql << fmt::format("{}", fmt::join(differences, "\n")));
  CHECK(differences.empty());

  auto [bad_schema, bad_schema_status] = run(cli + " --schema nope 2>&1");
  CHECK(bad_schema_status == 1);
  CHECK(bad_schema.find("unknown schema 'nope'") != std::string::npos);
  CHECK(std::count(bad_schema.begin(), bad_schema.end(), '\n') == 1);

  auto [bad_url, bad_url_status] =
      run(std::string(RETORT_CLI_PATH) + " inspect --url 'postgresql+nodriver://u:secret@h/db' 2>&1");
  CHECK(bad_url_status == 1);
  CHECK(bad_url.find("secret") == std::string::npos);
  CHECK(std::count(bad_url.begin(), bad_url.end(), '\n') == 1);

  auto [missing, missing_status] =
      run(std::string(RETORT_CLI_PATH) + " inspect --url 'sqlite:////nonexistent-dir/x.db?mode=ro' 2>&1");
  CHECK(missing_status == 1);
  CHECK(std::count(missing.begin(), missing.end(), '\n') == 1);
}

// ../shared/schemas/chinook/sqlite.sql, beside the source tree (never copied into it).
TEST_CASE("retort inspect reports every object of the Chinook schema on SQLite", "[sqlite][reflection][cli]") {
  std::filesystem::path source_root =
      std::filesystem::path(__FILE__).parent_path().parent_path().parent_path().parent_path();
  std::filesystem::path file = source_root / ".." / "shared" / "schemas" / "chinook" / "sqlite.sql";
  if (const char* env = std::getenv("RETORT_SHARED_SCHEMAS"))
    file = std::filesystem::path(env) / "chinook" / "sqlite.sql";
  if (!std::filesystem::exists(file)) {
    WARN("skipped: the Chinook schema is not at " << file.string() << " (a machine outside the workplace)");
    return;
  }
  std::ifstream in(file);
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string ddl = buffer.str();

  retort::testing::TempDatabase db;
  retort::create_engine(db.url()).connect().execute_script(ddl);
  auto [json, status] = run(std::string(RETORT_CLI_PATH) + " inspect --format json --url " + shell_quote(db.url()));
  REQUIRE(status == 0);

  // The expectations come from the DDL text itself: each CREATE TABLE's columns, its
  // CONSTRAINT ... PRIMARY KEY, its FOREIGN KEYs, and each CREATE INDEX.
  std::size_t tables = 0, columns = 0, keys = 0, indexes = 0;
  std::regex create_table(R"(CREATE TABLE \[(\w+)\]\s*\(([\s\S]*?)\n\);)");
  for (std::sregex_iterator it(ddl.begin(), ddl.end(), create_table), end; it != end; ++it) {
    std::string name = (*it)[1], body = (*it)[2];
    ++tables;
    auto start = json.find("\"name\": \"" + name + "\", \"comment\"");
    REQUIRE(start != std::string::npos);
    auto stop = json.find("{\"schema\": ", start);
    std::string entry = json.substr(start, stop == std::string::npos ? std::string::npos : stop - start);
    INFO("table " << name << ": " << entry);
    std::regex column_line(R"(\n\s*\[(\w+)\] (\w+(?:\([\d,]+\))?) *(NOT NULL)?)");
    for (std::sregex_iterator c(body.begin(), body.end(), column_line); c != end; ++c) {
      ++columns;
      std::string type = std::regex_replace((*c)[2].str(), std::regex(","), ", ");  // NUMERIC(10, 2)
      bool not_null = (*c)[3].matched;
      CHECK(entry.find(fmt::format("{{\"name\": \"{}\", \"type\": \"{}\", \"nullable\": {}", (*c)[1].str(), type,
                                   not_null ? "false" : "true")) != std::string::npos);
    }
    std::smatch pk;
    REQUIRE(std::regex_search(body, pk, std::regex(R"(CONSTRAINT \[(\w+)\] PRIMARY KEY\s*\(([^)]*)\))")));
    std::vector<std::string> pk_columns;
    std::string pk_list = pk[2];
    std::regex bracketed(R"(\[(\w+)\])");
    for (std::sregex_iterator p(pk_list.begin(), pk_list.end(), bracketed); p != end; ++p)
      pk_columns.push_back("\"" + (*p)[1].str() + "\"");
    CHECK(entry.find(fmt::format("\"primary_key\": {{\"name\": \"{}\", \"columns\": [{}]}}", pk[1].str(),
                                 fmt::join(pk_columns, ", "))) != std::string::npos);
    std::regex foreign_key(R"(FOREIGN KEY \(\[(\w+)\]\) REFERENCES \[(\w+)\] \(\[(\w+)\]\))");
    for (std::sregex_iterator f(body.begin(), body.end(), foreign_key); f != end; ++f) {
      ++keys;
      CHECK(entry.find(fmt::format("\"columns\": [\"{}\"], \"referred_schema\": null, \"referred_table\": \"{}\", "
                                   "\"referred_columns\": [\"{}\"], \"ondelete\": null, \"onupdate\": null",
                                   (*f)[1].str(), (*f)[2].str(), (*f)[3].str())) != std::string::npos);
    }
  }
  std::regex create_index(R"(CREATE (UNIQUE )?INDEX \[(\w+)\] ON \[(\w+)\] \(\[(\w+)\]\))");
  for (std::sregex_iterator it(ddl.begin(), ddl.end(), create_index), end; it != end; ++it) {
    ++indexes;
    INFO("index " << (*it)[2].str());
    CHECK(json.find(fmt::format("{{\"name\": \"{}\", \"columns\": [\"{}\"], \"unique\": {}", (*it)[2].str(),
                                (*it)[4].str(), (*it)[1].matched ? "true" : "false")) != std::string::npos);
  }
  // The sample holds 11 tables, 64 columns, 11 keys named PK_*, 11 foreign keys and 11 indexes.
  CHECK(tables == 11);
  CHECK(columns == 64);
  CHECK(keys == 11);
  CHECK(indexes == 11);
}
