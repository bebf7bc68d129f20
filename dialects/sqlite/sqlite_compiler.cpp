// SQLite spellings: no ILIKE (lower() LIKE lower()), LIMIT -1 for an OFFSET alone, 1/0 booleans,
// nested compound selects as subqueries, and autoincrementing primary keys declared as INTEGER PRIMARY KEY (the rowid
// alias).
#include <retort/dialects/sqlite/sqlite_compiler.hpp>

#include <retort/core/schema/table.hpp>

namespace retort::dialects::sqlite {

using namespace retort::core;

std::string SQLiteCompiler::binary_operator(const BinaryNode& n) const {
  auto op = n.op();
  // Without ILIKE the generic compiler lower()s both sides around plain LIKE.
  if (op == BinaryOperator::ILike) return " LIKE ";
  if (op == BinaryOperator::NotILike) return " NOT LIKE ";
  return SqlCompiler::binary_operator(n);
}

void SQLiteCompiler::render_limit_offset(const Node* limit, const Node* offset) {
  if (!limit && !offset) return;
  write(" LIMIT ");
  if (limit)
    process(*limit);
  else
    write("-1");
  if (offset) {
    write(" OFFSET ");
    process(*offset);
  }
}

// SQLite's grammar has no parenthesized compound select: (A UNION B) EXCEPT C is written with the
// inner compound as a subquery, SELECT * FROM (A UNION B) EXCEPT C, which means the same.
void SQLiteCompiler::render_nested_compound_select(const CompoundSelectNode& n) {
  write("SELECT * FROM (");
  process(n);
  write(")");
}

// Before ON CONFLICT, SQLite reads the end of INSERT ... SELECT ... FROM t as a join's ON unless a
// WHERE comes between (its documented "parsing ambiguity"): the SELECT goes into a subquery with
// WHERE true, which holds whatever clauses the SELECT itself ends with.
void SQLiteCompiler::render_insert_from_select(const InsertNode& n) {
  if (!n.extension) return SqlCompiler::render_insert_from_select(n);
  write("SELECT * FROM (");
  process(*n.from_select);
  write(") WHERE true");
}

// Booleans are stored as 0/1; TRUE/FALSE literals exist only since SQLite 3.23.
void SQLiteCompiler::render_boolean(bool value) { write(value ? "1" : "0"); }

namespace {
bool inline_autoincrement(const Table& table) {
  auto it = table.dialect_options().find("sqlite_autoincrement");
  return it != table.dialect_options().end() && (it->second == "true" || it->second == "1");
}
}  // namespace

std::string SQLiteDdlCompiler::column_type(const Table& table, const Column& column) {
  // Only a column declared exactly INTEGER becomes the rowid alias that numbers new rows.
  if (table.is_autoincrement(column)) return "INTEGER";
  return DdlCompiler::column_type(table, column);
}

std::string SQLiteDdlCompiler::column_specification(const Table& table, const Column& column) {
  std::string spec = DdlCompiler::column_specification(table, column);
  if (inline_autoincrement(table) && table.is_autoincrement(column)) spec += " PRIMARY KEY AUTOINCREMENT";
  return spec;
}

std::string SQLiteDdlCompiler::primary_key_clause(const Table& table) {
  if (inline_autoincrement(table)) {
    for (const auto& c : table.columns())
      if (table.is_autoincrement(c)) return {};
  }
  return DdlCompiler::primary_key_clause(table);
}

// ---- ALTER ---------------------------------------------------------------------------------
// SQLite's ALTER TABLE can add, drop and rename a column and rename a table (3.35+); every other
// change needs the table recreated (batch mode), and the message says so.

std::vector<std::string> SQLiteDdlCompiler::visit_add_column(const AddColumnNode& n) {
  auto table = detached_table(n.table, n.column);
  const Column& column = table->columns().front();
  if (n.if_not_exists) unsupported_alter("add a column IF NOT EXISTS");
  if (column.is_primary_key()) unsupported_alter("add a PRIMARY KEY column");
  if (!table->unique_constraints().empty() || !table->check_constraints().empty())
    unsupported_alter("add a column with a UNIQUE or CHECK constraint");
  std::string spec = column_specification(*table, column);
  for (const auto& fk : table->foreign_keys()) {
    spec += " REFERENCES " + dialect_.preparer().format_table(fk.referred_table, std::nullopt) + " (" +
            column_list(fk.referred_columns) + ")";
    if (!fk.ondelete.empty()) spec += " ON DELETE " + fk.ondelete;
    if (!fk.onupdate.empty()) spec += " ON UPDATE " + fk.onupdate;
    if (fk.deferrable) spec += *fk.deferrable ? " DEFERRABLE" : " NOT DEFERRABLE";
    if (!fk.initially.empty()) spec += " INITIALLY " + fk.initially;
  }
  if (auto check = enum_check_clause(column)) spec += " " + *check;  // a column constraint: allowed
  std::vector<std::string> out{alter_table(n.table) + " ADD COLUMN " + spec};
  for (const auto& ix : table->indexes()) out.push_back(visit_create_index(CreateIndexNode(table, ix, false)));
  return out;
}

std::vector<std::string> SQLiteDdlCompiler::visit_drop_column(const DropColumnNode& n) {
  if (n.if_exists) unsupported_alter("drop a column IF EXISTS");
  return DdlCompiler::visit_drop_column(n);
}

std::vector<std::string> SQLiteDdlCompiler::visit_alter_column(const AlterColumnNode& n) {
  const auto& change = n.change;
  if (change.type) unsupported_alter("change the type of column " + n.column);
  if (change.nullable) unsupported_alter("change the nullability of column " + n.column);
  if (change.server_default) unsupported_alter("change the default of column " + n.column);
  if (change.autoincrement) unsupported_alter("change the autoincrement of column " + n.column);
  if (change.comment) unsupported_alter("set a column comment");
  return DdlCompiler::visit_alter_column(n);
}

}  // namespace retort::dialects::sqlite
