// Where autogenerate's declared schema comes from, other than a program's own MetaData: a SQL file
// of CREATE statements applied to a scratch database and read back (as Atlas does), or another
// database. Either way the result is a MetaData built from reflection, so that both sides of the
// comparison are read by the same catalog queries.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <retort/core/dialect.hpp>
#include <retort/core/engine/connection.hpp>
#include <retort/core/reflection/reflected.hpp>
#include <retort/core/schema/metadata.hpp>
#include <retort/migrate/config.hpp>

namespace retort::migrate::autogenerate {

/// The tables of one reflected schema as a MetaData (each as add_reflected_table makes it).
std::shared_ptr<core::MetaData> metadata_of(const core::ReflectedSchema& schema);

/// The database's default schema, reflected, without the tables named in `ignored`; with the
/// tables of each of `schemas` too (qualified, listed in other_schemas; not their views or types).
core::ReflectedSchema reflect_database(core::Connection& conn, const std::vector<std::string>& ignored,
                                       const std::vector<std::string>& schemas = {});

/// The schema `file` declares, for `dialect`: its statements run on a scratch database and read
/// back. SQLite: a private in-memory database. PostgreSQL: a new schema in `dev_url`'s database,
/// dropped afterwards. MySQL/MariaDB: a new database on `dev_url`'s server, dropped afterwards.
/// Throws CommandError naming the file and line of a statement the database refuses, and when a
/// server dialect has no `dev_url`.
std::shared_ptr<core::MetaData> metadata_from_sql_file(const std::filesystem::path& file, const core::Dialect& dialect,
                                                       const std::string& dev_url);

/// The schema a C++ file declares with RETORT_METADATA (declared_metadata.hpp), compiled with the
/// project's C++ revision settings (cxx, cxxflags, cpp_cache_dir) and cached the same way. Throws
/// ScriptError with the compiler's message (file:line) when it does not compile, CommandError when
/// it defines no RETORT_METADATA.
std::shared_ptr<core::MetaData> metadata_from_cpp_file(const std::filesystem::path& file, const Config& config);

/// The schema of the database at `url`, without the tables named in `ignored`.
std::shared_ptr<core::MetaData> metadata_from_database(const std::string& url, const std::vector<std::string>& ignored,
                                                       const std::vector<std::string>& schemas = {});

}  // namespace retort::migrate::autogenerate
