// What the first keyword of a PostgreSQL statement says about how to run it: prepared and cached,
// its rows streamed, or followed by a reset of the cached plans.
#pragma once

#include <string>
#include <string_view>

namespace retort::dialects::postgresql::detail {

/// The first keyword of a statement, upper-cased, after blanks and comments ("(" for a
/// parenthesised query).
std::string first_keyword(std::string_view sql);

/// Statements worth preparing once and reusing.
bool is_preparable(const std::string& keyword);

/// Statements whose rows are streamed (DML with RETURNING is read whole, so that its row count
/// is known when execute() returns).
bool is_streaming(const std::string& keyword);

/// Statements after which cached plans may see different tables or types.
bool changes_schema(const std::string& keyword);

}  // namespace retort::dialects::postgresql::detail
