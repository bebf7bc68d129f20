// The PostgreSQL dialect: capability flags, compilers, quoting, URL options and the libpq driver.
// URL: postgresql[+libpq]://user:password@host:port/dbname?sslmode=require&connect_timeout=10
// A Unix socket: postgresql://user@/dbname?host=/var/run/postgresql (or a host starting with '/').
// Options: host, port, sslmode, sslrootcert, sslcert, sslkey, connect_timeout, application_name,
// options, target_session_attrs, keepalives, keepalives_idle, statement_cache_size.
#pragma once

#include <retort/core/dialect.hpp>
#include <retort/core/reflection/reflected.hpp>
#include <retort/core/types.hpp>
#include <retort/dialects/postgresql/postgresql_compiler.hpp>
#include <retort/dialects/postgresql/postgresql_driver.hpp>

namespace retort::core {
class URL;
}

namespace retort::dialects::postgresql {

class PostgreSQLDialect final : public core::Dialect {
 public:
  PostgreSQLDialect();
  std::string name() const override { return "postgresql"; }
  std::string driver_name() const override { return "libpq"; }
  const core::IdentifierPreparer& preparer() const override { return preparer_; }
  const core::TypeCompiler& type_compiler() const override { return types_; }
  std::unique_ptr<core::SqlCompiler> statement_compiler() const override;
  std::unique_ptr<core::DdlCompiler> ddl_compiler() const override;

  std::unique_ptr<core::DriverConnection> connect(const core::URL& url) const override;
  /// Looks in `schema`, or (none given) in the schemas of the search_path, as an unqualified
  /// name would resolve.
  bool has_table(core::DriverConnection& conn, const std::string& name,
                 const std::optional<std::string>& schema) const override;
  /// One batched pass over pg_catalog (postgresql_reflection.cpp): seven queries per schema.
  core::ReflectedSchema reflect_schema(core::DriverConnection& conn, const std::optional<std::string>& schema,
                                       const core::ReflectOptions& options) const override;
  std::vector<std::string> schema_names(core::DriverConnection& conn) const override;
  /// BEGIN ISOLATION LEVEL {READ COMMITTED | REPEATABLE READ | SERIALIZABLE | READ UNCOMMITTED}.
  std::vector<std::string> begin_statements(const std::optional<std::string>& isolation_level) const override;

  /// The driver options a URL asks for. Throws ArgumentError for unknown or bad options.
  static PostgreSQLOptions options_from_url(const core::URL& url);

 private:
  core::IdentifierPreparer preparer_;
  PostgreSQLTypeCompiler types_;
};

/// PostgreSQL-only column types, e.g. Column("doc", postgresql::JSONB()).
inline core::SqlType JSONB() { return core::NamedType{"JSONB", "postgresql"}; }
inline core::SqlType INET() { return core::NamedType{"INET", "postgresql"}; }
inline core::SqlType CIDR() { return core::NamedType{"CIDR", "postgresql"}; }
inline core::SqlType TSVECTOR() { return core::NamedType{"TSVECTOR", "postgresql"}; }
/// An array of `element_sql` (e.g. "INTEGER"); values travel as text: '{1,2,3}'.
inline core::SqlType ARRAY(const std::string& element_sql) { return core::NamedType{element_sql + "[]", "postgresql"}; }

/// A format_type() spelling ("character varying(50)", "integer[]", "jsonb") as the generic type
/// it round-trips to (String{50}), else NamedType{"INTEGER[]", "postgresql"}.
core::SqlType postgresql_type_from_format(const std::string& formatted, const core::TypeCompiler& types);

void register_dialect(core::DialectRegistry& registry);

}  // namespace retort::dialects::postgresql
