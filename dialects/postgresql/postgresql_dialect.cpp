// PostgreSQL dialect wiring: flags, URL -> libpq parameters, catalog lookups, isolation levels.
#include <retort/dialects/postgresql/postgresql_dialect.hpp>

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include <retort/core/dialect_entry_points.hpp>
#include <retort/core/engine/url.hpp>
#include <retort/core/errors.hpp>

namespace retort::dialects::postgresql {

using namespace retort::core;

PostgreSQLDialect::PostgreSQLDialect() : preparer_('"', '"', common_reserved_words()), types_(preparer_) {
  features_.paramstyle = ParamStyle::Numeric;
  features_.supports_alter = true;
  features_.supports_on_conflict = true;
  features_.transactional_ddl = true;
  features_.supports_returning = true;
  features_.supports_multivalues_insert = true;
  features_.supports_native_boolean = true;
  features_.supports_savepoints = true;
  features_.supports_schemas = true;
  features_.supports_comments = true;
  features_.supports_sequences = true;
  features_.supports_named_enum_types = true;
  features_.reflects_foreign_key_match = true;
  features_.supports_index_include = true;
  features_.supports_identity_columns = true;
  features_.supports_partial_indexes = true;
  features_.supports_expression_indexes = true;
  features_.supports_if_not_exists = true;
  features_.requires_recreate_in_batch = false;
  features_.max_bind_parameters = 65535;  // the protocol's 16-bit parameter count
  features_.insertmanyvalues_page_size = 1000;
}

std::unique_ptr<SqlCompiler> PostgreSQLDialect::statement_compiler() const {
  return std::make_unique<PostgreSQLCompiler>(*this);
}
std::unique_ptr<DdlCompiler> PostgreSQLDialect::ddl_compiler() const {
  return std::make_unique<PostgreSQLDdlCompiler>(*this);
}

namespace {

const char* const kKnownOptions =
    "host, port, sslmode, sslrootcert, sslcert, sslkey, connect_timeout, application_name, "
    "options, target_session_attrs, keepalives, keepalives_idle, statement_cache_size";

void require_one_of(const std::string& key, const std::string& value, std::initializer_list<const char*> allowed) {
  for (const char* a : allowed)
    if (value == a) return;
  std::string list;
  for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
  throw ArgumentError(fmt::format("PostgreSQL URL option {}={}: expected one of {}", key, value, list));
}

long require_number(const std::string& key, const std::string& value) {
  bool digits = !value.empty() && std::all_of(value.begin(), value.end(),
                                              [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
  if (!digits || value.size() > 9)
    throw ArgumentError(fmt::format("PostgreSQL URL option {}={}: expected a whole number", key, value));
  return std::stol(value);
}

}  // namespace

PostgreSQLOptions PostgreSQLDialect::options_from_url(const URL& url) {
  PostgreSQLOptions o;
  auto& p = o.parameters;
  std::optional<std::string> host = url.host();
  std::optional<std::string> port = url.port() ? std::optional(std::to_string(*url.port())) : std::nullopt;
  for (const auto& [key, value] : url.query()) {
    if (key == "host") {
      if (host) throw ArgumentError("PostgreSQL URL gives a host twice (in the URL and as ?host=): " + url.render());
      host = value;
    } else if (key == "port") {
      if (port) throw ArgumentError("PostgreSQL URL gives a port twice (in the URL and as ?port=): " + url.render());
      require_number(key, value);
      port = value;
    } else if (key == "sslmode") {
      require_one_of(key, value, {"disable", "allow", "prefer", "require", "verify-ca", "verify-full"});
      p.emplace_back(key, value);
    } else if (key == "target_session_attrs") {
      require_one_of(key, value, {"any", "read-write", "read-only", "primary", "standby", "prefer-standby"});
      p.emplace_back(key, value);
    } else if (key == "connect_timeout" || key == "keepalives" || key == "keepalives_idle") {
      require_number(key, value);
      p.emplace_back(key, value);
    } else if (key == "statement_cache_size") {
      o.statement_cache_size = static_cast<std::size_t>(std::max(1L, require_number(key, value)));
    } else if (key == "sslrootcert" || key == "sslcert" || key == "sslkey" || key == "application_name" ||
               key == "options") {
      p.emplace_back(key, value);
    } else {
      throw ArgumentError(fmt::format("unknown PostgreSQL URL option '{}' (known: {})", key, kKnownOptions));
    }
  }
  if (host) p.emplace_back("host", *host);
  if (port) p.emplace_back("port", *port);
  if (url.username()) p.emplace_back("user", *url.username());
  if (url.password()) p.emplace_back("password", *url.password());
  if (url.database()) p.emplace_back("dbname", *url.database());
  p.emplace_back("client_encoding", "UTF8");
  p.emplace_back("fallback_application_name", "retort");

  std::string where = host ? *host : "the default socket";
  if (host && !host->empty() && host->front() != '/' && port)
    where += ":" + *port;
  else if (port)
    where += " (port " + *port + ")";
  o.description = fmt::format("{}, database {}, user {}", where, url.database().value_or("(default)"),
                              url.username().value_or("(default)"));
  return o;
}

std::unique_ptr<DriverConnection> PostgreSQLDialect::connect(const URL& url) const {
  return open_postgresql(options_from_url(url));
}

bool PostgreSQLDialect::has_table(DriverConnection& conn, const std::string& name,
                                  const std::optional<std::string>& schema) const {
  static const std::string base =
      "SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
      "WHERE c.relname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'f')";
  Value table(name);
  std::vector<const Value*> params{&table};
  Value schema_value;
  std::string sql;
  if (schema) {
    schema_value = Value(*schema);
    params.push_back(&schema_value);
    sql = base + " AND n.nspname = $2";
  } else {
    sql = base + " AND pg_catalog.pg_table_is_visible(c.oid)";  // what the search_path finds
  }
  auto cursor = conn.execute(sql, params);
  std::vector<Value> row;
  bool found = cursor->fetch(row);
  cursor->close();
  return found;
}

std::vector<std::string> PostgreSQLDialect::begin_statements(const std::optional<std::string>& level) const {
  if (!level) return {"BEGIN"};
  std::string upper;
  for (char c : *level) upper += c == '_' ? ' ' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (const char* known : {"READ COMMITTED", "READ UNCOMMITTED", "REPEATABLE READ", "SERIALIZABLE"})
    if (upper == known) return {"BEGIN ISOLATION LEVEL " + upper};
  throw ArgumentError("PostgreSQL isolation level '" + *level +
                      "' is not supported (READ COMMITTED, READ UNCOMMITTED, REPEATABLE READ, "
                      "SERIALIZABLE, AUTOCOMMIT)");
}

void register_dialect(DialectRegistry& registry) {
  for (const char* name : {"postgresql", "postgresql+libpq", "postgres"})
    registry.add(name, [] { return std::make_unique<PostgreSQLDialect>(); });
}

}  // namespace retort::dialects::postgresql

// The entry point core's registry looks for (core/dialect.cpp); its CMake target makes the linker
// keep it (--undefined), so linking retort::postgresql is all a program does to have the dialect.
extern "C" void retort_register_postgresql_dialect(retort::core::DialectRegistry& registry) {
  retort::dialects::postgresql::register_dialect(registry);
}
