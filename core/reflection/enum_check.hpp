// The CHECK an Enum column brings where the database has no enum type of its own (SQLite:
// `status IN ('draft', 'done')`), recognised in reflected SQL. Such a CHECK belongs to the
// column's type, as in SQLAlchemy: batch mode drops it with the column or when the type changes,
// and autogenerate turns a change of it into a change of the column's type.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace retort::core {

/// The values of `condition` when it is `column IN ('a', 'b', ...)` (the column quoted or not,
/// in optional parentheses); none otherwise.
std::optional<std::vector<std::string>> enum_check_values(std::string_view condition, std::string_view column);

/// Whether `condition` names `column` (quoted or not) outside its string literals.
bool check_mentions(std::string_view condition, std::string_view column);

}  // namespace retort::core
