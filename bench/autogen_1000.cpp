// autogen_1000: autogenerate over 1,000 tables (the reflect_1000 shape) on SQLite, PostgreSQL and
// MariaDB. The database holds the schema; the declared schema differs from it by 50 changes
// (about 5%): columns added and dropped, a type widened, nullability both ways, an index's
// columns changed, new foreign keys, a new table and a dropped one. Ours is what
// `retort revision --autogenerate` does: reflect, compare, render the C++ revision. References in
// the same run, on the same database:
//   - retort's reflection alone (Inspector::reflect): the limit is ours <= 1.5x of it;
//   - Alembic's autogenerate from Debian (produce_migrations with compare_type, then
//     render_python_code of upgrade and downgrade), on a SQLAlchemy MetaData built from the same
//     description (bench/autogen_alembic.py): the target is ours >= 30x faster.
// Both tools' differences are checked against the 50 made: ours must find exactly those (else
// the benchmark fails); where Alembic finds others or misses some, they are listed.
//
// Servers: RETORT_TEST_POSTGRESQL_URL and RETORT_TEST_MYSQL_URL (bench/run starts them when
// unset); each gets a fresh database retort_autogen_1000. RETORT_BENCH_TABLES and
// RETORT_BENCH_ROUNDS change the size and the number of rounds.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include <retort/core/reflection/inspector.hpp>
#include <retort/core/reflection/normalize.hpp>
#include <retort/migrate/autogenerate/autogenerate.hpp>
#include <retort/migrate/autogenerate/compare.hpp>
#include <retort/migrate/autogenerate/declared_schema.hpp>
#include <retort/migrate/autogenerate/render_revision.hpp>
#include <retort/retort.hpp>

#include "bench_databases.hpp"
#include "bench_support.hpp"

namespace fs = std::filesystem;
namespace autogen = retort::migrate::autogenerate;

namespace {

using retort::bench::env_int;
using retort::bench::median;
using retort::bench::seconds_of;
using retort::bench::shell_quote;

const char* kDatabase = "retort_autogen_1000";

// The schema as plain data, so that retort's MetaData and the Python side's SQLAlchemy MetaData
// are built from one description.
struct ColumnSpec {
  std::string name;
  std::string type;  // integer, string, numeric, datetime, boolean, text, double
  int length = 0;    // string
  bool nullable = true;
  bool primary_key = false;
  std::string server_default{};  // "", "0" or "now"
  std::string references{};      // "table.column"
};
struct IndexSpec {
  std::string name;
  std::vector<std::string> columns;
  bool unique = false;
};
struct TableSpec {
  std::string name;
  std::vector<ColumnSpec> columns;
  std::vector<std::pair<std::string, std::string>> checks;  // name, condition
  std::vector<IndexSpec> indexes;
  ColumnSpec& column(const std::string& n) {
    for (auto& c : columns)
      if (c.name == n) return c;
    std::fprintf(stderr, "no column %s in %s\n", n.c_str(), name.c_str());
    std::exit(1);
  }
};
using SchemaSpec = std::vector<TableSpec>;

std::string table_name(int i) { return fmt::format("t{:04}", i); }

/// reflect_1000's table: 10 columns of mixed types (two with server defaults), a primary key, a
/// foreign key to the previous table, two indexes (one unique) and a check constraint.
TableSpec base_table(int i) {
  std::string name = table_name(i);
  TableSpec t{name, {}, {}, {}};
  t.columns = {{"id", "integer", 0, false, true},
               {"prev_id", "integer", 0, true, false, "", table_name(i == 0 ? 0 : i - 1) + ".id"},
               {"name", "string", 50, false},
               {"code", "string", 20, false},
               {"amount", "numeric", 0, false, false, "0"},
               {"qty", "integer"},
               {"created", "datetime", 0, true, false, "now"},
               {"flag", "boolean"},
               {"note", "text"},
               {"ratio", "double"}};
  t.checks = {{"ck_" + name + "_qty", "qty >= 0"}};
  t.indexes = {{"ix_" + name + "_code", {"code"}, true}, {"ix_" + name + "_name", {"name", "created"}, false}};
  return t;
}

SchemaSpec database_schema(int tables) {
  SchemaSpec s;
  for (int i = 0; i < tables; ++i) s.push_back(base_table(i));
  return s;
}

/// The declared schema: the database's with about 5% changed. `expected` receives each change as
/// the benchmark's canonical difference (see canonical()).
SchemaSpec declared_schema(int tables, std::set<std::string>& expected) {
  SchemaSpec s;
  for (int i = 0; i + 1 < tables; ++i) {  // the last table is dropped
    TableSpec t = base_table(i);
    const std::string& n = t.name;
    if (i % 100 == 1) {
      t.columns.push_back({"extra", "string", 30});
      expected.insert("add_column " + n + ".extra");
    } else if (i % 100 == 11) {
      std::erase_if(t.columns, [](const ColumnSpec& c) { return c.name == "note"; });
      expected.insert("remove_column " + n + ".note");
    } else if (i % 100 == 21) {
      t.column("code").length = 40;
      expected.insert("modify_type " + n + ".code");
    } else if (i % 200 == 31) {
      t.column("qty").nullable = false;
      expected.insert("modify_nullable " + n + ".qty");
    } else if (i % 200 == 131) {
      t.column("name").nullable = true;
      expected.insert("modify_nullable " + n + ".name");
    } else if (i % 200 == 41) {
      t.indexes[1].columns = {"name", "qty"};
      expected.insert("index " + n + ".ix_" + n + "_name");
    } else if (i % 333 == 50 && i >= 2) {
      t.column("qty").references = table_name(i - 2) + ".id";
      expected.insert("add_fk " + n + ".qty");
    }
    s.push_back(std::move(t));
  }
  TableSpec added{"t_new", {}, {}, {}};
  added.columns = {{"id", "integer", 0, false, true},
                   {"first_id", "integer", 0, true, false, "", table_name(0) + ".id"},
                   {"label", "string", 10}};
  s.push_back(added);
  expected.insert("add_table t_new");
  expected.insert("remove_table " + table_name(tables - 1));
  return s;
}

retort::Column column_of(const ColumnSpec& c) {
  retort::Column column = [&]() -> retort::Column {
    if (c.type == "integer") return {c.name, retort::Integer{}};
    if (c.type == "string") return {c.name, retort::String{static_cast<std::size_t>(c.length)}};
    if (c.type == "numeric") return {c.name, retort::Numeric{10, 2}};
    if (c.type == "datetime") return {c.name, retort::DateTime{}};
    if (c.type == "boolean") return {c.name, retort::Boolean{}};
    if (c.type == "text") return {c.name, retort::Text{}};
    return {c.name, retort::Double{}};
  }();
  if (c.primary_key) column.primary_key();
  if (!c.nullable) column.not_null();
  if (c.server_default == "0") column.server_default(0);
  if (c.server_default == "now") column.server_default(retort::func::now());
  if (!c.references.empty()) column.references(c.references);
  return column;
}

void add_to(retort::MetaData& m, const SchemaSpec& spec) {
  for (const auto& t : spec) {
    std::vector<retort::TableElement> elements;
    for (const auto& c : t.columns) elements.emplace_back(column_of(c));
    for (const auto& [name, condition] : t.checks) elements.emplace_back(retort::CheckConstraint{condition, name});
    for (const auto& ix : t.indexes) elements.emplace_back(retort::Index(ix.name, ix.columns, ix.unique));
    m.add_table(t.name, std::move(elements));
  }
}

/// The description as JSON for bench/autogen_alembic.py (names are plain identifiers).
std::string json_of(const SchemaSpec& spec) {
  auto list = [](const std::vector<std::string>& v) {
    std::string out = "[";
    for (std::size_t i = 0; i < v.size(); ++i) out += fmt::format("{}\"{}\"", i ? "," : "", v[i]);
    return out + "]";
  };
  std::string out = "[";
  for (std::size_t ti = 0; ti < spec.size(); ++ti) {
    const auto& t = spec[ti];
    out += fmt::format("{}{{\"name\":\"{}\",\"columns\":[", ti ? ",\n" : "", t.name);
    for (std::size_t i = 0; i < t.columns.size(); ++i) {
      const auto& c = t.columns[i];
      out += fmt::format(
          "{}{{\"name\":\"{}\",\"type\":\"{}\",\"length\":{},\"nullable\":{},\"primary_key\":{},"
          "\"server_default\":\"{}\",\"references\":\"{}\"}}",
          i ? "," : "", c.name, c.type, c.length, c.nullable, c.primary_key, c.server_default, c.references);
    }
    out += "],\"checks\":[";
    for (std::size_t i = 0; i < t.checks.size(); ++i)
      out += fmt::format("{}{{\"name\":\"{}\",\"condition\":\"{}\"}}", i ? "," : "", t.checks[i].first,
                         t.checks[i].second);
    out += "],\"indexes\":[";
    for (std::size_t i = 0; i < t.indexes.size(); ++i)
      out += fmt::format("{}{{\"name\":\"{}\",\"columns\":{},\"unique\":{}}}", i ? "," : "", t.indexes[i].name,
                         list(t.indexes[i].columns), t.indexes[i].unique);
    out += "]}";
  }
  return out + "]\n";
}

/// A difference as the benchmark compares them across tools: "add_column t0001.extra",
/// "modify_type t0021.code", "index t0041.ix_t0041_name" (any change to an index),
/// "add_fk t0050.qty", "add_table t_new", ...
std::string canonical(const retort::core::SchemaDifference& d) {
  using retort::core::SchemaChange;
  using retort::core::SchemaObject;
  const char* verb = d.change == SchemaChange::Missing ? "add" : d.change == SchemaChange::Extra ? "remove" : "modify";
  switch (d.object) {
    case SchemaObject::Table: return fmt::format("{}_table {}", verb, d.table);
    case SchemaObject::Column:
      if (d.change == SchemaChange::Changed) return fmt::format("modify_{} {}.{}", d.attribute, d.table, d.name);
      return fmt::format("{}_column {}.{}", verb, d.table, d.name);
    case SchemaObject::Index: return fmt::format("index {}.{}", d.table, d.name);
    case SchemaObject::ForeignKey: {
      std::string columns = d.name.substr(1, d.name.find(')') - 1);  // "(qty) -> t0048(id)"
      return fmt::format("{}_fk {}.{}", verb, d.table, columns);
    }
    default: return fmt::format("{} {} {}.{}", verb, static_cast<int>(d.object), d.table, d.name);
  }
}

void print_set_difference(const char* label, const std::set<std::string>& a, const std::set<std::string>& b) {
  std::vector<std::string> only;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(only));
  for (const auto& s : only) std::printf("  %s: %s\n", label, s.c_str());
}

struct AlembicRun {
  bool ran = false;
  double median = 0;
  std::set<std::string> differences;
};

/// bench/autogen_alembic.py on `url` with the declared description in `spec_file`.
AlembicRun alembic_autogenerate(const std::string& url, const fs::path& spec_file, int rounds) {
  fs::path script = fs::path(RETORT_BENCH_SOURCE_DIR) / "autogen_alembic.py";
  std::string out = retort::bench::run("/usr/bin/python3 " + shell_quote(script.string()) + " " + shell_quote(url) +
                                       " " + shell_quote(spec_file.string()) + " " + std::to_string(rounds) + " 2>&1");
  AlembicRun r;
  std::istringstream lines(out);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("difference ", 0) == 0) {
      r.differences.insert(line.substr(11));
    } else {
      std::printf("%s\n", line.c_str());
      if (line.rfind("median ", 0) == 0) {
        r.ran = true;
        r.median = std::strtod(line.c_str() + 7, nullptr);
      }
    }
  }
  return r;
}

/// Creates the database's schema through `engine`, then times ours against reflection alone and
/// against Alembic. False when ours did not find exactly the changes made.
bool measure(const std::string& label, const retort::Engine& engine, const std::string& sqlalchemy_url, int tables,
             int rounds) {
  std::printf("== %s: creating %d tables\n", label.c_str(), tables);
  std::fflush(stdout);
  {
    retort::MetaData m;
    add_to(m, database_schema(tables));
    std::printf("created in %.2f s\n", seconds_of([&] { m.create_all(engine); }));
  }
  std::set<std::string> expected;
  SchemaSpec declared_spec = declared_schema(tables, expected);
  retort::MetaData declared;
  add_to(declared, declared_spec);

  std::vector<double> ours, reflection, comparison, rendering;
  autogen::MigrationPlan plan;
  std::size_t rendered = 0;
  for (int i = 0; i <= rounds; ++i) {  // round 0 warms up
    double c = 0, w = 0;
    double a = seconds_of([&] {
      auto conn = engine.connect();
      auto reflected = autogen::reflect_database(conn, {});
      c = seconds_of([&] { plan = autogen::compare(declared, reflected, engine.dialect()); });
      w = seconds_of([&] {
        auto bodies = autogen::render_cpp_bodies(plan);
        rendered = bodies.upgrade.size() + bodies.downgrade.size();
      });
    });
    double r = seconds_of([&] {
      auto conn = engine.connect();
      retort::Inspector inspector(conn);
      (void)inspector.reflect();
    });
    if (i > 0) {
      ours.push_back(a);
      reflection.push_back(r);
      comparison.push_back(c);
      rendering.push_back(w);
      std::printf("round %d: autogenerate=%.6f (compare %.6f, render %.6f) reflection=%.6f\n", i, a, c, w, r);
      std::fflush(stdout);
    }
  }
  std::set<std::string> found;
  for (const auto& d : plan.differences) found.insert(canonical(d));
  std::printf(
      "%s: %zu changes made, %zu differences found, %zu ops, %zu characters of C++ rendered; medians: compare %.6f s, "
      "render %.6f s\n",
      label.c_str(), expected.size(), found.size(), plan.ops.size(), rendered, median(comparison), median(rendering));
  bool exact = found == expected;
  if (!exact) {
    std::printf("%s: retort's differences are not the changes made:\n", label.c_str());
    print_set_difference("missed", expected, found);
    print_set_difference("not made", found, expected);
  }

  fs::path spec_file = fs::temp_directory_path() / fmt::format("retort_autogen_1000_{}.json", label);
  std::ofstream(spec_file) << json_of(declared_spec);
  AlembicRun alembic = alembic_autogenerate(sqlalchemy_url, spec_file, rounds);
  fs::remove(spec_file);
  if (alembic.ran) {
    if (alembic.differences == expected) {
      std::printf("%s: Alembic found the same %zu differences\n", label.c_str(), expected.size());
    } else {
      std::printf("%s: Alembic's differences are not the changes made:\n", label.c_str());
      print_set_difference("missed", expected, alembic.differences);
      print_set_difference("not made", alembic.differences, expected);
    }
  } else {
    std::printf("%s: Alembic did not run (apt-get install alembic python3-sqlalchemy)\n", label.c_str());
  }

  double o = median(ours), r = median(reflection);
  std::printf("RESULT name=autogen_1000_%s_reflection ours=%.6f peer=%.6f ratio=%.3f\n", label.c_str(), o, r, o / r);
  if (alembic.ran)
    std::printf("RESULT name=autogen_1000_%s_alembic ours=%.6f peer=%.6f ratio=%.3f\n", label.c_str(), o,
                alembic.median, o / alembic.median);
  std::fflush(stdout);
  return exact;
}

}  // namespace

int main() {
  const int tables = env_int("RETORT_BENCH_TABLES", 1000);
  const int rounds = env_int("RETORT_BENCH_ROUNDS", 3);
  bool exact = true;
  {
    fs::path dir = fs::temp_directory_path() / "retort_autogen_1000";
    fs::remove_all(dir);
    fs::create_directories(dir);
    fs::path file = dir / "bench.db";
    auto engine = retort::create_engine("sqlite:///" + file.string());
    exact &= measure("sqlite", engine, "sqlite:///" + file.string(), tables, rounds);
    engine.dispose();
    fs::remove_all(dir);
  }
  for (const char* variable : {"RETORT_TEST_POSTGRESQL_URL", "RETORT_TEST_MYSQL_URL"}) {
    const char* server = std::getenv(variable);
    if (!(server && *server)) {
      std::printf("%s is not set: that server skipped (bench/run starts the servers)\n", variable);
      continue;
    }
    auto url = retort::bench::fresh_database(retort::URL::parse(server), kDatabase);
    auto engine = retort::create_engine(url);
    exact &= measure(url.dialect() == "postgresql" ? "postgresql" : "mysql", engine, retort::bench::sqlalchemy_url(url),
                     tables, rounds);
    engine.dispose();
  }
  if (!exact) {
    std::fprintf(stderr, "autogen_1000: retort did not find exactly the changes made (listed above)\n");
    return 1;
  }
  return 0;
}
