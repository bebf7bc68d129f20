// The function by which core's registry finds each dialect linked into a program. Each dialect
// library defines its own (dialects/<name>/<name>_dialect.cpp) and core refers to them weakly
// (core/dialect.cpp), so a program has the dialects it links and no others; one declaration here,
// included on both sides, keeps their signatures in step. Weak references and the linker's
// --undefined (each dialect's CMake target) are ELF and GNU ld/gold/lld features: Linux.
// Internal: not installed.
#pragma once

namespace retort::core {
class DialectRegistry;
}  // namespace retort::core

extern "C" {
void retort_register_sqlite_dialect(retort::core::DialectRegistry& registry);
void retort_register_postgresql_dialect(retort::core::DialectRegistry& registry);
void retort_register_mysql_dialect(retort::core::DialectRegistry& registry);
}
