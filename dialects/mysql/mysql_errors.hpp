// The error recorded on a MariaDB Connector/C connection handle, raised as a DBAPIError (the
// mapping of error numbers to exception classes is raise_mysql_error, in mysql_driver.hpp).
#pragma once

#include <string>

#include <retort/dialects/mysql/mariadb_api.hpp>

namespace retort::dialects::mysql::detail {

/// Throws the DBAPIError for the last error on `db`, with its number, message and SQLSTATE.
[[noreturn]] void raise_connection_error(MYSQL* db, const std::string& sql);

}  // namespace retort::dialects::mysql::detail
