// Ordering tables by foreign-key dependency (parents first), finding cycles to break.
#pragma once

#include <utility>
#include <vector>

namespace retort::core {

class Table;

struct SortedTables {
  std::vector<const Table*> tables{};  // each after every table it references
  /// Foreign keys (table, index into table->foreign_keys()) that close a cycle; they must be
  /// created by ALTER TABLE once all tables exist.
  std::vector<std::pair<const Table*, std::size_t>> cyclic_foreign_keys{};
};

/// Stable topological sort: tables keep their given order where dependencies allow.
/// Self-references are not dependencies. Foreign keys to tables not in `tables` are ignored.
SortedTables sort_tables_and_constraints(const std::vector<const Table*>& tables);

}  // namespace retort::core
