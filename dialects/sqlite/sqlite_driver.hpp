// The SQLite driver over the sqlite3 C API: connections with a prepared-statement cache,
// streaming cursors, and SQLite result codes mapped to the DBAPIError hierarchy.
#pragma once

#include <memory>
#include <string>

#include <retort/core/driver.hpp>

struct sqlite3;

namespace retort::dialects::sqlite {

struct SQLiteOptions {
  std::string path{};          // file name, or ":memory:"
  bool foreign_keys = true;    // PRAGMA foreign_keys
  int busy_timeout_ms = 5000;  // wait this long on a locked database before SQLITE_BUSY
  std::string journal_mode{};  // e.g. "wal"; empty keeps the database's mode
  std::string synchronous{};   // e.g. "normal"; empty keeps the default
  bool read_only = false;
  bool uri = false;  // path is a file: URI
};

/// Opens a connection. Throws OperationalError naming the file when it cannot be opened.
std::unique_ptr<core::DriverConnection> open_sqlite(const SQLiteOptions& options);

/// Throws the DBAPIError subclass for an SQLite result code.
[[noreturn]] void raise_sqlite_error(int code, const std::string& message, const std::string& sql);

}  // namespace retort::dialects::sqlite
