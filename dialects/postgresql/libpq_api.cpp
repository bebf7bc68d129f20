#include <retort/dialects/postgresql/libpq_api.hpp>

#include <retort/core/shared_library.hpp>

namespace retort::dialects::postgresql {

const LibPq& libpq() {
  // A function-local static: loaded once, by whichever thread connects first.
  static const LibPq api = core::load_function_table<LibPq>(
      "the PostgreSQL dialect (libpq, Debian package libpq5)", {"libpq.so.5", "libpq.so"},
      [](const core::SharedLibrary& library, LibPq& table) { RETORT_LIBPQ_FUNCTIONS(RETORT_FUNCTION_BIND) });
  return api;
}

}  // namespace retort::dialects::postgresql
