// MySQL / MariaDB dialect wiring: flags, URL options, has_table and transaction statements.
#include <retort/dialects/mysql/mysql_dialect.hpp>

#include <algorithm>

#include <fmt/format.h>

#include <retort/core/dialect_entry_points.hpp>
#include <retort/core/engine/url.hpp>
#include <retort/core/errors.hpp>
#include <retort/core/text.hpp>

namespace retort::dialects::mysql {

using namespace retort::core;

MySQLDialect::MySQLDialect() : preparer_('`', '`', reserved_words()) {
  features_.paramstyle = ParamStyle::Qmark;  // server-side prepared statements take '?'
  features_.supports_alter = true;
  features_.supports_on_duplicate_key_update = true;
  features_.backslash_escapes = true;  // unless the server runs with NO_BACKSLASH_ESCAPES
  // MySQL commits implicitly before and after every DDL statement: a failed migration cannot be
  // rolled back, so the version table is stamped after each revision instead.
  features_.transactional_ddl = false;
  // MariaDB 10.5+ has INSERT/DELETE ... RETURNING but no UPDATE ... RETURNING, MySQL has none:
  // off, so that code asking the flag never sends a statement the server rejects.
  features_.supports_returning = false;
  features_.supports_multivalues_insert = true;
  features_.supports_native_boolean = false;  // BOOL is TINYINT(1)
  features_.supports_savepoints = true;
  features_.supports_schemas = true;  // a schema is a database
  features_.supports_comments = true;
  features_.supports_sequences = false;         // MariaDB 10.3 has sequences; MySQL does not
  features_.supports_identity_columns = false;  // AUTO_INCREMENT instead
  features_.supports_partial_indexes = false;
  // Functional key parts need MySQL 8.0.13, and MariaDB has none.
  features_.supports_expression_indexes = false;
  features_.supports_if_not_exists = true;
  features_.requires_recreate_in_batch = false;
  features_.max_bind_parameters = 65535;  // the protocol's 16-bit parameter count
  features_.insertmanyvalues_page_size = 1000;
}

std::unique_ptr<SqlCompiler> MySQLDialect::statement_compiler() const { return std::make_unique<MySQLCompiler>(*this); }
std::unique_ptr<DdlCompiler> MySQLDialect::ddl_compiler() const { return std::make_unique<MySQLDdlCompiler>(*this); }

namespace {

bool parse_bool(const std::string& key, const std::string& v) {
  std::string l = core::to_lower(v);
  if (l == "true" || l == "1" || l == "on" || l == "yes") return true;
  if (l == "false" || l == "0" || l == "off" || l == "no") return false;
  throw ArgumentError(fmt::format("MySQL URL option {}={}: expected true or false", key, v));
}

unsigned parse_unsigned(const std::string& key, const std::string& v) {
  try {
    std::size_t used = 0;
    unsigned long n = std::stoul(v, &used);
    if (used != v.size() || v.front() == '-' || n > 0xFFFFFFFFUL) throw std::invalid_argument(v);
    return static_cast<unsigned>(n);
  } catch (const std::exception&) {
    throw ArgumentError(fmt::format("MySQL URL option {}={}: expected a whole number", key, v));
  }
}

}  // namespace

MySQLOptions MySQLDialect::options_from_url(const URL& url) {
  MySQLOptions o;
  o.display_url = url.render();
  o.host = url.host();
  if (o.host && o.host->empty()) o.host.reset();
  if (url.port()) {
    if (*url.port() <= 0 || *url.port() > 65535)
      throw ArgumentError(fmt::format("MySQL URL {}: port {} is out of range", o.display_url, *url.port()));
    o.port = static_cast<unsigned>(*url.port());
  }
  o.user = url.username();
  o.password = url.password();
  o.database = url.database();
  if (o.database && o.database->empty()) o.database.reset();
  for (const auto& [key, value] : url.query()) {
    if (key == "unix_socket")
      o.unix_socket = value;
    else if (key == "charset")
      o.charset = value;
    else if (key == "connect_timeout")
      o.connect_timeout = parse_unsigned(key, value);
    else if (key == "read_timeout")
      o.read_timeout = parse_unsigned(key, value);
    else if (key == "write_timeout")
      o.write_timeout = parse_unsigned(key, value);
    else if (key == "ssl_ca")
      o.ssl_ca = value;
    else if (key == "ssl_capath")
      o.ssl_capath = value;
    else if (key == "ssl_cert")
      o.ssl_cert = value;
    else if (key == "ssl_key")
      o.ssl_key = value;
    else if (key == "ssl_cipher")
      o.ssl_cipher = value;
    else if (key == "ssl")
      o.ssl = parse_bool(key, value);
    else if (key == "ssl_verify_server_cert" || key == "ssl_verify_cert")
      o.ssl_verify_server_cert = parse_bool(key, value);
    else if (key == "init_command")
      o.init_command = value;
    else if (key == "autocommit")
      o.autocommit = parse_bool(key, value);
    else if (key == "statement_cache_size")
      o.statement_cache_size = parse_unsigned(key, value);
    else if (key == "password") {
      // The driver's own option (mysqlclient reads it too), for a password kept out of the
      // user:password@ part; given both ways, which one was meant is unclear.
      if (url.password())
        throw ArgumentError(fmt::format(
            "MySQL URL {} gives the password twice (after the user name, and as the password option)", o.display_url));
      o.password = value;
    } else
      throw ArgumentError(
          fmt::format("unknown MySQL URL option '{}' in {} (known: password, unix_socket, charset, connect_timeout, "
                      "read_timeout, write_timeout, ssl, ssl_ca, ssl_capath, ssl_cert, ssl_key, ssl_cipher, "
                      "ssl_verify_server_cert, init_command, autocommit, statement_cache_size)",
                      key, o.display_url));
  }
  return o;
}

std::unique_ptr<DriverConnection> MySQLDialect::connect(const URL& url) const {
  return open_mysql(options_from_url(url));
}

bool MySQLDialect::has_table(DriverConnection& conn, const std::string& name,
                             const std::optional<std::string>& schema) const {
  Value table(name);
  Value database(schema ? Value(*schema) : Value());
  const Value* params[] = {&database, &table};
  auto cursor = conn.execute(
      "SELECT 1 FROM information_schema.tables WHERE table_schema = COALESCE(?, DATABASE()) "
      "AND table_name = ?",
      params);
  std::vector<Value> row;
  bool found = cursor->fetch(row);
  cursor->close();
  return found;
}

std::vector<std::string> MySQLDialect::begin_statements(const std::optional<std::string>& level) const {
  if (!level || *level == "AUTOCOMMIT") return {"START TRANSACTION"};
  static const char* const levels[] = {"READ UNCOMMITTED", "READ COMMITTED", "REPEATABLE READ", "SERIALIZABLE"};
  if (std::find(std::begin(levels), std::end(levels), *level) == std::end(levels))
    throw ArgumentError("MySQL isolation level '" + *level +
                        "' is not supported (READ UNCOMMITTED, READ COMMITTED, REPEATABLE READ, "
                        "SERIALIZABLE, AUTOCOMMIT)");
  // SET TRANSACTION (without SESSION) applies to the next transaction only.
  return {"SET TRANSACTION ISOLATION LEVEL " + *level, "START TRANSACTION"};
}

void register_dialect(DialectRegistry& registry) {
  for (const char* name :
       {"mysql", "mariadb", "mysql+mariadb", "mariadb+mariadb", "mysql+mysqlclient", "mariadb+mariadbconnector"})
    registry.add(name, [] { return std::make_unique<MySQLDialect>(); });
}

}  // namespace retort::dialects::mysql

// The entry point core's registry looks for (core/dialect.cpp); its CMake target makes the linker
// keep it (--undefined), so linking retort::mysql is all a program does to have the dialect.
extern "C" void retort_register_mysql_dialect(retort::core::DialectRegistry& registry) {
  retort::dialects::mysql::register_dialect(registry);
}
