// Autogenerate's commands (autogenerate.hpp): the declared schema found, the database checked to
// be at head and reflected, compared, and written as a revision.
#include <retort/migrate/autogenerate/autogenerate.hpp>

#include <algorithm>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <retort/core/engine/engine.hpp>
#include <retort/migrate/autogenerate/declared_schema.hpp>
#include <retort/migrate/autogenerate/render_revision.hpp>
#include <retort/migrate/errors.hpp>
#include <retort/migrate/script/script_directory.hpp>

namespace retort::migrate::autogenerate {

namespace fs = std::filesystem;

namespace {

/// retort's own tables: never part of a comparison.
std::vector<std::string> bookkeeping_tables(const Config& config) {
  return {config.version_table, config.version_table + "_history", config.version_table + "_progress"};
}

/// The declared schema, from the first source named: the program's MetaData, --schema,
/// --target-url, then retort.toml's [autogenerate] schema.
std::shared_ptr<const core::MetaData> declared_metadata(const Config& config, const DeclaredSchema& declared,
                                                        const core::Dialect& dialect) {
  if (declared.metadata) return declared.metadata;
  std::string dev_url =
      declared.dev_url.value_or(config.autogenerate.dev_url.empty()
                                    ? std::string()
                                    : interpolate_environment(config.autogenerate.dev_url, "[autogenerate] dev_url"));
  if (declared.schema_file) return metadata_from_sql_file(*declared.schema_file, dialect, dev_url);
  if (declared.metadata_file) return metadata_from_cpp_file(*declared.metadata_file, config);
  if (declared.target_url)
    return metadata_from_database(*declared.target_url, bookkeeping_tables(config), config.autogenerate.schemas);
  if (!config.autogenerate.metadata.empty()) {
    fs::path file = config.autogenerate.metadata;
    if (file.is_relative()) file = config.base_dir / file;
    return metadata_from_cpp_file(file, config);
  }
  if (!config.autogenerate.schema.empty()) {
    fs::path file = config.autogenerate.schema;
    if (file.is_relative()) file = config.base_dir / file;
    return metadata_from_sql_file(file, dialect, dev_url);
  }
  throw UsageError(
      "autogenerate needs the declared schema: set schema = \"schema.sql\" or metadata = \"models.cpp\" in "
      "[autogenerate] of retort.toml, or pass --schema FILE, --metadata FILE or --target-url URL");
}

}  // namespace

MigrationPlan plan(const Config& config, const DeclaredSchema& declared, const CommandOptions& options,
                   bool require_head) {
  // The database must hold every revision, or the comparison would write again what a pending
  // revision already does (Alembic refuses likewise).
  if (require_head) {
    ScriptDirectory scripts(config);
    auto heads = scripts.map().heads();
    auto at = current(config, options);
    if (std::set<std::string>(at.begin(), at.end()) != std::set<std::string>(heads.begin(), heads.end()))
      throw CommandError(
          fmt::format("the database is not up to date (at {}; the head{} {}): run `retort upgrade head` "
                      "first, then autogenerate",
                      at.empty() ? "base" : fmt::format("{}", fmt::join(at, ", ")), heads.size() == 1 ? " is" : "s are",
                      fmt::join(heads, ", ")));
  }
  core::Engine engine = options.engine ? *options.engine : core::create_engine(config.database_url(options.url));
  auto conn = engine.connect();
  auto metadata = declared_metadata(config, declared, engine.dialect());
  auto reflected = reflect_database(conn, bookkeeping_tables(config), config.autogenerate.schemas);
  return compare(*metadata, reflected, engine.dialect(),
                 {.ignored_tables = bookkeeping_tables(config),
                  .include = config.autogenerate.include,
                  .exclude = config.autogenerate.exclude,
                  .renames = declared.renames,
                  .include_object = declared.include_object});
}

GeneratedRevision revision(const Config& config, const RevisionOptions& revision, const DeclaredSchema& declared,
                           bool allow_empty, const CommandOptions& options, bool strict) {
  GeneratedRevision out;
  out.plan = plan(config, declared, options);
  if (strict && !out.plan.likely_renames.empty())
    throw CommandError(
        fmt::format("nothing written: {} likely rename(s), which the revision would write as a drop "
                    "and an add, losing the data:\n  {}\n(--no-strict writes them as they are)",
                    out.plan.likely_renames.size(), fmt::join(out.plan.likely_renames, "\n  ")));
  if (out.plan.empty() && !allow_empty) return out;
  RevisionOptions written = revision;
  RevisionBodies bodies;
  if (config.revision_format == "cpp") {
    bodies = render_cpp_bodies(out.plan);
  } else {
    core::Engine engine = options.engine ? *options.engine : core::create_engine(config.database_url(options.url));
    bodies = render_sql_bodies(out.plan, engine.dialect());
  }
  written.upgrades = bodies.upgrade;
  written.downgrades = bodies.downgrade;
  out.file = migrate::revision(config, written);
  return out;
}

}  // namespace retort::migrate::autogenerate
