// The history table beside the version table (`<version_table>_history`): one row per revision
// applied, removed, stamped or accepted as it is, with the checksum of its file, when, how long
// and by whom. The version table stays Alembic's; this table is retort's own, and Alembic
// ignores it. `retort verify` compares its checksums with the files.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include <retort/core/sql/dml.hpp>
#include <retort/migrate/bookkeeping_table.hpp>

namespace retort::migrate {

struct HistoryEntry {
  std::string revision{};
  std::string action{};  // upgrade, downgrade, stamp, baseline (verify --record-missing)
  std::string checksum{};
  std::int64_t duration_ms = 0;
};

/// The latest entry of each revision, as read back.
struct RecordedRevision {
  std::string action{};
  std::string checksum{};
  std::string applied_at{};
};

class HistoryTable : public BookkeepingTable {
 public:
  HistoryTable(const std::string& version_table, std::optional<std::string> schema);

  /// The row for `entry`, stamped with the time (UTC, microseconds, so rows sort in order), the
  /// user and retort's version.
  core::Insert insert(const HistoryEntry& entry) const;
  /// The latest entry per revision (empty when the table does not exist).
  std::map<std::string, RecordedRevision> read_latest(core::Connection& conn) const;
};

}  // namespace retort::migrate
