// Declared schemas read from a SQL file (through a scratch database) or from another database
// (declared_schema.hpp).
#include <retort/migrate/autogenerate/declared_schema.hpp>

#include <unistd.h>

#include <fstream>
#include <random>
#include <sstream>

#include <fmt/format.h>

#include <retort/core/engine/engine.hpp>
#include <retort/core/engine/url.hpp>
#include <retort/core/errors.hpp>
#include <retort/core/reflection/inspector.hpp>
#include <retort/core/reflection/reflect_metadata.hpp>
#include <retort/core/text.hpp>
#include <retort/migrate/autogenerate/declared_metadata.hpp>
#include <retort/migrate/errors.hpp>
#include <retort/migrate/impl/migration_impl.hpp>
#include <retort/migrate/script/revision_compiler.hpp>
#include <retort/migrate/script/sql_splitter.hpp>

namespace retort::migrate::autogenerate {

namespace fs = std::filesystem;

namespace {

/// A reflected schema read from a named scratch namespace, as if it were the default one: its
/// tables and the foreign keys among them unqualified.
core::ReflectedSchema as_default_schema(core::ReflectedSchema schema) {
  auto name = schema.schema;
  schema.schema.reset();
  for (auto& t : schema.tables) {
    t.schema.reset();
    for (auto& fk : t.foreign_keys)
      if (fk.referred_schema == name) fk.referred_schema.reset();
  }
  for (auto& v : schema.views) v.schema.reset();
  return schema;
}

std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw CommandError(fmt::format("{}: cannot read the schema file", file.string()));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// A name no other run picks: retort_dev_<pid>_<random>.
std::string scratch_name() {
  std::random_device device;
  return fmt::format("retort_dev_{}_{:08x}", ::getpid(), device());
}

}  // namespace

std::shared_ptr<core::MetaData> metadata_of(const core::ReflectedSchema& schema) {
  auto metadata = std::make_shared<core::MetaData>();
  for (const auto& t : schema.tables) core::add_reflected_table(*metadata, t);
  for (const auto& v : schema.views) metadata->view(v.name, v.definition, v.schema);
  metadata->set_declares_views(true);  // a whole database, or a whole schema file: its views too
  return metadata;
}

core::ReflectedSchema reflect_database(core::Connection& conn, const std::vector<std::string>& ignored,
                                       const std::vector<std::string>& schemas) {
  core::Inspector inspector(conn);
  core::ReflectedSchema schema = inspector.reflect();
  for (const auto& name : schemas) {
    if (name == schema.schema.value_or("")) continue;  // the default one, read already
    for (auto table : inspector.reflect(name).tables) {
      table.schema = name;
      schema.tables.push_back(std::move(table));
    }
    schema.other_schemas.push_back(name);
  }
  std::erase_if(schema.tables, [&](const core::ReflectedTable& t) {
    for (const auto& name : ignored)
      if (core::iequals(name, t.name)) return true;
    return false;
  });
  return schema;
}

std::shared_ptr<core::MetaData> metadata_from_sql_file(const fs::path& file, const core::Dialect& dialect,
                                                       const std::string& dev_url) {
  auto statements = split_sql(read_text(file), 1, file.string(), dialect.features().backslash_escapes);
  auto impl = MigrationImpl::for_dialect(dialect);
  auto scratch = impl->scratch_schema(scratch_name());
  if (scratch && dev_url.empty())
    throw CommandError(fmt::format(
        "{}: a schema file for {} is applied to a scratch database: set dev_url in [autogenerate] of retort.toml, "
        "or pass --dev-url URL (retort makes a schema or database there and drops it afterwards)",
        file.string(), dialect.name()));
  auto engine = core::create_engine(scratch ? dev_url : std::string("sqlite://"));
  if (engine.dialect().name() != dialect.name())
    throw CommandError(fmt::format("dev_url is a {} database; the migrations' database is {}", engine.dialect().name(),
                                   dialect.name()));
  auto conn = engine.connect();
  for (const auto& sql : scratch ? scratch->create : std::vector<std::string>{}) conn.exec_driver_sql(sql);
  // The scratch namespace goes whatever happens, also when a statement fails.
  auto drop = [&] {
    if (!scratch) return;
    try {
      conn.exec_driver_sql(scratch->drop);
    } catch (const std::exception&) {  // the error being reported matters more
    }
  };
  core::ReflectedSchema reflected;
  try {
    for (const auto& statement : statements) {
      try {
        conn.exec_driver_sql(statement.text);
      } catch (const core::DBAPIError& e) {
        throw CommandError(fmt::format("{}:{}: the schema file's statement fails: {}", file.string(), statement.line,
                                       core::mask_password(e.what())));
      }
    }
    core::Inspector inspector(conn);
    reflected = as_default_schema(inspector.reflect(inspector.default_schema_name()));
  } catch (...) {
    drop();
    throw;
  }
  drop();
  return metadata_of(reflected);
}

std::shared_ptr<core::MetaData> metadata_from_cpp_file(const fs::path& file, const Config& config) {
  if (!fs::exists(file)) throw CommandError(fmt::format("{}: no such metadata file", file.string()));
  Revision source;
  source.id = "metadata";
  source.path = fs::absolute(file).string();
  RevisionCompiler compiler(RevisionCompiler::options_for(config));
  auto keys = compiler.prepare({source});
  auto builder = MetadataBuilders::instance().find(keys.at(source.id));
  if (!builder)
    throw CommandError(
        fmt::format("{}: declares no schema: define RETORT_METADATA(metadata) {{ ... }} (include "
                    "<retort/migrate/cpp_metadata.hpp>)",
                    file.string()));
  auto metadata = std::make_shared<core::MetaData>();
  builder(*metadata);
  return metadata;
}

std::shared_ptr<core::MetaData> metadata_from_database(const std::string& url, const std::vector<std::string>& ignored,
                                                       const std::vector<std::string>& schemas) {
  auto engine = core::create_engine(url);
  auto conn = engine.connect();
  return metadata_of(reflect_database(conn, ignored, schemas));
}

}  // namespace retort::migrate::autogenerate
