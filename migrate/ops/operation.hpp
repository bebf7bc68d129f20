// Migration operations as data (design.md section 4): one plain struct per operation, with
// Alembic's names and meanings, gathered in the `Operation` variant. Four behaviours live beside
// them, one file each: op_statements.cpp (the Core DDL/DML an op becomes, which the migration
// context runs online or writes as SQL offline), reverse_operation.cpp (the op that undoes it)
// and render_operation.cpp (C++ source for a revision file). `Operations` (operations.hpp) is the
// `op` object a C++ revision receives.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <retort/core/ddl/alter_elements.hpp>
#include <retort/core/ddl/ddl_elements.hpp>
#include <retort/core/ddl/enum_elements.hpp>
#include <retort/core/ddl/view_elements.hpp>
#include <retort/core/schema/table.hpp>
#include <retort/core/sql/params.hpp>

namespace retort::migrate::ops {

using core::TableName;

/// CREATE TABLE: the table as declared (columns, constraints, indexes, comment).
struct CreateTableOp {
  std::shared_ptr<const core::Table> table{};
  bool if_not_exists = false;
};

/// DROP TABLE. `definition`, when known (autogenerate fills it in), makes the op reversible.
struct DropTableOp {
  TableName table{};
  bool if_exists = false;
  std::shared_ptr<const core::Table> definition{};
};

struct RenameTableOp {
  TableName table{};
  std::string new_name{};
};

struct AddColumnOp {
  TableName table{};
  core::Column column;
  bool if_not_exists = false;
};

/// DROP COLUMN. `definition`, when known, makes the op reversible.
struct DropColumnOp {
  TableName table{};
  std::string column{};
  bool if_exists = false;
  std::optional<core::Column> definition{};
};

/// ALTER COLUMN: what changes, and (existing_*) what the column is now; the reverse swaps them.
struct AlterColumnOp {
  TableName table{};
  std::string column{};
  core::ColumnAlteration change{};
};

struct CreateIndexOp {
  TableName table{};
  core::Index index;
  bool if_not_exists = false;
};

/// DROP INDEX. `definition`, when known, makes the op reversible.
struct DropIndexOp {
  TableName table{};
  std::string name{};
  bool if_exists = false;
  std::optional<core::Index> definition{};
};

struct CreatePrimaryKeyOp {
  TableName table{};
  core::PrimaryKeyConstraint constraint{};
};
struct CreateUniqueConstraintOp {
  TableName table{};
  core::UniqueConstraint constraint{};
};
struct CreateForeignKeyOp {
  TableName table{};
  core::ForeignKeyConstraint constraint{};
};
struct CreateCheckConstraintOp {
  TableName table{};
  core::CheckConstraint constraint{};
};

/// ALTER TABLE ... DROP CONSTRAINT (MySQL needs the type: DROP FOREIGN KEY, DROP INDEX, ...).
/// `definition`, when known, makes the op reversible.
struct DropConstraintOp {
  TableName table{};
  std::string name{};
  core::ConstraintType type = core::ConstraintType::Unknown;
  std::optional<core::Constraint> definition{};
  bool if_exists = false;
};

struct CreateTableCommentOp {
  TableName table{};
  std::string comment{};
  std::optional<std::string> existing_comment{};  // for the reverse
};
struct DropTableCommentOp {
  TableName table{};
  std::optional<std::string> existing_comment{};  // for the reverse
};

/// PostgreSQL's named enum types. The values of a DropEnumOp, when known, make it reversible;
/// a value added by AddEnumValueOp cannot be removed (PostgreSQL has no ALTER TYPE ... DROP
/// VALUE), one added by AlterEnumOp can (it makes the type again).
struct CreateEnumOp {
  std::string name{};
  std::vector<std::string> values{};
  std::optional<std::string> schema{};
  bool if_not_exists = false;
};
struct DropEnumOp {
  std::string name{};
  std::optional<std::string> schema{};
  bool if_exists = false;
  std::optional<std::vector<std::string>> values{};
};
struct AddEnumValueOp {
  std::string name{};
  std::string value{};
  std::optional<std::string> schema{};
  std::optional<std::string> before{};
  std::optional<std::string> after{};
  bool if_not_exists = false;
};
/// New values for an enum type: added in place where all the existing values stay in order, else
/// the type made again and `columns` (the columns of the type, with their defaults) cast to it.
/// Reversible when the existing values are known. What autogenerate writes for a changed type.
struct AlterEnumOp {
  std::string name{};
  std::vector<std::string> values{};
  std::optional<std::string> schema{};
  std::optional<std::vector<std::string>> existing_values{};
  std::vector<core::EnumTypeColumn> columns{};
};

/// Views: CREATE VIEW name AS select, DROP VIEW. A DropViewOp's definition, when known, makes it
/// reversible.
struct CreateViewOp {
  TableName view{};
  std::string definition{};
};
struct DropViewOp {
  TableName view{};
  bool if_exists = false;
  std::optional<std::string> definition{};
};

/// SQL text, or a Core statement (DML or DDL), run as given. Not reversible.
struct ExecuteOp {
  std::variant<std::string, core::NodePtr> statement{};
};

/// INSERT of literal rows into a table (online: one statement with many parameter sets; offline:
/// one INSERT per row with the values inline).
struct BulkInsertOp {
  std::shared_ptr<const core::Table> table{};
  std::vector<core::Params> rows{};
};

struct OperationList;  // the ops of a batch (below: it holds Operations)

/// batch_alter_table as data (what autogenerate writes on SQLite): ops on one table that run
/// together, recreating the table where ALTER cannot do them. `before` (the table as it is) lets
/// it run offline (copy_from); `after` (the table it makes) is the reverse's `before`.
struct BatchAlterTableOp {
  TableName table{};
  std::shared_ptr<const OperationList> ops{};
  std::string recreate = "auto";
  std::shared_ptr<const core::Table> before{};
  std::shared_ptr<const core::Table> after{};
  /// Names the unnamed constraints the ops drop (BatchOptions::naming_convention).
  std::optional<core::NamingConvention> naming_convention{};
};

using Operation =
    std::variant<CreateTableOp, DropTableOp, RenameTableOp, AddColumnOp, DropColumnOp, AlterColumnOp, CreateIndexOp,
                 DropIndexOp, CreatePrimaryKeyOp, CreateUniqueConstraintOp, CreateForeignKeyOp, CreateCheckConstraintOp,
                 DropConstraintOp, CreateTableCommentOp, DropTableCommentOp, CreateEnumOp, DropEnumOp, AddEnumValueOp,
                 AlterEnumOp, CreateViewOp, DropViewOp, ExecuteOp, BulkInsertOp, BatchAlterTableOp>;

struct OperationList {
  std::vector<Operation> items{};
};

/// The op's name as the `op` facade spells it ("add_column"), for messages.
std::string operation_name(const Operation& op);

/// The Core statements the op becomes, in order: what the migration context runs online or writes
/// offline. Throws core::ArgumentError for an op that is incomplete (no table, no column), and for
/// a BatchAlterTableOp, which only Operations::run can carry out (it may read the table first).
std::vector<core::NodePtr> operation_statements(const Operation& op);

/// The op that undoes `op` (what autogenerate writes as the downgrade). Throws
/// core::ArgumentError naming the op when it cannot be reversed: an ExecuteOp or BulkInsertOp,
/// a drop whose definition is unknown, an alter_column without the existing_* values it changes.
Operation reverse(const Operation& op);

/// C++ source that performs `op` through the `op` object of a revision, e.g.
/// `op.add_column("users", retort::Column("email", retort::String{100}));` (one statement, no
/// trailing newline; nested lines indented by two spaces).
std::string render_cpp(const Operation& op);
/// The same call on the `batch` object inside a batch_alter_table block (no table argument),
/// e.g. `batch.drop_column("legacy");`. Throws core::ArgumentError for an op a batch cannot hold.
std::string render_batch_cpp(const Operation& op);

}  // namespace retort::migrate::ops
