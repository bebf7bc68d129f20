// The keywords that choose how a MySQL statement runs (see mysql_statement_kinds.hpp).
#include <retort/core/text.hpp>
#include <retort/dialects/mysql/mysql_statement_kinds.hpp>

#include <algorithm>
#include <cctype>
#include <iterator>

namespace retort::dialects::mysql::detail {

std::string first_keyword(std::string_view sql) {
  std::size_t i = core::skip_blanks_and_comments(sql, 0, true);
  while (i < sql.size() && sql[i] == '(') i = core::skip_blanks_and_comments(sql, i + 1, true);
  return core::leading_word(sql, i);
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
