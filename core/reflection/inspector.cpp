// The Inspector: every question is answered from one cached Dialect::reflect_schema pass per
// schema, so asking for the columns of 500 tables costs the same few catalog queries as one.
#include <retort/core/reflection/inspector.hpp>

#include <algorithm>

#include <retort/core/dialect.hpp>
#include <retort/core/engine/engine.hpp>
#include <retort/core/errors.hpp>

namespace retort::core {

Inspector::Inspector(Connection& connection) : connection_(&connection) {}

Inspector::Inspector(const Engine& engine) : owned_(engine.connect()), connection_(&*owned_) {}

std::vector<std::string> Inspector::get_schema_names() {
  return connection_->dialect().schema_names(connection_->driver_connection());
}

// The default pass reports the schema it read (SQLite "main", PostgreSQL the first schema of
// the search_path, MySQL the current database).
std::string Inspector::default_schema_name() { return reflect().schema.value_or(""); }

const ReflectedSchema& Inspector::reflect(const std::optional<std::string>& schema) {
  std::string key = schema.value_or("");
  auto it = cache_.find(key);
  if (it != cache_.end()) return it->second;
  ReflectOptions options;
  options.views = true;
  auto reflected = connection_->dialect().reflect_schema(connection_->driver_connection(), schema, options);
  return cache_.emplace(key, std::move(reflected)).first->second;
}

std::vector<std::string> Inspector::get_table_names(const std::optional<std::string>& schema) {
  std::vector<std::string> names;
  for (const auto& t : reflect(schema).tables) names.push_back(t.name);
  return names;
}

std::vector<std::string> Inspector::get_view_names(const std::optional<std::string>& schema) {
  std::vector<std::string> names;
  for (const auto& v : reflect(schema).views) names.push_back(v.name);
  return names;
}

std::string Inspector::get_view_definition(const std::string& view, const std::optional<std::string>& schema) {
  for (const auto& v : reflect(schema).views)
    if (v.name == view) return v.definition;
  throw NoSuchTableError("no view '" + view + "' in schema '" + schema.value_or(reflect(schema).schema.value_or("")) +
                         "'");
}

bool Inspector::has_table(const std::string& table, const std::optional<std::string>& schema) {
  const auto& tables = reflect(schema).tables;
  return std::any_of(tables.begin(), tables.end(), [&](const ReflectedTable& t) { return t.name == table; });
}

const ReflectedTable& Inspector::get_table(const std::string& table, const std::optional<std::string>& schema) {
  const auto& reflected = reflect(schema);
  for (const auto& t : reflected.tables)
    if (t.name == table) return t;
  std::string in = schema.value_or(reflected.schema.value_or(""));
  throw NoSuchTableError("no table '" + table + "' in schema '" + in +
                         "' (check the name's case and the schema, or call clear_cache() after DDL)");
}

const std::vector<ReflectedColumn>& Inspector::get_columns(const std::string& table,
                                                           const std::optional<std::string>& schema) {
  return get_table(table, schema).columns;
}

const ReflectedPrimaryKey& Inspector::get_pk_constraint(const std::string& table,
                                                        const std::optional<std::string>& schema) {
  return get_table(table, schema).primary_key;
}

const std::vector<ReflectedForeignKey>& Inspector::get_foreign_keys(const std::string& table,
                                                                    const std::optional<std::string>& schema) {
  return get_table(table, schema).foreign_keys;
}

const std::vector<ReflectedIndex>& Inspector::get_indexes(const std::string& table,
                                                          const std::optional<std::string>& schema) {
  return get_table(table, schema).indexes;
}

const std::vector<ReflectedUniqueConstraint>& Inspector::get_unique_constraints(
    const std::string& table, const std::optional<std::string>& schema) {
  return get_table(table, schema).unique_constraints;
}

const std::vector<ReflectedCheckConstraint>& Inspector::get_check_constraints(
    const std::string& table, const std::optional<std::string>& schema) {
  return get_table(table, schema).check_constraints;
}

std::optional<std::string> Inspector::get_table_comment(const std::string& table,
                                                        const std::optional<std::string>& schema) {
  return get_table(table, schema).comment;
}

std::vector<std::string> Inspector::get_sequence_names(const std::optional<std::string>& schema) {
  std::vector<std::string> names;
  for (const auto& s : reflect(schema).sequences) names.push_back(s.name);
  return names;
}

std::vector<ReflectedEnum> Inspector::get_enums(const std::optional<std::string>& schema) {
  return reflect(schema).enums;
}

}  // namespace retort::core
