// Walking the revision graph as Alembic does (alembic/script/revision.py and base.py, 1.8):
// relative identifiers (+N, -N, REV+N, LABEL@+N, LABEL@-N), the revisions an upgrade or
// downgrade collects, their order (one branch at a time, depth first), and stamp steps.
#include <retort/migrate/revision_map.hpp>

#include <algorithm>
#include <regex>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <retort/migrate/errors.hpp>

namespace retort::migrate {

namespace {

/// "LABEL@SYMBOL+N": Alembic's _relative_destination, matched at the start of the identifier.
struct Relative {
  std::optional<std::string> branch_label;
  std::optional<std::string> symbol;
  int steps = 0;
  std::string text;  // "+N" / "-N" as written
};

std::optional<Relative> parse_relative(const std::string& identifier) {
  static const std::regex pattern(R"(^(?:(.+?)@)?(\w+)?([+-]\d+))");
  // libstdc++'s regex recurses once per character: a target of tens of thousands of characters
  // would overflow the stack. No revision id or label is that long.
  constexpr std::size_t kLongestTarget = 512;
  if (identifier.size() > kLongestTarget)
    throw RevisionError(fmt::format("target '{}...' is {} characters long; no revision or label is longer than {}",
                                    identifier.substr(0, 40), identifier.size(), kLongestTarget));
  std::smatch m;
  if (!std::regex_search(identifier, m, pattern)) return std::nullopt;
  Relative r;
  if (m[1].matched) r.branch_label = m[1].str();
  if (m[2].matched) r.symbol = m[2].str();
  r.text = m[3].str();
  try {
    r.steps = std::stoi(r.text);
  } catch (const std::out_of_range&) {
    throw RevisionError(fmt::format("relative step {} in '{}' is too large", r.text, identifier));
  }
  return r;
}

/// Python's int() on an identifier: an optional sign and digits.
std::optional<long long> as_integer(const std::string& s) {
  std::size_t start = (!s.empty() && (s[0] == '+' || s[0] == '-')) ? 1 : 0;
  if (start == s.size()) return std::nullopt;
  for (std::size_t i = start; i < s.size(); ++i)
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
  try {
    return std::stoll(s);
  } catch (const std::out_of_range&) {
    return std::nullopt;
  }
}

RevisionError too_few(const std::string& relative) {
  return RevisionError(
      fmt::format("relative revision {} does not produce {} migrations from here", relative, relative.substr(1)));
}

template <class T>
bool has(const std::vector<T>& v, const T& value) {
  return std::find(v.begin(), v.end(), value) != v.end();
}

}  // namespace

std::vector<RevisionMap::Spot> RevisionMap::revision_spots(const Ids& identifiers) const {
  std::vector<Spot> out;
  for (const auto& identifier : identifiers)
    for (const auto& spot : revision_spots(identifier)) out.push_back(spot);
  return out;
}

std::vector<RevisionMap::Spot> RevisionMap::revision_spots(const std::string& identifier) const {
  auto [ids, branch_label] = resolve_revision_number(identifier);
  std::vector<Spot> out;
  if (ids.size() == 1)
    if (auto n = as_integer(ids.front()); n && *n < 0) {
      // "-N" / "LABEL@-N": N steps down from each head (of the branch).
      for (Index h : in_load_order([&](Index k) { return nodes_[k].all_next.empty(); })) {
        if (branch_label && !nodes_[h].labels.count(*branch_label)) continue;
        out.push_back(walk(Spot::at(h), static_cast<int>(*n), std::nullopt, true));
      }
      return out;
    }
  for (const auto& id : ids) {
    auto k = revision_for_ident(id, branch_label);
    out.push_back(k ? Spot::at(*k) : Spot::base());
  }
  return out;
}

RevisionMap::Spot RevisionMap::walk(Spot start, int steps, const std::optional<std::string>& branch_label,
                                    bool no_overwalk) const {
  Spot current = start;
  for (int i = 0; i < std::abs(steps); ++i) {
    std::vector<Spot> next;
    if (steps > 0) {
      if (current.kind == Spot::Kind::Base) throw RevisionError("cannot walk up from base");
      Indexes up = current.kind == Spot::Kind::None ? in_load_order([&](Index k) { return nodes_[k].down.empty(); })
                                                    : nodes_[current.rev].next;
      if (branch_label) {
        Ids kept = filter_for_lineage(ids_of(up), *branch_label);
        up.clear();
        for (const auto& id : kept) up.push_back(index_of(id));
      }
      for (Index k : up) next.push_back(Spot::at(k));
    } else if (current.kind != Spot::Kind::Base) {
      const Indexes down = current.kind == Spot::Kind::None
                               ? in_load_order([&](Index k) { return nodes_[k].next.empty(); })
                               : nodes_[current.rev].down;
      for (Index k : down) next.push_back(Spot::at(k));
      if (next.empty()) next.push_back(Spot::base());
    }
    if (next.empty()) return no_overwalk ? Spot::none() : current;
    if (next.size() > 1) {
      Ids names;
      for (const auto& s : next) names.push_back(ordered_[s.rev].id);
      throw RevisionError(fmt::format(
          "ambiguous walk {} from {}: the next step could be any of {}; name a branch "
          "(LABEL@{:+d}) or a revision",
          steps > 0 ? "up" : "down", current.kind == Spot::Kind::Rev ? ordered_[current.rev].id : std::string("base"),
          fmt::join(names, ", "), steps));
    }
    current = next.front();
  }
  return current;
}

std::pair<std::optional<std::string>, RevisionMap::Spot> RevisionMap::parse_downgrade_target(
    const Ids& current, const std::string& target, bool assert_relative_length) const {
  auto start_of = [&](const std::string& identifier) {
    auto id = get_revision(identifier);
    return id ? Spot::at(index_of(*id)) : Spot::none();
  };
  if (auto rel = parse_relative(target)) {
    auto branch_label = rel->branch_label;
    if (rel->steps >= 0) {
      // "REV+N" downgrades to N above REV; "+N" alone is no downgrade.
      if (!rel->symbol) throw too_few(rel->text);
      auto spot = walk(start_of(*rel->symbol), rel->steps, branch_label, assert_relative_length);
      if (spot.kind == Spot::Kind::None) throw RevisionError(fmt::format("'{}' walks past a head", target));
      return {branch_label, spot};
    }
    std::string symbol;
    bool from_current = !rel->symbol;
    if (from_current) {
      if (branch_label) {
        // The one current head on the branch, or the branch's tip implied by the current heads.
        Ids on_branch = filter_for_lineage(current, *branch_label);
        if (on_branch.empty()) on_branch = filter_for_lineage(all_current(current), *branch_label);
        if (on_branch.size() != 1)
          throw RevisionError(fmt::format("{} needs one current revision on branch {}; there are {}", target,
                                          *branch_label,
                                          on_branch.empty() ? "none" : fmt::to_string(fmt::join(on_branch, ", "))));
        symbol = on_branch.front();
      } else {
        if (current.empty()) throw too_few(rel->text);
        Ids distinct = current;
        std::sort(distinct.begin(), distinct.end());
        distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
        // A deliberate difference: Alembic warns that this "will be disallowed" and picks one.
        if (distinct.size() > 1)
          throw RevisionError(fmt::format("downgrade {} from several heads ({}) is ambiguous: use LABEL@{} or REV{}",
                                          rel->text, fmt::join(current, ", "), rel->text, rel->text));
        symbol = current.front();
        branch_label = symbol;  // stay on that head's branch
      }
    } else {
      symbol = *rel->symbol;
    }
    auto spot = walk(start_of(branch_label ? *branch_label + "@" + symbol : symbol), rel->steps, std::nullopt,
                     assert_relative_length);
    if (spot.kind == Spot::Kind::None) {
      if (from_current) throw too_few(rel->text);
      throw RevisionError(fmt::format("'{}' walks past base", target));
    }
    return {branch_label, spot};
  }
  // An absolute target; LABEL@REV names the branch whose revisions are unwound.
  std::optional<std::string> branch_label;
  std::string symbol = target;
  if (auto at = target.rfind('@'); at != std::string::npos) {
    if (at > 0) branch_label = target.substr(0, at);
    symbol = target.substr(at + 1);
  }
  auto id = get_revision(symbol);
  return {branch_label, id ? Spot::at(index_of(*id)) : Spot::base()};
}

std::vector<RevisionMap::Spot> RevisionMap::parse_upgrade_target(const Ids& current, const Ids& target,
                                                                 bool assert_relative_length) const {
  std::optional<Relative> rel;
  if (target.size() == 1) rel = parse_relative(target.front());
  if (!rel) return revision_spots(target);
  const auto& branch_label = rel->branch_label;
  if (rel->steps > 0) {
    if (rel->symbol) {
      auto id = get_revision(*rel->symbol);
      return {walk(id ? Spot::at(index_of(*id)) : Spot::none(), rel->steps, branch_label, assert_relative_length)};
    }
    // "+N" / "LABEL@+N": up from the current revision (on the branch).
    std::vector<Spot> starts;
    for (const auto& c : current) {
      auto id = get_revision(c);
      starts.push_back(id ? Spot::at(index_of(*id)) : Spot::none());
    }
    if (starts.empty()) starts.push_back(Spot::none());
    if (branch_label) {
      const Ids current_ids = get_revisions(current);
      starts.clear();
      for (const auto& id : filter_for_lineage(current_ids, *branch_label)) starts.push_back(Spot::at(index_of(id)));
      if (starts.empty()) {
        // The branch has no current head: start from the tip of what is applied on it.
        Indexes current_positions;
        for (const auto& id : current_ids) current_positions.push_back(index_of(id));
        Ids active = filter_for_lineage(ids_of(related(current_positions, false, true)), *branch_label);
        for (const auto& id : active) {
          bool below_another = false;
          for (const auto& other : active)
            below_another = below_another || has(nodes_[index_of(other)].normalized_down, index_of(id));
          if (!below_another) starts.push_back(Spot::at(index_of(id)));
        }
        if (starts.empty()) starts.push_back(Spot::none());
      }
    }
    if (starts.size() > 1)
      throw RevisionError(fmt::format("{} from several current revisions ({}) is ambiguous: name a branch (LABEL@{})",
                                      rel->text, fmt::join(current, ", "), rel->text));
    auto spot = walk(starts.front(), rel->steps, branch_label, assert_relative_length);
    if (spot.kind == Spot::Kind::None) throw too_few(rel->text);
    return {spot};
  }
  if (!rel->symbol) throw RevisionError(fmt::format("upgrade to {} is no upgrade: use downgrade", rel->text));
  auto id = get_revision(branch_label ? *branch_label + "@" + *rel->symbol : *rel->symbol);
  return {walk(id ? Spot::at(index_of(*id)) : Spot::none(), rel->steps, std::nullopt, assert_relative_length)};
}

std::pair<RevisionMap::Indexes, RevisionMap::Indexes> RevisionMap::collect_upgrade(
    const Ids& upper, const Ids& lower, const IterateOptions& options) const {
  auto describe = [](const Ids& ids) {
    return ids.empty() ? std::string("base") : fmt::to_string(fmt::join(ids, ", "));
  };
  Indexes targets;
  for (const auto& spot : parse_upgrade_target(lower, upper, options.assert_relative_length)) {
    if (spot.kind != Spot::Kind::Rev)
      throw RevisionError(fmt::format("'{}' does not name a revision to upgrade to", describe(upper)));
    targets.push_back(spot.rev);
  }
  // "LABEL@..." as the lower end keeps only the targets on that branch.
  if (lower.size() == 1)
    if (auto at = lower.front().find('@'); at != std::string::npos) {
      std::string branch = lower.front().substr(0, at);
      auto branch_rev = get_revision(branch);
      if (branch_rev && *branch_rev == branch) {
        const auto& labels = nodes_[index_of(branch)].labels;
        if (labels.size() != 1)
          throw RevisionError(
              fmt::format("revision {} used as a branch has {} branch labels; name one", branch, labels.size()));
        branch = *labels.begin();
      }
      std::erase_if(targets, [&](Index t) { return !nodes_[t].labels.count(branch); });
    }
  auto required_list = related(targets, false, true, true);
  std::vector<char> required(nodes_.size(), 0);
  for (Index k : required_list) required[k] = 1;

  auto current_spots = revision_spots(lower);
  if (!options.implicit_base)
    for (const auto& spot : current_spots)
      if (spot.kind == Spot::Kind::Base || (spot.kind == Spot::Kind::Rev && !required[spot.rev]))
        throw RangeNotAncestorError(
            fmt::format("{} is not an ancestor of {}: the range runs backwards or across branches", describe(lower),
                        describe(upper)));
  Ids effective_lower = lower;
  Indexes current;
  if (!current_spots.empty() && current_spots.front().kind == Spot::Kind::None) {
    // A relative lower end ("-1") counts from the upper one.
    auto [label, spot] = parse_downgrade_target(upper, lower.front(), options.assert_relative_length);
    if (spot.kind == Spot::Kind::Rev) {
      current.push_back(spot.rev);
      effective_lower = {ordered_[spot.rev].id};
    } else {
      effective_lower.clear();
    }
  } else {
    for (const auto& spot : current_spots) {
      if (spot.kind == Spot::Kind::Rev) current.push_back(spot.rev);
      if (spot.kind == Spot::Kind::Base) throw RevisionError(fmt::format("'{}' walks below base", describe(lower)));
    }
  }
  std::vector<char> have(nodes_.size(), 0);
  for (Index k : related(current, false, true, true)) have[k] = 1;
  std::vector<char> needs(nodes_.size(), 0);
  for (Index k : required_list)
    if (!have[k]) needs[k] = 1;
  if (options.inclusive)
    for (const auto& spot : revision_spots(effective_lower))
      if (spot.kind == Spot::Kind::Rev) needs[spot.rev] = 1;
  if (!current.empty() && !options.implicit_base) {
    std::vector<char> above(nodes_.size(), 0);
    for (Index k : related(current, true, false, true)) above[k] = 1;
    for (std::size_t k = 0; k < needs.size(); ++k) needs[k] = needs[k] && above[k];
  }
  Indexes out;
  for (Index k = 0; k < needs.size(); ++k)
    if (needs[k]) out.push_back(k);
  return {out, targets};
}

std::pair<RevisionMap::Indexes, RevisionMap::Indexes> RevisionMap::collect_downgrade(
    const Ids& upper, const Ids& target, const IterateOptions& options) const {
  std::optional<std::string> branch_label;
  Spot target_spot = Spot::base();
  if (!target.empty())
    std::tie(branch_label, target_spot) = parse_downgrade_target(upper, target.front(), options.assert_relative_length);
  const bool to_base = target_spot.kind != Spot::Kind::Rev;
  Indexes roots;
  if (to_base)
    roots = in_load_order([&](Index k) { return nodes_[k].down.empty(); });
  else if (options.inclusive)
    roots = {target_spot.rev};
  else
    roots = nodes_[target_spot.rev].next;
  if (branch_label && roots.size() > 1) {
    // Only the roots below the branch: the other branches stay.
    auto line = related({resolve_branch(*branch_label)}, false, false);
    std::erase_if(roots, [&](Index r) { return !has(line, r); });
    if (roots.empty())
      throw RevisionError(fmt::format("{} is not a valid downgrade target from the current heads ({})", target.front(),
                                      upper.empty() ? "base" : fmt::to_string(fmt::join(upper, ", "))));
  }
  Indexes heads;
  for (const auto& spot : revision_spots(upper))
    if (spot.kind == Spot::Kind::Rev) heads.push_back(spot.rev);

  std::vector<char> above(nodes_.size(), 0), active(nodes_.size(), 0);
  for (Index k : related(roots, true, true)) above[k] = 1;
  for (Index k : related(heads, false, true)) active[k] = 1;
  std::vector<char> drop(nodes_.size(), 0);
  for (Index k = 0; k < drop.size(); ++k) drop[k] = above[k] && active[k];
  if (options.implicit_base) {
    std::vector<char> below_roots(nodes_.size(), 0);
    for (Index k : related(roots, false, true)) below_roots[k] = 1;
    for (Index k = 0; k < drop.size(); ++k) drop[k] = drop[k] || (active[k] && !below_roots[k]);
  }
  Indexes out;
  for (Index k = 0; k < drop.size(); ++k)
    if (drop[k]) out.push_back(k);
  if (!to_base && out.empty() && !has(heads, target_spot.rev))
    throw RangeNotAncestorError(
        fmt::format("{} is not a valid downgrade target from the current heads ({}): nothing above it is applied",
                    target.front(), upper.empty() ? "base" : fmt::to_string(fmt::join(upper, ", "))));
  return {out, heads};
}

RevisionMap::Indexes RevisionMap::topological_sort(const Indexes& revisions, const Indexes& heads) const {
  // Alembic's _topological_sort: walk down one head's line until another head's line needs the
  // next revision first; heads are taken in load order. The result is upper revisions first.
  const std::size_t n = nodes_.size();
  std::vector<char> pending(n, 0);
  std::size_t remaining = 0;  // revisions still pending
  for (Index k : revisions)
    if (!pending[k]) pending[k] = 1, ++remaining;
  auto ancestors_of = [&](Index k) {
    std::vector<char> line(n, 0);
    for (Index a : related({k}, false, true)) line[a] = 1;
    return line;
  };
  Indexes current;
  for (Index h : heads)
    if (pending[h] && !has(current, h)) current.push_back(h);
  std::sort(current.begin(), current.end(), [&](Index a, Index b) { return load_rank_[a] < load_rank_[b]; });
  std::vector<std::vector<char>> lines;
  for (Index h : current) lines.push_back(ancestors_of(h));

  Indexes out;
  std::size_t candidate_at = 0;
  while (!current.empty()) {
    Index candidate = current[candidate_at];
    bool deferred = false;
    for (std::size_t other = 0; other < lines.size(); ++other)
      if (other != candidate_at && lines[other][candidate]) {
        candidate_at = other;  // another head's line needs it: follow that line first
        deferred = true;
        break;
      }
    if (deferred) continue;
    if (pending[candidate]) {
      out.push_back(candidate);
      pending[candidate] = 0;
      --remaining;
    }
    const auto& node = nodes_[candidate];
    Indexes add;
    for (Index d : node.normalized_down)
      if (pending[d] && !has(current, d)) add.push_back(d);
    if (add.empty()) {
      current.erase(current.begin() + static_cast<std::ptrdiff_t>(candidate_at));
      lines.erase(lines.begin() + static_cast<std::ptrdiff_t>(candidate_at));
      candidate_at = candidate_at == 0 ? 0 : candidate_at - 1;
    } else if (!node.has_normalized_dependencies && node.down.size() == 1) {
      current[candidate_at] = add.front();
      lines[candidate_at][candidate] = 0;
    } else {
      current[candidate_at] = add.front();
      lines[candidate_at] = ancestors_of(add.front());
      for (std::size_t i = 1; i < add.size(); ++i) {
        current.push_back(add[i]);
        lines.push_back(ancestors_of(add[i]));
      }
    }
  }
  if (remaining != 0) {
    Indexes left;
    for (Index k = 0; k < n; ++k)
      if (pending[k]) left.push_back(k);
    throw RevisionError(
        fmt::format("revisions {} are not below the heads of the range", fmt::join(ids_of(left), ", ")));
  }
  return out;
}

Ids RevisionMap::iterate_revisions(const Ids& upper, const Ids& lower, IterateOptions options) const {
  auto [revisions, heads] =
      options.select_for_downgrade ? collect_downgrade(upper, lower, options) : collect_upgrade(upper, lower, options);
  return ids_of(topological_sort(revisions, heads));
}

std::vector<MigrationStep> RevisionMap::upgrade_plan(const std::string& destination, const Ids& current_heads) const {
  Ids revisions;
  try {
    revisions = iterate_revisions({destination}, current_heads, {.implicit_base = true});
  } catch (const RangeNotAncestorError&) {
    throw RangeNotAncestorError(
        fmt::format("{} is not a valid upgrade target from the current heads ({})", destination,
                    current_heads.empty() ? "base" : fmt::to_string(fmt::join(current_heads, ", "))));
  }
  std::vector<MigrationStep> steps;
  for (auto it = revisions.rbegin(); it != revisions.rend(); ++it) steps.push_back({*it, true});
  return steps;
}

std::vector<MigrationStep> RevisionMap::downgrade_plan(const std::string& destination, const Ids& current_heads) const {
  Ids target;
  if (!destination.empty()) target.push_back(destination);
  std::vector<MigrationStep> steps;
  for (auto& id : iterate_revisions(current_heads, target, {.select_for_downgrade = true}))
    steps.push_back({std::move(id), false});
  return steps;
}

std::vector<StampStep> RevisionMap::stamp_plan(const Ids& destinations, const Ids& current_heads) const {
  Ids dests = destinations;
  if (dests.empty()) dests = {"base"};
  // The current heads on the destinations' lines (through dependencies too) move; others stay.
  const Ids current = get_revisions(current_heads);
  Ids moving;
  for (const auto& d : dests)
    for (const auto& h : filter_for_lineage(current, d, true))
      if (!has(moving, h)) moving.push_back(h);
  auto targets = revision_spots(dests);
  if (targets.empty()) targets.push_back(Spot::base());
  std::vector<StampStep> steps;
  for (const auto& target : targets) {
    if (target.kind != Spot::Kind::Rev) {
      for (const auto& h : moving) steps.push_back({{h}, {}, false, true});
      continue;
    }
    const auto& dest = ordered_[target.rev].id;
    if (has(moving, dest)) continue;
    auto above = ids_of(related({target.rev}, true, true));
    auto below = ids_of(related({target.rev}, false, true));
    bool heads_above = std::any_of(moving.begin(), moving.end(), [&](const auto& h) { return has(above, h); });
    bool heads_below = std::any_of(moving.begin(), moving.end(), [&](const auto& h) { return has(below, h); });
    if (heads_above)
      steps.push_back({moving, {dest}, false, false});
    else if (heads_below)
      steps.push_back({moving, {dest}, true, false});
    else
      steps.push_back({{}, {dest}, true, true});  // a branch not in the version table yet
  }
  return steps;
}

RevisionMap::Indexes RevisionMap::all_current_positions(const Ids& heads) const {
  Indexes top;
  for (const auto& spot : revision_spots(heads))
    if (spot.kind == Spot::Kind::Rev) top.push_back(spot.rev);
  std::vector<char> in(nodes_.size(), 0);
  for (Index k : related(top, false, true)) in[k] = 1;
  // Keep the tips: a revision with a child in the set has its whole line above it there too.
  Indexes out;
  for (Index k = 0; k < nodes_.size(); ++k)
    if (in[k] && std::none_of(nodes_[k].next.begin(), nodes_[k].next.end(), [&](Index c) { return in[c]; }))
      out.push_back(k);
  return out;
}

Ids RevisionMap::all_current(const Ids& heads) const { return ids_of(all_current_positions(heads)); }

}  // namespace retort::migrate
