// The DDL statement handles: each makes its node (ddl_elements.hpp).
#include <retort/core/ddl/ddl_statements.hpp>

#include <retort/core/schema/owned_table.hpp>

#include <retort/core/ddl/ddl_elements.hpp>

namespace retort::core {

CreateTable::CreateTable(const Table& table, bool if_not_exists)
    : DdlStatement(std::make_shared<CreateTableNode>(owned(table), if_not_exists)) {}
DropTable::DropTable(const Table& table, bool if_exists)
    : DdlStatement(std::make_shared<DropTableNode>(table.name(), table.schema(), if_exists)) {}
DropTable::DropTable(std::string name, std::optional<std::string> schema, bool if_exists)
    : DdlStatement(std::make_shared<DropTableNode>(std::move(name), std::move(schema), if_exists)) {}
CreateIndex::CreateIndex(const Table& table, Index index, bool if_not_exists)
    : DdlStatement(std::make_shared<CreateIndexNode>(owned(table), std::move(index), if_not_exists)) {}
DropIndex::DropIndex(std::string name, std::string table_name, std::optional<std::string> schema, bool if_exists)
    : DdlStatement(
          std::make_shared<DropIndexNode>(std::move(name), std::move(table_name), std::move(schema), if_exists)) {}
AddConstraint::AddConstraint(const Table& table, Constraint constraint)
    : DdlStatement(std::make_shared<AddConstraintNode>(owned(table), std::move(constraint))) {}
DropConstraint::DropConstraint(std::string name, std::string table_name, std::optional<std::string> schema,
                               ConstraintType type, bool if_exists)
    : DdlStatement(std::make_shared<DropConstraintNode>(std::move(name), std::move(table_name), std::move(schema), type,
                                                        if_exists)) {}

}  // namespace retort::core
