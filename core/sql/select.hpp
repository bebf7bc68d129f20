// SELECT and compound selects (UNION, UNION ALL, INTERSECT, EXCEPT), built generatively:
//   select(users.c("id"), func::count()).select_from(users.join(orders)).group_by(users.c("id"))
#pragma once

#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include <retort/core/sql/elements.hpp>
#include <retort/core/sql/node_parts.hpp>
#include <retort/core/sql/selectable.hpp>

namespace retort::core {

/// The fields of a SELECT, in the order they are written.
struct SelectParts {
  std::vector<NodePtr> columns{};
  std::vector<NodePtr> froms{};  // explicit select_from(); others are inferred from columns
  NodePtr where{};
  std::vector<NodePtr> group_by{};
  NodePtr having{};
  std::vector<NodePtr> order_by{};
  NodePtr limit{};  // bind parameters, so changing the value reuses the compiled statement
  NodePtr offset{};
  bool distinct = false;
};

template <class F>
void for_each_field(const SelectParts& p, F&& f) {
  const auto& [columns, froms, where, group_by, having, order_by, limit, offset, distinct] = p;
  f(columns), f(froms), f(where), f(group_by), f(having), f(order_by), f(limit), f(offset), f(distinct);
}

class SelectNode final : public Node, public SelectParts {
 public:
  static constexpr NodeKind KIND = NodeKind::Select;
  explicit SelectNode(SelectParts parts = {}) : Node(KIND), SelectParts(std::move(parts)) {}

 protected:
  void hash_into(Hasher& h) const override { parts::hash_parts(h, static_cast<const SelectParts&>(*this)); }
  void for_each_child(const std::function<void(const Node&)>& f) const override {
    parts::visit_children(static_cast<const SelectParts&>(*this), f);
  }
};

enum class CompoundOperator { Union, UnionAll, Intersect, Except };

/// The fields of a compound select (UNION and friends), in the order they are written.
struct CompoundSelectParts {
  CompoundOperator op = CompoundOperator::Union;
  std::vector<NodePtr> selects{};
  std::vector<NodePtr> order_by{};
  NodePtr limit{};
  NodePtr offset{};
};

template <class F>
void for_each_field(const CompoundSelectParts& p, F&& f) {
  const auto& [op, selects, order_by, limit, offset] = p;
  f(op), f(selects), f(order_by), f(limit), f(offset);
}

class CompoundSelectNode final : public Node, public CompoundSelectParts {
 public:
  static constexpr NodeKind KIND = NodeKind::CompoundSelect;
  explicit CompoundSelectNode(CompoundSelectParts parts = {}) : Node(KIND), CompoundSelectParts(std::move(parts)) {}

 protected:
  void hash_into(Hasher& h) const override { parts::hash_parts(h, static_cast<const CompoundSelectParts&>(*this)); }
  void for_each_child(const std::function<void(const Node&)>& f) const override {
    parts::visit_children(static_cast<const CompoundSelectParts&>(*this), f);
  }
};

/// Handle over a SELECT (or compound select). Each method returns a new Select.
class Select : public Compilable<Select> {
 public:
  Select();
  explicit Select(NodePtr node);
  const NodePtr& node() const noexcept { return node_; }

  Select add_columns(std::vector<Expr> columns) const;
  Select select_from(const From& from) const;
  /// Adds a WHERE condition; several calls are joined with AND.
  Select where(const Expr& condition) const;
  Select group_by(std::vector<Expr> columns) const;
  Select having(const Expr& condition) const;
  Select order_by(std::vector<Expr> columns) const;
  /// group_by(a, b) and order_by(a, b.desc()), without braces.
  template <class... E>
  requires(sizeof...(E) > 0 && (std::is_same_v<E, Expr> && ...)) Select group_by(const E&... columns)
  const { return group_by(std::vector<Expr>{columns...}); }
  template <class... E>
  requires(sizeof...(E) > 0 && (std::is_same_v<E, Expr> && ...)) Select order_by(const E&... columns)
  const { return order_by(std::vector<Expr>{columns...}); }
  Select limit(std::int64_t n) const;
  Select offset(std::int64_t n) const;
  Select distinct(bool value = true) const;
  /// JOIN onto the current FROM (the first selected table when none was set).
  Select join(const From& right, std::optional<Expr> on = std::nullopt) const;
  Select outerjoin(const From& right, std::optional<Expr> on = std::nullopt) const;

  Select union_(const Select& other) const;
  Select union_all(const Select& other) const;
  Select intersect(const Select& other) const;
  Select except_(const Select& other) const;

  /// (SELECT ...) AS name, usable in FROM.
  From subquery(std::string name) const;
  /// A common table expression named `name`.
  From cte(std::string name, bool recursive = false) const;
  /// (SELECT ...) as a value: the select must return one column.
  Expr scalar_subquery() const;
  Expr label(std::string name) const { return scalar_subquery().label(std::move(name)); }

  /// Output column names as the database will report them where knowable.
  ColumnList output_columns() const;

 private:
  Select compound(CompoundOperator op, const Select& other) const;
  std::shared_ptr<SelectNode> copy_select() const;
  NodePtr node_;
};

namespace detail {
inline void append_selectable(std::vector<Expr>& out, const Expr& e) { out.push_back(e); }
/// A table or other FROM element selects all of its columns.
void append_selectable(std::vector<Expr>& out, const From& from);
}  // namespace detail

/// SELECT columns... (a table or alias stands for all of its columns)
template <class... Columns>
Select select(const Columns&... columns) {
  std::vector<Expr> list;
  (detail::append_selectable(list, columns), ...);
  return Select().add_columns(std::move(list));
}
Select select(std::vector<Expr> columns);

}  // namespace retort::core
