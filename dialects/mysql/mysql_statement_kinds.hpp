// What the first keyword of a MySQL statement says about how to run it: prepared and kept in the
// statement cache, prepared for one use, or sent as plain text.
#pragma once

#include <string>
#include <string_view>

namespace retort::dialects::mysql::detail {

/// The first word of a statement, upper-cased, after blanks, comments and '('.
std::string first_keyword(std::string_view sql);

/// Statements worth keeping prepared: those an application runs again and again.
bool cacheable(const std::string& keyword);

/// Parameterless statements sent as plain text: transaction control and session settings (run
/// around every transaction, where prepare + execute + close would triple the round trips), and
/// DDL (never repeated, and some of it cannot be prepared on older servers).
bool text_protocol(const std::string& keyword);

}  // namespace retort::dialects::mysql::detail
