#include <retort/dialects/sqlite/sqlite3_api.hpp>

namespace retort::dialects::sqlite {

const LibSqlite3& libsqlite3() {
  // A function-local static: loaded once, by whichever thread opens a database first.
  static const LibSqlite3 api = core::load_function_table<LibSqlite3>(
      "the SQLite dialect (Debian package libsqlite3-0)", {"libsqlite3.so.0", "libsqlite3.so"},
      [](const core::SharedLibrary& library, LibSqlite3& table) { RETORT_SQLITE3_FUNCTIONS(RETORT_FUNCTION_BIND) });
  return api;
}

}  // namespace retort::dialects::sqlite
