// The script directory: finds revision files in the version folders, reads their headers into
// a RevisionMap, hands out runnable scripts, and writes new revision files from the template.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <retort/migrate/config.hpp>
#include <retort/migrate/revision_map.hpp>
#include <retort/migrate/script/sql_splitter.hpp>

namespace retort::migrate {

/// Where a migration sends its SQL: a live connection, or offline SQL text.
class MigrationContext {
 public:
  virtual ~MigrationContext() = default;
  /// Runs (or writes) one statement; `location` (file:line) names it in errors.
  virtual void execute(const std::string& sql, const std::string& location) = 0;
  virtual bool offline() const = 0;
  /// Whether the database reads '\'' as an escaped quote (splitting must know).
  virtual bool backslash_escapes() const = 0;
  /// The `-x KEY=VALUE` arguments of the run.
  virtual const std::map<std::string, std::string>& x_arguments() const = 0;
};

/// A runnable revision, whatever its file format.
class RevisionScript {
 public:
  virtual ~RevisionScript() = default;
  virtual void upgrade(MigrationContext& context) const = 0;
  virtual void downgrade(MigrationContext& context) const = 0;
};

/// What `retort revision` asks for.
struct NewRevision {
  std::string message;
  std::optional<std::string> rev_id;            // default: 12 random hex digits
  std::vector<std::string> down_revisions;      // resolved ids; empty for a base
  std::vector<std::string> branch_labels;
  std::vector<std::string> depends_on;
  std::optional<std::filesystem::path> version_path;  // which version folder
  std::string upgrades;                         // SQL for the sections (empty: a placeholder)
  std::string downgrades;
};

class ScriptDirectory {
 public:
  /// Reads every revision header below the configured version folders. Throws ScriptError /
  /// RevisionError for a bad file or graph, CommandError when the folder is missing.
  explicit ScriptDirectory(const Config& config);

  const RevisionMap& map() const noexcept { return *map_; }
  const Config& config() const noexcept { return config_; }
  /// The script of a revision (format from the file's extension).
  std::unique_ptr<RevisionScript> script(const std::string& id) const;
  /// Writes a new revision file and runs the post-write hooks; returns its path.
  std::filesystem::path write_revision(const NewRevision& spec) const;

  /// A new random revision id: 12 hex digits.
  static std::string new_revision_id();
  /// The message as a file-name slug, cut at a word boundary to `length`.
  static std::string slugify(const std::string& message, int length);

 private:
  Config config_;
  std::unique_ptr<RevisionMap> map_;
};

}  // namespace retort::migrate
