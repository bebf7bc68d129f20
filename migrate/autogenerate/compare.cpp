// Autogenerate's comparison (compare.hpp): core's schema differences, each turned into the op that
// removes it, grouped per table and ordered so that the revision runs.
#include <retort/migrate/autogenerate/compare.hpp>

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <tuple>

#include <fnmatch.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <retort/core/ddl/sort_tables.hpp>
#include <retort/core/errors.hpp>
#include <retort/core/reflection/enum_check.hpp>
#include <retort/core/reflection/normalize.hpp>
#include <retort/core/reflection/reflect_metadata.hpp>
#include <retort/core/sql/elements.hpp>
#include <retort/core/sql/type_compiler.hpp>
#include <retort/core/text.hpp>
#include <retort/migrate/errors.hpp>
#include <retort/migrate/impl/migration_impl.hpp>

namespace retort::migrate::autogenerate {

namespace {

using core::SchemaChange;
using core::SchemaDifference;
using core::SchemaObject;

std::string key_of(const std::optional<std::string>& schema, const std::string& name) {
  return schema ? *schema + "." + name : name;
}

/// Names for SQLite's unnamed constraints, so that a batch can drop one (Alembic's advice for
/// SQLite, as its batch documentation gives it).
core::NamingConvention unnamed_constraint_names() {
  return core::NamingConvention(std::map<std::string, std::string>{
      {"fk", "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s"},
      {"uq", "uq_%(table_name)s_%(column_0_name)s"},
  });
}

/// `c` without what its table lists on its own (primary key, unique and foreign keys): those come
/// as separate differences, each with its op.
core::Column bare_column(const core::Column& c) {
  core::Column out(c.name(), c.type());
  out.nullable(c.is_nullable());
  // Only a column that asks for it: a reflected one says "no" everywhere, which is the default.
  if (c.autoincrement_setting() == core::Autoincrement::Yes) out.autoincrement(true);
  if (c.identity_options()) out.identity(*c.identity_options());
  if (c.computed_options()) out.computed(*c.computed_options());
  if (c.server_default_expr()) out.server_default(*c.server_default_expr());
  if (c.comment_text()) out.comment(*c.comment_text());
  for (const auto& [k, v] : c.dialect_options()) out.dialect_option(k, v);
  return out;
}

/// The changes to one existing table, in the order they run.
struct TableChanges {
  std::vector<ops::Operation> drops;         // foreign keys, indexes, constraints that go or change
  std::vector<ops::Operation> columns;       // added, changed, dropped columns
  std::vector<ops::Operation> keys;          // the primary key made again
  std::vector<ops::Operation> creates;       // unique and check constraints, indexes
  std::vector<ops::Operation> foreign_keys;  // foreign keys made (after every new table exists)
  std::vector<ops::Operation> comments;
  /// Ops that name a constraint by the convention the batch then applies to the unnamed ones: a
  /// drop of an unnamed one, or a create of one the declaration leaves unnamed (its reverse
  /// drops it from the declared table, where it is unnamed).
  bool unnamed_drops = false;
  bool empty() const {
    return drops.empty() && columns.empty() && keys.empty() && creates.empty() && foreign_keys.empty() &&
           comments.empty();
  }
};

class Planner {
 public:
  Planner(const core::MetaData& declared, const core::ReflectedSchema& reflected, const core::Dialect& dialect,
          std::function<bool(const std::string&)> wanted, IncludeObject include_object)
      : wanted_(std::move(wanted)),
        include_object_(std::move(include_object)),
        declared_(declared),
        declared_tables_(declared.tables()),
        reflected_(reflected),
        dialect_(dialect),
        batch_(dialect.features().requires_recreate_in_batch),
        impl_(MigrationImpl::for_dialect(dialect)) {
    for (std::size_t i = 0; i < reflected_.tables.size(); ++i)
      reflected_positions_.emplace(key_of(reflected_.tables[i].schema, reflected_.tables[i].name), i);
  }

  MigrationPlan run() {
    MigrationPlan plan;
    plan.differences = core::schema_differences(declared_, reflected_, dialect_);
    std::erase_if(plan.differences, [&](const SchemaDifference& d) {
      if (d.object == SchemaObject::View) return !wanted_(d.name) || !included(d);
      if (d.object == SchemaObject::EnumType) return !included(d);
      return !wanted_(d.table) || !included(d);
    });
    std::vector<const core::Table*> created;
    std::vector<ops::Operation> dropped_types, dropped_views, created_views;
    std::vector<const core::ReflectedTable*> dropped;
    std::vector<std::string> changed_order;  // existing tables, in the order their changes appear
    for (const auto& d : plan.differences) {
      if (d.object == SchemaObject::EnumType) {  // before the tables that use it; dropped after
        enum_type(d, d.change == SchemaChange::Extra ? dropped_types : plan.ops);
        continue;
      }
      if (d.object == SchemaObject::View) {  // dropped before any table changes, made after
        view(d, dropped_views, created_views);
        continue;
      }
      if (d.object == SchemaObject::Table && d.change == SchemaChange::Missing) {
        created.push_back(declared_tables_.at(*d.declared_position));
        continue;
      }
      if (d.object == SchemaObject::Table && d.change == SchemaChange::Extra) {
        dropped.push_back(&reflected_.tables.at(*d.reflected_position));
        continue;
      }
      if (!changes_.count(d.table)) changed_order.push_back(d.table);
      // A constraint or index that differs in several attributes is dropped and made once.
      if (d.object != SchemaObject::Column && d.object != SchemaObject::Table && d.change == SchemaChange::Changed &&
          !handled_.insert({d.table, static_cast<int>(d.object), d.declared_position, d.reflected_position}).second)
        continue;
      table_difference(d, changes_[d.table]);
    }

    // 1. New tables, parents first; a foreign key that closes a cycle among them is added after.
    std::vector<ops::Operation> cyclic;
    for (const core::Table* t : declared_.sorted_tables()) {
      if (std::find(created.begin(), created.end(), t) == created.end()) continue;
      plan.ops.push_back(ops::CreateTableOp{t->shared_from_this()});
      for (const auto& fk : t->foreign_keys())
        if (fk.use_alter && dialect_.features().supports_alter)
          cyclic.push_back(ops::CreateForeignKeyOp{{t->name(), t->schema()}, fk});
    }
    plan.ops.insert(plan.ops.end(), cyclic.begin(), cyclic.end());

    // 2. Existing tables. Their foreign keys to dropped tables go in their `drops`, before 3.
    for (const auto& key : changed_order) {
      auto& c = changes_[key];
      if (c.empty()) continue;
      // Foreign keys go first: on MySQL an index or unique constraint may be the one a key uses
      // (error 1553 while the key is there), and a column made again (replace_column) puts its
      // indexes' drops ahead of the keys' differences.
      std::stable_partition(c.drops.begin(), c.drops.end(), [](const ops::Operation& op) {
        const auto* drop = std::get_if<ops::DropConstraintOp>(&op);
        return drop && drop->type == core::ConstraintType::ForeignKey;
      });
      const core::Table& table = declared_.get(key);
      if (batch_) {
        auto list = std::make_shared<ops::OperationList>();
        for (auto* part : {&c.drops, &c.columns, &c.keys, &c.creates, &c.foreign_keys})
          list->items.insert(list->items.end(), part->begin(), part->end());
        if (!list->items.empty()) {
          ops::BatchAlterTableOp batch{{table.name(), table.schema()}, list};
          batch.before = reflected_table(key).shared_from_this();
          batch.after = table.shared_from_this();
          if (c.unnamed_drops) batch.naming_convention = unnamed_constraint_names();
          plan.ops.push_back(std::move(batch));
        }
        plan.ops.insert(plan.ops.end(), c.comments.begin(), c.comments.end());
        continue;
      }
      for (auto* part : {&c.drops, &c.columns, &c.keys, &c.creates, &c.comments})
        plan.ops.insert(plan.ops.end(), part->begin(), part->end());
    }
    if (!batch_)
      for (const auto& key : changed_order)
        plan.ops.insert(plan.ops.end(), changes_[key].foreign_keys.begin(), changes_[key].foreign_keys.end());

    // 3. Dropped tables, children first (the reverse of their dependency order).
    std::vector<const core::Table*> as_declared;
    for (const auto* rt : dropped) as_declared.push_back(&reflected_table(key_of(rt->schema, rt->name)));
    auto sorted = core::sort_tables_and_constraints(as_declared).tables;
    for (auto it = sorted.rbegin(); it != sorted.rend(); ++it) {
      const core::Table& t = **it;
      plan.ops.push_back(ops::DropTableOp{{t.name(), t.schema()}, false, t.shared_from_this()});
      warnings_.push_back(fmt::format("drops table {} and every row in it", t.fullname()));
    }
    // 4. Enum types no declared column uses any more, once their columns are gone; then views.
    plan.ops.insert(plan.ops.end(), dropped_types.begin(), dropped_types.end());
    if (impl_->views_pin_their_columns()) views_over_changed_columns(changed_order, dropped_views, created_views);
    plan.ops.insert(plan.ops.end(), created_views.begin(), created_views.end());
    plan.ops.insert(plan.ops.begin(), dropped_views.begin(), dropped_views.end());
    plan.warnings = std::move(warnings_);
    return plan;
  }

 private:
  const core::Table& declared_table(const std::string& key) const { return declared_.get(key); }
  /// The database's table `key` as a declared Table (what batches and reverse ops render from),
  /// made on first use: most tables of a large schema do not change.
  const core::Table& reflected_table(const std::string& key) {
    if (!reflected_md_.contains(key))
      core::add_reflected_table(reflected_md_, reflected_.tables.at(reflected_positions_.at(key)));
    return reflected_md_.get(key);
  }

  ops::TableName name_of(const core::Table& t) const { return {t.name(), t.schema()}; }

  /// A name for a constraint the declaration leaves unnamed, so that the downgrade can drop it:
  /// the MetaData's naming convention, else the one SQLite batches use.
  std::string named(TableChanges& c, const std::string& kind, const core::Table& table,
                    const std::vector<std::string>& columns, const std::string& referred_table = {},
                    const std::vector<std::string>& referred_columns = {}) {
    auto name = declared_.naming_convention().apply(kind, {}, table.name(), columns, referred_table, referred_columns);
    if (name.empty()) {
      name = unnamed_constraint_names().apply(kind, {}, table.name(), columns, referred_table, referred_columns);
      c.unnamed_drops = true;
    }
    return name;
  }

  /// A view made, dropped, or (its SELECT changed) dropped and made again: a view may use any
  /// column, so it goes before the tables change and comes back after.
  void view(const SchemaDifference& d, std::vector<ops::Operation>& drops, std::vector<ops::Operation>& creates) {
    if (d.reflected_position) {
      const auto& r = reflected_.views.at(*d.reflected_position);
      drops.push_back(ops::DropViewOp{{r.name, std::nullopt}, false, r.definition});
    }
    if (d.change == SchemaChange::Extra) return;
    for (const auto& v : declared_.views())
      if (v.name == d.name) creates.push_back(ops::CreateViewOp{{v.name, v.schema}, v.definition});
  }

  /// The database's views that name a table whose columns change type or go, and the views over
  /// those, transitively: dropped before the tables change (dependents first) and made again
  /// after with their own SELECT, where the plan does not drop or make them already.
  void views_over_changed_columns(const std::vector<std::string>& changed_tables, std::vector<ops::Operation>& drops,
                                  std::vector<ops::Operation>& creates) {
    std::set<std::string> handled;  // views the plan drops or makes already
    for (const auto* list : {&drops, &creates})
      for (const auto& op : *list) {
        if (const auto* d = std::get_if<ops::DropViewOp>(&op)) handled.insert(d->view.name);
        if (const auto* c = std::get_if<ops::CreateViewOp>(&op)) handled.insert(c->view.name);
      }
    std::vector<std::string> names;  // tables, then the views found, whose users are sought
    for (const auto& key : changed_tables) {
      const auto& c = changes_[key];
      bool pins = std::any_of(c.columns.begin(), c.columns.end(), [](const ops::Operation& op) {
        const auto* alter = std::get_if<ops::AlterColumnOp>(&op);
        return std::holds_alternative<ops::DropColumnOp>(op) || (alter && alter->change.type);
      });
      if (pins) names.push_back(declared_table(key).name());
    }
    std::vector<const core::ReflectedView*> found;
    for (std::size_t next = 0; next < names.size(); ++next)
      for (const auto& v : reflected_.views) {
        if (handled.count(v.name) || !core::check_mentions(v.definition, names[next])) continue;
        handled.insert(v.name);
        found.push_back(&v);
        names.push_back(v.name);
      }
    for (auto it = found.rbegin(); it != found.rend(); ++it)
      drops.push_back(ops::DropViewOp{{(*it)->name, std::nullopt}, false, (*it)->definition});
    for (const auto* v : found) creates.push_back(ops::CreateViewOp{{v->name, std::nullopt}, v->definition});
  }

  /// The declared Enum column whose CHECK `condition` is (where the dialect writes one), if any.
  const core::Column* enum_column_of(const core::Table& table, const std::string& condition) const {
    for (const auto& c : table.columns())
      if (c.type().kind == core::TypeKind::Enum && core::enum_check_values(condition, c.name())) return &c;
    return nullptr;
  }

  /// The Enum column whose CHECK comes `k`-th after the table's own (as core's comparison counts).
  const core::Column& enum_column_at(const core::Table& table, std::size_t k) const {
    for (const auto& c : table.columns()) {
      if (c.type().kind != core::TypeKind::Enum || c.type().enum_values.empty()) continue;
      if (core::to_upper(dialect_.type_compiler().process(c.type())).rfind("VARCHAR", 0) != 0) continue;
      if (k-- == 0) return c;
    }
    throw core::InternalInvariantError("no Enum column for a CHECK past the declared ones");
  }

  /// A named enum type (PostgreSQL) made, given new values, or dropped. A changed type lists the
  /// database's columns of it, which it casts when the type must be made again.
  void enum_type(const SchemaDifference& d, std::vector<ops::Operation>& out) {
    if (d.change == SchemaChange::Extra) {
      const auto& e = reflected_.enums.at(*d.reflected_position);
      out.push_back(ops::DropEnumOp{e.name, std::nullopt, false, e.values});
      return;
    }
    const std::vector<std::string>* values = nullptr;
    for (const core::Table* t : declared_tables_)
      for (const auto& c : t->columns())
        if (!values && c.type().kind == core::TypeKind::Enum && c.type().name == d.name) values = &c.type().enum_values;
    if (!values) return;
    if (d.change == SchemaChange::Missing) {
      out.push_back(ops::CreateEnumOp{d.name, *values});
      return;
    }
    const auto& existing = reflected_.enums.at(*d.reflected_position).values;
    ops::AlterEnumOp op{d.name, *values, std::nullopt, existing, {}};
    for (const auto& t : reflected_.tables)
      for (const auto& c : t.columns)
        if (c.type.kind == core::TypeKind::Enum && c.type.name == d.name)
          op.columns.push_back({{t.name, t.schema}, c.name, c.default_sql});
    std::vector<std::string> removed;
    for (const auto& v : existing)
      if (std::find(values->begin(), values->end(), v) == values->end()) removed.push_back("'" + v + "'");
    if (!removed.empty())
      warnings_.push_back(fmt::format("removes {} from enum type {}: the migration fails if a row holds {}",
                                      fmt::join(removed, ", "), d.name, removed.size() == 1 ? "it" : "one"));
    out.push_back(std::move(op));
  }

  void table_difference(const SchemaDifference& d, TableChanges& c) {
    const auto& table = declared_table(d.table);
    const auto& old_table = reflected_table(d.table);
    auto name = name_of(table);
    switch (d.object) {
      case SchemaObject::Table: {  // the comment
        if (table.comment())
          c.comments.push_back(ops::CreateTableCommentOp{name, *table.comment(), old_table.comment()});
        else
          c.comments.push_back(ops::DropTableCommentOp{name, old_table.comment()});
        return;
      }
      case SchemaObject::Column: return column(d, table, old_table, c);
      case SchemaObject::PrimaryKey: return primary_key(table, old_table, c);
      case SchemaObject::ForeignKey: {
        if (d.reflected_position) {
          const auto& fk = old_table.foreign_keys().at(*d.reflected_position);
          drop(c, old_table, fk);
          drop_index_left_by(c, table, old_table, fk);
        }
        if (d.declared_position) {
          auto fk = table.foreign_keys().at(*d.declared_position);
          if (fk.name.empty()) fk.name = named(c, "fk", table, fk.columns, fk.referred_table, fk.referred_columns);
          c.foreign_keys.push_back(ops::CreateForeignKeyOp{name, fk});
        }
        return;
      }
      case SchemaObject::UniqueConstraint: {
        if (d.reflected_position) drop(c, old_table, old_table.unique_constraints().at(*d.reflected_position));
        if (d.declared_position) {
          auto uq = table.unique_constraints().at(*d.declared_position);
          if (uq.name.empty()) uq.name = named(c, "uq", table, uq.columns);
          c.creates.push_back(ops::CreateUniqueConstraintOp{name, uq});
          take_over_foreign_key_index(c, old_table, uq.columns);
        }
        return;
      }
      case SchemaObject::CheckConstraint: {
        if (d.reflected_position) {
          const auto& ck = old_table.check_constraints().at(*d.reflected_position);
          // An Enum column's CHECK (SQLite) with other values: the column's type changes, which
          // replaces the CHECK in the recreated table; the reverse brings back the old values.
          const core::Column* column = batch_ && ck.name.empty() ? enum_column_of(table, ck.sqltext) : nullptr;
          if (column && old_table.has_column(column->name())) {
            auto& alter = alter_for(c, name, old_table.column(column->name()));
            alter.change.type = column->type();
            alter.change.existing_type =
                core::Enum{*core::enum_check_values(ck.sqltext, column->name()), column->type().name};
          } else {
            drop(c, old_table, ck);
          }
        }
        if (d.declared_position && *d.declared_position < table.check_constraints().size()) {
          c.creates.push_back(ops::CreateCheckConstraintOp{name, table.check_constraints()[*d.declared_position]});
        } else if (d.declared_position && batch_) {
          // Past the declared list: the CHECK an Enum column brings, made with the column's type.
          const core::Column& column = enum_column_at(table, *d.declared_position - table.check_constraints().size());
          if (old_table.has_column(column.name()))
            alter_for(c, name, old_table.column(column.name())).change.type = column.type();
        }
        return;
      }
      case SchemaObject::Index: {
        if (d.reflected_position) {
          const auto& ix = old_table.indexes().at(*d.reflected_position);
          keep_foreign_key_index(c, old_table, ix.column_names());
          c.drops.push_back(ops::DropIndexOp{name, ix.name, false, ix});
        }
        if (d.declared_position) {
          const auto& ix = table.indexes().at(*d.declared_position);
          c.creates.push_back(ops::CreateIndexOp{name, ix});
          take_over_foreign_key_index(c, old_table, ix.column_names());
        }
        return;
      }
      case SchemaObject::EnumType:      // enum_type()
      case SchemaObject::View: return;  // view()
    }
  }

  /// Drops a reflected constraint; on SQLite an unnamed one is reached by the batch's naming
  /// convention, where there is a template for its kind.
  template <class C>
  void drop(TableChanges& c, const core::Table& old_table, const C& constraint) {
    auto name = name_of(old_table);
    std::string constraint_name = constraint.name;
    core::ConstraintType type = core::ConstraintType::Unknown;
    std::string kind;
    if constexpr (std::is_same_v<C, core::ForeignKeyConstraint>) {
      type = core::ConstraintType::ForeignKey;
      kind = "fk";
    } else if constexpr (std::is_same_v<C, core::UniqueConstraint>) {
      type = core::ConstraintType::Unique;
      kind = "uq";
    } else {
      type = core::ConstraintType::Check;
      kind = "ck";
    }
    if constexpr (std::is_same_v<C, core::CheckConstraint>) {
      if (constraint_name.empty() && batch_)
        constraint_name = core::unnamed_check_name(old_table.name(), constraint.sqltext);
    }
    if (constraint_name.empty() && batch_ && kind != "ck") {
      if constexpr (std::is_same_v<C, core::ForeignKeyConstraint>)
        constraint_name = unnamed_constraint_names().apply(kind, {}, old_table.name(), constraint.columns,
                                                           constraint.referred_table, constraint.referred_columns);
      else if constexpr (std::is_same_v<C, core::UniqueConstraint>)
        constraint_name = unnamed_constraint_names().apply(kind, {}, old_table.name(), constraint.columns);
      c.unnamed_drops = true;
    }
    if (constraint_name.empty()) {
      warnings_.push_back(
          fmt::format("{}: an unnamed {} constraint cannot be dropped by name: left in place "
                      "(name it in the database, or drop it by hand)",
                      old_table.fullname(),
                      kind == "ck"   ? "CHECK"
                      : kind == "uq" ? "UNIQUE"
                                     : "FOREIGN KEY"));
      return;
    }
    if constexpr (std::is_same_v<C, core::UniqueConstraint>) keep_foreign_key_index(c, old_table, constraint.columns);
    C definition = constraint;
    definition.name = constraint_name;
    c.drops.push_back(ops::DropConstraintOp{name, constraint_name, type, core::Constraint(definition)});
  }

  /// After dropping `fk`: the index the database made for it and keeps (InnoDB), unless the
  /// declaration has that index, or the database does not work that way.
  void drop_index_left_by(TableChanges& c, const core::Table& table, const core::Table& old_table,
                          const core::ForeignKeyConstraint& fk) {
    if (batch_) return;
    auto index = impl_->index_left_by_foreign_key(old_table.name(), fk);
    if (!index) return;
    for (const auto& ix : table.indexes())
      if (ix.name == *index) return;
    c.drops.push_back(ops::DropIndexOp{name_of(old_table), *index, true, core::Index(*index, fk.columns)});
  }

  /// The foreign keys of `old_table` that stay (declared too) and that an index on `columns`
  /// can serve (their columns lead it), each with the index InnoDB made for it; none on a
  /// dialect that makes no such index, or in batch mode.
  std::vector<std::pair<const core::ForeignKeyConstraint*, std::string>> foreign_key_indexes(
      const core::Table& old_table, const std::vector<std::string>& columns) const {
    std::vector<std::pair<const core::ForeignKeyConstraint*, std::string>> out;
    const core::Table* declared = declared_.find(old_table.fullname());
    if (batch_ || !declared) return out;
    for (const auto& fk : old_table.foreign_keys()) {
      if (fk.columns.size() > columns.size() || !std::equal(fk.columns.begin(), fk.columns.end(), columns.begin()))
        continue;
      // A key that goes takes its index with it (drop_index_left_by).
      bool stays = std::any_of(declared->foreign_keys().begin(), declared->foreign_keys().end(), [&](const auto& k) {
        return k.columns == fk.columns && k.referred_table == fk.referred_table;
      });
      if (!stays) continue;
      if (auto index = impl_->index_left_by_foreign_key(old_table.name(), fk)) out.emplace_back(&fk, *index);
    }
    return out;
  }

  /// Before dropping an index (or unique constraint) on `columns`: where a foreign key that stays
  /// uses it as its index (InnoDB refuses the drop, error 1553), the index the database would
  /// have made for the key is made first; reflection then counts it as the key's.
  void keep_foreign_key_index(TableChanges& c, const core::Table& old_table, const std::vector<std::string>& columns) {
    for (const auto& [fk, index] : foreign_key_indexes(old_table, columns))
      c.drops.push_back(ops::CreateIndexOp{name_of(old_table), core::Index(index, fk->columns)});
  }

  /// After making an index (or unique constraint) on `columns` that can serve a foreign key of
  /// the table, InnoDB drops the index it had made for the key. The op stream says so, with a
  /// DROP INDEX IF EXISTS of it, so that the downgrade makes it again before it drops the new
  /// index (else error 1553: needed in a foreign key constraint), online and offline alike.
  void take_over_foreign_key_index(TableChanges& c, const core::Table& old_table,
                                   const std::vector<std::string>& columns) {
    for (const auto& [fk, index] : foreign_key_indexes(old_table, columns))
      c.creates.push_back(ops::DropIndexOp{name_of(old_table), index, true, core::Index(index, fk->columns)});
  }

  void primary_key(const core::Table& table, const core::Table& old_table, TableChanges& c) {
    auto name = name_of(table);
    const auto& now = old_table.primary_key();
    const auto& wanted = table.primary_key();
    if (batch_) {  // the recreated table takes the declared key
      if (!wanted.columns.empty()) c.keys.push_back(ops::CreatePrimaryKeyOp{name, wanted});
      return;
    }
    if (!now.columns.empty())
      c.drops.push_back(ops::DropConstraintOp{name, now.name, core::ConstraintType::PrimaryKey, core::Constraint(now)});
    if (!wanted.columns.empty()) c.keys.push_back(ops::CreatePrimaryKeyOp{name, wanted});
  }

  void column(const SchemaDifference& d, const core::Table& table, const core::Table& old_table, TableChanges& c) {
    auto name = name_of(table);
    if (d.change == SchemaChange::Missing) {
      const auto& col = table.columns().at(*d.declared_position);
      c.columns.push_back(ops::AddColumnOp{name, bare_column(col)});
      if (!col.is_nullable() && !col.server_default_expr() && !table.is_autoincrement(col))
        warnings_.push_back(fmt::format("adds {}.{} NOT NULL without a server default: fails if the table has rows",
                                        table.fullname(), col.name()));
      return;
    }
    if (d.change == SchemaChange::Extra) {
      const auto& col = old_table.columns().at(*d.reflected_position);
      c.columns.push_back(ops::DropColumnOp{name, col.name(), false, col});
      warnings_.push_back(fmt::format("drops column {}.{} and its values", table.fullname(), col.name()));
      return;
    }
    // Changed: one alter_column per column, gathering every attribute that differs.
    const auto& wanted = table.columns().at(*d.declared_position);
    const auto& now = old_table.columns().at(*d.reflected_position);
    if (replaced_.count(table.fullname() + "." + now.name())) return;  // made again whole
    // A computed column is made again for any change but a comment (MySQL's MODIFY, which
    // re-specifies the column, would make it a plain one even then).
    bool computed = now.computed_options() || wanted.computed_options();
    if (d.attribute == "computed as" || d.attribute == "computed" ||
        (computed && (d.attribute != "comment" || dialect_.name() == "mysql")))
      return replace_column(table, old_table, wanted, now, c);
    if (d.note == "autoincrement declared, not reflected" && dialect_.name() == "mysql") {
      auto& change = alter_for(c, name, now).change;  // MODIFY ... AUTO_INCREMENT
      change.autoincrement = true;
      change.existing_autoincrement = false;
      return;
    }
    auto& alter = alter_for(c, name, now);
    if (!d.note.empty()) {
      warnings_.push_back(
          fmt::format("{}.{}: {}: no op changes this; write it by hand", table.fullname(), wanted.name(), d.note));
      return;
    }
    auto& change = alter.change;
    if (d.attribute == "type") {
      change.type = wanted.type();
      // PostgreSQL converts between kinds only with USING; the cast is what any conversion means
      // (to an enum type through text: there is no cast from another enum type).
      bool to_enum = wanted.type().kind == core::TypeKind::Enum;
      if ((wanted.type().kind != now.type().kind || to_enum) && dialect_.name() == "postgresql")
        change.postgresql_using = fmt::format("{}::{}{}", dialect_.preparer().quote(wanted.name()),
                                              to_enum ? "text::" : "", dialect_.type_compiler().process(wanted.type()));
      bool narrower =
          wanted.type().kind == now.type().kind &&
          ((wanted.type().length && now.type().length && *wanted.type().length < *now.type().length) ||
           (wanted.type().precision && now.type().precision && *wanted.type().precision < *now.type().precision));
      warnings_.push_back(fmt::format("{} {}.{} from {} to {}: values that do not convert make it fail",
                                      narrower ? "narrows" : "changes the type of", table.fullname(), wanted.name(),
                                      d.reflected.value_or("?"), d.declared.value_or("?")));
    } else if (d.attribute == "nullable") {
      change.nullable = wanted.is_nullable();
      if (!wanted.is_nullable())
        warnings_.push_back(
            fmt::format("sets {}.{} NOT NULL: fails if it holds NULLs", table.fullname(), wanted.name()));
    } else if (d.attribute == "default") {
      if (wanted.server_default_expr())
        change.server_default = std::optional<core::Expr>(*wanted.server_default_expr());
      else
        change.server_default = std::optional<core::Expr>();
    } else if (d.attribute == "comment") {
      if (wanted.comment_text())
        change.comment = std::optional<std::string>(*wanted.comment_text());
      else
        change.comment = std::optional<std::string>();
    } else if (d.attribute == "identity") {
      change.identity = wanted.identity_options();
      if (wanted.identity_options() && !now.identity_options()) {
        // PostgreSQL makes an identity only of a NOT NULL column without a default.
        if (now.is_nullable()) change.nullable = false;
        if (now.server_default_expr()) change.server_default = std::optional<core::Expr>();
        warnings_.push_back(fmt::format(
            "makes {}.{} an identity column: its sequence starts at {} whatever the column holds; if the table "
            "has rows, restart it above them (ALTER COLUMN ... RESTART WITH n)",
            table.fullname(), wanted.name(), wanted.identity_options()->start.value_or(1)));
      }
    } else {
      warnings_.push_back(fmt::format("{}.{}: {} differs: no op changes this; write it by hand", table.fullname(),
                                      wanted.name(), d.attribute));
    }
  }

  /// A computed column whose expression or storage changes, or that becomes or stops being
  /// computed: no ALTER does that on every database (PostgreSQL 15 has no SET EXPRESSION), so the
  /// column is dropped and added again as declared, with the indexes and unique constraints on it
  /// that stay, which the drop takes along, dropped before and made again after.
  void replace_column(const core::Table& table, const core::Table& old_table, const core::Column& wanted,
                      const core::Column& now, TableChanges& c) {
    replaced_.insert(table.fullname() + "." + now.name());
    auto name = name_of(table);
    std::erase_if(c.columns, [&](const ops::Operation& op) {
      const auto* a = std::get_if<ops::AlterColumnOp>(&op);
      return a && a->column == now.name();
    });
    const auto& old_indexes = old_table.indexes();
    for (std::size_t r = 0; r < old_indexes.size(); ++r) {
      const auto& ix = old_indexes[r];
      auto on_column = ix.column_names();
      if (std::find(on_column.begin(), on_column.end(), now.name()) == on_column.end()) continue;
      const auto& declared = table.indexes();
      auto it = std::find_if(declared.begin(), declared.end(), [&](const core::Index& i) { return i.name == ix.name; });
      if (it == declared.end()) continue;  // dropped anyway: its own difference drops it
      auto position = static_cast<std::size_t>(it - declared.begin());
      // A changed index is dropped and made by its own difference, before or after this one.
      if (!handled_.insert({table.fullname(), static_cast<int>(SchemaObject::Index), position, r}).second) continue;
      c.drops.push_back(ops::DropIndexOp{name, ix.name, false, ix});
      c.creates.push_back(ops::CreateIndexOp{name, *it});
    }
    const auto& old_uniques = old_table.unique_constraints();
    for (std::size_t r = 0; r < old_uniques.size(); ++r) {
      const auto& uq = old_uniques[r];
      if (std::find(uq.columns.begin(), uq.columns.end(), now.name()) == uq.columns.end()) continue;
      const auto& declared = table.unique_constraints();
      auto it = std::find_if(declared.begin(), declared.end(),
                             [&](const core::UniqueConstraint& u) { return u.columns == uq.columns; });
      if (it == declared.end()) continue;
      auto position = static_cast<std::size_t>(it - declared.begin());
      if (!handled_.insert({table.fullname(), static_cast<int>(SchemaObject::UniqueConstraint), position, r}).second)
        continue;
      drop(c, old_table, uq);
      auto made = *it;
      if (made.name.empty()) made.name = named(c, "uq", table, made.columns);
      c.creates.push_back(ops::CreateUniqueConstraintOp{name, made});
    }
    c.columns.push_back(ops::DropColumnOp{name, now.name(), false, now});
    c.columns.push_back(ops::AddColumnOp{name, bare_column(wanted)});
    if (!now.computed_options())
      warnings_.push_back(
          fmt::format("makes {}.{} a computed column: the column is dropped with its values and added again",
                      table.fullname(), wanted.name()));
    else if (!wanted.computed_options())
      warnings_.push_back(fmt::format(
          "makes computed column {}.{} a plain one: it is dropped and added again, empty (its default or NULL)",
          table.fullname(), wanted.name()));
  }

  /// The alter_column of `now` in this table's changes, made on first use with every existing_*
  /// value (MySQL re-specifies the whole column; the reverse needs them).
  ops::AlterColumnOp& alter_for(TableChanges& c, const ops::TableName& name, const core::Column& now) {
    for (auto& op : c.columns)
      if (auto* a = std::get_if<ops::AlterColumnOp>(&op); a && a->column == now.name()) return *a;
    ops::AlterColumnOp alter{name, now.name(), {}};
    alter.change.existing_type = now.type();
    alter.change.existing_nullable = now.is_nullable();
    if (now.server_default_expr()) alter.change.existing_server_default = *now.server_default_expr();
    if (now.comment_text()) alter.change.existing_comment = *now.comment_text();
    if (now.identity_options()) alter.change.existing_identity = *now.identity_options();
    c.columns.push_back(std::move(alter));
    return std::get<ops::AlterColumnOp>(c.columns.back());
  }

  /// The include_object callback's answer for `d`'s table, then for `d`'s object.
  bool included(const SchemaDifference& d) {
    if (!include_object_) return true;
    bool in_database = d.change != SchemaChange::Missing;
    if (!d.table.empty() && d.object != SchemaObject::EnumType && d.object != SchemaObject::View) {
      auto [it, fresh] = included_tables_.try_emplace(d.table, true);
      if (fresh) {
        bool table_in_database = reflected_positions_.count(d.table) != 0;
        it->second = include_object_({SchemaObject::Table, d.table, d.table, table_in_database});
      }
      if (!it->second) return false;
      if (d.object == SchemaObject::Table) return true;
    }
    return include_object_({d.object, d.table, d.name, in_database});
  }

  std::function<bool(const std::string&)> wanted_;
  IncludeObject include_object_;
  std::map<std::string, bool> included_tables_;  // include_object's answer per table, asked once
  const core::MetaData& declared_;
  std::vector<const core::Table*> declared_tables_;
  const core::ReflectedSchema& reflected_;
  const core::Dialect& dialect_;
  bool batch_;
  std::unique_ptr<MigrationImpl> impl_;
  core::MetaData reflected_md_;
  std::map<std::string, std::size_t> reflected_positions_;  // key_of(schema, name) -> reflected_.tables
  std::map<std::string, TableChanges> changes_;
  std::set<std::tuple<std::string, int, std::optional<std::size_t>, std::optional<std::size_t>>> handled_;
  std::vector<std::string> warnings_;
  std::set<std::string> replaced_;  // "table.column" dropped and added again (replace_column)
};

}  // namespace

namespace {

bool matches_any(const std::vector<std::string>& globs, const std::string& name) {
  return std::any_of(globs.begin(), globs.end(),
                     [&](const std::string& g) { return ::fnmatch(g.c_str(), name.c_str(), 0) == 0; });
}

/// Applies the renames to the reflected schema (so that the renamed objects match their declared
/// names) and returns the ops that make them in the database, to run first.
std::vector<ops::Operation> apply_renames(core::ReflectedSchema& schema, const std::vector<Rename>& renames) {
  std::vector<ops::Operation> out;
  auto find = [&](const std::string& name) -> core::ReflectedTable* {
    for (auto& t : schema.tables)
      if (t.name == name) return &t;
    return nullptr;
  };
  std::map<std::string, std::string> table_now;  // a renamed table's old name -> its new one
  for (const auto& r : renames) {
    if (!r.column.empty()) continue;
    auto* t = find(r.table);
    if (!t) throw UsageError(fmt::format("--rename {}:{}: the database has no table {}", r.table, r.to, r.table));
    if (find(r.to))
      throw UsageError(fmt::format("--rename {}:{}: the database has a table {} already", r.table, r.to, r.to));
    out.push_back(ops::RenameTableOp{{t->name, t->schema}, r.to});
    for (auto& other : schema.tables)
      for (auto& fk : other.foreign_keys)
        if (fk.referred_table == t->name) fk.referred_table = r.to;
    table_now[t->name] = r.to;
    t->name = r.to;
  }
  for (const auto& r : renames) {
    if (r.column.empty()) continue;
    auto it = table_now.find(r.table);
    auto* t = find(it == table_now.end() ? r.table : it->second);
    if (!t)
      throw UsageError(
          fmt::format("--rename {}.{}:{}: the database has no table {}", r.table, r.column, r.to, r.table));
    auto col = std::find_if(t->columns.begin(), t->columns.end(), [&](const auto& c) { return c.name == r.column; });
    if (col == t->columns.end())
      throw UsageError(
          fmt::format("--rename {}.{}:{}: table {} has no column {}", r.table, r.column, r.to, r.table, r.column));
    core::ColumnAlteration change;
    change.new_name = r.to;
    change.existing_type = col->type;
    change.existing_nullable = col->nullable;
    if (col->default_sql) change.existing_server_default = core::text(*col->default_sql);
    if (col->comment) change.existing_comment = *col->comment;
    out.push_back(ops::AlterColumnOp{{t->name, t->schema}, r.column, change});
    auto rename = [&](std::vector<std::string>& v) { std::replace(v.begin(), v.end(), r.column, r.to); };
    col->name = r.to;
    rename(t->primary_key.columns);
    for (auto& fk : t->foreign_keys) rename(fk.columns);
    for (auto& ix : t->indexes) rename(ix.columns);
    for (auto& u : t->unique_constraints) rename(u.columns);
    for (auto& other : schema.tables)
      for (auto& fk : other.foreign_keys)
        if (fk.referred_table == t->name) rename(fk.referred_columns);
  }
  return out;
}

/// The renames given, and those the declaration hints at (renamed_from) where the database still
/// has the old name and not the new one.
std::vector<Rename> hinted_renames(const core::MetaData& declared, const core::ReflectedSchema& reflected,
                                   std::vector<Rename> renames) {
  auto find = [&](const std::string& name) -> const core::ReflectedTable* {
    for (const auto& t : reflected.tables)
      if (t.name == name) return &t;
    return nullptr;
  };
  auto has_column = [](const core::ReflectedTable& t, const std::string& name) {
    return std::any_of(t.columns.begin(), t.columns.end(), [&](const auto& c) { return c.name == name; });
  };
  for (const core::Table* t : declared.tables()) {
    const core::ReflectedTable* now = find(t->name());
    if (t->renamed_from() && !now && find(*t->renamed_from())) {
      renames.push_back({*t->renamed_from(), "", t->name()});
      now = find(*t->renamed_from());
    }
    if (!now) continue;
    for (const auto& c : t->columns())
      if (c.renamed_from_name() && !has_column(*now, c.name()) && has_column(*now, *c.renamed_from_name()))
        renames.push_back({now->name, *c.renamed_from_name(), c.name()});
  }
  return renames;
}

/// Lines naming the drop-and-add pairs that look like renames.
std::vector<std::string> likely_renames(const MigrationPlan& plan, const core::MetaData& declared,
                                        const core::ReflectedSchema& reflected, const core::Dialect& dialect) {
  std::vector<std::string> out;
  auto spelling = [&](const core::SqlType& t) { return core::to_upper(dialect.type_compiler().process(t)); };
  auto declared_tables = declared.tables();
  std::vector<const core::Table*> added;
  std::vector<const core::ReflectedTable*> dropped;
  for (const auto& d : plan.differences) {
    if (d.object == SchemaObject::Table && d.change == SchemaChange::Missing)
      added.push_back(declared_tables.at(*d.declared_position));
    if (d.object == SchemaObject::Table && d.change == SchemaChange::Extra)
      dropped.push_back(&reflected.tables.at(*d.reflected_position));
    if (d.object != SchemaObject::Column || d.change != SchemaChange::Extra) continue;
    const auto* rt = &*std::find_if(reflected.tables.begin(), reflected.tables.end(),
                                    [&](const auto& t) { return key_of(t.schema, t.name) == d.table; });
    const auto& gone = rt->columns.at(*d.reflected_position);
    for (const auto& m : plan.differences)
      if (m.table == d.table && m.object == SchemaObject::Column && m.change == SchemaChange::Missing) {
        const auto& come = declared.get(d.table).columns().at(*m.declared_position);
        if (spelling(come.type()) == spelling(gone.type))
          out.push_back(
              fmt::format("column {}.{} is dropped and {}.{} of the same type added: if it is a rename, "
                          "--rename {}.{}:{} keeps its data",
                          d.table, gone.name, d.table, come.name(), d.table, gone.name, come.name()));
      }
  }
  for (const auto* gone : dropped)
    for (const auto* come : added) {
      if (gone->columns.size() != come->columns().size()) continue;
      bool same = true;
      for (std::size_t i = 0; i < gone->columns.size() && same; ++i)
        same = gone->columns[i].name == come->columns()[i].name();
      if (same)
        out.push_back(
            fmt::format("table {} is dropped and {} with the same columns added: if it is a rename, "
                        "--rename {}:{} keeps its data",
                        gone->name, come->name(), gone->name, come->name()));
    }
  return out;
}

}  // namespace

MigrationPlan compare(const core::MetaData& declared, const core::ReflectedSchema& reflected,
                      const core::Dialect& dialect, const CompareOptions& options) {
  // A glob matches the table's name, or "schema.name" for a table in another schema.
  auto wanted = [&](const std::string& full) {
    std::string name = full.substr(full.find('.') == std::string::npos ? 0 : full.find('.') + 1);
    auto matches = [&](const std::vector<std::string>& globs) {
      return matches_any(globs, name) || (name != full && matches_any(globs, full));
    };
    return std::none_of(options.ignored_tables.begin(), options.ignored_tables.end(),
                        [&](const std::string& n) { return core::iequals(n, name); }) &&
           (options.include.empty() || matches(options.include)) && !matches(options.exclude);
  };
  core::ReflectedSchema kept = reflected;
  std::erase_if(kept.tables, [&](const core::ReflectedTable& t) { return !wanted(key_of(t.schema, t.name)); });
  auto renames = apply_renames(kept, hinted_renames(declared, kept, options.renames));
  // The declared side filtered likewise: its unwanted tables' differences are left out.
  auto plan = Planner(declared, kept, dialect, wanted, options.include_object).run();
  plan.likely_renames = likely_renames(plan, declared, kept, dialect);
  plan.renamed = renames.size();
  plan.ops.insert(plan.ops.begin(), renames.begin(), renames.end());
  for (const auto& r : plan.likely_renames) plan.warnings.push_back("possible rename: " + r);
  return plan;
}

}  // namespace retort::migrate::autogenerate
