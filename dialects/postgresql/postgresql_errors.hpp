// Reading libpq's errors: the SQLSTATE and message of a failed result or connection, raised as a
// DBAPIError (the SQLSTATE mapping itself is raise_postgresql_error, in postgresql_driver.hpp).
#pragma once

#include <string>
#include <utility>

#include <retort/dialects/postgresql/libpq_api.hpp>

namespace retort::dialects::postgresql::detail {

/// libpq's multi-line messages as one line.
std::string one_line(const std::string& text);

/// The error of a failed result: "message\nDETAIL: ...\nHINT: ..." and its SQLSTATE, as
/// (sqlstate, message); without a result, the connection's last error.
std::pair<std::string, std::string> describe_error(const PGresult* res, PGconn* conn);

/// Throws the DBAPIError for `res` (or, when null, the last error on `conn`); a
/// DisconnectionError when `conn` is missing or broken.
[[noreturn]] void raise_result_error(const PGresult* res, PGconn* conn, const std::string& sql);

}  // namespace retort::dialects::postgresql::detail
