// Statement-level progress of a revision that runs without a transaction around it (MySQL and
// MariaDB, whose DDL commits at once, and `transactional false` revisions): after each statement
// the number run so far and a checksum of those statements' text, so that a rerun after a failure
// at statement 3 of 5 resumes at statement 3 instead of failing on statement 1 (`<version
// table>_progress`, one row per revision and direction while it is part-way).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <retort/core/sql/dml.hpp>
#include <retort/migrate/bookkeeping_table.hpp>
#include <retort/migrate/revision_progress.hpp>

namespace retort::migrate {

class ProgressTable : public BookkeepingTable {
 public:
  ProgressTable(const std::string& version_table, std::optional<std::string> schema);

  core::Insert insert(const RevisionProgress& progress) const;
  /// Removes the rows of `revision` (both directions).
  core::Delete remove(const std::string& revision) const;
  /// Every revision stopped part-way (empty when the table does not exist).
  std::vector<RevisionProgress> read(core::Connection& conn) const;
};

}  // namespace retort::migrate
