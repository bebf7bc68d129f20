// SQLite dialect wiring.
#include <retort/dialects/sqlite/sqlite_dialect.hpp>

#include <fmt/format.h>

#include <retort/core/dialect_entry_points.hpp>
#include <retort/core/engine/url.hpp>
#include <retort/core/errors.hpp>

namespace retort::dialects::sqlite {

using namespace retort::core;

SQLiteDialect::SQLiteDialect() : preparer_('"', '"', common_reserved_words()) {
  features_.paramstyle = ParamStyle::Qmark;
  features_.supports_alter = false;       // no ALTER TABLE ADD/DROP CONSTRAINT: batch recreates
  features_.supports_on_conflict = true;  // SQLite 3.24
  features_.transactional_ddl = true;
  features_.supports_returning = true;  // SQLite >= 3.35
  features_.supports_multivalues_insert = true;
  features_.supports_native_boolean = false;
  features_.supports_savepoints = true;
  features_.supports_schemas = true;  // attached databases
  features_.supports_comments = false;
  features_.supports_sequences = false;
  features_.supports_identity_columns = false;
  features_.supports_partial_indexes = true;
  features_.supports_expression_indexes = true;
  features_.requires_recreate_in_batch = true;
  features_.max_bind_parameters = 32766;  // SQLITE_MAX_VARIABLE_NUMBER since 3.32
  features_.insertmanyvalues_page_size = 1000;
}

std::unique_ptr<SqlCompiler> SQLiteDialect::statement_compiler() const {
  return std::make_unique<SQLiteCompiler>(*this);
}
std::unique_ptr<DdlCompiler> SQLiteDialect::ddl_compiler() const { return std::make_unique<SQLiteDdlCompiler>(*this); }

namespace {
bool parse_bool(const std::string& key, const std::string& v) {
  if (v == "true" || v == "1" || v == "on" || v == "yes") return true;
  if (v == "false" || v == "0" || v == "off" || v == "no") return false;
  throw ArgumentError(fmt::format("SQLite URL option {}={}: expected true or false", key, v));
}
std::string pragma_word(const std::string& key, const std::string& v) {
  for (char c : v)
    if (!std::isalpha(static_cast<unsigned char>(c)))
      throw ArgumentError(fmt::format("SQLite URL option {}={}: expected a word such as wal", key, v));
  return v;
}
}  // namespace

SQLiteOptions SQLiteDialect::options_from_url(const URL& url) {
  SQLiteOptions o;
  if (url.host() || url.username() || url.port())
    throw ArgumentError(
        "SQLite URLs have no host, user or port: use sqlite:///relative/path.db, "
        "sqlite:////absolute/path.db or sqlite:// (in memory); got " +
        url.render());
  o.path = url.database().value_or(":memory:");
  if (o.path.empty()) o.path = ":memory:";
  for (const auto& [key, value] : url.query()) {
    if (key == "foreign_keys")
      o.foreign_keys = parse_bool(key, value);
    else if (key == "busy_timeout" || key == "timeout") {
      try {
        std::size_t used = 0;
        int ms = std::stoi(value, &used);
        // timeout is in seconds: bounded so that the milliseconds fit an int.
        if (used != value.size() || ms < 0 || (key == "timeout" && ms > 2'000'000)) throw std::invalid_argument(value);
        o.busy_timeout_ms = key == "timeout" ? ms * 1000 : ms;
      } catch (const std::exception&) {
        throw ArgumentError(fmt::format("SQLite URL option {}={}: expected a whole number of {}", key, value,
                                        key == "timeout" ? "seconds, at most 2000000" : "milliseconds"));
      }
    } else if (key == "journal_mode")
      o.journal_mode = pragma_word(key, value);
    else if (key == "synchronous")
      o.synchronous = pragma_word(key, value);
    else if (key == "mode") {
      if (value != "ro" && value != "rw" && value != "rwc")
        throw ArgumentError("SQLite URL option mode=" + value + ": expected ro, rw or rwc");
      o.read_only = value == "ro";
    } else if (key == "uri")
      o.uri = parse_bool(key, value);
    else
      throw ArgumentError(
          fmt::format("unknown SQLite URL option '{}' (known: foreign_keys, busy_timeout, timeout, "
                      "journal_mode, synchronous, mode, uri)",
                      key));
  }
  return o;
}

std::unique_ptr<DriverConnection> SQLiteDialect::connect(const URL& url) const {
  return open_sqlite(options_from_url(url));
}

URL SQLiteDialect::read_only_url(const URL& url) const {
  // A mode the user chose stays; an in-memory database has no file to protect.
  if (is_private_memory_database(url) || url.query_value("mode") || url.query_value("uri")) return url;
  return url.with_query("mode", "ro");
}

bool SQLiteDialect::is_private_memory_database(const URL& url) const {
  auto db = url.database().value_or("");
  return db.empty() || db == ":memory:" || db.find("mode=memory") != std::string::npos;
}

bool SQLiteDialect::has_table(DriverConnection& conn, const std::string& name,
                              const std::optional<std::string>& schema) const {
  std::string master = schema ? preparer_.quote(*schema) + ".sqlite_master" : "sqlite_master";
  Value v(name);
  const Value* params[] = {&v};
  auto cursor = conn.execute("SELECT 1 FROM " + master + " WHERE type IN ('table', 'view') AND name = ?", params);
  std::vector<Value> row;
  return cursor->fetch(row);
}

std::vector<std::string> SQLiteDialect::begin_statements(const std::optional<std::string>& level) const {
  if (!level || *level == "SERIALIZABLE" || *level == "DEFERRED") return {"BEGIN"};
  if (*level == "IMMEDIATE") return {"BEGIN IMMEDIATE"};
  if (*level == "EXCLUSIVE") return {"BEGIN EXCLUSIVE"};
  if (*level == "READ UNCOMMITTED") return {"PRAGMA read_uncommitted = 1", "BEGIN"};
  throw ArgumentError("SQLite isolation level '" + *level +
                      "' is not supported (SERIALIZABLE, IMMEDIATE, EXCLUSIVE, READ UNCOMMITTED, "
                      "AUTOCOMMIT)");
}

void register_dialect(DialectRegistry& registry) {
  registry.add("sqlite", [] { return std::make_unique<SQLiteDialect>(); });
  registry.add("sqlite+sqlite3", [] { return std::make_unique<SQLiteDialect>(); });
  registry.add("sqlite+pysqlite", [] { return std::make_unique<SQLiteDialect>(); });
}

}  // namespace retort::dialects::sqlite

// The entry point core's registry looks for (core/dialect.cpp); its CMake target makes the linker
// keep it (--undefined), so linking retort::sqlite is all a program does to have the dialect.
extern "C" void retort_register_sqlite_dialect(retort::core::DialectRegistry& registry) {
  retort::dialects::sqlite::register_dialect(registry);
}
