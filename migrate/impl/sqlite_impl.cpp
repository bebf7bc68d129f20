// SQLite's migration rules: the lock is the database's write lock (BEGIN IMMEDIATE), held as the
// run's transaction, so revisions run as savepoints inside it; ALTER is too weak for most column
// changes, so batch mode recreates tables (the dialect's requires_recreate_in_batch).
#include <fmt/format.h>

#include <retort/core/errors.hpp>
#include <retort/migrate/impl/builtin_impls.hpp>

namespace retort::migrate {

namespace {

class SQLiteImpl final : public MigrationImpl {
 public:
  using MigrationImpl::MigrationImpl;
  bool lock_is_transaction() const override { return true; }

  void acquire_lock(core::Connection& conn, double timeout, const std::function<void()>& on_wait) override {
    // Try once without waiting, to say that we wait; then wait up to the lock timeout.
    // The connection's own busy timeout is restored afterwards.
    auto saved = conn.exec_driver_sql("PRAGMA busy_timeout").scalar<std::int64_t>().value_or(5000);
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
};

}  // namespace

std::unique_ptr<MigrationImpl> make_sqlite_impl(const core::Dialect& dialect) {
  return std::make_unique<SQLiteImpl>(dialect);
}

}  // namespace retort::migrate
