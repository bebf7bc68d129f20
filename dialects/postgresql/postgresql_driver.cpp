// libpq binding. Parameters travel in text format (bytea in binary) with their types declared
// (int4/int8, float8, bool, bytea; text as `unknown`, so the server reads it as whatever the
// context needs: numeric, date, uuid, json, an enum). Statements are prepared once per distinct
// SQL and parameter types and kept in an LRU cache. A SELECT streams in single-row mode; when
// another statement must run before the cursor is read to the end, the cursor first buffers
// its remaining rows (libpq runs one statement at a time per connection).
#include <retort/dialects/postgresql/postgresql_driver.hpp>

#include <retort/dialects/postgresql/libpq_api.hpp>

#include <cctype>
#include <climits>
#include <cmath>
#include <cstdlib>
#include <deque>
#include <exception>
#include <list>
#include <optional>
#include <unordered_map>

#include <fmt/format.h>

#include <retort/core/engine/url.hpp>
#include <retort/core/errors.hpp>

namespace retort::dialects::postgresql {

using core::Value;

namespace {

// Type OIDs from pg_type.h (stable across versions).
constexpr Oid kBoolOid = 16;
constexpr Oid kByteaOid = 17;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kOidOid = 26;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;
constexpr Oid kUnknownOid = 0;  // let the server infer the type from the context

constexpr std::size_t kPipelineChunk = 1000;  // executemany rows per pipeline sync

struct ResultDeleter {
  void operator()(PGresult* r) const noexcept { libpq().PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

/// The first keyword of a statement, upper-cased, after blanks and comments ("(" for a
/// parenthesised query).
std::string first_keyword(std::string_view sql) {
  std::size_t i = 0;
  while (i < sql.size()) {
    if (std::isspace(static_cast<unsigned char>(sql[i]))) {
      ++i;
    } else if (sql.substr(i, 2) == "--") {
      while (i < sql.size() && sql[i] != '\n') ++i;
    } else if (sql.substr(i, 2) == "/*") {
      auto end = sql.find("*/", i + 2);
      i = end == std::string_view::npos ? sql.size() : end + 2;
    } else {
      break;
    }
  }
  if (i < sql.size() && sql[i] == '(') return "(";
  std::string word;
  while (i < sql.size() && std::isalpha(static_cast<unsigned char>(sql[i])))
    word += static_cast<char>(std::toupper(static_cast<unsigned char>(sql[i++])));
  return word;
}

/// Statements worth preparing once and reusing.
bool is_preparable(const std::string& keyword) {
  return keyword == "SELECT" || keyword == "INSERT" || keyword == "UPDATE" || keyword == "DELETE" ||
         keyword == "WITH" || keyword == "VALUES" || keyword == "TABLE" || keyword == "MERGE" || keyword == "(";
}

/// Statements whose rows are streamed (DML with RETURNING is read whole, so that its row count
/// is known when execute() returns).
bool is_streaming(const std::string& keyword) {
  return keyword == "SELECT" || keyword == "WITH" || keyword == "VALUES" || keyword == "TABLE" || keyword == "(";
}

/// Statements after which cached plans may see different tables or types.
bool changes_schema(const std::string& keyword) {
  return keyword == "CREATE" || keyword == "ALTER" || keyword == "DROP" || keyword == "DO" || keyword == "SET" ||
         keyword == "RESET" || keyword == "DISCARD";
}

std::string trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  std::size_t start = 0;
  while (start < s.size() && std::isspace(static_cast<unsigned char>(s[start]))) ++start;
  return s.substr(start);
}

/// libpq's multi-line messages as one line.
std::string one_line(const std::string& text) {
  std::string out;
  bool blank = false;
  for (char c : trim(text)) {
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      if (!blank) out += (c == '\n' ? "; " : " ");
      blank = true;
    } else {
      out += c;
      blank = false;
    }
  }
  return out;
}

bool is_disconnect_state(const std::string& sqlstate) {
  return sqlstate.rfind("08", 0) == 0 || sqlstate == "57P01" || sqlstate == "57P02" || sqlstate == "57P03";
}

/// The error of a failed result: "message\nDETAIL: ...\nHINT: ..." and its SQLSTATE.
std::pair<std::string, std::string> describe_error(const PGresult* res, PGconn* conn) {
  std::string sqlstate, message;
  if (res) {
    if (const char* s = libpq().PQresultErrorField(res, PG_DIAG_SQLSTATE)) sqlstate = s;
    if (const char* m = libpq().PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY)) message = m;
    if (const char* d = libpq().PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL))
      message += std::string("\nDETAIL: ") + d;
    if (const char* h = libpq().PQresultErrorField(res, PG_DIAG_MESSAGE_HINT)) message += std::string("\nHINT: ") + h;
    if (message.empty()) message = trim(libpq().PQresultErrorMessage(res));
  }
  if (message.empty() && conn) message = trim(libpq().PQerrorMessage(conn));
  if (message.empty()) message = "unknown PostgreSQL error";
  return {sqlstate, message};
}

/// A fetched text-format value as a Value of the column's kind.
Value convert(Oid type, const char* text, int length) {
  switch (type) {
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid:
    case kOidOid: return Value(static_cast<std::int64_t>(std::strtoll(text, nullptr, 10)));
    case kFloat4Oid:
    case kFloat8Oid: return Value(std::strtod(text, nullptr));  // also reads NaN, Infinity
    case kBoolOid: return Value(text[0] == 't');
    case kByteaOid: {
      std::size_t n = 0;
      unsigned char* bytes = libpq().PQunescapeBytea(reinterpret_cast<const unsigned char*>(text), &n);
      if (!bytes) throw std::bad_alloc();
      core::Blob blob(bytes, bytes + n);
      libpq().PQfreemem(bytes);
      return Value(std::move(blob));
    }
    default: return Value(std::string(text, static_cast<std::size_t>(length)));
  }
}

/// The declared type of a parameter value (NULL and text: unknown).
Oid type_of(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::Null: return kUnknownOid;
    case Value::Kind::Boolean: return kBoolOid;
    case Value::Kind::Integer: {
      auto i = std::get<std::int64_t>(v.storage());
      // int4 where it fits: functions such as substr(text, int) have no bigint variant.
      return i >= INT32_MIN && i <= INT32_MAX ? kInt4Oid : kInt8Oid;
    }
    case Value::Kind::Real: return kFloat8Oid;
    case Value::Kind::Text: return kUnknownOid;
    case Value::Kind::Binary: return kByteaOid;
  }
  return kUnknownOid;
}

/// libpq's parameter arrays for one row; values point into `params` or into `text_`.
class BoundParams {
 public:
  void bind(std::span<const Value* const> params) {
    std::size_t n = params.size();
    text_.assign(n, {});
    values.assign(n, nullptr);
    lengths.assign(n, 0);
    formats.assign(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
      const Value& v = *params[i];
      switch (v.kind()) {
        case Value::Kind::Null: break;
        case Value::Kind::Boolean: values[i] = std::get<bool>(v.storage()) ? "true" : "false"; break;
        case Value::Kind::Integer:
          text_[i] = std::to_string(std::get<std::int64_t>(v.storage()));
          values[i] = text_[i].c_str();
          break;
        case Value::Kind::Real: {
          double d = std::get<double>(v.storage());
          if (std::isnan(d))
            text_[i] = "NaN";
          else if (std::isinf(d))
            text_[i] = d > 0 ? "Infinity" : "-Infinity";
          else
            text_[i] = fmt::format("{}", d);  // shortest text that reads back exactly
          values[i] = text_[i].c_str();
          break;
        }
        case Value::Kind::Text: values[i] = std::get<std::string>(v.storage()).c_str(); break;
        case Value::Kind::Binary: {
          const auto& b = std::get<core::Blob>(v.storage());
          static const char empty = 0;
          values[i] = b.empty() ? &empty : reinterpret_cast<const char*>(b.data());
          lengths[i] = static_cast<int>(b.size());
          formats[i] = 1;  // binary: the bytes as they are
          break;
        }
      }
    }
  }
  int count() const { return static_cast<int>(values.size()); }

  std::vector<const char*> values;
  std::vector<int> lengths;
  std::vector<int> formats;

 private:
  std::vector<std::string> text_;
};

class PgConnection;

class PgCursor final : public core::DriverCursor {
 public:
  /// `first` is the first result of the statement; `streaming` when more single-row results
  /// follow on the connection.
  PgCursor(PgConnection* conn, ResultPtr first, bool streaming, std::string sql);
  ~PgCursor() override { close(); }
  const std::vector<std::string>& column_names() const override { return names_; }
  bool fetch(std::vector<Value>& row) override;
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
  void convert_row(const PGresult* res, int index, std::vector<Value>& row) const;
  /// Takes the next result of a streaming statement; false at its end.
  bool next_result();

  PgConnection* conn_;
  ResultPtr current_;
  int index_ = 0;  // next row of current_
  bool streaming_;
  std::string sql_;
  std::vector<std::string> names_;
  std::vector<Oid> types_;
  std::deque<std::vector<Value>> buffered_;
  std::exception_ptr buffered_error_;  // raised after the buffered rows
  std::int64_t rows_affected_ = -1;
};

class PgConnection final : public core::DriverConnection {
 public:
  PgConnection(PGconn* conn, std::size_t cache_size) : conn_(conn), cache_size_(cache_size) {}
  ~PgConnection() override { close(); }

  std::unique_ptr<core::DriverCursor> execute(std::string_view sql, std::span<const Value* const> params) override;
  std::int64_t execute_many(std::string_view sql, std::span<const Value* const> params,
                            std::size_t params_per_row) override;
  void execute_script(std::string_view sql) override;
  bool ping() override;
  bool in_transaction() const override;
  void close() override;

  PGconn* handle() const { return conn_; }
  /// The statement streaming on this connection has ended (or was buffered).
  void release(PgCursor* cursor) {
    if (active_ == cursor) active_ = nullptr;
  }
  /// Reads the results of the current statement up to its end, keeping the first error.
  void drain(std::optional<std::pair<std::string, std::string>>& error);
  [[noreturn]] void fail(const PGresult* res, const std::string& sql);

 private:
  PGconn* live();
  /// Makes the connection free for a new statement: an open cursor buffers its rows.
  void settle();
  /// The name of the prepared statement for (sql, types), preparing it when new.
  std::string prepared(const std::string& sql, const std::vector<Oid>& types);
  void forget_prepared();
  std::unique_ptr<core::DriverCursor> run(const std::string& sql, std::span<const Value* const> params,
                                          bool retry_stale_plan);
  void after_statement(const std::string& keyword);

  PGconn* conn_;
  PgCursor* active_ = nullptr;
  bool in_transaction_while_active_ = false;  // libpq reports only "busy" while rows stream
  std::size_t cache_size_;
  struct Prepared {
    std::string name;
    std::list<std::string>::iterator position;  // in lru_
  };
  std::unordered_map<std::string, Prepared> prepared_;  // key: sql + '\0' + parameter types
  std::list<std::string> lru_;                          // keys, most recently used first
  std::uint64_t statement_counter_ = 0;
  bool schema_changed_in_transaction_ = false;
};

// ---- PgConnection ----------------------------------------------------------------------------

PGconn* PgConnection::live() {
  if (!conn_) throw core::ResourceClosedError("the PostgreSQL connection is closed");
  return conn_;
}

void PgConnection::settle() {
  live();
  if (active_) {
    auto* cursor = active_;
    active_ = nullptr;
    cursor->buffer_rest();
  }
}

void PgConnection::fail(const PGresult* res, const std::string& sql) {
  auto [sqlstate, message] = describe_error(res, conn_);
  bool lost = !conn_ || libpq().PQstatus(conn_) == CONNECTION_BAD;
  raise_postgresql_error(sqlstate, message, sql, lost);
}

void PgConnection::drain(std::optional<std::pair<std::string, std::string>>& error) {
  while (ResultPtr res{libpq().PQgetResult(conn_)}) {
    auto status = libpq().PQresultStatus(res.get());
    if (!error && (status == PGRES_FATAL_ERROR || status == PGRES_BAD_RESPONSE || status == PGRES_NONFATAL_ERROR))
      error = describe_error(res.get(), conn_);
    if (status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH) {
      // COPY is not supported through execute(): end it so that the connection stays usable.
      if (status == PGRES_COPY_IN) libpq().PQputCopyEnd(conn_, "COPY is not supported by retort's execute()");
      if (!error) error = std::make_pair(std::string("0A000"), std::string("COPY is not supported by execute()"));
    }
    if (libpq().PQstatus(conn_) == CONNECTION_BAD) break;
  }
}

void PgConnection::forget_prepared() {
  if (prepared_.empty()) return;
  prepared_.clear();
  lru_.clear();
  if (conn_ && libpq().PQtransactionStatus(conn_) != PQTRANS_INERROR) {
    ResultPtr res{libpq().PQexec(conn_, "DEALLOCATE ALL")};
  }
}

std::string PgConnection::prepared(const std::string& sql, const std::vector<Oid>& types) {
  std::string key = sql;
  key += '\0';
  key.append(reinterpret_cast<const char*>(types.data()), types.size() * sizeof(Oid));
  auto it = prepared_.find(key);
  if (it != prepared_.end()) {
    lru_.splice(lru_.begin(), lru_, it->second.position);
    return it->second.name;
  }
  std::string name = fmt::format("retort_{}", ++statement_counter_);
  ResultPtr res{libpq().PQprepare(live(), name.c_str(), sql.c_str(), static_cast<int>(types.size()),
                                  types.empty() ? nullptr : types.data())};
  if (!res || libpq().PQresultStatus(res.get()) != PGRES_COMMAND_OK) fail(res.get(), sql);
  lru_.push_front(key);
  prepared_.emplace(std::move(key), Prepared{name, lru_.begin()});
  while (prepared_.size() > cache_size_ && !lru_.empty()) {
    auto victim = prepared_.find(lru_.back());
    lru_.pop_back();
    // A failed DEALLOCATE (in an aborted transaction) only leaves the statement unused.
    ResultPtr dealloc{libpq().PQexec(conn_, ("DEALLOCATE " + victim->second.name).c_str())};
    prepared_.erase(victim);
  }
  return name;
}

void PgConnection::after_statement(const std::string& keyword) {
  // Cached plans fail ("cached plan must not change result type") once the tables they read
  // change shape, and a rolled-back ALTER changes them back: start afresh after both.
  if (changes_schema(keyword)) {
    forget_prepared();
    if (libpq().PQtransactionStatus(conn_) == PQTRANS_INTRANS) schema_changed_in_transaction_ = true;
  } else if (keyword == "ROLLBACK" && schema_changed_in_transaction_) {
    forget_prepared();
    if (libpq().PQtransactionStatus(conn_) == PQTRANS_IDLE) schema_changed_in_transaction_ = false;
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
  bool idle_before = libpq().PQtransactionStatus(conn_) == PQTRANS_IDLE;

  int sent;
  if (is_preparable(keyword)) {
    std::string name = prepared(sql, types);
    sent = libpq().PQsendQueryPrepared(conn_, name.c_str(), bound.count(), bound.values.data(), bound.lengths.data(),
                                       bound.formats.data(), 0);
  } else {
    sent = libpq().PQsendQueryParams(conn_, sql.c_str(), bound.count(), types.empty() ? nullptr : types.data(),
                                     bound.values.data(), bound.lengths.data(), bound.formats.data(), 0);
  }
  if (!sent) fail(nullptr, sql);
  if (is_streaming(keyword)) libpq().PQsetSingleRowMode(conn_);

  ResultPtr first{libpq().PQgetResult(conn_)};
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
    error = describe_error(first.get(), conn_);
  drain(error);
  if (error) {
    bool lost = libpq().PQstatus(conn_) == CONNECTION_BAD;
    if (!lost && retry_stale_plan && idle_before && error->first == "0A000" &&
        error->second.find("cached plan") != std::string::npos) {
      // Outside a transaction nothing was lost: prepare afresh and run again.
      forget_prepared();
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
  std::string name = prepared(sql, types);
  if (!libpq().PQenterPipelineMode(conn_)) fail(nullptr, sql);
  std::int64_t total = 0;
  std::optional<std::pair<std::string, std::string>> error;
  bool lost = false;
  BoundParams bound;
  for (std::size_t start = 0; start < rows && !error && !lost; start += kPipelineChunk) {
    std::size_t end = std::min(rows, start + kPipelineChunk);
    for (std::size_t r = start; r < end; ++r) {
      bound.bind(params.subspan(r * per_row, per_row));
      if (!libpq().PQsendQueryPrepared(conn_, name.c_str(), bound.count(), bound.values.data(), bound.lengths.data(),
                                       bound.formats.data(), 0)) {
        error = describe_error(nullptr, conn_);
        break;
      }
    }
    if (!libpq().PQpipelineSync(conn_) && !error) error = describe_error(nullptr, conn_);
    // Results of each query end with a null; the chunk ends with PGRES_PIPELINE_SYNC.
    int nulls = 0;
    while (true) {
      ResultPtr res{libpq().PQgetResult(conn_)};
      if (!res) {
        if (libpq().PQstatus(conn_) == CONNECTION_BAD || ++nulls > 1) {
          lost = libpq().PQstatus(conn_) == CONNECTION_BAD;
          if (!error) error = describe_error(nullptr, conn_);
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
        error = describe_error(res.get(), conn_);
      }
      // PGRES_PIPELINE_ABORTED: skipped after an earlier error.
    }
  }
  if (!lost) libpq().PQexitPipelineMode(conn_);
  if (error)
    raise_postgresql_error(error->first, error->second, sql, lost || libpq().PQstatus(conn_) == CONNECTION_BAD);
  return total;
}

void PgConnection::execute_script(std::string_view sql_view) {
  settle();
  std::string sql(sql_view);
  ResultPtr res{libpq().PQexec(conn_, sql.c_str())};
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
  ResultPtr res{libpq().PQexec(conn_, "")};
  return res && libpq().PQresultStatus(res.get()) == PGRES_EMPTY_QUERY && libpq().PQstatus(conn_) == CONNECTION_OK;
}

bool PgConnection::in_transaction() const {
  if (!conn_) return false;
  switch (libpq().PQtransactionStatus(conn_)) {
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
  libpq().PQfinish(conn_);
  conn_ = nullptr;
  prepared_.clear();
  lru_.clear();
}

// ---- PgCursor --------------------------------------------------------------------------------

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

}  // namespace

// ---- errors and connecting -------------------------------------------------------------------

void raise_postgresql_error(const std::string& sqlstate, const std::string& message, const std::string& statement,
                            bool connection_lost) {
  std::string text = core::mask_password(message);
  if (connection_lost || is_disconnect_state(sqlstate)) throw core::DisconnectionError(text, statement, 0, sqlstate);
  std::string cls = sqlstate.substr(0, 2);
  // The classes follow psycopg2's mapping, as SQLAlchemy users know it.
  if (cls == "23") throw core::IntegrityError(text, statement, 0, sqlstate);
  if (cls == "22") throw core::DataError(text, statement, 0, sqlstate);
  if (cls == "42" || cls == "44" || cls == "20" || cls == "21" || cls == "26" || cls == "3D" || cls == "3F")
    throw core::ProgrammingError(text, statement, 0, sqlstate);
  if (cls == "0A") throw core::NotSupportedError(text, statement, 0, sqlstate);
  if (cls == "40" || cls == "53" || cls == "54" || cls == "55" || cls == "57" || cls == "58" || cls == "27" ||
      cls == "28" || cls == "34" || cls == "HV")
    throw core::OperationalError(text, statement, 0, sqlstate);
  if (cls == "XX" || cls == "24" || cls == "25" || cls == "2B" || cls == "2D" || cls == "2F" || cls == "38" ||
      cls == "39" || cls == "3B" || cls == "F0" || cls == "P0")
    throw core::InternalError(text, statement, 0, sqlstate);
  if (sqlstate.empty()) throw core::OperationalError(text, statement, 0, sqlstate);
  throw core::DatabaseError(text, statement, 0, sqlstate);
}

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
  PGconn* conn = libpq().PQconnectdbParams(keywords.data(), values.data(), 0);
  if (!conn) throw std::bad_alloc();
  if (libpq().PQstatus(conn) != CONNECTION_OK) {
    std::string why = one_line(libpq().PQerrorMessage(conn));
    libpq().PQfinish(conn);
    // libpq does not echo passwords; replace one anyway should a server message contain it.
    if (password.size() >= 3) {
      for (auto pos = why.find(password); pos != std::string::npos; pos = why.find(password, pos + 3))
        why.replace(pos, password.size(), "***");
    }
    throw core::OperationalError(
        core::mask_password(fmt::format("could not connect to PostgreSQL at {}: {}", options.description, why)));
  }
  libpq().PQsetNoticeProcessor(conn, ignore_notice, nullptr);
  return std::make_unique<PgConnection>(conn, std::max<std::size_t>(1, options.statement_cache_size));
}

}  // namespace retort::dialects::postgresql
