// register_builtin_dialects(): one line per dialect compiled into this library. Explicit,
// because static self-registration is dropped when linking static libraries.
#include <retort/core/dialect.hpp>
#include <retort/dialects/sqlite/sqlite_dialect.hpp>

namespace retort::core {

void register_builtin_dialects(DialectRegistry& registry) {
  dialects::sqlite::register_dialect(registry);
}

}  // namespace retort::core
