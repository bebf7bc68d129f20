// register_builtin_dialects(): one line per dialect compiled into this library. Explicit,
// because static self-registration is dropped when linking static libraries.
#include <retort/core/dialect.hpp>
#include <retort/dialects/sqlite/sqlite_dialect.hpp>
#ifdef RETORT_HAVE_POSTGRESQL
#include <retort/dialects/postgresql/postgresql_dialect.hpp>
#endif
#ifdef RETORT_HAVE_MYSQL
#include <retort/dialects/mysql/mysql_dialect.hpp>
#endif

namespace retort::core {

void register_builtin_dialects(DialectRegistry& registry) {
  dialects::sqlite::register_dialect(registry);
#ifdef RETORT_HAVE_POSTGRESQL
  dialects::postgresql::register_dialect(registry);
#endif
#ifdef RETORT_HAVE_MYSQL
  dialects::mysql::register_dialect(registry);
#endif
}

}  // namespace retort::core
