// MetaData::reflect: one Dialect::reflect_schema pass, then one Table per reflected record.
#include <retort/core/reflection/reflect_metadata.hpp>

#include <algorithm>
#include <cctype>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <retort/core/dialect.hpp>
#include <retort/core/engine/engine.hpp>
#include <retort/core/errors.hpp>

namespace retort::core {

namespace {
/// Whether a default may stay bare in DEFAULT ...: a string or number literal or one keyword
/// (NULL, CURRENT_TIMESTAMP). Anything else is an expression, which SQLite and MySQL accept only
/// in parentheses, and which SQLite reports without them.
bool bare_default(const std::string& sql) {
  if (sql.empty()) return false;
  if (sql.front() == '\'' && sql.back() == '\'' && sql.size() >= 2) {
    for (std::size_t i = 1; i + 1 < sql.size(); ++i)
      if (sql[i] == '\'' && sql[++i] != '\'') return false;  // two literals: 'a' || 'b'
    return true;
  }
  std::size_t start = sql.front() == '-' || sql.front() == '+' ? 1 : 0;
  bool number = start < sql.size();
  for (std::size_t i = start; i < sql.size(); ++i)
    if (!std::isdigit(static_cast<unsigned char>(sql[i])) && sql[i] != '.') number = false;
  if (number) return true;
  return std::all_of(sql.begin(), sql.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}
}  // namespace

ForeignKeyConstraint foreign_key_of(const ReflectedForeignKey& rf) {
  ForeignKeyConstraint fk;
  fk.columns = rf.columns;
  fk.referred_table = rf.referred_table;
  fk.referred_columns = rf.referred_columns;
  fk.name = rf.name;
  fk.ondelete = rf.ondelete;
  fk.onupdate = rf.onupdate;
  fk.deferrable = rf.deferrable;
  fk.initially = rf.initially;
  fk.match = rf.match;
  fk.referred_schema = rf.referred_schema;
  return fk;
}

Index index_of(const ReflectedIndex& ri) {
  std::vector<IndexElement> parts;
  std::size_t column = 0, expression = 0;
  for (bool is_expression : ri.element_is_expression) {  // in the index's own order, when known
    if (is_expression && expression < ri.expressions.size())
      parts.push_back(IndexElement{{}, literal_column(ri.expressions[expression++])});
    else if (!is_expression && column < ri.columns.size())
      parts.push_back(IndexElement{ri.columns[column++], std::nullopt});
  }
  for (; column < ri.columns.size(); ++column) parts.push_back(IndexElement{ri.columns[column], std::nullopt});
  for (; expression < ri.expressions.size(); ++expression)
    parts.push_back(IndexElement{{}, literal_column(ri.expressions[expression])});
  Index ix(ri.name, std::move(parts), ri.unique);
  if (ri.where) ix.where(literal_column(*ri.where));
  for (const auto& [k, v] : ri.dialect_options) ix.dialect_option(k, v);
  return ix;
}

Table& add_reflected_table(MetaData& metadata, const ReflectedTable& r) {
  std::vector<TableElement> elements;
  elements.emplace_back(TableOptions{r.schema, r.comment, r.dialect_options});
  for (const auto& rc : r.columns) {
    // A column of no declared type (SQLite allows it) is kept as an empty named type so that
    // the table still renders: `name` alone.
    SqlType type = rc.type.kind == TypeKind::Null ? SqlType(NamedType{}) : rc.type;
    Column c(rc.name, type);
    bool in_pk =
        std::find(r.primary_key.columns.begin(), r.primary_key.columns.end(), rc.name) != r.primary_key.columns.end();
    if (in_pk) c.primary_key();
    c.nullable(rc.nullable);
    c.autoincrement(rc.autoincrement);
    if (rc.default_sql && !rc.identity && !rc.computed)
      c.server_default(text(bare_default(*rc.default_sql) ? *rc.default_sql : "(" + *rc.default_sql + ")"));
    if (rc.identity) c.identity(*rc.identity);
    if (rc.computed) c.computed(*rc.computed);
    if (rc.comment) c.comment(*rc.comment);
    for (const auto& [k, v] : rc.dialect_options) c.dialect_option(k, v);
    elements.emplace_back(std::move(c));
  }
  // After the columns: fixes the key's column order and its name.
  if (!r.primary_key.columns.empty())
    elements.emplace_back(PrimaryKeyConstraint{r.primary_key.columns, r.primary_key.name});
  for (const auto& rf : r.foreign_keys) elements.emplace_back(foreign_key_of(rf));
  for (const auto& uq : r.unique_constraints) elements.emplace_back(UniqueConstraint{uq.columns, uq.name});
  for (const auto& ck : r.check_constraints) elements.emplace_back(CheckConstraint{ck.sqltext, ck.name});
  for (const auto& ri : r.indexes) elements.emplace_back(index_of(ri));
  return metadata.add_table(r.name, std::move(elements));
}

void MetaData::reflect(const Engine& engine, std::optional<std::string> schema, std::vector<std::string> only,
                       bool views) {
  auto conn = engine.connect();
  reflect(conn, std::move(schema), std::move(only), views);
}

void MetaData::reflect(Connection& conn, std::optional<std::string> schema, std::vector<std::string> only, bool views) {
  ReflectOptions options;
  options.only = only;
  options.views = views;
  const auto& dialect = conn.dialect();
  auto reflected = dialect.reflect_schema(conn.driver_connection(), schema, options);

  std::vector<std::string> missing;
  for (const auto& name : only) {
    bool found = std::any_of(reflected.tables.begin(), reflected.tables.end(),
                             [&](const ReflectedTable& t) { return t.name == name; }) ||
                 std::any_of(reflected.views.begin(), reflected.views.end(),
                             [&](const ReflectedView& v) { return v.name == name; });
    if (!found) missing.push_back(name);
  }
  if (!missing.empty())
    throw NoSuchTableError(fmt::format("cannot reflect {} from schema '{}': no such table(s)", fmt::join(missing, ", "),
                                       schema.value_or(reflected.schema.value_or(""))));

  for (const auto& t : reflected.tables) {
    std::string key = t.schema ? *t.schema + "." + t.name : t.name;
    if (!contains(key)) add_reflected_table(*this, t);
  }
  if (!views) return;
  // Views carry no column records: their result columns are read from an empty SELECT.
  for (const auto& v : reflected.views) {
    std::string key = v.schema ? *v.schema + "." + v.name : v.name;
    if (contains(key) || (!only.empty() && std::find(only.begin(), only.end(), v.name) == only.end())) continue;
    auto result =
        conn.exec_driver_sql("SELECT * FROM " + dialect.preparer().format_table(v.name, v.schema) + " WHERE 1 = 0");
    std::vector<TableElement> elements;
    elements.emplace_back(TableOptions{v.schema, {}, {}});
    for (const auto& k : result.keys()) elements.emplace_back(Column(k, NamedType{}));
    add_table(v.name, std::move(elements));
  }
}

}  // namespace retort::core
