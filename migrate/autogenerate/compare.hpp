// Autogenerate's comparison: the declared schema (a MetaData) against the database's (reflected),
// turned into the ops that make the database match, in an order that runs: new tables first
// (parents before children, foreign keys that close a cycle added after), then each existing
// table's changes (its foreign keys and indexes that go dropped first, columns added, changed
// and dropped, keys and indexes made), then dropped tables (children first). On a database whose
// ALTER cannot change constraints or columns (SQLite), each existing table's changes form one
// batch_alter_table. The differences come from core's schema_differences, so a database
// migrated by the plan compares equal to the declaration under the same rules.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <retort/core/dialect.hpp>
#include <retort/core/reflection/reflected.hpp>
#include <retort/core/reflection/schema_difference.hpp>
#include <retort/core/schema/metadata.hpp>
#include <retort/migrate/ops/operation.hpp>

namespace retort::migrate::autogenerate {

/// A rename the comparison is told of (--rename OLD:NEW, --rename TABLE.OLD:NEW): the database's
/// table or column `from` is the declared `to`, so its data is kept.
struct Rename {
  std::string table{};   // the table as the database names it
  std::string column{};  // empty: the table itself is renamed
  std::string to{};
};

/// One object that differs, as the include_object callback sees it (Alembic's include_object
/// arguments): what it is, its table, its name, and whether the database has it.
struct ObjectRef {
  core::SchemaObject object = core::SchemaObject::Table;
  std::string table{};       // the table's full name; empty for an enum type or a view
  std::string name{};        // the object's name (for a table, the table's; for a key, its columns)
  bool in_database = false;  // reflected: in the database (changed or not declared)
};

/// Decides, for library users, which differences count: false leaves the object out (for a
/// table, everything in it).
using IncludeObject = std::function<bool(const ObjectRef&)>;

struct CompareOptions {
  /// Tables left out on both sides (the version, history and progress tables).
  std::vector<std::string> ignored_tables{};
  /// Table-name globs (fnmatch): only tables matching `include` (when given) and none of
  /// `exclude` are compared, on both sides.
  std::vector<std::string> include{};
  std::vector<std::string> exclude{};
  std::vector<Rename> renames{};
  /// Asked after the globs, first about each table, then about each object that differs in it.
  IncludeObject include_object{};
};

/// What autogenerate found and what it will write.
struct MigrationPlan {
  std::vector<core::SchemaDifference> differences{};  // everything found, as sentences via describe()
  std::vector<ops::Operation> ops{};                  // the upgrade, in order
  /// One line per op that loses data or may fail on existing rows, and per difference no op can
  /// make: what the revision's author should read before running it.
  std::vector<std::string> warnings{};
  /// A column dropped and one of the same type added in one table, or a table dropped and one
  /// with the same columns added: likely renames, which the plan would write as a drop and an
  /// add (losing the data). One line each, naming the --rename that keeps the data.
  std::vector<std::string> likely_renames{};
  bool empty() const noexcept { return differences.empty() && renamed == 0; }
  std::size_t renamed = 0;  // rename ops at the start of `ops`
};

/// Compares `declared` with `reflected` (one schema of the database) for `dialect`.
MigrationPlan compare(const core::MetaData& declared, const core::ReflectedSchema& reflected,
                      const core::Dialect& dialect, const CompareOptions& options = {});

}  // namespace retort::migrate::autogenerate
