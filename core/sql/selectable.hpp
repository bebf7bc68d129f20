// FROM elements other than tables: aliases, joins, subqueries and CTEs, and `From`, the handle
// users join and alias with:  users.join(orders).outerjoin(items, on_clause)
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <retort/core/sql/elements.hpp>

namespace retort::core {

class Table;
class Select;

/// The output column names (and types) of a FROM element.
struct ColumnList {
  std::vector<std::string> names{};
  std::vector<SqlType> types{};
};

/// `table AS name`, or `(SELECT ...) AS name` for a subquery.
class AliasNode final : public Node {
 public:
  static constexpr NodeKind KIND = NodeKind::Alias;
  AliasNode(NodePtr element, std::string name) : Node(KIND), element_(std::move(element)), name_(std::move(name)) {}
  const Node& element() const noexcept { return *element_; }
  const NodePtr& element_ptr() const noexcept { return element_; }
  const std::string& name() const noexcept { return name_; }

 protected:
  void hash_into(Hasher& h) const override { h.add(name_); }
  void for_each_child(const std::function<void(const Node&)>& f) const override { f(*element_); }

 private:
  NodePtr element_;
  std::string name_;
};

/// left [LEFT OUTER | FULL OUTER] JOIN right ON onclause
class JoinNode final : public Node {
 public:
  static constexpr NodeKind KIND = NodeKind::Join;
  JoinNode(NodePtr left, NodePtr right, NodePtr onclause, bool isouter, bool full)
      : Node(KIND),
        left_(std::move(left)),
        right_(std::move(right)),
        onclause_(std::move(onclause)),
        isouter_(isouter),
        full_(full) {}
  const Node& left() const noexcept { return *left_; }
  const Node& right() const noexcept { return *right_; }
  const Node& onclause() const noexcept { return *onclause_; }
  bool isouter() const noexcept { return isouter_; }
  bool full() const noexcept { return full_; }

 protected:
  void hash_into(Hasher& h) const override { h.add(isouter_).add(full_); }
  void for_each_child(const std::function<void(const Node&)>& f) const override {
    f(*left_);
    f(*right_);
    f(*onclause_);
  }

 private:
  NodePtr left_, right_, onclause_;
  bool isouter_, full_;
};

/// A named common table expression. A recursive CTE is built by cte.union_all(step): the
/// result keeps the name and `generation` grows, so the compiler renders the latest form.
class CteNode final : public Node {
 public:
  static constexpr NodeKind KIND = NodeKind::Cte;
  CteNode(NodePtr select, std::string name, bool recursive, int generation)
      : Node(KIND),
        select_(std::move(select)),
        name_(std::move(name)),
        recursive_(recursive),
        generation_(generation) {}
  const Node& select() const noexcept { return *select_; }
  const NodePtr& select_ptr() const noexcept { return select_; }
  const std::string& name() const noexcept { return name_; }
  bool recursive() const noexcept { return recursive_; }
  int generation() const noexcept { return generation_; }

 protected:
  void hash_into(Hasher& h) const override { h.add(name_).add(recursive_).add(generation_); }
  void for_each_child(const std::function<void(const Node&)>& f) const override { f(*select_); }

 private:
  NodePtr select_;
  std::string name_;
  bool recursive_;
  int generation_;
};

/// Handle over a FROM element: a table, alias, join, subquery or CTE.
class From {
 public:
  From() = default;
  From(NodePtr node);        // NOLINT: implicit by design
  From(const Table& table);  // NOLINT
  const NodePtr& node() const noexcept { return node_; }

  /// A column of this element; throws NoSuchColumnError. Not available on a join.
  Expr c(std::string_view name) const;
  /// Output columns (for `SELECT *` expansion, subquery columns, CTE references).
  ColumnList columns() const;

  From alias(std::string name) const;
  /// JOIN; without `on`, the condition comes from the single foreign key between the sides
  /// (ArgumentError when there is none, or more than one).
  From join(const From& right, std::optional<Expr> on = std::nullopt) const;
  From outerjoin(const From& right, std::optional<Expr> on = std::nullopt) const;
  From full_outerjoin(const From& right, std::optional<Expr> on = std::nullopt) const;

  /// For a recursive CTE: `cte.union_all(step)` (see CteNode).
  From union_all(const Select& step) const;
  From union_(const Select& step) const;

 private:
  From make_join(const From& right, std::optional<Expr> on, bool isouter, bool full) const;
  NodePtr node_;
};

/// The name a FROM element is referred to by in SQL (table name, alias, CTE name).
std::string from_name(const Node& from);
/// The table underneath an alias (or the table itself); null for subqueries/CTEs/joins.
const Table* underlying_table(const Node& from);

}  // namespace retort::core
