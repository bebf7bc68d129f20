// The PostgreSQL driver over libpq: connections with a bounded cache of prepared statements,
// cursors streaming in single-row mode, executemany in one pipeline, and SQLSTATEs mapped to
// the DBAPIError hierarchy.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <retort/core/driver.hpp>

namespace retort::dialects::postgresql {

struct PostgreSQLOptions {
  /// libpq connection keywords and values (host, port, user, password, dbname, sslmode, ...).
  std::vector<std::pair<std::string, std::string>> parameters{};
  /// Where the connection goes, for messages: "127.0.0.1:5432/app as user bob" (no password).
  std::string description{};
  /// Prepared statements kept per connection (least recently used ones are deallocated).
  std::size_t statement_cache_size = 128;
};

/// Opens a connection. Throws OperationalError with a one-line, password-free message when the
/// server cannot be reached or refuses the login.
std::unique_ptr<core::DriverConnection> open_postgresql(const PostgreSQLOptions& options);

/// Throws the DBAPIError subclass for a SQLSTATE (class 23 IntegrityError, 42 ProgrammingError,
/// 22 DataError, 08 / 57P0x / `connection_lost` DisconnectionError, 40 OperationalError, ...).
[[noreturn]] void raise_postgresql_error(const std::string& sqlstate, const std::string& message,
                                         const std::string& statement, bool connection_lost = false);

}  // namespace retort::dialects::postgresql
