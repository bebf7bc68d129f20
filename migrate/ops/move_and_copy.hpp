// Batch "move and copy": recreating a table with a batch's changes (move_and_copy.cpp).
#pragma once

#include <string>

#include <retort/migrate/ops/batch_operations.hpp>

namespace retort::migrate {
class MigrationContext;
}

namespace retort::migrate::ops {

/// Makes `name` again with the batch's ops, table_args, positions and orders applied, its rows
/// copied. Throws ForeignKeysMustBeOff on SQLite when foreign keys are enforced and other tables
/// refer to it (the runner then reruns the revision with them off), CommandError naming
/// `location` for what the database or the change refuses.
void move_and_copy(MigrationContext& context, const TableName& name, const BatchOperations& batch,
                   const BatchOptions& options, const std::string& location);

}  // namespace retort::migrate::ops
