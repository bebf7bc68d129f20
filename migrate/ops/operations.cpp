// The `op` facade: builds each op and runs it through the migration context (see operations.hpp).
#include <retort/migrate/ops/operations.hpp>

#include <fmt/format.h>

#include <retort/core/dialect.hpp>
#include <retort/core/errors.hpp>
#include <retort/core/sql/compiler.hpp>
#include <retort/core/sql/dml.hpp>
#include <retort/migrate/errors.hpp>
#include <retort/migrate/impl/migration_impl.hpp>
#include <retort/migrate/ops/batch_operations.hpp>
#include <retort/migrate/runtime/migration_context.hpp>

namespace retort::migrate::ops {

namespace {

std::string location_of(const CallSite& at) { return fmt::format("{}:{}", at.file_name(), at.line()); }

TableName table_name(std::string name, std::optional<std::string> schema) {
  return {std::move(name), std::move(schema)};
}

}  // namespace

core::Index make_index(std::string name, std::vector<IndexPart> parts, const IndexOptions& options) {
  std::vector<core::IndexElement> elements;
  for (auto& p : parts) elements.push_back(std::move(p.element));
  core::Index index(std::move(name), std::move(elements), options.unique);
  if (options.where) index.where(*options.where);
  for (const auto& [key, value] : options.dialect_options) index.dialect_option(key, value);
  return index;
}

core::ForeignKeyConstraint make_foreign_key(std::string name, std::string referent_table,
                                            std::vector<std::string> local_columns,
                                            std::vector<std::string> remote_columns, ForeignKeyOptions options) {
  core::ForeignKeyConstraint fk;
  fk.columns = std::move(local_columns);
  fk.referred_table = std::move(referent_table);
  fk.referred_columns = std::move(remote_columns);
  fk.name = std::move(name);
  fk.ondelete = std::move(options.ondelete);
  fk.onupdate = std::move(options.onupdate);
  fk.deferrable = options.deferrable;
  fk.initially = std::move(options.initially);
  fk.referred_schema = std::move(options.referent_schema);
  fk.match = std::move(options.match);
  return fk;
}

core::ConstraintType constraint_type(const std::string& type, const std::string& location) {
  if (type.empty()) return core::ConstraintType::Unknown;
  if (type == "primary") return core::ConstraintType::PrimaryKey;
  if (type == "foreignkey") return core::ConstraintType::ForeignKey;
  if (type == "unique") return core::ConstraintType::Unique;
  if (type == "check") return core::ConstraintType::Check;
  throw core::ArgumentError(
      fmt::format("{}: drop_constraint: type '{}' is not one of primary, foreignkey, unique, check", location, type));
}

Operations::Operations(MigrationContext& context) : context_(context) {}

bool Operations::is_offline() const { return context_.as_sql(); }

core::Connection& Operations::get_bind() {
  if (context_.as_sql())
    throw CommandError(
        "op.get_bind(): there is no database connection in offline mode (--sql); a revision that reads data "
        "cannot be rendered as SQL (test op.is_offline() and write the SQL it would run instead)");
  return context_.connection();
}

void Operations::run(const Operation& op, CallSite at) {
  if (const auto* batch = std::get_if<BatchAlterTableOp>(&op)) {
    BatchOptions options{.schema = batch->table.schema, .recreate = batch->recreate};
    options.naming_convention = batch->naming_convention;
    // Offline there is nothing to reflect: the table as the batch finds it comes with the op.
    if (context_.as_sql()) options.copy_from = batch->before;
    batch_alter_table(
        Name(batch->table.name, at),
        [&](BatchOperations& b) {
          if (batch->ops)
            for (const auto& inner : batch->ops->items) b.add(inner);
        },
        options);
    return;
  }
  std::string location = location_of(at);
  try {
    if (const auto* text = std::get_if<ExecuteOp>(&op); text && std::holds_alternative<std::string>(text->statement)) {
      context_.execute(std::get<std::string>(text->statement), location);
      return;
    }
    if (const auto* bulk = std::get_if<BulkInsertOp>(&op); bulk && !context_.as_sql()) {
      if (bulk->rows.empty()) return;
      context_.execute_many(core::insert(*bulk->table).node(), bulk->rows, location);
      return;
    }
    // A drop the database would refuse for a foreign key that uses the index gets its way made.
    if (!context_.as_sql()) {
      std::optional<std::pair<TableName, std::string>> dropped_index;
      if (const auto* drop = std::get_if<DropIndexOp>(&op)) dropped_index = {drop->table, drop->name};
      if (const auto* drop = std::get_if<DropConstraintOp>(&op); drop && drop->type == core::ConstraintType::Unique)
        dropped_index = {drop->table, drop->name};
      if (dropped_index && !dropped_index->first.name.empty())
        for (const auto& sql :
             context_.impl().before_dropping_index(context_.connection(), dropped_index->first, dropped_index->second))
          context_.execute(sql, location);
    }
    // Compiled here, not by the context, so each statement goes through execute(sql): it is
    // written offline, and online it is recorded for a resume where no transaction surrounds it.
    for (const auto& node : operation_statements(op)) {
      auto compiled = context_.dialect().statement_compiler()->compile(*node, {.literal_binds = true});
      for (const auto& sql : compiled.statements()) context_.execute(sql, location);
    }
  } catch (const core::CompileError& e) {
    throw CommandError(fmt::format("{}: op.{}: {}", location, operation_name(op), e.what()));
  } catch (const core::ArgumentError& e) {
    throw CommandError(fmt::format("{}: op.{}: {}", location, operation_name(op), e.what()));
  }
}

const core::Table& Operations::create_table(Name name, std::vector<core::TableElement> elements,
                                            TableCreateOptions options) {
  elements.push_back(core::TableOptions{
      .schema = options.schema, .comment = options.comment, .dialect_options = options.dialect_options});
  std::string key = options.schema ? *options.schema + "." + name.value : name.value;
  // A table of that name created earlier in this revision (created, dropped, created again) is
  // replaced: the returned reference is to the latest.
  if (metadata_.contains(key)) metadata_.remove(key);
  const core::Table& table = metadata_.add_table(name.value, std::move(elements));
  run(CreateTableOp{table.shared_from_this(), options.if_not_exists}, name.where);
  return table;
}

void Operations::drop_table(Name name, IfExistsOption options) {
  run(DropTableOp{table_name(name.value, options.schema), options.if_exists}, name.where);
}

void Operations::rename_table(Name old_name, std::string new_name, SchemaOption options) {
  run(RenameTableOp{table_name(old_name.value, options.schema), std::move(new_name)}, old_name.where);
}

void Operations::add_column(Name table, core::Column column, IfNotExistsOption options) {
  run(AddColumnOp{table_name(table.value, options.schema), std::move(column), options.if_not_exists}, table.where);
}

void Operations::drop_column(Name table, std::string column, IfExistsOption options) {
  run(DropColumnOp{table_name(table.value, options.schema), std::move(column), options.if_exists}, table.where);
}

void Operations::alter_column(Name table, std::string column, core::ColumnAlteration change, SchemaOption options) {
  run(AlterColumnOp{table_name(table.value, options.schema), std::move(column), std::move(change)}, table.where);
}

void Operations::create_index(Name name, std::string table, std::vector<IndexPart> parts, IndexOptions options) {
  run(CreateIndexOp{table_name(std::move(table), options.schema), make_index(name.value, std::move(parts), options),
                    options.if_not_exists},
      name.where);
}

void Operations::drop_index(Name name, std::string table, IfExistsOption options) {
  run(DropIndexOp{table_name(std::move(table), options.schema), name.value, options.if_exists}, name.where);
}

void Operations::create_primary_key(Name name, std::string table, std::vector<std::string> columns,
                                    SchemaOption options) {
  run(CreatePrimaryKeyOp{table_name(std::move(table), options.schema), {std::move(columns), name.value}}, name.where);
}

void Operations::create_unique_constraint(Name name, std::string table, std::vector<std::string> columns,
                                          SchemaOption options) {
  run(CreateUniqueConstraintOp{table_name(std::move(table), options.schema), {std::move(columns), name.value}},
      name.where);
}

void Operations::create_foreign_key(Name name, std::string source_table, std::string referent_table,
                                    std::vector<std::string> local_columns, std::vector<std::string> remote_columns,
                                    ForeignKeyOptions options) {
  auto source_schema = options.source_schema;
  run(CreateForeignKeyOp{table_name(std::move(source_table), std::move(source_schema)),
                         make_foreign_key(name.value, std::move(referent_table), std::move(local_columns),
                                          std::move(remote_columns), std::move(options))},
      name.where);
}

void Operations::create_check_constraint(Name name, std::string table, std::string condition, SchemaOption options) {
  run(CreateCheckConstraintOp{table_name(std::move(table), options.schema), {std::move(condition), name.value}},
      name.where);
}

void Operations::create_check_constraint(Name name, std::string table, const core::Expr& condition,
                                         SchemaOption options) {
  // The condition is rendered once, for this database, as CHECK constraints store SQL text.
  std::string sql = context_.dialect().statement_compiler()->render_ddl_expression(*condition.node());
  create_check_constraint(std::move(name), std::move(table), std::move(sql), std::move(options));
}

void Operations::drop_constraint(Name name, std::string table, DropConstraintOptions options) {
  run(DropConstraintOp{table_name(std::move(table), options.schema), name.value,
                       constraint_type(options.type, location_of(name.where)), std::nullopt, options.if_exists},
      name.where);
}

void Operations::create_table_comment(Name table, std::string comment, TableCommentOptions options) {
  run(CreateTableCommentOp{table_name(table.value, options.schema), std::move(comment), options.existing_comment},
      table.where);
}

void Operations::drop_table_comment(Name table, TableCommentOptions options) {
  run(DropTableCommentOp{table_name(table.value, options.schema), options.existing_comment}, table.where);
}

void Operations::create_enum(Name name, std::vector<std::string> values, IfNotExistsOption options) {
  run(CreateEnumOp{name.value, std::move(values), options.schema, options.if_not_exists}, name.where);
}

void Operations::drop_enum(Name name, IfExistsOption options) {
  run(DropEnumOp{name.value, options.schema, options.if_exists}, name.where);
}

void Operations::add_enum_value(Name name, std::string value, EnumValueOptions options) {
  run(AddEnumValueOp{name.value, std::move(value), options.schema, options.before, options.after,
                     options.if_not_exists},
      name.where);
}

void Operations::alter_enum(Name name, std::vector<std::string> values, AlterEnumOptions options) {
  run(AlterEnumOp{name.value, std::move(values), options.schema, std::move(options.existing_values),
                  std::move(options.columns)},
      name.where);
}

void Operations::create_view(Name name, std::string definition, SchemaOption options) {
  run(CreateViewOp{table_name(name.value, options.schema), std::move(definition)}, name.where);
}

void Operations::drop_view(Name name, DropViewOptions options) {
  run(DropViewOp{table_name(name.value, options.schema), options.if_exists, std::move(options.definition)}, name.where);
}

void Operations::execute(Name sql) { run(ExecuteOp{sql.value}, sql.where); }

void Operations::bulk_insert(const core::Table& table, std::vector<core::Params> rows, CallSite at) {
  run(BulkInsertOp{table.shared_from_this(), std::move(rows)}, at);
}

}  // namespace retort::migrate::ops
