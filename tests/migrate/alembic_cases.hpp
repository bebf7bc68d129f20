// Helpers for the tests transcribed from Alembic 1.8.1's own suite (tests/test_revision.py,
// tests/test_version_traversal.py, tests/test_version_table.py): builders for revisions, steps
// and version-table statements, and printers so that a failed comparison shows the plan.
#pragma once

#include <catch2/catch.hpp>

#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <retort/migrate/errors.hpp>
#include <retort/migrate/head_maintainer.hpp>
#include <retort/migrate/revision_map.hpp>

namespace alembic_cases {

using retort::migrate::HeadMaintainer;
using retort::migrate::Ids;
using retort::migrate::IterateOptions;
using retort::migrate::MigrationStep;
using retort::migrate::Revision;
using retort::migrate::RevisionMap;
using retort::migrate::StampStep;
using retort::migrate::VersionChange;
using Heads = std::set<std::string>;

/// Alembic's Revision(id, down_revision, dependencies=..., branch_labels=...).
inline Revision rev(std::string id, Ids down_revisions = {}, Ids labels = {}, Ids depends = {}) {
  Revision r;
  r.id = std::move(id);
  r.down_revisions = std::move(down_revisions);
  r.branch_labels = std::move(labels);
  r.depends_on = std::move(depends);
  r.path = r.id + ".sql";
  return r;
}

/// Alembic's up_(rev) / down_(rev): the step that applies or unapplies one revision.
inline MigrationStep up(std::string id) { return MigrationStep{std::move(id), true}; }
inline MigrationStep down(std::string id) { return MigrationStep{std::move(id), false}; }

/// The version-table statements HeadMaintainer writes.
inline VersionChange insert_row(std::string version) {
  return VersionChange{VersionChange::Kind::Insert, "", std::move(version)};
}
inline VersionChange delete_row(std::string version) {
  return VersionChange{VersionChange::Kind::Delete, std::move(version), ""};
}
inline VersionChange update_row(std::string from, std::string to) {
  return VersionChange{VersionChange::Kind::Update, std::move(from), std::move(to)};
}

inline Heads set_of(const Ids& ids) { return {ids.begin(), ids.end()}; }

/// get_revision as text: the id, or "(base)" for none.
inline std::string revision_of(const RevisionMap& map, const std::string& identifier) {
  std::optional<std::string> found = map.get_revision(identifier);
  return found ? *found : std::string("(base)");
}

inline std::string joined(const Ids& ids) {
  std::string out;
  for (const auto& id : ids) out += (out.empty() ? "" : ",") + id;
  return "(" + out + ")";
}

}  // namespace alembic_cases

namespace Catch {
template <>
struct StringMaker<retort::migrate::MigrationStep> {
  static std::string convert(const retort::migrate::MigrationStep& step) {
    return (step.upgrade ? "up " : "down ") + step.revision;
  }
};
template <>
struct StringMaker<retort::migrate::StampStep> {
  static std::string convert(const retort::migrate::StampStep& step) {
    return std::string("stamp ") + (step.upgrade ? "up " : "down ") + alembic_cases::joined(step.from) + " -> " +
           alembic_cases::joined(step.to) + (step.branch_move ? " (branch move)" : "");
  }
};
template <>
struct StringMaker<retort::migrate::VersionChange> {
  static std::string convert(const retort::migrate::VersionChange& change) {
    using Kind = retort::migrate::VersionChange::Kind;
    switch (change.kind) {
      case Kind::Insert: return "INSERT " + change.to;
      case Kind::Delete: return "DELETE " + change.from;
      case Kind::Update: return "UPDATE " + change.from + " -> " + change.to;
    }
    return "?";
  }
};
}  // namespace Catch
