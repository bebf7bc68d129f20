// The migration rules of the built-in dialects, one file each beside this one.
#pragma once

#include <retort/migrate/impl/migration_impl.hpp>

namespace retort::migrate {

std::unique_ptr<MigrationImpl> make_sqlite_impl(const core::Dialect& dialect);
std::unique_ptr<MigrationImpl> make_postgresql_impl(const core::Dialect& dialect);
std::unique_ptr<MigrationImpl> make_mysql_impl(const core::Dialect& dialect);

/// Adds the rules above to `registry` under their dialects' names.
inline void register_builtin_migration_impls(MigrationImplRegistry& registry) {
  registry.add("sqlite", make_sqlite_impl);
  registry.add("postgresql", make_postgresql_impl);
  registry.add("mysql", make_mysql_impl);
}

}  // namespace retort::migrate
