// The SQL of Alembic revisions, from Alembic's own offline mode: `alembic upgrade heads --sql`
// and `alembic downgrade heads:base --sql` run once each, their output split at the
// `-- Running upgrade A -> REV` / `-- Running downgrade REV -> A` lines, and Alembic's
// bookkeeping (the version table's statements, BEGIN and COMMIT) removed. A revision that the
// whole run cannot render is retried alone (`DOWN:REV`); one that still fails (it needs a live
// connection) comes back with the error instead of SQL.
#pragma once

#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <retort/migrate/importers/alembic_config.hpp>
#include <retort/migrate/script/revision.hpp>

namespace retort::migrate {

struct AlembicOfflineOptions {
  /// The dialect Alembic renders for (sqlite, postgresql, mysql, ...) instead of the one of
  /// sqlalchemy.url: Alembic then runs on a copy of the ini with `sqlalchemy.url = DIALECT://`.
  std::optional<std::string> dialect{};
  std::string version_table = "alembic_version";  // as env.py configures it
  std::ostream* log = nullptr;                    // a line per Alembic run
};

/// One direction (upgrade or downgrade) of one revision.
struct OfflineRevisionSql {
  std::vector<std::string> statements{};  // verbatim, each ending with ';'
  bool transactional = true;              // false: Alembic commits inside it (an autocommit block)
  std::optional<std::string> error{};     // set when Alembic could not render it: its error line
  std::string partial_output{};           // then: what Alembic printed for it before failing
};

struct AlembicOfflineSql {
  std::map<std::string, OfflineRevisionSql> upgrades{};  // by revision id
  std::map<std::string, OfflineRevisionSql> downgrades{};
  int alembic_runs = 0;
};

/// Renders both directions of every revision in `revisions` (the Alembic project's, read by
/// read_alembic_revisions). Throws CommandError when Alembic cannot run at all (not installed,
/// a broken env.py or ini: it fails before its first revision), naming the command and its error.
AlembicOfflineSql render_alembic_offline_sql(const AlembicConfig& config, const std::vector<Revision>& revisions,
                                             const AlembicOfflineOptions& options);

/// The part of Alembic's `--sql` output that belongs to one revision.
struct OfflineSection {
  std::string revision{};
  std::string text{};     // the lines after its `-- Running` line, up to the next one
  bool complete = false;  // false for the last section of a run that failed: it stops mid-way
};
/// Splits `output` at its `-- Running upgrade` (or `downgrade`) lines; what precedes the first
/// is dropped (the version table's CREATE TABLE, BEGIN).
std::vector<OfflineSection> split_offline_output(const std::string& output, bool upgrade, bool run_succeeded);

/// A section's statements without Alembic's bookkeeping: statements on `version_table`
/// (CREATE TABLE, INSERT INTO, UPDATE, DELETE FROM, DROP TABLE; any schema, any quoting) and
/// BEGIN/COMMIT. `backslash_escapes` for splitting MySQL's strings.
OfflineRevisionSql clean_offline_section(const std::string& text, const std::string& version_table,
                                         bool backslash_escapes);

}  // namespace retort::migrate
