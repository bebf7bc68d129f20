// The prepared statements of one PostgreSQL connection, one per distinct SQL text and parameter
// types (named retort_<n>); the least recently used ones are deallocated when the cache is full.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <string>
#include <unordered_map>
#include <vector>

#include <retort/dialects/postgresql/libpq_api.hpp>

namespace retort::dialects::postgresql::detail {

class StatementCache {
 public:
  /// Keeps at most `capacity` prepared statements.
  explicit StatementCache(std::size_t capacity) : capacity_(capacity) {}

  /// The name of the prepared statement for (sql, types) on `conn`, preparing it when new.
  std::string prepared(PGconn* conn, const std::string& sql, const std::vector<Oid>& types);
  /// Forgets every statement, deallocating them on `conn` (when given) unless its transaction
  /// has failed.
  void forget(PGconn* conn);
  /// Forgets every statement without telling the server (its connection is closed).
  void clear();

 private:
  struct Prepared {
    std::string name{};
    std::list<std::string>::iterator position{};  // in lru_
  };
  std::size_t capacity_;
  std::unordered_map<std::string, Prepared> prepared_;  // key: sql + '\0' + parameter types
  std::list<std::string> lru_;                          // keys, most recently used first
  std::uint64_t statement_counter_ = 0;
};

}  // namespace retort::dialects::postgresql::detail
