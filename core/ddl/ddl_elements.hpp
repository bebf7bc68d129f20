// DDL statements as nodes of the SQL tree: CREATE/DROP TABLE and INDEX, ADD/DROP CONSTRAINT.
// Each dialect's DdlCompiler renders them; the ALTER family is in alter_elements.hpp. The handles
// a program executes (CreateTable, ...) are in ddl_statements.hpp.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <variant>

#include <retort/core/ddl/ddl_statements.hpp>
#include <retort/core/schema/table.hpp>
#include <retort/core/sql/node.hpp>

namespace retort::core {

/// Fields shared by DDL nodes: structure keys are not used for DDL (never cached).
class DdlNode : public Node {
 public:
  using Node::Node;
  void for_each_child(const std::function<void(const Node&)>&) const override {}

 protected:
  void hash_into(Hasher& h) const override { h.add(reinterpret_cast<std::uintptr_t>(this)); }
};

class CreateTableNode final : public DdlNode {
 public:
  static constexpr NodeKind KIND = NodeKind::CreateTable;
  CreateTableNode(std::shared_ptr<const Table> table_in, bool if_not_exists_in)
      : DdlNode(KIND), table(std::move(table_in)), if_not_exists(if_not_exists_in) {}
  std::shared_ptr<const Table> table;
  bool if_not_exists;
};

class DropTableNode final : public DdlNode {
 public:
  static constexpr NodeKind KIND = NodeKind::DropTable;
  DropTableNode(std::string name_in, std::optional<std::string> schema_in, bool if_exists_in)
      : DdlNode(KIND), name(std::move(name_in)), schema(std::move(schema_in)), if_exists(if_exists_in) {}
  std::string name;
  std::optional<std::string> schema;
  bool if_exists;
};

class CreateIndexNode final : public DdlNode {
 public:
  static constexpr NodeKind KIND = NodeKind::CreateIndex;
  CreateIndexNode(std::shared_ptr<const Table> table_in, Index index_in, bool if_not_exists_in)
      : DdlNode(KIND), table(std::move(table_in)), index(std::move(index_in)), if_not_exists(if_not_exists_in) {}
  std::shared_ptr<const Table> table;
  Index index;
  bool if_not_exists;
};

class DropIndexNode final : public DdlNode {
 public:
  static constexpr NodeKind KIND = NodeKind::DropIndex;
  DropIndexNode(std::string name_in, std::string table_name_in, std::optional<std::string> schema_in, bool if_exists_in)
      : DdlNode(KIND),
        name(std::move(name_in)),
        table_name(std::move(table_name_in)),
        schema(std::move(schema_in)),
        if_exists(if_exists_in) {}
  std::string name;
  std::string table_name;  // MySQL needs it: DROP INDEX name ON table
  std::optional<std::string> schema;
  bool if_exists;
};

class AddConstraintNode final : public DdlNode {
 public:
  static constexpr NodeKind KIND = NodeKind::AddConstraint;
  AddConstraintNode(std::shared_ptr<const Table> table_in, Constraint constraint_in)
      : DdlNode(KIND), table(std::move(table_in)), constraint(std::move(constraint_in)) {}
  std::shared_ptr<const Table> table;
  Constraint constraint;
};

class DropConstraintNode final : public DdlNode {
 public:
  static constexpr NodeKind KIND = NodeKind::DropConstraint;
  DropConstraintNode(std::string name_in, std::string table_name_in, std::optional<std::string> schema_in,
                     ConstraintType type_in, bool if_exists_in = false)
      : DdlNode(KIND),
        name(std::move(name_in)),
        table_name(std::move(table_name_in)),
        schema(std::move(schema_in)),
        type(type_in),
        if_exists(if_exists_in) {}
  std::string name;
  std::string table_name;
  std::optional<std::string> schema;
  ConstraintType type;
  bool if_exists;
};

}  // namespace retort::core
