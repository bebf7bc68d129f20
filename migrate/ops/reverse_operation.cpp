// The reverse of each op: what undoes it, for downgrades written by autogenerate. An op whose
// reverse needs what it removed (a drop without its definition, an alter without the existing_*
// values it changes) cannot be reversed and says which part is missing.
#include <fmt/format.h>

#include <retort/core/errors.hpp>
#include <retort/migrate/ops/operation.hpp>
#include <retort/migrate/ops/overloaded.hpp>

namespace retort::migrate::ops {

namespace {

[[noreturn]] void irreversible(const std::string& op, const std::string& why) {
  throw core::ArgumentError(fmt::format("{} cannot be reversed: {}", op, why));
}

std::string display(const TableName& t) { return t.schema ? *t.schema + "." + t.name : t.name; }

core::ConstraintType type_of(const core::Constraint& c) {
  return std::visit(Overloaded{
                        [](const core::PrimaryKeyConstraint&) { return core::ConstraintType::PrimaryKey; },
                        [](const core::ForeignKeyConstraint&) { return core::ConstraintType::ForeignKey; },
                        [](const core::UniqueConstraint&) { return core::ConstraintType::Unique; },
                        [](const core::CheckConstraint&) { return core::ConstraintType::Check; },
                    },
                    c);
}

Operation drop_of(const TableName& table, const core::Constraint& c) {
  std::string name = std::visit([](const auto& k) { return k.name; }, c);
  if (name.empty())
    irreversible("creating an unnamed constraint on " + display(table),
                 "a constraint can only be dropped by name (give it one)");
  return DropConstraintOp{table, name, type_of(c), c};
}

/// The alter that undoes `forward`: each changed attribute goes back to its existing_* value,
/// and the reverse's existing_* values are the forward's new ones.
AlterColumnOp reverse_alter(const AlterColumnOp& forward) {
  const auto& f = forward.change;
  auto where = fmt::format("alter_column of {}.{}", display(forward.table), forward.column);
  core::ColumnAlteration r;
  if (f.nullable) {
    if (!f.existing_nullable) irreversible(where, "it changes nullable without existing_nullable");
    r.nullable = f.existing_nullable;
  }
  if (f.type) {
    if (!f.existing_type) irreversible(where, "it changes the type without existing_type");
    r.type = f.existing_type;
  }
  if (f.server_default) r.server_default = std::optional<core::Expr>(f.existing_server_default);
  if (f.comment) r.comment = std::optional<std::string>(f.existing_comment);
  if (f.autoincrement) {
    if (!f.existing_autoincrement) irreversible(where, "it changes autoincrement without existing_autoincrement");
    r.autoincrement = f.existing_autoincrement;
  }
  if (f.new_name) r.new_name = forward.column;
  if (f.identity) r.identity = std::optional<core::Identity>(f.existing_identity);
  // What the column is after the forward alter.
  r.existing_type = f.type ? f.type : f.existing_type;
  r.existing_nullable = f.nullable ? f.nullable : f.existing_nullable;
  r.existing_server_default = f.server_default ? *f.server_default : f.existing_server_default;
  r.existing_comment = f.comment ? *f.comment : f.existing_comment;
  r.existing_autoincrement = f.autoincrement ? f.autoincrement : f.existing_autoincrement;
  r.existing_identity = f.identity ? *f.identity : f.existing_identity;
  return AlterColumnOp{forward.table, f.new_name ? *f.new_name : forward.column, std::move(r)};
}

}  // namespace

Operation reverse(const Operation& op) {
  return std::visit(
      Overloaded{
          [](const CreateTableOp& o) -> Operation {
            return DropTableOp{{o.table->name(), o.table->schema()}, false, o.table};
          },
          [](const DropTableOp& o) -> Operation {
            if (!o.definition) irreversible("drop_table of " + display(o.table), "its definition is not known");
            return CreateTableOp{o.definition};
          },
          [](const RenameTableOp& o) -> Operation {
            return RenameTableOp{{o.new_name, o.table.schema}, o.table.name};
          },
          [](const AddColumnOp& o) -> Operation {
            return DropColumnOp{o.table, o.column.name(), false, o.column};
          },
          [](const DropColumnOp& o) -> Operation {
            if (!o.definition)
              irreversible(fmt::format("drop_column of {}.{}", display(o.table), o.column),
                           "the column's definition is not known");
            return AddColumnOp{o.table, *o.definition};
          },
          [](const AlterColumnOp& o) -> Operation { return reverse_alter(o); },
          [](const CreateIndexOp& o) -> Operation {
            return DropIndexOp{o.table, o.index.name, false, o.index};
          },
          [](const DropIndexOp& o) -> Operation {
            if (!o.definition) irreversible("drop_index of " + o.name, "the index's definition is not known");
            return CreateIndexOp{o.table, *o.definition};
          },
          [](const CreatePrimaryKeyOp& o) -> Operation { return drop_of(o.table, o.constraint); },
          [](const CreateUniqueConstraintOp& o) -> Operation { return drop_of(o.table, o.constraint); },
          [](const CreateForeignKeyOp& o) -> Operation { return drop_of(o.table, o.constraint); },
          [](const CreateCheckConstraintOp& o) -> Operation { return drop_of(o.table, o.constraint); },
          [](const DropConstraintOp& o) -> Operation {
            if (!o.definition) irreversible("drop_constraint of " + o.name, "the constraint's definition is not known");
            return std::visit(Overloaded{
                                  [&](const core::PrimaryKeyConstraint& c) -> Operation {
                                    return CreatePrimaryKeyOp{o.table, c};
                                  },
                                  [&](const core::ForeignKeyConstraint& c) -> Operation {
                                    return CreateForeignKeyOp{o.table, c};
                                  },
                                  [&](const core::UniqueConstraint& c) -> Operation {
                                    return CreateUniqueConstraintOp{o.table, c};
                                  },
                                  [&](const core::CheckConstraint& c) -> Operation {
                                    return CreateCheckConstraintOp{o.table, c};
                                  },
                              },
                              *o.definition);
          },
          [](const CreateTableCommentOp& o) -> Operation {
            if (o.existing_comment) return CreateTableCommentOp{o.table, *o.existing_comment, o.comment};
            return DropTableCommentOp{o.table, o.comment};
          },
          [](const DropTableCommentOp& o) -> Operation {
            if (!o.existing_comment)
              irreversible("drop_table_comment of " + display(o.table), "the existing comment is not known");
            return CreateTableCommentOp{o.table, *o.existing_comment, std::nullopt};
          },
          [](const CreateEnumOp& o) -> Operation {
            return DropEnumOp{o.name, o.schema, false, o.values};
          },
          [](const DropEnumOp& o) -> Operation {
            if (!o.values) irreversible("drop_enum of " + o.name, "its values are not known");
            return CreateEnumOp{o.name, *o.values, o.schema};
          },
          [](const AddEnumValueOp& o) -> Operation {
            irreversible("add_enum_value " + o.value + " of " + o.name,
                         "PostgreSQL cannot remove a value from an enum type (recreate the type by hand)");
          },
          [](const AlterEnumOp& o) -> Operation {
            if (!o.existing_values) irreversible("alter_enum of " + o.name, "its existing values are not known");
            return AlterEnumOp{o.name, *o.existing_values, o.schema, o.values, o.columns};
          },
          [](const CreateViewOp& o) -> Operation {
            return DropViewOp{o.view, false, o.definition};
          },
          [](const DropViewOp& o) -> Operation {
            if (!o.definition) irreversible("drop_view of " + display(o.view), "its definition is not known");
            return CreateViewOp{o.view, *o.definition};
          },
          [](const ExecuteOp&) -> Operation {
            irreversible("execute", "retort cannot know what arbitrary SQL did (write the downgrade by hand)");
          },
          [](const BulkInsertOp& o) -> Operation {
            irreversible("bulk_insert into " + o.table->name(),
                         "the rows may not be identifiable (write the DELETE by hand)");
          },
          [](const BatchAlterTableOp& o) -> Operation {
            // Each op undone, last first, on the table the batch made.
            auto undone = std::make_shared<OperationList>();
            if (o.ops)
              for (auto it = o.ops->items.rbegin(); it != o.ops->items.rend(); ++it)
                undone->items.push_back(reverse(*it));
            return BatchAlterTableOp{o.table, undone, o.recreate, o.after, o.before, o.naming_convention};
          },
      },
      op);
}

}  // namespace retort::migrate::ops
