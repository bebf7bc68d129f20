#include <retort/dialects/mysql/mariadb_api.hpp>

#include <retort/core/shared_library.hpp>

namespace retort::dialects::mysql {

const MariaDbClient& mariadb() {
  // A function-local static: loaded once, by whichever thread connects first.
  static const MariaDbClient api = core::load_function_table<MariaDbClient>(
      "the MySQL/MariaDB dialect (MariaDB Connector/C, Debian package libmariadb3)",
      {"libmariadb.so.3", "libmariadb.so"},
      [](const core::SharedLibrary& library, MariaDbClient& table) { RETORT_MARIADB_FUNCTIONS(RETORT_FUNCTION_BIND) });
  return api;
}

}  // namespace retort::dialects::mysql
