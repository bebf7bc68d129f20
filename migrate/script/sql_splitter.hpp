// Splits SQL text into statements at top-level semicolons, respecting quotes ('', "", ``),
// comments (--, /* */), PostgreSQL dollar quoting ($$ / $tag$) and trigger bodies
// (CREATE TRIGGER ... BEGIN ... END).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace retort::migrate {

struct SqlStatement {
  std::string text{};  // without the terminating semicolon, trimmed
  int line{};          // 1-based line of its first character in the text given
};

/// `first_line` is the line number of the text's first character (for error messages).
/// `backslash_escapes`: whether a backslash escapes a quote inside '...' (MySQL's default);
/// PostgreSQL E'...' strings honour backslashes either way, standard strings never do.
/// Statements holding only comments are dropped. Throws ScriptError for an unterminated
/// quote, comment or dollar-quoted string, naming its line.
std::vector<SqlStatement> split_sql(std::string_view sql, int first_line = 1, const std::string& source_name = "<sql>",
                                    bool backslash_escapes = false);

}  // namespace retort::migrate
