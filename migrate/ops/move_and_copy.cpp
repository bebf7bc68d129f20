// Batch "move and copy": the table is made again under a temporary name with the batch's changes,
// its rows copied, the old table dropped and the new one renamed. On SQLite this is the 12-step
// procedure of sqlite.org/lang_altertable.html (foreign keys off outside the transaction, views
// and triggers made again, PRAGMA foreign_key_check); on the servers the database's rules come
// from MigrationImpl::table_recreation (constraint names, sequences, referring foreign keys).
#include <retort/migrate/ops/move_and_copy.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <retort/core/ddl/ddl_elements.hpp>
#include <retort/core/reflection/inspector.hpp>
#include <retort/core/reflection/reflect_metadata.hpp>
#include <retort/core/sql/compiler.hpp>
#include <retort/core/text.hpp>
#include <retort/migrate/errors.hpp>
#include <retort/migrate/ops/recreated_table.hpp>
#include <retort/migrate/runtime/migration_context.hpp>

namespace retort::migrate::ops {

namespace {

/// A foreign key of another table that refers to the recreated one.
struct ReferringForeignKey {
  std::string table;
  core::ReflectedForeignKey key;
};

/// The foreign keys of other tables that refer to `table`.
std::vector<ReferringForeignKey> referring_foreign_keys(core::Connection& conn, const TableName& table) {
  std::vector<ReferringForeignKey> out;
  core::Inspector inspector(conn);
  for (const auto& t : inspector.reflect(table.schema).tables)
    if (!core::iequals(t.name, table.name))
      for (const auto& fk : t.foreign_keys)
        if (core::iequals(fk.referred_table, table.name)) out.push_back({t.name, fk});
  return out;
}

bool is_referenced(core::Connection& conn, const TableName& table) {
  core::Inspector inspector(conn);
  for (const auto& t : inspector.reflect(table.schema).tables)
    for (const auto& fk : t.foreign_keys)
      if (core::iequals(fk.referred_table, table.name)) return true;
  return false;
}

/// The rows of `child` whose foreign key `fk` finds no row in `parent`: a query counting them.
std::string orphan_count_sql(const core::IdentifierPreparer& q, const std::optional<std::string>& schema,
                             const std::string& child, const std::string& parent, const core::ReflectedForeignKey& fk) {
  std::vector<std::string> present, match;
  for (std::size_t i = 0; i < fk.columns.size() && i < fk.referred_columns.size(); ++i) {
    present.push_back(fmt::format("c.{} IS NOT NULL", q.quote(fk.columns[i])));
    match.push_back(fmt::format("p.{} = c.{}", q.quote(fk.referred_columns[i]), q.quote(fk.columns[i])));
  }
  return fmt::format("SELECT count(*) FROM {} c WHERE {} AND NOT EXISTS (SELECT 1 FROM {} p WHERE {})",
                     q.format_table(child, schema), fmt::join(present, " AND "),
                     q.format_table(parent, fk.referred_schema ? fk.referred_schema : schema),
                     fmt::join(match, " AND "));
}

}  // namespace

void move_and_copy(MigrationContext& context, const TableName& name, const BatchOperations& batch,
                   const BatchOptions& options, const std::string& location) {
  const auto& dialect = context.dialect();
  const auto& impl = context.impl();
  bool online = !context.as_sql();
  // SQLite's procedure needs no catalog beyond the table; a server's needs its sequences and the
  // foreign keys that refer to the table, which only the database can tell.
  if (!online && !impl.requires_recreate_in_batch())
    throw CommandError(fmt::format(
        "{}: batch_alter_table(\"{}\"): recreate = \"always\" on {} needs the database (the table's sequences and "
        "the foreign keys that refer to it): run it online, or use recreate = \"auto\" under --sql",
        location, display(name), dialect.name()));

  auto original = current_table(context, name, options);
  RecreatedTable model(original, dialect);
  model.override_columns(options.reflect_columns);
  if (options.naming_convention) model.name_constraints(*options.naming_convention);
  for (const auto& op : batch.operations()) model.apply(op);
  for (const auto& op : table_arg_ops(name, options.table_args)) model.apply(op);
  for (const auto& [column, position] : batch.positions()) model.place(column, position);
  for (const auto& order : options.partial_reordering) model.reorder(order);
  core::ReflectedTable shape = model.table();

  std::vector<DependentObject> dependents;
  std::vector<ReferringForeignKey> referring;
  TableRecreation rules;
  if (online) {
    auto& conn = context.connection();
    // SQLite: dropping the old table deletes its rows first where foreign keys are enforced,
    // which would cascade to (or be refused by) the tables that refer to it.
    if (impl.can_pause_foreign_keys() && impl.foreign_keys_enforced(conn) && is_referenced(conn, name))
      throw ForeignKeysMustBeOff(fmt::format(
          "batch_alter_table(\"{}\") recreates the table, which other rows refer to: with foreign key enforcement "
          "on, dropping the old table would cascade to them. SQLite can turn enforcement off only outside a "
          "transaction, so this needs each revision in its own transaction (transaction_per_migration = true, not "
          "inside a caller's transaction), or a connection with ?foreign_keys=false",
          display(name)));
    dependents = impl.dependent_objects(conn, name.name);
    rules = impl.table_recreation(conn, original, shape, model.old_column_names());
    if (!impl.can_pause_foreign_keys()) referring = referring_foreign_keys(conn, name);
  }

  const auto& q = dialect.preparer();
  std::string temporary = "_retort_tmp_" + name.name;
  auto run = [&](const std::string& sql) { context.execute(sql, location); };
  auto run_node = [&](const core::NodePtr& node) {
    for (const auto& sql : dialect.statement_compiler()->compile(*node, {.literal_binds = true}).statements()) run(sql);
  };
  auto run_op = [&](const Operation& op) {
    for (const auto& node : operation_statements(op)) run_node(node);
  };

  // The new table under the temporary name; its indexes come after the rename, under their names,
  // and, where the rules say so, its foreign keys too.
  auto indexes = std::move(shape.indexes);
  shape.indexes.clear();
  std::vector<core::ReflectedForeignKey> late_foreign_keys;
  if (rules.foreign_keys_after_rename) late_foreign_keys = std::exchange(shape.foreign_keys, {});
  // All foreign keys of the finished table, for the check before the old one goes.
  std::vector<core::ReflectedForeignKey> new_foreign_keys = shape.foreign_keys;
  new_foreign_keys.insert(new_foreign_keys.end(), late_foreign_keys.begin(), late_foreign_keys.end());
  std::string final_name = shape.name;
  shape.name = temporary;
  // On a server a self-reference must point at the new table while it has the temporary name
  // (SQLite's rename rewrites the reference; its foreign keys are off meanwhile).
  if (!impl.can_pause_foreign_keys())
    for (auto& fk : shape.foreign_keys)
      if (core::iequals(fk.referred_table, final_name)) fk.referred_table = temporary;
  core::MetaData scratch;
  const auto& new_table = core::add_reflected_table(scratch, shape);
  auto final_table = std::make_shared<core::Table>(name.name, std::make_shared<const core::NamingConvention>());
  if (name.schema) final_table->append(core::TableOptions{.schema = name.schema});

  if (context.as_sql()) context.comment(fmt::format("batch_alter_table(\"{}\"): recreating the table", display(name)));
  bool created = false;
  try {
    for (const auto& r : referring)
      if (rules.drop_referring_foreign_keys)
        run_op(DropConstraintOp{{r.table, name.schema}, r.key.name, core::ConstraintType::ForeignKey});
    for (const auto& sql : rules.before_create) run(sql);
    run_node(std::make_shared<core::CreateTableNode>(new_table.shared_from_this(), false));
    created = true;
    run(model.copy_statement(temporary, name.name, rules.copy_clause));

    // On a server, every foreign key the finished table takes part in is checked against the copy
    // while the old table is still there, so that a violation stops the change before anything is
    // lost (MySQL runs the swap with checks off and cannot roll DDL back).
    if (online && !impl.can_pause_foreign_keys()) {
      auto& conn = context.connection();
      std::vector<std::string> broken;
      // `child` and `parent` as they are now; `shown` names the child as the user knows it.
      auto count = [&](const std::string& child, const std::string& parent, const core::ReflectedForeignKey& fk,
                       const std::string& shown) {
        auto n = conn.exec_driver_sql(orphan_count_sql(q, name.schema, child, parent, fk)).scalar<std::int64_t>();
        if (n.value_or(0) > 0)
          broken.push_back(fmt::format("{} row(s) of {} -> {} ({})", *n, shown, fk.referred_table,
                                       fk.name.empty() ? "unnamed" : fk.name));
      };
      for (const auto& fk : new_foreign_keys)
        count(temporary, core::iequals(fk.referred_table, final_name) ? temporary : fk.referred_table, fk, final_name);
      for (const auto& r : referring) count(r.table, temporary, r.key, r.table);
      if (!broken.empty())
        throw CommandError(
            fmt::format("{}: batch_alter_table(\"{}\"): rows would break a foreign key after the "
                        "change, so nothing was changed: {}",
                        location, display(name), fmt::join(broken, "; ")));
    }

    for (const auto& sql : rules.before_drop) run(sql);
    for (auto it = dependents.rbegin(); it != dependents.rend(); ++it)
      if (!it->drop_sql.empty()) run(it->drop_sql);
    run(fmt::format("DROP TABLE {}", q.format_table(name.name, name.schema)));
    created = false;  // from here the new table is the table
    run(fmt::format("ALTER TABLE {} RENAME TO {}", q.format_table(temporary, name.schema), q.quote(name.name)));
  } catch (...) {
    // Where DDL does not roll back (MySQL), the old table is still whole: remove the copy.
    if (created && online && !impl.transactional_ddl()) {
      try {
        context.connection().exec_driver_sql(fmt::format("DROP TABLE {}", q.format_table(temporary, name.schema)));
      } catch (const std::exception&) {  // the original error is the one to report
      }
    }
    for (const auto& sql : rules.finally) {
      try {
        context.connection().exec_driver_sql(sql);
      } catch (const std::exception&) {
      }
    }
    throw;
  }

  for (const auto& ix : indexes)
    run_node(std::make_shared<core::CreateIndexNode>(final_table, core::index_of(ix), false));
  for (const auto& fk : late_foreign_keys) run_op(CreateForeignKeyOp{name, core::foreign_key_of(fk)});
  for (const auto& sql : rules.after_rename) run(sql);
  for (const auto& d : dependents) run(d.sql);
  for (const auto& r : referring)
    if (rules.drop_referring_foreign_keys)
      run_op(CreateForeignKeyOp{{r.table, name.schema}, core::foreign_key_of(r.key)});
  for (const auto& sql : rules.finally) run(sql);

  if (online) {
    // A view that names a dropped column is made without a word (SQLite) and fails only when it
    // is read: read each one now, so the revision fails instead.
    for (const auto& d : dependents)
      if (d.type == "view") run(fmt::format("SELECT * FROM {} LIMIT 0", q.quote(d.name)));
    auto violations = impl.foreign_key_violations(context.connection());
    if (!violations.empty())
      throw CommandError(
          fmt::format("{}: batch_alter_table(\"{}\"): {} row(s) break a foreign key after the change: {}", location,
                      display(name), violations.size(), fmt::join(violations, "; ")));
  }
}

}  // namespace retort::migrate::ops
