// The DDL compiler: renders CREATE/DROP TABLE and INDEX, ADD/DROP CONSTRAINT and the ALTER family
// (ddl_compiler_alter.cpp) for a dialect.
// Expressions inside DDL (defaults, CHECK, index expressions) go through the statement compiler
// with values inline and columns unqualified.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <retort/core/ddl/alter_elements.hpp>
#include <retort/core/ddl/ddl_elements.hpp>
#include <retort/core/ddl/enum_elements.hpp>
#include <retort/core/ddl/view_elements.hpp>
#include <retort/core/sql/compiler.hpp>

namespace retort::core {

class DdlCompiler {
 public:
  explicit DdlCompiler(const Dialect& dialect);
  virtual ~DdlCompiler() = default;

  /// Compiles one DDL node (is_ddl_kind). A node that needs several statements (ALTER COLUMN of
  /// several attributes, ADD COLUMN with its constraints) returns the first in `sql` and the
  /// rest in `pre_sql`/`post_sql`; Compiled::statements() lists them in order.
  Compiled compile(const Node& ddl);

  /// One column's definition inside CREATE TABLE: name type [DEFAULT ..] [NOT NULL] ...
  virtual std::string column_specification(const Table& table, const Column& column);

  /// Statements after MetaData::drop_all has dropped `tables`: objects their CREATE TABLE made
  /// beforehand and that several tables may share, e.g. native enum types (none by default).
  virtual std::vector<std::string> post_drop_all_statements(const std::vector<const Table*>& tables);

 protected:
  virtual std::string visit_create_table(const CreateTableNode& n);
  virtual std::string visit_drop_table(const DropTableNode& n);
  virtual std::string visit_create_index(const CreateIndexNode& n);
  virtual std::string visit_drop_index(const DropIndexNode& n);
  virtual std::string visit_add_constraint(const AddConstraintNode& n);
  virtual std::string visit_drop_constraint(const DropConstraintNode& n);

  // The ALTER family (ddl_compiler_alter.cpp); each returns its statements in order. The
  // generic forms are PostgreSQL's spelling of the SQL standard; a dialect that cannot do one
  // throws UnsupportedCompilationError through unsupported_alter().
  virtual std::vector<std::string> visit_add_column(const AddColumnNode& n);
  virtual std::vector<std::string> visit_drop_column(const DropColumnNode& n);
  virtual std::vector<std::string> visit_alter_column(const AlterColumnNode& n);
  virtual std::vector<std::string> visit_rename_table(const RenameTableNode& n);
  virtual std::vector<std::string> visit_set_table_comment(const SetTableCommentNode& n);
  // Named enum types: refused by default (the dialect has none), rendered by PostgreSQL's.
  virtual std::string visit_create_enum_type(const CreateEnumTypeNode& n);
  virtual std::string visit_drop_enum_type(const DropEnumTypeNode& n);
  virtual std::string visit_add_enum_value(const AddEnumValueNode& n);
  virtual std::vector<std::string> visit_alter_enum_type(const AlterEnumTypeNode& n);
  virtual std::string visit_create_view(const CreateViewNode& n);
  virtual std::string visit_drop_view(const DropViewNode& n);
  /// CHECK (column IN (values)) for an Enum column where the dialect has no enum type of its own.
  std::optional<std::string> enum_check_clause(const Column& c);
  /// COMMENT ON COLUMN t.c IS '...' (or IS NULL); the generic form is PostgreSQL's.
  virtual std::string column_comment_statement(const TableName& table, const std::string& column,
                                               const std::optional<std::string>& comment);
  /// A DEFAULT clause's expression as SQL, parenthesized where a bare one would not parse.
  std::string default_expression(const Expr& def);
  /// "ALTER TABLE <table>"
  std::string alter_table(const TableName& table) const;
  /// A table holding only `column`, named like `table`: what column_specification, the
  /// constraint clauses and CREATE INDEX need for a column added by ALTER.
  std::shared_ptr<Table> detached_table(const TableName& table, const Column& column) const;
  /// Throws UnsupportedCompilationError: "<dialect> cannot <what> with ALTER TABLE", with the
  /// batch hint where the dialect recreates tables in batch mode.
  [[noreturn]] void unsupported_alter(const std::string& what) const;

  virtual std::string primary_key_clause(const Table& table);
  virtual std::string foreign_key_clause(const ForeignKeyConstraint& fk);
  virtual std::string unique_clause(const UniqueConstraint& uq);
  virtual std::string check_clause(const CheckConstraint& ck);
  /// The column's type; dialects add SERIAL/AUTO_INCREMENT spellings here.
  virtual std::string column_type(const Table& table, const Column& column);
  /// Text after the type for an autoincrementing integer primary key (AUTO_INCREMENT, ...).
  virtual std::string autoincrement_clause(const Table& table, const Column& column);
  virtual std::string identity_clause(const Identity& identity);
  /// ADD GENERATED ... AS IDENTITY, or the SET clauses from the existing identity to `wanted`.
  std::string identity_alteration(const Identity& wanted, const ColumnAlteration& change);
  virtual std::string computed_clause(const Computed& computed);
  /// Text after the closing parenthesis of CREATE TABLE (ENGINE=..., table comment, ...).
  virtual std::string table_suffix(const Table& table);
  /// Statements that must run before CREATE TABLE, e.g. CREATE TYPE for a native enum
  /// (none by default).
  virtual std::vector<std::string> pre_create_statements(const Table& table);
  /// Extra statements after CREATE TABLE, e.g. COMMENT ON (none by default).
  virtual std::vector<std::string> post_create_statements(const Table& table);

  std::string quote(std::string_view ident) const { return dialect_.preparer().quote(ident); }
  std::string format_table(const Table& t) const { return dialect_.preparer().format_table(t.name(), t.schema()); }
  std::string column_list(const std::vector<std::string>& columns) const;
  std::string render_expression(const Expr& e) { return expressions_->render_ddl_expression(*e.node()); }

  const Dialect& dialect_;
  std::unique_ptr<SqlCompiler> expressions_;
};

}  // namespace retort::core
