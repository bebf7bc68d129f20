// The keywords that choose how a PostgreSQL statement runs (see postgresql_statement_kinds.hpp).
#include <retort/core/text.hpp>
#include <retort/dialects/postgresql/postgresql_statement_kinds.hpp>

#include <cctype>
#include <cstddef>

namespace retort::dialects::postgresql::detail {

std::string first_keyword(std::string_view sql) {
  std::size_t i = 0;
  while (i < sql.size()) {
    if (std::isspace(static_cast<unsigned char>(sql[i]))) {
      ++i;
    } else if (sql.substr(i, 2) == "--") {
      while (i < sql.size() && sql[i] != '\n') ++i;
    } else if (sql.substr(i, 2) == "/*") {
      auto end = sql.find("*/", i + 2);
      i = end == std::string_view::npos ? sql.size() : end + 2;
    } else {
      break;
    }
  }
  if (i < sql.size() && sql[i] == '(') return "(";
  std::string word;
  while (i < sql.size() && std::isalpha(static_cast<unsigned char>(sql[i]))) word += core::ascii_upper(sql[i++]);
  return word;
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
