// Compiling statements for a named dialect without a connection, for exact-SQL tests:
//
//   CHECK(retort::testing::compile_sql("mysql", select(...)) == "SELECT ...");
//   CHECK(retort::testing::compile_ddl("postgresql", AddColumn(...)) == Statements{"ALTER ..."});
#pragma once

#include <string>
#include <vector>

#include <retort/retort.hpp>

namespace retort::testing {

using Statements = std::vector<std::string>;

/// The dialect registered as `name` ("sqlite", "postgresql", "mysql", ...).
inline std::unique_ptr<core::Dialect> dialect(const std::string& name) {
  return core::DialectRegistry::instance().create(name);
}

/// A statement's SQL for `dialect_name` (values inline when `literal_binds`).
template <class S>
std::string compile_sql(const std::string& dialect_name, const S& statement, bool literal_binds = false) {
  auto d = dialect(dialect_name);
  return d->statement_compiler()->compile(*statement.node(), core::CompileOptions{literal_binds}).sql;
}

/// A DDL statement's SQL for `dialect_name`: every statement it runs, in order.
template <class S>
Statements compile_ddl(const std::string& dialect_name, const S& statement) {
  auto d = dialect(dialect_name);
  return d->ddl_compiler()->compile(*statement.node()).statements();
}

}  // namespace retort::testing
