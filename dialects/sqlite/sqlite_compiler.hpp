// SQLite's statement, DDL and type compilers: only what differs from the generic ones.
#pragma once

#include <retort/core/ddl/ddl_compiler.hpp>
#include <retort/core/sql/compiler.hpp>
#include <retort/core/sql/type_compiler.hpp>
#include <retort/dialects/on_conflict_compiler.hpp>

namespace retort::dialects::sqlite {

class SQLiteCompiler final : public OnConflictCompiler {
 public:
  using OnConflictCompiler::OnConflictCompiler;

 protected:
  std::string binary_operator(const core::BinaryNode& n) const override;
  void render_limit_offset(const core::Node* limit, const core::Node* offset) override;
  void render_boolean(bool value) override;
  void render_nested_compound_select(const core::CompoundSelectNode& n) override;
  void render_insert_from_select(const core::InsertNode& n) override;
};

class SQLiteDdlCompiler final : public core::DdlCompiler {
 public:
  using DdlCompiler::DdlCompiler;
  std::string column_specification(const core::Table& table, const core::Column& column) override;

 protected:
  std::string column_type(const core::Table& table, const core::Column& column) override;
  std::string primary_key_clause(const core::Table& table) override;
  std::string identity_clause(const core::Identity&) override { return {}; }
  /// ADD COLUMN with its foreign keys inline (REFERENCES): SQLite cannot add constraints later.
  std::vector<std::string> visit_add_column(const core::AddColumnNode& n) override;
  std::vector<std::string> visit_drop_column(const core::DropColumnNode& n) override;
  /// Only a rename: SQLite's ALTER TABLE changes nothing else about a column.
  std::vector<std::string> visit_alter_column(const core::AlterColumnNode& n) override;
};

class SQLiteTypeCompiler final : public core::TypeCompiler {
 protected:
  std::string dialect_name() const override { return "sqlite"; }
  std::string visit_datetime(const core::SqlType&) const override { return "DATETIME"; }
  std::string visit_time(const core::SqlType&) const override { return "TIME"; }
  std::string visit_uuid(const core::SqlType&) const override { return "CHAR(36)"; }
  std::string visit_double(const core::SqlType&) const override { return "DOUBLE"; }
};

}  // namespace retort::dialects::sqlite
