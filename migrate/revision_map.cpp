// The revision DAG and its plans.
#include <retort/migrate/revision_map.hpp>

#include <algorithm>
#include <functional>
#include <string_view>
#include <unordered_map>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <retort/migrate/errors.hpp>

namespace retort::migrate {

namespace {
std::string where(const Revision& r) {
  return r.path.empty() ? fmt::format("revision {}", r.id) : fmt::format("{} (revision {})", r.path, r.id);
}
bool parse_int(const std::string& s, int& out) {
  if (s.empty()) return false;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  out = std::stoi(s);
  return true;
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
  for (const auto& r : revisions) {
    for (const auto& label : r.branch_labels) {
      if (find(label)) throw RevisionError(fmt::format("{}: branch label '{}' is also a revision id", where(r), label));
      auto [it, fresh] = labels_.emplace(label, r.id);
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
      if (auto l = labels_.find(dep); l != labels_.end()) target = l->second;
      auto needed = find(target);
      if (!needed) throw RevisionError(fmt::format("{}: depends_on {} does not exist", where(r), dep));
      edges.emplace_back(*needed, i);
      ++pending[i];
      dependents_[target].push_back(r.id);
      dependencies_[r.id].push_back(std::move(target));
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
  index_.reserve(n);
  for (std::size_t k = 0; k < n; ++k) index_.emplace_back(ordered_[k].id, k);
  std::sort(index_.begin(), index_.end());
  // Children by parent, each parent's in topological order (compressed rows, as above).
  child_begin_.assign(n + 1, 0);
  for (const auto& r : ordered_)
    for (const auto& d : r.down_revisions) ++child_begin_[*position_of(d) + 1];
  for (std::size_t k = 0; k < n; ++k) child_begin_[k + 1] += child_begin_[k];
  child_.resize(child_begin_[n]);
  std::vector<std::size_t> fill(child_begin_.begin(), child_begin_.end() - 1);
  for (std::size_t k = 0; k < n; ++k)
    for (const auto& d : ordered_[k].down_revisions) child_[fill[*position_of(d)]++] = k;
}

std::optional<std::size_t> RevisionMap::position_of(std::string_view id) const {
  auto it = std::lower_bound(index_.begin(), index_.end(), id,
                             [](const auto& entry, std::string_view v) { return entry.first < v; });
  if (it == index_.end() || it->first != id) return std::nullopt;
  return it->second;
}

std::size_t RevisionMap::position(const std::string& id) const {
  if (auto k = position_of(id)) return *k;
  throw ResolutionError(fmt::format("no such revision '{}'", id));
}

const Revision& RevisionMap::get(const std::string& id) const { return ordered_[position(id)]; }

std::vector<std::string> RevisionMap::children(const std::string& id) const {
  std::vector<std::string> out;
  if (auto k = position_of(id))
    for (std::size_t e = child_begin_[*k]; e < child_begin_[*k + 1]; ++e) out.push_back(ordered_[child_[e]].id);
  return out;
}

std::vector<std::string> RevisionMap::heads() const {
  std::vector<std::string> out;
  for (std::size_t k = 0; k < ordered_.size(); ++k)
    if (child_begin_[k] == child_begin_[k + 1]) out.push_back(ordered_[k].id);
  return out;
}

std::vector<std::string> RevisionMap::bases() const {
  std::vector<std::string> out;
  for (const auto& r : ordered_)
    if (r.is_base()) out.push_back(r.id);
  return out;
}

std::vector<std::string> RevisionMap::sorted(const std::set<std::string>& ids, bool reverse) const {
  std::vector<std::string> out(ids.begin(), ids.end());
  std::sort(out.begin(), out.end(), [&](const auto& a, const auto& b) {
    return reverse ? position(a) > position(b) : position(a) < position(b);
  });
  return out;
}

std::set<std::string> RevisionMap::ancestors(const std::vector<std::string>& ids, bool inclusive) const {
  std::set<std::string> out;
  std::vector<std::string> stack(ids.begin(), ids.end());
  while (!stack.empty()) {
    auto id = stack.back();
    stack.pop_back();
    if (!out.insert(id).second) continue;
    const auto& r = get(id);
    for (const auto& d : r.down_revisions) stack.push_back(d);
    if (auto it = dependencies_.find(id); it != dependencies_.end())
      for (const auto& d : it->second) stack.push_back(d);
  }
  if (!inclusive)
    for (const auto& id : ids) out.erase(id);
  return out;
}

std::set<std::string> RevisionMap::descendants(const std::string& id, bool inclusive) const {
  std::set<std::string> out;
  std::vector<std::string> stack{id};
  while (!stack.empty()) {
    auto cur = stack.back();
    stack.pop_back();
    if (!out.insert(cur).second) continue;
    if (auto k = position_of(cur))
      for (std::size_t e = child_begin_[*k]; e < child_begin_[*k + 1]; ++e) stack.push_back(ordered_[child_[e]].id);
    if (auto it = dependents_.find(cur); it != dependents_.end())
      for (const auto& c : it->second) stack.push_back(c);
  }
  if (!inclusive) out.erase(id);
  return out;
}

std::vector<std::string> RevisionMap::heads_of(const std::set<std::string>& applied) const {
  std::vector<std::string> out;
  for (const auto& id : sorted(applied, false)) {
    bool has_applied_child = false;
    for (const auto& c : children(id))
      if (applied.count(c)) has_applied_child = true;
    if (!has_applied_child) out.push_back(id);
  }
  return out;
}

std::vector<std::string> RevisionMap::heads_after_upgrade(std::vector<std::string> heads, const std::string& id) const {
  const auto& parents = get(id).down_revisions;
  std::erase_if(heads, [&](const auto& h) { return std::find(parents.begin(), parents.end(), h) != parents.end(); });
  if (std::find(heads.begin(), heads.end(), id) == heads.end()) heads.push_back(id);
  return heads;
}

std::vector<std::string> RevisionMap::heads_after_downgrade(std::vector<std::string> heads, const std::string& id,
                                                            const std::set<std::string>& applied_after) const {
  std::erase(heads, id);
  for (const auto& parent : get(id).down_revisions) {
    bool still_followed = false;
    for (const auto& c : children(parent)) still_followed = still_followed || applied_after.count(c) > 0;
    if (!still_followed && std::find(heads.begin(), heads.end(), parent) == heads.end()) heads.push_back(parent);
  }
  return heads;
}

std::string RevisionMap::resolve_revision(const std::string& text) const {
  if (text.empty()) throw ResolutionError("empty revision identifier");
  if (position_of(text)) return text;
  if (auto l = labels_.find(text); l != labels_.end()) return l->second;
  std::vector<std::string> matches;
  for (const auto& r : ordered_)
    if (r.id.rfind(text, 0) == 0) matches.push_back(r.id);
  if (matches.size() == 1) return matches.front();
  if (matches.empty())
    throw ResolutionError(
        fmt::format("no revision or branch label matches '{}' (see `retort "
                    "history`)",
                    text));
  throw ResolutionError(
      fmt::format("revision prefix '{}' is ambiguous: it matches {}", text, fmt::join(matches, ", ")));
}

std::vector<std::string> RevisionMap::relative(const std::string& from, int steps,
                                               const std::set<std::string>* branch) const {
  // Among several neighbours, the single one on the named branch.
  auto on_branch = [&](const std::vector<std::string>& options) -> std::optional<std::string> {
    if (!branch) return std::nullopt;
    std::optional<std::string> pick;
    for (const auto& o : options) {
      if (!branch->count(o)) continue;
      if (pick) return std::nullopt;
      pick = o;
    }
    return pick;
  };
  std::string cur = from;
  if (steps > 0) {
    for (int i = 0; i < steps; ++i) {
      auto kids = children(cur);
      if (kids.empty())
        throw ResolutionError(fmt::format("cannot move {} step(s) up from {}: {} is a head", steps, from, cur));
      if (kids.size() > 1) {
        if (auto pick = on_branch(kids)) {
          cur = *pick;
          continue;
        }
        throw ResolutionError(
            fmt::format("cannot move up from {}: it is a branch point ({}); name "
                        "the branch, e.g. LABEL@+N or a revision id",
                        cur, fmt::join(kids, ", ")));
      }
      cur = kids.front();
    }
    return {cur};
  }
  for (int i = 0; i < -steps; ++i) {
    const auto& r = get(cur);
    if (r.down_revisions.empty()) {
      if (i == -steps - 1) return {};  // stepping below the base lands on base
      throw ResolutionError(fmt::format("cannot move {} step(s) down from {}: reached base", -steps, from));
    }
    if (r.down_revisions.size() > 1) {
      if (auto pick = on_branch(r.down_revisions)) {
        cur = *pick;
        continue;
      }
      throw ResolutionError(
          fmt::format("cannot move down from {}: it is a merge of {}; name a "
                      "revision instead",
                      cur, fmt::join(r.down_revisions, ", ")));
    }
    cur = r.down_revisions.front();
  }
  return {cur};
}

std::vector<std::string> RevisionMap::label_heads(const std::string& label) const {
  auto l = labels_.find(label);
  std::string root = l != labels_.end() ? l->second : resolve_revision(label);
  std::vector<std::string> out;
  for (const auto& h : heads())
    if (h == root || descendants(root).count(h)) out.push_back(h);
  return out;
}

std::vector<std::string> RevisionMap::resolve(const std::string& identifier,
                                              const std::vector<std::string>& current) const {
  const std::string& id = identifier;
  if (id == "heads") return heads();
  if (id == "base") return {};
  if (id == "head") {
    auto h = heads();
    if (h.size() > 1)
      throw MultipleHeads(
          fmt::format("multiple heads are present ({}): use `heads` for all of "
                      "them, or LABEL@head / a revision id for one",
                      fmt::join(h, ", ")));
    return h;
  }
  auto single_current = [&]() -> std::optional<std::string> {
    if (current.empty()) return std::nullopt;
    if (current.size() > 1)
      throw MultipleHeads(
          fmt::format("the database has several heads ({}): a relative step needs "
                      "one; use LABEL@+N or REV+N",
                      fmt::join(current, ", ")));
    return current.front();
  };
  int n = 0;
  if ((id[0] == '+' || id[0] == '-') && parse_int(id.substr(1), n)) {
    int steps = id[0] == '+' ? n : -n;
    auto cur = single_current();
    if (!cur) {
      if (steps < 0) throw ResolutionError("the database is at base: nothing to step down from");
      auto b = bases();
      if (b.size() != 1) throw ResolutionError("several bases: cannot step up from base; name a revision");
      if (steps == 1) return {b.front()};
      return relative(b.front(), steps - 1);
    }
    return relative(*cur, steps);
  }
  if (auto at = id.find('@'); at != std::string::npos) {
    std::string label = id.substr(0, at), rest = id.substr(at + 1);
    if (rest == "head") {
      auto h = label_heads(label);
      if (h.size() != 1)
        throw MultipleHeads(fmt::format("branch {} has {} heads ({}); name one", label, h.size(), fmt::join(h, ", ")));
      return h;
    }
    if (rest == "base") return {};
    if ((rest[0] == '+' || rest[0] == '-') && parse_int(rest.substr(1), n)) {
      std::string root = resolve_revision(label);
      auto branch = descendants(root, true);
      for (const auto& a : ancestors({root})) branch.insert(a);
      std::optional<std::string> cur;
      for (const auto& c : current)
        if (branch.count(c)) cur = c;
      int steps = rest[0] == '+' ? n : -n;
      if (!cur) {
        if (steps < 0) throw ResolutionError(fmt::format("branch {} is not applied", label));
        return relative(root, steps - 1, &branch);
      }
      return relative(*cur, steps, &branch);
    }
    return {resolve_revision(rest)};
  }
  // REV+N / REV-N
  for (char sign : {'+', '-'}) {
    auto pos = id.rfind(sign);
    if (pos != std::string::npos && pos > 0 && parse_int(id.substr(pos + 1), n)) {
      std::string base = resolve_revision(id.substr(0, pos));
      return relative(base, sign == '+' ? n : -n);
    }
  }
  return {resolve_revision(id)};
}

std::vector<std::string> RevisionMap::upgrade_plan(const std::vector<std::string>& current,
                                                   const std::vector<std::string>& targets) const {
  auto want = ancestors(targets);
  auto have = ancestors(current);
  std::set<std::string> to_apply;
  for (const auto& id : want)
    if (!have.count(id)) to_apply.insert(id);
  return sorted(to_apply, false);
}

std::vector<std::string> RevisionMap::downgrade_plan(const std::vector<std::string>& current,
                                                     const std::vector<std::string>& targets,
                                                     const std::optional<std::string>& branch_label) const {
  auto applied = ancestors(current);
  std::set<std::string> remove;
  if (branch_label) {
    std::string root = resolve_revision(*branch_label);
    // The branch: the labelled revision, what follows it, and the ancestors that no other
    // applied head needs.
    auto branch = descendants(root, true);
    std::vector<std::string> other_heads;
    for (const auto& h : current)
      if (!branch.count(h)) other_heads.push_back(h);
    auto shared = ancestors(other_heads);
    for (const auto& a : ancestors({root}))
      if (!shared.count(a)) branch.insert(a);
    for (const auto& id : branch)
      if (applied.count(id)) remove.insert(id);
  } else if (targets.empty()) {
    remove = applied;
  } else {
    for (const auto& t : targets) {
      if (!applied.count(t))
        throw RangeNotAncestorError(
            fmt::format("cannot downgrade to {}: it is not applied (current heads: {}); downgrade only goes "
                        "to revisions below the current ones",
                        t, current.empty() ? std::string("base") : fmt::format("{}", fmt::join(current, ", "))));
      for (const auto& d : descendants(t))
        if (applied.count(d)) remove.insert(d);
    }
    for (const auto& keep : ancestors(targets)) remove.erase(keep);
  }
  return sorted(remove, true);
}

}  // namespace retort::migrate
