// The statement compiler: a visitor over the SQL tree that writes SQL text and the ordered list
// of parameters. One visit_<kind> per node kind; a dialect's compiler overrides what differs.
#pragma once

#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <retort/core/dialect.hpp>
#include <retort/core/sql/compiled_statement.hpp>
#include <retort/core/sql/dml.hpp>
#include <retort/core/sql/elements.hpp>
#include <retort/core/sql/select.hpp>
#include <retort/core/sql/selectable.hpp>

namespace retort::core {

class Table;

/// Where a positional parameter's value comes from at execution time.
struct CompiledParam {
  int ordinal{};       // index into the statement's bind nodes (Node::collect_binds order)
  std::string name{};  // the parameter's name; user params of this name take precedence
  bool has_value{};    // the bind node carries a value of its own
};

enum class StatementKind { Select, Insert, Update, Delete, DDL, Text };

/// A compiled statement: SQL text in the dialect's paramstyle plus its parameter slots.
struct Compiled {
  std::string sql{};
  std::vector<CompiledParam> params{};
  StatementKind kind = StatementKind::Text;
  bool returns_rows = false;                  // SELECT, or DML with RETURNING (Text: decided at run time)
  std::vector<std::string> result_columns{};  // names as selected, where known
  std::vector<std::string> pre_sql{};         // statements to run before `sql` (types a table needs)
  std::vector<std::string> post_sql{};        // further statements to run after `sql` (DDL comments)

  /// pre_sql, sql and post_sql in the order they run.
  std::vector<std::string> statements() const {
    std::vector<std::string> out(pre_sql);
    out.push_back(sql);
    out.insert(out.end(), post_sql.begin(), post_sql.end());
    return out;
  }
};

class SqlCompiler {
 public:
  explicit SqlCompiler(const Dialect& dialect) : dialect_(dialect) {}
  virtual ~SqlCompiler() = default;

  /// Compiles a statement or expression. Throws CompileError / UnsupportedCompilationError.
  Compiled compile(const Node& root, CompileOptions options = {});

  /// A value as a SQL literal ('it''s', 42, NULL, TRUE, X'00ff'): used for literal_binds,
  /// server defaults and offline SQL.
  virtual std::string render_literal(const Value& v, const SqlType& type) const;
  /// Renders an expression on its own, columns unqualified, values inline (DDL uses this for
  /// defaults, CHECK conditions and index expressions).
  std::string render_ddl_expression(const Node& expression);

 protected:
  void process(const Node& n);
  void write(std::string_view s) { out_ += s; }

  // expressions
  virtual void visit_column(const ColumnNode& n);
  virtual void visit_bind_param(const BindParamNode& n);
  virtual void visit_keyword(const KeywordNode& n);
  virtual void visit_unary(const UnaryNode& n);
  virtual void visit_binary(const BinaryNode& n);
  virtual void visit_clause_list(const ClauseListNode& n);
  virtual void visit_function(const FunctionNode& n);
  virtual void visit_label(const LabelNode& n);
  virtual void visit_cast(const CastNode& n);
  virtual void visit_case(const CaseNode& n);
  virtual void visit_in(const InNode& n);
  virtual void visit_between(const BetweenNode& n);
  virtual void visit_exists(const ExistsNode& n);
  virtual void visit_scalar_select(const ScalarSelectNode& n);
  virtual void visit_ordering(const OrderingNode& n);
  virtual void visit_text(const TextNode& n);
  // from clauses
  virtual void visit_table(const Table& n);
  virtual void visit_alias(const AliasNode& n);
  virtual void visit_join(const JoinNode& n);
  virtual void visit_cte(const CteNode& n);
  // statements
  virtual void visit_select(const SelectNode& n);
  virtual void visit_compound_select(const CompoundSelectNode& n);
  virtual void visit_insert(const InsertNode& n);
  virtual void visit_update(const UpdateNode& n);
  virtual void visit_delete(const DeleteNode& n);
  /// Dialect-only constructs (upserts and excluded()): dispatched to the hooks below, which a
  /// dialect that has the construct overrides; any other extension is refused.
  virtual void visit_extension(const Node& n);
  /// INSERT ... ON CONFLICT (PostgreSQL, SQLite: dialects/on_conflict_compiler.hpp) and
  /// ON DUPLICATE KEY UPDATE (MySQL). The generic compiler refuses both, naming the form the
  /// dialect has instead.
  virtual void render_on_conflict(const OnConflictNode& n);
  virtual void render_on_duplicate_key_update(const OnConflictNode& n);
  /// excluded("column") inside an upsert's SET.
  virtual void render_excluded(const ExcludedNode& n);

  // pieces a dialect may respell
  /// The operator between the two sides, spaces included; it may depend on the operand types
  /// (MySQL divides two integers with DIV).
  virtual std::string binary_operator(const BinaryNode& n) const;
  /// The function name to render (now -> CURRENT_TIMESTAMP and so on); empty args omitted
  /// parentheses when the result has none.
  virtual void render_function_name(const FunctionNode& n);
  virtual void render_limit_offset(const Node* limit, const Node* offset);
  /// A compound select inside another, as in (A UNION B) EXCEPT C: parenthesized by default.
  virtual void render_nested_compound_select(const CompoundSelectNode& n);
  virtual void render_returning(const std::vector<NodePtr>& returning);
  virtual void render_boolean(bool value);
  virtual void render_empty_in(bool negate);
  virtual std::string placeholder(std::size_t position, const std::string& name) const;
  virtual void render_insert_default_values(const InsertNode& n);
  /// The SELECT of INSERT ... SELECT.
  virtual void render_insert_from_select(const InsertNode& n);

  /// Appends a parameter placeholder (or the literal under literal_binds).
  void render_bind(const BindParamNode& n);
  void render_list(const std::vector<NodePtr>& items, std::string_view sep);
  /// `column = value, ...` of UPDATE SET and of an upsert.
  void render_assignments(const std::vector<std::pair<std::string, NodePtr>>& set);
  std::string quote(std::string_view ident) const { return dialect_.preparer().quote(ident); }
  const Dialect& dialect() const noexcept { return dialect_; }

  /// Whether column references are written table.column (off in DDL, SET and VALUES lists).
  bool qualify_columns_ = true;
  const OnConflictNode* upsert_ = nullptr;  // the upsert being written, for excluded()
  CompileOptions options_;
  std::string out_;

 private:
  void render_with_clause(const Node& root);
  void render_select_body(const SelectNode& n);
  /// A SELECT or RETURNING list: only labels written directly in it render `AS name`.
  void render_columns(const std::vector<NodePtr>& columns);
  /// Renders a DML statement's SET/WHERE parts with `table` visible to correlated subqueries.
  void with_target_table(const Node& table, const std::function<void()>& render);
  std::vector<const Node*> infer_froms(const SelectNode& n) const;

  const Dialect& dialect_;
  std::vector<CompiledParam> params_;
  std::unordered_map<const BindParamNode*, std::deque<int>> ordinals_;
  std::vector<std::vector<const Node*>> enclosing_froms_;  // for correlated subqueries
  int depth_ = 0;                                          // nesting of SELECTs
  bool in_with_clause_ = false;
  bool within_columns_clause_ = false;  // the node being rendered is a columns-clause item
};

/// The declared type of each column a statement returns (its SELECT list, the first SELECT's of
/// a compound, or its RETURNING list), which the Result conforms fetched values to; empty for a
/// statement that declares none (text()). Not part of Compiled: the compiled-statement cache keys
/// on structure, not on column types.
std::vector<SqlType> result_types_of(const Node& statement);

/// Compiles `statement` with the generic dialect and values inline: for messages and logs.
std::string to_sql_string(const Node& statement);

}  // namespace retort::core
