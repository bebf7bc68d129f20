// INSERT, UPDATE and DELETE statements, with RETURNING, built generatively:
//   insert(users).values({{"name", "Alice"}}).returning({users.c("id")})
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include <retort/core/sql/elements.hpp>
#include <retort/core/sql/params.hpp>
#include <retort/core/sql/select.hpp>
#include <retort/core/sql/upsert.hpp>

namespace retort::core {

class Table;

/// The right side of `column = ...` in VALUES/SET: an expression or a C++ value.
class Assignable {
 public:
  Assignable(Expr e) : expr_(std::move(e)) {}  // NOLINT: implicit by design
  template <Bindable T>
  Assignable(T&& v) : value_(Value(std::forward<T>(v))) {}  // NOLINT
  /// The expression, binding a plain value with the column's type.
  Expr to_expr(const SqlType& column_type) const;

 private:
  Expr expr_;
  std::optional<Value> value_;
};

using Assignments = std::vector<std::pair<std::string, Assignable>>;

/// The fields of an INSERT, in the order they are written (RETURNING last: bind parameters are
/// numbered in this order).
struct InsertParts {
  NodePtr table{};
  std::vector<std::string> columns{};        // target columns, in VALUES order
  std::vector<std::vector<NodePtr>> rows{};  // VALUES rows; empty with from_select or DEFAULT VALUES
  NodePtr from_select{};
  NodePtr extension{};  // dialect-only suffix such as ON CONFLICT
  std::vector<NodePtr> returning{};
};

template <class F>
void for_each_field(const InsertParts& p, F&& f) {
  const auto& [table, columns, rows, from_select, extension, returning] = p;
  f(table), f(columns), f(rows), f(from_select), f(extension), f(returning);
}

class InsertNode final : public Node, public InsertParts {
 public:
  static constexpr NodeKind KIND = NodeKind::Insert;
  explicit InsertNode(InsertParts parts = {}) : Node(KIND), InsertParts(std::move(parts)) {}

 protected:
  void hash_into(Hasher& h) const override { parts::hash_parts(h, static_cast<const InsertParts&>(*this)); }
  void for_each_child(const std::function<void(const Node&)>& f) const override {
    parts::visit_children(static_cast<const InsertParts&>(*this), f);
  }
};

/// The fields of an UPDATE, in the order they are written.
struct UpdateParts {
  NodePtr table{};
  std::vector<std::pair<std::string, NodePtr>> set{};
  NodePtr where{};
  std::vector<NodePtr> returning{};
};

template <class F>
void for_each_field(const UpdateParts& p, F&& f) {
  const auto& [table, set, where, returning] = p;
  f(table), f(set), f(where), f(returning);
}

class UpdateNode final : public Node, public UpdateParts {
 public:
  static constexpr NodeKind KIND = NodeKind::Update;
  explicit UpdateNode(UpdateParts parts = {}) : Node(KIND), UpdateParts(std::move(parts)) {}

 protected:
  void hash_into(Hasher& h) const override { parts::hash_parts(h, static_cast<const UpdateParts&>(*this)); }
  void for_each_child(const std::function<void(const Node&)>& f) const override {
    parts::visit_children(static_cast<const UpdateParts&>(*this), f);
  }
};

/// The fields of a DELETE, in the order they are written.
struct DeleteParts {
  NodePtr table{};
  NodePtr where{};
  std::vector<NodePtr> returning{};
};

template <class F>
void for_each_field(const DeleteParts& p, F&& f) {
  const auto& [table, where, returning] = p;
  f(table), f(where), f(returning);
}

class DeleteNode final : public Node, public DeleteParts {
 public:
  static constexpr NodeKind KIND = NodeKind::Delete;
  explicit DeleteNode(DeleteParts parts = {}) : Node(KIND), DeleteParts(std::move(parts)) {}

 protected:
  void hash_into(Hasher& h) const override { parts::hash_parts(h, static_cast<const DeleteParts&>(*this)); }
  void for_each_child(const std::function<void(const Node&)>& f) const override {
    parts::visit_children(static_cast<const DeleteParts&>(*this), f);
  }
};

class Insert : public Compilable<Insert> {
 public:
  explicit Insert(const Table& table);
  explicit Insert(NodePtr node) : node_(std::move(node)) {}
  const NodePtr& node() const noexcept { return node_; }
  const Table& table() const;

  /// One row: values({{"name", "Alice"}, {"created", func::now()}}).
  Insert values(const Assignments& row) const;
  /// Several rows in one INSERT (all rows must name the same columns).
  Insert values(const std::vector<Params>& rows) const;
  /// The same spelled in place: values({{{"id", 1}}, {{"id", 2}}}).
  Insert values(std::initializer_list<Params> rows) const { return values(std::vector<Params>(rows)); }
  /// INSERT INTO t (columns) SELECT ...
  Insert from_select(std::vector<std::string> columns, const Select& select) const;
  Insert returning(std::vector<Expr> columns) const;
  template <class... E>
  requires(sizeof...(E) > 0 && (std::is_same_v<E, Expr> && ...)) Insert returning(const E&... columns)
  const {  // returning(a, b), without braces
    return returning(std::vector<Expr>{columns...});
  }
  /// Binds every column named in `names` as a parameter of that name (what execute() does when
  /// an INSERT without values meets params).
  Insert with_parameter_columns(const std::vector<std::string>& names) const;
  bool has_values() const;

  /// INSERT ... ON CONFLICT [(target)] DO NOTHING (PostgreSQL, SQLite): a row that would break a
  /// unique constraint is skipped.
  Insert on_conflict_do_nothing(std::vector<std::string> target = {}) const;
  /// INSERT ... ON CONFLICT (target) DO UPDATE SET ... [WHERE ...] (PostgreSQL, SQLite): `target`
  /// names the columns of the unique constraint or index; `set` may use excluded("column").
  Insert on_conflict_do_update(std::vector<std::string> target, const Assignments& set) const;
  Insert on_conflict_do_update(std::vector<std::string> target, const Assignments& set, const Expr& where) const;
  /// INSERT ... ON DUPLICATE KEY UPDATE ... (MySQL, MariaDB); `set` may use excluded("column").
  Insert on_duplicate_key_update(const Assignments& set) const;

 private:
  std::shared_ptr<InsertNode> copy() const;
  Insert with_upsert(std::shared_ptr<OnConflictNode> upsert) const;
  NodePtr node_;
};

class Update : public Compilable<Update> {
 public:
  explicit Update(const Table& table);
  explicit Update(NodePtr node) : node_(std::move(node)) {}
  const NodePtr& node() const noexcept { return node_; }
  const Table& table() const;

  Update values(const Assignments& set) const;
  Update where(const Expr& condition) const;
  Update returning(std::vector<Expr> columns) const;
  template <class... E>
  requires(sizeof...(E) > 0 && (std::is_same_v<E, Expr> && ...)) Update returning(const E&... columns)
  const {  // returning(a, b), without braces
    return returning(std::vector<Expr>{columns...});
  }
  Update with_parameter_columns(const std::vector<std::string>& names) const;
  bool has_values() const;

 private:
  std::shared_ptr<UpdateNode> copy() const;
  NodePtr node_;
};

class Delete : public Compilable<Delete> {
 public:
  explicit Delete(const Table& table);
  explicit Delete(NodePtr node) : node_(std::move(node)) {}
  const NodePtr& node() const noexcept { return node_; }

  Delete where(const Expr& condition) const;
  Delete returning(std::vector<Expr> columns) const;
  template <class... E>
  requires(sizeof...(E) > 0 && (std::is_same_v<E, Expr> && ...)) Delete returning(const E&... columns)
  const {  // returning(a, b), without braces
    return returning(std::vector<Expr>{columns...});
  }

 private:
  std::shared_ptr<DeleteNode> copy() const;
  NodePtr node_;
};

inline Insert insert(const Table& table) { return Insert(table); }
inline Update update(const Table& table) { return Update(table); }
inline Delete delete_(const Table& table) { return Delete(table); }

}  // namespace retort::core
