// Reflection's promises on every backend, written once (design.md section 6): the rich schema of
// support/rich_schema.hpp round-trips through create_all and reflection with no difference, a
// real change is reported, and one batched pass sends the same few queries for 3 or 50 tables.
// What each database reads back in detail is checked beside its dialect
// (tests/dialects/*/test_*reflection.cpp).
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <retort/core/reflection/normalize.hpp>
#include <retort/retort.hpp>

#include "support/backend.hpp"
#include "support/rich_schema.hpp"

namespace {

using retort::Column;
using retort::testing::BackendDatabase;

retort::ReflectedSchema reflect(const retort::Engine& engine) {
  auto conn = engine.connect();
  return engine.dialect().reflect_schema(conn.driver_connection(), std::nullopt, {});
}

retort::testing::Backend backend_of(const BackendDatabase& db) {
  const auto& name = db.engine().dialect().name();
  if (name == "postgresql") return retort::testing::Backend::postgresql;
  if (name == "mysql") return retort::testing::Backend::mysql;
  return retort::testing::Backend::sqlite;
}

void rich_schema_round_trips(BackendDatabase& db) {
  const auto& engine = db.engine();
  retort::MetaData declared;
  retort::testing::declare_rich_schema(declared, backend_of(db));
  declared.create_all(engine);

  auto reflected = reflect(engine);
  CHECK(reflected.tables.size() == declared.tables().size());
  auto differences = retort::schema_differences(declared, reflected, engine.dialect());
  INFO(fmt::format("{}", fmt::join(differences, "\n")));
  CHECK(differences.empty());
  CHECK_FALSE(retort::testing::table(reflected, "parent co").schema);  // the default pass leaves names unqualified

  // A changed declaration is seen: b's type, c missing, the key's columns.
  retort::MetaData changed;
  changed.table("MixedCase", Column("A", retort::Integer{}), Column("b", retort::String{11}),
                Column("c", retort::Text{}), retort::PrimaryKeyConstraint{{"A"}, "pk_other"});
  auto diff = retort::table_differences(changed.get("MixedCase"), retort::testing::table(reflected, "MixedCase"),
                                        engine.dialect());
  INFO(fmt::format("{}", fmt::join(diff, "\n")));
  auto has = [&](retort::SchemaChange change, retort::SchemaObject object, const std::string& name,
                 const std::string& attribute) {
    return std::any_of(diff.begin(), diff.end(), [&](const retort::SchemaDifference& d) {
      return d.change == change && d.object == object && d.name == name && d.attribute == attribute;
    });
  };
  CHECK(has(retort::SchemaChange::Changed, retort::SchemaObject::Column, "b", "type"));
  CHECK(has(retort::SchemaChange::Missing, retort::SchemaObject::Column, "c", ""));
  CHECK(std::count_if(diff.begin(), diff.end(), [](const retort::SchemaDifference& d) {
          return d.object == retort::SchemaObject::PrimaryKey;
        }) == 1);
  // PostgreSQL and MySQL made the key's columns NOT NULL, so b (declared nullable, now outside
  // the key) differs there too; SQLite leaves a composite key's columns nullable.
  CHECK(diff.size() == (backend_of(db) == retort::testing::Backend::sqlite ? 3u : 4u));
}
RETORT_BACKEND_TEST("a rich schema round-trips through create_all and reflection", rich_schema_round_trips)

void reflection_queries_do_not_grow_with_tables(BackendDatabase& db) {
  const auto& engine = db.engine();
  auto conn = engine.connect();
  auto create_tables = [&](int first, int last) {
    for (int i = first; i < last; ++i) {
      conn.exec_driver_sql(
          fmt::format("CREATE TABLE t{0} (id INTEGER PRIMARY KEY, name VARCHAR(20) UNIQUE, prev INTEGER, "
                      "CONSTRAINT fk_t{0} FOREIGN KEY (prev) REFERENCES t{1} (id), CHECK (id > 0))",
                      i, i == 0 ? 0 : i - 1));
      conn.exec_driver_sql(fmt::format("CREATE INDEX ix_t{0} ON t{0} (name, prev)", i));
    }
  };
  auto queries = [&](std::size_t tables) {
    auto reflected = reflect(engine);
    REQUIRE(reflected.tables.size() == tables);
    for (const auto& t : reflected.tables) {
      INFO(t.name);
      CHECK(t.columns.size() == 3);
      CHECK(t.foreign_keys.size() == 1);
      CHECK(t.indexes.size() == 1);
      CHECK(t.unique_constraints.size() == 1);
      CHECK(t.check_constraints.size() == 1);
    }
    return reflected.queries;
  };
  create_tables(0, 3);
  auto small = queries(3);
  create_tables(3, 50);
  auto large = queries(50);
  CHECK(small == large);
  CHECK(large <= (backend_of(db) == retort::testing::Backend::sqlite ? 4u : 7u));
}
RETORT_BACKEND_TEST("reflection sends the same few queries for 3 or 50 tables",
                    reflection_queries_do_not_grow_with_tables)

}  // namespace
