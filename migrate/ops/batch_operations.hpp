// Batch mode (Alembic's batch_alter_table): the changes to one table, gathered and then applied
// together, by ALTER where the database can, or by "move and copy" where it cannot (SQLite):
//
//   op.batch_alter_table("users", [](retort::migrate::BatchOperations& batch) {
//     batch.drop_column("legacy");
//     batch.alter_column("name", {.nullable = false});
//   });
//
// On SQLite a recreation follows SQLite's documented procedure for schema changes: the new table
// is made beside the old one, the rows copied (CAST where a column's type changes), the old table
// dropped and the new one renamed, its indexes, and the triggers and views that name it, made
// again, and `PRAGMA foreign_key_check` run, all in the revision's transaction, with foreign key
// enforcement off so that dropping the old table cascades to nothing. A failure at any step rolls
// the whole revision back.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <retort/migrate/ops/operation.hpp>
#include <retort/migrate/ops/operations.hpp>

namespace retort::migrate::ops {

/// The ops of one batch, each on the batch's table.
class BatchOperations {
 public:
  explicit BatchOperations(TableName table) : table_(std::move(table)) {}

  /// A new column; with a position it goes before or after another when the table is recreated
  /// (and on SQLite that makes the batch recreate it).
  void add_column(core::Column column, ColumnPosition position = {}) {
    if (position.insert_before || position.insert_after) positions_.emplace_back(column.name(), position);
    ops_.push_back(AddColumnOp{table_, std::move(column)});
  }
  void drop_column(std::string column) { ops_.push_back(DropColumnOp{table_, std::move(column)}); }
  void alter_column(std::string column, core::ColumnAlteration change) {
    ops_.push_back(AlterColumnOp{table_, std::move(column), std::move(change)});
  }
  void create_index(std::string name, std::vector<IndexPart> parts, IndexOptions options = {});
  void drop_index(std::string name) { ops_.push_back(DropIndexOp{table_, std::move(name)}); }
  void create_primary_key(std::string name, std::vector<std::string> columns) {
    ops_.push_back(CreatePrimaryKeyOp{table_, {std::move(columns), std::move(name)}});
  }
  void create_unique_constraint(std::string name, std::vector<std::string> columns) {
    ops_.push_back(CreateUniqueConstraintOp{table_, {std::move(columns), std::move(name)}});
  }
  void create_foreign_key(std::string name, std::string referent_table, std::vector<std::string> local_columns,
                          std::vector<std::string> remote_columns, ForeignKeyOptions options = {});
  void create_check_constraint(std::string name, std::string condition) {
    ops_.push_back(CreateCheckConstraintOp{table_, {std::move(condition), std::move(name)}});
  }
  void drop_constraint(std::string name, DropConstraintOptions options = {});
  /// An op given as data (a BatchAlterTableOp's); it must be one of the above, on this table.
  void add(Operation op) { ops_.push_back(std::move(op)); }

  const TableName& table() const noexcept { return table_; }
  const std::vector<Operation>& operations() const noexcept { return ops_; }
  const std::vector<std::pair<std::string, ColumnPosition>>& positions() const noexcept { return positions_; }

 private:
  TableName table_;
  std::vector<Operation> ops_;
  std::vector<std::pair<std::string, ColumnPosition>> positions_;
};

}  // namespace retort::migrate::ops

namespace retort::migrate {
using ops::BatchOperations;
}  // namespace retort::migrate
