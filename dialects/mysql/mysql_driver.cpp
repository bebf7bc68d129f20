// MariaDB Connector/C binding. Statements with parameters (and every SELECT/DML) run as server-side
// prepared statements, cached per connection by SQL text (least recently used ones are closed);
// a statement in use by an open cursor is not handed out again until the cursor closes.
// Results are buffered on the client (mysql_stmt_store_result), so that a connection can run
// other statements while a cursor is still open, as SQLAlchemy's mysqlclient cursors allow.
#include <retort/dialects/mysql/mysql_driver.hpp>

#include <retort/dialects/mysql/mariadb_api.hpp>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <limits>
#include <list>
#include <mutex>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include <retort/core/engine/url.hpp>
#include <retort/core/errors.hpp>

namespace retort::dialects::mysql {

using core::Value;

void raise_mysql_error(unsigned code, const std::string& message, const std::string& sqlstate, const std::string& sql) {
  const int n = static_cast<int>(code);
  switch (code) {
    // Constraint violations.
    case 1062:  // ER_DUP_ENTRY
    case 1586:  // ER_DUP_ENTRY_WITH_KEY_NAME
    case 1451:  // ER_ROW_IS_REFERENCED_2 (delete a parent row)
    case 1452:  // ER_NO_REFERENCED_ROW_2 (insert a child without parent)
    case 1216:  // ER_NO_REFERENCED_ROW
    case 1217:  // ER_ROW_IS_REFERENCED
    case 1048:  // ER_BAD_NULL_ERROR
    case 1364:  // ER_NO_DEFAULT_FOR_FIELD (NOT NULL column left out, strict mode)
    case 3819:  // ER_CHECK_CONSTRAINT_VIOLATED (MySQL 8)
    case 4025:  // ER_CONSTRAINT_FAILED (MariaDB)
      throw core::IntegrityError(message, sql, n, sqlstate);
    // Mistakes in the statement or references to missing objects.
    case 1064:  // ER_PARSE_ERROR
    case 1149:  // ER_SYNTAX_ERROR
    case 1065:  // ER_EMPTY_QUERY
    case 1146:  // ER_NO_SUCH_TABLE
    case 1051:  // ER_BAD_TABLE_ERROR (DROP of a missing table)
    case 1054:  // ER_BAD_FIELD_ERROR
    case 1052:  // ER_NON_UNIQ_ERROR (ambiguous column)
    case 1050:  // ER_TABLE_EXISTS_ERROR
    case 1060:  // ER_DUP_FIELDNAME
    case 1061:  // ER_DUP_KEYNAME
    case 1091:  // ER_CANT_DROP_FIELD_OR_KEY
    case 1007:  // ER_DB_CREATE_EXISTS
    case 1008:  // ER_DB_DROP_EXISTS
    case 1059:  // ER_TOO_LONG_IDENT
    case 1102:  // ER_WRONG_DB_NAME
    case 1103:  // ER_WRONG_TABLE_NAME
    case 1166:  // ER_WRONG_COLUMN_NAME
    case 1110:  // ER_FIELD_SPECIFIED_TWICE
    case 1111:  // ER_INVALID_GROUP_FUNC_USE
    case 1113:  // ER_TABLE_MUST_HAVE_COLUMNS
    case 1142:  // ER_TABLEACCESS_DENIED_ERROR
    case 1143:  // ER_COLUMNACCESS_DENIED_ERROR
    case 1210:  // ER_WRONG_ARGUMENTS (e.g. wrong parameter count)
    case 1305:  // ER_SP_DOES_NOT_EXIST (unknown function or procedure)
    case 1630:  // ER_FUNC_INEXISTENT_NAME_COLLISION
    case 2014:  // CR_COMMANDS_OUT_OF_SYNC
    case 2031:  // CR_PARAMS_NOT_BOUND
    case 2034:  // CR_INVALID_PARAMETER_NO
      throw core::ProgrammingError(message, sql, n, sqlstate);
    // Values that do not fit their column.
    case 1264:  // ER_WARN_DATA_OUT_OF_RANGE
    case 1265:  // WARN_DATA_TRUNCATED
    case 1366:  // ER_TRUNCATED_WRONG_VALUE_FOR_FIELD
    case 1406:  // ER_DATA_TOO_LONG
    case 1292:  // ER_TRUNCATED_WRONG_VALUE (bad date, bad number)
    case 1367:  // ER_ILLEGAL_VALUE_FOR_TYPE
    case 1365:  // ER_DIVISION_BY_ZERO
    case 1441:  // ER_DATETIME_FUNCTION_OVERFLOW
    case 1690:  // ER_DATA_OUT_OF_RANGE (arithmetic)
    case 3140:  // ER_INVALID_JSON_TEXT (MySQL 8)
    case 4038:  // ER_JSON_SYNTAX (MariaDB)
      throw core::DataError(message, sql, n, sqlstate);
    case 1235:  // ER_NOT_SUPPORTED_YET
    case 1286:  // ER_UNKNOWN_STORAGE_ENGINE
    case 1289:  // ER_FEATURE_DISABLED
    case 1295:  // ER_UNSUPPORTED_PS
      throw core::NotSupportedError(message, sql, n, sqlstate);
    // The connection is gone: the pool must discard it.
    case 2006:  // CR_SERVER_GONE_ERROR
    case 2013:  // CR_SERVER_LOST
    case 2055:  // CR_SERVER_LOST_EXTENDED
    case 1053:  // ER_SERVER_SHUTDOWN
    case 1927:  // ER_CONNECTION_KILLED (MariaDB)
    case 4031:  // ER_CLIENT_INTERACTION_TIMEOUT (MySQL 8)
      throw core::DisconnectionError(message, sql, n, sqlstate);
    // 2002/2003 (cannot connect), 1045 (access denied), 1205 (lock wait timeout),
    // 1213 (deadlock) and the rest: the database could not do it now.
    default: throw core::OperationalError(message, sql, n, sqlstate);
  }
}

namespace {

// ---- helpers ---------------------------------------------------------------------------------

/// The first word of a statement, upper-cased, after blanks, comments and '('.
std::string first_keyword(std::string_view sql) {
  std::size_t i = 0;
  while (i < sql.size()) {
    char c = sql[i];
    if (std::isspace(static_cast<unsigned char>(c)) || c == '(') {
      ++i;
    } else if (sql.substr(i, 2) == "--" || c == '#') {
      while (i < sql.size() && sql[i] != '\n') ++i;
    } else if (sql.substr(i, 2) == "/*") {
      auto end = sql.find("*/", i + 2);
      i = end == std::string_view::npos ? sql.size() : end + 2;
    } else {
      break;
    }
  }
  std::string word;
  while (i < sql.size() && std::isalpha(static_cast<unsigned char>(sql[i])))
    word += static_cast<char>(std::toupper(static_cast<unsigned char>(sql[i++])));
  return word;
}

/// Statements worth keeping prepared: those an application runs again and again.
bool cacheable(const std::string& keyword) {
  static const char* const words[] = {"SELECT", "INSERT", "UPDATE", "DELETE", "REPLACE", "WITH", "VALUES"};
  return std::find(std::begin(words), std::end(words), keyword) != std::end(words);
}

/// Parameterless statements sent as plain text: transaction control and session settings (run
/// around every transaction, where prepare + execute + close would triple the round trips), and
/// DDL (never repeated, and some of it cannot be prepared on older servers).
bool text_protocol(const std::string& keyword) {
  static const char* const words[] = {"START",  "BEGIN",    "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "SET",
                                      "USE",    "LOCK",     "UNLOCK", "XA",       "CREATE",    "DROP",    "ALTER",
                                      "RENAME", "TRUNCATE", "GRANT",  "REVOKE",   "FLUSH"};
  return std::find(std::begin(words), std::end(words), keyword) != std::end(words);
}

/// How a result column becomes a Value.
enum class Conversion { Integer, Float, Double, Text, Blob, Bit, Date, Time, DateTime };

constexpr unsigned kBinaryCharset = 63;

Conversion classify(const MYSQL_FIELD& f) {
  switch (f.type) {
    case MYSQL_TYPE_TINY:
    case MYSQL_TYPE_SHORT:
    case MYSQL_TYPE_INT24:
    case MYSQL_TYPE_LONG:
    case MYSQL_TYPE_LONGLONG:
    case MYSQL_TYPE_YEAR: return Conversion::Integer;
    case MYSQL_TYPE_FLOAT: return Conversion::Float;
    case MYSQL_TYPE_DOUBLE: return Conversion::Double;
    case MYSQL_TYPE_DECIMAL:
    case MYSQL_TYPE_NEWDECIMAL: return Conversion::Text;  // exact: keep the digits as written
    case MYSQL_TYPE_BIT: return Conversion::Bit;
    case MYSQL_TYPE_DATE:
    case MYSQL_TYPE_NEWDATE: return Conversion::Date;
    case MYSQL_TYPE_TIME: return Conversion::Time;
    case MYSQL_TYPE_DATETIME:
    case MYSQL_TYPE_TIMESTAMP: return Conversion::DateTime;
    case MYSQL_TYPE_JSON: return Conversion::Text;  // MySQL 8 labels JSON with the binary charset
    case MYSQL_TYPE_NULL:
    case MYSQL_TYPE_ENUM:
    case MYSQL_TYPE_SET: return Conversion::Text;
    case MYSQL_TYPE_GEOMETRY: return Conversion::Blob;
    default:
      // CHAR/VARCHAR/TEXT/BLOB share wire types; the binary character set tells bytes from text.
      return f.charsetnr == kBinaryCharset ? Conversion::Blob : Conversion::Text;
  }
}

std::string fraction(unsigned long micro) { return micro ? fmt::format(".{:06}", micro) : std::string(); }

std::string format_time(const MYSQL_TIME& t, Conversion c) {
  switch (c) {
    case Conversion::Date: return fmt::format("{:04}-{:02}-{:02}", t.year, t.month, t.day);
    case Conversion::Time:
      // A TIME is a duration (-838:59:59 .. 838:59:59); whole days may come in `day`.
      return fmt::format("{}{:02}:{:02}:{:02}{}", t.neg ? "-" : "", t.day * 24 + t.hour, t.minute, t.second,
                         fraction(t.second_part));
    default:
      return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}{}", t.year, t.month, t.day, t.hour, t.minute, t.second,
                         fraction(t.second_part));
  }
}

/// A FLOAT column holds a single-precision number: widen it through its shortest decimal
/// spelling, so that FLOAT 1.1 reads as 1.1 (as the text protocol gives it), not 1.100000023841858.
double widen(float f) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, f);
  if (ec != std::errc()) return static_cast<double>(f);
  double d = 0;
  std::from_chars(buf, end, d);
  return d;
}

std::int64_t bits_to_integer(const unsigned char* p, std::size_t n) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < n; ++i) v = (v << 8) | p[i];
  return static_cast<std::int64_t>(v);
}

Value unsigned_value(std::uint64_t u) {
  // Value holds signed 64-bit integers; larger BIGINT UNSIGNED values keep their digits as text.
  if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return Value(std::to_string(u));
  return Value(static_cast<std::int64_t>(u));
}

/// A text-protocol field as a Value (text-protocol results: fallback statements only).
Value text_field(const char* p, unsigned long n, Conversion c, bool is_unsigned) {
  if (!p) return Value();
  std::string_view s(p, n);
  switch (c) {
    case Conversion::Integer: {
      if (is_unsigned) {
        std::uint64_t u = 0;
        if (std::from_chars(s.data(), s.data() + s.size(), u).ec == std::errc()) return unsigned_value(u);
      } else {
        std::int64_t i = 0;
        if (std::from_chars(s.data(), s.data() + s.size(), i).ec == std::errc()) return Value(i);
      }
      return Value(std::string(s));
    }
    case Conversion::Float:
    case Conversion::Double: {
      double d = 0;
      if (std::from_chars(s.data(), s.data() + s.size(), d).ec == std::errc()) return Value(d);
      return Value(std::string(s));
    }
    case Conversion::Bit: return Value(bits_to_integer(reinterpret_cast<const unsigned char*>(p), n));
    case Conversion::Blob: return Value(core::Blob(p, p + n));
    default: return Value(std::string(s));
  }
}

// ---- cursors ---------------------------------------------------------------------------------

/// The result of a statement that returns no rows.
class DoneCursor final : public core::DriverCursor {
 public:
  DoneCursor(std::int64_t affected, std::uint64_t insert_id) : affected_(affected) {
    if (insert_id) insert_id_ = static_cast<std::int64_t>(insert_id);
  }
  const std::vector<std::string>& column_names() const override { return names_; }
  bool fetch(std::vector<Value>&) override { return false; }
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
  explicit TextCursor(MYSQL_RES* res) : res_(res) {
    unsigned n = mariadb().mysql_num_fields(res_);
    MYSQL_FIELD* fields = mariadb().mysql_fetch_fields(res_);
    for (unsigned i = 0; i < n; ++i) {
      names_.emplace_back(fields[i].name, fields[i].name_length);
      conversions_.push_back(classify(fields[i]));
      unsigned_.push_back((fields[i].flags & UNSIGNED_FLAG) != 0);
    }
  }
  ~TextCursor() override { close(); }
  const std::vector<std::string>& column_names() const override { return names_; }
  bool fetch(std::vector<Value>& row) override {
    if (!res_) return false;
    MYSQL_ROW r = mariadb().mysql_fetch_row(res_);
    if (!r) {
      close();
      return false;
    }
    unsigned long* lengths = mariadb().mysql_fetch_lengths(res_);
    row.resize(names_.size());
    for (std::size_t i = 0; i < names_.size(); ++i)
      row[i] = text_field(r[i], lengths[i], conversions_[i], unsigned_[i]);
    return true;
  }
  std::int64_t rows_affected() const override { return -1; }
  void close() override {
    if (res_) mariadb().mysql_free_result(res_);
    res_ = nullptr;
  }

 private:
  MYSQL_RES* res_;
  std::vector<std::string> names_;
  std::vector<Conversion> conversions_;
  std::vector<bool> unsigned_;
};

class MySQLConnection;

/// Rows of a prepared statement, fetched into typed bind buffers that grow for long values.
class StatementCursor final : public core::DriverCursor {
 public:
  StatementCursor(MySQLConnection* conn, MYSQL_STMT* stmt, std::string sql);
  ~StatementCursor() override { close(); }
  const std::vector<std::string>& column_names() const override { return names_; }
  bool fetch(std::vector<Value>& row) override;
  std::int64_t rows_affected() const override { return -1; }
  void close() override;

 private:
  struct Column {
    Conversion conversion;
    bool is_unsigned;
    std::vector<unsigned char> buffer;
    unsigned long length = 0;
    my_bool is_null = 0;
    my_bool error = 0;
  };
  [[noreturn]] void fail();
  Value convert(const Column& c) const;

  MySQLConnection* conn_;
  MYSQL_STMT* stmt_;
  std::string sql_;
  std::vector<std::string> names_;
  std::vector<Column> columns_;
  std::vector<MYSQL_BIND> binds_;
};

// ---- connection ------------------------------------------------------------------------------

class MySQLConnection final : public core::DriverConnection {
 public:
  MySQLConnection(MYSQL* db, std::size_t cache_size) : db_(db), cache_size_(cache_size) {}
  ~MySQLConnection() override { close(); }

  std::unique_ptr<core::DriverCursor> execute(std::string_view sql, std::span<const Value* const> params) override;
  std::int64_t execute_many(std::string_view sql, std::span<const Value* const> params,
                            std::size_t params_per_row) override;
  void execute_script(std::string_view sql) override;
  bool ping() override { return db_ && mariadb().mysql_ping(db_) == 0; }
  bool in_transaction() const override;
  void close() override;

  /// Takes a statement back: cached for reuse when worth it, else closed.
  void release(MYSQL_STMT* stmt, const std::string& sql);
  /// Raises the error recorded on `stmt`, after giving the statement back.
  [[noreturn]] void fail_statement(MYSQL_STMT* stmt, const std::string& sql);
  /// Raises the error recorded on the connection.
  [[noreturn]] void fail(const std::string& sql);

 private:
  /// A prepared statement for `sql` (cached or new); nullptr when the server cannot prepare it.
  MYSQL_STMT* acquire(const std::string& sql);
  void bind_params(MYSQL_STMT* stmt, std::span<const Value* const> params, const std::string& sql);
  std::unique_ptr<core::DriverCursor> run_text(const std::string& sql);
  void clear_cache();

  MYSQL* db_;
  std::size_t cache_size_;
  // Idle prepared statements, most recently used first, and an index by SQL text.
  std::list<std::pair<std::string, MYSQL_STMT*>> lru_;
  std::unordered_map<std::string, std::list<std::pair<std::string, MYSQL_STMT*>>::iterator> index_;
  // Parameter bind storage, reused from statement to statement.
  std::vector<MYSQL_BIND> param_binds_;
  std::vector<unsigned long> param_lengths_;
  std::vector<signed char> param_tiny_;
};

void MySQLConnection::fail(const std::string& sql) {
  raise_mysql_error(mariadb().mysql_errno(db_), mariadb().mysql_error(db_), mariadb().mysql_sqlstate(db_), sql);
}

void MySQLConnection::fail_statement(MYSQL_STMT* stmt, const std::string& sql) {
  unsigned code = mariadb().mysql_stmt_errno(stmt);
  std::string message = mariadb().mysql_stmt_error(stmt);
  std::string state = mariadb().mysql_stmt_sqlstate(stmt);
  release(stmt, sql);
  raise_mysql_error(code, message, state, sql);
}

bool MySQLConnection::in_transaction() const {
  if (!db_) return false;
  unsigned int status = 0;
  if (mariadb().mariadb_get_infov(db_, MARIADB_CONNECTION_SERVER_STATUS, &status)) return false;
  return (status & SERVER_STATUS_IN_TRANS) != 0;
}

MYSQL_STMT* MySQLConnection::acquire(const std::string& sql) {
  if (auto it = index_.find(sql); it != index_.end()) {
    MYSQL_STMT* stmt = it->second->second;
    lru_.erase(it->second);
    index_.erase(it);
    return stmt;
  }
  for (int attempt = 0;; ++attempt) {
    MYSQL_STMT* stmt = mariadb().mysql_stmt_init(db_);
    if (!stmt) fail(sql);
    if (mariadb().mysql_stmt_prepare(stmt, sql.data(), sql.size()) == 0) return stmt;
    unsigned code = mariadb().mysql_stmt_errno(stmt);
    std::string message = mariadb().mysql_stmt_error(stmt);
    std::string state = mariadb().mysql_stmt_sqlstate(stmt);
    mariadb().mysql_stmt_close(stmt);
    if (code == 1295) return nullptr;  // ER_UNSUPPORTED_PS: run it as text
    // ER_MAX_PREPARED_STMT_COUNT_REACHED: the server-wide limit; give ours back and retry once.
    if (code == 1461 && attempt == 0 && !lru_.empty()) {
      clear_cache();
      continue;
    }
    raise_mysql_error(code, message, state, sql);
  }
}

void MySQLConnection::release(MYSQL_STMT* stmt, const std::string& sql) {
  mariadb().mysql_stmt_free_result(stmt);
  if (!db_ || cache_size_ == 0 || !cacheable(first_keyword(sql)) || index_.count(sql)) {
    mariadb().mysql_stmt_close(stmt);
    return;
  }
  lru_.emplace_front(sql, stmt);
  index_.emplace(sql, lru_.begin());
  while (lru_.size() > cache_size_) {
    index_.erase(lru_.back().first);
    mariadb().mysql_stmt_close(lru_.back().second);
    lru_.pop_back();
  }
}

void MySQLConnection::clear_cache() {
  for (auto& [sql, stmt] : lru_) mariadb().mysql_stmt_close(stmt);
  lru_.clear();
  index_.clear();
}

void MySQLConnection::bind_params(MYSQL_STMT* stmt, std::span<const Value* const> params, const std::string& sql) {
  unsigned long expected = mariadb().mysql_stmt_param_count(stmt);
  if (expected != params.size()) {
    release(stmt, sql);
    throw core::ProgrammingError(
        fmt::format("the statement has {} parameter(s) but {} value(s) were given", expected, params.size()), sql);
  }
  if (params.empty()) return;
  param_binds_.assign(params.size(), MYSQL_BIND{});
  param_lengths_.assign(params.size(), 0);
  param_tiny_.assign(params.size(), 0);
  for (std::size_t i = 0; i < params.size(); ++i) {
    MYSQL_BIND& b = param_binds_[i];
    const Value& v = *params[i];
    // The client library only reads parameter buffers, so they point into the Values.
    switch (v.kind()) {
      case Value::Kind::Null: b.buffer_type = MYSQL_TYPE_NULL; break;
      case Value::Kind::Boolean:
        param_tiny_[i] = std::get<bool>(v.storage()) ? 1 : 0;
        b.buffer_type = MYSQL_TYPE_TINY;
        b.buffer = &param_tiny_[i];
        break;
      case Value::Kind::Integer:
        b.buffer_type = MYSQL_TYPE_LONGLONG;
        b.buffer = const_cast<std::int64_t*>(&std::get<std::int64_t>(v.storage()));
        break;
      case Value::Kind::Real:
        b.buffer_type = MYSQL_TYPE_DOUBLE;
        b.buffer = const_cast<double*>(&std::get<double>(v.storage()));
        break;
      case Value::Kind::Text: {
        const auto& s = std::get<std::string>(v.storage());
        b.buffer_type = MYSQL_TYPE_STRING;
        b.buffer = const_cast<char*>(s.data());
        b.buffer_length = param_lengths_[i] = s.size();
        b.length = &param_lengths_[i];
        break;
      }
      case Value::Kind::Binary: {
        const auto& bytes = std::get<core::Blob>(v.storage());
        b.buffer_type = MYSQL_TYPE_BLOB;
        b.buffer = const_cast<std::uint8_t*>(bytes.data());
        b.buffer_length = param_lengths_[i] = bytes.size();
        b.length = &param_lengths_[i];
        break;
      }
    }
  }
  if (mariadb().mysql_stmt_bind_param(stmt, param_binds_.data())) fail_statement(stmt, sql);
}

std::unique_ptr<core::DriverCursor> MySQLConnection::run_text(const std::string& sql) {
  if (mariadb().mysql_real_query(db_, sql.data(), sql.size())) fail(sql);
  if (mariadb().mysql_field_count(db_) == 0) {
    auto affected = mariadb().mysql_affected_rows(db_);
    return std::make_unique<DoneCursor>(
        affected == static_cast<my_ulonglong>(-1) ? -1 : static_cast<std::int64_t>(affected),
        mariadb().mysql_insert_id(db_));
  }
  MYSQL_RES* res = mariadb().mysql_store_result(db_);
  if (!res) fail(sql);
  return std::make_unique<TextCursor>(res);
}

std::unique_ptr<core::DriverCursor> MySQLConnection::execute(std::string_view sql_view,
                                                             std::span<const Value* const> params) {
  if (!db_) throw core::ResourceClosedError("the MySQL connection is closed");
  std::string sql(sql_view);
  if (params.empty() && text_protocol(first_keyword(sql))) return run_text(sql);
  MYSQL_STMT* stmt = acquire(sql);
  if (!stmt) {
    if (!params.empty())
      throw core::NotSupportedError(
          "the server cannot prepare this statement, and statements run as text take no "
          "parameters: write the values into the SQL",
          sql, 1295);
    return run_text(sql);
  }
  bind_params(stmt, params, sql);
  if (mariadb().mysql_stmt_execute(stmt)) fail_statement(stmt, sql);
  if (mariadb().mysql_stmt_field_count(stmt) == 0) {
    auto affected = mariadb().mysql_stmt_affected_rows(stmt);
    auto insert_id = mariadb().mysql_stmt_insert_id(stmt);
    release(stmt, sql);
    return std::make_unique<DoneCursor>(
        affected == static_cast<my_ulonglong>(-1) ? -1 : static_cast<std::int64_t>(affected), insert_id);
  }
  return std::make_unique<StatementCursor>(this, stmt, std::move(sql));
}

std::int64_t MySQLConnection::execute_many(std::string_view sql_view, std::span<const Value* const> params,
                                           std::size_t per_row) {
  if (!db_) throw core::ResourceClosedError("the MySQL connection is closed");
  if (per_row == 0) return DriverConnection::execute_many(sql_view, params, per_row);
  std::string sql(sql_view);
  MYSQL_STMT* stmt = acquire(sql);
  if (!stmt) throw core::NotSupportedError("the server cannot prepare this statement for executemany", sql, 1295);
  std::int64_t total = 0;
  for (std::size_t i = 0; i + per_row <= params.size(); i += per_row) {
    bind_params(stmt, params.subspan(i, per_row), sql);
    if (mariadb().mysql_stmt_execute(stmt)) fail_statement(stmt, sql);
    if (mariadb().mysql_stmt_field_count(stmt) > 0) {
      mariadb().mysql_stmt_free_result(stmt);  // rows of an executemany are not returned
    } else {
      auto n = mariadb().mysql_stmt_affected_rows(stmt);
      if (n != static_cast<my_ulonglong>(-1)) total += static_cast<std::int64_t>(n);
    }
  }
  release(stmt, sql);
  return total;
}

void MySQLConnection::execute_script(std::string_view sql_view) {
  if (!db_) throw core::ResourceClosedError("the MySQL connection is closed");
  std::string sql(sql_view);
  // Multi-statement text is allowed only for the length of this call, so that a statement
  // elsewhere cannot smuggle a second one in.
  if (mariadb().mysql_set_server_option(db_, MYSQL_OPTION_MULTI_STATEMENTS_ON)) fail(sql);
  struct Off {
    MYSQL* db;
    ~Off() {
      // Only possible between results, so drain whatever an error left behind first.
      while (mariadb().mysql_more_results(db) && mariadb().mysql_next_result(db) == 0)
        if (MYSQL_RES* r = mariadb().mysql_store_result(db)) mariadb().mysql_free_result(r);
      mariadb().mysql_set_server_option(db, MYSQL_OPTION_MULTI_STATEMENTS_OFF);
    }
  } off{db_};
  if (mariadb().mysql_real_query(db_, sql.data(), sql.size())) fail(sql);
  while (true) {
    if (mariadb().mysql_field_count(db_) > 0) {
      MYSQL_RES* r = mariadb().mysql_store_result(db_);
      if (!r) fail(sql);
      mariadb().mysql_free_result(r);
    }
    int status = mariadb().mysql_next_result(db_);
    if (status > 0) fail(sql);  // a later statement failed; the ones before it ran
    if (status < 0) break;
  }
}

void MySQLConnection::close() {
  if (!db_) return;
  clear_cache();
  mariadb().mysql_close(db_);  // statements still held by cursors are detached and freed by them
  db_ = nullptr;
}

// ---- StatementCursor -------------------------------------------------------------------------

StatementCursor::StatementCursor(MySQLConnection* conn, MYSQL_STMT* stmt, std::string sql)
    : conn_(conn), stmt_(stmt), sql_(std::move(sql)) {
  MYSQL_RES* meta = mariadb().mysql_stmt_result_metadata(stmt_);
  if (!meta) fail();
  unsigned n = mariadb().mysql_num_fields(meta);
  MYSQL_FIELD* fields = mariadb().mysql_fetch_fields(meta);
  columns_.resize(n);
  binds_.assign(n, MYSQL_BIND{});
  for (unsigned i = 0; i < n; ++i) {
    const MYSQL_FIELD& f = fields[i];
    names_.emplace_back(f.name, f.name_length);
    Column& c = columns_[i];
    c.conversion = classify(f);
    c.is_unsigned = (f.flags & UNSIGNED_FLAG) != 0;
    MYSQL_BIND& b = binds_[i];
    switch (c.conversion) {
      case Conversion::Integer:
        b.buffer_type = MYSQL_TYPE_LONGLONG;
        b.is_unsigned = c.is_unsigned;
        c.buffer.resize(sizeof(std::int64_t));
        break;
      case Conversion::Float:
        b.buffer_type = MYSQL_TYPE_FLOAT;
        c.buffer.resize(sizeof(float));
        break;
      case Conversion::Double:
        b.buffer_type = MYSQL_TYPE_DOUBLE;
        c.buffer.resize(sizeof(double));
        break;
      case Conversion::Date:
      case Conversion::Time:
      case Conversion::DateTime:
        b.buffer_type = f.type == MYSQL_TYPE_NEWDATE ? MYSQL_TYPE_DATE : f.type;
        c.buffer.resize(sizeof(MYSQL_TIME));
        break;
      case Conversion::Text:
      case Conversion::Blob:
      case Conversion::Bit:
        b.buffer_type = c.conversion == Conversion::Text ? MYSQL_TYPE_STRING : MYSQL_TYPE_BLOB;
        // Start small; fetch() grows a buffer when a value does not fit.
        c.buffer.resize(std::clamp<unsigned long>(f.length, 16, 1024));
        break;
    }
  }
  mariadb().mysql_free_result(meta);
  for (unsigned i = 0; i < n; ++i) {
    binds_[i].buffer = columns_[i].buffer.data();
    binds_[i].buffer_length = static_cast<unsigned long>(columns_[i].buffer.size());
    binds_[i].length = &columns_[i].length;
    binds_[i].is_null = &columns_[i].is_null;
    binds_[i].error = &columns_[i].error;
  }
  if (mariadb().mysql_stmt_store_result(stmt_) || mariadb().mysql_stmt_bind_result(stmt_, binds_.data())) fail();
}

void StatementCursor::fail() {
  MYSQL_STMT* stmt = stmt_;
  stmt_ = nullptr;
  conn_->fail_statement(stmt, sql_);
}

void StatementCursor::close() {
  if (!stmt_) return;
  conn_->release(stmt_, sql_);
  stmt_ = nullptr;
}

bool StatementCursor::fetch(std::vector<Value>& row) {
  if (!stmt_) return false;
  int rc = mariadb().mysql_stmt_fetch(stmt_);
  if (rc == MYSQL_NO_DATA) {
    close();
    return false;
  }
  if (rc == 1) fail();
  if (rc == MYSQL_DATA_TRUNCATED) {
    // Fetch each long value again into a buffer of its size, and keep the bigger buffer
    // bound for the rows after it.
    bool grown = false;
    for (std::size_t i = 0; i < columns_.size(); ++i) {
      Column& c = columns_[i];
      if (c.is_null || c.length <= c.buffer.size()) continue;
      c.buffer.resize(c.length);
      binds_[i].buffer = c.buffer.data();
      binds_[i].buffer_length = static_cast<unsigned long>(c.buffer.size());
      if (mariadb().mysql_stmt_fetch_column(stmt_, &binds_[i], static_cast<unsigned>(i), 0)) fail();
      grown = true;
    }
    if (grown && mariadb().mysql_stmt_bind_result(stmt_, binds_.data())) fail();
  }
  row.resize(columns_.size());
  for (std::size_t i = 0; i < columns_.size(); ++i) row[i] = convert(columns_[i]);
  return true;
}

Value StatementCursor::convert(const Column& c) const {
  if (c.is_null) return Value();
  const unsigned char* p = c.buffer.data();
  switch (c.conversion) {
    case Conversion::Integer: {
      if (c.is_unsigned) {
        std::uint64_t u;
        std::memcpy(&u, p, sizeof u);
        return unsigned_value(u);
      }
      std::int64_t i;
      std::memcpy(&i, p, sizeof i);
      return Value(i);
    }
    case Conversion::Float: {
      float f;
      std::memcpy(&f, p, sizeof f);
      return Value(widen(f));
    }
    case Conversion::Double: {
      double d;
      std::memcpy(&d, p, sizeof d);
      return Value(d);
    }
    case Conversion::Date:
    case Conversion::Time:
    case Conversion::DateTime: {
      MYSQL_TIME t;
      std::memcpy(&t, p, sizeof t);
      return Value(format_time(t, c.conversion));
    }
    case Conversion::Text: return Value(std::string(reinterpret_cast<const char*>(p), c.length));
    case Conversion::Blob: return Value(core::Blob(p, p + c.length));
    case Conversion::Bit: return Value(bits_to_integer(p, c.length));
  }
  return Value();
}

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
  MYSQL* db = mariadb().mysql_init(nullptr);
  if (!db) throw core::OperationalError("cannot allocate a MySQL connection handle (out of memory)");
  auto option = [&](mysql_option key, const void* value) {
    if (mariadb().mysql_options(db, key, value)) {
      mariadb().mysql_close(db);
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
  if (!mariadb().mysql_real_connect(db, host, o.user ? o.user->c_str() : nullptr,
                                    o.password ? o.password->c_str() : nullptr,
                                    o.database ? o.database->c_str() : nullptr, o.port,
                                    o.unix_socket ? o.unix_socket->c_str() : nullptr, flags)) {
    unsigned code = mariadb().mysql_errno(db);
    std::string message = scrub(mariadb().mysql_error(db), o.password);
    std::string state = mariadb().mysql_sqlstate(db);
    mariadb().mysql_close(db);
    throw core::OperationalError(fmt::format("cannot connect to the MySQL server at {}: {}", o.display_url, message),
                                 {}, static_cast<int>(code), state);
  }
  auto conn = std::make_unique<MySQLConnection>(db, o.statement_cache_size);
  if (mariadb().mysql_autocommit(db, o.autocommit ? 1 : 0))
    raise_mysql_error(mariadb().mysql_errno(db), mariadb().mysql_error(db), mariadb().mysql_sqlstate(db),
                      "SET autocommit");
  return conn;
}

}  // namespace retort::dialects::mysql
