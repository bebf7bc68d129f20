// Keeping the version rows right as steps run: Alembic's HeadMaintainer. A row names a head;
// a dependency is implied by the row of the revision that depends on it, a merge collapses its
// parents' rows into one, an unmerge splits it again. Each step becomes the INSERT, DELETE or
// UPDATEs that Alembic would write, so either tool can continue from the other's rows.
#pragma once

#include <set>
#include <string>
#include <vector>

#include <retort/migrate/revision_map.hpp>

namespace retort::migrate {

/// One version-table statement.
struct VersionChange {
  enum class Kind { Insert, Delete, Update };
  Kind kind = Kind::Insert;
  std::string from{};  // Delete, Update: the row changed
  std::string to{};    // Insert, Update: the row written
  bool operator==(const VersionChange&) const = default;
};

class HeadMaintainer {
 public:
  HeadMaintainer(const RevisionMap& map, const Ids& heads);

  /// The statements that record `step` (and the new heads). Throws RevisionError where the rows
  /// do not fit the step (a row to update or delete that is not there).
  std::vector<VersionChange> update_to_step(const MigrationStep& step);
  std::vector<VersionChange> update_to_step(const StampStep& step);

  /// The rows after the steps so far.
  const std::set<std::string>& heads() const noexcept { return heads_; }

 private:
  VersionChange insert(const std::string& version);
  VersionChange remove(const std::string& version);
  VersionChange update(const std::string& from, const std::string& to);
  /// The down revisions of `revision` that no other head already implies (unmerge targets).
  Ids unmerge_to_revisions(const std::string& revision) const;

  const RevisionMap& map_;
  std::set<std::string> heads_;
};

}  // namespace retort::migrate
