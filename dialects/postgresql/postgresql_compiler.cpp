// PostgreSQL spellings: now(), bytea literals, SERIAL keys, stored generated columns, native
// enum types created ahead of their table, and comments as COMMENT ON statements.
#include <retort/dialects/postgresql/postgresql_compiler.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <retort/core/errors.hpp>
#include <retort/core/schema/table.hpp>

namespace retort::dialects::postgresql {

using namespace retort::core;

// ---- statements -----------------------------------------------------------------------------

std::string PostgreSQLCompiler::render_literal(const Value& v, const SqlType& type) const {
  if (v.kind() == Value::Kind::Binary) {
    // X'..' is a bit string in PostgreSQL; bytea takes the hex escape form.
    std::string out = "'\\x";
    for (auto byte : std::get<Blob>(v.storage())) out += fmt::format("{:02x}", byte);
    return out + "'::bytea";
  }
  if (v.kind() == Value::Kind::Real) {
    double d = std::get<double>(v.storage());
    if (std::isnan(d)) return "'NaN'::float8";
    if (std::isinf(d)) return d > 0 ? "'Infinity'::float8" : "'-Infinity'::float8";
  }
  return SqlCompiler::render_literal(v, type);
}

void PostgreSQLCompiler::render_function_name(const FunctionNode& n) {
  if (n.name() == "now" && n.args().empty()) {
    write("now()");
    return;
  }
  SqlCompiler::render_function_name(n);
}

// ---- types ----------------------------------------------------------------------------------

std::string PostgreSQLTypeCompiler::visit_float(const SqlType& t) const {
  // FLOAT(p) is REAL up to 24 bits of precision and DOUBLE PRECISION above.
  if (t.precision && *t.precision > 24) return "DOUBLE PRECISION";
  return "REAL";
}

std::string PostgreSQLTypeCompiler::visit_enum(const SqlType& t) const {
  // Without a name there is no type to create: a VARCHAR with a CHECK (the generic way).
  if (t.name.empty()) return TypeCompiler::visit_enum(t);
  return preparer_.quote(t.name);
}

// ---- DDL ------------------------------------------------------------------------------------

std::string PostgreSQLDdlCompiler::enum_type_name(const Table& table, const SqlType& type) const {
  // A native enum lives in its table's schema, so that a schema holds everything it needs.
  return dialect_.preparer().format_table(type.name, table.schema());
}

std::string PostgreSQLDdlCompiler::column_type(const Table& table, const Column& column) {
  const auto& type = column.type();
  if (type.kind == TypeKind::Enum && !type.name.empty()) return enum_type_name(table, type);
  if (!column.identity_options() && table.is_autoincrement(column)) {
    switch (type.kind) {
      case TypeKind::SmallInteger: return "SMALLSERIAL";
      case TypeKind::BigInteger: return "BIGSERIAL";
      default: return "SERIAL";
    }
  }
  return DdlCompiler::column_type(table, column);
}

std::string PostgreSQLDdlCompiler::computed_clause(const Computed& computed) {
  if (computed.persisted && !*computed.persisted)
    throw UnsupportedCompilationError(
        "PostgreSQL has only stored generated columns: use Computed{..., persisted = true}");
  return fmt::format(" GENERATED ALWAYS AS ({}) STORED", computed.sqltext);
}

std::string PostgreSQLDdlCompiler::visit_create_index(const CreateIndexNode& n) {
  std::string sql = DdlCompiler::visit_create_index(n);
  const auto& options = n.index.dialect_options;
  // INCLUDE (covering columns) goes after the key columns, before any WHERE.
  if (auto include = options.find("postgresql_include"); include != options.end() && !include->second.empty()) {
    std::vector<std::string> columns;
    std::string_view rest = include->second;
    while (!rest.empty()) {
      auto comma = rest.find(',');
      auto item = rest.substr(0, comma);
      auto b = item.find_first_not_of(' ');
      auto e = item.find_last_not_of(' ');
      if (b != std::string_view::npos) columns.push_back(quote(item.substr(b, e - b + 1)));
      rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    }
    std::string clause = " INCLUDE (" + fmt::format("{}", fmt::join(columns, ", ")) + ")";
    std::size_t at = sql.size();
    if (n.index.where_clause) {
      auto where = " WHERE " + render_expression(*n.index.where_clause);
      if (sql.size() >= where.size() && sql.compare(sql.size() - where.size(), where.size(), where) == 0)
        at = sql.size() - where.size();
    }
    sql.insert(at, clause);
  }
  // CONCURRENTLY cannot run inside a transaction: the revision says `transactional false`.
  if (auto concurrently = options.find("postgresql_concurrently");
      concurrently != options.end() && (concurrently->second == "true" || concurrently->second == "1")) {
    auto index_word = sql.find("INDEX ");
    sql.insert(index_word + 6, "CONCURRENTLY ");
  }
  auto it = options.find("postgresql_using");
  if (it == n.index.dialect_options.end()) return sql;
  const std::string& method = it->second;
  bool word = !method.empty() && std::all_of(method.begin(), method.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
  if (!word)
    throw CompileError(
        fmt::format("index {}: postgresql_using must be an access method name such as "
                    "btree, hash, gin, gist or brin; got '{}'",
                    n.index.name, method));
  std::string target = " ON " + format_table(*n.table);
  auto pos = sql.find(target);
  if (pos == std::string::npos) throw CompileError("index " + n.index.name + ": cannot place USING");
  return sql.insert(pos + target.size(), " USING " + method);
}

std::vector<std::string> PostgreSQLDdlCompiler::pre_create_statements(const Table& table) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const auto& c : table.columns()) {
    const auto& type = c.type();
    if (type.kind != TypeKind::Enum || type.name.empty() || !seen.insert(type.name).second) continue;
    if (type.enum_values.empty())
      throw CompileError(fmt::format("enum type {} of {}.{} has no values", type.name, table.fullname(), c.name()));
    std::vector<std::string> values;
    for (const auto& v : type.enum_values) {
      if (v.find("$retort$") != std::string::npos)
        throw CompileError("an enum value may not contain the text $retort$");
      values.push_back(expressions_->render_literal(Value(v), String{}));
    }
    // CREATE TYPE has no IF NOT EXISTS: an existing type (e.g. shared with another table)
    // is kept. The exception block makes this safe inside a transaction too.
    out.push_back(
        fmt::format("DO $retort$ BEGIN CREATE TYPE {} AS ENUM ({}); "
                    "EXCEPTION WHEN duplicate_object THEN NULL; END $retort$",
                    enum_type_name(table, type), fmt::join(values, ", ")));
  }
  return out;
}

std::string PostgreSQLDdlCompiler::visit_create_enum_type(const CreateEnumTypeNode& n) {
  std::vector<std::string> values;
  for (const auto& v : n.values) values.push_back(expressions_->render_literal(Value(v), String{}));
  auto create = fmt::format("CREATE TYPE {} AS ENUM ({})", dialect_.preparer().format_table(n.name, n.schema),
                            fmt::join(values, ", "));
  if (!n.if_not_exists) return create;
  // CREATE TYPE has no IF NOT EXISTS; the exception block also works inside a transaction.
  return fmt::format("DO $retort$ BEGIN {}; EXCEPTION WHEN duplicate_object THEN NULL; END $retort$", create);
}

std::string PostgreSQLDdlCompiler::visit_drop_enum_type(const DropEnumTypeNode& n) {
  return fmt::format("DROP TYPE {}{}", n.if_exists ? "IF EXISTS " : "",
                     dialect_.preparer().format_table(n.name, n.schema));
}

std::string PostgreSQLDdlCompiler::visit_add_enum_value(const AddEnumValueNode& n) {
  auto literal = [&](const std::string& s) { return expressions_->render_literal(Value(s), String{}); };
  std::string sql = fmt::format("ALTER TYPE {} ADD VALUE {}{}", dialect_.preparer().format_table(n.name, n.schema),
                                n.if_not_exists ? "IF NOT EXISTS " : "", literal(n.value));
  if (n.before && n.after) throw CompileError("add_enum_value " + n.name + ": give before or after, not both");
  if (n.before) sql += " BEFORE " + literal(*n.before);
  if (n.after) sql += " AFTER " + literal(*n.after);
  return sql;
}

std::vector<std::string> PostgreSQLDdlCompiler::visit_alter_enum_type(const AlterEnumTypeNode& n) {
  auto literal = [&](const std::string& s) { return expressions_->render_literal(Value(s), String{}); };
  const std::string type = dialect_.preparer().format_table(n.name, n.schema);
  std::set<std::string> seen;
  for (const auto& v : n.values)
    if (!seen.insert(v).second)
      throw CompileError(fmt::format("alter_enum {}: the value '{}' is given twice", n.name, v));
  // Only values added, the existing ones kept in their order: ALTER TYPE ... ADD VALUE, which
  // keeps the type and every column using it.
  if (n.existing_values) {
    const auto& existing = *n.existing_values;
    std::set<std::string> present(existing.begin(), existing.end());
    std::vector<std::string> kept;
    for (const auto& v : n.values)
      if (present.count(v)) kept.push_back(v);
    if (kept == existing) {
      std::vector<std::string> out;
      for (std::size_t i = 0; i < n.values.size(); ++i) {
        if (present.count(n.values[i])) continue;
        std::string sql = fmt::format("ALTER TYPE {} ADD VALUE {}", type, literal(n.values[i]));
        auto next = std::find_if(n.values.begin() + static_cast<std::ptrdiff_t>(i) + 1, n.values.end(),
                                 [&](const std::string& v) { return present.count(v) > 0; });
        if (next != n.values.end())
          sql += " BEFORE " + literal(*next);
        else if (i > 0)
          sql += " AFTER " + literal(n.values[i - 1]);
        out.push_back(std::move(sql));
      }
      return out;  // empty when nothing changes: the caller reports it
    }
  }
  // Values removed or reordered: the type is made again under its name, each column cast to it
  // through text (defaults, bound to the old type, dropped first and set again), the old one dropped.
  std::string old_name = n.name.substr(0, 50) + "_retort_old";
  std::vector<std::string> values;
  for (const auto& v : n.values) values.push_back(literal(v));
  std::vector<std::string> out;
  out.push_back(fmt::format("ALTER TYPE {} RENAME TO {}", type, quote(old_name)));
  out.push_back(fmt::format("CREATE TYPE {} AS ENUM ({})", type, fmt::join(values, ", ")));
  for (const auto& c : n.columns) {
    std::string alter = fmt::format("ALTER TABLE {} ALTER COLUMN {} ",
                                    dialect_.preparer().format_table(c.table.name, c.table.schema), quote(c.column));
    if (c.server_default) out.push_back(alter + "DROP DEFAULT");
    out.push_back(alter + fmt::format("TYPE {0} USING {1}::text::{0}", type, quote(c.column)));
    if (c.server_default) out.push_back(alter + "SET DEFAULT " + *c.server_default);
  }
  out.push_back("DROP TYPE " + dialect_.preparer().format_table(old_name, n.schema));
  return out;
}

std::vector<std::string> PostgreSQLDdlCompiler::post_create_statements(const Table& table) {
  std::vector<std::string> out;
  auto literal = [&](const std::string& s) { return expressions_->render_literal(Value(s), String{}); };
  if (table.comment())
    out.push_back(fmt::format("COMMENT ON TABLE {} IS {}", format_table(table), literal(*table.comment())));
  for (const auto& c : table.columns())
    if (c.comment_text())
      out.push_back(fmt::format("COMMENT ON COLUMN {}.{} IS {}", format_table(table), quote(c.name()),
                                literal(*c.comment_text())));
  return out;
}

std::vector<std::string> PostgreSQLDdlCompiler::post_drop_all_statements(const std::vector<const Table*>& tables) {
  // As SQLAlchemy does: the native enum types that create_all made go with the tables, once none
  // of them uses a type any more (a type used by a table outside the metadata makes this fail,
  // and drop_all rolls back whole).
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const Table* table : tables)
    for (const auto& c : table->columns()) {
      const auto& type = c.type();
      if (type.kind != TypeKind::Enum || type.name.empty()) continue;
      auto name = enum_type_name(*table, type);
      if (seen.insert(name).second) out.push_back("DROP TYPE IF EXISTS " + name);
    }
  return out;
}

}  // namespace retort::dialects::postgresql
