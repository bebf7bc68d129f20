// The version rows as Alembic's HeadMaintainer keeps them (alembic/runtime/migration.py, 1.8).
#include <retort/migrate/head_maintainer.hpp>

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <retort/migrate/errors.hpp>

namespace retort::migrate {

namespace {
bool in(const Ids& ids, const std::string& id) { return std::find(ids.begin(), ids.end(), id) != ids.end(); }
}  // namespace

HeadMaintainer::HeadMaintainer(const RevisionMap& map, const Ids& heads)
    : map_(map), heads_(heads.begin(), heads.end()) {}

VersionChange HeadMaintainer::insert(const std::string& version) {
  if (!heads_.insert(version).second)
    throw RevisionError(fmt::format("the version table already has a row for {}", version));
  return {VersionChange::Kind::Insert, {}, version};
}

VersionChange HeadMaintainer::remove(const std::string& version) {
  if (!heads_.erase(version))
    throw RevisionError(fmt::format("the version table has no row for {} to delete", version));
  return {VersionChange::Kind::Delete, version, {}};
}

VersionChange HeadMaintainer::update(const std::string& from, const std::string& to) {
  if (heads_.count(to)) throw RevisionError(fmt::format("the version table already has a row for {}", to));
  if (!heads_.erase(from))
    throw RevisionError(fmt::format("the version table has no row for {} to move to {}", from, to));
  heads_.insert(to);
  return {VersionChange::Kind::Update, from, to};
}

Ids HeadMaintainer::unmerge_to_revisions(const std::string& revision) const {
  auto to = map_.normalized_down_revisions(revision);
  Ids others;
  for (const auto& h : heads_)
    if (h != revision) others.push_back(h);
  if (others.empty()) return to;
  // Down revisions another row still implies get no row of their own.
  auto implied = map_.ancestors(others, true);
  std::erase_if(to, [&](const std::string& id) { return implied.count(id) > 0; });
  return to;
}

std::vector<VersionChange> HeadMaintainer::update_to_step(const MigrationStep& step) {
  const auto& id = step.revision;
  const auto down = map_.normalized_down_revisions(id);
  Ids down_in_heads;  // the down revisions that have rows now
  for (const auto& d : down)
    if (heads_.count(d)) down_in_heads.push_back(d);
  if (!step.upgrade) {
    if (heads_.count(id)) {
      // Going to base, or to revisions other rows imply: the row goes.
      if (down.empty()) return {remove(id)};
      auto to = unmerge_to_revisions(id);
      if (to.empty()) return {remove(id)};
      if (down.size() > 1) {
        // Unmerge: the merge's row becomes one parent's, the other parents get rows.
        std::vector<VersionChange> out;
        for (std::size_t i = 0; i + 1 < to.size(); ++i) out.push_back(insert(to[i]));
        out.push_back(update(id, to.back()));
        return out;
      }
    }
  } else {
    if (down.empty() || down_in_heads.empty()) return {insert(id)};  // a new branch
    if (down.size() > 1 && down_in_heads.size() > 1) {
      // Merge: one parent's row becomes the merge's, the others go (unless another row
      // implies them, in which case they were never rows).
      Ids from = down;
      Ids others;
      for (const auto& h : heads_)
        if (!in(down, h)) others.push_back(h);
      if (!others.empty()) {
        auto implied = map_.ancestors(others, true);
        std::erase_if(from, [&](const std::string& f) { return implied.count(f) > 0; });
      }
      std::erase_if(from, [&](const std::string& f) { return heads_.count(f) == 0; });
      if (from.empty()) return {insert(id)};
      std::vector<VersionChange> out;
      for (std::size_t i = 0; i + 1 < from.size(); ++i) out.push_back(remove(from[i]));
      out.push_back(update(from.back(), id));
      return out;
    }
  }
  // A step along one line: the parent's row becomes the child's (or back).
  std::string parent;
  if (down.size() == 1) {
    parent = down.front();
  } else {
    if (down_in_heads.size() != 1)
      throw RevisionError(fmt::format(
          "cannot record {} {}: which of its down revisions ({}) to move is ambiguous "
          "with the version rows {}",
          step.upgrade ? "upgrade to" : "downgrade from", id, fmt::join(down, ", "), fmt::join(heads_, ", ")));
    parent = down_in_heads.front();
  }
  return {step.upgrade ? update(parent, id) : update(id, parent)};
}

std::vector<VersionChange> HeadMaintainer::update_to_step(const StampStep& step) {
  if (!step.upgrade && step.branch_move) {
    if (step.from.size() != 1) throw RevisionError("a stamp to base removes one row at a time");
    return {remove(step.from.front())};
  }
  if (step.upgrade) {
    bool from_missing =
        std::any_of(step.from.begin(), step.from.end(), [&](const auto& f) { return !heads_.count(f); });
    bool to_missing = std::any_of(step.to.begin(), step.to.end(), [&](const auto& t) { return !heads_.count(t); });
    if ((step.branch_move || from_missing) && to_missing) {
      if (step.to.size() != 1) throw RevisionError("a stamp inserts one row at a time");
      return {insert(step.to.front())};
    }
  }
  if (step.from.size() > 1) {
    std::vector<VersionChange> out;
    for (std::size_t i = 0; i + 1 < step.from.size(); ++i) out.push_back(remove(step.from[i]));
    out.push_back(update(step.from.back(), step.to.at(0)));
    return out;
  }
  if (step.to.size() > 1) {
    std::vector<VersionChange> out;
    for (std::size_t i = 0; i + 1 < step.to.size(); ++i) out.push_back(insert(step.to[i]));
    out.push_back(update(step.from.at(0), step.to.back()));
    return out;
  }
  if (step.from.size() != 1 || step.to.size() != 1) throw RevisionError("a stamp moves one row at a time");
  return {update(step.from.front(), step.to.front())};
}

}  // namespace retort::migrate
