// The migration runner: plan -> one step loop (lock, each revision in its transaction, version
// table) through a MigrationContext, which runs the steps against a database or writes them as
// SQL text (--sql). Independent of the revision file format: it runs the ScriptDirectory's
// RevisionScripts.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include <retort/core/engine/engine.hpp>
#include <retort/migrate/progress_table.hpp>
#include <retort/migrate/script/script_directory.hpp>
#include <retort/migrate/verify_report.hpp>

namespace retort::migrate {

class MigrationContext;

struct RunOptions {
  std::optional<std::string> url{};  // --url; else RETORT_DATABASE_URL; else the config
  bool sql = false;                  // offline: write SQL to `sql_out` instead of running it
  std::ostream* sql_out = nullptr;
  std::ostream* log = nullptr;  // progress lines (null: silent)
  /// A library caller's engine or connection, used instead of opening the URL. A connection
  /// already inside a transaction keeps the run inside it (the caller commits).
  std::optional<core::Engine> engine{};
  core::Connection* connection = nullptr;
  bool read_only = false;  // the URL is opened for reading only (never creates a SQLite file)
  /// upgrade/downgrade: an applied revision whose file changed since it ran stops the run
  /// (without it, a warning).
  bool strict = false;
};

class Runner {
 public:
  Runner(const ScriptDirectory& scripts, RunOptions options);

  /// Upgrades to `target` ("head", "heads", an id, "+2", ...). Offline, `target` may be
  /// "START:END". Returns the revisions applied (offline: written).
  std::vector<std::string> upgrade(const std::string& target);
  /// Downgrades to `target` ("base", an id, "-1", "LABEL@base", ...; offline "START:END").
  std::vector<std::string> downgrade(const std::string& target);
  /// Sets the version table to `targets` without running migrations; `purge` first empties it.
  void stamp(const std::vector<std::string>& targets, bool purge);
  /// The heads recorded in the database's version table (read only: a missing SQLite file is an
  /// error, not a new database). A row no revision file defines is a CommandError.
  std::vector<std::string> current_heads();
  /// Revisions an earlier run left part-way (statement-level progress, see ProgressTable).
  std::vector<RevisionProgress> partial_revisions();
  /// Creates the version table if missing.
  void ensure_version_table();
  /// Compares the applied revisions' files with the checksums in the history table. With
  /// `record_missing`, applied revisions without a history row get one ("baseline") now.
  VerifyReport verify(bool record_missing);

 private:
  std::vector<std::string> run(const std::string& target, bool upgrading);
  /// Warns (or with `strict` fails) where an applied revision's file changed since it ran.
  void warn_about_edited_revisions(MigrationContext& context, const RevisionMap& map,
                                   const std::vector<std::string>& heads);
  /// CommandError for a version row no revision file defines.
  void check_known(const std::vector<std::string>& heads) const;
  /// Calls `body` with a context on the configured connection, engine, URL or --sql output.
  template <class F>
  auto with_context(F&& body);

  const ScriptDirectory& scripts_;
  RunOptions options_;
};

}  // namespace retort::migrate
