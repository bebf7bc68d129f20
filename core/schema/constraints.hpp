// Table-level constraints and indexes, as plain declarations. Names may be left empty; the
// MetaData's naming convention (naming.hpp) fills them in when the table is built.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <retort/core/sql/elements.hpp>

namespace retort::core {

struct PrimaryKeyConstraint {
  std::vector<std::string> columns{};
  std::string name{};
};

struct ForeignKeyConstraint {
  std::vector<std::string> columns{};
  std::string referred_table{};
  std::vector<std::string> referred_columns{};
  std::string name{};
  std::string ondelete{};  // CASCADE, SET NULL, RESTRICT, NO ACTION, SET DEFAULT; empty = none
  std::string onupdate{};
  std::optional<bool> deferrable{};
  std::string initially{};  // DEFERRED or IMMEDIATE
  std::optional<std::string> referred_schema{};
  std::string match{};  // FULL, PARTIAL or SIMPLE; empty = the database's default (SIMPLE)
  /// Created by a separate ALTER TABLE after both tables exist (set for dependency cycles).
  bool use_alter = false;
};

struct UniqueConstraint {
  std::vector<std::string> columns{};
  std::string name{};
};

struct CheckConstraint {
  std::string sqltext{};  // the condition, as SQL
  std::string name{};
};

/// An index element: a column name, or an expression such as lower(name).
struct IndexElement {
  std::string column{};
  std::optional<Expr> expression{};
};

struct Index {
  Index(std::string name, std::vector<std::string> columns, bool unique = false);
  Index(std::string name, std::vector<IndexElement> elements, bool unique = false);

  /// Makes this a partial index: CREATE INDEX ... WHERE condition.
  Index& where(Expr condition);
  /// A dialect option, e.g. {"postgresql_using", "gin"}.
  Index& dialect_option(std::string key, std::string value);

  std::string name;
  std::vector<IndexElement> elements;
  bool unique = false;
  std::optional<Expr> where_clause;
  std::map<std::string, std::string> dialect_options;

  /// Column names of the plain-column elements, in order.
  std::vector<std::string> column_names() const;
};

}  // namespace retort::core
