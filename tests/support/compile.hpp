// Compiling statements for a dialect without a connection, for exact-SQL tests. The one helper
// every compiler test uses:
//
//   const retort::testing::Compiler mysql{"mysql"};
//   CHECK(mysql.sql(select(...)) == "SELECT ...");              // SQL with placeholders
//   CHECK(mysql.sql(select(...), literal) == "SELECT ... 5");   // values inline
//   CHECK(mysql.compile(select(...)).positions == ...);        // the whole Compiled
//   CHECK(mysql.ddl(AddColumn(...)) == Statements{"ALTER ..."});  // every DDL statement, in order
//
// or, for one line, compile_sql("postgresql", statement) and compile_ddl("sqlite", statement).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <retort/core/ddl/alter_elements.hpp>
#include <retort/core/ddl/ddl_compiler.hpp>
#include <retort/core/sql/compiler.hpp>
#include <retort/retort.hpp>

namespace retort::testing {

using Statements = std::vector<std::string>;

/// Values inline (`literal_binds`), as in `compiler.sql(statement, literal)`.
inline constexpr bool literal = true;

class Compiler {
 public:
  /// The dialect registered as `name` ("sqlite", "postgresql", "mysql", ...).
  explicit Compiler(const std::string& name) : dialect_(core::DialectRegistry::instance().create(name)) {}
  /// The generic dialect that to_sql_string() uses.
  static Compiler generic() { return Compiler(core::make_default_dialect()); }

  const core::Dialect& dialect() const { return *dialect_; }

  template <class S>
  core::Compiled compile(const S& statement, bool literal_binds = false) const {
    return dialect_->statement_compiler()->compile(*statement.node(), core::CompileOptions{literal_binds});
  }
  template <class S>
  std::string sql(const S& statement, bool literal_binds = false) const {
    return compile(statement, literal_binds).sql;
  }
  template <class S>
  core::Compiled compile_ddl(const S& statement) const {
    return dialect_->ddl_compiler()->compile(*statement.node());
  }
  template <class S>
  Statements ddl(const S& statement) const {
    return compile_ddl(statement).statements();
  }

 private:
  explicit Compiler(std::unique_ptr<core::Dialect> dialect) : dialect_(std::move(dialect)) {}
  std::unique_ptr<core::Dialect> dialect_;
};

template <class S>
std::string compile_sql(const std::string& dialect_name, const S& statement, bool literal_binds = false) {
  return Compiler(dialect_name).sql(statement, literal_binds);
}

template <class S>
Statements compile_ddl(const std::string& dialect_name, const S& statement) {
  return Compiler(dialect_name).ddl(statement);
}

}  // namespace retort::testing
