// Reading rows through the PostgreSQL cursor (see postgresql_cursor.hpp).
#include <retort/dialects/postgresql/postgresql_cursor.hpp>

#include <cstdlib>
#include <optional>
#include <utility>

#include <retort/core/errors.hpp>
#include <retort/dialects/postgresql/postgresql_connection.hpp>
#include <retort/dialects/postgresql/postgresql_driver.hpp>
#include <retort/dialects/postgresql/postgresql_errors.hpp>
#include <retort/dialects/postgresql/postgresql_values.hpp>

namespace retort::dialects::postgresql::detail {

using core::Value;

PgCursor::PgCursor(PgConnection* conn, ResultPtr first, bool streaming, std::string sql)
    : conn_(conn), current_(std::move(first)), streaming_(streaming), sql_(std::move(sql)) {
  const PGresult* res = current_.get();
  int n = libpq().PQnfields(res);
  for (int i = 0; i < n; ++i) {
    names_.emplace_back(libpq().PQfname(res, i));
    types_.push_back(libpq().PQftype(res, i));
  }
  if (!streaming_ && libpq().PQresultStatus(res) == PGRES_COMMAND_OK) {
    const char* affected = libpq().PQcmdTuples(current_.get());
    if (affected && *affected) rows_affected_ = std::strtoll(affected, nullptr, 10);
  } else if (!streaming_ && libpq().PQresultStatus(res) == PGRES_TUPLES_OK) {
    // INSERT/UPDATE/DELETE ... RETURNING report their count; a SELECT's is not a change.
    const char* affected = libpq().PQcmdTuples(current_.get());
    std::string status = libpq().PQcmdStatus(current_.get());
    if (affected && *affected && status.rfind("SELECT", 0) != 0) rows_affected_ = std::strtoll(affected, nullptr, 10);
  }
}

void PgCursor::convert_row(const PGresult* res, int index, std::vector<Value>& row) const {
  std::size_t n = names_.size();
  row.resize(n);
  for (std::size_t c = 0; c < n; ++c) {
    int col = static_cast<int>(c);
    if (libpq().PQgetisnull(res, index, col))
      row[c] = Value();
    else
      row[c] = convert(types_[c], libpq().PQgetvalue(res, index, col), libpq().PQgetlength(res, index, col));
  }
}

bool PgCursor::next_result() {
  PGconn* handle = conn_->handle();
  ResultPtr res{libpq().PQgetResult(handle)};
  if (!res) {
    streaming_ = false;
    conn_->release(this);
    if (libpq().PQstatus(handle) == CONNECTION_BAD) conn_->fail(nullptr, sql_);
    return false;
  }
  auto status = libpq().PQresultStatus(res.get());
  if (status == PGRES_SINGLE_TUPLE) {
    current_ = std::move(res);
    index_ = 0;
    return true;
  }
  // The final result (zero rows) or an error: read to the end of the statement.
  std::optional<std::pair<std::string, std::string>> error;
  if (status != PGRES_TUPLES_OK) error = describe_error(res.get(), handle);
  conn_->drain(error);
  streaming_ = false;
  conn_->release(this);
  current_.reset();
  if (error) raise_postgresql_error(error->first, error->second, sql_, libpq().PQstatus(handle) == CONNECTION_BAD);
  return false;
}

bool PgCursor::fetch(std::vector<Value>& row) {
  if (!buffered_.empty()) {
    row = std::move(buffered_.front());
    buffered_.pop_front();
    return true;
  }
  if (buffered_error_) std::rethrow_exception(std::exchange(buffered_error_, nullptr));
  while (true) {
    if (current_ && index_ < libpq().PQntuples(current_.get())) {
      convert_row(current_.get(), index_++, row);
      return true;
    }
    if (!streaming_ || !conn_) return false;
    if (!next_result()) return false;
  }
}

void PgCursor::buffer_rest() {
  std::vector<Value> row;
  std::deque<std::vector<Value>> rows;
  while (current_ && index_ < libpq().PQntuples(current_.get())) {
    convert_row(current_.get(), index_++, row);
    rows.push_back(row);
  }
  try {
    while (streaming_ && conn_ && next_result()) {
      while (index_ < libpq().PQntuples(current_.get())) {
        convert_row(current_.get(), index_++, row);
        rows.push_back(row);
      }
    }
  } catch (const core::DBAPIError&) {
    // The statement failed part way: its reader sees the rows before the error, then the error.
    buffered_error_ = std::current_exception();
  }
  for (auto& r : rows) buffered_.push_back(std::move(r));
}

void PgCursor::close() {
  buffered_.clear();
  buffered_error_ = nullptr;
  if (streaming_ && conn_) {
    // Discard the rest of the statement's rows; the connection is then free again.
    std::optional<std::pair<std::string, std::string>> ignored;
    conn_->drain(ignored);
    streaming_ = false;
  }
  if (conn_) conn_->release(this);
  current_.reset();
}

}  // namespace retort::dialects::postgresql::detail
