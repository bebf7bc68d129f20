// PostgreSQL reflection in detail: the shared rich schema (support/rich_schema.hpp; its round
// trip on every backend is tests/core/test_reflection_backends.cpp) reads back with PostgreSQL's
// types, identities and comments, the Inspector reads views, sequences and enums, MetaData::reflect
// rebuilds the schema elsewhere, and `retort inspect` reports every object of the Chinook sample
// schema loaded with psql. Each test works in its own schema.
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

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <retort/core/reflection/inspector.hpp>
#include <retort/core/reflection/normalize.hpp>
#include <retort/dialects/postgresql/postgresql_dialect.hpp>
#include <retort/retort.hpp>

#include "dialects/postgresql/pg_test_support.hpp"
#include "support/reflection_helpers.hpp"
#include "support/rich_schema.hpp"

namespace {

using Names = std::vector<std::string>;
using retort::Column;
namespace pg = retort::dialects::postgresql;

/// The rich schema shared by every backend (support/rich_schema.hpp).
struct RichSchema {
  retort::MetaData metadata;
  RichSchema() { retort::testing::declare_rich_schema(metadata, retort::testing::Backend::postgresql); }
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

TEST_CASE("postgresql: format_type spellings read back as generic types where they round-trip",
          "[postgresql][reflection]") {
  using retort::SqlType;
  pg::PostgreSQLDialect dialect;
  auto type = [&](const std::string& s) { return pg::postgresql_type_from_format(s, dialect.type_compiler()); };
  CHECK(type("integer") == SqlType(retort::Integer{}));
  CHECK(type("smallint") == SqlType(retort::SmallInteger{}));
  CHECK(type("bigint") == SqlType(retort::BigInteger{}));
  CHECK(type("character varying(50)") == SqlType(retort::String{50}));
  CHECK(type("character varying") == SqlType(retort::String{}));
  CHECK(type("numeric(10,2)") == SqlType(retort::Numeric{10, 2}));
  CHECK(type("numeric(12,0)") == SqlType(retort::Numeric{12}));
  CHECK(type("real") == SqlType(retort::Float{}));
  CHECK(type("double precision") == SqlType(retort::Double{}));
  CHECK(type("timestamp with time zone") == SqlType(retort::DateTime{true}));
  CHECK(type("time without time zone") == SqlType(retort::Time{}));
  CHECK(type("bytea") == SqlType(retort::LargeBinary{}));
  CHECK(type("jsonb") == pg::JSONB());
  CHECK(type("inet") == pg::INET());
  CHECK(type("integer[]") == pg::ARRAY("INTEGER"));
  CHECK(type("character varying(10)[]") == pg::ARRAY("VARCHAR(10)"));
  CHECK(type("timestamp(3) with time zone") == SqlType(retort::NamedType{"TIMESTAMP(3) WITH TIME ZONE", "postgresql"}));
  CHECK(type("\"My Type\"") == SqlType(retort::NamedType{"\"My Type\"", "postgresql"}));
}

TEST_CASE("postgresql: the rich schema reads back with its own types, identities and comments",
          "[postgresql][reflection]") {
  RETORT_POSTGRESQL_URL_OR_SKIP(url);
  retort::testing::PgSchema schema(url);
  RichSchema rich;
  rich.metadata.create_all(schema.engine());

  auto reflected = reflect(schema.engine());
  CHECK(reflected.schema == schema.name());

  // Spot checks of what the rules let through.
  const auto& parent = table(reflected, "parent co");
  CHECK_FALSE(parent.schema);  // the default pass leaves tables unqualified
  CHECK(parent.comment == "the parents' table");
  CHECK(column(parent, "id").autoincrement);
  CHECK(column(parent, "id").type == retort::SqlType(retort::BigInteger{}));
  CHECK(column(parent, "uid").type == retort::SqlType(retort::UUID{}));
  CHECK(column(parent, "docb").type == pg::JSONB());
  CHECK(column(parent, "tags").type == pg::ARRAY("INTEGER"));
  CHECK(column(parent, "net").type == pg::CIDR());
  CHECK(column(parent, "mood").type == retort::SqlType(retort::Enum{{"happy", "sad", "it's ok"}, "mood"}));
  CHECK(column(parent, "note").comment == "it's a \"note\"");
  CHECK(column(parent, "twice").computed == retort::Computed{"(\"order\" * 2)", true});
  CHECK(column(parent, "status").default_sql == "'dr''aft'::character varying");
  const auto& ident = table(reflected, "Ident");
  CHECK(column(ident, "id").identity == retort::Identity{true, 10, 5});
  CHECK(column(ident, "seq").identity == retort::Identity{false, 1, 1});
  CHECK(column(ident, "id").autoincrement);
  CHECK_FALSE(column(ident, "id").default_sql);
  const auto& naive = table(reflected, "naïve_tëst");
  REQUIRE(naive.foreign_keys.size() == 2);
  CHECK(naive.foreign_keys[0].name == "fk mixed");
  CHECK(naive.foreign_keys[0].columns == Names{"ref_b", "ref_a"});
  CHECK(naive.foreign_keys[0].referred_columns == Names{"b", "A"});
  CHECK(naive.foreign_keys[0].ondelete == "CASCADE");
  CHECK(naive.foreign_keys[0].onupdate == "SET NULL");
  CHECK(naive.foreign_keys[0].deferrable == true);
  CHECK(naive.foreign_keys[0].initially == "DEFERRED");
  CHECK_FALSE(naive.foreign_keys[0].referred_schema);
  CHECK(naive.foreign_keys[1].name == "fk_self");
  CHECK(naive.foreign_keys[1].referred_table == "naïve_tëst");
  CHECK(table(reflected, "MixedCase").primary_key.columns == Names{"b", "A"});
  CHECK(table(reflected, "MixedCase").primary_key.name == "pk_Mixed");
}

TEST_CASE("postgresql: the Inspector reads views, sequences, enums and other schemas", "[postgresql][reflection]") {
  RETORT_POSTGRESQL_URL_OR_SKIP(url);
  retort::testing::PgSchema schema(url);
  RichSchema rich;
  rich.metadata.create_all(schema.engine());
  auto conn = schema.engine().connect();
  conn.execute_script(
      fmt::format("CREATE VIEW \"big names\" AS SELECT id, upper(\"Name\") AS name FROM \"parent co\" WHERE id > 1;"
                  "CREATE SEQUENCE \"odd seq\" START 100 INCREMENT 5;"
                  "CREATE TYPE \"Colour\" AS ENUM ('red', 'green');"));
  retort::Inspector inspector(conn);
  auto schemas = inspector.get_schema_names();
  CHECK(std::find(schemas.begin(), schemas.end(), schema.name()) != schemas.end());
  CHECK(std::find(schemas.begin(), schemas.end(), "public") != schemas.end());
  CHECK(std::find(schemas.begin(), schemas.end(), "pg_catalog") == schemas.end());
  CHECK(inspector.default_schema_name() == schema.name());
  CHECK(inspector.get_table_names() == Names{"Ident", "MixedCase", "naïve_tëst", "order", "parent co"});
  CHECK(inspector.has_table("order"));
  CHECK_FALSE(inspector.has_table("Order"));
  CHECK(inspector.get_view_names() == Names{"big names"});
  auto definition = inspector.get_view_definition("big names");
  CHECK(definition.rfind("SELECT ", 0) == 0);
  CHECK(definition.find("upper(\"parent co\".\"Name\"::text) AS name") != std::string::npos);
  CHECK(definition.back() != ';');
  CHECK(inspector.get_pk_constraint("MixedCase").columns == Names{"b", "A"});
  CHECK(inspector.get_pk_constraint("order").name == "order_pkey");
  auto uniques = inspector.get_unique_constraints("parent co");
  REQUIRE(uniques.size() == 2);
  CHECK(uniques[0].name == "parent co_Name_key");
  CHECK(uniques[0].columns == Names{"Name"});
  CHECK(uniques[1].name == "uq order small");
  CHECK(uniques[1].columns == Names{"order", "small"});
  const auto& indexes = inspector.get_indexes("naïve_tëst");
  REQUIRE(indexes.size() == 3);
  CHECK(indexes[0].name == "ix unique ref");
  CHECK(indexes[0].unique);
  CHECK(indexes[0].columns == Names{"ref_b", "ref_a"});
  CHECK(indexes[1].name == "ix_lower");
  CHECK(indexes[1].columns.empty());
  CHECK(indexes[1].expressions == Names{"lower(\"he said \"\"hi\"\"\")"});
  CHECK(indexes[2].name == "ix_partial");
  CHECK(indexes[2].where == "\"it's\" > 3");
  CHECK(indexes[2].dialect_options.empty());
  CHECK(inspector.get_indexes("parent co").at(0).dialect_options.at("postgresql_using") == "gin");
  auto checks = inspector.get_check_constraints("parent co");
  REQUIRE(checks.size() == 1);
  CHECK(checks[0].name == "ck_order_positive");
  CHECK(checks[0].sqltext == "\"order\" >= 0");
  CHECK(inspector.get_table_comment("parent co") == "the parents' table");
  CHECK_FALSE(inspector.get_table_comment("order"));
  auto fks = inspector.get_foreign_keys("order");
  REQUIRE(fks.size() == 1);
  CHECK(fks[0].referred_table == "parent co");
  CHECK(fks[0].ondelete.empty());
  CHECK_FALSE(fks[0].deferrable.value_or(true));
  auto sequences = inspector.get_sequence_names();
  // The SERIALs' sequences and the standalone one, not those of the identity columns.
  CHECK(sequences == Names{"naïve_tëst_id_seq", "odd seq", "order_id_seq", "parent co_id_seq"});
  CHECK_FALSE(inspector.get_columns("order").at(0).default_sql);  // a SERIAL key: autoincrement
  CHECK(inspector.get_columns("order").at(0).autoincrement);
  const auto& all = inspector.reflect();
  for (const auto& s : all.sequences)
    if (s.name == "odd seq") {
      CHECK(s.start == 100);
      CHECK(s.increment == 5);
    }
  auto enums = inspector.get_enums();
  REQUIRE(enums.size() == 2);
  CHECK(enums[0].name == "Colour");
  CHECK(enums[0].values == Names{"red", "green"});
  CHECK(enums[1].name == "mood");
  CHECK(enums[1].values == Names{"happy", "sad", "it's ok"});

  // The same schema named explicitly: tables and foreign keys are qualified.
  const auto& named = inspector.get_table("order", schema.name());
  CHECK(named.schema == schema.name());
  CHECK(named.foreign_keys.at(0).referred_schema == schema.name());
  CHECK_NOTHROW(inspector.get_table_names("public"));
  CHECK_THROWS_AS(inspector.get_table_names("no such schema"), retort::ArgumentError);
  CHECK_THROWS_WITH(inspector.get_table_names("no such schema"), Catch::Contains("no such schema"));
  CHECK_THROWS_AS(inspector.get_columns("missing"), retort::NoSuchTableError);
  CHECK(inspector.reflect().queries <= 7);
}

TEST_CASE("postgresql: MetaData::reflect rebuilds the schema in another schema", "[postgresql][reflection]") {
  RETORT_POSTGRESQL_URL_OR_SKIP(url);
  retort::testing::PgSchema schema(url);
  RichSchema rich;
  rich.metadata.create_all(schema.engine());
  {
    auto conn = schema.engine().connect();
    conn.execute(retort::insert(rich.metadata.get("MixedCase")).values({{"A", 1}, {"b", "x"}}));
    conn.execute(retort::insert(rich.metadata.get("naïve_tëst")).values({{"ref_a", 1}, {"ref_b", "x"}, {"it's", 7}}));
  }
  retort::MetaData reflected;
  reflected.reflect(schema.engine());
  CHECK(reflected.tables().size() == 5);
  const auto& naive = reflected.get("naïve_tëst");
  auto conn = schema.engine().connect();
  auto row =
      conn.execute(retort::select(naive.c("id"), naive.c("it's"), naive.c("ref_b")).where(naive.c("ref_a") == 1)).one();
  CHECK(row.get<int>(0) == 1);
  CHECK(row.get<int>(1) == 7);
  CHECK(row.get<std::string>(2) == "x");

  auto again = retort::schema_differences(reflected, reflect(schema.engine()), schema.engine().dialect());
  INFO(fmt::format("{}", fmt::join(again, "\n")));
  CHECK(again.empty());

  retort::testing::PgSchema copy(url);
  reflected.create_all(copy.engine());
  auto copy_differences = retort::schema_differences(rich.metadata, reflect(copy.engine()), copy.engine().dialect());
  INFO(fmt::format("{}", fmt::join(copy_differences, "\n")));
  CHECK(copy_differences.empty());
}

TEST_CASE("postgresql: retort inspect prints json and sql and fails in one line", "[postgresql][reflection][cli]") {
  RETORT_POSTGRESQL_URL_OR_SKIP(url);
  retort::testing::PgSchema schema(url);
  RichSchema rich;
  rich.metadata.create_all(schema.engine());
  std::string cli = std::string(RETORT_CLI_PATH) + " inspect --url " + shell_quote(url);
  auto [json, status] = run(cli + " --schema " + shell_quote(schema.name()) + " --format json");
  REQUIRE(status == 0);
  CHECK(json.rfind("{\"dialect\": \"postgresql\", \"tables\": [", 0) == 0);
  CHECK(json.find("{\"name\": \"he said \\\"hi\\\"\", \"type\": \"TEXT\", \"nullable\": true, \"default\": null, "
                  "\"autoincrement\": false, \"comment\": null}") != std::string::npos);
  CHECK(json.find("\"enums\": [{\"schema\": \"" + schema.name() +
                  "\", \"name\": \"mood\", \"values\": "
                  "[\"happy\", \"sad\", \"it's ok\"]}]") != std::string::npos);

  auto [sql, sql_status] = run(cli + " --schema " + shell_quote(schema.name()) + " --format sql");
  CHECK(sql_status == 0);
  CHECK(sql.find("CREATE TABLE") != std::string::npos);

  auto [bad, bad_status] = run(cli + " --schema 'no such schema' 2>&1");
  CHECK(bad_status == 1);
  CHECK(bad.find("unknown schema 'no such schema'") != std::string::npos);
  CHECK(std::count(bad.begin(), bad.end(), '\n') == 1);
}

// ../shared/schemas/chinook/postgresql.sql, beside the source tree (never copied into it), loaded
// with psql into a fresh schema.
TEST_CASE("postgresql: retort inspect reports every object of the Chinook schema", "[postgresql][reflection][cli]") {
  std::filesystem::path source_root =
      std::filesystem::path(__FILE__).parent_path().parent_path().parent_path().parent_path();
  std::filesystem::path file = source_root / ".." / "shared" / "schemas" / "chinook" / "postgresql.sql";
  if (const char* env = std::getenv("RETORT_SHARED_SCHEMAS"))
    file = std::filesystem::path(env) / "chinook" / "postgresql.sql";
  if (!std::filesystem::exists(file)) {
    WARN("skipped: the Chinook schema is not at " << file.string() << " (a machine outside the workplace)");
    return;
  }
  RETORT_POSTGRESQL_URL_OR_SKIP(url);
  std::ifstream in(file);
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string ddl = buffer.str();

  retort::testing::PgSchema schema(url);
  auto [psql_out, psql_status] =
      run("PGOPTIONS=" + shell_quote("-csearch_path=" + schema.name()) + " psql -X -q -v ON_ERROR_STOP=1 -d " +
          shell_quote(url) + " -f " + shell_quote(file.string()) + " 2>&1");
  INFO(psql_out);
  REQUIRE(psql_status == 0);
  // Not a structured binding: the lambda below captures it, which clang before 16 refuses.
  auto inspected = run(std::string(RETORT_CLI_PATH) + " inspect --format json --url " + shell_quote(url) +
                       " --schema " + schema.name());
  const std::string& json = inspected.first;
  REQUIRE(inspected.second == 0);

  // Expectations from the DDL text: each CREATE TABLE's columns and CONSTRAINT ... PRIMARY KEY,
  // each ALTER TABLE ... FOREIGN KEY, each CREATE INDEX.
  auto entry_of = [&](const std::string& name) {
    auto start = json.find("{\"schema\": \"" + schema.name() + "\", \"name\": \"" + name + "\", \"comment\"");
    REQUIRE(start != std::string::npos);
    auto stop = json.find("{\"schema\": ", start + 1);
    return json.substr(start, stop == std::string::npos ? std::string::npos : stop - start);
  };
  std::size_t tables = 0, columns = 0, keys = 0, indexes = 0;
  std::regex create_table(R"(CREATE TABLE (\w+)\s*\(([\s\S]*?)\n\);)");
  std::sregex_iterator end;
  for (std::sregex_iterator it(ddl.begin(), ddl.end(), create_table); it != end; ++it) {
    std::string name = (*it)[1], body = (*it)[2];
    ++tables;
    std::string entry = entry_of(name);
    INFO("table " << name << ": " << entry);
    std::regex column_line(R"(\n\s*(\w+) (INT|VARCHAR\(\d+\)|NUMERIC\(\d+,\d+\)|TIMESTAMP)( NOT NULL)?)");
    for (std::sregex_iterator c(body.begin(), body.end(), column_line); c != end; ++c) {
      ++columns;
      std::string type = (*c)[2];
      if (type == "INT") type = "INTEGER";
      type = std::regex_replace(type, std::regex(","), ", ");  // NUMERIC(10, 2)
      CHECK(entry.find(fmt::format("{{\"name\": \"{}\", \"type\": \"{}\", \"nullable\": {}", (*c)[1].str(), type,
                                   (*c)[3].matched ? "false" : "true")) != std::string::npos);
    }
    std::smatch pk;
    REQUIRE(std::regex_search(body, pk, std::regex(R"(CONSTRAINT (\w+) PRIMARY KEY\s*\(([^)]*)\))")));
    std::vector<std::string> pk_columns;
    std::string pk_list = pk[2];
    std::regex word(R"(\w+)");
    for (std::sregex_iterator p(pk_list.begin(), pk_list.end(), word); p != end; ++p)
      pk_columns.push_back("\"" + p->str() + "\"");
    CHECK(entry.find(fmt::format("\"primary_key\": {{\"name\": \"{}\", \"columns\": [{}]}}", pk[1].str(),
                                 fmt::join(pk_columns, ", "))) != std::string::npos);
  }
  std::regex foreign_key(
      R"(ALTER TABLE (\w+) ADD CONSTRAINT (\w+)\s+FOREIGN KEY \((\w+)\) REFERENCES (\w+) \((\w+)\))");
  for (std::sregex_iterator f(ddl.begin(), ddl.end(), foreign_key); f != end; ++f) {
    ++keys;
    std::string entry = entry_of((*f)[1]);
    INFO("foreign key " << (*f)[2].str() << ": " << entry);
    CHECK(entry.find(fmt::format("{{\"name\": \"{}\", \"columns\": [\"{}\"], \"referred_schema\": \"{}\", "
                                 "\"referred_table\": \"{}\", \"referred_columns\": [\"{}\"], \"ondelete\": null, "
                                 "\"onupdate\": null}}",
                                 (*f)[2].str(), (*f)[3].str(), schema.name(), (*f)[4].str(), (*f)[5].str())) !=
          std::string::npos);
  }
  std::regex create_index(R"(CREATE (UNIQUE )?INDEX (\w+) ON (\w+) \((\w+)\))");
  for (std::sregex_iterator it(ddl.begin(), ddl.end(), create_index); it != end; ++it) {
    ++indexes;
    std::string entry = entry_of((*it)[3]);
    INFO("index " << (*it)[2].str() << ": " << entry);
    CHECK(entry.find(fmt::format("{{\"name\": \"{}\", \"columns\": [\"{}\"], \"unique\": {}, \"expressions\": [], "
                                 "\"where\": null}}",
                                 (*it)[2].str(), (*it)[4].str(), (*it)[1].matched ? "true" : "false")) !=
          std::string::npos);
  }
  // The sample holds 11 tables, 64 columns, 11 foreign keys and 11 indexes.
  CHECK(tables == 11);
  CHECK(columns == 64);
  CHECK(keys == 11);
  CHECK(indexes == 11);
}
