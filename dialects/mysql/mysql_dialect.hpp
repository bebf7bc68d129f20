// The MySQL / MariaDB dialect: capability flags, compilers, backtick quoting, URL options and the
// MariaDB Connector/C driver.
// URL: mysql://user:password@host:port/database?charset=utf8mb4&connect_timeout=10
//      mysql://user@localhost/db?unix_socket=/run/mysqld/mysqld.sock
//      mysql://user@host/db?password=secret   (the driver's option; shown as *** like the other)
// Names: mysql, mariadb, mysql+mariadb, mariadb+mariadb, mysql+mysqlclient.
#pragma once

#include <retort/core/dialect.hpp>
#include <retort/core/reflection/reflected.hpp>
#include <retort/core/types.hpp>
#include <retort/dialects/mysql/mysql_compiler.hpp>
#include <retort/dialects/mysql/mysql_driver.hpp>

namespace retort::core {
class URL;
}

namespace retort::dialects::mysql {

class MySQLDialect final : public core::Dialect {
 public:
  MySQLDialect();
  /// "mysql" for MySQL and MariaDB alike (migration rules treat them as one family).
  std::string name() const override { return "mysql"; }
  std::string driver_name() const override { return "mariadb"; }
  const core::IdentifierPreparer& preparer() const override { return preparer_; }
  const core::TypeCompiler& type_compiler() const override { return types_; }
  std::unique_ptr<core::SqlCompiler> statement_compiler() const override;
  std::unique_ptr<core::DdlCompiler> ddl_compiler() const override;

  std::unique_ptr<core::DriverConnection> connect(const core::URL& url) const override;
  /// Looks in information_schema.tables; `schema` (a database) defaults to DATABASE().
  bool has_table(core::DriverConnection& conn, const std::string& name,
                 const std::optional<std::string>& schema) const override;
  /// One information_schema query per kind for the whole database (mysql_reflection.cpp);
  /// `schema` defaults to DATABASE(), whose name the result reports.
  core::ReflectedSchema reflect_schema(core::DriverConnection& conn, const std::optional<std::string>& schema,
                                       const core::ReflectOptions& options) const override;
  /// The databases on the server (information_schema, mysql, ... included).
  std::vector<std::string> schema_names(core::DriverConnection& conn) const override;
  /// START TRANSACTION, preceded by SET TRANSACTION ISOLATION LEVEL for READ UNCOMMITTED,
  /// READ COMMITTED, REPEATABLE READ (InnoDB's default) or SERIALIZABLE.
  std::vector<std::string> begin_statements(const std::optional<std::string>& isolation_level) const override;

  /// The driver options a URL asks for. Throws ArgumentError for unknown or bad options.
  static MySQLOptions options_from_url(const core::URL& url);

 private:
  core::IdentifierPreparer preparer_;
  MySQLTypeCompiler types_;
};

void register_dialect(core::DialectRegistry& registry);

/// A COLUMN_TYPE (int(11), decimal(10,2), enum('a','b'), varchar(50)) as the generic type it
/// round-trips to, else NamedType{spelling, "mysql"}. tinyint(1) is Boolean, char(n) String{n}.
core::SqlType mysql_type_from_column_type(std::string_view column_type);

}  // namespace retort::dialects::mysql
