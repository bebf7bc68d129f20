// One difference between declared metadata and a reflected schema, as data: which table, which
// object in it, and what about it differs (autogenerate turns these into operations). describe()
// is the one place that turns a difference into a sentence.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include <fmt/format.h>

namespace retort::core {

/// EnumType: a named enum type (PostgreSQL), compared through the columns that use it. View: a
/// view, compared as normalised SQL (view_text). Their differences have no table; `name` is the
/// type's or the view's.
enum class SchemaObject {
  Table,
  Column,
  PrimaryKey,
  ForeignKey,
  UniqueConstraint,
  CheckConstraint,
  Index,
  EnumType,
  View
};

enum class SchemaChange {
  Missing,  // declared, not in the database
  Extra,    // in the database, not declared
  Changed,  // in both, an attribute differs
};

struct SchemaDifference {
  SchemaChange change = SchemaChange::Changed;
  SchemaObject object = SchemaObject::Table;
  std::string table{};      // the table's full name (schema.name); empty for an enum type
  std::string name{};       // the object: column name, constraint or index name, or its columns and target
  std::string attribute{};  // Changed: what differs ("type", "nullable", "default", "ON DELETE", ...)
  std::optional<std::string> declared{};  // Changed: the two values as text, where there are values
  std::optional<std::string> reflected{};
  std::string note{};  // Changed without values: a fixed statement ("identity declared, not reflected")
  /// Where the object is, for a program that acts on the difference (autogenerate): its position
  /// in the declared list (MetaData::tables(), or the table's columns(), foreign_keys(),
  /// unique_constraints(), check_constraints(), indexes()) and in the reflected one (the schema's
  /// tables, or the table's columns, foreign_keys, ...). Unset where there is no such object.
  std::optional<std::size_t> declared_position{};
  std::optional<std::size_t> reflected_position{};
};

/// "table users: column email: type VARCHAR(100) declared, VARCHAR(50) reflected".
std::string describe(const SchemaDifference& difference);

}  // namespace retort::core

template <>
struct fmt::formatter<retort::core::SchemaDifference> : fmt::formatter<std::string> {
  template <class Context>
  auto format(const retort::core::SchemaDifference& d, Context& ctx) const {
    return fmt::formatter<std::string>::format(retort::core::describe(d), ctx);
  }
};
