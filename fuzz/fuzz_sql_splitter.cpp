// The SQL splitter (migrate/script/sql_splitter.hpp) on any text, with and without backslash
// escapes. ScriptError (an unterminated quote, comment or dollar quote) is the documented answer;
// each statement must be a trimmed, non-empty piece of the input, its lines in order and in range.
#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <retort/migrate/errors.hpp>
#include <retort/migrate/script/sql_splitter.hpp>

namespace migrate = retort::migrate;

namespace {

void split_and_check(std::string_view sql, bool backslash_escapes) {
  constexpr int kFirstLine = 7;
  std::vector<migrate::SqlStatement> statements;
  try {
    statements = migrate::split_sql(sql, kFirstLine, "<fuzz>", backslash_escapes);
  } catch (const migrate::ScriptError&) {
    return;
  }
  const int last_line = kFirstLine + static_cast<int>(std::count(sql.begin(), sql.end(), '\n'));
  int previous = kFirstLine;
  for (const auto& s : statements) {
    if (s.text.empty() || std::isspace(static_cast<unsigned char>(s.text.front())) ||
        std::isspace(static_cast<unsigned char>(s.text.back())))
      std::abort();                                                // not trimmed
    if (sql.find(s.text) == std::string_view::npos) std::abort();  // not a piece of the input
    if (s.line < previous || s.line > last_line) std::abort();
    previous = s.line;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view sql(reinterpret_cast<const char*>(data), size);
  split_and_check(sql, false);
  split_and_check(sql, true);
  return 0;
}
