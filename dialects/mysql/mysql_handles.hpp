// Owners of MariaDB Connector/C handles (a MYSQL connection, a MYSQL_STMT prepared statement, a
// MYSQL_RES result set), each freed exactly once through the loaded function table.
#pragma once

#include <memory>

#include <retort/dialects/mysql/mariadb_api.hpp>

namespace retort::dialects::mysql::detail {

struct ConnectionCloser {
  void operator()(MYSQL* db) const noexcept { mariadb().mysql_close(db); }
};
using ConnectionPtr = std::unique_ptr<MYSQL, ConnectionCloser>;

struct StatementCloser {
  void operator()(MYSQL_STMT* stmt) const noexcept { mariadb().mysql_stmt_close(stmt); }
};
using StatementPtr = std::unique_ptr<MYSQL_STMT, StatementCloser>;

struct ResultFreer {
  void operator()(MYSQL_RES* res) const noexcept { mariadb().mysql_free_result(res); }
};
using ResultPtr = std::unique_ptr<MYSQL_RES, ResultFreer>;

}  // namespace retort::dialects::mysql::detail
