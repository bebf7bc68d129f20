// Upserts, the INSERT suffixes SQLAlchemy's dialect insert() constructs add: ON CONFLICT ... DO
// NOTHING / DO UPDATE (PostgreSQL, SQLite) and ON DUPLICATE KEY UPDATE (MySQL, MariaDB). Built with
// Insert::on_conflict_do_nothing / on_conflict_do_update / on_duplicate_key_update; a dialect
// without the form refuses it when compiling (DialectFeatures says which form it has).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <retort/core/sql/elements.hpp>

namespace retort::core {

/// The suffix itself, an Insert's extension node.
class OnConflictNode final : public Node {
 public:
  static constexpr NodeKind KIND = NodeKind::Extension;
  OnConflictNode() : Node(KIND) {}
  bool duplicate_key = false;                        // ON DUPLICATE KEY UPDATE (else ON CONFLICT)
  std::vector<std::string> target;                   // ON CONFLICT (columns); may be empty for DO NOTHING
  std::vector<std::pair<std::string, NodePtr>> set;  // DO UPDATE SET / UPDATE; empty: DO NOTHING
  NodePtr where;                                     // DO UPDATE ... WHERE

  void for_each_child(const std::function<void(const Node&)>& f) const override;

 protected:
  void hash_into(Hasher& h) const override;
};

/// The value a column would have had in the row that was not inserted: excluded.name (ON
/// CONFLICT) or VALUES(name) (ON DUPLICATE KEY UPDATE).
class ExcludedNode final : public Node {
 public:
  static constexpr NodeKind KIND = NodeKind::Extension;
  explicit ExcludedNode(std::string column_in) : Node(KIND), column(std::move(column_in)) {}
  std::string column;

  void for_each_child(const std::function<void(const Node&)>&) const override {}

 protected:
  void hash_into(Hasher& h) const override;
};

/// In an upsert's SET: the value proposed for `column` by the row that conflicted.
Expr excluded(std::string column);

}  // namespace retort::core
