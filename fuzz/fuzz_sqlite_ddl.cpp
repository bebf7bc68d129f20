// The SQLite DDL reader (dialects/sqlite/sqlite_ddl_parser.hpp) on any text: documented to leave
// fields empty for shapes it does not know, never to throw, so any exception is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <retort/dialects/sqlite/sqlite_ddl_parser.hpp>

namespace sqlite = retort::dialects::sqlite;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view sql(reinterpret_cast<const char*>(data), size);
  for (const auto& token : sqlite::tokenize_sql(sql))
    if (token.begin > token.end || token.end > sql.size()) std::abort();  // offsets outside the text
  (void)sqlite::parse_create_table(sql);
  (void)sqlite::parse_create_index(sql);
  (void)sqlite::parse_view_definition(sql);
  (void)sqlite::strip_outer_parentheses(sql);
  return 0;
}
