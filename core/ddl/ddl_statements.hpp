// The DDL statements a program executes like any other, conn.execute(CreateTable(t)): CREATE/DROP
// TABLE and INDEX, ADD/DROP CONSTRAINT. Their nodes, which the dialects' DDL compilers render, are
// in ddl_elements.hpp; the handles are built out of line so that this header stays light.
#pragma once

#include <optional>
#include <string>
#include <variant>

#include <retort/core/schema/constraints.hpp>
#include <retort/core/sql/compiled_statement.hpp>
#include <retort/core/sql/node.hpp>

namespace retort::core {

class Table;

using Constraint = std::variant<PrimaryKeyConstraint, ForeignKeyConstraint, UniqueConstraint, CheckConstraint>;

enum class ConstraintType { PrimaryKey, ForeignKey, Unique, Check, Unknown };

/// A DDL statement handle, so that DDL executes like any other statement: conn.execute(CreateTable(t)).
struct DdlStatement : Compilable<DdlStatement> {
  explicit DdlStatement(NodePtr node) : node_(std::move(node)) {}
  const NodePtr& node() const noexcept { return node_; }
  NodePtr node_;
};

struct CreateTable : DdlStatement {
  explicit CreateTable(const Table& table, bool if_not_exists = false);
};
struct DropTable : DdlStatement {
  explicit DropTable(const Table& table, bool if_exists = false);
  DropTable(std::string name, std::optional<std::string> schema, bool if_exists = false);
};
struct CreateIndex : DdlStatement {
  CreateIndex(const Table& table, Index index, bool if_not_exists = false);
};
struct DropIndex : DdlStatement {
  DropIndex(std::string name, std::string table_name, std::optional<std::string> schema = {}, bool if_exists = false);
};
struct AddConstraint : DdlStatement {
  AddConstraint(const Table& table, Constraint constraint);
};
struct DropConstraint : DdlStatement {
  DropConstraint(std::string name, std::string table_name, std::optional<std::string> schema = {},
                 ConstraintType type = ConstraintType::Unknown, bool if_exists = false);
};

}  // namespace retort::core
