// Plain records of what a database holds, as reflection reads them: tables with their columns,
// keys, indexes and constraints; views; sequences; enum types. Dialects fill them from their
// catalogs in one batched pass per schema; the Inspector and MetaData::reflect read them.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <retort/core/schema/column.hpp>
#include <retort/core/types.hpp>

namespace retort::core {

struct ReflectedColumn {
  std::string name{};
  SqlType type{};  // generic where it round-trips, else a NamedType
  bool nullable = true;
  std::optional<std::string> default_sql{};  // the server default as SQL text, as the database shows it
  bool autoincrement = false;                // SERIAL / AUTO_INCREMENT / INTEGER PRIMARY KEY rowid alias
  std::optional<Identity> identity{};        // GENERATED ... AS IDENTITY
  std::optional<Computed> computed{};        // GENERATED ALWAYS AS (...)
  std::optional<std::string> comment{};
  std::map<std::string, std::string> dialect_options{};  // e.g. mysql_on_update
};

struct ReflectedPrimaryKey {
  std::string name{};  // empty where the database does not name it (SQLite)
  std::vector<std::string> columns{};
};

struct ReflectedForeignKey {
  std::string name{};
  std::vector<std::string> columns{};
  std::optional<std::string> referred_schema{};
  std::string referred_table{};
  std::vector<std::string> referred_columns{};
  std::string ondelete{};  // empty for NO ACTION (the default)
  std::string onupdate{};
  std::optional<bool> deferrable{};
  std::string initially{};
  std::string match{};  // FULL or PARTIAL; empty for the default, SIMPLE
};

struct ReflectedIndex {
  std::string name{};
  std::vector<std::string> columns{};      // plain columns, in order (expressions left out)
  std::vector<std::string> expressions{};  // SQL of expression elements, in order
  // Where they interleave: element i of the index is the next expression when
  // element_is_expression[i], else the next column (empty when not known: columns first).
  std::vector<bool> element_is_expression{};
  bool unique = false;
  std::optional<std::string> where{};                    // partial index condition
  std::map<std::string, std::string> dialect_options{};  // e.g. postgresql_using
};

struct ReflectedUniqueConstraint {
  std::string name{};
  std::vector<std::string> columns{};
};

struct ReflectedCheckConstraint {
  std::string name{};
  std::string sqltext{};
};

struct ReflectedTable {
  std::optional<std::string> schema{};
  std::string name{};
  std::optional<std::string> comment{};
  std::vector<ReflectedColumn> columns{};
  ReflectedPrimaryKey primary_key{};
  std::vector<ReflectedForeignKey> foreign_keys{};
  std::vector<ReflectedIndex> indexes{};  // not those that back a unique/primary constraint
  std::vector<ReflectedUniqueConstraint> unique_constraints{};
  std::vector<ReflectedCheckConstraint> check_constraints{};
  std::map<std::string, std::string> dialect_options{};  // e.g. mysql_engine
};

struct ReflectedView {
  std::optional<std::string> schema{};
  std::string name{};
  std::string definition{};
};

struct ReflectedSequence {
  std::optional<std::string> schema{};
  std::string name{};
  std::optional<std::int64_t> start{};
  std::optional<std::int64_t> increment{};
};

struct ReflectedEnum {
  std::optional<std::string> schema{};
  std::string name{};
  std::vector<std::string> values{};
};

/// Everything in one schema, read in one batched pass.
struct ReflectedSchema {
  /// The schema read; for the default pass, the default schema's own name where the database
  /// has one (SQLite "main"), while its tables keep `schema` empty (unqualified).
  std::optional<std::string> schema{};
  std::vector<ReflectedTable> tables{};  // sorted by name
  std::vector<ReflectedView> views{};
  std::vector<ReflectedSequence> sequences{};
  std::vector<ReflectedEnum> enums{};
  /// Other schemas whose tables were read whole too (autogenerate's `schemas`): their tables
  /// carry `schema`, and a declared table in one of them is compared with them.
  std::vector<std::string> other_schemas{};
  std::size_t queries = 0;  // catalog queries sent to build it (reflection must stay batched)
};

/// What to read: `only` limits tables (empty: all); views are read when asked.
struct ReflectOptions {
  std::vector<std::string> only{};
  bool views = true;
};

}  // namespace retort::core
