// The migration context's two modes. Online: statements run on the connection; transactions are
// core::Transactions (savepoints inside SQLite's lock transaction or a caller's transaction; a
// revision alone in the lock transaction runs in it directly), and the lock is the dialect's
// MigrationImpl. Offline: the same calls write a script, with the
// dialect's transaction words, terminator and batch separator.
#include <retort/migrate/runtime/migration_context.hpp>

#include <ostream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <retort/core/sql/compiler.hpp>
#include <retort/migrate/errors.hpp>
#include <retort/migrate/revision_checksum.hpp>

namespace retort::migrate {

MigrationContext::MigrationContext(core::Connection& connection, MigrationContextOptions options)
    : dialect_(connection.dialect()),
      connection_(&connection),
      options_(std::move(options)),
      impl_(MigrationImpl::for_dialect(dialect_)),
      version_table_(options_.version_table, options_.version_table_schema),
      history_table_(options_.version_table, options_.version_table_schema),
      progress_table_(options_.version_table, options_.version_table_schema) {}

MigrationContext::MigrationContext(const core::Dialect& dialect, std::ostream& out, MigrationContextOptions options)
    : dialect_(dialect),
      out_(&out),
      options_(std::move(options)),
      impl_(MigrationImpl::for_dialect(dialect_)),
      version_table_(options_.version_table, options_.version_table_schema),
      history_table_(options_.version_table, options_.version_table_schema),
      progress_table_(options_.version_table, options_.version_table_schema) {}

MigrationContext::~MigrationContext() = default;

core::Connection& MigrationContext::connection() {
  if (!connection_)
    throw CommandError(
        "this migration step needs a live database connection, which offline (--sql) "
        "mode does not have");
  return *connection_;
}

bool MigrationContext::whole_run() const noexcept {
  return !options_.transaction_per_migration && impl_->transactional_ddl();
}

void MigrationContext::write_transaction_word(const std::string& word) {
  *out_ << word << dialect_.script_syntax().statement_terminator << "\n\n";
}

void MigrationContext::write(const std::string& sql) {
  const auto& syntax = dialect_.script_syntax();
  *out_ << sql << syntax.statement_terminator << "\n\n";
  if (!syntax.batch_separator.empty()) *out_ << syntax.batch_separator << "\n\n";
}

std::string MigrationContext::failure_message(const std::string& location, const core::DBAPIError& error,
                                              const std::string& sql) const {
  std::string where = location;
  if (!revision_.empty()) where += (where.empty() ? "" : ": ") + ("revision " + revision_);
  return fmt::format("{}{}statement failed: {}\n  {}", where, where.empty() ? "" : ": ", error.driver_message(), sql);
}

void MigrationContext::execute(const std::string& sql, const std::string& location) {
  if (as_sql()) return write(sql);
  if (resumable_) {
    ++statement_index_;
    statements_hash_ = fnv1a64(sql, fnv1a64(std::string_view("\0", 1), statements_hash_));
    if (statement_index_ <= resume_after_) {
      // Held back until the statements that the earlier run ran are all seen: unchanged, they are
      // skipped; changed, they run again from the first (as before there was any resume).
      held_back_.push_back({sql, location, statements_hash_});
      if (statement_index_ == resume_after_) {
        if (checksum_text(statements_hash_) == resume_checksum_)
          held_back_.clear();
        else
          run_held_back();
      }
      return;
    }
  }
  run_statement(sql, location, statements_hash_);
}

void MigrationContext::run_held_back() {
  if (options_.log)
    *options_.log << fmt::format(
                         " (statements 1 to {} have changed since the earlier run stopped after them: running the "
                         "revision from its first statement)",
                         resume_after_)
                  << std::flush;
  auto statements = std::move(held_back_);
  held_back_.clear();
  resume_after_ = 0;
  std::int64_t index = statement_index_;
  statement_index_ = 0;
  for (const auto& held : statements) {
    ++statement_index_;
    run_statement(held.sql, held.location, held.hash);
  }
  statement_index_ = index;
}

void MigrationContext::run_statement(const std::string& sql, const std::string& location, unsigned long long hash) {
  lock_untouched_ = false;
  try {
    connection_->exec_driver_sql(sql);
  } catch (const core::DBAPIError& e) {
    throw MigrationError(failure_message(location, e, sql));
  }
  if (resumable_) {
    if (!progress_table_exists_) {
      execute(progress_table_.create(), progress_table_.name());
      progress_table_exists_ = true;
    }
    execute(progress_table_.remove(revision_).node(), progress_table_.name());
    execute(
        progress_table_.insert({revision_, upgrading_ ? "upgrade" : "downgrade", statement_index_, checksum_text(hash)})
            .node(),
        progress_table_.name());
  }
}

namespace {
/// A statement node as something Connection::execute takes.
struct NodeStatement {
  const core::NodePtr& statement;
  const core::NodePtr& node() const noexcept { return statement; }
};
}  // namespace

void MigrationContext::execute(const core::NodePtr& statement, const std::string& location) {
  if (as_sql()) {
    auto compiled = dialect_.statement_compiler()->compile(*statement, {.literal_binds = true});
    for (const auto& sql : compiled.statements()) write(sql);
    return;
  }
  lock_untouched_ = false;
  try {
    connection_->execute(NodeStatement{statement});
  } catch (const core::DBAPIError& e) {
    auto compiled = dialect_.statement_compiler()->compile(*statement, {.literal_binds = true});
    throw MigrationError(failure_message(location, e, compiled.sql));
  }
}

void MigrationContext::execute_many(const core::NodePtr& statement, const std::vector<core::Params>& rows,
                                    const std::string& location) {
  if (as_sql()) throw CommandError("execute_many has no offline form: render one statement per row");
  lock_untouched_ = false;
  try {
    connection_->execute(NodeStatement{statement}, rows);
  } catch (const core::DBAPIError& e) {
    auto compiled = dialect_.statement_compiler()->compile(*statement, {});
    throw MigrationError(failure_message(location, e, compiled.sql));
  }
}

void MigrationContext::comment(const std::string& text) {
  if (as_sql())
    *out_ << "-- " << text << "\n\n";
  else if (options_.log)
    *options_.log << text << std::flush;
}

// ---- the run ----------------------------------------------------------------------------------

void MigrationContext::begin_run() {
  if (as_sql()) {
    if (whole_run()) write_transaction_word(dialect_.script_syntax().begin_transaction);
    return;
  }
  external_transaction_ = connection_->in_transaction();
  // A lock that is itself a transaction cannot be taken inside the caller's: their transaction
  // is the run's.
  if (!(external_transaction_ && impl_->lock_is_transaction())) {
    impl_->acquire_lock(*connection_, options_.lock_timeout, [&] {
      if (options_.log)
        *options_.log << fmt::format(
                             "Waiting for the migration lock (another retort run is migrating this "
                             "database; lock_timeout {:.0f}s)...\n",
                             options_.lock_timeout)
                      << std::flush;
    });
    locked_ = true;
    try {
      lock_taken();
    } catch (...) {
      abort_run();  // the lock goes, and the connection's settings come back
      throw;
    }
  }
  if (whole_run() && !external_transaction_ && !impl_->lock_is_transaction())
    run_transaction_.emplace(connection_->begin());
}

void MigrationContext::end_run() {
  if (as_sql()) {
    if (whole_run()) write_transaction_word(dialect_.script_syntax().commit_transaction);
    return;
  }
  if (run_transaction_) {
    run_transaction_->commit();
    run_transaction_.reset();
  }
  if (locked_) {
    locked_ = false;
    impl_->release_lock(*connection_);
    impl_->end_locking(*connection_);
  }
}

void MigrationContext::abort_run() noexcept {
  if (as_sql()) return;
  try {
    // A run-wide transaction rolls back whole; per-revision ones already rolled back the failing
    // revision, and a lock transaction keeps (commits) the revisions before it.
    revision_transaction_.reset();
    if (run_transaction_) {
      if (run_transaction_->is_active()) run_transaction_->rollback();
      run_transaction_.reset();
    }
    if (locked_) {
      locked_ = false;
      // A revision still in the lock's own transaction (not aborted first) goes with it.
      if (whole_run() || std::exchange(lock_is_revision_transaction_, false))
        impl_->abandon_lock(*connection_);
      else
        impl_->release_lock(*connection_);
    }
    impl_->end_locking(*connection_);  // also when end_run failed after letting the lock go
    restore_foreign_keys();
  } catch (...) {
    connection_->invalidate();
  }
}

bool MigrationContext::pause_foreign_keys() {
  if (as_sql() || foreign_keys_paused_ || !impl_->can_pause_foreign_keys() || whole_run() || external_transaction_ ||
      !locked_ || !impl_->lock_is_transaction() || revision_transaction_ || lock_is_revision_transaction_)
    return false;
  if (!lock_dropped_) impl_->release_lock(*connection_);
  impl_->set_foreign_keys_enforced(*connection_, false);
  foreign_keys_paused_ = true;
  take_lock_again();
  return true;
}

void MigrationContext::take_lock_again() {
  impl_->acquire_lock(*connection_, options_.lock_timeout, [] {});
  if (lock_taken()) lock_released_ = true;
}

bool MigrationContext::lock_taken() {
  lock_dropped_ = false;
  lock_untouched_ = true;
  auto commits = impl_->commits_by_others(*connection_, version_table_.schema());
  bool others_may_have_written = !commits || commits != commits_by_others_;
  commits_by_others_ = commits;
  return others_may_have_written;
}

void MigrationContext::restore_foreign_keys() {
  if (!foreign_keys_paused_) return;
  foreign_keys_paused_ = false;
  impl_->set_foreign_keys_enforced(*connection_, true);
}

void MigrationContext::begin_revision(const std::string& revision, bool transactional, bool upgrading) {
  revision_ = revision;
  revision_checksum_.reset();
  upgrading_ = upgrading;
  statement_index_ = 0;
  statements_hash_ = kFnvOffset;
  resume_after_ = 0;
  resume_checksum_.clear();
  resumable_ = !as_sql() && !revision.empty() && (!impl_->transactional_ddl() || !transactional);
  if (resumable_) {
    if (!earlier_progress_) {  // read once per run: only earlier runs' rows matter here
      progress_table_exists_ = progress_table_.exists(*connection_);
      earlier_progress_ = progress_table_exists_ ? progress_table_.read(*connection_) : std::vector<RevisionProgress>{};
    }
    for (const auto& p : *earlier_progress_)
      if (p.revision == revision && p.direction == (upgrading ? "upgrade" : "downgrade")) {
        resume_after_ = p.statements_done;
        resume_checksum_ = p.checksum;
      }
    if (resume_after_ > 0 && options_.log)
      *options_.log << fmt::format(" (resuming after statement {}, where an earlier run stopped)", resume_after_)
                    << std::flush;
  }
  bool in_lock_transaction = locked_ && impl_->lock_is_transaction();
  bool own_transaction = impl_->transactional_ddl() && transactional && !whole_run();
  if (as_sql()) {
    offline_revision_transaction_ = own_transaction;
    if (offline_revision_transaction_) write_transaction_word(dialect_.script_syntax().begin_transaction);
    return;
  }
  // Non-transactional revisions (e.g. CREATE INDEX CONCURRENTLY) run outside any transaction:
  // a lock that is a transaction is left for them and taken again after.
  left_lock_ = in_lock_transaction && !transactional;
  if (left_lock_) {
    impl_->release_lock(*connection_);
    return;
  }
  // A lock transaction taken for this revision and holding nothing else is the revision's own
  // (one transaction per migration on SQLite): no savepoint inside it.
  lock_is_revision_transaction_ = own_transaction && lock_untouched_ && in_lock_transaction && !external_transaction_;
  if (own_transaction && !lock_is_revision_transaction_)
    revision_transaction_.emplace(in_lock_transaction || external_transaction_ || run_transaction_
                                      ? connection_->begin_nested()
                                      : connection_->begin());
}

void MigrationContext::end_revision() {
  if (as_sql()) {
    if (offline_revision_transaction_) write_transaction_word(dialect_.script_syntax().commit_transaction);
    offline_revision_transaction_ = false;
  } else {
    if (foreign_keys_paused_) {
      // Enforcement was off for this revision: what it did is checked before it commits.
      auto violations = impl_->foreign_key_violations(*connection_);
      if (!violations.empty())
        throw CommandError(fmt::format("revision {}: {} row(s) break a foreign key: {}", revision_, violations.size(),
                                       fmt::join(violations, "; ")));
    }
    if (revision_transaction_) {
      revision_transaction_->commit();
      revision_transaction_.reset();
    }
    if (left_lock_) {
      left_lock_ = false;
      take_lock_again();
    } else if (locked_ && impl_->lock_is_transaction() && !whole_run() && !external_transaction_) {
      // One transaction per migration: the revision is durable once it ends, also where the lock
      // is the run's transaction (SQLite), so a killed run keeps what it finished.
      impl_->release_lock(*connection_);
      lock_is_revision_transaction_ = false;  // only once committed: a failed COMMIT is rolled back
      restore_foreign_keys();
      take_lock_again();
    }
  }
  revision_.clear();
}

void MigrationContext::abort_revision() noexcept {
  if (as_sql()) return;
  try {
    if (revision_transaction_ && revision_transaction_->is_active()) revision_transaction_->rollback();
    revision_transaction_.reset();
    if (lock_is_revision_transaction_) {
      // The revision was the lock's whole transaction: it goes, and with it the lock, which is
      // taken again only if the revision is to run again (pause_foreign_keys).
      impl_->abandon_lock(*connection_);
      lock_is_revision_transaction_ = false;  // only once rolled back: abort_run never commits it
      lock_dropped_ = true;
    }
    if (left_lock_) {
      left_lock_ = false;
      impl_->acquire_lock(*connection_, options_.lock_timeout, [] {});
    }
  } catch (...) {
    revision_transaction_.reset();
    connection_->invalidate();
  }
}

// ---- the version table ------------------------------------------------------------------------

std::vector<std::string> MigrationContext::read_heads() {
  if (as_sql()) return {};
  return version_table_.read(*connection_);
}

void MigrationContext::ensure_version_table() {
  if (as_sql() || !version_table_.exists(*connection_)) execute(version_table_.create(), version_table_.name());
  if (!as_sql() && !history_table_.exists(*connection_)) execute(history_table_.create(), history_table_.name());
  history_ready_ = !as_sql();
}

void MigrationContext::record_history(const HistoryEntry& entry) {
  if (as_sql()) return;
  if (!history_ready_ && !history_table_.exists(*connection_)) execute(history_table_.create(), history_table_.name());
  history_ready_ = true;
  execute(history_table_.insert(entry).node(), history_table_.name());
}

std::vector<RevisionProgress> MigrationContext::read_progress() {
  if (as_sql()) return {};
  return progress_table_.read(*connection_);
}

std::map<std::string, RecordedRevision> MigrationContext::read_history() {
  if (as_sql()) return {};
  return history_table_.read_latest(*connection_);
}

void MigrationContext::drop_version_table_offline() {
  if (as_sql()) execute(version_table_.drop(), version_table_.name());
}

void MigrationContext::record(const std::vector<VersionChange>& changes) {
  if (resumable_ && statement_index_ < resume_after_) run_held_back();  // fewer statements now: changed
  // The revision is done: its progress row goes (also one left by a run that died just here).
  if (resumable_ && progress_table_exists_) execute(progress_table_.remove(revision_).node(), progress_table_.name());
  // Values inline online too where preparing is a round trip: a revision's DDL empties a
  // server driver's prepared-statement cache (PostgreSQL), so a prepared UPDATE would cost a
  // PREPARE per revision. Where preparing is local (SQLite), bound values keep one cached
  // statement instead of filling the cache with one-off texts.
  auto compiler = dialect_.statement_compiler();
  const bool bound = !as_sql() && impl_->prepares_locally();
  for (const auto& change : changes) {
    core::NodePtr statement;
    switch (change.kind) {
      case VersionChange::Kind::Insert: statement = version_table_.insert(change.to).node(); break;
      case VersionChange::Kind::Delete: statement = version_table_.remove(change.from).node(); break;
      case VersionChange::Kind::Update: statement = version_table_.replace(change.from, change.to).node(); break;
    }
    std::string sql = bound ? std::string() : compiler->compile(*statement, {.literal_binds = true}).sql;
    if (as_sql()) {
      write(sql);
      continue;
    }
    std::int64_t rows;
    lock_untouched_ = false;
    try {
      rows = bound ? connection_->execute(NodeStatement{statement}).rowcount()
                   : connection_->exec_driver_sql(sql).rowcount();
    } catch (const core::DBAPIError& e) {
      throw MigrationError(failure_message(version_table_.name(), e,
                                           bound ? compiler->compile(*statement, {.literal_binds = true}).sql : sql));
    }
    if (change.kind != VersionChange::Kind::Insert && rows != 1 && dialect_.features().supports_sane_rowcount)
      throw CommandError(fmt::format(
          "the version table {} should have had one row {} when {} it, but {} matched; the table no longer says "
          "what the database holds (`retort current`, then `retort stamp` to repair)",
          version_table_.name(), change.from,
          change.kind == VersionChange::Kind::Delete ? "deleting" : fmt::format("moving it to {}", change.to), rows));
  }
}

void MigrationContext::purge_heads() { execute(version_table_.remove_all(), version_table_.name()); }

}  // namespace retort::migrate
