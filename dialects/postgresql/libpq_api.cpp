#include <retort/dialects/postgresql/libpq_api.hpp>

#include <retort/core/shared_library.hpp>

namespace retort::dialects::postgresql {

const LibPq& libpq() {
  // A function-local static: loaded once, by whichever thread connects first.
  static const LibPq api = [] {
    static const core::SharedLibrary library("the PostgreSQL dialect (libpq, Debian package libpq5)",
                                             {"libpq.so.5", "libpq.so"});
    LibPq table;
#define RETORT_LIBPQ_BIND(name) library.bind(table.name, #name);
    RETORT_LIBPQ_FUNCTIONS(RETORT_LIBPQ_BIND)
#undef RETORT_LIBPQ_BIND
    return table;
  }();
  return api;
}

}  // namespace retort::dialects::postgresql
