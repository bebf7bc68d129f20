// Kahn's algorithm over the foreign-key graph; on a cycle, the foreign keys inside the
// remaining strongly-connected tables are set aside (to be added with ALTER) and sorting resumes.
#include <retort/core/ddl/sort_tables.hpp>

#include <map>
#include <set>

#include <retort/core/schema/table.hpp>

namespace retort::core {

namespace {
std::string key_of(const std::optional<std::string>& schema, const std::string& name) {
  return schema ? *schema + "." + name : name;
}

using Dependencies = std::vector<std::map<std::size_t, std::vector<std::size_t>>>;

/// Whether `target` can be reached from `from` (in one step or more) through tables not done.
bool reaches(const Dependencies& deps, const std::vector<bool>& done, std::size_t from, std::size_t target) {
  std::vector<std::size_t> stack{from};
  std::set<std::size_t> seen;
  while (!stack.empty()) {
    std::size_t n = stack.back();
    stack.pop_back();
    for (const auto& [d, fks] : deps[n]) {
      if (done[d]) continue;
      if (d == target) return true;
      if (seen.insert(d).second) stack.push_back(d);
    }
  }
  return false;
}
}  // namespace

SortedTables sort_tables_and_constraints(const std::vector<const Table*>& tables) {
  SortedTables out;
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < tables.size(); ++i) index[key_of(tables[i]->schema(), tables[i]->name())] = i;

  // edges[i] = set of tables i depends on, with the foreign keys that make each edge
  Dependencies deps(tables.size());
  for (std::size_t i = 0; i < tables.size(); ++i) {
    const auto& fks = tables[i]->foreign_keys();
    for (std::size_t f = 0; f < fks.size(); ++f) {
      auto schema = fks[f].referred_schema ? fks[f].referred_schema : tables[i]->schema();
      auto it = index.find(key_of(schema, fks[f].referred_table));
      if (it == index.end() || it->second == i) continue;
      if (fks[f].use_alter) {
        out.cyclic_foreign_keys.emplace_back(tables[i], f);
        continue;
      }
      deps[i][it->second].push_back(f);
    }
  }

  std::vector<bool> done(tables.size(), false);
  std::size_t remaining = tables.size();
  while (remaining > 0) {
    bool progressed = false;
    for (std::size_t i = 0; i < tables.size(); ++i) {
      if (done[i]) continue;
      bool ready = true;
      for (const auto& [d, fks] : deps[i])
        if (!done[d]) ready = false;
      if (!ready) continue;
      done[i] = true;
      out.tables.push_back(tables[i]);
      --remaining;
      progressed = true;
      break;  // restart from the start to keep the declared order stable
    }
    if (progressed) continue;
    // A cycle: the first waiting table that lies on one gives up its foreign keys to the tables
    // of its cycle (they become ALTER-added constraints), which lets the sort continue. Tables
    // that merely wait for a cycle keep their foreign keys.
    for (std::size_t i = 0; i < tables.size(); ++i) {
      if (done[i] || !reaches(deps, done, i, i)) continue;
      for (auto it = deps[i].begin(); it != deps[i].end();) {
        if (!done[it->first] && reaches(deps, done, it->first, i)) {
          for (auto f : it->second) out.cyclic_foreign_keys.emplace_back(tables[i], f);
          it = deps[i].erase(it);
        } else {
          ++it;
        }
      }
      break;
    }
  }
  return out;
}

}  // namespace retort::core
