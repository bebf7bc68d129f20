// The revision DAG: its edges as Alembic keeps them (down_revision, resolved and normalized
// dependencies, children, dependents, inherited branch labels) and identifier resolution.
// Traversals and plans are in revision_traversal.cpp.
#include <retort/migrate/revision_map.hpp>

#include <algorithm>
#include <map>
#include <string_view>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <retort/migrate/errors.hpp>

namespace retort::migrate {

namespace {
std::string where(const Revision& r) {
  return r.path.empty() ? fmt::format("revision {}", r.id) : fmt::format("{} (revision {})", r.path, r.id);
}
template <class T>
void push_unique(std::vector<T>& v, const T& value) {
  if (std::find(v.begin(), v.end(), value) == v.end()) v.push_back(value);
}
}  // namespace

RevisionMap::RevisionMap(std::vector<Revision> revisions) {
  // Flat, sorted arrays and moves rather than maps and copies: listing commands build this for
  // every call over thousands of revisions, and fresh memory (page faults) is most of their time.
  const std::size_t n = revisions.size();
  std::vector<std::pair<std::string_view, std::size_t>> by_id;  // (id, index in `revisions`)
  by_id.reserve(n);
  for (std::size_t i = 0; i < n; ++i) by_id.emplace_back(revisions[i].id, i);
  std::stable_sort(by_id.begin(), by_id.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (std::size_t k = 1; k < by_id.size(); ++k)
    if (by_id[k].first == by_id[k - 1].first)
      throw RevisionError(fmt::format("duplicate revision id {}: in {} and {}", by_id[k].first,
                                      revisions[by_id[k - 1].second].path, revisions[by_id[k].second].path));
  auto find = [&](std::string_view id) -> std::optional<std::size_t> {
    auto it =
        std::lower_bound(by_id.begin(), by_id.end(), id, [](const auto& e, std::string_view v) { return e.first < v; });
    if (it == by_id.end() || it->first != id) return std::nullopt;
    return it->second;
  };
  std::map<std::string, std::string> label_ids;  // label -> revision id
  for (const auto& r : revisions) {
    for (const auto& label : r.branch_labels) {
      if (find(label)) throw RevisionError(fmt::format("{}: branch label '{}' is also a revision id", where(r), label));
      auto [it, fresh] = label_ids.emplace(label, r.id);
      if (!fresh)
        throw RevisionError(
            fmt::format("{}: branch label '{}' is already used by revision {}", where(r), label, it->second));
    }
  }
  // Edges parent -> child (down_revision) and dependency -> dependent (depends_on), as
  // (from, to) index pairs; pending[i] counts revisions[i]'s incoming edges.
  std::vector<std::pair<std::size_t, std::size_t>> edges;
  edges.reserve(n);
  std::vector<int> pending(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& r = revisions[i];
    for (const auto& d : r.down_revisions) {
      if (d == r.id) throw CycleDetected(fmt::format("{}: the revision is its own down_revision", where(r)));
      auto parent = find(d);
      if (!parent)
        throw RevisionError(
            fmt::format("{}: down_revision {} does not exist (is a file missing "
                        "from the versions folder?)",
                        where(r), d));
      edges.emplace_back(*parent, i);
      ++pending[i];
    }
    for (const auto& dep : r.depends_on) {
      std::string target = dep;
      if (auto l = label_ids.find(dep); l != label_ids.end()) target = l->second;
      auto needed = find(target);
      if (!needed) throw RevisionError(fmt::format("{}: depends_on {} does not exist", where(r), dep));
      if (*needed == i) throw CycleDetected(fmt::format("{}: the revision depends on itself", where(r)));
      edges.emplace_back(*needed, i);
      ++pending[i];
    }
  }
  // The edges grouped by their source (compressed rows): out[first[i] .. first[i+1]).
  std::vector<std::size_t> first(n + 1, 0), out(edges.size());
  for (const auto& e : edges) ++first[e.first + 1];
  for (std::size_t i = 0; i < n; ++i) first[i + 1] += first[i];
  {
    std::vector<std::size_t> fill(first.begin(), first.end() - 1);
    for (const auto& e : edges) out[fill[e.first]++] = e.second;
  }
  // Kahn's algorithm; ready revisions are taken in their given (file) order for stability.
  std::vector<std::size_t> ready;
  for (std::size_t i = 0; i < n; ++i)
    if (pending[i] == 0) ready.push_back(i);
  std::vector<std::size_t> order;
  order.reserve(n);
  while (!ready.empty()) {
    std::vector<std::size_t> next;
    for (std::size_t i : ready) {
      order.push_back(i);
      for (std::size_t e = first[i]; e < first[i + 1]; ++e)
        if (--pending[out[e]] == 0) next.push_back(out[e]);
    }
    ready = std::move(next);
  }
  if (order.size() != n) {
    std::vector<std::string> cycle;
    for (std::size_t i = 0; i < n; ++i)
      if (pending[i] > 0) cycle.push_back(revisions[i].id);
    throw CycleDetected(fmt::format("the revision graph has a cycle through: {}", fmt::join(cycle, ", ")));
  }
  by_id = {};  // views into `revisions`, which move next
  // Put revisions into topological order in place (following the permutation's cycles) rather
  // than into a second vector.
  std::vector<bool> placed(n, false);
  for (std::size_t start = 0; start < n; ++start) {
    if (placed[start] || order[start] == start) continue;
    Revision held = std::move(revisions[start]);
    std::size_t k = start;
    while (order[k] != start) {
      revisions[k] = std::move(revisions[order[k]]);
      placed[k] = true;
      k = order[k];
    }
    revisions[k] = std::move(held);
    placed[k] = true;
  }
  ordered_ = std::move(revisions);
  load_rank_ = std::move(order);
  index_.reserve(n);
  for (std::size_t k = 0; k < n; ++k) index_.emplace_back(ordered_[k].id, k);
  std::sort(index_.begin(), index_.end());
  link_edges(label_ids);
}

void RevisionMap::link_edges(const std::map<std::string, std::string>& label_ids) {
  const std::size_t n = ordered_.size();
  nodes_.resize(n);
  for (const auto& [label, id] : label_ids) labels_.emplace_back(label, *position_of(id));
  for (Index k = 0; k < n; ++k) {
    auto& node = nodes_[k];
    for (const auto& d : ordered_[k].down_revisions) push_unique(node.down, *position_of(d));
    for (const auto& dep : ordered_[k].depends_on) {
      auto l = label_ids.find(dep);
      push_unique(node.dependencies, *position_of(l != label_ids.end() ? l->second : dep));
    }
    node.all_down = node.down;
    for (Index d : node.dependencies) push_unique(node.all_down, d);
    for (Index d : node.down) nodes_[d].next.push_back(k);
    for (Index d : node.all_down) nodes_[d].all_next.push_back(k);
  }
  // A dependency that an ancestor (through down_revision) already declares is implied by that
  // ancestor: it is not one of this revision's own down revisions (Alembic's normalization).
  for (Index k = 0; k < n; ++k) {
    auto& node = nodes_[k];
    Indexes kept = node.dependencies;
    if (!kept.empty())
      for (Index a : related({k}, false, false))
        if (a != k)
          for (Index dep : nodes_[a].dependencies) std::erase(kept, dep);
    node.has_normalized_dependencies = !kept.empty();
    node.normalized_down = node.down;
    for (Index d : kept) push_unique(node.normalized_down, d);
  }
  // Branch labels spread to every descendant, and down the line below the labelled revision
  // until a branch or merge point (Alembic's _add_branches, which walks down from the last
  // descendant it visited).
  for (Index k = 0; k < n; ++k) {
    const auto& own = ordered_[k].branch_labels;
    if (own.empty()) continue;
    auto line = related({k}, true, false);
    for (Index d : line) nodes_[d].labels.insert(own.begin(), own.end());
    Index parent = line.back();
    while (nodes_[parent].all_next.size() <= 1 && nodes_[parent].down.size() <= 1) {
      nodes_[parent].labels.insert(own.begin(), own.end());
      if (nodes_[parent].down.empty()) break;
      parent = nodes_[parent].down.front();
    }
  }
}

std::optional<std::size_t> RevisionMap::position_of(std::string_view id) const {
  auto it = std::lower_bound(index_.begin(), index_.end(), id,
                             [](const auto& entry, std::string_view v) { return entry.first < v; });
  if (it == index_.end() || it->first != id) return std::nullopt;
  return it->second;
}

std::size_t RevisionMap::position(const std::string& id) const { return index_of(id); }

RevisionMap::Index RevisionMap::index_of(const std::string& id) const {
  if (auto k = position_of(id)) return *k;
  throw ResolutionError(fmt::format("no such revision '{}'", id));
}

std::optional<RevisionMap::Index> RevisionMap::label_target(const std::string& label) const {
  auto it = std::lower_bound(labels_.begin(), labels_.end(), label,
                             [](const auto& entry, const std::string& v) { return entry.first < v; });
  if (it == labels_.end() || it->first != label) return std::nullopt;
  return it->second;
}

Ids RevisionMap::ids_of(const Indexes& indexes) const {
  Ids out;
  out.reserve(indexes.size());
  for (Index k : indexes) out.push_back(ordered_[k].id);
  return out;
}

const Revision& RevisionMap::get(const std::string& id) const { return ordered_[index_of(id)]; }

Ids RevisionMap::heads() const {
  return ids_of(in_load_order([&](Index k) { return nodes_[k].next.empty(); }));
}

Ids RevisionMap::real_heads() const {
  return ids_of(in_load_order([&](Index k) { return nodes_[k].all_next.empty(); }));
}

Ids RevisionMap::bases() const {
  return ids_of(in_load_order([&](Index k) { return nodes_[k].down.empty(); }));
}

Ids RevisionMap::children(const std::string& id) const {
  auto k = position_of(id);
  return k ? ids_of(nodes_[*k].next) : Ids{};
}

Ids RevisionMap::dependents(const std::string& id) const {
  Ids out;
  if (auto k = position_of(id))
    for (Index d : nodes_[*k].all_next)
      if (std::find(nodes_[*k].next.begin(), nodes_[*k].next.end(), d) == nodes_[*k].next.end())
        out.push_back(ordered_[d].id);
  return out;
}

Ids RevisionMap::normalized_down_revisions(const std::string& id) const {
  return ids_of(nodes_[index_of(id)].normalized_down);
}

const std::set<std::string>& RevisionMap::branch_labels(const std::string& id) const {
  return nodes_[index_of(id)].labels;
}

RevisionMap::Indexes RevisionMap::related(const Indexes& targets, bool upward, bool include_dependencies, bool check,
                                          bool omit_immediate_dependencies) const {
  // Alembic's _iterate_related_revisions: depth first from each target, each revision once;
  // `check` refuses targets of which one lies on another's line.
  std::vector<char> seen(nodes_.size(), 0);
  Indexes out, stack;
  for (Index target : targets) {
    stack.push_back(target);
    std::vector<Index> reached;
    while (!stack.empty()) {
      Index k = stack.back();
      stack.pop_back();
      if (check) reached.push_back(k);
      if (seen[k]) continue;
      seen[k] = 1;
      const auto& node = nodes_[k];
      const Indexes* edges;
      if (upward) {
        bool is_target = std::find(targets.begin(), targets.end(), k) != targets.end();
        edges = (include_dependencies && !(omit_immediate_dependencies && is_target)) ? &node.all_next : &node.next;
      } else {
        edges = include_dependencies ? &node.normalized_down : &node.down;
      }
      stack.insert(stack.end(), edges->begin(), edges->end());
      out.push_back(k);
    }
    if (check) {
      Ids overlaps;
      for (Index r : reached)
        if (r != target && std::find(targets.begin(), targets.end(), r) != targets.end())
          push_unique(overlaps, ordered_[r].id);
      if (!overlaps.empty())
        throw RevisionError(fmt::format("requested revision {} overlaps with other requested revisions {}",
                                        ordered_[target].id, fmt::join(overlaps, ", ")));
    }
  }
  return out;
}

std::set<std::string> RevisionMap::ancestors(const Ids& ids, bool include_dependencies) const {
  return related_ids(ids, false, include_dependencies);
}

std::set<std::string> RevisionMap::descendants(const Ids& ids, bool include_dependencies) const {
  return related_ids(ids, true, include_dependencies);
}

std::set<std::string> RevisionMap::related_ids(const Ids& ids, bool upward, bool include_dependencies) const {
  Indexes targets;
  for (const auto& id : ids) targets.push_back(index_of(id));
  auto names = ids_of(related(targets, upward, include_dependencies));
  return {names.begin(), names.end()};
}

// ---- identifiers ----

std::pair<Ids, std::optional<std::string>> RevisionMap::resolve_revision_number(const std::string& identifier) const {
  std::optional<std::string> branch_label;
  std::string id = identifier;
  if (auto at = id.find('@'); at != std::string::npos) {
    branch_label = id.substr(0, at);
    id = id.substr(at + 1);
  }
  if (id == "heads") {
    if (branch_label) return {filter_for_lineage(heads(), *branch_label), branch_label};
    return {real_heads(), branch_label};
  }
  if (id == "head") {
    auto h = current_head(branch_label);
    return {h ? Ids{*h} : Ids{}, branch_label};
  }
  if (id == "base" || id.empty()) return {{}, branch_label};
  return {{id}, branch_label};
}

std::optional<std::string> RevisionMap::current_head(const std::optional<std::string>& branch_label) const {
  auto h = heads();
  if (branch_label) h = filter_for_lineage(h, *branch_label);
  if (h.size() > 1) {
    if (branch_label)
      throw MultipleHeads(
          fmt::format("branch {} has multiple heads ({}): use {}@heads for all of them, or a revision id",
                      *branch_label, fmt::join(h, ", "), *branch_label));
    throw MultipleHeads(fmt::format(
        "multiple heads are present ({}): use `heads` for all of them, or LABEL@head / a revision id for one",
        fmt::join(h, ", ")));
  }
  if (h.empty()) return std::nullopt;
  return h.front();
}

RevisionMap::Index RevisionMap::resolve_branch(const std::string& label) const {
  try {
    return *revision_for_ident(label, std::nullopt);
  } catch (const ResolutionError&) {
    throw ResolutionError(fmt::format("no such branch: '{}'", label));
  }
}

std::optional<RevisionMap::Index> RevisionMap::revision_for_ident(const std::string& id,
                                                                  const std::optional<std::string>& branch) const {
  std::optional<Index> branch_rev;
  if (branch) branch_rev = resolve_branch(*branch);
  if (id.empty()) return std::nullopt;  // base
  std::optional<Index> found = position_of(id);
  if (!found) found = label_target(id);
  if (!found) {
    // A unique prefix of an id (of ids only, never of labels: a deliberate difference).
    Indexes matches;
    for (auto it = std::lower_bound(index_.begin(), index_.end(), std::string_view(id),
                                    [](const auto&e, std::string_view v) { return e.first < v; });
         it != index_.end() && it->first.starts_with(id); ++it)
      matches.push_back(it->second);
    if (branch_rev) {
      Indexes on_branch;
      for (Index m : matches)
        if (shares_lineage(m, {*branch_rev}, false)) on_branch.push_back(m);
      matches = std::move(on_branch);
    }
    if (matches.empty())
      throw ResolutionError(fmt::format("no revision or branch label matches '{}'{} (see `retort history`)", id,
                                        branch ? fmt::format(" on branch '{}'", *branch) : std::string()));
    if (matches.size() > 1)
      throw ResolutionError(
          fmt::format("revision prefix '{}' is ambiguous: it matches {}", id, fmt::join(ids_of(matches), ", ")));
    found = matches.front();
  }
  if (branch_rev && !shares_lineage(*found, {*branch_rev}, false))
    throw ResolutionError(fmt::format("revision {} is not a member of branch '{}'", ordered_[*found].id, *branch));
  return found;
}

bool RevisionMap::shares_lineage(Index target, const Indexes& against, bool include_dependencies) const {
  if (against.empty()) return true;
  for (bool upward : {true, false})
    for (Index k : related({target}, upward, include_dependencies))
      if (std::find(against.begin(), against.end(), k) != against.end()) return true;
  return false;
}

Ids RevisionMap::filter_for_lineage(const Ids& targets, const std::string& check_against,
                                    bool include_dependencies) const {
  auto [ids, branch_label] = resolve_revision_number(check_against);
  Indexes shares;
  if (branch_label) shares.push_back(*revision_for_ident(*branch_label, std::nullopt));
  for (const auto& id : ids)
    if (auto k = revision_for_ident(id, std::nullopt)) shares.push_back(*k);
  Ids out;
  for (const auto& t : targets)
    if (shares_lineage(index_of(t), shares, include_dependencies)) out.push_back(t);
  return out;
}

std::string RevisionMap::resolve_revision(const std::string& text) const {
  if (text.empty()) throw ResolutionError("empty revision identifier");
  return ordered_[*revision_for_ident(text, std::nullopt)].id;
}

std::optional<std::string> RevisionMap::get_revision(const std::string& identifier) const {
  auto [ids, branch_label] = resolve_revision_number(identifier);
  if (ids.size() > 1)
    throw MultipleHeads(fmt::format("'{}' names several revisions ({}); name one", identifier, fmt::join(ids, ", ")));
  auto k = revision_for_ident(ids.empty() ? std::string() : ids.front(), branch_label);
  if (!k) return std::nullopt;
  return ordered_[*k].id;
}

Ids RevisionMap::get_revisions(const Ids& identifiers) const {
  Ids out;
  for (const auto& identifier : identifiers)
    for (auto& id : get_revisions(identifier)) out.push_back(std::move(id));
  return out;
}

Ids RevisionMap::get_revisions(const std::string& identifier) const {
  Ids out;
  for (const auto& spot : revision_spots(identifier)) {
    if (spot.kind == Spot::Kind::None)
      throw RevisionError(fmt::format("'{}' walks past the end of the revision graph", identifier));
    if (spot.kind == Spot::Kind::Rev) out.push_back(ordered_[spot.rev].id);
  }
  return out;
}

}  // namespace retort::migrate
