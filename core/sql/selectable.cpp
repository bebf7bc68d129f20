// Aliases, joins (with ON inferred from foreign keys), subqueries and CTE references.
#include <retort/core/sql/selectable.hpp>

#include <retort/core/schema/owned_table.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <retort/core/schema/table.hpp>
#include <retort/core/sql/select.hpp>

namespace retort::core {

From::From(NodePtr node) : node_(std::move(node)) {
  if (!node_) throw ArgumentError("empty FROM element");
}
From::From(const Table& table) : node_(owned(table)) {}

std::string from_name(const Node& from) {
  switch (from.kind()) {
    case NodeKind::Table: return from.cast<Table>().name();
    case NodeKind::Alias: return from.cast<AliasNode>().name();
    case NodeKind::Cte: return from.cast<CteNode>().name();
    default: return {};
  }
}

const Table* underlying_table(const Node& from) {
  if (from.kind() == NodeKind::Table) return &from.cast<Table>();
  if (from.kind() == NodeKind::Alias) return underlying_table(from.cast<AliasNode>().element());
  return nullptr;
}

ColumnList From::columns() const {
  ColumnList out;
  const Node& n = *node_;
  switch (n.kind()) {
    case NodeKind::Table:
      for (const auto& c : n.cast<Table>().columns()) {
        out.names.push_back(c.name());
        out.types.push_back(c.type());
      }
      return out;
    case NodeKind::Alias: return From(n.cast<AliasNode>().element_ptr()).columns();
    case NodeKind::Cte: return Select(n.cast<CteNode>().select_ptr()).output_columns();
    case NodeKind::Select:
    case NodeKind::CompoundSelect: return Select(node_).output_columns();
    case NodeKind::Join: {
      const auto& j = n.cast<JoinNode>();
      // shared_ptr aliasing keeps the join alive while the sides are inspected
      auto l = From(NodePtr(node_, &j.left())).columns();
      auto r = From(NodePtr(node_, &j.right())).columns();
      l.names.insert(l.names.end(), r.names.begin(), r.names.end());
      l.types.insert(l.types.end(), r.types.begin(), r.types.end());
      return l;
    }
    default: throw ArgumentError("not a FROM element");
  }
}

Expr From::c(std::string_view name) const {
  const Node& n = *node_;
  if (n.kind() == NodeKind::Table) return n.cast<Table>().c(name);
  if (n.kind() == NodeKind::Join)
    throw ArgumentError("a join has no columns of its own; use the columns of its tables");
  auto cols = columns();
  for (std::size_t i = 0; i < cols.names.size(); ++i)
    if (cols.names[i] == name)
      return Expr(std::make_shared<ColumnNode>(std::string(name), cols.types[i], node_.get(), node_));
  throw NoSuchColumnError(
      fmt::format("{} has no column '{}' (columns: {})", from_name(n), name, fmt::join(cols.names, ", ")));
}

From From::alias(std::string name) const {
  if (name.empty()) throw ArgumentError("alias() needs a name");
  const Node& n = *node_;
  // Aliasing an alias re-aliases what is underneath.
  if (n.kind() == NodeKind::Alias)
    return From(std::make_shared<AliasNode>(n.cast<AliasNode>().element_ptr(), std::move(name)));
  return From(std::make_shared<AliasNode>(node_, std::move(name)));
}

namespace {

/// The FROM elements reachable as join sides (a join's leaves).
void leaves(const NodePtr& n, std::vector<NodePtr>& out) {
  if (n->kind() == NodeKind::Join) {
    const auto& j = n->cast<JoinNode>();
    leaves(NodePtr(n, &j.left()), out);
    leaves(NodePtr(n, &j.right()), out);
  } else {
    out.push_back(n);
  }
}

/// ON condition from the foreign keys of `child` that refer to `parent`'s table.
std::vector<Expr> conditions_between(const From& child, const Table& child_table, const From& parent,
                                     const Table& parent_table) {
  std::vector<Expr> found;
  for (const auto& fk : child_table.foreign_keys()) {
    bool same_schema =
        fk.referred_schema.value_or(parent_table.schema().value_or("")) == parent_table.schema().value_or("");
    if (fk.referred_table != parent_table.name() || !same_schema) continue;
    std::vector<Expr> parts;
    for (std::size_t i = 0; i < fk.columns.size(); ++i)
      parts.push_back(child.c(fk.columns[i]) == parent.c(fk.referred_columns[i]));
    found.push_back(and_(parts));
  }
  return found;
}

}  // namespace

From From::make_join(const From& right, std::optional<Expr> on, bool isouter, bool full) const {
  if (!on) {
    const Table* rt = underlying_table(*right.node());
    std::vector<NodePtr> left_leaves;
    leaves(node_, left_leaves);
    std::vector<Expr> candidates;
    if (rt) {
      for (const auto& leaf : left_leaves) {
        const Table* lt = underlying_table(*leaf);
        if (!lt) continue;
        From lf(leaf);
        for (auto& e : conditions_between(right, *rt, lf, *lt)) candidates.push_back(e);
        if (lt != rt)
          for (auto& e : conditions_between(lf, *lt, right, *rt)) candidates.push_back(e);
      }
    }
    if (candidates.empty())
      throw ArgumentError(
          fmt::format("cannot infer the ON clause for a join to {}: no foreign key links it to the left "
                      "side; pass the condition explicitly",
                      from_name(*right.node())));
    if (candidates.size() > 1)
      throw ArgumentError(
          fmt::format("cannot infer the ON clause for a join to {}: more than one foreign key links the "
                      "two sides; pass the condition explicitly",
                      from_name(*right.node())));
    on = candidates.front();
  }
  return From(std::make_shared<JoinNode>(node_, right.node(), on->node(), isouter, full));
}

From From::join(const From& right, std::optional<Expr> on) const {
  return make_join(right, std::move(on), false, false);
}
From From::outerjoin(const From& right, std::optional<Expr> on) const {
  return make_join(right, std::move(on), true, false);
}
From From::full_outerjoin(const From& right, std::optional<Expr> on) const {
  return make_join(right, std::move(on), true, true);
}

From From::union_all(const Select& step) const {
  if (node_->kind() != NodeKind::Cte) throw ArgumentError("union_all() on a FROM element needs a CTE");
  const auto& cte = node_->cast<CteNode>();
  Select base(cte.select_ptr());
  return From(std::make_shared<CteNode>(base.union_all(step).node(), cte.name(), true, cte.generation() + 1));
}
From From::union_(const Select& step) const {
  if (node_->kind() != NodeKind::Cte) throw ArgumentError("union_() on a FROM element needs a CTE");
  const auto& cte = node_->cast<CteNode>();
  Select base(cte.select_ptr());
  return From(std::make_shared<CteNode>(base.union_(step).node(), cte.name(), true, cte.generation() + 1));
}

}  // namespace retort::core
