// batch_alter_table: the batch's ops run as plain ALTERs where the database can do them, else the
// table is recreated ("move and copy"). The recreation works on the table as reflected: each op
// changes that description, which then becomes the new table, and a map from each new column to
// the old column it is copied from (renames followed, CAST where the type changes).
#include <retort/migrate/ops/batch_operations.hpp>

#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <retort/core/ddl/ddl_elements.hpp>
#include <retort/core/dialect.hpp>
#include <retort/core/errors.hpp>
#include <retort/core/reflection/inspector.hpp>
#include <retort/core/reflection/reflect_metadata.hpp>
#include <retort/core/sql/compiler.hpp>
#include <retort/core/sql/type_compiler.hpp>
#include <retort/core/text.hpp>
#include <retort/migrate/errors.hpp>
#include <retort/migrate/ops/overloaded.hpp>
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

std::string display(const TableName& t) { return t.schema ? *t.schema + "." + t.name : t.name; }

/// Whether SQLite's ALTER can do the op (Alembic's rule): a plain column added, an index made or
/// dropped.
bool plain_alter_will_do(const Operation& op) {
  if (const auto* add = std::get_if<AddColumnOp>(&op))
    return !add->column.is_primary_key() && !add->column.is_unique() && add->column.foreign_keys().empty();
  return std::holds_alternative<CreateIndexOp>(op) || std::holds_alternative<DropIndexOp>(op);
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

/// The table being recreated, as a description that the ops change, and where each of its
/// columns' values come from.
class RecreatedTable {
 public:
  RecreatedTable(core::ReflectedTable table, const core::Dialect& dialect)
      : table_(std::move(table)), dialect_(dialect) {
    for (const auto& c : table_.columns) source_[c.name] = {c.name, std::nullopt};
  }

  void apply(const Operation& op) {
    std::visit(
        Overloaded{
            [&](const AddColumnOp& o) { add_column(o.column); },
            [&](const DropColumnOp& o) { drop_column(o.column); },
            [&](const AlterColumnOp& o) { alter_column(o.column, o.change); },
            [&](const CreateIndexOp& o) { table_.indexes.push_back(reflected(o.index)); },
            [&](const DropIndexOp& o) { erase_named(table_.indexes, o.name, "index"); },
            [&](const CreatePrimaryKeyOp& o) {
              for (const auto& c : o.constraint.columns) column(c);
              table_.primary_key = {o.constraint.name, o.constraint.columns};
            },
            [&](const CreateUniqueConstraintOp& o) {
              for (const auto& c : o.constraint.columns) column(c);
              table_.unique_constraints.push_back({o.constraint.name, o.constraint.columns});
            },
            [&](const CreateForeignKeyOp& o) {
              for (const auto& c : o.constraint.columns) column(c);
              const auto& fk = o.constraint;
              table_.foreign_keys.push_back({fk.name, fk.columns, fk.referred_schema, fk.referred_table,
                                             fk.referred_columns, fk.ondelete, fk.onupdate, fk.deferrable,
                                             fk.initially});
            },
            [&](const CreateCheckConstraintOp& o) {
              table_.check_constraints.push_back({o.constraint.name, o.constraint.sqltext});
            },
            [&](const DropConstraintOp& o) { drop_constraint(o.name, o.if_exists); },
            [&](const auto& o) {
              throw core::ArgumentError(fmt::format("op.{} is not a batch operation", operation_name(Operation(o))));
            },
        },
        op);
  }

  const core::ReflectedTable& table() const noexcept { return table_; }

  /// Replaces reflected column declarations with the given ones (type, nullability, default,
  /// comment), before any op.
  void override_columns(const std::vector<core::Column>& columns) {
    for (const auto& c : columns) {
      auto& r = column(c.name());
      r.type = c.type();
      r.nullable = c.is_nullable();
      r.default_sql =
          c.server_default_expr() ? std::optional<std::string>(sql_of(*c.server_default_expr())) : std::nullopt;
      if (c.comment_text()) r.comment = c.comment_text();
    }
  }

  /// Names the unnamed primary key, unique and foreign key constraints by the convention.
  void name_constraints(const core::NamingConvention& naming) {
    if (table_.primary_key.name.empty() && !table_.primary_key.columns.empty())
      table_.primary_key.name = naming.apply("pk", {}, table_.name, table_.primary_key.columns);
    for (auto& u : table_.unique_constraints)
      if (u.name.empty()) u.name = naming.apply("uq", {}, table_.name, u.columns);
    for (auto& f : table_.foreign_keys)
      if (f.name.empty()) f.name = naming.apply("fk", {}, table_.name, f.columns, f.referred_table, f.referred_columns);
  }

  /// Moves `name` just before (or after) `anchor`.
  void place(const std::string& name, const ColumnPosition& position) {
    const std::string& anchor = position.insert_before ? *position.insert_before : *position.insert_after;
    column(anchor);
    auto& cols = table_.columns;
    auto it = std::find_if(cols.begin(), cols.end(), [&](const auto& c) { return c.name == name; });
    auto moved = *it;
    cols.erase(it);
    auto at = std::find_if(cols.begin(), cols.end(), [&](const auto& c) { return c.name == anchor; });
    if (!position.insert_before) ++at;
    cols.insert(at, std::move(moved));
  }

  /// Puts the listed columns in the listed order, in the places they held among themselves.
  void reorder(const std::vector<std::string>& order) {
    std::vector<std::size_t> slots;
    for (const auto& name : order) {
      column(name);
      for (std::size_t i = 0; i < table_.columns.size(); ++i)
        if (table_.columns[i].name == name) slots.push_back(i);
    }
    std::sort(slots.begin(), slots.end());
    std::vector<core::ReflectedColumn> picked;
    for (const auto& name : order)
      for (const auto& c : table_.columns)
        if (c.name == name) picked.push_back(c);
    for (std::size_t i = 0; i < slots.size(); ++i) table_.columns[slots[i]] = picked[i];
  }

  /// INSERT INTO new (...) SELECT ... FROM old: the columns that come from old ones.
  std::string copy_statement(const std::string& new_name, const std::string& old_name) const {
    const auto& q = dialect_.preparer();
    std::vector<std::string> into, from;
    for (const auto& c : table_.columns) {
      auto it = source_.find(c.name);
      if (it == source_.end()) continue;  // added: its default fills it
      into.push_back(q.quote(c.name));
      std::string value = q.quote(it->second.old_name);
      if (it->second.new_type)
        value = fmt::format("CAST({} AS {})", value, dialect_.type_compiler().process(*it->second.new_type));
      from.push_back(value);
    }
    return fmt::format("INSERT INTO {} ({}) SELECT {} FROM {}", q.format_table(new_name, table_.schema),
                       fmt::join(into, ", "), fmt::join(from, ", "), q.format_table(old_name, table_.schema));
  }

 private:
  struct Source {
    std::string old_name;
    std::optional<core::SqlType> new_type;  // set when the type changes: the copy casts
  };

  core::ReflectedColumn& column(const std::string& name) {
    for (auto& c : table_.columns)
      if (c.name == name) return c;
    std::vector<std::string> names;
    for (const auto& c : table_.columns) names.push_back(c.name);
    throw core::ArgumentError(fmt::format("table {} has no column '{}' (it has {})",
                                          display({table_.name, table_.schema}), name, fmt::join(names, ", ")));
  }

  std::string sql_of(const core::Expr& e) const {
    return dialect_.statement_compiler()->render_ddl_expression(*e.node());
  }

  core::ReflectedIndex reflected(const core::Index& index) const {
    core::ReflectedIndex r;
    r.name = index.name;
    r.unique = index.unique;
    for (const auto& e : index.elements) {
      r.element_is_expression.push_back(e.expression.has_value());
      if (e.expression)
        r.expressions.push_back(sql_of(*e.expression));
      else
        r.columns.push_back(e.column);
    }
    if (index.where_clause) r.where = sql_of(*index.where_clause);
    r.dialect_options = index.dialect_options;
    return r;
  }

  void add_column(const core::Column& c) {
    for (const auto& existing : table_.columns)
      if (existing.name == c.name())
        throw core::ArgumentError(fmt::format("table {} already has a column '{}'", table_.name, c.name()));
    core::ReflectedColumn r;
    r.name = c.name();
    r.type = c.type();
    r.nullable = c.is_nullable();
    if (c.server_default_expr()) r.default_sql = sql_of(*c.server_default_expr());
    r.comment = c.comment_text();
    table_.columns.push_back(std::move(r));
    if (c.is_primary_key()) table_.primary_key.columns.push_back(c.name());
    if (c.is_unique()) table_.unique_constraints.push_back({{}, {c.name()}});
    for (const auto& fk : c.foreign_keys()) {
      auto dot = fk.target.rfind('.');
      table_.foreign_keys.push_back({fk.name,
                                     {c.name()},
                                     std::nullopt,
                                     fk.target.substr(0, dot),
                                     {fk.target.substr(dot + 1)},
                                     fk.ondelete,
                                     fk.onupdate,
                                     fk.deferrable,
                                     fk.initially});
    }
  }

  void drop_column(const std::string& name) {
    column(name);
    std::erase_if(table_.columns, [&](const auto& c) { return c.name == name; });
    source_.erase(name);
    // What is built on the column goes with it, as in Alembic's batch mode.
    std::erase(table_.primary_key.columns, name);
    std::erase_if(table_.indexes, [&](const auto& i) { return contains(i.columns, name); });
    std::erase_if(table_.unique_constraints, [&](const auto& u) { return contains(u.columns, name); });
    std::erase_if(table_.foreign_keys, [&](const auto& f) { return contains(f.columns, name); });
  }

  void alter_column(const std::string& name, const core::ColumnAlteration& change) {
    auto& c = column(name);
    if (change.nullable) c.nullable = *change.nullable;
    if (change.type) {
      c.type = *change.type;
      if (auto it = source_.find(name); it != source_.end()) it->second.new_type = *change.type;
    }
    if (change.server_default)
      c.default_sql =
          *change.server_default ? std::optional<std::string>(sql_of(**change.server_default)) : std::nullopt;
    if (change.comment) c.comment = *change.comment;
    if (change.autoincrement) c.autoincrement = *change.autoincrement;
    if (change.new_name && *change.new_name != name) {
      const std::string& to = *change.new_name;
      for (const auto& other : table_.columns)
        if (other.name == to)
          throw core::ArgumentError(fmt::format("table {} already has a column '{}'", table_.name, to));
      c.name = to;
      auto rename = [&](std::vector<std::string>& columns) { std::replace(columns.begin(), columns.end(), name, to); };
      rename(table_.primary_key.columns);
      for (auto& i : table_.indexes) rename(i.columns);
      for (auto& u : table_.unique_constraints) rename(u.columns);
      for (auto& f : table_.foreign_keys) rename(f.columns);
      if (auto it = source_.find(name); it != source_.end()) {
        auto source = it->second;
        source_.erase(it);
        source_[to] = source;
      }
    }
  }

  template <class T>
  void erase_named(std::vector<T>& items, const std::string& name, const char* what) {
    auto before = items.size();
    std::erase_if(items, [&](const auto& i) { return i.name == name; });
    if (items.size() == before)
      throw core::ArgumentError(fmt::format("table {} has no {} named '{}'", table_.name, what, name));
  }

  void drop_constraint(const std::string& name, bool if_exists) {
    if (!name.empty() && table_.primary_key.name == name) {
      table_.primary_key = {};
      return;
    }
    auto named = [&](const auto& i) { return i.name == name; };
    if (std::erase_if(table_.foreign_keys, named) || std::erase_if(table_.unique_constraints, named) ||
        std::erase_if(table_.check_constraints, named) || std::erase_if(table_.indexes, named) || if_exists)
      return;
    throw core::ArgumentError(fmt::format(
        "table {} has no constraint named '{}' (an unnamed one cannot be dropped by name: recreate the table "
        "without it by listing what it should keep)",
        table_.name, name));
  }

  core::ReflectedTable table_;
  const core::Dialect& dialect_;
  std::map<std::string, Source> source_;  // new column -> where its values come from
};

/// The table as a description: reflected online, or from copy_from.
core::ReflectedTable current_table(MigrationContext& context, const TableName& name, const BatchOptions& options) {
  if (options.copy_from) {
    const auto& t = *options.copy_from;
    core::ReflectedTable r;
    r.name = name.name;
    r.schema = name.schema;
    r.comment = t.comment();
    auto dialect = context.dialect().statement_compiler();
    for (const auto& c : t.columns()) {
      core::ReflectedColumn rc;
      rc.name = c.name();
      rc.type = c.type();
      rc.nullable = c.is_nullable();
      if (c.server_default_expr()) rc.default_sql = dialect->render_ddl_expression(*c.server_default_expr()->node());
      rc.autoincrement = t.is_autoincrement(c);
      rc.comment = c.comment_text();
      r.columns.push_back(std::move(rc));
    }
    r.primary_key = {t.primary_key().name, t.primary_key().columns};
    for (const auto& fk : t.foreign_keys())
      r.foreign_keys.push_back({fk.name, fk.columns, fk.referred_schema, fk.referred_table, fk.referred_columns,
                                fk.ondelete, fk.onupdate, fk.deferrable, fk.initially});
    for (const auto& u : t.unique_constraints()) r.unique_constraints.push_back({u.name, u.columns});
    for (const auto& c : t.check_constraints()) r.check_constraints.push_back({c.name, c.sqltext});
    for (const auto& ix : t.indexes()) {
      core::ReflectedIndex ri;
      ri.name = ix.name;
      ri.unique = ix.unique;
      for (const auto& e : ix.elements) {
        ri.element_is_expression.push_back(e.expression.has_value());
        if (e.expression)
          ri.expressions.push_back(dialect->render_ddl_expression(*e.expression->node()));
        else
          ri.columns.push_back(e.column);
      }
      if (ix.where_clause) ri.where = dialect->render_ddl_expression(*ix.where_clause->node());
      r.indexes.push_back(std::move(ri));
    }
    return r;
  }
  if (context.as_sql())
    throw CommandError(fmt::format(
        "batch_alter_table(\"{}\") under --sql needs copy_from: the table as it is (there is no database to read it "
        "from offline)",
        display(name)));
  core::Inspector inspector(context.connection());
  return inspector.get_table(name.name, name.schema);
}

/// Whether a foreign key anywhere in the schema (the table's own included) refers to `table`.
bool is_referenced(MigrationContext& context, const TableName& table) {
  core::Inspector inspector(context.connection());
  for (const auto& t : inspector.reflect(table.schema).tables)
    for (const auto& fk : t.foreign_keys)
      if (core::iequals(fk.referred_table, table.name)) return true;
  return false;
}

/// The ops that give the new table what table_args lists.
std::vector<Operation> table_arg_ops(const TableName& name, const std::vector<core::TableElement>& args) {
  std::vector<Operation> out;
  for (const auto& element : args)
    std::visit(Overloaded{
                   [&](const core::PrimaryKeyConstraint& c) {
                     out.push_back(CreatePrimaryKeyOp{name, c});
                   },
                   [&](const core::UniqueConstraint& c) {
                     out.push_back(CreateUniqueConstraintOp{name, c});
                   },
                   [&](const core::ForeignKeyConstraint& c) {
                     out.push_back(CreateForeignKeyOp{name, c});
                   },
                   [&](const core::CheckConstraint& c) {
                     out.push_back(CreateCheckConstraintOp{name, c});
                   },
                   [&](const core::Index& c) {
                     out.push_back(CreateIndexOp{name, c});
                   },
                   [&](const core::Column& c) {
                     out.push_back(AddColumnOp{name, c});
                   },
                   [&](const core::TableOptions&) {
                     throw core::ArgumentError("table_args holds table options: give constraints, indexes or columns");
                   },
               },
               element);
  return out;
}

void recreate(MigrationContext& context, const TableName& name, const BatchOperations& batch,
              const BatchOptions& options, const std::string& location) {
  const auto& dialect = context.dialect();
  RecreatedTable model(current_table(context, name, options), dialect);
  model.override_columns(options.reflect_columns);
  if (options.naming_convention) model.name_constraints(*options.naming_convention);
  for (const auto& op : batch.operations()) model.apply(op);
  for (const auto& op : table_arg_ops(name, options.table_args)) model.apply(op);
  for (const auto& [column, position] : batch.positions()) model.place(column, position);
  for (const auto& order : options.partial_reordering) model.reorder(order);

  const auto& impl = context.impl();
  std::vector<DependentObject> dependents;
  if (!context.as_sql()) {
    auto& conn = context.connection();
    // Dropping the old table deletes its rows first where foreign keys are enforced, which would
    // cascade to (or be refused by) the tables that refer to it.
    if (impl.foreign_keys_enforced(conn) && is_referenced(context, name))
      throw ForeignKeysMustBeOff(fmt::format(
          "batch_alter_table(\"{}\") recreates the table, which other rows refer to: with foreign key enforcement "
          "on, dropping the old table would cascade to them. SQLite can turn enforcement off only outside a "
          "transaction, so this needs each revision in its own transaction (transaction_per_migration = true, not "
          "inside a caller's transaction), or a connection with ?foreign_keys=false",
          display(name)));
    dependents = impl.dependent_objects(conn, name.name);
  }

  const auto& q = dialect.preparer();
  std::string temporary = "_retort_tmp_" + name.name;
  // The new table under the temporary name; its indexes come after the rename, under their names.
  core::ReflectedTable shape = model.table();
  auto indexes = std::move(shape.indexes);
  shape.indexes.clear();
  shape.name = temporary;
  core::MetaData scratch;
  const auto& new_table = core::add_reflected_table(scratch, shape);
  auto final_table = std::make_shared<core::Table>(name.name, std::make_shared<const core::NamingConvention>());
  if (name.schema) final_table->append(core::TableOptions{.schema = name.schema});

  auto run = [&](const std::string& sql) { context.execute(sql, location); };
  auto run_node = [&](const core::NodePtr& node) {
    for (const auto& sql : dialect.statement_compiler()->compile(*node, {.literal_binds = true}).statements()) run(sql);
  };
  if (context.as_sql()) context.comment(fmt::format("batch_alter_table(\"{}\"): recreating the table", display(name)));
  for (auto it = dependents.rbegin(); it != dependents.rend(); ++it)
    run(fmt::format("DROP {} {}", core::to_upper(it->type), q.quote(it->name)));
  run_node(std::make_shared<core::CreateTableNode>(new_table.shared_from_this(), false));
  run(model.copy_statement(temporary, name.name));
  run(fmt::format("DROP TABLE {}", q.format_table(name.name, name.schema)));
  run(fmt::format("ALTER TABLE {} RENAME TO {}", q.format_table(temporary, name.schema), q.quote(name.name)));
  for (const auto& ix : indexes) {
    core::ReflectedTable holder;
    holder.name = name.name;
    for (const auto& c : model.table().columns) holder.columns.push_back(c);
    holder.indexes = {ix};
    core::MetaData one;
    const auto& t = core::add_reflected_table(one, holder);
    run_node(std::make_shared<core::CreateIndexNode>(final_table, t.indexes().front(), false));
  }
  for (const auto& d : dependents) run(d.sql);
  if (!context.as_sql()) {
    // SQLite makes a view that names a dropped column without a word, and fails only when it is
    // read: read each one now, so the revision fails instead.
    for (const auto& d : dependents)
      if (d.type == "view") run(fmt::format("SELECT * FROM {} LIMIT 0", q.quote(d.name)));
    auto violations = impl.foreign_key_violations(context.connection());
    if (!violations.empty())
      throw CommandError(
          fmt::format("{}: batch_alter_table(\"{}\"): {} row(s) break a foreign key after the change: {}", location,
                      display(name), violations.size(), fmt::join(violations, "; ")));
  }
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
  // Move and copy on the servers would meet the old table's constraint and index names (unique
  // per schema there) and the other tables' foreign keys: not built yet, so refused up front.
  if (recreate_table && !context_.impl().requires_recreate_in_batch())
    throw CommandError(fmt::format(
        "{}: batch_alter_table(\"{}\"): recreate = \"always\" is supported on SQLite only for now; on {} use "
        "recreate = \"auto\" (plain ALTER TABLE)",
        location, display(name), context_.dialect().name()));
  if (!recreate_table) {
    for (const auto& op : ops) run(op, table.where);
    for (const auto& op : table_arg_ops(name, options.table_args)) run(op, table.where);
    return;
  }
  if (ops.empty() && !reorders) return;
  try {
    recreate(context_, name, batch, options, location);
  } catch (const ForeignKeysMustBeOff&) {
    throw;
  } catch (const core::ArgumentError& e) {
    throw CommandError(fmt::format("{}: batch_alter_table(\"{}\"): {}", location, display(name), e.what()));
  } catch (const core::CompileError& e) {
    throw CommandError(fmt::format("{}: batch_alter_table(\"{}\"): {}", location, display(name), e.what()));
  }
}

}  // namespace retort::migrate::ops
