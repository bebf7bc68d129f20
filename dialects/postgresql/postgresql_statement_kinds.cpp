// The keywords that choose how a PostgreSQL statement runs (see postgresql_statement_kinds.hpp).
#include <retort/core/text.hpp>
#include <retort/dialects/postgresql/postgresql_statement_kinds.hpp>

#include <cctype>
#include <cstddef>

namespace retort::dialects::postgresql::detail {

std::string first_keyword(std::string_view sql) {
  std::size_t i = core::skip_blanks_and_comments(sql);
  if (i < sql.size() && sql[i] == '(') return "(";
  return core::leading_word(sql, i);
}

bool is_preparable(const std::string& keyword) {
  return keyword == "SELECT" || keyword == "INSERT" || keyword == "UPDATE" || keyword == "DELETE" ||
         keyword == "WITH" || keyword == "VALUES" || keyword == "TABLE" || keyword == "MERGE" || keyword == "(";
}

bool is_streaming(const std::string& keyword) {
  return keyword == "SELECT" || keyword == "WITH" || keyword == "VALUES" || keyword == "TABLE" || keyword == "(";
}

bool changes_schema(const std::string& keyword) {
  return keyword == "CREATE" || keyword == "ALTER" || keyword == "DROP" || keyword == "DO" || keyword == "SET" ||
         keyword == "RESET" || keyword == "DISCARD";
}

}  // namespace retort::dialects::postgresql::detail
