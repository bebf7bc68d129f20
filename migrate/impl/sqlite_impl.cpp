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

  void acquire_lock(core::Connection& conn, double timeout, const std::function<void()>& on_wait) override {
    // Try once without waiting, to say that we wait; then wait up to the lock timeout.
    // The connection's own busy timeout, read at the first lock of the run (the lock is taken
    // again after every revision), is restored afterwards.
    if (!busy_timeout_)
      busy_timeout_ = conn.exec_driver_sql("PRAGMA busy_timeout").scalar<std::int64_t>().value_or(5000);
    auto saved = *busy_timeout_;
    conn.exec_driver_sql("PRAGMA busy_timeout = 0");
    bool locked = false;
    try {
      conn.exec_driver_sql("BEGIN IMMEDIATE");
      locked = true;
    } catch (const core::OperationalError&) {
      on_wait();
    }
    if (!locked) {
      conn.exec_driver_sql(fmt::format("PRAGMA busy_timeout = {}", static_cast<long>(timeout * 1000)));
      try {
        conn.exec_driver_sql("BEGIN IMMEDIATE");
      } catch (const core::OperationalError& e) {
        conn.exec_driver_sql(fmt::format("PRAGMA busy_timeout = {}", saved));
        throw core::TimeoutError(
            fmt::format("timed out after {:.0f}s waiting for the migration lock "
                        "(another process is writing to the database): {}",
                        timeout, e.driver_message()));
      }
    }
    conn.exec_driver_sql(fmt::format("PRAGMA busy_timeout = {}", saved));
  }

  void release_lock(core::Connection& conn) override {
    if (conn.driver_connection().in_transaction()) conn.exec_driver_sql("COMMIT");
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
  std::optional<std::int64_t> busy_timeout_;  // the connection's own, restored after each lock
};

}  // namespace

std::unique_ptr<MigrationImpl> make_sqlite_impl(const core::Dialect& dialect) {
  return std::make_unique<SQLiteImpl>(dialect);
}

}  // namespace retort::migrate
