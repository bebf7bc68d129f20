// The revision graph (a DAG): heads, bases, branch and merge points, identifier resolution
// (full ids, unique prefixes, head/heads/base, +N/-N, REV+N, LABEL@head, LABEL@REV, ...) and
// upgrade/downgrade plans. Pure data: it knows nothing of files or databases.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <retort/migrate/script/revision.hpp>

namespace retort::migrate {

class RevisionMap {
 public:
  /// Validates the graph: throws RevisionError for a duplicate id or label, a missing
  /// down_revision or dependency (naming the file), and CycleDetected for a loop.
  explicit RevisionMap(std::vector<Revision> revisions);
  // Not copyable: the index views the ids inside `ordered_` (a move keeps them in place).
  RevisionMap(const RevisionMap&) = delete;
  RevisionMap& operator=(const RevisionMap&) = delete;
  RevisionMap(RevisionMap&&) noexcept = default;
  RevisionMap& operator=(RevisionMap&&) noexcept = default;

  /// All revisions, parents before children (a stable topological order).
  const std::vector<Revision>& revisions() const noexcept { return ordered_; }
  bool empty() const noexcept { return ordered_.empty(); }
  bool contains(const std::string& id) const { return position_of(id).has_value(); }
  /// Throws ResolutionError for an unknown id.
  const Revision& get(const std::string& id) const;
  /// Revisions with no children, in topological order.
  std::vector<std::string> heads() const;
  std::vector<std::string> bases() const;
  std::vector<std::string> children(const std::string& id) const;
  bool is_branch_point(const std::string& id) const { return children(id).size() > 1; }

  /// A single revision from a full id, a unique prefix, or a branch label. Throws
  /// ResolutionError (listing candidates when ambiguous).
  std::string resolve_revision(const std::string& text) const;
  /// The revisions an identifier names, given the database's current heads: "heads", "head",
  /// "base" (empty), ids/prefixes/labels, "+N"/"-N" (relative to current), "REV+N", "REV-N",
  /// "LABEL@head", "LABEL@base", "LABEL@REV", "LABEL@+N". Throws MultipleHeads /
  /// ResolutionError / RevisionError.
  std::vector<std::string> resolve(const std::string& identifier, const std::vector<std::string>& current_heads) const;

  /// The revisions to apply, in order, to go from `current_heads` to `targets`.
  std::vector<std::string> upgrade_plan(const std::vector<std::string>& current_heads,
                                        const std::vector<std::string>& targets) const;
  /// The revisions to unapply, in order, to go from `current_heads` down to `targets`
  /// (empty targets: base). `branch_label` limits a LABEL@base downgrade to that branch.
  /// Throws RangeNotAncestorError when a target is not applied.
  std::vector<std::string> downgrade_plan(const std::vector<std::string>& current_heads,
                                          const std::vector<std::string>& targets,
                                          const std::optional<std::string>& branch_label = {}) const;

  /// `ids` and everything they descend from or depend on.
  std::set<std::string> ancestors(const std::vector<std::string>& ids, bool inclusive = true) const;
  /// Revisions that descend from or depend on `id`.
  std::set<std::string> descendants(const std::string& id, bool inclusive = false) const;
  /// The heads of an applied set: applied revisions that no other applied revision lists as
  /// down_revision.
  std::vector<std::string> heads_of(const std::set<std::string>& applied) const;
  /// The heads after applying `id` on top of `heads` (its parents stop being heads).
  std::vector<std::string> heads_after_upgrade(std::vector<std::string> heads, const std::string& id) const;
  /// The heads after unapplying `id`, given the applied set without it: each parent becomes a
  /// head again unless another applied revision still follows it.
  std::vector<std::string> heads_after_downgrade(std::vector<std::string> heads, const std::string& id,
                                                 const std::set<std::string>& applied_after) const;
  /// Topological position, for ordering. Throws ResolutionError for an unknown id.
  std::size_t position(const std::string& id) const;

 private:
  /// `steps` up (children) or down (parents) from `from`. At a branch point or merge, the one
  /// neighbour inside `branch` (when given) is taken; otherwise it is an error.
  std::vector<std::string> relative(const std::string& from, int steps,
                                    const std::set<std::string>* branch = nullptr) const;
  std::vector<std::string> label_heads(const std::string& label) const;
  std::vector<std::string> sorted(const std::set<std::string>& ids, bool reverse) const;
  std::optional<std::size_t> position_of(std::string_view id) const;

  std::vector<Revision> ordered_;
  // Flat arrays rather than node-based maps: listing commands build this for thousands of
  // revisions on every call, and fresh memory (page faults) is most of their time.
  std::vector<std::pair<std::string_view, std::size_t>> index_;  // (id, position), by id
  std::vector<std::size_t> child_begin_;  // position k's children: child_[child_begin_[k] .. child_begin_[k + 1])
  std::vector<std::size_t> child_;        // down_revision edges, as the children's positions
  std::unordered_map<std::string, std::vector<std::string>> dependents_;    // depends_on edges
  std::map<std::string, std::string> labels_;                               // branch label -> revision
  std::unordered_map<std::string, std::vector<std::string>> dependencies_;  // resolved depends_on ids
};

}  // namespace retort::migrate
