// The SQLite dialect: capability flags, compilers, quoting, URL options and the sqlite3 driver.
// URL: sqlite:///relative.db, sqlite:////absolute.db, sqlite:// (in memory), with options
// ?foreign_keys=true|false&busy_timeout=5000&journal_mode=wal&synchronous=normal&mode=ro
#pragma once

#include <string_view>

#include <retort/core/dialect.hpp>
#include <retort/core/reflection/reflected.hpp>
#include <retort/dialects/sqlite/sqlite_compiler.hpp>
#include <retort/dialects/sqlite/sqlite_driver.hpp>

namespace retort::core {
class URL;
}

namespace retort::dialects::sqlite {

class SQLiteDialect final : public core::Dialect {
 public:
  SQLiteDialect();
  std::string name() const override { return "sqlite"; }
  std::string driver_name() const override { return "sqlite3"; }
  const core::IdentifierPreparer& preparer() const override { return preparer_; }
  const core::TypeCompiler& type_compiler() const override { return types_; }
  std::unique_ptr<core::SqlCompiler> statement_compiler() const override;
  std::unique_ptr<core::DdlCompiler> ddl_compiler() const override;

  std::unique_ptr<core::DriverConnection> connect(const core::URL& url) const override;
  bool is_private_memory_database(const core::URL& url) const override;
  core::URL read_only_url(const core::URL& url) const override;
  bool has_table(core::DriverConnection& conn, const std::string& name,
                 const std::optional<std::string>& schema) const override;
  /// "SERIALIZABLE" (the default), "IMMEDIATE"/"EXCLUSIVE" (take the write lock at BEGIN),
  /// "READ UNCOMMITTED" (shared-cache dirty reads).
  std::vector<std::string> begin_statements(const std::optional<std::string>& isolation_level) const override;
  /// One batched pass over sqlite_master and the pragma table-valued functions
  /// (sqlite_reflection.cpp). `schema` names an attached database; default "main".
  core::ReflectedSchema reflect_schema(core::DriverConnection& conn, const std::optional<std::string>& schema,
                                       const core::ReflectOptions& options) const override;
  /// Attached databases ("main" first; "temp" is left out).
  std::vector<std::string> schema_names(core::DriverConnection& conn) const override;

  /// The driver options a URL asks for. Throws ArgumentError for unknown or bad options.
  static SQLiteOptions options_from_url(const core::URL& url);

 private:
  core::IdentifierPreparer preparer_;
  SQLiteTypeCompiler types_;
};

/// The generic type a declared SQLite column type stands for where it round-trips
/// (VARCHAR(50) -> String{50}), else NamedType{declared, "sqlite"}; no type -> TypeKind::Null.
core::SqlType sqlite_type_from_declaration(std::string_view declared);

void register_dialect(core::DialectRegistry& registry);

}  // namespace retort::dialects::sqlite
