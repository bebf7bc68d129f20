// Autogenerate's comparison: the declared schema (a MetaData) against the database's (reflected),
// turned into the ops that make the database match, in an order that runs: new tables first
// (parents before children, foreign keys that close a cycle added after), then each existing
// table's changes (its foreign keys and indexes that go dropped first, columns added, changed
// and dropped, keys and indexes made), then dropped tables (children first). On a database whose
// ALTER cannot change constraints or columns (SQLite), each existing table's changes form one
// batch_alter_table. The differences come from core's schema_differences, so a database
// migrated by the plan compares equal to the declaration under the same rules.
#pragma once

#include <string>
#include <vector>

#include <retort/core/dialect.hpp>
#include <retort/core/reflection/reflected.hpp>
#include <retort/core/reflection/schema_difference.hpp>
#include <retort/core/schema/metadata.hpp>
#include <retort/migrate/ops/operation.hpp>

namespace retort::migrate::autogenerate {

struct CompareOptions {
  /// Tables left out on both sides (the version, history and progress tables).
  std::vector<std::string> ignored_tables{};
};

/// What autogenerate found and what it will write.
struct MigrationPlan {
  std::vector<core::SchemaDifference> differences;  // everything found, as sentences via describe()
  std::vector<ops::Operation> ops;                  // the upgrade, in order
  /// One line per op that loses data or may fail on existing rows, and per difference no op can
  /// make: what the revision's author should read before running it.
  std::vector<std::string> warnings;
  bool empty() const noexcept { return differences.empty(); }
};

/// Compares `declared` with `reflected` (one schema of the database) for `dialect`.
MigrationPlan compare(const core::MetaData& declared, const core::ReflectedSchema& reflected,
                      const core::Dialect& dialect, const CompareOptions& options = {});

}  // namespace retort::migrate::autogenerate
