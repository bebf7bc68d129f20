// The keywords that choose how a MySQL statement runs (see mysql_statement_kinds.hpp).
#include <retort/core/text.hpp>
#include <retort/dialects/mysql/mysql_statement_kinds.hpp>

#include <algorithm>
#include <cctype>
#include <iterator>

namespace retort::dialects::mysql::detail {

std::string first_keyword(std::string_view sql) {
  std::size_t i = 0;
  while (i < sql.size()) {
    char c = sql[i];
    if (std::isspace(static_cast<unsigned char>(c)) || c == '(') {
      ++i;
    } else if (sql.substr(i, 2) == "--" || c == '#') {
      while (i < sql.size() && sql[i] != '\n') ++i;
    } else if (sql.substr(i, 2) == "/*") {
      auto end = sql.find("*/", i + 2);
      i = end == std::string_view::npos ? sql.size() : end + 2;
    } else {
      break;
    }
  }
  std::string word;
  while (i < sql.size() && std::isalpha(static_cast<unsigned char>(sql[i]))) word += core::ascii_upper(sql[i++]);
  return word;
}

bool cacheable(const std::string& keyword) {
  static const char* const words[] = {"SELECT", "INSERT", "UPDATE", "DELETE", "REPLACE", "WITH", "VALUES"};
  return std::find(std::begin(words), std::end(words), keyword) != std::end(words);
}

bool text_protocol(const std::string& keyword) {
  static const char* const words[] = {"START",  "BEGIN",    "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "SET",
                                      "USE",    "LOCK",     "UNLOCK", "XA",       "CREATE",    "DROP",    "ALTER",
                                      "RENAME", "TRUNCATE", "GRANT",  "REVOKE",   "FLUSH"};
  return std::find(std::begin(words), std::end(words), keyword) != std::end(words);
}

}  // namespace retort::dialects::mysql::detail
