// libpq connections. Parameters travel in text format (bytea in binary) with their types declared
// (text as `unknown`, so the server reads it as whatever the context needs); statements run
// prepared from the statement cache, a SELECT streams in single-row mode. open_postgresql connects.
#include <retort/dialects/postgresql/postgresql_connection.hpp>

#include <retort/dialects/postgresql/postgresql_driver.hpp>

#include <algorithm>
#include <cstdlib>
#include <new>
#include <vector>

#include <fmt/format.h>

#include <retort/core/engine/url.hpp>
#include <retort/core/errors.hpp>
#include <retort/dialects/postgresql/postgresql_cursor.hpp>
#include <retort/dialects/postgresql/postgresql_errors.hpp>
#include <retort/dialects/postgresql/postgresql_statement_kinds.hpp>
#include <retort/dialects/postgresql/postgresql_values.hpp>

namespace retort::dialects::postgresql {

namespace detail {

using core::Value;

namespace {

constexpr std::size_t kPipelineChunk = 1000;  // executemany rows per pipeline sync

}  // namespace

PGconn* PgConnection::live() {
  if (!conn_) throw core::ResourceClosedError("the PostgreSQL connection is closed");
  return conn_.get();
}

void PgConnection::settle() {
  live();
  if (active_) {
    auto* cursor = active_;
    active_ = nullptr;
    cursor->buffer_rest();
  }
}

void PgConnection::fail(const PGresult* res, const std::string& sql) { raise_result_error(res, conn_.get(), sql); }

void PgConnection::drain(std::optional<std::pair<std::string, std::string>>& error) {
  while (ResultPtr res{libpq().PQgetResult(conn_.get())}) {
    auto status = libpq().PQresultStatus(res.get());
    if (!error && (status == PGRES_FATAL_ERROR || status == PGRES_BAD_RESPONSE || status == PGRES_NONFATAL_ERROR))
      error = describe_error(res.get(), conn_.get());
    if (status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH) {
      // COPY is not supported through execute(): end it so that the connection stays usable.
      if (status == PGRES_COPY_IN) libpq().PQputCopyEnd(conn_.get(), "COPY is not supported by retort's execute()");
      if (!error) error = std::make_pair(std::string("0A000"), std::string("COPY is not supported by execute()"));
    }
    if (libpq().PQstatus(conn_.get()) == CONNECTION_BAD) break;
  }
}

void PgConnection::after_statement(const std::string& keyword) {
  // Cached plans fail ("cached plan must not change result type") once the tables they read
  // change shape, and a rolled-back ALTER changes them back: start afresh after both.
  if (changes_schema(keyword)) {
    statements_.forget(conn_.get());
    if (libpq().PQtransactionStatus(conn_.get()) == PQTRANS_INTRANS) schema_changed_in_transaction_ = true;
  } else if (keyword == "ROLLBACK" && schema_changed_in_transaction_) {
    statements_.forget(conn_.get());
    if (libpq().PQtransactionStatus(conn_.get()) == PQTRANS_IDLE) schema_changed_in_transaction_ = false;
  } else if (keyword == "COMMIT" || keyword == "END") {
    schema_changed_in_transaction_ = false;
  }
}

std::unique_ptr<core::DriverCursor> PgConnection::execute(std::string_view sql_view,
                                                          std::span<const Value* const> params) {
  return run(std::string(sql_view), params, true);
}

std::unique_ptr<core::DriverCursor> PgConnection::run(const std::string& sql, std::span<const Value* const> params,
                                                      bool retry_stale_plan) {
  settle();
  std::string keyword = first_keyword(sql);
  BoundParams bound;
  bound.bind(params);
  std::vector<Oid> types;
  types.reserve(params.size());
  for (const Value* v : params) types.push_back(type_of(*v));
  bool idle_before = libpq().PQtransactionStatus(conn_.get()) == PQTRANS_IDLE;

  int sent;
  if (is_preparable(keyword)) {
    std::string name = statements_.prepared(live(), sql, types);
    sent = libpq().PQsendQueryPrepared(conn_.get(), name.c_str(), bound.count(), bound.values.data(),
                                       bound.lengths.data(), bound.formats.data(), 0);
  } else {
    sent = libpq().PQsendQueryParams(conn_.get(), sql.c_str(), bound.count(), types.empty() ? nullptr : types.data(),
                                     bound.values.data(), bound.lengths.data(), bound.formats.data(), 0);
  }
  if (!sent) fail(nullptr, sql);
  if (is_streaming(keyword)) libpq().PQsetSingleRowMode(conn_.get());

  ResultPtr first{libpq().PQgetResult(conn_.get())};
  if (!first) fail(nullptr, sql);
  auto status = libpq().PQresultStatus(first.get());
  if (status == PGRES_SINGLE_TUPLE) {
    auto cursor = std::make_unique<PgCursor>(this, std::move(first), true, sql);
    active_ = cursor.get();
    in_transaction_while_active_ = !idle_before;
    return cursor;
  }
  std::optional<std::pair<std::string, std::string>> error;
  if (status == PGRES_FATAL_ERROR || status == PGRES_BAD_RESPONSE || status == PGRES_NONFATAL_ERROR)
    error = describe_error(first.get(), conn_.get());
  drain(error);
  if (error) {
    bool lost = libpq().PQstatus(conn_.get()) == CONNECTION_BAD;
    if (!lost && retry_stale_plan && idle_before && error->first == "0A000" &&
        error->second.find("cached plan") != std::string::npos) {
      // Outside a transaction nothing was lost: prepare afresh and run again.
      statements_.forget(conn_.get());
      return run(sql, params, false);
    }
    raise_postgresql_error(error->first, error->second, sql, lost);
  }
  if (status == PGRES_EMPTY_QUERY) throw core::ProgrammingError("the SQL text holds no statement", sql);
  after_statement(keyword);
  return std::make_unique<PgCursor>(this, std::move(first), false, sql);
}

std::int64_t PgConnection::execute_many(std::string_view sql_view, std::span<const Value* const> params,
                                        std::size_t per_row) {
  std::string sql(sql_view);
  std::string keyword = first_keyword(sql);
  std::size_t rows = per_row ? params.size() / per_row : 0;
  if (per_row == 0 || rows < 2 || !is_preparable(keyword))
    return DriverConnection::execute_many(sql_view, params, per_row);

  // One parameter type per column for every row (int8 when any row needs it); a column that
  // mixes kinds of values goes row by row, each row with its own types.
  std::vector<Oid> types(per_row, kUnknownOid);
  std::vector<std::optional<Value::Kind>> kinds(per_row);
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t c = 0; c < per_row; ++c) {
      const Value& v = *params[r * per_row + c];
      if (v.is_null()) continue;
      if (kinds[c] && *kinds[c] != v.kind()) return DriverConnection::execute_many(sql_view, params, per_row);
      kinds[c] = v.kind();
      Oid t = type_of(v);
      if (types[c] != kInt8Oid) types[c] = t;
    }
  }

  settle();
  std::string name = statements_.prepared(live(), sql, types);
  if (!libpq().PQenterPipelineMode(conn_.get())) fail(nullptr, sql);
  std::int64_t total = 0;
  std::optional<std::pair<std::string, std::string>> error;
  bool lost = false;
  BoundParams bound;
  for (std::size_t start = 0; start < rows && !error && !lost; start += kPipelineChunk) {
    std::size_t end = std::min(rows, start + kPipelineChunk);
    for (std::size_t r = start; r < end; ++r) {
      bound.bind(params.subspan(r * per_row, per_row));
      if (!libpq().PQsendQueryPrepared(conn_.get(), name.c_str(), bound.count(), bound.values.data(),
                                       bound.lengths.data(), bound.formats.data(), 0)) {
        error = describe_error(nullptr, conn_.get());
        break;
      }
    }
    if (!libpq().PQpipelineSync(conn_.get()) && !error) error = describe_error(nullptr, conn_.get());
    // Results of each query end with a null; the chunk ends with PGRES_PIPELINE_SYNC.
    int nulls = 0;
    while (true) {
      ResultPtr res{libpq().PQgetResult(conn_.get())};
      if (!res) {
        if (libpq().PQstatus(conn_.get()) == CONNECTION_BAD || ++nulls > 1) {
          lost = libpq().PQstatus(conn_.get()) == CONNECTION_BAD;
          if (!error) error = describe_error(nullptr, conn_.get());
          break;
        }
        continue;
      }
      nulls = 0;
      auto status = libpq().PQresultStatus(res.get());
      if (status == PGRES_PIPELINE_SYNC) break;
      if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
        const char* n = libpq().PQcmdTuples(res.get());
        if (n && *n) total += std::strtoll(n, nullptr, 10);
      } else if (status == PGRES_FATAL_ERROR && !error) {
        error = describe_error(res.get(), conn_.get());
      }
      // PGRES_PIPELINE_ABORTED: skipped after an earlier error.
    }
  }
  if (!lost) libpq().PQexitPipelineMode(conn_.get());
  if (error)
    raise_postgresql_error(error->first, error->second, sql, lost || libpq().PQstatus(conn_.get()) == CONNECTION_BAD);
  return total;
}

void PgConnection::execute_script(std::string_view sql_view) {
  settle();
  std::string sql(sql_view);
  ResultPtr res{libpq().PQexec(conn_.get(), sql.c_str())};
  auto status = res ? libpq().PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_EMPTY_QUERY) fail(res.get(), sql);
  // A script may hold anything, DDL included.
  after_statement("CREATE");
}

bool PgConnection::ping() {
  if (!conn_) return false;
  try {
    settle();
  } catch (const core::Error&) {
    return false;
  }
  ResultPtr res{libpq().PQexec(conn_.get(), "")};
  return res && libpq().PQresultStatus(res.get()) == PGRES_EMPTY_QUERY &&
         libpq().PQstatus(conn_.get()) == CONNECTION_OK;
}

bool PgConnection::in_transaction() const {
  if (!conn_) return false;
  switch (libpq().PQtransactionStatus(conn_.get())) {
    case PQTRANS_INTRANS:
    case PQTRANS_INERROR: return true;
    case PQTRANS_ACTIVE: return in_transaction_while_active_;
    default: return false;
  }
}

void PgConnection::close() {
  if (!conn_) return;
  if (active_) active_->detach();
  active_ = nullptr;
  conn_.reset();
  statements_.clear();
}

}  // namespace detail

namespace {
void ignore_notice(void*, const char*) {}
}  // namespace

std::unique_ptr<core::DriverConnection> open_postgresql(const PostgreSQLOptions& options) {
  std::vector<const char*> keywords, values;
  std::string password;
  for (const auto& [k, v] : options.parameters) {
    keywords.push_back(k.c_str());
    values.push_back(v.c_str());
    if (k == "password") password = v;
  }
  keywords.push_back(nullptr);
  values.push_back(nullptr);
  detail::ConnectionPtr conn{libpq().PQconnectdbParams(keywords.data(), values.data(), 0)};
  if (!conn) throw std::bad_alloc();
  if (libpq().PQstatus(conn.get()) != CONNECTION_OK) {
    std::string why = detail::one_line(libpq().PQerrorMessage(conn.get()));
    conn.reset();
    // libpq does not echo passwords; replace one anyway should a server message contain it.
    if (password.size() >= 3) {
      for (auto pos = why.find(password); pos != std::string::npos; pos = why.find(password, pos + 3))
        why.replace(pos, password.size(), "***");
    }
    throw core::OperationalError(
        core::mask_password(fmt::format("could not connect to PostgreSQL at {}: {}", options.description, why)));
  }
  libpq().PQsetNoticeProcessor(conn.get(), ignore_notice, nullptr);
  return std::make_unique<detail::PgConnection>(std::move(conn),
                                                std::max<std::size_t>(1, options.statement_cache_size));
}

}  // namespace retort::dialects::postgresql
