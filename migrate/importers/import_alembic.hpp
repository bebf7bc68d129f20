// `retort import-alembic`: an Alembic project's history as retort SQL revisions, with the same
// ids, graph (down revisions, branch labels, depends_on), messages and create dates, and the
// SQL that Alembic's offline mode renders for each upgrade and downgrade. After it, a database
// that Alembic migrated continues under retort with version_table = "alembic_version".
#pragma once

#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include <retort/migrate/config.hpp>

namespace retort::migrate {

struct ImportAlembicOptions {
  std::filesystem::path alembic_dir{};                // the Alembic project's folder; Alembic runs there
  std::filesystem::path alembic_ini = "alembic.ini";  // relative to alembic_dir
  std::optional<std::string> dialect{};               // render for this dialect, not sqlalchemy.url's
  std::string version_table = "alembic_version";      // Alembic's, whose statements are left out
  std::ostream* log = nullptr;                        // a line per Alembic run
};

struct ImportedRevision {
  std::string id{};
  std::filesystem::path source{};  // the Alembic revision file
  std::filesystem::path file{};    // the retort revision file written
};

/// A section that Alembic could not render offline (it needs a live connection): written with
/// no statements and a comment saying so, for the user to fill in.
struct UnrenderedSection {
  std::string revision{};
  bool upgrade = true;
  std::string reason{};  // Alembic's error line
  std::filesystem::path file{};
};

struct ImportAlembicResult {
  std::vector<ImportedRevision> written{};  // parents first
  std::vector<std::string> skipped{};       // warning lines: Alembic files that assign no revision
  std::vector<UnrenderedSection> unrendered{};
  int alembic_runs = 0;
};

/// Imports into the first version folder of `config`'s project. Everything is checked before
/// anything is written, and nothing is written when a check fails: a missing folder or ini, a
/// malformed revision file (ScriptError naming file:line), a revision id the project already has,
/// a file name already taken, a broken graph, or Alembic unable to run at all (CommandError).
/// Sections that Alembic cannot render do not fail the import: see `unrendered`.
ImportAlembicResult import_alembic(const Config& config, const ImportAlembicOptions& options);

}  // namespace retort::migrate
