// Autogenerate's convergence on generated schema pairs, on every backend: for each seed, a random
// schema A (tables with columns of many types, an enum type, defaults, comments, keys, foreign
// keys, unique and check constraints, indexes, computed columns) and a random change of it, B. The database made from
// A, migrated by the plan comparing it with B, must compare equal to B; the reversed plan must bring back A. The same
// through the revision file autogenerate writes (SQL for every pair, C++ for the first RETORT_CONVERGENCE_CPP_PAIRS,
// default 2), run by the runner up and down. RETORT_CONVERGENCE_PAIRS sets the number of pairs per backend (default 25;
// the full run is 200).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>

#include <unistd.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <retort/migrate/autogenerate/autogenerate.hpp>
#include <retort/migrate/autogenerate/compare.hpp>
#include <retort/migrate/autogenerate/declared_schema.hpp>
#include <retort/migrate/ops/operations.hpp>
#include <retort/migrate/runtime/migration_context.hpp>
#include <retort/retort.hpp>

#include "support/autogenerate_plans.hpp"
#include "support/backend.hpp"
#include "support/each_backend.hpp"

namespace {

using retort::testing::BackendDatabase;
namespace migrate = retort::migrate;
namespace autogenerate = retort::migrate::autogenerate;
namespace ops = retort::migrate::ops;

// ---- a schema as plain data, easy to change at random ------------------------------------------

enum class Kind { Integer, BigInteger, String, Text, Numeric, Boolean, Date, DateTime, Double, Enum };

struct ColumnSpec {
  std::string name;
  Kind kind = Kind::Integer;
  int length = 20;  // String
  bool nullable = true;
  bool has_default = false;
  std::optional<std::string> comment;
  std::vector<std::string> enum_values{};  // Enum: the schema's one enum type, "status"
  std::optional<int> computed{};           // Integer or BigInteger: GENERATED ALWAYS AS (k * 2) STORED
};

struct ForeignKeySpec {
  std::string column, parent, name;  // name empty: unnamed
};

struct TableSpec {
  std::string name;
  std::vector<ColumnSpec> columns;  // after "id", the primary key
  std::vector<ForeignKeySpec> foreign_keys;
  std::vector<std::string> unique_columns;
  std::vector<std::pair<std::string, int>> checks;  // column >= bound
  std::vector<std::vector<std::string>> indexes;
  std::optional<std::string> comment;
};

using SchemaSpec = std::vector<TableSpec>;

bool indexable(Kind k) { return k != Kind::Text; }  // MySQL indexes TEXT only by a prefix

retort::SqlType type_of(const ColumnSpec& c) {
  switch (c.kind) {
    case Kind::Integer: return retort::Integer{};
    case Kind::BigInteger: return retort::BigInteger{};
    case Kind::String: return retort::String{c.length};
    case Kind::Text: return retort::Text{};
    case Kind::Numeric: return retort::Numeric{10, 2};
    case Kind::Boolean: return retort::Boolean{};
    case Kind::Date: return retort::Date{};
    case Kind::DateTime: return retort::DateTime{};
    case Kind::Double: return retort::Double{};
    case Kind::Enum: return retort::Enum{c.enum_values, "status"};
  }
  return retort::Integer{};
}

bool can_default(Kind k) {
  return k == Kind::Integer || k == Kind::BigInteger || k == Kind::String || k == Kind::Numeric;
}

retort::Column column_of(const ColumnSpec& c) {
  retort::Column out(c.name, type_of(c));
  out.nullable(c.nullable || c.computed);  // MariaDB has no NOT NULL generated columns
  // A constant: MySQL refuses a generation expression naming the AUTO_INCREMENT id.
  if (c.computed) out.computed(retort::Computed{fmt::format("{} * 2", *c.computed), true});
  if (c.has_default && can_default(c.kind) && !c.computed) {
    if (c.kind == Kind::String)
      out.server_default("dflt");
    else
      out.server_default(7);
  }
  if (c.comment) out.comment(*c.comment);
  return out;
}

std::shared_ptr<retort::MetaData> metadata_of(const SchemaSpec& schema, bool comments) {
  auto md = std::make_shared<retort::MetaData>();
  for (const auto& t : schema) {
    std::vector<retort::TableElement> parts;
    parts.emplace_back(retort::Column("id", retort::Integer{}).primary_key());
    for (auto c : t.columns) {
      if (!comments) c.comment.reset();
      parts.emplace_back(column_of(c));
    }
    for (const auto& fk : t.foreign_keys) {
      retort::ForeignKeyConstraint k;
      k.columns = {fk.column};
      k.referred_table = fk.parent;
      k.referred_columns = {"id"};
      k.name = fk.name;
      parts.emplace_back(k);
    }
    for (const auto& u : t.unique_columns) parts.emplace_back(retort::UniqueConstraint{{u}, "uq_" + t.name + "_" + u});
    for (const auto& [col, bound] : t.checks)
      parts.emplace_back(retort::CheckConstraint{fmt::format("{} >= {}", col, bound), "ck_" + t.name + "_" + col});
    for (std::size_t i = 0; i < t.indexes.size(); ++i)
      parts.emplace_back(retort::Index(fmt::format("ix_{}_{}", t.name, fmt::join(t.indexes[i], "_")), t.indexes[i]));
    if (comments && t.comment) parts.emplace_back(retort::TableOptions{.comment = t.comment});
    md->add_table(t.name, std::move(parts));
  }
  return md;
}

// ---- generation and change ----------------------------------------------------------------------

class Generator {
 public:
  explicit Generator(unsigned seed) : rng_(seed) {}

  bool chance(double p) { return std::uniform_real_distribution<>(0, 1)(rng_) < p; }
  int pick(int n) { return std::uniform_int_distribution<>(0, n - 1)(rng_); }

  ColumnSpec column() {
    ColumnSpec c;
    c.name = fmt::format("c{}", next_++);
    c.kind = static_cast<Kind>(pick(10));
    c.enum_values = enum_values_;
    c.length = 10 + 10 * pick(5);
    c.nullable = chance(0.7);
    c.has_default = chance(0.3);
    if (chance(0.2)) c.comment = fmt::format("note {}", next_);
    if ((c.kind == Kind::Integer || c.kind == Kind::BigInteger) && chance(0.3)) c.computed = 1 + pick(9);
    return c;
  }

  TableSpec table(const SchemaSpec& others) {
    TableSpec t;
    t.name = fmt::format("t{}", next_++);
    int n = 1 + pick(5);
    for (int i = 0; i < n; ++i) t.columns.push_back(column());
    if (!others.empty() && chance(0.6)) add_foreign_key(t, others);
    for (int i = 0; i < 2; ++i) maybe_constrain(t);
    if (chance(0.2)) t.comment = "table " + t.name;
    return t;
  }

  void add_foreign_key(TableSpec& t, const SchemaSpec& others) {
    const auto& parent = others[pick(static_cast<int>(others.size()))];
    if (parent.name == t.name) return;
    ColumnSpec c;
    c.name = fmt::format("{}_id", parent.name);
    for (const auto& existing : t.columns)
      if (existing.name == c.name) return;
    c.kind = Kind::Integer;
    t.columns.push_back(c);
    t.foreign_keys.push_back({c.name, parent.name, chance(0.5) ? fmt::format("fk_{}_{}", t.name, c.name) : ""});
  }

  /// A unique constraint, a check or an index on a column that can have one.
  void maybe_constrain(TableSpec& t) {
    if (t.columns.empty()) return;
    const auto& c = t.columns[pick(static_cast<int>(t.columns.size()))];
    int what = pick(3);
    if (what == 0 && indexable(c.kind) && c.kind != Kind::Boolean && !has(t.unique_columns, c.name))
      t.unique_columns.push_back(c.name);
    else if (what == 1 && (c.kind == Kind::Integer || c.kind == Kind::BigInteger) && !c.computed &&
             !has_check(t, c.name))
      t.checks.push_back({c.name, -pick(10)});
    // Not on a foreign key's column: InnoDB then drops the index it made for the key, and the
    // downgrade's DROP INDEX is refused (error 1553), a known MySQL limit that retort does not
    // work around yet.
    else if (what == 2 && indexable(c.kind) && !has_index(t, {c.name}) &&
             std::none_of(t.foreign_keys.begin(), t.foreign_keys.end(),
                          [&](const ForeignKeySpec& f) { return f.column == c.name; }))
      t.indexes.push_back({c.name});
  }

  SchemaSpec schema() {
    SchemaSpec s;
    int n = 2 + pick(3);
    for (int i = 0; i < n; ++i) s.push_back(table(s));
    return s;
  }

  /// B: A with tables added and dropped, columns added, dropped and changed, constraints and
  /// indexes added and dropped, comments changed.
  SchemaSpec change(SchemaSpec s) {
    // The enum type's values: one added, the first removed, or their order reversed.
    if (chance(0.3)) {
      int how = pick(3);
      if (how == 0) enum_values_.push_back(fmt::format("v{}", next_++));
      if (how == 1 && enum_values_.size() > 1) enum_values_.erase(enum_values_.begin());
      if (how == 2) std::reverse(enum_values_.begin(), enum_values_.end());
      for (auto& t : s)
        for (auto& c : t.columns)
          if (c.kind == Kind::Enum) c.enum_values = enum_values_;
    }
    if (s.size() > 1 && chance(0.3)) drop_table(s, pick(static_cast<int>(s.size())));
    if (chance(0.4)) s.push_back(table(s));
    for (auto& t : s) {
      if (chance(0.35)) t.columns.push_back(column());
      if (!t.columns.empty() && chance(0.25)) drop_column(t, pick(static_cast<int>(t.columns.size())));
      for (auto& c : t.columns) {
        if (chance(0.15)) c.nullable = !c.nullable;
        if (chance(0.15)) c.has_default = !c.has_default;
        if (c.kind == Kind::String && chance(0.2) && !used_by_index(t, c.name)) c.length += 10;
        if (c.kind == Kind::Integer && chance(0.1) && !used_by_key(t, c.name)) c.kind = Kind::BigInteger;
        if (chance(0.1)) c.comment = c.comment ? std::nullopt : std::optional<std::string>("changed");
        // A computed column's expression changes, or it stops or starts being computed.
        bool foreign_key = std::any_of(t.foreign_keys.begin(), t.foreign_keys.end(),
                                       [&](const ForeignKeySpec& f) { return f.column == c.name; });
        if ((c.kind == Kind::Integer || c.kind == Kind::BigInteger) && !foreign_key && !has_check(t, c.name) &&
            chance(0.15))
          c.computed = c.computed && chance(0.5) ? std::nullopt : std::optional<int>(10 + pick(9));
      }
      if (chance(0.3)) maybe_constrain(t);
      if (!t.indexes.empty() && chance(0.2)) t.indexes.erase(t.indexes.begin());
      if (!t.unique_columns.empty() && chance(0.2)) t.unique_columns.erase(t.unique_columns.begin());
      if (!t.checks.empty() && chance(0.2)) t.checks.front().second -= 5;
      if (!t.foreign_keys.empty() && chance(0.15)) t.foreign_keys.erase(t.foreign_keys.begin());
      if (chance(0.15)) t.comment = t.comment ? std::nullopt : std::optional<std::string>("now " + t.name);
    }
    return s;
  }

 private:
  static bool has(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
  }
  static bool has_check(const TableSpec& t, const std::string& c) {
    return std::any_of(t.checks.begin(), t.checks.end(), [&](const auto& k) { return k.first == c; });
  }
  static bool has_index(const TableSpec& t, const std::vector<std::string>& cols) {
    return std::find(t.indexes.begin(), t.indexes.end(), cols) != t.indexes.end();
  }
  static bool used_by_index(const TableSpec& t, const std::string& c) {
    return has(t.unique_columns, c) ||
           std::any_of(t.indexes.begin(), t.indexes.end(), [&](const auto& ix) { return has(ix, c); });
  }
  static bool used_by_key(const TableSpec& t, const std::string& c) {
    return used_by_index(t, c) || has_check(t, c) ||
           std::any_of(t.foreign_keys.begin(), t.foreign_keys.end(), [&](const auto& f) { return f.column == c; });
  }
  static void drop_column(TableSpec& t, int i) {
    std::string name = t.columns[i].name;
    t.columns.erase(t.columns.begin() + i);
    std::erase_if(t.foreign_keys, [&](const auto& f) { return f.column == name; });
    std::erase(t.unique_columns, name);
    std::erase_if(t.checks, [&](const auto& k) { return k.first == name; });
    std::erase_if(t.indexes, [&](const auto& ix) { return has(ix, name); });
  }
  static void drop_table(SchemaSpec& s, int i) {
    std::string name = s[i].name;
    s.erase(s.begin() + i);
    for (auto& t : s) std::erase_if(t.foreign_keys, [&](const auto& f) { return f.parent == name; });
  }

  std::mt19937 rng_;
  int next_ = 0;
  std::vector<std::string> enum_values_{"new", "open", "done"};
};

// ---- the check ----------------------------------------------------------------------------------

using retort::testing::listed;
using retort::testing::plan_for;
using retort::testing::run_ops;

std::string rendered(const std::vector<ops::Operation>& list) {
  std::vector<std::string> lines;
  for (const auto& o : list) lines.push_back(ops::render_cpp(o));
  return fmt::format("{}", fmt::join(lines, "\n"));
}

void drop_everything(BackendDatabase& db) {
  auto conn = db.engine().connect();
  auto md = autogenerate::metadata_of(autogenerate::reflect_database(conn, {}));
  md->drop_all(db.engine());
}

/// A project of its own for `db`: revisions written by autogenerate, run by the runner.
class RevisionProject {
 public:
  explicit RevisionProject(BackendDatabase& db) {
    static int counter = 0;
    dir_ = std::filesystem::temp_directory_path() /
           fmt::format("retort-convergence-{}-{}", static_cast<long>(::getpid()), counter++);
    std::filesystem::remove_all(dir_);
    migrate::init(dir_);
    config_ = migrate::Config::load(dir_ / "retort.toml");
    config_.url = db.engine().url().render_with_password();
  }
  ~RevisionProject() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  /// `start` made in the database, then the revision autogenerate writes in `format` for
  /// `target`, upgraded to and downgraded from by the runner: each must compare equal after.
  void converges(BackendDatabase& db, const std::shared_ptr<const retort::MetaData>& start,
                 const std::shared_ptr<const retort::MetaData>& target, const std::string& format) {
    drop_everything(db);
    start->create_all(db.engine());
    for (const auto& f : std::filesystem::directory_iterator(dir_ / "migrations" / "versions"))
      std::filesystem::remove_all(f.path());
    config_.revision_format = format;
    autogenerate::DeclaredSchema declared{.metadata = target};
    migrate::RevisionOptions options;
    options.message = "pair";
    auto written = autogenerate::revision(config_, options, declared);
    REQUIRE(written.file);
    std::ifstream in(*written.file);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    INFO(format << " revision:\n" << text);
    REQUIRE_NOTHROW(migrate::upgrade(config_, "head"));
    auto after = autogenerate::plan(config_, declared);
    INFO("left after the revision's upgrade:\n" << listed(after));
    REQUIRE(after.empty());
    REQUIRE_NOTHROW(migrate::downgrade(config_, "base"));
    auto back = autogenerate::plan(config_, {.metadata = start}, {}, false);
    INFO("left after its downgrade:\n" << listed(back));
    REQUIRE(back.empty());
  }

 private:
  std::filesystem::path dir_;
  migrate::Config config_;
};

void generated_pairs_converge(BackendDatabase& db) {
  int pairs = 25;
  if (const char* n = std::getenv("RETORT_CONVERGENCE_PAIRS")) pairs = std::atoi(n);
  // Pairs that also go through a C++ revision (each is compiled: seconds apiece).
  int cpp_pairs = 2;
  if (const char* n = std::getenv("RETORT_CONVERGENCE_CPP_PAIRS")) cpp_pairs = std::atoi(n);
  bool comments = db.features().supports_comments;
  RevisionProject project(db);
  for (int seed = 0; seed < pairs; ++seed) {
    Generator g(static_cast<unsigned>(seed));
    auto a = g.schema();
    auto b = g.change(a);
    auto start = metadata_of(a, comments);
    auto target = metadata_of(b, comments);
    INFO("seed " << seed);
    drop_everything(db);
    start->create_all(db.engine());
    auto plan = plan_for(db, *target);
    INFO("differences:\n" << listed(plan) << "\nops:\n" << rendered(plan.ops));
    REQUIRE_NOTHROW(run_ops(db, plan.ops));
    auto after = plan_for(db, *target);
    INFO("left after the upgrade:\n" << listed(after));
    REQUIRE(after.empty());
    std::vector<ops::Operation> back;
    for (auto it = plan.ops.rbegin(); it != plan.ops.rend(); ++it) back.push_back(ops::reverse(*it));
    INFO("downgrade:\n" << rendered(back));
    REQUIRE_NOTHROW(run_ops(db, back));
    auto again = plan_for(db, *start);
    INFO("left after the downgrade:\n" << listed(again));
    REQUIRE(again.empty());
    // The same through the revision a user gets: SQL statements, and C++ op calls (none is
    // written where nothing differs, as for a comment on SQLite).
    if (plan.empty()) continue;
    project.converges(db, start, target, "sql");
    if (seed < cpp_pairs) project.converges(db, start, target, "cpp");
  }
}

RETORT_BACKEND_TEST("autogenerate: generated schema pairs converge up and back down", generated_pairs_converge)

}  // namespace
