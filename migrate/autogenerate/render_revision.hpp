// A migration plan as the bodies of a revision file: C++ op calls (as Alembic renders Python) or
// the dialect's SQL statements; the downgrade is each op's reverse, last op first. What cannot be
// reversed, and every warning of the plan, becomes a comment where the author reads it.
#pragma once

#include <string>

#include <retort/core/dialect.hpp>
#include <retort/migrate/autogenerate/compare.hpp>

namespace retort::migrate::autogenerate {

struct RevisionBodies {
  std::string upgrade{};
  std::string downgrade{};
};

/// The bodies of RETORT_UPGRADE and RETORT_DOWNGRADE, each line after the first indented by two
/// spaces (the revision template indents the first).
RevisionBodies render_cpp_bodies(const MigrationPlan& plan);
/// The upgrade and downgrade sections of a SQL revision for `dialect`: the statements the ops
/// become offline (a batch on SQLite included: its table comes with it).
RevisionBodies render_sql_bodies(const MigrationPlan& plan, const core::Dialect& dialect);

}  // namespace retort::migrate::autogenerate
