// The revision graph (a DAG) with Alembic's semantics (alembic/script/revision.py, 1.8): heads
// and bases, dependencies (depends_on) beside down_revision, branch labels, identifier
// resolution (ids, prefixes, labels, head/heads/base, LABEL@REV, +N/-N, REV+N, LABEL@-N, ...),
// and the revisions an upgrade, downgrade or stamp goes through, in Alembic's order (one branch
// at a time, depth-first). Pure data: it knows nothing of files or databases.
//
// An identifier list ("Ids") stands for Alembic's "string or tuple": one element is parsed as an
// identifier ("heads", "lbl@+1", a prefix, ...), several are each resolved, none means base.
#pragma once

#include <algorithm>
#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <retort/migrate/script/revision.hpp>

namespace retort::migrate {

using Ids = std::vector<std::string>;

/// One revision applied (upgrade) or unapplied (downgrade): Alembic's RevisionStep.
struct MigrationStep {
  std::string revision{};
  bool upgrade = true;
  bool operator==(const MigrationStep&) const = default;
};

/// A stamp moving the version table without running anything: Alembic's StampStep. `from` are
/// the heads it replaces (empty: a new branch), `to` the revisions it writes (empty: base).
struct StampStep {
  Ids from{};
  Ids to{};
  bool upgrade = true;
  bool branch_move = false;  // a whole branch appears (upgrade) or disappears (to base)
  bool operator==(const StampStep&) const = default;
};

/// How iterate_revisions collects (Alembic's keyword arguments of the same names).
struct IterateOptions {
  bool implicit_base = false;          // also revisions not above `lower` (other bases, dependencies)
  bool inclusive = false;              // include `lower` itself
  bool assert_relative_length = true;  // a relative step past the graph's end is an error
  bool select_for_downgrade = false;   // `upper` are current heads, `lower` the downgrade target
};

class RevisionMap {
 public:
  /// Validates the graph: throws RevisionError for a duplicate id or label, a missing
  /// down_revision or dependency (naming the file), and CycleDetected for a loop. The order of
  /// `revisions` (the script directory's) breaks ties between branches, as Alembic's load order.
  explicit RevisionMap(std::vector<Revision> revisions);
  RevisionMap(const RevisionMap&) = delete;
  RevisionMap& operator=(const RevisionMap&) = delete;
  RevisionMap(RevisionMap&&) noexcept = default;
  RevisionMap& operator=(RevisionMap&&) noexcept = default;

  // ---- structure ----
  /// All revisions, parents (and dependencies) before children: a stable topological order.
  const std::vector<Revision>& revisions() const noexcept { return ordered_; }
  bool empty() const noexcept { return ordered_.empty(); }
  bool contains(std::string_view id) const { return position_of(id).has_value(); }
  /// Throws ResolutionError for an unknown id.
  const Revision& get(const std::string& id) const;
  /// Revisions no down_revision names (Alembic's heads), in load order.
  Ids heads() const;
  /// Heads that no revision depends on either (Alembic's _real_heads: "heads" resolves to these).
  Ids real_heads() const;
  /// Revisions without a down_revision.
  Ids bases() const;
  /// Revisions whose down_revision names `id` (not those that only depend on it).
  Ids children(const std::string& id) const;
  /// Revisions that name `id` in depends_on.
  Ids dependents(const std::string& id) const;
  bool is_branch_point(const std::string& id) const { return children(id).size() > 1; }
  /// down_revision plus the dependencies that no ancestor already has (Alembic's
  /// _normalized_down_revisions): the revisions a version row of `id` implies directly.
  Ids normalized_down_revisions(const std::string& id) const;
  /// The labels `id` carries: its own, and those its branch inherits (Alembic's branch_labels).
  const std::set<std::string>& branch_labels(const std::string& id) const;
  /// Topological position, for ordering. Throws ResolutionError for an unknown id.
  std::size_t position(const std::string& id) const;

  // ---- identifiers ----
  /// The revisions `identifier` names (Alembic's get_revisions): "heads", "head", "base" (none),
  /// a full id, a unique prefix of four or more characters, a branch label, "LABEL@REV" (REV must
  /// be on the branch), "LABEL@head", "LABEL@heads", "LABEL@base", "-N" and "LABEL@-N" (down
  /// from the heads). Throws ResolutionError, MultipleHeads or RevisionError.
  Ids get_revisions(const std::string& identifier) const;
  Ids get_revisions(const Ids& identifiers) const;
  /// The one revision `identifier` names, nullopt for base. Throws MultipleHeads for several.
  std::optional<std::string> get_revision(const std::string& identifier) const;
  /// A single revision from a full id, unique prefix or branch label (for --head, depends_on).
  std::string resolve_revision(const std::string& text) const;
  /// The targets that share lineage (are ancestors or descendants, through down_revision, and
  /// depends_on when asked) with `check_against` (an id, label or LABEL@REV).
  Ids filter_for_lineage(const Ids& targets, const std::string& check_against, bool include_dependencies = false) const;

  // ---- traversal ----
  /// Revisions between `upper` and `lower`, upper first (Alembic's iterate_revisions): for an
  /// upgrade, those `upper` needs that `lower` lacks; for a downgrade (select_for_downgrade),
  /// those above the target that the current heads `upper` have applied.
  Ids iterate_revisions(const Ids& upper, const Ids& lower, IterateOptions options = {}) const;
  /// The steps of `upgrade destination` from the database's heads (Alembic's _upgrade_revs).
  std::vector<MigrationStep> upgrade_plan(const std::string& destination, const Ids& current_heads) const;
  /// The steps of `downgrade destination` (Alembic's _downgrade_revs).
  std::vector<MigrationStep> downgrade_plan(const std::string& destination, const Ids& current_heads) const;
  /// The steps of `stamp destinations` (Alembic's _stamp_revs); no destination means base.
  std::vector<StampStep> stamp_plan(const Ids& destinations, const Ids& current_heads) const;
  /// Every revision the version rows `heads` imply, reduced to the tips of each branch (what
  /// `current` shows: rows {b2} where b2 depends on a2 show a2 and b2).
  Ids all_current(const Ids& heads) const;

  /// `ids` and everything they descend from, through down_revision and (when asked) depends_on.
  std::set<std::string> ancestors(const Ids& ids, bool include_dependencies = true) const;
  /// `ids` and everything that descends from them, through down_revision and (when asked) depends_on.
  std::set<std::string> descendants(const Ids& ids, bool include_dependencies = true) const;

 private:
  using Index = std::size_t;
  using Indexes = std::vector<Index>;
  /// A revision's edges by position, as Alembic's Revision keeps them.
  struct Node {
    Indexes down{};                  // down_revision (_versioned_down_revisions)
    Indexes dependencies{};          // depends_on, labels resolved (_resolved_dependencies)
    Indexes normalized_down{};       // down + dependencies no ancestor has (_normalized_down_revisions)
    Indexes all_down{};              // down + dependencies (_all_down_revisions)
    Indexes next{};                  // children through down_revision (nextrev)
    Indexes all_next{};              // children and dependents (_all_nextrev)
    std::set<std::string> labels{};  // own and inherited branch labels
    bool has_normalized_dependencies = false;
  };

  /// Where an identifier or a walk lands: a revision, base, or nowhere (a walk past the end),
  /// Alembic's Revision / "base" / None.
  struct Spot {
    enum class Kind { None, Base, Rev };
    Kind kind = Kind::None;
    Index rev = 0;
    static Spot none() { return {}; }
    static Spot base() { return {Kind::Base, 0}; }
    static Spot at(Index k) { return {Kind::Rev, k}; }
  };

  void link_edges(const std::map<std::string, std::string>& label_ids);
  std::optional<Index> position_of(std::string_view id) const;
  Index index_of(const std::string& id) const;
  Ids ids_of(const Indexes& indexes) const;
  /// Alembic's _iterate_related_revisions: depth first from each target, each revision once,
  /// up (children, and dependents when asked) or down (down revisions, and normalized
  /// dependencies when asked). `check` refuses targets of which one is on another's line.
  Indexes related(const Indexes& targets, bool upward, bool include_dependencies, bool check = false,
                  bool omit_immediate_dependencies = false) const;
  std::set<std::string> related_ids(const Ids& ids, bool upward, bool include_dependencies) const;
  std::optional<Index> revision_for_ident(const std::string& id, const std::optional<std::string>& branch) const;
  Index resolve_branch(const std::string& label) const;
  bool shares_lineage(Index target, const Indexes& against, bool include_dependencies) const;
  std::pair<Ids, std::optional<std::string>> resolve_revision_number(const std::string& identifier) const;
  std::optional<std::string> current_head(const std::optional<std::string>& branch_label) const;
  /// get_revisions with Alembic's base and None results kept.
  std::vector<Spot> revision_spots(const std::string& identifier) const;
  std::vector<Spot> revision_spots(const Ids& identifiers) const;
  Spot walk(Spot start, int steps, const std::optional<std::string>& branch_label, bool no_overwalk) const;
  std::pair<std::optional<std::string>, Spot> parse_downgrade_target(const Ids& current, const std::string& target,
                                                                     bool assert_relative_length) const;
  std::vector<Spot> parse_upgrade_target(const Ids& current, const Ids& target, bool assert_relative_length) const;
  std::pair<Indexes, Indexes> collect_upgrade(const Ids& upper, const Ids& lower, const IterateOptions& options) const;
  std::pair<Indexes, Indexes> collect_downgrade(const Ids& upper, const Ids& target,
                                                const IterateOptions& options) const;
  Indexes topological_sort(const Indexes& revisions, const Indexes& heads) const;
  Indexes all_current_positions(const Ids& heads) const;
  /// The positions `keep` accepts, in the script directory's order (Alembic keeps heads and
  /// bases in load order).
  template <class Keep>
  Indexes in_load_order(Keep keep) const {
    Indexes out;
    for (Index k = 0; k < nodes_.size(); ++k)
      if (keep(k)) out.push_back(k);
    std::sort(out.begin(), out.end(), [&](Index a, Index b) { return load_rank_[a] < load_rank_[b]; });
    return out;
  }
  std::optional<Index> label_target(const std::string& label) const;

  std::vector<Revision> ordered_;
  std::vector<Node> nodes_;                                // by position in ordered_
  std::vector<std::size_t> load_rank_;                     // position -> index in the given order
  std::vector<std::pair<std::string_view, Index>> index_;  // (id, position), by id
  std::vector<std::pair<std::string, Index>> labels_;      // (branch label, position), by label
};

}  // namespace retort::migrate
