#include <retort/dialects/mysql/mariadb_api.hpp>

#include <retort/core/shared_library.hpp>

namespace retort::dialects::mysql {

const MariaDbClient& mariadb() {
  // A function-local static: loaded once, by whichever thread connects first.
  static const MariaDbClient api = [] {
    static const core::SharedLibrary library(
        "the MySQL/MariaDB dialect (MariaDB Connector/C, Debian package libmariadb3)",
        {"libmariadb.so.3", "libmariadb.so"});
    MariaDbClient table;
#define RETORT_MARIADB_BIND(name) library.bind(table.name, #name);
    RETORT_MARIADB_FUNCTIONS(RETORT_MARIADB_BIND)
#undef RETORT_MARIADB_BIND
    return table;
  }();
  return api;
}

}  // namespace retort::dialects::mysql
