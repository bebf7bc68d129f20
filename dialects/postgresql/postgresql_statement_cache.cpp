// The PostgreSQL statement cache (see postgresql_statement_cache.hpp): PQprepare on a miss,
// DEALLOCATE for the statements it drops.
#include <retort/dialects/postgresql/postgresql_statement_cache.hpp>

#include <utility>

#include <fmt/format.h>

#include <retort/dialects/postgresql/postgresql_errors.hpp>
#include <retort/dialects/postgresql/postgresql_handles.hpp>

namespace retort::dialects::postgresql::detail {

std::string StatementCache::prepared(PGconn* conn, const std::string& sql, const std::vector<Oid>& types) {
  std::string key = sql;
  key += '\0';
  key.append(reinterpret_cast<const char*>(types.data()), types.size() * sizeof(Oid));
  auto it = prepared_.find(key);
  if (it != prepared_.end()) {
    lru_.splice(lru_.begin(), lru_, it->second.position);
    return it->second.name;
  }
  std::string name = fmt::format("retort_{}", ++statement_counter_);
  ResultPtr res{libpq().PQprepare(conn, name.c_str(), sql.c_str(), static_cast<int>(types.size()),
                                  types.empty() ? nullptr : types.data())};
  if (!res || libpq().PQresultStatus(res.get()) != PGRES_COMMAND_OK) raise_result_error(res.get(), conn, sql);
  lru_.push_front(key);
  prepared_.emplace(std::move(key), Prepared{name, lru_.begin()});
  while (prepared_.size() > capacity_ && !lru_.empty()) {
    auto victim = prepared_.find(lru_.back());
    lru_.pop_back();
    // A failed DEALLOCATE (in an aborted transaction) only leaves the statement unused.
    ResultPtr dealloc{libpq().PQexec(conn, ("DEALLOCATE " + victim->second.name).c_str())};
    prepared_.erase(victim);
  }
  return name;
}

void StatementCache::forget(PGconn* conn) {
  if (prepared_.empty()) return;
  prepared_.clear();
  lru_.clear();
  if (conn && libpq().PQtransactionStatus(conn) != PQTRANS_INERROR) {
    ResultPtr res{libpq().PQexec(conn, "DEALLOCATE ALL")};
  }
}

void StatementCache::clear() {
  prepared_.clear();
  lru_.clear();
}

}  // namespace retort::dialects::postgresql::detail
