// The Dialect interface: everything a database does differently, as one bundle of collaborators
// (statement compiler, DDL compiler, type compiler, identifier preparer, driver) plus capability
// flags. Code outside dialects/ asks the flags; it never switches on a dialect's name.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <retort/core/driver.hpp>
#include <retort/core/sql/identifier_preparer.hpp>

namespace retort::core {

class SqlCompiler;
struct ReflectedSchema;
struct ReflectOptions;
class DdlCompiler;
class TypeCompiler;
class URL;

enum class ParamStyle {
  Qmark,    // ?
  Numeric,  // $1, $2
  Named,    // :name
  Format,   // %s
};

struct DialectFeatures {
  ParamStyle paramstyle = ParamStyle::Named;
  bool supports_alter = true;               // ALTER TABLE ADD CONSTRAINT and friends
  bool transactional_ddl = true;            // DDL inside a transaction rolls back
  bool supports_returning = true;           // INSERT/UPDATE/DELETE ... RETURNING
  bool supports_multivalues_insert = true;  // INSERT ... VALUES (...), (...)
  bool supports_native_boolean = true;
  bool supports_savepoints = true;
  bool supports_schemas = true;
  bool supports_comments = true;  // COMMENT ON / column comments
  bool supports_sequences = false;
  bool supports_named_enum_types = false;   // CREATE TYPE ... AS ENUM, shared by columns (PostgreSQL)
  bool reflects_foreign_key_match = false;  // keeps a foreign key's MATCH FULL/PARTIAL (PostgreSQL)
  bool supports_index_include = false;      // CREATE INDEX ... INCLUDE (covering columns; PostgreSQL)
  bool supports_identity_columns = true;
  bool supports_partial_indexes = true;  // CREATE INDEX ... WHERE
  bool supports_expression_indexes = true;
  bool supports_if_not_exists = true;             // CREATE TABLE IF NOT EXISTS
  bool requires_recreate_in_batch = false;        // ALTER too weak: batch migrations copy the table
  bool backslash_escapes = false;                 // '\'' escapes a quote in string literals (MySQL)
  bool supports_on_conflict = false;              // INSERT ... ON CONFLICT (PostgreSQL, SQLite)
  bool supports_on_duplicate_key_update = false;  // INSERT ... ON DUPLICATE KEY UPDATE (MySQL)
  bool supports_sane_rowcount = true;             // UPDATE/DELETE report the rows they matched
  std::size_t max_bind_parameters = 32767;
  std::size_t insertmanyvalues_page_size = 1000;  // rows per multi-row INSERT in executemany
};

/// How an SQL script for this database is written (offline `--sql` output): the words that open
/// and end a transaction, the statement terminator, and a batch separator written after each
/// statement where the database's tools need one (SQL Server's GO).
struct ScriptSyntax {
  std::string begin_transaction = "BEGIN";
  std::string commit_transaction = "COMMIT";
  std::string statement_terminator = ";";
  std::string batch_separator{};  // empty: none
};

class Dialect {
 public:
  virtual ~Dialect() = default;

  /// "sqlite", "postgresql", "mysql", ...
  virtual std::string name() const = 0;
  /// The driver behind it: "sqlite3", "libpq", "mariadb", ...
  virtual std::string driver_name() const = 0;
  const DialectFeatures& features() const noexcept { return features_; }
  const ScriptSyntax& script_syntax() const noexcept { return script_syntax_; }
  virtual const IdentifierPreparer& preparer() const = 0;
  virtual const TypeCompiler& type_compiler() const = 0;
  virtual std::unique_ptr<SqlCompiler> statement_compiler() const;
  virtual std::unique_ptr<DdlCompiler> ddl_compiler() const;

  /// Opens a driver connection. Throws ArgumentError for a URL it cannot use and
  /// OperationalError when the database does not answer.
  virtual std::unique_ptr<DriverConnection> connect(const URL& url) const = 0;
  /// Whether every connection of this URL sees a private database (SQLite :memory:), so the
  /// engine must share one connection.
  virtual bool is_private_memory_database(const URL&) const { return false; }
  /// The URL that opens the same database for reading only, where the driver can say so
  /// (SQLite: mode=ro, so that a mistyped path is an error rather than a new empty file).
  virtual URL read_only_url(const URL& url) const;
  /// Reads a whole schema (tables, columns, keys, indexes, constraints, comments, views,
  /// sequences, enums) with one catalog query per kind, never one per table. `schema` empty
  /// means the connection's default schema; an unknown schema is an ArgumentError naming it.
  /// The default throws NotSupportedError.
  virtual ReflectedSchema reflect_schema(DriverConnection& conn, const std::optional<std::string>& schema,
                                         const ReflectOptions& options) const;
  /// Schema names (databases on MySQL, attached databases on SQLite).
  virtual std::vector<std::string> schema_names(DriverConnection& conn) const;
  /// Whether a table exists (for create_all(checkfirst)).
  virtual bool has_table(DriverConnection& conn, const std::string& name,
                         const std::optional<std::string>& schema) const = 0;

  /// The statements that open a transaction at `isolation_level` (none: the default level).
  virtual std::vector<std::string> begin_statements(const std::optional<std::string>& isolation_level) const;
  virtual std::string savepoint_sql(const std::string& name) const;
  virtual std::string release_savepoint_sql(const std::string& name) const;
  virtual std::string rollback_to_savepoint_sql(const std::string& name) const;

 protected:
  DialectFeatures features_;
  ScriptSyntax script_syntax_;
};

using DialectFactory = std::function<std::unique_ptr<Dialect>()>;

/// Dialects by name ("sqlite", "postgresql+libpq"). The dialects linked into the program
/// (retort::retort links them all; retort::sqlite, retort::postgresql and retort::mysql one each)
/// are registered on first use; applications may register their own.
class DialectRegistry {
 public:
  static DialectRegistry& instance();
  void add(const std::string& name, DialectFactory factory);
  /// The dialect for "name" or "name+driver". Throws ArgumentError listing the known names.
  std::unique_ptr<Dialect> create(const std::string& name) const;
  std::vector<std::string> names() const;

 private:
  DialectRegistry() = default;
  std::map<std::string, DialectFactory> factories_;
};

/// A dialect that compiles generic SQL and connects nowhere: for printing statements.
std::unique_ptr<Dialect> make_default_dialect();

}  // namespace retort::core
