// Helpers of the autogenerate tests: a plan for a test database, its ops run on it, and its
// differences as text for a failure message.
#pragma once

#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <retort/migrate/autogenerate/autogenerate.hpp>
#include <retort/migrate/autogenerate/compare.hpp>
#include <retort/migrate/autogenerate/declared_schema.hpp>
#include <retort/migrate/ops/operations.hpp>
#include <retort/migrate/runtime/migration_context.hpp>
#include <retort/retort.hpp>

#include "support/backend.hpp"

namespace retort::testing {

/// Runs `list` on a live context. SQLite's foreign keys are off for it, as the runner turns them
/// off for a batch that recreates a referenced table.
inline void run_ops(BackendDatabase& db, const std::vector<migrate::ops::Operation>& list) {
  auto conn = db.engine().connect();
  if (db.engine().dialect().name() == "sqlite") conn.exec_driver_sql("PRAGMA foreign_keys = OFF");
  migrate::MigrationContext context(conn, {});
  migrate::Operations op(context);
  auto tx = conn.begin();
  for (const auto& o : list) op.run(o);
  tx.commit();
}

/// The plan that makes the test database match `declared`.
inline migrate::autogenerate::MigrationPlan plan_for(BackendDatabase& db, const core::MetaData& declared) {
  auto conn = db.engine().connect();
  return migrate::autogenerate::compare(declared, migrate::autogenerate::reflect_database(conn, {}),
                                        db.engine().dialect());
}

/// The plan's differences, one sentence a line.
inline std::string listed(const migrate::autogenerate::MigrationPlan& plan) {
  std::vector<std::string> lines;
  for (const auto& d : plan.differences) lines.push_back(core::describe(d));
  return fmt::format("{}", fmt::join(lines, "\n"));
}

}  // namespace retort::testing
