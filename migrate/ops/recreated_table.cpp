// The description of a recreated table and how each batch op changes it (recreated_table.hpp).
#include <retort/migrate/ops/recreated_table.hpp>

#include <algorithm>

#include <fmt/ranges.h>

#include <retort/core/reflection/enum_check.hpp>
#include <retort/core/reflection/inspector.hpp>
#include <retort/core/schema/naming.hpp>
#include <retort/core/sql/compiler.hpp>
#include <retort/core/sql/type_compiler.hpp>
#include <retort/migrate/errors.hpp>
#include <retort/migrate/ops/overloaded.hpp>
#include <retort/migrate/runtime/migration_context.hpp>

namespace retort::migrate::ops {

namespace {

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

/// A declared column as the recreated table describes it.
core::ReflectedColumn reflected_column(const core::Column& c, core::SqlCompiler& compiler) {
  core::ReflectedColumn r;
  r.name = c.name();
  r.type = c.type();
  r.nullable = c.is_nullable();
  if (c.server_default_expr()) r.default_sql = compiler.render_ddl_expression(*c.server_default_expr()->node());
  r.identity = c.identity_options();
  r.computed = c.computed_options();
  r.comment = c.comment_text();
  r.dialect_options = c.dialect_options();
  return r;
}

/// A declared index as the record a reflection would give, its expressions rendered for `dialect`.
core::ReflectedIndex reflected_index(const core::Index& index, const core::Dialect& dialect) {
  auto compiler = dialect.statement_compiler();
  core::ReflectedIndex r;
  r.name = index.name;
  r.unique = index.unique;
  for (const auto& e : index.elements) {
    r.element_is_expression.push_back(e.expression.has_value());
    if (e.expression)
      r.expressions.push_back(compiler->render_ddl_expression(*e.expression->node()));
    else
      r.columns.push_back(e.column);
  }
  if (index.where_clause) r.where = compiler->render_ddl_expression(*index.where_clause->node());
  r.dialect_options = index.dialect_options;
  return r;
}

}  // namespace

std::string display(const TableName& t) { return t.schema ? *t.schema + "." + t.name : t.name; }

RecreatedTable::RecreatedTable(core::ReflectedTable table, const core::Dialect& dialect)
    : table_(std::move(table)), dialect_(dialect) {
  for (const auto& c : table_.columns) source_[c.name] = {c.name, std::nullopt};
}

std::map<std::string, std::string> RecreatedTable::old_column_names() const {
  std::map<std::string, std::string> out;
  for (const auto& [column, source] : source_) out[column] = source.old_name;
  return out;
}

void RecreatedTable::apply(const Operation& op) {
  std::visit(
      Overloaded{
          [&](const AddColumnOp& o) { add_column(o.column); },
          [&](const DropColumnOp& o) { drop_column(o.column); },
          [&](const AlterColumnOp& o) { alter_column(o.column, o.change); },
          [&](const CreateIndexOp& o) { table_.indexes.push_back(reflected_index(o.index, dialect_)); },
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
                                           fk.referred_columns, fk.ondelete, fk.onupdate, fk.deferrable, fk.initially});
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

void RecreatedTable::override_columns(const std::vector<core::Column>& columns) {
  for (const auto& c : columns) {
    auto& r = column(c.name());
    r.type = c.type();
    r.nullable = c.is_nullable();
    r.default_sql =
        c.server_default_expr() ? std::optional<std::string>(sql_of(*c.server_default_expr())) : std::nullopt;
    if (c.comment_text()) r.comment = c.comment_text();
  }
}

void RecreatedTable::name_constraints(const core::NamingConvention& naming) {
  if (table_.primary_key.name.empty() && !table_.primary_key.columns.empty())
    table_.primary_key.name = naming.apply("pk", {}, table_.name, table_.primary_key.columns);
  for (auto& u : table_.unique_constraints)
    if (u.name.empty()) u.name = naming.apply("uq", {}, table_.name, u.columns);
  for (auto& f : table_.foreign_keys)
    if (f.name.empty()) f.name = naming.apply("fk", {}, table_.name, f.columns, f.referred_table, f.referred_columns);
}

void RecreatedTable::place(const std::string& name, const ColumnPosition& position) {
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

void RecreatedTable::reorder(const std::vector<std::string>& order) {
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

std::string RecreatedTable::copy_statement(const std::string& new_name, const std::string& old_name,
                                           const std::string& clause) const {
  const auto& q = dialect_.preparer();
  std::vector<std::string> into, from;
  for (const auto& c : table_.columns) {
    auto it = source_.find(c.name);
    if (it == source_.end()) continue;  // added: its default fills it
    if (c.computed) continue;           // the new table computes it
    into.push_back(q.quote(c.name));
    std::string value = q.quote(it->second.old_name);
    if (it->second.new_type)
      value = fmt::format("CAST({} AS {})", value, dialect_.type_compiler().process(*it->second.new_type));
    from.push_back(value);
  }
  return fmt::format("INSERT INTO {} ({}) {}SELECT {} FROM {}", q.format_table(new_name, table_.schema),
                     fmt::join(into, ", "), clause.empty() ? "" : clause + " ", fmt::join(from, ", "),
                     q.format_table(old_name, table_.schema));
}

core::ReflectedColumn& RecreatedTable::column(const std::string& name) {
  for (auto& c : table_.columns)
    if (c.name == name) return c;
  std::vector<std::string> names;
  for (const auto& c : table_.columns) names.push_back(c.name);
  throw core::ArgumentError(fmt::format("table {} has no column '{}' (it has {})",
                                        display({table_.name, table_.schema}), name, fmt::join(names, ", ")));
}

std::string RecreatedTable::sql_of(const core::Expr& e) const {
  return dialect_.statement_compiler()->render_ddl_expression(*e.node());
}

void RecreatedTable::add_column(const core::Column& c) {
  for (const auto& existing : table_.columns)
    if (existing.name == c.name())
      throw core::ArgumentError(fmt::format("table {} already has a column '{}'", table_.name, c.name()));
  table_.columns.push_back(reflected_column(c, *dialect_.statement_compiler()));
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

void RecreatedTable::drop_column(const std::string& name) {
  column(name);
  std::erase_if(table_.columns, [&](const auto& c) { return c.name == name; });
  source_.erase(name);
  // What is built on the column goes with it, as in Alembic's batch mode.
  std::erase(table_.primary_key.columns, name);
  std::erase_if(table_.indexes, [&](const auto& i) { return contains(i.columns, name); });
  std::erase_if(table_.unique_constraints, [&](const auto& u) { return contains(u.columns, name); });
  std::erase_if(table_.foreign_keys, [&](const auto& f) { return contains(f.columns, name); });
  // A CHECK that names the column cannot stay (SQLite refuses the table); an Enum column's goes
  // with it.
  std::erase_if(table_.check_constraints, [&](const auto& ck) { return core::check_mentions(ck.sqltext, name); });
}

void RecreatedTable::alter_column(const std::string& name, const core::ColumnAlteration& change) {
  auto& c = column(name);
  if (change.nullable) c.nullable = *change.nullable;
  if (change.type) {
    // The CHECK an Enum type brings belongs to the type: it goes when the type changes to or
    // from an Enum, and the new Enum's comes with the table (DdlCompiler::enum_check_clause).
    bool was_enum = c.type.kind == core::TypeKind::Enum ||
                    (change.existing_type && change.existing_type->kind == core::TypeKind::Enum);
    if (was_enum || change.type->kind == core::TypeKind::Enum)
      std::erase_if(table_.check_constraints, [&](const auto& ck) {
        return ck.name.empty() && core::enum_check_values(ck.sqltext, name).has_value();
      });
    c.type = *change.type;
    if (auto it = source_.find(name); it != source_.end()) it->second.new_type = *change.type;
  }
  if (change.server_default)
    c.default_sql = *change.server_default ? std::optional<std::string>(sql_of(**change.server_default)) : std::nullopt;
  if (change.comment) c.comment = *change.comment;
  if (change.autoincrement) c.autoincrement = *change.autoincrement;
  if (change.identity) c.identity = *change.identity;
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

void RecreatedTable::drop_constraint(const std::string& name, bool if_exists) {
  if (!name.empty() && table_.primary_key.name == name) {
    table_.primary_key = {};
    return;
  }
  auto named = [&](const auto& i) { return i.name == name; };
  if (std::erase_if(table_.foreign_keys, named) || std::erase_if(table_.unique_constraints, named) ||
      std::erase_if(table_.check_constraints, named) || std::erase_if(table_.indexes, named) || if_exists)
    return;
  // An unnamed CHECK answers to the name its condition gives it (what autogenerate drops it by).
  if (std::erase_if(table_.check_constraints, [&](const core::ReflectedCheckConstraint& ck) {
        return ck.name.empty() && core::unnamed_check_name(table_.name, ck.sqltext) == name;
      }))
    return;
  throw core::ArgumentError(
      fmt::format("table {} has no constraint named '{}' (an unnamed one cannot be dropped by name: recreate the table "
                  "without it by listing what it should keep)",
                  table_.name, name));
}

core::ReflectedTable current_table(MigrationContext& context, const TableName& name, const BatchOptions& options) {
  if (options.copy_from) {
    const auto& t = *options.copy_from;
    core::ReflectedTable r;
    r.name = name.name;
    r.schema = name.schema;
    r.comment = t.comment();
    auto dialect = context.dialect().statement_compiler();
    for (const auto& c : t.columns()) {
      r.columns.push_back(reflected_column(c, *dialect));
      r.columns.back().autoincrement = t.is_autoincrement(c);
    }
    r.primary_key = {t.primary_key().name, t.primary_key().columns};
    for (const auto& fk : t.foreign_keys())
      r.foreign_keys.push_back({fk.name, fk.columns, fk.referred_schema, fk.referred_table, fk.referred_columns,
                                fk.ondelete, fk.onupdate, fk.deferrable, fk.initially});
    for (const auto& u : t.unique_constraints()) r.unique_constraints.push_back({u.name, u.columns});
    for (const auto& c : t.check_constraints()) r.check_constraints.push_back({c.name, c.sqltext});
    for (const auto& ix : t.indexes()) r.indexes.push_back(reflected_index(ix, context.dialect()));
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

}  // namespace retort::migrate::ops
