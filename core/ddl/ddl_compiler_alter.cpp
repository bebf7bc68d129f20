// Generic rendering of the ALTER family: add/drop/alter column, rename table, comments. The
// generic spelling is PostgreSQL's (which follows the standard); SQLite and MySQL override what
// differs in their own DDL compilers.
#include <retort/core/ddl/ddl_compiler.hpp>

#include <fmt/format.h>

#include <retort/core/sql/type_compiler.hpp>

namespace retort::core {

std::string DdlCompiler::alter_table(const TableName& table) const {
  return "ALTER TABLE " + dialect_.preparer().format_table(table.name, table.schema);
}

std::shared_ptr<Table> DdlCompiler::detached_table(const TableName& table, const Column& column) const {
  auto t = std::make_shared<Table>(table.name, nullptr);
  if (table.schema) t->append(TableOptions{.schema = table.schema});
  t->append(column);
  return t;
}

void DdlCompiler::unsupported_alter(const std::string& what) const {
  std::string hint =
      dialect_.features().requires_recreate_in_batch ? " (use batch_alter_table, which recreates the table)" : "";
  throw UnsupportedCompilationError(
      fmt::format("the {} dialect cannot {} with ALTER TABLE{}", dialect_.name(), what, hint));
}

std::vector<std::string> DdlCompiler::visit_add_column(const AddColumnNode& n) {
  auto table = detached_table(n.table, n.column);
  const Column& column = table->columns().front();
  // As Alembic's add_column: the column, then its constraints and indexes (not the primary key,
  // which the column's own definition cannot add to an existing key).
  std::vector<std::string> out = pre_create_statements(*table);
  auto enum_check = enum_check_clause(column);  // in the column's definition: it names no constraint
  out.push_back(alter_table(n.table) + " ADD COLUMN " + (n.if_not_exists ? "IF NOT EXISTS " : "") +
                column_specification(*table, column) + (enum_check ? " " + *enum_check : std::string()));
  for (const auto& fk : table->foreign_keys()) out.push_back(visit_add_constraint(AddConstraintNode(table, fk)));
  for (const auto& uq : table->unique_constraints()) out.push_back(visit_add_constraint(AddConstraintNode(table, uq)));
  for (const auto& ck : table->check_constraints()) out.push_back(visit_add_constraint(AddConstraintNode(table, ck)));
  for (const auto& ix : table->indexes()) out.push_back(visit_create_index(CreateIndexNode(table, ix, false)));
  for (auto& s : post_create_statements(*table)) out.push_back(std::move(s));
  return out;
}

std::vector<std::string> DdlCompiler::visit_drop_column(const DropColumnNode& n) {
  return {alter_table(n.table) + " DROP COLUMN " + (n.if_exists ? "IF EXISTS " : "") + quote(n.column)};
}

std::vector<std::string> DdlCompiler::visit_alter_column(const AlterColumnNode& n) {
  // One statement per attribute, in Alembic's order: type first (PostgreSQL's USING may be
  // needed for the rest to make sense), nullability, default, comment, and the rename last so
  // that every earlier statement can use the old name.
  const auto& change = n.change;
  if (!change.changes_anything()) throw CompileError("alter_column of " + n.column + " changes nothing");
  std::string prefix = alter_table(n.table) + " ALTER COLUMN " + quote(n.column);
  std::vector<std::string> out;
  if (change.autoincrement) unsupported_alter("change a column's autoincrement");
  if (change.identity && !dialect_.features().supports_identity_columns)
    unsupported_alter("change a column's identity");
  // An identity goes before NOT NULL or a default can be dropped, and comes after the column is
  // NOT NULL and has no default (PostgreSQL refuses either order otherwise).
  bool drops_identity = change.identity && !*change.identity;
  if (drops_identity) out.push_back(prefix + " DROP IDENTITY");
  if (change.type) {
    std::string sql = prefix + " TYPE " + dialect_.type_compiler().process(*change.type);
    if (change.postgresql_using) sql += " USING " + *change.postgresql_using;
    out.push_back(std::move(sql));
  }
  if (change.nullable) out.push_back(prefix + (*change.nullable ? " DROP NOT NULL" : " SET NOT NULL"));
  if (change.server_default) {
    const auto& def = *change.server_default;
    out.push_back(prefix + (def ? " SET DEFAULT " + default_expression(*def) : std::string(" DROP DEFAULT")));
  }
  if (change.identity && !drops_identity) out.push_back(prefix + identity_alteration(**change.identity, change));
  if (change.comment) out.push_back(column_comment_statement(n.table, n.column, *change.comment));
  if (change.new_name)
    out.push_back(alter_table(n.table) + " RENAME COLUMN " + quote(n.column) + " TO " + quote(*change.new_name));
  return out;
}

std::string DdlCompiler::identity_alteration(const Identity& wanted, const ColumnAlteration& change) {
  if (!change.existing_identity) return " ADD" + identity_clause(wanted);
  // SET only what differs; an unset START WITH or INCREMENT BY is the sequence's default.
  const Identity& now = *change.existing_identity;
  std::string out;
  if (wanted.always != now.always) out += wanted.always ? " SET GENERATED ALWAYS" : " SET GENERATED BY DEFAULT";
  if (wanted.start.value_or(1) != now.start.value_or(1))
    out += fmt::format(" SET START WITH {}", wanted.start.value_or(1));
  if (wanted.increment.value_or(1) != now.increment.value_or(1))
    out += fmt::format(" SET INCREMENT BY {}", wanted.increment.value_or(1));
  if (out.empty()) throw CompileError("alter_column sets an identity that is already the column's");
  return out;
}

std::vector<std::string> DdlCompiler::visit_rename_table(const RenameTableNode& n) {
  return {alter_table(n.table) + " RENAME TO " + quote(n.new_name)};
}

std::string DdlCompiler::column_comment_statement(const TableName& table, const std::string& column,
                                                  const std::optional<std::string>& comment) {
  if (!dialect_.features().supports_comments) unsupported_alter("set a column comment");
  return fmt::format("COMMENT ON COLUMN {}.{} IS {}", dialect_.preparer().format_table(table.name, table.schema),
                     quote(column), comment ? expressions_->render_literal(Value(*comment), String{}) : "NULL");
}

std::vector<std::string> DdlCompiler::visit_set_table_comment(const SetTableCommentNode& n) {
  if (!dialect_.features().supports_comments) unsupported_alter("set a table comment");
  return {fmt::format("COMMENT ON TABLE {} IS {}", dialect_.preparer().format_table(n.table.name, n.table.schema),
                      n.comment ? expressions_->render_literal(Value(*n.comment), String{}) : "NULL")};
}

}  // namespace retort::core
