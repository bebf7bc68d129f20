// Printing helpers for the CLI: JSON values and revision lines.
#pragma once

#include <string>
#include <vector>

#include <retort/migrate/commands.hpp>

namespace retort::cli {

/// A JSON string literal.
std::string json_string(const std::string& s);
/// A JSON array of strings.
std::string json_strings(const std::vector<std::string>& v);
/// One revision as a JSON object.
std::string json_revision(const migrate::RevisionInfo& r);
/// A list of revisions as a JSON array.
std::string json_revisions(const std::vector<migrate::RevisionInfo>& revs);
/// What a one-line description of a revision shows. The parts, their order and which command
/// shows which follow Alembic (Script.cmd_format): history shows all, heads the id, labels and
/// (head), current the id and the tree markers, branches the id, labels and markers.
struct LineParts {
  bool parents = true;  // "a, b (depends) -> " before the id
  bool labels = true;   // " (label)"
  bool tree = true;     // " (branchpoint)", " (mergepoint)"
  bool message = true;  // ", message"
};
inline constexpr LineParts kHistoryLine{};
inline constexpr LineParts kHeadsLine{.parents = false, .labels = true, .tree = false, .message = false};
inline constexpr LineParts kCurrentLine{.parents = false, .labels = false, .tree = true, .message = false};
inline constexpr LineParts kBranchPointLine{.parents = false, .labels = true, .tree = true, .message = false};

/// Alembic-style one-line description, e.g. "a, b -> c (feat) (head) (mergepoint), message".
std::string revision_line(const migrate::RevisionInfo& r, const LineParts& parts = kHistoryLine);
/// The multi-line description used by --verbose and `show`.
std::string revision_details(const migrate::RevisionInfo& r);

}  // namespace retort::cli
