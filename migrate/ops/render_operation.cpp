// Each op as C++ source for a revision file: the `op.<name>(...)` call that performs it, as
// autogenerate writes it. Expressions (server defaults, CHECK conditions, index expressions and
// WHERE clauses) become retort::text() of their generic SQL.
#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <retort/core/dialect.hpp>
#include <retort/core/errors.hpp>
#include <retort/core/sql/compiler.hpp>
#include <retort/core/text.hpp>
#include <retort/migrate/ops/operation.hpp>
#include <retort/migrate/ops/overloaded.hpp>

namespace retort::migrate::ops {

namespace {

using core::cpp_string_literal;

std::string quoted(const std::string& s) { return cpp_string_literal(s); }

std::string string_list(const std::vector<std::string>& items) {
  std::vector<std::string> q;
  for (const auto& i : items) q.push_back(quoted(i));
  return "{" + fmt::format("{}", fmt::join(q, ", ")) + "}";
}

std::string expression(const core::Expr& e) {
  static const auto dialect = core::make_default_dialect();
  return "retort::text(" + quoted(dialect->statement_compiler()->render_ddl_expression(*e.node())) + ")";
}

std::string schema_option(const std::optional<std::string>& schema, const std::vector<std::string>& more = {}) {
  std::vector<std::string> fields;
  if (schema) fields.push_back(".schema = " + quoted(*schema));
  fields.insert(fields.end(), more.begin(), more.end());
  if (fields.empty()) return {};
  return ", {" + fmt::format("{}", fmt::join(fields, ", ")) + "}";
}

/// `{.always = true, .start = 10}`: an Identity's fields that are set.
std::string identity(const core::Identity& id) {
  std::vector<std::string> f;
  if (id.always) f.push_back(".always = true");
  if (id.start) f.push_back(fmt::format(".start = {}", *id.start));
  if (id.increment) f.push_back(fmt::format(".increment = {}", *id.increment));
  return "{" + fmt::format("{}", fmt::join(f, ", ")) + "}";
}

std::string column(const core::Column& c, bool primary_key, bool unique) {
  std::string out = fmt::format("retort::Column({}, {})", quoted(c.name()), c.type().to_cpp());
  if (primary_key) out += ".primary_key()";
  if (!primary_key && !c.is_nullable()) out += ".not_null()";
  if (c.autoincrement_setting() == core::Autoincrement::Yes) out += ".autoincrement(true)";
  if (c.autoincrement_setting() == core::Autoincrement::No) out += ".autoincrement(false)";
  if (const auto& id = c.identity_options()) out += ".identity(" + identity(*id) + ")";
  if (const auto& d = c.server_default_expr()) out += ".server_default(" + expression(*d) + ")";
  if (unique) out += ".unique()";
  if (const auto& comment = c.comment_text()) out += ".comment(" + quoted(*comment) + ")";
  if (const auto& computed = c.computed_options()) {
    out += ".computed({" + quoted(computed->sqltext);
    if (computed->persisted) out += fmt::format(", {}", *computed->persisted ? "true" : "false");
    out += "})";
  }
  for (const auto& [k, v] : c.dialect_options()) out += ".dialect_option(" + quoted(k) + ", " + quoted(v) + ")";
  return out;
}

std::string foreign_key(const core::ForeignKeyConstraint& fk) {
  std::vector<std::string> f{".columns = " + string_list(fk.columns), ".referred_table = " + quoted(fk.referred_table),
                             ".referred_columns = " + string_list(fk.referred_columns)};
  if (!fk.name.empty()) f.push_back(".name = " + quoted(fk.name));
  if (!fk.ondelete.empty()) f.push_back(".ondelete = " + quoted(fk.ondelete));
  if (!fk.onupdate.empty()) f.push_back(".onupdate = " + quoted(fk.onupdate));
  if (fk.deferrable) f.push_back(fmt::format(".deferrable = {}", *fk.deferrable ? "true" : "false"));
  if (!fk.initially.empty()) f.push_back(".initially = " + quoted(fk.initially));
  if (fk.referred_schema) f.push_back(".referred_schema = " + quoted(*fk.referred_schema));
  if (!fk.match.empty()) f.push_back(".match = " + quoted(fk.match));
  return "retort::ForeignKeyConstraint{" + fmt::format("{}", fmt::join(f, ", ")) + "}";
}

std::string index(const core::Index& ix) {
  bool expressions = std::any_of(ix.elements.begin(), ix.elements.end(), [](const auto& e) { return e.expression; });
  std::vector<std::string> parts;
  for (const auto& e : ix.elements) {
    if (!expressions)
      parts.push_back(quoted(e.column));
    else if (e.expression)
      parts.push_back("retort::IndexElement{{}, " + expression(*e.expression) + "}");
    else
      parts.push_back("retort::IndexElement{" + quoted(e.column) + ", std::nullopt}");
  }
  std::string elements = fmt::format("std::vector<{}>{{{}}}", expressions ? "retort::IndexElement" : "std::string",
                                     fmt::join(parts, ", "));
  std::string out = fmt::format("retort::Index({}, {}{})", quoted(ix.name), elements, ix.unique ? ", true" : "");
  if (ix.where_clause) out += ".where(" + expression(*ix.where_clause) + ")";
  for (const auto& [k, v] : ix.dialect_options) out += ".dialect_option(" + quoted(k) + ", " + quoted(v) + ")";
  return out;
}

/// An index's parts as a braced list, and its options shared by op.create_index and
/// batch.create_index (unique, WHERE).
std::string index_parts(const core::Index& ix) {
  std::vector<std::string> parts;
  for (const auto& e : ix.elements) parts.push_back(e.expression ? expression(*e.expression) : quoted(e.column));
  return "{" + fmt::format("{}", fmt::join(parts, ", ")) + "}";
}
std::vector<std::string> index_options(const core::Index& ix) {
  std::vector<std::string> out;
  if (ix.unique) out.push_back(".unique = true");
  if (ix.where_clause) out.push_back(".where = " + expression(*ix.where_clause));
  return out;
}

/// The ForeignKeyOptions fields of op.create_foreign_key and batch.create_foreign_key.
std::vector<std::string> foreign_key_options(const core::ForeignKeyConstraint& fk) {
  std::vector<std::string> f;
  if (fk.referred_schema) f.push_back(".referent_schema = " + quoted(*fk.referred_schema));
  if (!fk.ondelete.empty()) f.push_back(".ondelete = " + quoted(fk.ondelete));
  if (!fk.onupdate.empty()) f.push_back(".onupdate = " + quoted(fk.onupdate));
  if (fk.deferrable) f.push_back(fmt::format(".deferrable = {}", *fk.deferrable));
  if (!fk.initially.empty()) f.push_back(".initially = " + quoted(fk.initially));
  if (!fk.match.empty()) f.push_back(".match = " + quoted(fk.match));
  return f;
}

std::string create_table(const core::Table& t, bool if_not_exists) {
  std::vector<std::string> lines{quoted(t.name())};
  const auto& pk = t.primary_key();
  bool pk_on_column = pk.columns.size() == 1 && pk.name.empty();
  std::vector<const core::UniqueConstraint*> table_uniques;
  std::vector<std::string> unique_columns;
  for (const auto& uq : t.unique_constraints()) {
    if (uq.columns.size() == 1 && uq.name.empty())
      unique_columns.push_back(uq.columns[0]);
    else
      table_uniques.push_back(&uq);
  }
  for (const auto& c : t.columns()) {
    // A one-column key is marked on its column even when named below: what makes an integer key
    // autoincrement (SERIAL, AUTO_INCREMENT) is the column's own primary_key().
    bool is_pk = pk.columns.size() == 1 && pk.columns[0] == c.name();
    bool unique = std::find(unique_columns.begin(), unique_columns.end(), c.name()) != unique_columns.end();
    lines.push_back(column(c, is_pk, unique));
  }
  if (!pk.columns.empty() && !pk_on_column)
    lines.push_back(fmt::format("retort::PrimaryKeyConstraint{{{}, {}}}", string_list(pk.columns), quoted(pk.name)));
  for (const auto& fk : t.foreign_keys()) lines.push_back(foreign_key(fk));
  for (const auto* uq : table_uniques)
    lines.push_back(fmt::format("retort::UniqueConstraint{{{}, {}}}", string_list(uq->columns), quoted(uq->name)));
  for (const auto& ck : t.check_constraints())
    lines.push_back(fmt::format("retort::CheckConstraint{{{}, {}}}", quoted(ck.sqltext), quoted(ck.name)));
  for (const auto& ix : t.indexes()) lines.push_back(index(ix));
  std::vector<std::string> options;
  if (t.schema()) options.push_back(".schema = " + quoted(*t.schema()));
  if (t.comment()) options.push_back(".comment = " + quoted(*t.comment()));
  if (if_not_exists) options.push_back(".if_not_exists = true");
  if (!t.dialect_options().empty()) {
    std::vector<std::string> kv;
    for (const auto& [k, v] : t.dialect_options()) kv.push_back("{" + quoted(k) + ", " + quoted(v) + "}");
    options.push_back(".dialect_options = {" + fmt::format("{}", fmt::join(kv, ", ")) + "}");
  }
  if (!options.empty())
    lines.push_back("retort::migrate::ops::TableCreateOptions{" + fmt::format("{}", fmt::join(options, ", ")) + "}");
  return "op.create_table(" + fmt::format("{}", fmt::join(lines, ",\n    ")) + ");";
}

std::string alteration(const core::ColumnAlteration& a) {
  std::vector<std::string> f;
  auto removable_expr = [&](const char* field, const core::Removable<core::Expr>& v) {
    if (v) f.push_back(fmt::format(".{} = {}", field, *v ? expression(**v) : "std::optional<retort::Expr>{}"));
  };
  auto removable_text = [&](const char* field, const core::Removable<std::string>& v) {
    if (v) f.push_back(fmt::format(".{} = {}", field, *v ? quoted(**v) : "std::optional<std::string>{}"));
  };
  if (a.nullable) f.push_back(fmt::format(".nullable = {}", *a.nullable));
  if (a.type) f.push_back(".type = " + a.type->to_cpp());
  removable_expr("server_default", a.server_default);
  if (a.new_name) f.push_back(".new_name = " + quoted(*a.new_name));
  removable_text("comment", a.comment);
  if (a.autoincrement) f.push_back(fmt::format(".autoincrement = {}", *a.autoincrement));
  if (a.postgresql_using) f.push_back(".postgresql_using = " + quoted(*a.postgresql_using));
  if (a.existing_type) f.push_back(".existing_type = " + a.existing_type->to_cpp());
  if (a.existing_nullable) f.push_back(fmt::format(".existing_nullable = {}", *a.existing_nullable));
  if (a.existing_server_default) f.push_back(".existing_server_default = " + expression(*a.existing_server_default));
  if (a.existing_comment) f.push_back(".existing_comment = " + quoted(*a.existing_comment));
  if (a.existing_autoincrement) f.push_back(fmt::format(".existing_autoincrement = {}", *a.existing_autoincrement));
  if (a.identity)
    f.push_back(".identity = " + (*a.identity ? "retort::Identity" + identity(**a.identity)
                                              : std::string("std::optional<retort::Identity>{}")));
  if (a.existing_identity) f.push_back(".existing_identity = retort::Identity" + identity(*a.existing_identity));
  return "{" + fmt::format("{}", fmt::join(f, ", ")) + "}";
}

std::string constraint_type_name(core::ConstraintType type) {
  switch (type) {
    case core::ConstraintType::PrimaryKey: return "primary";
    case core::ConstraintType::ForeignKey: return "foreignkey";
    case core::ConstraintType::Unique: return "unique";
    case core::ConstraintType::Check: return "check";
    case core::ConstraintType::Unknown: break;
  }
  return {};
}

}  // namespace

std::string render_cpp(const Operation& op) {
  return std::visit(
      Overloaded{
          [](const CreateTableOp& o) { return create_table(*o.table, o.if_not_exists); },
          [](const DropTableOp& o) {
            return fmt::format("op.drop_table({}{});", quoted(o.table.name),
                               schema_option(o.table.schema, o.if_exists ? std::vector<std::string>{".if_exists = true"}
                                                                         : std::vector<std::string>{}));
          },
          [](const RenameTableOp& o) {
            return fmt::format("op.rename_table({}, {}{});", quoted(o.table.name), quoted(o.new_name),
                               schema_option(o.table.schema));
          },
          [](const AddColumnOp& o) {
            return fmt::format(
                "op.add_column({}, {}{});", quoted(o.table.name), column(o.column, false, false),
                schema_option(o.table.schema, o.if_not_exists ? std::vector<std::string>{".if_not_exists = true"}
                                                              : std::vector<std::string>{}));
          },
          [](const DropColumnOp& o) {
            return fmt::format("op.drop_column({}, {}{});", quoted(o.table.name), quoted(o.column),
                               schema_option(o.table.schema, o.if_exists ? std::vector<std::string>{".if_exists = true"}
                                                                         : std::vector<std::string>{}));
          },
          [](const AlterColumnOp& o) {
            return fmt::format("op.alter_column({}, {}, {}{});", quoted(o.table.name), quoted(o.column),
                               alteration(o.change), schema_option(o.table.schema));
          },
          [](const CreateIndexOp& o) {
            auto more = index_options(o.index);
            if (o.if_not_exists) more.push_back(".if_not_exists = true");
            if (!o.index.dialect_options.empty()) {
              std::vector<std::string> kv;
              for (const auto& [k, v] : o.index.dialect_options) kv.push_back("{" + quoted(k) + ", " + quoted(v) + "}");
              more.push_back(".dialect_options = {" + fmt::format("{}", fmt::join(kv, ", ")) + "}");
            }
            return fmt::format("op.create_index({}, {}, {}{});", quoted(o.index.name), quoted(o.table.name),
                               index_parts(o.index), schema_option(o.table.schema, more));
          },
          [](const DropIndexOp& o) {
            return fmt::format("op.drop_index({}, {}{});", quoted(o.name), quoted(o.table.name),
                               schema_option(o.table.schema, o.if_exists ? std::vector<std::string>{".if_exists = true"}
                                                                         : std::vector<std::string>{}));
          },
          [](const CreatePrimaryKeyOp& o) {
            return fmt::format("op.create_primary_key({}, {}, {}{});", quoted(o.constraint.name), quoted(o.table.name),
                               string_list(o.constraint.columns), schema_option(o.table.schema));
          },
          [](const CreateUniqueConstraintOp& o) {
            return fmt::format("op.create_unique_constraint({}, {}, {}{});", quoted(o.constraint.name),
                               quoted(o.table.name), string_list(o.constraint.columns), schema_option(o.table.schema));
          },
          [](const CreateForeignKeyOp& o) {
            const auto& fk = o.constraint;
            std::vector<std::string> f;
            if (o.table.schema) f.push_back(".source_schema = " + quoted(*o.table.schema));
            auto rest = foreign_key_options(fk);
            f.insert(f.end(), rest.begin(), rest.end());
            std::string options = f.empty() ? "" : ", {" + fmt::format("{}", fmt::join(f, ", ")) + "}";
            return fmt::format("op.create_foreign_key({}, {}, {}, {}, {}{});", quoted(fk.name), quoted(o.table.name),
                               quoted(fk.referred_table), string_list(fk.columns), string_list(fk.referred_columns),
                               options);
          },
          [](const CreateCheckConstraintOp& o) {
            return fmt::format("op.create_check_constraint({}, {}, {}{});", quoted(o.constraint.name),
                               quoted(o.table.name), quoted(o.constraint.sqltext), schema_option(o.table.schema));
          },
          [](const DropConstraintOp& o) {
            auto type = constraint_type_name(o.type);
            std::vector<std::string> more;
            if (!type.empty()) more.push_back(".type = " + quoted(type));
            if (o.if_exists) more.push_back(".if_exists = true");
            return fmt::format("op.drop_constraint({}, {}{});", quoted(o.name), quoted(o.table.name),
                               schema_option(o.table.schema, more));
          },
          [](const CreateTableCommentOp& o) {
            return fmt::format(
                "op.create_table_comment({}, {}{});", quoted(o.table.name), quoted(o.comment),
                schema_option(o.table.schema, o.existing_comment ? std::vector<std::string>{".existing_comment = " +
                                                                                            quoted(*o.existing_comment)}
                                                                 : std::vector<std::string>{}));
          },
          [](const DropTableCommentOp& o) {
            return fmt::format(
                "op.drop_table_comment({}{});", quoted(o.table.name),
                schema_option(o.table.schema, o.existing_comment ? std::vector<std::string>{".existing_comment = " +
                                                                                            quoted(*o.existing_comment)}
                                                                 : std::vector<std::string>{}));
          },
          [](const CreateEnumOp& o) {
            return fmt::format(
                "op.create_enum({}, {}{});", quoted(o.name), string_list(o.values),
                schema_option(o.schema, o.if_not_exists ? std::vector<std::string>{".if_not_exists = true"}
                                                        : std::vector<std::string>{}));
          },
          [](const DropEnumOp& o) {
            return fmt::format("op.drop_enum({}{});", quoted(o.name),
                               schema_option(o.schema, o.if_exists ? std::vector<std::string>{".if_exists = true"}
                                                                   : std::vector<std::string>{}));
          },
          [](const AddEnumValueOp& o) {
            std::vector<std::string> more;
            if (o.before) more.push_back(".before = " + quoted(*o.before));
            if (o.after) more.push_back(".after = " + quoted(*o.after));
            if (o.if_not_exists) more.push_back(".if_not_exists = true");
            return fmt::format("op.add_enum_value({}, {}{});", quoted(o.name), quoted(o.value),
                               schema_option(o.schema, more));
          },
          [](const AlterEnumOp& o) {
            std::vector<std::string> more;
            // Types spelled out: a nested braced list alone is ambiguous to the compiler.
            if (o.existing_values)
              more.push_back(".existing_values = std::vector<std::string>" + string_list(*o.existing_values));
            if (!o.columns.empty()) {
              std::vector<std::string> columns;
              for (const auto& c : o.columns)
                columns.push_back(fmt::format("retort::EnumTypeColumn{{{{{}{}}}, {}{}}}", quoted(c.table.name),
                                              c.table.schema ? ", " + quoted(*c.table.schema) : std::string(),
                                              quoted(c.column),
                                              c.server_default ? ", " + quoted(*c.server_default) : std::string()));
              more.push_back(".columns = {" + fmt::format("{}", fmt::join(columns, ", ")) + "}");
            }
            return fmt::format("op.alter_enum({}, {}{});", quoted(o.name), string_list(o.values),
                               schema_option(o.schema, more));
          },
          [](const CreateViewOp& o) {
            return fmt::format("op.create_view({}, {}{});", quoted(o.view.name), quoted(o.definition),
                               schema_option(o.view.schema));
          },
          [](const DropViewOp& o) {
            std::vector<std::string> more;
            if (o.if_exists) more.push_back(".if_exists = true");
            if (o.definition) more.push_back(".definition = " + quoted(*o.definition));
            return fmt::format("op.drop_view({}{});", quoted(o.view.name), schema_option(o.view.schema, more));
          },
          [](const ExecuteOp& o) {
            if (const auto* sql = std::get_if<std::string>(&o.statement))
              return fmt::format("op.execute({});", quoted(*sql));
            static const auto dialect = core::make_default_dialect();
            auto compiled =
                dialect->statement_compiler()->compile(*std::get<core::NodePtr>(o.statement), {.literal_binds = true});
            return fmt::format("op.execute({});", quoted(compiled.sql));
          },
          [](const BulkInsertOp& o) -> std::string {
            throw core::ArgumentError("bulk_insert into " + o.table->name() +
                                      " has no C++ rendering (its rows are data: write them in the revision)");
          },
          [](const BatchAlterTableOp& o) {
            std::vector<std::string> lines;
            if (o.ops)
              for (const auto& inner : o.ops->items) lines.push_back("  " + render_batch_cpp(inner));
            std::vector<std::string> options;
            if (o.table.schema) options.push_back(".schema = " + quoted(*o.table.schema));
            if (o.recreate != "auto") options.push_back(".recreate = " + quoted(o.recreate));
            if (o.naming_convention) {
              std::vector<std::string> kv;
              for (const auto& [k, v] : o.naming_convention->templates())
                kv.push_back("{" + quoted(k) + ", " + quoted(v) + "}");
              options.push_back(".naming_convention = retort::NamingConvention(std::map<std::string, std::string>{" +
                                fmt::format("{}", fmt::join(kv, ", ")) + "})");
            }
            return fmt::format("op.batch_alter_table({}, [](retort::migrate::BatchOperations& batch) {{\n{}\n}}{});",
                               quoted(o.table.name), fmt::join(lines, "\n"),
                               options.empty() ? "" : ", {" + fmt::format("{}", fmt::join(options, ", ")) + "}");
          },
      },
      op);
}

std::string render_batch_cpp(const Operation& op) {
  return std::visit(
      Overloaded{
          [](const AddColumnOp& o) { return fmt::format("batch.add_column({});", column(o.column, false, false)); },
          [](const DropColumnOp& o) { return fmt::format("batch.drop_column({});", quoted(o.column)); },
          [](const AlterColumnOp& o) {
            return fmt::format("batch.alter_column({}, {});", quoted(o.column), alteration(o.change));
          },
          [](const CreateIndexOp& o) {
            auto more = index_options(o.index);
            return fmt::format("batch.create_index({}, {}{});", quoted(o.index.name), index_parts(o.index),
                               more.empty() ? "" : ", {" + fmt::format("{}", fmt::join(more, ", ")) + "}");
          },
          [](const DropIndexOp& o) { return fmt::format("batch.drop_index({});", quoted(o.name)); },
          [](const CreatePrimaryKeyOp& o) {
            return fmt::format("batch.create_primary_key({}, {});", quoted(o.constraint.name),
                               string_list(o.constraint.columns));
          },
          [](const CreateUniqueConstraintOp& o) {
            return fmt::format("batch.create_unique_constraint({}, {});", quoted(o.constraint.name),
                               string_list(o.constraint.columns));
          },
          [](const CreateForeignKeyOp& o) {
            const auto& fk = o.constraint;
            auto f = foreign_key_options(fk);
            return fmt::format("batch.create_foreign_key({}, {}, {}, {}{});", quoted(fk.name),
                               quoted(fk.referred_table), string_list(fk.columns), string_list(fk.referred_columns),
                               f.empty() ? "" : ", {" + fmt::format("{}", fmt::join(f, ", ")) + "}");
          },
          [](const CreateCheckConstraintOp& o) {
            return fmt::format("batch.create_check_constraint({}, {});", quoted(o.constraint.name),
                               quoted(o.constraint.sqltext));
          },
          [](const DropConstraintOp& o) {
            auto type = constraint_type_name(o.type);
            return fmt::format("batch.drop_constraint({}{});", quoted(o.name),
                               type.empty() ? "" : ", {.type = " + quoted(type) + "}");
          },
          [](const auto& o) -> std::string {
            throw core::ArgumentError("op." + operation_name(Operation(o)) + " cannot go in a batch_alter_table block");
          },
      },
      op);
}

}  // namespace retort::migrate::ops
