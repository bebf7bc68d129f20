// The migration context: the one sink through which a run speaks to the database, or writes
// offline SQL (--sql). It holds the dialect, the dialect's migration rules (MigrationImpl), the
// version table, and either a connection or an output stream; revision scripts, operations and
// the runner's own statements (version table, transactions, lock) all go through it. Online and
// offline differ only inside this object, as in Alembic's MigrationContext (`as_sql`).
#pragma once

#include <iosfwd>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <retort/core/engine/connection.hpp>
#include <retort/migrate/head_maintainer.hpp>
#include <retort/migrate/history_table.hpp>
#include <retort/migrate/impl/migration_impl.hpp>
#include <retort/migrate/progress_table.hpp>
#include <retort/migrate/version_table.hpp>

namespace retort::migrate {

struct MigrationContextOptions {
  std::string version_table = "retort_version";
  std::optional<std::string> version_table_schema{};
  /// true: each revision commits on its own; false: the whole run is one transaction (where DDL
  /// is transactional).
  bool transaction_per_migration = true;
  double lock_timeout = 60;
  std::map<std::string, std::string> x_arguments{};  // -x KEY=VALUE
  std::ostream* log = nullptr;                       // progress lines online (null: silent)
};

class MigrationContext {
 public:
  /// Online: statements run on `connection`. If the connection is already inside a transaction
  /// (a library caller's), the run happens inside it: revisions become savepoints and nothing is
  /// committed; the caller commits.
  MigrationContext(core::Connection& connection, MigrationContextOptions options);
  /// Offline: statements are written to `out` as a script for `dialect`.
  MigrationContext(const core::Dialect& dialect, std::ostream& out, MigrationContextOptions options);
  ~MigrationContext();
  MigrationContext(const MigrationContext&) = delete;
  MigrationContext& operator=(const MigrationContext&) = delete;

  /// Whether this context writes SQL text instead of running it.
  bool as_sql() const noexcept { return out_ != nullptr; }
  const core::Dialect& dialect() const noexcept { return dialect_; }
  const MigrationImpl& impl() const noexcept { return *impl_; }
  const VersionTable& version_table() const noexcept { return version_table_; }
  const std::map<std::string, std::string>& x_arguments() const noexcept { return options_.x_arguments; }
  /// Whether the database reads '\'' as an escaped quote (splitting SQL text must know).
  bool backslash_escapes() const noexcept { return dialect_.features().backslash_escapes; }
  /// The live connection (Alembic's get_bind()). Offline there is none: CommandError.
  core::Connection& connection();

  /// Runs (or writes) one SQL statement as written. `location` (file:line) and the revision being
  /// run name it when it fails; the MigrationError keeps the database error as its nested
  /// exception (std::rethrow_if_nested reaches e.g. core::IntegrityError).
  void execute(const std::string& sql, const std::string& location = {});
  /// Runs (or writes, values inline) a Core statement: DDL (CreateTable, AddColumn, ...) or DML.
  void execute(const core::NodePtr& statement, const std::string& location = {});
  template <core::Executable S>
  void execute(const S& statement, const std::string& location = {}) {
    execute(statement.node(), location);
  }
  /// Online only: runs a Core statement once per parameter set (executemany), e.g. bulk_insert's
  /// INSERT. Errors are reported as execute's.
  void execute_many(const core::NodePtr& statement, const std::vector<core::Params>& rows,
                    const std::string& location = {});
  /// A line of explanation: a SQL comment offline, a progress line online.
  void comment(const std::string& text);

  // ---- what the runner drives: the lock, transactions and the version table ----

  /// Takes the migration lock and, where the run is one transaction, opens it. Offline: BEGIN
  /// for a whole-run transaction.
  void begin_run();
  /// Commits what begin_run opened and releases the lock.
  void end_run();
  /// After a failure: rolls back what is still open and releases the lock; never throws (a
  /// connection that cannot be cleaned up is invalidated).
  void abort_run() noexcept;
  /// Opens the revision's transaction (a savepoint inside a run-wide one; none where the lock's
  /// transaction was taken for it and holds nothing else); a non-transactional revision runs
  /// outside any. `revision` names the statements' errors.
  /// Where no transaction surrounds the revision (the dialect's DDL is not transactional, or
  /// the revision says `transactional false`), online, each statement's success is recorded in
  /// the progress table, and a revision that an earlier run left part-way resumes after the
  /// statements it ran, once their text is checked unchanged.
  void begin_revision(const std::string& revision, bool transactional, bool upgrading = true);
  void end_revision();
  void abort_revision() noexcept;
  /// After a revision was aborted by ForeignKeysMustBeOff (a batch recreation of a referenced
  /// table): turns foreign key enforcement off outside the transaction, for the revision to run
  /// again; end_revision then checks every foreign key before it commits and turns enforcement
  /// back on. False where that cannot be done (offline, one transaction for the whole run or the
  /// caller's, a dialect that cannot, or already off).
  bool pause_foreign_keys();
  /// Whether another connection may have written since the lock was let go (SQLite commits each
  /// revision by ending its lock transaction and taking it again; PRAGMA data_version tells
  /// whether anyone else committed meanwhile): another run may have migrated, so the caller
  /// reads the version table again. Reset by the call.
  bool lock_was_released() noexcept { return std::exchange(lock_released_, false); }

  /// A script tells the checksum of the text it runs (SQL revisions), so that the history row
  /// records what ran and the file is not read a second time; the runner takes it (and falls
  /// back to reading the file) when it records the revision.
  void note_revision_checksum(std::string checksum) { revision_checksum_ = std::move(checksum); }
  std::optional<std::string> take_revision_checksum() { return std::exchange(revision_checksum_, std::nullopt); }

  /// The heads in the version table (online; offline there is nothing to read: empty).
  std::vector<std::string> read_heads();
  /// Creates the version table where it is missing (offline: writes its CREATE TABLE).
  void ensure_version_table();
  /// Offline only: writes the DROP TABLE that ends a script taking the database down to the
  /// base, as Alembic's does (online the empty table stays, so `current` reads no heads).
  void drop_version_table_offline();
  /// Writes version-table changes (HeadMaintainer's). Online, an UPDATE or DELETE must match
  /// exactly one row, or the run stops with a CommandError naming the row: the version table no
  /// longer says what the database holds.
  void record(const std::vector<VersionChange>& changes);
  /// Empties the version table.
  void purge_heads();
  /// Adds a row to the history table, in the revision's transaction (online only: an offline
  /// script records no history, and `retort verify` lists what it applied as never recorded).
  void record_history(const HistoryEntry& entry);
  /// The latest history entry of each revision (online; empty offline or without the table).
  std::map<std::string, RecordedRevision> read_history();
  /// Revisions an earlier run left part-way (online; empty without the progress table).
  std::vector<RevisionProgress> read_progress();

 private:
  void write(const std::string& sql);
  /// BEGIN or COMMIT in an offline script (no batch separator after it).
  void write_transaction_word(const std::string& word);
  std::string failure_message(const std::string& location, const core::DBAPIError& error, const std::string& sql) const;
  bool whole_run() const noexcept;
  /// Turns foreign key enforcement back on after pause_foreign_keys (outside a transaction).
  void restore_foreign_keys();
  /// Runs one statement of a revision, and records its progress where the revision resumes.
  void run_statement(const std::string& sql, const std::string& location, unsigned long long hash);
  /// Runs the statements held back for a resume that turned out not to match.
  void run_held_back();
  /// Takes the lock again after letting it go; notes (lock_was_released) when another
  /// connection may have written meanwhile.
  void take_lock_again();
  /// Notes a fresh lock transaction; whether another connection may have written since the
  /// lock was last taken (always, where the dialect cannot tell).
  bool lock_taken();

  const core::Dialect& dialect_;
  core::Connection* connection_ = nullptr;
  std::ostream* out_ = nullptr;
  MigrationContextOptions options_;
  std::unique_ptr<MigrationImpl> impl_;
  VersionTable version_table_;
  HistoryTable history_table_;
  bool history_ready_ = false;  // the history table is known to exist (one catalog query per run)
  ProgressTable progress_table_;
  bool progress_table_exists_ = false;                             // known once the first resumable revision looked
  std::optional<std::vector<RevisionProgress>> earlier_progress_;  // rows left by earlier runs
  bool resumable_ = false;                                         // this revision's statements record their progress
  bool upgrading_ = true;
  std::int64_t statement_index_ = 0;  // statements of this revision seen so far
  std::int64_t resume_after_ = 0;     // statements an earlier run already ran
  std::string resume_checksum_;       // and the checksum of their text
  unsigned long long statements_hash_ = 0;
  struct HeldBack {
    std::string sql{}, location{};
    unsigned long long hash{};  // of the statements up to this one
  };
  std::vector<HeldBack> held_back_;  // statements of a resume not yet decided

  // Online run state.
  bool external_transaction_ = false;  // the caller's transaction holds the run
  bool locked_ = false;
  bool left_lock_ = false;  // a non-transactional revision runs outside the lock transaction
  bool lock_released_ = false;
  std::optional<std::int64_t> commits_by_others_;  // at the last taking of the lock, where known
  bool lock_untouched_ = false;                    // nothing written since the lock was taken
  bool lock_is_revision_transaction_ = false;      // the revision runs in the lock's transaction itself
  bool lock_dropped_ = false;                      // a failed revision took the lock's transaction with it
  bool foreign_keys_paused_ = false;               // enforcement is off for the current revision
  std::optional<core::Transaction> run_transaction_;
  std::optional<core::Transaction> revision_transaction_;
  bool offline_revision_transaction_ = false;
  std::string revision_;
  std::optional<std::string> revision_checksum_;  // of the text the current revision's script runs
};

}  // namespace retort::migrate
