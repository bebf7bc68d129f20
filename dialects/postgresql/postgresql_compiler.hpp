// PostgreSQL's statement, DDL and type compilers: only what differs from the generic ones.
#pragma once

#include <retort/core/ddl/ddl_compiler.hpp>
#include <retort/core/sql/compiler.hpp>
#include <retort/core/sql/type_compiler.hpp>
#include <retort/dialects/on_conflict_compiler.hpp>

namespace retort::dialects::postgresql {

class PostgreSQLCompiler final : public OnConflictCompiler {
 public:
  using OnConflictCompiler::OnConflictCompiler;
  /// Blobs as '\x..'::bytea, non-finite floats as 'NaN'::float8 and friends.
  std::string render_literal(const core::Value& v, const core::SqlType& type) const override;

 protected:
  void render_function_name(const core::FunctionNode& n) override;
};

class PostgreSQLDdlCompiler final : public core::DdlCompiler {
 public:
  using DdlCompiler::DdlCompiler;
  /// DROP TYPE IF EXISTS for the named enums of the dropped tables.
  std::vector<std::string> post_drop_all_statements(const std::vector<const core::Table*>& tables) override;

 protected:
  /// SERIAL / BIGSERIAL / SMALLSERIAL for an autoincrementing key without Identity; enum
  /// columns name their type in the table's schema.
  std::string column_type(const core::Table& table, const core::Column& column) override;
  std::string computed_clause(const core::Computed& computed) override;
  /// Index option {"postgresql_using", "gin"} adds USING gin.
  std::string visit_create_index(const core::CreateIndexNode& n) override;
  /// CREATE TYPE ... AS ENUM for each named enum of the table, skipped when it exists.
  std::vector<std::string> pre_create_statements(const core::Table& table) override;
  /// COMMENT ON TABLE / COLUMN.
  std::vector<std::string> post_create_statements(const core::Table& table) override;
  std::string visit_create_enum_type(const core::CreateEnumTypeNode& n) override;
  std::string visit_drop_enum_type(const core::DropEnumTypeNode& n) override;
  std::string visit_add_enum_value(const core::AddEnumValueNode& n) override;
  std::vector<std::string> visit_alter_enum_type(const core::AlterEnumTypeNode& n) override;

 private:
  std::string enum_type_name(const core::Table& table, const core::SqlType& type) const;
};

class PostgreSQLTypeCompiler final : public core::TypeCompiler {
 public:
  explicit PostgreSQLTypeCompiler(const core::IdentifierPreparer& preparer) : preparer_(preparer) {}

 protected:
  std::string dialect_name() const override { return "postgresql"; }
  std::string visit_float(const core::SqlType& t) const override;
  std::string visit_large_binary(const core::SqlType&) const override { return "BYTEA"; }
  std::string visit_enum(const core::SqlType& t) const override;

 private:
  const core::IdentifierPreparer& preparer_;
};

}  // namespace retort::dialects::postgresql
