// Looking at a statement: stmt.compile(engine or dialect) gives its SQL for that database with
// the values it binds (or, with literal_binds, the values written inline), and `std::cout << stmt`
// prints it as generic SQL with :name placeholders, as str(stmt) does in SQLAlchemy (and
// fmt::format("{}", stmt), with <retort/core/sql/statement_formatter.hpp>). What a Connection
// executes goes through Engine::compile and its cache instead.
#pragma once

#include <concepts>
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>

#include <retort/core/sql/node.hpp>
#include <retort/core/sql/params.hpp>

namespace retort::core {

class Dialect;
class Engine;

/// Anything with a node(): Select, Insert, Update, Delete, Expr (text()), DDL statements.
template <class S>
concept Executable = requires(const S& s) {
  { s.node() } -> std::convertible_to<const NodePtr&>;
};

struct CompileOptions {
  bool literal_binds = false;  // render values inline (offline SQL, debugging)
};

/// The database a statement is compiled for: an Engine's dialect, a Dialect, or a dialect by
/// name ("postgresql", "mysql", "sqlite"); the generic dialect when none is given.
class DialectSource {
 public:
  DialectSource();
  DialectSource(const Engine& engine);                                   // NOLINT: implicit by design
  DialectSource(const Dialect& dialect);                                 // NOLINT
  DialectSource(const std::string& name);                                // NOLINT
  DialectSource(const char* name) : DialectSource(std::string(name)) {}  // NOLINT
  const Dialect& dialect() const noexcept { return *dialect_; }

 private:
  std::shared_ptr<const Dialect> owned_;  // a dialect made here (by name, or the generic one)
  const Dialect* dialect_ = nullptr;
};

/// A statement's SQL for one dialect and the values it binds.
struct CompiledStatement {
  /// In the dialect's parameter style; a DDL statement that needs several is ';'-joined.
  std::string sql{};
  /// Each parameter by the name its placeholder has (param_1, ... where the statement gave
  /// none), with its bound value; NULL for a parameter to be filled at execution.
  Params params{};
  const std::string& str() const noexcept { return sql; }
};

CompiledStatement compile_statement(const NodePtr& statement, const DialectSource& target = {},
                                    CompileOptions options = {});
/// An empty statement (a default-constructed Expr) is an ArgumentError in all three.
/// The generic SQL that operator<< and fmt print.
std::string generic_sql(const NodePtr& statement);
std::ostream& print_statement(std::ostream& out, const NodePtr& statement);

/// Gives a statement handle its compile(): Select, Insert, Update, Delete, Expr and DDL.
template <class Self>
class Compilable {
 public:
  /// This statement's SQL for `target` (the generic dialect when omitted) with its bound values.
  CompiledStatement compile(const DialectSource& target = {}, CompileOptions options = {}) const {
    return compile_statement(static_cast<const Self&>(*this).node(), target, options);
  }
};

template <Executable S>
std::ostream& operator<<(std::ostream& out, const S& statement) {
  return print_statement(out, statement.node());
}

}  // namespace retort::core
