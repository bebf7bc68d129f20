// SQLite spellings: no ILIKE (lower() LIKE lower()), LIMIT -1 for an OFFSET alone, 1/0 booleans,
// nested compound selects as subqueries, and autoincrementing primary keys declared as INTEGER PRIMARY KEY (the rowid alias).
#include <retort/dialects/sqlite/sqlite_compiler.hpp>

#include <retort/core/schema/table.hpp>

namespace retort::dialects::sqlite {

using namespace retort::core;

std::string SQLiteCompiler::binary_operator(BinaryOperator op) const {
  // Without ILIKE the generic compiler lower()s both sides around plain LIKE.
  if (op == BinaryOperator::ILike) return " LIKE ";
  if (op == BinaryOperator::NotILike) return " NOT LIKE ";
  return SqlCompiler::binary_operator(op);
}

void SQLiteCompiler::render_limit_offset(const Node* limit, const Node* offset) {
  if (!limit && !offset) return;
  write(" LIMIT ");
  if (limit) process(*limit);
  else write("-1");
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
  if (is_autoincrement_column(table, column)) return "INTEGER";
  return DdlCompiler::column_type(table, column);
}

std::string SQLiteDdlCompiler::column_specification(const Table& table, const Column& column) {
  std::string spec = DdlCompiler::column_specification(table, column);
  if (inline_autoincrement(table) && is_autoincrement_column(table, column))
    spec += " PRIMARY KEY AUTOINCREMENT";
  return spec;
}

std::string SQLiteDdlCompiler::primary_key_clause(const Table& table) {
  if (inline_autoincrement(table)) {
    for (const auto& c : table.columns())
      if (is_autoincrement_column(table, c)) return {};
  }
  return DdlCompiler::primary_key_clause(table);
}

}  // namespace retort::dialects::sqlite
