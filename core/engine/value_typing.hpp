// Result values that follow the declared SQL type of their column, whatever the backend: a
// Boolean is a bool (SQLite and MariaDB send 0/1), a Numeric is exact decimal text with the
// column's scale (SQLite sends a double, PostgreSQL and MariaDB text), and Date, Time and
// DateTime are canonical text ("2024-02-29 13:45:00"). What the driver sent stays reachable as
// Row::raw().
#pragma once

#include <optional>

#include <retort/core/types.hpp>
#include <retort/core/value.hpp>

namespace retort::core {

/// `value` in the form `type` promises; nothing where it is in that form already, where the
/// type promises nothing (NullType, Text, a named type), or where the value cannot be read as
/// the type (it is then left as the database sent it).
std::optional<Value> conformed_to_type(const Value& value, const SqlType& type);
/// Whether values of `type` may need conforming at all (a row of none skips the work).
bool type_conforms_values(const SqlType& type);

}  // namespace retort::core
