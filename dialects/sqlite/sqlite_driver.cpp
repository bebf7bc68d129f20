// sqlite3 binding. Statements are prepared once per connection and reused (keyed by SQL text);
// a statement in use by an open cursor is not handed out again until the cursor closes.
#include <retort/dialects/sqlite/sqlite_driver.hpp>

#include <retort/dialects/sqlite/sqlite3_api.hpp>

#include <cctype>
#include <filesystem>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include <retort/core/errors.hpp>

namespace retort::dialects::sqlite {

using core::Value;

void raise_sqlite_error(int code, const std::string& message, const std::string& sql) {
  switch (code & 0xff) {
    case SQLITE_CONSTRAINT: throw core::IntegrityError(message, sql, code);
    case SQLITE_MISMATCH:
    case SQLITE_TOOBIG:
    case SQLITE_RANGE: throw core::DataError(message, sql, code);
    case SQLITE_MISUSE: throw core::ProgrammingError(message, sql, code);
    case SQLITE_INTERNAL: throw core::InternalError(message, sql, code);
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB: throw core::DatabaseError(message, sql, code);
    case SQLITE_ERROR: {
      // Syntax errors and references to missing objects are programming errors; the rest
      // (e.g. "database schema has changed") are operational.
      bool programming =
          message.find("syntax error") != std::string::npos || message.find("no such") != std::string::npos ||
          message.find("already exists") != std::string::npos || message.find("has no column") != std::string::npos ||
          message.find("incomplete input") != std::string::npos;
      if (programming) throw core::ProgrammingError(message, sql, code);
      throw core::OperationalError(message, sql, code);
    }
    default: throw core::OperationalError(message, sql, code);
  }
}

namespace {

/// The first character after the blanks, `;` and comments at the start of `text`.
const char* skip_blank(const char* text) {
  while (*text) {
    if (std::isspace(static_cast<unsigned char>(*text)) || *text == ';') {
      ++text;
    } else if (text[0] == '-' && text[1] == '-') {
      while (*text && *text != '\n') ++text;
    } else if (text[0] == '/' && text[1] == '*') {
      text += 2;
      while (*text && !(text[0] == '*' && text[1] == '/')) ++text;
      if (*text) text += 2;
    } else {
      break;
    }
  }
  return text;
}

/// Whether `tail` (what follows the first statement) holds only blanks and comments.
bool only_blank(const char* tail) { return *skip_blank(tail) == '\0'; }

/// Whether the statement changes the schema (CREATE, DROP, ALTER). Such statements are not kept
/// for reuse: they rarely run twice, and every schema change makes SQLite expire each statement
/// the connection holds, so keeping them would make every later schema change slower.
bool changes_schema(const std::string& sql) {
  const char* p = skip_blank(sql.c_str());
  auto starts = [&](std::string_view word) {
    for (std::size_t i = 0; i < word.size(); ++i)
      if (std::toupper(static_cast<unsigned char>(p[i])) != word[i]) return false;  // stops at the NUL too
    return !std::isalnum(static_cast<unsigned char>(p[word.size()])) && p[word.size()] != '_';
  };
  return starts("CREATE") || starts("DROP") || starts("ALTER");
}

class SQLiteConnection;

class SQLiteCursor final : public core::DriverCursor {
 public:
  SQLiteCursor(SQLiteConnection* conn, sqlite3_stmt* stmt, std::string sql, bool has_row, std::int64_t changes,
               std::int64_t last_id);
  ~SQLiteCursor() override { close(); }
  const std::vector<std::string>& column_names() const override { return names_; }
  bool fetch(std::vector<Value>& row) override;
  std::int64_t rows_affected() const override { return changes_; }
  std::optional<std::int64_t> last_insert_id() const override { return last_id_; }
  void close() override;

 private:
  SQLiteConnection* conn_;
  sqlite3_stmt* stmt_;
  std::string sql_;
  bool has_row_;
  std::int64_t changes_;
  std::optional<std::int64_t> last_id_;
  std::vector<std::string> names_;
};

class SQLiteConnection final : public core::DriverConnection {
 public:
  explicit SQLiteConnection(sqlite3* db) : db_(db) {}
  ~SQLiteConnection() override { close(); }

  std::unique_ptr<core::DriverCursor> execute(std::string_view sql, std::span<const Value* const> params) override;
  std::int64_t execute_many(std::string_view sql, std::span<const Value* const> params,
                            std::size_t params_per_row) override;
  void execute_script(std::string_view sql) override;
  bool ping() override;
  bool in_transaction() const override { return db_ && !libsqlite3().sqlite3_get_autocommit(db_); }
  void close() override;

  /// Takes the statement back into the cache (reset, bindings cleared).
  void release(sqlite3_stmt* stmt, const std::string& sql);
  [[noreturn]] void fail(int rc, const std::string& sql);

 private:
  sqlite3_stmt* acquire(std::string_view sql);
  void bind(sqlite3_stmt* stmt, std::span<const Value* const> params, bool copy, const std::string& sql);

  sqlite3* db_;
  // Idle prepared statements by SQL text. Bounded so that ad-hoc SQL cannot grow it forever.
  std::unordered_map<std::string, std::vector<sqlite3_stmt*>> cache_;
  std::size_t cached_ = 0;
  static constexpr std::size_t kMaxCached = 256;
};

void SQLiteConnection::fail(int rc, const std::string& sql) {
  std::string message = db_ ? libsqlite3().sqlite3_errmsg(db_) : libsqlite3().sqlite3_errstr(rc);
  int code = db_ ? libsqlite3().sqlite3_extended_errcode(db_) : rc;
  raise_sqlite_error(code, message, sql);
}

sqlite3_stmt* SQLiteConnection::acquire(std::string_view sql) {
  if (!db_) throw core::ResourceClosedError("the SQLite connection is closed");
  auto it = cache_.find(std::string(sql));
  if (it != cache_.end() && !it->second.empty()) {
    sqlite3_stmt* s = it->second.back();
    it->second.pop_back();
    --cached_;
    return s;
  }
  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  int rc = libsqlite3().sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                                           &stmt, &tail);
  if (rc != SQLITE_OK) fail(rc, std::string(sql));
  if (!stmt) {
    // Empty statement (only whitespace/comments).
    throw core::ProgrammingError("the SQL text holds no statement", std::string(sql));
  }
  if (tail && !only_blank(tail)) {
    libsqlite3().sqlite3_finalize(stmt);
    throw core::ProgrammingError("only one statement can be executed at a time; use execute_script() for several",
                                 std::string(sql));
  }
  return stmt;
}

void SQLiteConnection::release(sqlite3_stmt* stmt, const std::string& sql) {
  libsqlite3().sqlite3_reset(stmt);
  libsqlite3().sqlite3_clear_bindings(stmt);
  if (!db_ || cached_ >= kMaxCached || changes_schema(sql)) {
    libsqlite3().sqlite3_finalize(stmt);
    return;
  }
  cache_[sql].push_back(stmt);
  ++cached_;
}

void SQLiteConnection::bind(sqlite3_stmt* stmt, std::span<const Value* const> params, bool copy,
                            const std::string& sql) {
  int expected = libsqlite3().sqlite3_bind_parameter_count(stmt);
  if (static_cast<std::size_t>(expected) != params.size()) {
    release(stmt, sql);
    throw core::ProgrammingError(
        fmt::format("the statement has {} parameter(s) but {} value(s) were given", expected, params.size()), sql);
  }
  auto destructor = copy ? SQLITE_TRANSIENT : SQLITE_STATIC;
  for (std::size_t i = 0; i < params.size(); ++i) {
    int idx = static_cast<int>(i) + 1;
    const Value& v = *params[i];
    int rc = SQLITE_OK;
    switch (v.kind()) {
      case Value::Kind::Null: rc = libsqlite3().sqlite3_bind_null(stmt, idx); break;
      case Value::Kind::Boolean:
        rc = libsqlite3().sqlite3_bind_int(stmt, idx, std::get<bool>(v.storage()) ? 1 : 0);
        break;
      case Value::Kind::Integer:
        rc = libsqlite3().sqlite3_bind_int64(stmt, idx, std::get<std::int64_t>(v.storage()));
        break;
      case Value::Kind::Real: rc = libsqlite3().sqlite3_bind_double(stmt, idx, std::get<double>(v.storage())); break;
      case Value::Kind::Text: {
        const auto& s = std::get<std::string>(v.storage());
        rc = libsqlite3().sqlite3_bind_text64(stmt, idx, s.data(), s.size(), destructor, SQLITE_UTF8);
        break;
      }
      case Value::Kind::Binary: {
        const auto& b = std::get<core::Blob>(v.storage());
        // An empty vector may have no buffer, and a null pointer would bind NULL, not X''.
        rc = b.empty() ? libsqlite3().sqlite3_bind_zeroblob(stmt, idx, 0)
                       : libsqlite3().sqlite3_bind_blob64(stmt, idx, b.data(), b.size(), destructor);
        break;
      }
    }
    if (rc != SQLITE_OK) {
      release(stmt, sql);
      fail(rc, sql);
    }
  }
}

std::unique_ptr<core::DriverCursor> SQLiteConnection::execute(std::string_view sql_view,
                                                              std::span<const Value* const> params) {
  sqlite3_stmt* stmt = acquire(sql_view);
  std::string sql(sql_view);
  bind(stmt, params, /*copy=*/true, sql);
  int rc = libsqlite3().sqlite3_step(stmt);
  if (rc == SQLITE_ROW) {
    return std::make_unique<SQLiteCursor>(this, stmt, std::move(sql), true, -1, 0);
  }
  if (rc != SQLITE_DONE) {
    // Read the message before reset() can replace it.
    std::string message = libsqlite3().sqlite3_errmsg(db_);
    int code = libsqlite3().sqlite3_extended_errcode(db_);
    release(stmt, sql);
    raise_sqlite_error(code, message, sql);
  }
  std::int64_t changes = libsqlite3().sqlite3_column_count(stmt) == 0 ? libsqlite3().sqlite3_changes64(db_) : -1;
  return std::make_unique<SQLiteCursor>(this, stmt, std::move(sql), false, changes,
                                        libsqlite3().sqlite3_last_insert_rowid(db_));
}

std::int64_t SQLiteConnection::execute_many(std::string_view sql_view, std::span<const Value* const> params,
                                            std::size_t per_row) {
  if (per_row == 0) return DriverConnection::execute_many(sql_view, params, per_row);
  sqlite3_stmt* stmt = acquire(sql_view);
  std::string sql(sql_view);
  std::int64_t total = 0;
  for (std::size_t i = 0; i + per_row <= params.size(); i += per_row) {
    // The values outlive each step, so SQLite may read them in place.
    bind(stmt, params.subspan(i, per_row), /*copy=*/false, sql);
    int rc = libsqlite3().sqlite3_step(stmt);
    while (rc == SQLITE_ROW) rc = libsqlite3().sqlite3_step(stmt);
    if (rc != SQLITE_DONE) {
      std::string message = libsqlite3().sqlite3_errmsg(db_);
      int code = libsqlite3().sqlite3_extended_errcode(db_);
      release(stmt, sql);
      raise_sqlite_error(code, message, sql);
    }
    total += libsqlite3().sqlite3_changes64(db_);
    libsqlite3().sqlite3_reset(stmt);
  }
  release(stmt, sql);
  return total;
}

void SQLiteConnection::execute_script(std::string_view sql) {
  if (!db_) throw core::ResourceClosedError("the SQLite connection is closed");
  char* err = nullptr;
  std::string text(sql);
  int rc = libsqlite3().sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string message = err ? err : libsqlite3().sqlite3_errstr(rc);
    libsqlite3().sqlite3_free(err);
    raise_sqlite_error(libsqlite3().sqlite3_extended_errcode(db_), message, text);
  }
}

bool SQLiteConnection::ping() {
  if (!db_) return false;
  return libsqlite3().sqlite3_exec(db_, "SELECT 1", nullptr, nullptr, nullptr) == SQLITE_OK;
}

void SQLiteConnection::close() {
  if (!db_) return;
  for (auto& [sql, stmts] : cache_)
    for (auto* s : stmts) libsqlite3().sqlite3_finalize(s);
  cache_.clear();
  cached_ = 0;
  libsqlite3().sqlite3_close_v2(db_);  // defers the close while cursors still hold statements
  db_ = nullptr;
}

SQLiteCursor::SQLiteCursor(SQLiteConnection* conn, sqlite3_stmt* stmt, std::string sql, bool has_row,
                           std::int64_t changes, std::int64_t last_id)
    : conn_(conn), stmt_(stmt), sql_(std::move(sql)), has_row_(has_row), changes_(changes) {
  if (last_id) last_id_ = last_id;
  int n = libsqlite3().sqlite3_column_count(stmt_);
  names_.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) names_.emplace_back(libsqlite3().sqlite3_column_name(stmt_, i));
  if (n == 0) close();
}

bool SQLiteCursor::fetch(std::vector<Value>& row) {
  if (!stmt_ || !has_row_) return false;
  int n = static_cast<int>(names_.size());
  row.resize(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    auto& out = row[static_cast<std::size_t>(i)];
    switch (libsqlite3().sqlite3_column_type(stmt_, i)) {
      case SQLITE_INTEGER: out = Value(static_cast<std::int64_t>(libsqlite3().sqlite3_column_int64(stmt_, i))); break;
      case SQLITE_FLOAT: out = Value(libsqlite3().sqlite3_column_double(stmt_, i)); break;
      case SQLITE_TEXT: {
        auto* p = reinterpret_cast<const char*>(libsqlite3().sqlite3_column_text(stmt_, i));
        out = Value(std::string(p, static_cast<std::size_t>(libsqlite3().sqlite3_column_bytes(stmt_, i))));
        break;
      }
      case SQLITE_BLOB: {
        auto* p = static_cast<const std::uint8_t*>(libsqlite3().sqlite3_column_blob(stmt_, i));
        out = Value(core::Blob(p, p + libsqlite3().sqlite3_column_bytes(stmt_, i)));
        break;
      }
      default: out = Value(); break;
    }
  }
  int rc = libsqlite3().sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  has_row_ = false;
  if (rc != SQLITE_DONE) {
    std::string sql = sql_;
    auto* conn = conn_;
    close();
    conn->fail(rc, sql);
  }
  changes_ = -1;
  return true;
}

void SQLiteCursor::close() {
  if (!stmt_) return;
  conn_->release(stmt_, sql_);
  stmt_ = nullptr;
}

}  // namespace

std::unique_ptr<core::DriverConnection> open_sqlite(const SQLiteOptions& options) {
  sqlite3* db = nullptr;
  int flags = (options.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
              SQLITE_OPEN_NOMUTEX | (options.uri ? SQLITE_OPEN_URI : 0);
  int rc = libsqlite3().sqlite3_open_v2(options.path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db ? libsqlite3().sqlite3_errmsg(db) : libsqlite3().sqlite3_errstr(rc);
    libsqlite3().sqlite3_close_v2(db);
    std::error_code ignored;
    if (options.read_only && !options.uri && !std::filesystem::exists(options.path, ignored))
      throw core::OperationalError(
          fmt::format("SQLite database file '{}' does not exist (a command that only reads never creates it)",
                      options.path),
          {}, rc);
    throw core::OperationalError(fmt::format("unable to open SQLite database '{}': {}", options.path, message), {}, rc);
  }
  auto conn = std::make_unique<SQLiteConnection>(db);
  libsqlite3().sqlite3_busy_timeout(db, options.busy_timeout_ms);
  libsqlite3().sqlite3_extended_result_codes(db, 1);
  conn->execute_script(options.foreign_keys ? "PRAGMA foreign_keys = ON" : "PRAGMA foreign_keys = OFF");
  if (!options.journal_mode.empty()) conn->execute_script("PRAGMA journal_mode = " + options.journal_mode);
  if (!options.synchronous.empty()) conn->execute_script("PRAGMA synchronous = " + options.synchronous);
  return conn;
}

}  // namespace retort::dialects::sqlite
