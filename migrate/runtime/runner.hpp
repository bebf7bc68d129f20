// The migration runner: plan -> lock -> execute each revision -> stamp the version table, online
// against a database or offline as SQL text (--sql). Independent of the revision file format:
// it runs RevisionScripts from the ScriptDirectory.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include <retort/migrate/script/script_directory.hpp>

namespace retort::migrate {

struct RunOptions {
  std::optional<std::string> url;  // --url; else RETORT_DATABASE_URL; else the config
  bool sql = false;                // offline: write SQL to `sql_out` instead of running it
  std::ostream* sql_out = nullptr;
  std::ostream* log = nullptr;     // progress lines (null: silent)
};

class Runner {
 public:
  Runner(const ScriptDirectory& scripts, RunOptions options);

  /// Upgrades to `target` ("head", "heads", an id, "+2", ...). Offline, `target` may be
  /// "START:END". Returns the revisions applied.
  std::vector<std::string> upgrade(const std::string& target);
  /// Downgrades to `target` ("base", an id, "-1", "LABEL@base", ...; offline "START:END").
  std::vector<std::string> downgrade(const std::string& target);
  /// Sets the version table to `targets` without running migrations; `purge` first empties it.
  void stamp(const std::vector<std::string>& targets, bool purge);
  /// The heads recorded in the database's version table.
  std::vector<std::string> current_heads();
  /// Creates the version table if missing.
  void ensure_version_table();

 private:
  std::vector<std::string> run(const std::string& target, bool upgrade);

  const ScriptDirectory& scripts_;
  RunOptions options_;
};

}  // namespace retort::migrate
