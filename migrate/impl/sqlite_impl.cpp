// SQLite's migration rules: the lock is the database's write lock (BEGIN IMMEDIATE), held as the
// run's transaction, so revisions run as savepoints inside it; ALTER is too weak for most column
// changes, so batch mode recreates tables (the dialect's requires_recreate_in_batch).
#include <cstdint>
#include <optional>

#include <fmt/format.h>

#include <retort/core/errors.hpp>
#include <retort/core/text.hpp>
#include <retort/migrate/impl/builtin_impls.hpp>

namespace retort::migrate {

namespace {

class SQLiteImpl final : public MigrationImpl {
 public:
  using MigrationImpl::MigrationImpl;
  bool lock_is_transaction() const override { return true; }
  bool prepares_locally() const override { return true; }

  void acquire_lock(core::Connection& conn, double timeout, const std::function<void()>& on_wait) override {
    auto wait_ms = static_cast<std::int64_t>(timeout * 1000);
    if (waiting_ms_ == wait_ms) {
      // Taken again within a run (each revision commits by letting it go): the busy timeout is
      // the lock timeout already, so the lock costs one statement.
      begin_immediate(conn, timeout);
      return;
    }
    // Try once without waiting, to say that we wait; then wait up to the lock timeout. The
    // connection's own busy timeout comes back when the run ends (end_locking); until then its
    // statements too wait up to the lock timeout (a COMMIT waiting for readers to finish).
    if (!own_busy_timeout_)
      own_busy_timeout_ = conn.exec_driver_sql("PRAGMA busy_timeout").scalar<std::int64_t>().value_or(5000);
    conn.exec_driver_sql("PRAGMA busy_timeout = 0");
    bool locked = false;
    try {
      conn.exec_driver_sql("BEGIN IMMEDIATE");
      locked = true;
    } catch (const core::OperationalError&) {
      on_wait();
    }
    conn.exec_driver_sql(fmt::format("PRAGMA busy_timeout = {}", wait_ms));
    waiting_ms_ = wait_ms;
    if (!locked) begin_immediate(conn, timeout);
  }

  void end_locking(core::Connection& conn) override {
    if (!waiting_ms_) return;
    waiting_ms_.reset();
    conn.exec_driver_sql(fmt::format("PRAGMA busy_timeout = {}", *own_busy_timeout_));
  }

  void release_lock(core::Connection& conn) override {
    if (conn.driver_connection().in_transaction()) conn.exec_driver_sql("COMMIT");
  }

  std::optional<std::int64_t> commits_by_others(core::Connection& conn,
                                                const std::optional<std::string>& schema) const override {
    // data_version changes for this connection only when another one commits: its own
    // revisions leave it as it was.
    std::string pragma = schema ? fmt::format("PRAGMA {}.data_version", dialect().preparer().quote(*schema))
                                : std::string("PRAGMA data_version");
    return conn.exec_driver_sql(pragma).scalar<std::int64_t>();
  }

  void abandon_lock(core::Connection& conn) override {
    if (conn.driver_connection().in_transaction()) conn.exec_driver_sql("ROLLBACK");
  }

  bool foreign_keys_enforced(core::Connection& conn) const override {
    return conn.exec_driver_sql("PRAGMA foreign_keys").scalar<std::int64_t>().value_or(0) != 0;
  }
  bool can_pause_foreign_keys() const override { return true; }
  void set_foreign_keys_enforced(core::Connection& conn, bool on) const override {
    // A no-op inside a transaction (SQLite's rule), which would go unnoticed: refuse instead.
    if (conn.driver_connection().in_transaction())
      throw core::InternalInvariantError("PRAGMA foreign_keys changed inside a transaction");
    conn.exec_driver_sql(on ? "PRAGMA foreign_keys = ON" : "PRAGMA foreign_keys = OFF");
  }

  std::vector<std::string> foreign_key_violations(core::Connection& conn) const override {
    std::vector<std::string> out;
    auto result = conn.exec_driver_sql("PRAGMA foreign_key_check");
    for (auto& row : result) {
      auto rowid = row.get<std::optional<std::int64_t>>(1);
      out.push_back(fmt::format("{} (row {}) -> {}", row.get<std::string>(0),
                                rowid ? std::to_string(*rowid) : std::string("?"), row.get<std::string>(2)));
    }
    return out;
  }

  std::vector<DependentObject> dependent_objects(core::Connection& conn, const std::string& table) const override {
    // Triggers on the table go with DROP TABLE; views and triggers elsewhere that name it make the
    // rename of the new table fail. The text test is loose on purpose: a view dropped and made
    // again unchanged costs nothing.
    std::vector<DependentObject> out;
    auto result = conn.exec_driver_sql(
        "SELECT type, name, sql FROM sqlite_master WHERE type IN ('view', 'trigger') AND sql IS NOT NULL "
        "ORDER BY rowid");
    std::string needle = core::to_lower(table);
    for (auto& row : result) {
      auto type = row.get<std::string>(0);
      auto name = row.get<std::string>(1);
      auto sql = row.get<std::string>(2);
      if (core::to_lower(sql).find(needle) != std::string::npos)
        out.push_back(
            {type, name, sql, fmt::format("DROP {} {}", core::to_upper(type), dialect().preparer().quote(name))});
    }
    return out;
  }

 private:
  /// BEGIN IMMEDIATE, waiting as long as the busy timeout says; TimeoutError when it runs out
  /// (the connection's own busy timeout is given back first).
  void begin_immediate(core::Connection& conn, double timeout) {
    try {
      conn.exec_driver_sql("BEGIN IMMEDIATE");
    } catch (const core::OperationalError& e) {
      end_locking(conn);
      throw core::TimeoutError(
          fmt::format("timed out after {:.0f}s waiting for the migration lock (another process is writing to the "
                      "database): {}",
                      timeout, e.driver_message()));
    }
  }

  std::optional<std::int64_t> own_busy_timeout_;  // the connection's, read at the first lock
  std::optional<std::int64_t> waiting_ms_;        // the busy timeout set for the run, until end_locking
};

}  // namespace

std::unique_ptr<MigrationImpl> make_sqlite_impl(const core::Dialect& dialect) {
  return std::make_unique<SQLiteImpl>(dialect);
}

}  // namespace retort::migrate
