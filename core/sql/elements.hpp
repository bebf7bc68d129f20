// Column expressions: the nodes (column, bind parameter, operators, functions, CASE, CAST, ...)
// and `Expr`, the value handle users compose with C++ operators:
//   users.c("age") >= 18 && users.c("name").like("A%")
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <retort/core/sql/compiled_statement.hpp>
#include <retort/core/sql/node.hpp>
#include <retort/core/types.hpp>
#include <retort/core/value.hpp>

namespace retort::core {

class Select;

/// A node that yields a value; its SQL type guides bind conversion and result typing.
class ExpressionNode : public Node {
 public:
  ExpressionNode(NodeKind kind, SqlType type) : Node(kind), type_(std::move(type)) {}
  const SqlType& type() const noexcept { return type_; }

 private:
  SqlType type_;
};

/// A column of a table, alias, subquery or CTE; or a detached/literal column.
class ColumnNode final : public ExpressionNode {
 public:
  static constexpr NodeKind KIND = NodeKind::Column;
  /// `from` is the owning FROM element (may be null for a detached column); `owner` keeps it
  /// alive where nothing else does (aliases, subqueries). A table's columns are handed out by
  /// Table::c as pointers that share the table's ownership, which keeps the table alive.
  ColumnNode(std::string name, SqlType type, const Node* from, NodePtr owner = nullptr, bool literal = false)
      : ExpressionNode(KIND, std::move(type)),
        name_(std::move(name)),
        from_(from),
        owner_(std::move(owner)),
        literal_(literal) {}
  const std::string& name() const noexcept { return name_; }
  const Node* from() const noexcept { return from_; }
  /// A literal column renders its name as raw SQL text, unquoted.
  bool literal() const noexcept { return literal_; }

 protected:
  void hash_into(Hasher& h) const override;
  /// A derived FROM element (subquery, CTE, alias) belongs to the column: its bind parameters
  /// travel with any statement that reaches it only through this column.
  void for_each_child(const std::function<void(const Node&)>& f) const override {
    if (from_ && from_->kind() != NodeKind::Table) f(*from_);
  }

 private:
  std::string name_;
  const Node* from_;
  NodePtr owner_;
  bool literal_;
};

/// A bound parameter: carries a value, or only a name to be filled from execute()'s params.
class BindParamNode final : public ExpressionNode {
 public:
  static constexpr NodeKind KIND = NodeKind::BindParam;
  BindParamNode(std::string name, std::optional<Value> value, SqlType type)
      : ExpressionNode(KIND, std::move(type)), name_(std::move(name)), value_(std::move(value)) {}
  /// Empty for an anonymous parameter created from a literal C++ value.
  const std::string& name() const noexcept { return name_; }
  const std::optional<Value>& value() const noexcept { return value_; }

 protected:
  void hash_into(Hasher& h) const override;
  void for_each_child(const std::function<void(const Node&)>&) const override {}

 private:
  std::string name_;
  std::optional<Value> value_;
};

enum class Keyword { Null, True, False, Star, Default, CurrentTimestamp, CurrentDate, CurrentTime };

class KeywordNode final : public ExpressionNode {
 public:
  static constexpr NodeKind KIND = NodeKind::Keyword;
  explicit KeywordNode(Keyword keyword);
  Keyword keyword() const noexcept { return keyword_; }

 protected:
  void hash_into(Hasher& h) const override { h.add(static_cast<std::uint64_t>(keyword_)); }
  void for_each_child(const std::function<void(const Node&)>&) const override {}

 private:
  Keyword keyword_;
};

enum class UnaryOperator { Not, Negate, IsNull, IsNotNull, Distinct };

class UnaryNode final : public ExpressionNode {
 public:
  static constexpr NodeKind KIND = NodeKind::Unary;
  UnaryNode(UnaryOperator op, NodePtr operand, SqlType type)
      : ExpressionNode(KIND, std::move(type)), op_(op), operand_(std::move(operand)) {}
  UnaryOperator op() const noexcept { return op_; }
  const Node& operand() const noexcept { return *operand_; }

 protected:
  void hash_into(Hasher& h) const override;
  void for_each_child(const std::function<void(const Node&)>& f) const override { f(*operand_); }

 private:
  UnaryOperator op_;
  NodePtr operand_;
};

enum class BinaryOperator {
  Eq,
  Ne,
  Lt,
  Gt,
  Le,
  Ge,
  Add,
  Sub,
  Mul,
  Div,
  Mod,
  Concat,
  Like,
  NotLike,
  ILike,
  NotILike,
  Is,
  IsNot,
};

class BinaryNode final : public ExpressionNode {
 public:
  static constexpr NodeKind KIND = NodeKind::Binary;
  BinaryNode(BinaryOperator op, NodePtr left, NodePtr right, SqlType type,
             std::optional<std::string> escape = std::nullopt)
      : ExpressionNode(KIND, std::move(type)),
        op_(op),
        left_(std::move(left)),
        right_(std::move(right)),
        escape_(std::move(escape)) {}
  BinaryOperator op() const noexcept { return op_; }
  const Node& left() const noexcept { return *left_; }
  const Node& right() const noexcept { return *right_; }
  /// LIKE ... ESCAPE 'c'
  const std::optional<std::string>& escape() const noexcept { return escape_; }

 protected:
  void hash_into(Hasher& h) const override;
  void for_each_child(const std::function<void(const Node&)>& f) const override {
    f(*left_);
    f(*right_);
  }

 private:
  BinaryOperator op_;
  NodePtr left_, right_;
  std::optional<std::string> escape_;
};

enum class ListOperator { And, Or, Comma };

/// a AND b AND c, a OR b, or a comma-separated list (a tuple).
class ClauseListNode final : public ExpressionNode {
 public:
  static constexpr NodeKind KIND = NodeKind::ClauseList;
  ClauseListNode(ListOperator op, std::vector<NodePtr> items, SqlType type)
      : ExpressionNode(KIND, std::move(type)), op_(op), items_(std::move(items)) {}
  ListOperator op() const noexcept { return op_; }
  const std::vector<NodePtr>& items() const noexcept { return items_; }

 protected:
  void hash_into(Hasher& h) const override;
  void for_each_child(const std::function<void(const Node&)>& f) const override {
    for (const auto& i : items_) f(*i);
  }

 private:
  ListOperator op_;
  std::vector<NodePtr> items_;
};

/// name(args...). Well-known names (now, count, ...) may be respelled by a dialect.
class FunctionNode final : public ExpressionNode {
 public:
  static constexpr NodeKind KIND = NodeKind::Function;
  FunctionNode(std::string name, std::vector<NodePtr> args, SqlType type)
      : ExpressionNode(KIND, std::move(type)), name_(std::move(name)), args_(std::move(args)) {}
  const std::string& name() const noexcept { return name_; }
  const std::vector<NodePtr>& args() const noexcept { return args_; }

 protected:
  void hash_into(Hasher& h) const override;
  void for_each_child(const std::function<void(const Node&)>& f) const override {
    for (const auto& a : args_) f(*a);
  }

 private:
  std::string name_;
  std::vector<NodePtr> args_;
};

class LabelNode final : public ExpressionNode {
 public:
  static constexpr NodeKind KIND = NodeKind::Label;
  LabelNode(std::string name, NodePtr element, SqlType type)
      : ExpressionNode(KIND, std::move(type)), name_(std::move(name)), element_(std::move(element)) {}
  const std::string& name() const noexcept { return name_; }
  const Node& element() const noexcept { return *element_; }
  const NodePtr& element_ptr() const noexcept { return element_; }

 protected:
  void hash_into(Hasher& h) const override { h.add(name_); }
  void for_each_child(const std::function<void(const Node&)>& f) const override { f(*element_); }

 private:
  std::string name_;
  NodePtr element_;
};

class CastNode final : public ExpressionNode {
 public:
  static constexpr NodeKind KIND = NodeKind::Cast;
  CastNode(NodePtr element, SqlType type) : ExpressionNode(KIND, std::move(type)), element_(std::move(element)) {}
  const Node& element() const noexcept { return *element_; }

 protected:
  void hash_into(Hasher& h) const override;
  void for_each_child(const std::function<void(const Node&)>& f) const override { f(*element_); }

 private:
  NodePtr element_;
};

/// CASE [value] WHEN a THEN b ... [ELSE c] END
class CaseNode final : public ExpressionNode {
 public:
  static constexpr NodeKind KIND = NodeKind::Case;
  CaseNode(NodePtr value, std::vector<std::pair<NodePtr, NodePtr>> whens, NodePtr otherwise, SqlType type)
      : ExpressionNode(KIND, std::move(type)),
        value_(std::move(value)),
        whens_(std::move(whens)),
        else_(std::move(otherwise)) {}
  const Node* value() const noexcept { return value_.get(); }
  const std::vector<std::pair<NodePtr, NodePtr>>& whens() const noexcept { return whens_; }
  const Node* else_result() const noexcept { return else_.get(); }

 protected:
  void hash_into(Hasher& h) const override;
  void for_each_child(const std::function<void(const Node&)>& f) const override;

 private:
  NodePtr value_;
  std::vector<std::pair<NodePtr, NodePtr>> whens_;
  NodePtr else_;
};

/// x [NOT] IN (a, b, c) or x [NOT] IN (SELECT ...). An empty list renders as a false predicate.
class InNode final : public ExpressionNode {
 public:
  static constexpr NodeKind KIND = NodeKind::In;
  InNode(NodePtr element, std::vector<NodePtr> items, NodePtr subquery, bool negate)
      : ExpressionNode(KIND, Boolean{}),
        element_(std::move(element)),
        items_(std::move(items)),
        subquery_(std::move(subquery)),
        negate_(negate) {}
  const Node& element() const noexcept { return *element_; }
  const std::vector<NodePtr>& items() const noexcept { return items_; }
  const Node* subquery() const noexcept { return subquery_.get(); }
  bool negate() const noexcept { return negate_; }

 protected:
  void hash_into(Hasher& h) const override;
  void for_each_child(const std::function<void(const Node&)>& f) const override;

 private:
  NodePtr element_;
  std::vector<NodePtr> items_;
  NodePtr subquery_;
  bool negate_;
};

class BetweenNode final : public ExpressionNode {
 public:
  static constexpr NodeKind KIND = NodeKind::Between;
  BetweenNode(NodePtr element, NodePtr low, NodePtr high, bool negate)
      : ExpressionNode(KIND, Boolean{}),
        element_(std::move(element)),
        low_(std::move(low)),
        high_(std::move(high)),
        negate_(negate) {}
  const Node& element() const noexcept { return *element_; }
  const Node& low() const noexcept { return *low_; }
  const Node& high() const noexcept { return *high_; }
  bool negate() const noexcept { return negate_; }

 protected:
  void hash_into(Hasher& h) const override { h.add(negate_); }
  void for_each_child(const std::function<void(const Node&)>& f) const override {
    f(*element_);
    f(*low_);
    f(*high_);
  }

 private:
  NodePtr element_, low_, high_;
  bool negate_;
};

/// EXISTS (SELECT ...)
class ExistsNode final : public ExpressionNode {
 public:
  static constexpr NodeKind KIND = NodeKind::Exists;
  explicit ExistsNode(NodePtr select) : ExpressionNode(KIND, Boolean{}), select_(std::move(select)) {}
  const Node& select() const noexcept { return *select_; }

 protected:
  void hash_into(Hasher&) const override {}
  void for_each_child(const std::function<void(const Node&)>& f) const override { f(*select_); }

 private:
  NodePtr select_;
};

/// (SELECT ...) used as a value.
class ScalarSelectNode final : public ExpressionNode {
 public:
  static constexpr NodeKind KIND = NodeKind::ScalarSelect;
  ScalarSelectNode(NodePtr select, SqlType type) : ExpressionNode(KIND, std::move(type)), select_(std::move(select)) {}
  const Node& select() const noexcept { return *select_; }

 protected:
  void hash_into(Hasher&) const override {}
  void for_each_child(const std::function<void(const Node&)>& f) const override { f(*select_); }

 private:
  NodePtr select_;
};

enum class NullsOrder { Default, First, Last };

/// expr ASC|DESC [NULLS FIRST|LAST], for ORDER BY.
class OrderingNode final : public ExpressionNode {
 public:
  static constexpr NodeKind KIND = NodeKind::Ordering;
  OrderingNode(NodePtr element, bool descending, NullsOrder nulls)
      : ExpressionNode(KIND, {}), element_(std::move(element)), descending_(descending), nulls_(nulls) {}
  const Node& element() const noexcept { return *element_; }
  bool descending() const noexcept { return descending_; }
  NullsOrder nulls() const noexcept { return nulls_; }

 protected:
  void hash_into(Hasher& h) const override;
  void for_each_child(const std::function<void(const Node&)>& f) const override { f(*element_); }

 private:
  NodePtr element_;
  bool descending_;
  NullsOrder nulls_;
};

/// Raw SQL with `:name` parameters. `pieces` has one more entry than `binds`: the text runs
/// between parameters. `::` (PostgreSQL casts) and `\:` are not parameters.
class TextNode final : public ExpressionNode {
 public:
  static constexpr NodeKind KIND = NodeKind::Text;
  TextNode(std::vector<std::string> pieces, std::vector<NodePtr> binds)
      : ExpressionNode(KIND, {}), pieces_(std::move(pieces)), binds_(std::move(binds)) {}
  const std::vector<std::string>& pieces() const noexcept { return pieces_; }
  const std::vector<NodePtr>& binds() const noexcept { return binds_; }

 protected:
  void hash_into(Hasher& h) const override;
  void for_each_child(const std::function<void(const Node&)>& f) const override {
    for (const auto& b : binds_) f(*b);
  }

 private:
  std::vector<std::string> pieces_;
  std::vector<NodePtr> binds_;
};

/// The user-facing handle over an expression node. Cheap to copy; immutable.
class Expr : public Compilable<Expr> {
 public:
  Expr() = default;
  explicit Expr(NodePtr node) : node_(std::move(node)) {}

  const NodePtr& node() const noexcept { return node_; }
  explicit operator bool() const = delete;  // `if (expr)` is always a mistake
  bool valid() const noexcept { return node_ != nullptr; }
  /// The SQL type of this expression (NullType where unknown).
  const SqlType& type() const;

  Expr label(std::string name) const;
  Expr asc() const;
  Expr desc() const;
  Expr nulls_first() const;
  Expr nulls_last() const;
  Expr like(const Expr& pattern, std::optional<std::string> escape = std::nullopt) const;
  Expr not_like(const Expr& pattern, std::optional<std::string> escape = std::nullopt) const;
  Expr ilike(const Expr& pattern, std::optional<std::string> escape = std::nullopt) const;
  Expr not_ilike(const Expr& pattern, std::optional<std::string> escape = std::nullopt) const;
  /// The same with a plain pattern, bound as a parameter: name.like("a%").
  Expr like(std::string_view pattern, std::optional<std::string> escape = std::nullopt) const;
  Expr not_like(std::string_view pattern, std::optional<std::string> escape = std::nullopt) const;
  Expr ilike(std::string_view pattern, std::optional<std::string> escape = std::nullopt) const;
  Expr not_ilike(std::string_view pattern, std::optional<std::string> escape = std::nullopt) const;
  /// LIKE with the text taken literally (its % and _ escaped): starts with, ends with, contains.
  Expr startswith(std::string_view prefix) const;
  Expr endswith(std::string_view suffix) const;
  Expr contains(std::string_view text) const;
  Expr in_(const std::vector<Value>& values) const;
  Expr in_(const std::vector<Expr>& items) const;
  /// in_({"a", "b"}) and in_({1, 2}): a braced list of values (of expressions: the overload below).
  Expr in_(std::initializer_list<Value> values) const;
  Expr in_(std::initializer_list<Expr> items) const;
  Expr in_(const Select& subquery) const;
  Expr not_in(const std::vector<Value>& values) const;
  Expr not_in(std::initializer_list<Value> values) const;
  Expr not_in(const Select& subquery) const;
  Expr between(const Expr& low, const Expr& high) const;
  Expr not_between(const Expr& low, const Expr& high) const;
  /// between(1, 10), between(low_column, 10): values bind like this expression.
  template <class L, class H>
  requires(!(std::is_same_v<std::decay_t<L>, Expr> && std::is_same_v<std::decay_t<H>, Expr>)) Expr
      between(L&& low, H&& high)
  const { return between(operand(std::forward<L>(low)), operand(std::forward<H>(high))); }
  template <class L, class H>
  requires(!(std::is_same_v<std::decay_t<L>, Expr> && std::is_same_v<std::decay_t<H>, Expr>)) Expr
      not_between(L&& low, H&& high)
  const { return not_between(operand(std::forward<L>(low)), operand(std::forward<H>(high))); }
  Expr is_null() const;
  Expr is_not_null() const;
  Expr is_(const Expr& other) const;
  Expr is_not(const Expr& other) const;
  Expr concat(const Expr& other) const;
  Expr cast(SqlType type) const;
  Expr distinct() const;

 private:
  /// `v` bound as a parameter of this expression's type.
  Expr bound(Value v) const;
  template <class T>
  Expr operand(T&& v) const {
    if constexpr (std::is_same_v<std::decay_t<T>, Expr>)
      return v;
    else
      return bound(Value(std::forward<T>(v)));
  }
  NodePtr node_;
};

/// Anything an operator accepts on its other side: an Expr or a C++ value to bind.
template <class T>
concept Bindable = std::is_constructible_v<Value, T> && !std::is_same_v<std::decay_t<T>, Expr>;

/// A bound literal value; its type comes from `type_hint` when given, else from the value.
Expr literal(Value v, std::optional<SqlType> type_hint = std::nullopt);
/// A named parameter filled from execute()'s params (or `value` when given).
Expr bindparam(std::string name, std::optional<Value> value = std::nullopt, SqlType type = {});
/// A column not bound to any table: `column("x")` renders as x (quoted as needed).
Expr column(std::string name, SqlType type = {});
/// Raw SQL used as a column expression, rendered verbatim: literal_column("count(*)").
Expr literal_column(std::string sql, SqlType type = {});
/// Raw SQL with :name parameters; values given here are bound, others come from execute().
Expr text(std::string_view sql, std::initializer_list<std::pair<std::string, Value>> values = {});
Expr null();
Expr true_();
Expr false_();
Expr star();
Expr and_(std::vector<Expr> clauses);
Expr or_(std::vector<Expr> clauses);
/// and_(a, b, c) and or_(a, b, c), without braces.
template <class... E>
requires(sizeof...(E) > 0 && (std::is_same_v<E, Expr> && ...)) Expr and_(const E&... clauses) {
  return and_(std::vector<Expr>{clauses...});
}
template <class... E>
requires(sizeof...(E) > 0 && (std::is_same_v<E, Expr> && ...)) Expr or_(const E&... clauses) {
  return or_(std::vector<Expr>{clauses...});
}
Expr not_(const Expr& e);
Expr tuple_(std::vector<Expr> items);
Expr cast(const Expr& e, SqlType type);
Expr exists(const Select& subquery);
Expr not_exists(const Select& subquery);
Expr asc(const Expr& e);
Expr desc(const Expr& e);

/// CASE WHEN cond THEN result ... ELSE else_ END
Expr case_(std::vector<std::pair<Expr, Expr>> whens, std::optional<Expr> else_ = std::nullopt);
/// CASE value WHEN match THEN result ... ELSE else_ END
Expr case_(const Expr& value, std::vector<std::pair<Expr, Expr>> whens, std::optional<Expr> else_ = std::nullopt);

/// Turns a value into a bound parameter typed like `context`.
Expr bind_like(const Expr& context, Value v);

Expr make_binary(BinaryOperator op, const Expr& l, const Expr& r);

// Operators. Values on either side bind as parameters of the other side's type (a fraction beside
// an integer keeps its own). The operand types pick the operation, the same on every backend:
// `+` on String/Text concatenates; `/` between two integers is integer division (7 / 2 is 3, also
// on MySQL, which gets DIV), beside a fraction exact; `== nullptr` and `!= std::nullopt` are
// IS NULL and IS NOT NULL.
#define RETORT_BINARY_OPERATOR(sym, op)                                                                    \
  inline Expr operator sym(const Expr& l, const Expr& r) { return make_binary(BinaryOperator::op, l, r); } \
  template <Bindable T>                                                                                    \
  Expr operator sym(const Expr& l, T&& r) {                                                                \
    return make_binary(BinaryOperator::op, l, bind_like(l, Value(std::forward<T>(r))));                    \
  }                                                                                                        \
  template <Bindable T>                                                                                    \
  Expr operator sym(T&& l, const Expr& r) {                                                                \
    return make_binary(BinaryOperator::op, bind_like(r, Value(std::forward<T>(l))), r);                    \
  }
RETORT_BINARY_OPERATOR(==, Eq)
RETORT_BINARY_OPERATOR(!=, Ne)
RETORT_BINARY_OPERATOR(<, Lt)
RETORT_BINARY_OPERATOR(>, Gt)
RETORT_BINARY_OPERATOR(<=, Le)
RETORT_BINARY_OPERATOR(>=, Ge)
RETORT_BINARY_OPERATOR(+, Add)
RETORT_BINARY_OPERATOR(-, Sub)
RETORT_BINARY_OPERATOR(*, Mul)
RETORT_BINARY_OPERATOR(/, Div)
RETORT_BINARY_OPERATOR(%, Mod)
#undef RETORT_BINARY_OPERATOR

Expr operator&&(const Expr& l, const Expr& r);
Expr operator||(const Expr& l, const Expr& r);
Expr operator!(const Expr& e);
Expr operator-(const Expr& e);

}  // namespace retort::core
