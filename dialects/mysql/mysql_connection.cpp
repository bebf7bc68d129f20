// MariaDB Connector/C connections. Statements with parameters (and every SELECT/DML) run as
// server-side prepared statements from the connection's statement cache; transaction control,
// session settings and DDL without parameters go as plain text. open_mysql connects.
#include <retort/dialects/mysql/mysql_connection.hpp>

#include <retort/dialects/mysql/mysql_driver.hpp>

#include <mutex>
#include <optional>

#include <fmt/format.h>

#include <retort/core/engine/url.hpp>
#include <retort/core/errors.hpp>
#include <retort/dialects/mysql/mysql_cursors.hpp>
#include <retort/dialects/mysql/mysql_errors.hpp>
#include <retort/dialects/mysql/mysql_statement_kinds.hpp>

namespace retort::dialects::mysql {

namespace detail {

using core::Value;

void MySQLConnection::fail(const std::string& sql) { raise_connection_error(db_.get(), sql); }

void MySQLConnection::fail_statement(StatementPtr stmt, const std::string& sql) {
  unsigned code = mariadb().mysql_stmt_errno(stmt.get());
  std::string message = mariadb().mysql_stmt_error(stmt.get());
  std::string state = mariadb().mysql_stmt_sqlstate(stmt.get());
  release(std::move(stmt), sql);
  raise_mysql_error(code, message, state, sql);
}

void MySQLConnection::release(StatementPtr stmt, const std::string& sql) {
  mariadb().mysql_stmt_free_result(stmt.get());
  // A closed connection keeps nothing: the statement is closed on leaving.
  if (db_) statements_.put(std::move(stmt), sql);
}

bool MySQLConnection::in_transaction() const {
  if (!db_) return false;
  unsigned int status = 0;
  if (mariadb().mariadb_get_infov(db_.get(), MARIADB_CONNECTION_SERVER_STATUS, &status)) return false;
  return (status & SERVER_STATUS_IN_TRANS) != 0;
}

void MySQLConnection::bind_params(StatementPtr& stmt, std::span<const Value* const> params, const std::string& sql) {
  unsigned long expected = mariadb().mysql_stmt_param_count(stmt.get());
  if (expected != params.size()) {
    release(std::move(stmt), sql);
    throw core::ProgrammingError(
        fmt::format("the statement has {} parameter(s) but {} value(s) were given", expected, params.size()), sql);
  }
  if (params.empty()) return;
  param_binds_.bind(params);
  if (mariadb().mysql_stmt_bind_param(stmt.get(), param_binds_.data())) fail_statement(std::move(stmt), sql);
}

std::unique_ptr<core::DriverCursor> MySQLConnection::run_text(const std::string& sql) {
  if (mariadb().mysql_real_query(db_.get(), sql.data(), sql.size())) fail(sql);
  if (mariadb().mysql_field_count(db_.get()) == 0) {
    auto affected = mariadb().mysql_affected_rows(db_.get());
    return std::make_unique<DoneCursor>(
        affected == static_cast<my_ulonglong>(-1) ? -1 : static_cast<std::int64_t>(affected),
        mariadb().mysql_insert_id(db_.get()));
  }
  ResultPtr res{mariadb().mysql_store_result(db_.get())};
  if (!res) fail(sql);
  return std::make_unique<TextCursor>(std::move(res));
}

std::unique_ptr<core::DriverCursor> MySQLConnection::execute(std::string_view sql_view,
                                                             std::span<const Value* const> params) {
  if (!db_) throw core::ResourceClosedError("the MySQL connection is closed");
  std::string sql(sql_view);
  if (params.empty() && text_protocol(first_keyword(sql))) return run_text(sql);
  StatementPtr stmt = statements_.acquire(db_.get(), sql);
  if (!stmt) {
    if (!params.empty())
      throw core::NotSupportedError(
          "the server cannot prepare this statement, and statements run as text take no "
          "parameters: write the values into the SQL",
          sql, 1295);
    return run_text(sql);
  }
  bind_params(stmt, params, sql);
  if (mariadb().mysql_stmt_execute(stmt.get())) fail_statement(std::move(stmt), sql);
  if (mariadb().mysql_stmt_field_count(stmt.get()) == 0) {
    auto affected = mariadb().mysql_stmt_affected_rows(stmt.get());
    auto insert_id = mariadb().mysql_stmt_insert_id(stmt.get());
    release(std::move(stmt), sql);
    return std::make_unique<DoneCursor>(
        affected == static_cast<my_ulonglong>(-1) ? -1 : static_cast<std::int64_t>(affected), insert_id);
  }
  return std::make_unique<StatementCursor>(this, std::move(stmt), std::move(sql));
}

std::int64_t MySQLConnection::execute_many(std::string_view sql_view, std::span<const Value* const> params,
                                           std::size_t per_row) {
  if (!db_) throw core::ResourceClosedError("the MySQL connection is closed");
  if (per_row == 0) return DriverConnection::execute_many(sql_view, params, per_row);
  std::string sql(sql_view);
  StatementPtr stmt = statements_.acquire(db_.get(), sql);
  if (!stmt) throw core::NotSupportedError("the server cannot prepare this statement for executemany", sql, 1295);
  std::int64_t total = 0;
  for (std::size_t i = 0; i + per_row <= params.size(); i += per_row) {
    bind_params(stmt, params.subspan(i, per_row), sql);
    if (mariadb().mysql_stmt_execute(stmt.get())) fail_statement(std::move(stmt), sql);
    if (mariadb().mysql_stmt_field_count(stmt.get()) > 0) {
      mariadb().mysql_stmt_free_result(stmt.get());  // rows of an executemany are not returned
    } else {
      auto n = mariadb().mysql_stmt_affected_rows(stmt.get());
      if (n != static_cast<my_ulonglong>(-1)) total += static_cast<std::int64_t>(n);
    }
  }
  release(std::move(stmt), sql);
  return total;
}

void MySQLConnection::execute_script(std::string_view sql_view) {
  if (!db_) throw core::ResourceClosedError("the MySQL connection is closed");
  std::string sql(sql_view);
  // Multi-statement text is allowed only for the length of this call, so that a statement
  // elsewhere cannot smuggle a second one in.
  if (mariadb().mysql_set_server_option(db_.get(), MYSQL_OPTION_MULTI_STATEMENTS_ON)) fail(sql);
  struct Off {
    MYSQL* db;
    ~Off() {
      // Only possible between results, so drain whatever an error left behind first.
      while (mariadb().mysql_more_results(db) && mariadb().mysql_next_result(db) == 0) {
        ResultPtr discarded{mariadb().mysql_store_result(db)};
      }
      mariadb().mysql_set_server_option(db, MYSQL_OPTION_MULTI_STATEMENTS_OFF);
    }
  } off{db_.get()};
  if (mariadb().mysql_real_query(db_.get(), sql.data(), sql.size())) fail(sql);
  while (true) {
    if (mariadb().mysql_field_count(db_.get()) > 0) {
      ResultPtr r{mariadb().mysql_store_result(db_.get())};
      if (!r) fail(sql);
    }
    int status = mariadb().mysql_next_result(db_.get());
    if (status > 0) fail(sql);  // a later statement failed; the ones before it ran
    if (status < 0) break;
  }
}

void MySQLConnection::close() {
  if (!db_) return;
  statements_.clear();
  db_.reset();  // statements still held by cursors are detached and freed by them
}

}  // namespace detail

namespace {

std::once_flag library_once;

/// A password-free message: the client library never echoes it, but make sure.
std::string scrub(std::string message, const std::optional<std::string>& password) {
  message = core::mask_password(message);
  if (password && password->size() >= 4) {
    for (auto pos = message.find(*password); pos != std::string::npos; pos = message.find(*password))
      message.replace(pos, password->size(), "***");
  }
  return message;
}

}  // namespace

std::unique_ptr<core::DriverConnection> open_mysql(const MySQLOptions& o) {
  // mysql_library_init in mysql.h is a macro for mysql_server_init.
  std::call_once(library_once, [] { mariadb().mysql_server_init(0, nullptr, nullptr); });
  detail::ConnectionPtr db{mariadb().mysql_init(nullptr)};
  if (!db) throw core::OperationalError("cannot allocate a MySQL connection handle (out of memory)");
  auto option = [&](mysql_option key, const void* value) {
    if (mariadb().mysql_options(db.get(), key, value)) {
      throw core::ArgumentError(
          fmt::format("MySQL connection option {} was refused by the client "
                      "library (URL {})",
                      static_cast<int>(key), o.display_url));
    }
  };
  option(MYSQL_SET_CHARSET_NAME, o.charset.c_str());
  my_bool report_truncation = 1;  // fetch() relies on MYSQL_DATA_TRUNCATED to grow buffers
  option(MYSQL_REPORT_DATA_TRUNCATION, &report_truncation);
  unsigned int no_local_infile = 0;
  option(MYSQL_OPT_LOCAL_INFILE, &no_local_infile);
  if (o.connect_timeout) option(MYSQL_OPT_CONNECT_TIMEOUT, &*o.connect_timeout);
  if (o.read_timeout) option(MYSQL_OPT_READ_TIMEOUT, &*o.read_timeout);
  if (o.write_timeout) option(MYSQL_OPT_WRITE_TIMEOUT, &*o.write_timeout);
  if (o.ssl_ca) option(MYSQL_OPT_SSL_CA, o.ssl_ca->c_str());
  if (o.ssl_capath) option(MYSQL_OPT_SSL_CAPATH, o.ssl_capath->c_str());
  if (o.ssl_cert) option(MYSQL_OPT_SSL_CERT, o.ssl_cert->c_str());
  if (o.ssl_key) option(MYSQL_OPT_SSL_KEY, o.ssl_key->c_str());
  if (o.ssl_cipher) option(MYSQL_OPT_SSL_CIPHER, o.ssl_cipher->c_str());
  if (o.ssl) {
    my_bool enforce = *o.ssl ? 1 : 0;
    option(MYSQL_OPT_SSL_ENFORCE, &enforce);
  }
  if (o.ssl_verify_server_cert) {
    my_bool verify = *o.ssl_verify_server_cert ? 1 : 0;
    option(MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &verify);
  }
  if (o.init_command) option(MYSQL_INIT_COMMAND, o.init_command->c_str());

  // FOUND_ROWS: an UPDATE reports the rows it matched, not only those it changed (as every other
  // database does, and as optimistic concurrency checks need).
  unsigned long flags = CLIENT_FOUND_ROWS | CLIENT_MULTI_RESULTS;
  const char* host = o.host ? o.host->c_str() : (o.unix_socket ? "localhost" : nullptr);
  if (!mariadb().mysql_real_connect(db.get(), host, o.user ? o.user->c_str() : nullptr,
                                    o.password ? o.password->c_str() : nullptr,
                                    o.database ? o.database->c_str() : nullptr, o.port,
                                    o.unix_socket ? o.unix_socket->c_str() : nullptr, flags)) {
    unsigned code = mariadb().mysql_errno(db.get());
    std::string message = scrub(mariadb().mysql_error(db.get()), o.password);
    std::string state = mariadb().mysql_sqlstate(db.get());
    db.reset();
    throw core::OperationalError(fmt::format("cannot connect to the MySQL server at {}: {}", o.display_url, message),
                                 {}, static_cast<int>(code), state);
  }
  MYSQL* handle = db.get();  // owned by the connection from here on
  auto conn = std::make_unique<detail::MySQLConnection>(std::move(db), o.statement_cache_size);
  if (mariadb().mysql_autocommit(handle, o.autocommit ? 1 : 0))
    raise_mysql_error(mariadb().mysql_errno(handle), mariadb().mysql_error(handle), mariadb().mysql_sqlstate(handle),
                      "SET autocommit");
  return conn;
}

}  // namespace retort::dialects::mysql
