// The PostgreSQL cursor: a SELECT's rows streamed in single-row mode, or a statement's whole
// result; when another statement must run before the cursor is read to the end, it first buffers
// its remaining rows (libpq runs one statement at a time per connection).
#pragma once

#include <cstdint>
#include <deque>
#include <exception>
#include <string>
#include <vector>

#include <retort/core/driver.hpp>
#include <retort/core/value.hpp>
#include <retort/dialects/postgresql/libpq_api.hpp>
#include <retort/dialects/postgresql/postgresql_handles.hpp>

namespace retort::dialects::postgresql::detail {

class PgConnection;

class PgCursor final : public core::DriverCursor {
 public:
  /// `first` is the first result of the statement; `streaming` when more single-row results
  /// follow on the connection.
  PgCursor(PgConnection* conn, ResultPtr first, bool streaming, std::string sql);
  ~PgCursor() override { close(); }
  const std::vector<std::string>& column_names() const override { return names_; }
  bool fetch(std::vector<core::Value>& row) override;
  std::int64_t rows_affected() const override { return rows_affected_; }
  void close() override;

  /// Reads the remaining rows into memory so that the connection can run something else.
  void buffer_rest();
  /// The connection went away: stop reading from it.
  void detach() noexcept {
    streaming_ = false;
    conn_ = nullptr;
  }

 private:
  void convert_row(const PGresult* res, int index, std::vector<core::Value>& row) const;
  /// Takes the next result of a streaming statement; false at its end.
  bool next_result();

  PgConnection* conn_;
  ResultPtr current_;
  int index_ = 0;  // next row of current_
  bool streaming_;
  std::string sql_;
  std::vector<std::string> names_;
  std::vector<Oid> types_;
  std::deque<std::vector<core::Value>> buffered_;
  std::exception_ptr buffered_error_;  // raised after the buffered rows
  std::int64_t rows_affected_ = -1;
};

}  // namespace retort::dialects::postgresql::detail
