// batch_alter_table: the batch's ops run as plain ALTERs where the database can do them, else the
// table is recreated ("move and copy": recreated_table.hpp describes the new table,
// move_and_copy.cpp makes it).
#include <retort/migrate/ops/batch_operations.hpp>

#include <algorithm>

#include <fmt/format.h>

#include <retort/core/errors.hpp>
#include <retort/migrate/errors.hpp>
#include <retort/migrate/ops/move_and_copy.hpp>
#include <retort/migrate/ops/recreated_table.hpp>
#include <retort/migrate/runtime/migration_context.hpp>

namespace retort::migrate::ops {

void BatchOperations::create_index(std::string name, std::vector<IndexPart> parts, IndexOptions options) {
  ops_.push_back(CreateIndexOp{table_, make_index(std::move(name), std::move(parts), options)});
}

void BatchOperations::create_foreign_key(std::string name, std::string referent_table,
                                         std::vector<std::string> local_columns,
                                         std::vector<std::string> remote_columns, ForeignKeyOptions options) {
  ops_.push_back(
      CreateForeignKeyOp{table_, make_foreign_key(std::move(name), std::move(referent_table), std::move(local_columns),
                                                  std::move(remote_columns), std::move(options))});
}

void BatchOperations::drop_constraint(std::string name, DropConstraintOptions options) {
  auto type = constraint_type(options.type, "batch_alter_table(\"" + table_.name + "\")");
  ops_.push_back(DropConstraintOp{table_, std::move(name), type, std::nullopt, options.if_exists});
}

namespace {

/// Whether SQLite's ALTER can do the op (Alembic's rule): a plain column added, an index made or
/// dropped.
bool plain_alter_will_do(const Operation& op) {
  if (const auto* add = std::get_if<AddColumnOp>(&op))
    return !add->column.is_primary_key() && !add->column.is_unique() && add->column.foreign_keys().empty();
  return std::holds_alternative<CreateIndexOp>(op) || std::holds_alternative<DropIndexOp>(op);
}

}  // namespace

void Operations::batch_alter_table(Name table, const std::function<void(BatchOperations&)>& body,
                                   BatchOptions options) {
  std::string location = fmt::format("{}:{}", table.where.file_name(), table.where.line());
  if (options.recreate != "auto" && options.recreate != "always" && options.recreate != "never")
    throw CommandError(
        fmt::format("{}: batch_alter_table: recreate must be \"auto\", \"always\" or \"never\", not \"{}\"", location,
                    options.recreate));
  TableName name{table.value, options.schema};
  BatchOperations batch(name);
  body(batch);
  const auto& ops = batch.operations();
  // Positions and orders exist only in a recreated table: on SQLite they make the batch recreate.
  bool reorders = !batch.positions().empty() || !options.partial_reordering.empty() || !options.table_args.empty();
  bool recreate_table =
      options.recreate == "always" || (options.recreate == "auto" && context_.impl().requires_recreate_in_batch() &&
                                       (reorders || !std::all_of(ops.begin(), ops.end(), plain_alter_will_do)));
  if (!recreate_table) {
    for (const auto& op : ops) run(op, table.where);
    for (const auto& op : table_arg_ops(name, options.table_args)) run(op, table.where);
    return;
  }
  if (ops.empty() && !reorders) return;
  try {
    move_and_copy(context_, name, batch, options, location);
  } catch (const ForeignKeysMustBeOff&) {
    throw;
  } catch (const core::ArgumentError& e) {
    throw CommandError(fmt::format("{}: batch_alter_table(\"{}\"): {}", location, display(name), e.what()));
  } catch (const core::CompileError& e) {
    throw CommandError(fmt::format("{}: batch_alter_table(\"{}\"): {}", location, display(name), e.what()));
  }
}

}  // namespace retort::migrate::ops
