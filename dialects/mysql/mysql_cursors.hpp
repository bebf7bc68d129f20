// The MySQL driver's cursors: the outcome of a statement without rows, the rows of a statement run
// as text, and the rows of a prepared statement, buffered on the client (mysql_stmt_store_result) so
// that the connection can run other statements meanwhile, as SQLAlchemy's mysqlclient cursors allow.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <retort/core/driver.hpp>
#include <retort/core/value.hpp>
#include <retort/dialects/mysql/mariadb_api.hpp>
#include <retort/dialects/mysql/mysql_handles.hpp>
#include <retort/dialects/mysql/mysql_values.hpp>

namespace retort::dialects::mysql::detail {

class MySQLConnection;

/// The result of a statement that returns no rows.
class DoneCursor final : public core::DriverCursor {
 public:
  DoneCursor(std::int64_t affected, std::uint64_t insert_id) : affected_(affected) {
    if (insert_id) insert_id_ = static_cast<std::int64_t>(insert_id);
  }
  const std::vector<std::string>& column_names() const override { return names_; }
  bool fetch(std::vector<core::Value>&) override { return false; }
  std::int64_t rows_affected() const override { return affected_; }
  std::optional<std::int64_t> last_insert_id() const override { return insert_id_; }
  void close() override {}

 private:
  std::vector<std::string> names_;
  std::int64_t affected_;
  std::optional<std::int64_t> insert_id_;
};

/// Rows of a text-protocol query, read from a stored MYSQL_RES.
class TextCursor final : public core::DriverCursor {
 public:
  explicit TextCursor(ResultPtr res);
  const std::vector<std::string>& column_names() const override { return names_; }
  bool fetch(std::vector<core::Value>& row) override;
  std::int64_t rows_affected() const override { return -1; }
  void close() override { res_.reset(); }

 private:
  ResultPtr res_;
  std::vector<std::string> names_;
  std::vector<Conversion> conversions_;
  std::vector<bool> unsigned_;
};

/// Rows of a prepared statement, fetched into typed bind buffers that grow for long values. The
/// statement goes back to `conn` when the cursor closes.
class StatementCursor final : public core::DriverCursor {
 public:
  StatementCursor(MySQLConnection* conn, StatementPtr stmt, std::string sql);
  ~StatementCursor() override { close(); }
  const std::vector<std::string>& column_names() const override { return names_; }
  bool fetch(std::vector<core::Value>& row) override;
  std::int64_t rows_affected() const override { return -1; }
  void close() override;

 private:
  [[noreturn]] void fail();

  MySQLConnection* conn_;
  StatementPtr stmt_;
  std::string sql_;
  std::vector<std::string> names_;
  std::vector<ResultColumn> columns_;
  std::vector<MYSQL_BIND> binds_;
};

}  // namespace retort::dialects::mysql::detail
