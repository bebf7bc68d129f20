// What each op becomes: Core DDL nodes (and DML for bulk_insert), which the migration context
// runs online or writes offline, and which each dialect's DDL compiler renders or refuses with a
// message naming the dialect (and batch mode where the dialect recreates tables).
#include <fmt/format.h>

#include <retort/core/errors.hpp>
#include <retort/core/sql/dml.hpp>
#include <retort/migrate/ops/operation.hpp>
#include <retort/migrate/ops/overloaded.hpp>

namespace retort::migrate::ops {

namespace {

/// A table that has only a name (and schema): what the DDL nodes that name a table need, for an
/// op that names one without declaring it.
std::shared_ptr<const core::Table> named_table(const TableName& name) {
  static const auto naming = std::make_shared<const core::NamingConvention>();
  auto table = std::make_shared<core::Table>(name.name, naming);
  if (name.schema) table->append(core::TableOptions{.schema = name.schema});
  return table;
}

void require(bool condition, const char* op, const char* what) {
  if (!condition) throw core::ArgumentError(fmt::format("{} needs {}", op, what));
}

core::NodePtr add_constraint(const TableName& table, core::Constraint constraint) {
  return std::make_shared<core::AddConstraintNode>(named_table(table), std::move(constraint));
}

}  // namespace

std::string operation_name(const Operation& op) {
  return std::visit(Overloaded{
                        [](const CreateTableOp&) { return "create_table"; },
                        [](const DropTableOp&) { return "drop_table"; },
                        [](const RenameTableOp&) { return "rename_table"; },
                        [](const AddColumnOp&) { return "add_column"; },
                        [](const DropColumnOp&) { return "drop_column"; },
                        [](const AlterColumnOp&) { return "alter_column"; },
                        [](const CreateIndexOp&) { return "create_index"; },
                        [](const DropIndexOp&) { return "drop_index"; },
                        [](const CreatePrimaryKeyOp&) { return "create_primary_key"; },
                        [](const CreateUniqueConstraintOp&) { return "create_unique_constraint"; },
                        [](const CreateForeignKeyOp&) { return "create_foreign_key"; },
                        [](const CreateCheckConstraintOp&) { return "create_check_constraint"; },
                        [](const DropConstraintOp&) { return "drop_constraint"; },
                        [](const CreateTableCommentOp&) { return "create_table_comment"; },
                        [](const DropTableCommentOp&) { return "drop_table_comment"; },
                        [](const CreateEnumOp&) { return "create_enum"; },
                        [](const DropEnumOp&) { return "drop_enum"; },
                        [](const AddEnumValueOp&) { return "add_enum_value"; },
                        [](const AlterEnumOp&) { return "alter_enum"; },
                        [](const CreateViewOp&) { return "create_view"; },
                        [](const DropViewOp&) { return "drop_view"; },
                        [](const ExecuteOp&) { return "execute"; },
                        [](const BulkInsertOp&) { return "bulk_insert"; },
                        [](const BatchAlterTableOp&) { return "batch_alter_table"; },
                    },
                    op);
}

std::vector<core::NodePtr> operation_statements(const Operation& op) {
  using core::NodePtr;
  return std::visit(
      Overloaded{
          [](const CreateTableOp& o) -> std::vector<NodePtr> {
            require(o.table != nullptr, "create_table", "a table");
            std::vector<NodePtr> out{std::make_shared<core::CreateTableNode>(o.table, o.if_not_exists)};
            // Indexes declared with the table, as MetaData::create_all makes them.
            for (const auto& index : o.table->indexes())
              out.push_back(std::make_shared<core::CreateIndexNode>(o.table, index, o.if_not_exists));
            return out;
          },
          [](const DropTableOp& o) -> std::vector<NodePtr> {
            return {std::make_shared<core::DropTableNode>(o.table.name, o.table.schema, o.if_exists)};
          },
          [](const RenameTableOp& o) -> std::vector<NodePtr> {
            require(!o.new_name.empty(), "rename_table", "a new name");
            return {std::make_shared<core::RenameTableNode>(o.table, o.new_name)};
          },
          [](const AddColumnOp& o) -> std::vector<NodePtr> {
            return {std::make_shared<core::AddColumnNode>(o.table, o.column, o.if_not_exists)};
          },
          [](const DropColumnOp& o) -> std::vector<NodePtr> {
            require(!o.column.empty(), "drop_column", "a column name");
            return {std::make_shared<core::DropColumnNode>(o.table, o.column, o.if_exists)};
          },
          [](const AlterColumnOp& o) -> std::vector<NodePtr> {
            require(o.change.changes_anything(), "alter_column",
                    "something to change (nullable, type, server_default, new_name, comment or autoincrement)");
            return {std::make_shared<core::AlterColumnNode>(o.table, o.column, o.change)};
          },
          [](const CreateIndexOp& o) -> std::vector<NodePtr> {
            require(!o.index.elements.empty(), "create_index", "at least one column or expression");
            return {std::make_shared<core::CreateIndexNode>(named_table(o.table), o.index, o.if_not_exists)};
          },
          [](const DropIndexOp& o) -> std::vector<NodePtr> {
            return {std::make_shared<core::DropIndexNode>(o.name, o.table.name, o.table.schema, o.if_exists)};
          },
          [](const CreatePrimaryKeyOp& o) -> std::vector<NodePtr> {
            require(!o.constraint.columns.empty(), "create_primary_key", "at least one column");
            return {add_constraint(o.table, o.constraint)};
          },
          [](const CreateUniqueConstraintOp& o) -> std::vector<NodePtr> {
            require(!o.constraint.columns.empty(), "create_unique_constraint", "at least one column");
            return {add_constraint(o.table, o.constraint)};
          },
          [](const CreateForeignKeyOp& o) -> std::vector<NodePtr> {
            require(
                !o.constraint.columns.empty() && o.constraint.columns.size() == o.constraint.referred_columns.size(),
                "create_foreign_key", "as many local columns as remote columns, at least one");
            return {add_constraint(o.table, o.constraint)};
          },
          [](const CreateCheckConstraintOp& o) -> std::vector<NodePtr> {
            require(!o.constraint.sqltext.empty(), "create_check_constraint", "a condition");
            return {add_constraint(o.table, o.constraint)};
          },
          [](const DropConstraintOp& o) -> std::vector<NodePtr> {
            require(!o.name.empty(), "drop_constraint", "the constraint's name");
            return {
                std::make_shared<core::DropConstraintNode>(o.name, o.table.name, o.table.schema, o.type, o.if_exists)};
          },
          [](const CreateTableCommentOp& o) -> std::vector<NodePtr> {
            return {std::make_shared<core::SetTableCommentNode>(o.table, o.comment)};
          },
          [](const DropTableCommentOp& o) -> std::vector<NodePtr> {
            return {std::make_shared<core::SetTableCommentNode>(o.table, std::nullopt)};
          },
          [](const CreateEnumOp& o) -> std::vector<NodePtr> {
            require(!o.values.empty(), "create_enum", "at least one value");
            return {std::make_shared<core::CreateEnumTypeNode>(o.name, o.schema, o.values, o.if_not_exists)};
          },
          [](const DropEnumOp& o) -> std::vector<NodePtr> {
            return {std::make_shared<core::DropEnumTypeNode>(o.name, o.schema, o.if_exists)};
          },
          [](const AddEnumValueOp& o) -> std::vector<NodePtr> {
            return {std::make_shared<core::AddEnumValueNode>(o.name, o.schema, o.value, o.before, o.after,
                                                             o.if_not_exists)};
          },
          [](const AlterEnumOp& o) -> std::vector<NodePtr> {
            require(!o.values.empty(), "alter_enum", "at least one value");
            require(o.values != o.existing_values, "alter_enum", "values that differ from the existing ones");
            return {
                std::make_shared<core::AlterEnumTypeNode>(o.name, o.schema, o.values, o.existing_values, o.columns)};
          },
          [](const CreateViewOp& o) -> std::vector<NodePtr> {
            return {std::make_shared<core::CreateViewNode>(core::TableName{o.view.name, o.view.schema}, o.definition)};
          },
          [](const DropViewOp& o) -> std::vector<NodePtr> {
            return {std::make_shared<core::DropViewNode>(core::TableName{o.view.name, o.view.schema}, o.if_exists)};
          },
          [](const ExecuteOp& o) -> std::vector<NodePtr> {
            if (const auto* node = std::get_if<NodePtr>(&o.statement)) return {*node};
            return {core::text(std::get<std::string>(o.statement)).node()};
          },
          [](const BulkInsertOp& o) -> std::vector<NodePtr> {
            require(o.table != nullptr, "bulk_insert", "a table");
            std::vector<NodePtr> out;
            out.reserve(o.rows.size());
            for (const auto& row : o.rows)
              out.push_back(core::insert(*o.table).values(std::vector<core::Params>{row}).node());
            return out;
          },
          [](const BatchAlterTableOp& o) -> std::vector<NodePtr> {
            throw core::ArgumentError("batch_alter_table(\"" + o.table.name +
                                      "\") has no fixed statements: it runs through Operations::run");
          },
      },
      op);
}

}  // namespace retort::migrate::ops
