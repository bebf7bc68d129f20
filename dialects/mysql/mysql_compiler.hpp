// MySQL/MariaDB statement, DDL and type compilers, and the reserved words that need backticks.
#pragma once

#include <string>
#include <unordered_set>

#include <retort/core/ddl/ddl_compiler.hpp>
#include <retort/core/sql/compiler.hpp>
#include <retort/core/sql/type_compiler.hpp>
#include <retort/core/sql/upsert.hpp>

namespace retort::dialects::mysql {

/// MySQL 8 and MariaDB reserved words (lower case), plus the common SQL ones.
const std::unordered_set<std::string>& reserved_words();

class MySQLCompiler final : public core::SqlCompiler {
 public:
  using SqlCompiler::SqlCompiler;

  /// Quotes are doubled and, because MySQL reads backslash escapes in string literals (unless
  /// sql_mode has NO_BACKSLASH_ESCAPES), backslashes are doubled too.
  std::string render_literal(const core::Value& v, const core::SqlType& type) const override;

 protected:
  void visit_binary(const core::BinaryNode& n) override;
  void visit_ordering(const core::OrderingNode& n) override;
  void visit_join(const core::JoinNode& n) override;
  void visit_cast(const core::CastNode& n) override;
  std::string binary_operator(const core::BinaryNode& n) const override;
  void render_limit_offset(const core::Node* limit, const core::Node* offset) override;
  void render_insert_default_values(const core::InsertNode& n) override;
  /// INSERT ... ON DUPLICATE KEY UPDATE col = VALUES(col), ...
  void render_on_duplicate_key_update(const core::OnConflictNode& n) override;
  void render_excluded(const core::ExcludedNode& n) override;
};

class MySQLDdlCompiler final : public core::DdlCompiler {
 public:
  using DdlCompiler::DdlCompiler;
  std::string column_specification(const core::Table& table, const core::Column& column) override;

 protected:
  std::string visit_drop_index(const core::DropIndexNode& n) override;
  std::string visit_drop_constraint(const core::DropConstraintNode& n) override;
  std::string foreign_key_clause(const core::ForeignKeyConstraint& fk) override;
  std::string autoincrement_clause(const core::Table&, const core::Column&) override { return " AUTO_INCREMENT"; }
  std::string table_suffix(const core::Table& table) override;
  /// MODIFY / CHANGE COLUMN re-specify the whole column (type from existing_type when it does
  /// not change); a lone default change is ALTER COLUMN SET/DROP DEFAULT.
  std::vector<std::string> visit_alter_column(const core::AlterColumnNode& n) override;
  /// RENAME TO with the schema kept: an unqualified new name would move the table to the
  /// connection's default database.
  std::vector<std::string> visit_rename_table(const core::RenameTableNode& n) override;
  /// ALTER TABLE t COMMENT '...' ('' removes it).
  std::vector<std::string> visit_set_table_comment(const core::SetTableCommentNode& n) override;
};

class MySQLTypeCompiler final : public core::TypeCompiler {
 protected:
  std::string dialect_name() const override { return "mysql"; }
  std::string visit_boolean(const core::SqlType&) const override { return "BOOL"; }
  std::string visit_double(const core::SqlType&) const override { return "DOUBLE"; }
  std::string visit_numeric(const core::SqlType& t) const override;
  std::string visit_string(const core::SqlType& t) const override;
  std::string visit_time(const core::SqlType& t) const override;
  std::string visit_datetime(const core::SqlType& t) const override;
  std::string visit_interval(const core::SqlType&) const override;
  std::string visit_large_binary(const core::SqlType& t) const override;
  std::string visit_uuid(const core::SqlType&) const override { return "CHAR(36)"; }
  std::string visit_enum(const core::SqlType& t) const override;
};

/// A string as a MySQL literal: 'it''s', with backslashes doubled.
std::string quote_string(std::string_view s);

}  // namespace retort::dialects::mysql
