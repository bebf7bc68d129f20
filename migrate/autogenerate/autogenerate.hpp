// Autogenerate as library commands (what `retort revision --autogenerate`, `retort diff` and
// `retort check` call): the database at head compared with the declared schema, and the revision
// that closes the gap written in the project's format.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include <retort/core/schema/metadata.hpp>
#include <retort/migrate/autogenerate/compare.hpp>
#include <retort/migrate/commands.hpp>
#include <retort/migrate/config.hpp>

namespace retort::migrate::autogenerate {

/// Where the declared schema comes from; unset fields fall back to retort.toml's [autogenerate].
struct DeclaredSchema {
  std::shared_ptr<const core::MetaData> metadata{};  // a program's own MetaData
  std::optional<std::string> schema_file{};          // --schema: CREATE statements (relative: to the cwd)
  std::optional<std::string> metadata_file{};        // --metadata: a C++ file with RETORT_METADATA
  std::optional<std::string> target_url{};           // --target-url: a database that has the schema
  std::optional<std::string> dev_url{};              // --dev-url: scratch server for a schema file
  std::vector<Rename> renames{};                     // --rename: objects renamed, their data kept
  IncludeObject include_object{};                    // a program's own filter (CompareOptions)
};

/// The database compared with the declared schema; with `require_head`, the database must be at
/// head (else CommandError, as Alembic's "Target database is not up to date"). The version table
/// and its history and progress tables are never part of it. Throws UsageError when no declared
/// schema is named anywhere.
MigrationPlan plan(const Config& config, const DeclaredSchema& declared, const CommandOptions& options = {},
                   bool require_head = true);

struct GeneratedRevision {
  MigrationPlan plan{};
  std::optional<std::filesystem::path> file{};  // none when nothing differs (and !allow_empty)
};

/// plan(), written as a new revision in the project's format (revision_format: C++ op calls or
/// SQL statements), the downgrade from each op's reverse. Writes nothing when nothing differs,
/// unless `allow_empty`. With `strict`, a likely rename (MigrationPlan::likely_renames) is a
/// CommandError instead of a drop and an add, and nothing is written.
GeneratedRevision revision(const Config& config, const RevisionOptions& revision, const DeclaredSchema& declared,
                           bool allow_empty = false, const CommandOptions& options = {}, bool strict = false);

}  // namespace retort::migrate::autogenerate
