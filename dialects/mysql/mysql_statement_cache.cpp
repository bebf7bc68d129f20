// The MySQL statement cache (see mysql_statement_cache.hpp): preparing on a miss, with one retry
// when the server-wide limit of prepared statements is reached.
#include <retort/dialects/mysql/mysql_statement_cache.hpp>

#include <retort/dialects/mysql/mysql_driver.hpp>
#include <retort/dialects/mysql/mysql_errors.hpp>
#include <retort/dialects/mysql/mysql_statement_kinds.hpp>

namespace retort::dialects::mysql::detail {

StatementPtr StatementCache::acquire(MYSQL* db, const std::string& sql) {
  if (auto it = index_.find(sql); it != index_.end()) {
    StatementPtr stmt = std::move(it->second->second);
    lru_.erase(it->second);
    index_.erase(it);
    return stmt;
  }
  for (int attempt = 0;; ++attempt) {
    StatementPtr stmt{mariadb().mysql_stmt_init(db)};
    if (!stmt) raise_connection_error(db, sql);
    if (mariadb().mysql_stmt_prepare(stmt.get(), sql.data(), sql.size()) == 0) return stmt;
    unsigned code = mariadb().mysql_stmt_errno(stmt.get());
    std::string message = mariadb().mysql_stmt_error(stmt.get());
    std::string state = mariadb().mysql_stmt_sqlstate(stmt.get());
    stmt.reset();
    if (code == 1295) return nullptr;  // ER_UNSUPPORTED_PS: run it as text
    // ER_MAX_PREPARED_STMT_COUNT_REACHED: the server-wide limit; give ours back and retry once.
    if (code == 1461 && attempt == 0 && !lru_.empty()) {
      clear();
      continue;
    }
    raise_mysql_error(code, message, state, sql);
  }
}

void StatementCache::put(StatementPtr stmt, const std::string& sql) {
  if (capacity_ == 0 || !cacheable(first_keyword(sql)) || index_.count(sql)) return;  // closes `stmt`
  lru_.emplace_front(sql, std::move(stmt));
  index_.emplace(sql, lru_.begin());
  while (lru_.size() > capacity_) {
    index_.erase(lru_.back().first);
    lru_.pop_back();  // closes the statement
  }
}

void StatementCache::clear() {
  lru_.clear();  // closes the statements
  index_.clear();
}

}  // namespace retort::dialects::mysql::detail
