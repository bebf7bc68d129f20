// The server-side prepared statements of one MySQL connection kept for reuse, keyed by SQL text
// (least recently used ones are closed); a statement in use by an open cursor is out of the cache,
// so it is not handed out again until the cursor gives it back.
#pragma once

#include <cstddef>
#include <list>
#include <string>
#include <unordered_map>
#include <utility>

#include <retort/dialects/mysql/mariadb_api.hpp>
#include <retort/dialects/mysql/mysql_handles.hpp>

namespace retort::dialects::mysql::detail {

class StatementCache {
 public:
  /// Keeps at most `capacity` idle statements (0: none).
  explicit StatementCache(std::size_t capacity) : capacity_(capacity) {}

  /// A prepared statement for `sql` on `db` (cached or new); nullptr when the server cannot
  /// prepare it. Throws the server's error otherwise.
  StatementPtr acquire(MYSQL* db, const std::string& sql);
  /// Takes an idle statement back: cached for reuse when worth it, else closed.
  void put(StatementPtr stmt, const std::string& sql);
  /// Closes every idle statement.
  void clear();

 private:
  std::size_t capacity_;
  // Idle prepared statements, most recently used first, and an index by SQL text.
  std::list<std::pair<std::string, StatementPtr>> lru_;
  std::unordered_map<std::string, std::list<std::pair<std::string, StatementPtr>>::iterator> index_;
};

}  // namespace retort::dialects::mysql::detail
