// Migration locks per database: SQLite holds its write lock (BEGIN IMMEDIATE) for the run,
// PostgreSQL a session advisory lock, MySQL/MariaDB a named lock (GET_LOCK).
#include <retort/migrate/impl/migration_impl.hpp>

#include <chrono>
#include <thread>

#include <fmt/format.h>

#include <retort/core/errors.hpp>

namespace retort::migrate {

namespace {

using Clock = std::chrono::steady_clock;

class SQLiteImpl final : public MigrationImpl {
 public:
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
        throw core::TimeoutError(fmt::format("timed out after {:.0f}s waiting for the migration lock "
                                             "(another process is writing to the database): {}",
                                             timeout, e.driver_message()));
      }
    }
    conn.exec_driver_sql(fmt::format("PRAGMA busy_timeout = {}", saved));
  }
  void release_lock(core::Connection& conn) override {
    if (conn.driver_connection().in_transaction()) conn.exec_driver_sql("COMMIT");
  }
};

/// Polls a "try lock" query until it answers 1 or the timeout passes.
void poll_lock(core::Connection& conn, const std::string& try_sql, double timeout,
               const std::function<void()>& on_wait) {
  auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(timeout));
  bool told = false;
  while (true) {
    auto got = conn.exec_driver_sql(try_sql).scalar<std::int64_t>();
    if (got && *got == 1) return;
    if (!told) {
      on_wait();
      told = true;
    }
    if (Clock::now() >= deadline)
      throw core::TimeoutError(fmt::format("timed out after {:.0f}s waiting for the migration lock held "
                                           "by another retort run",
                                           timeout));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

class PostgreSQLImpl final : public MigrationImpl {
 public:
  // A fixed key: one migration at a time per database.
  static constexpr const char* kKey = "7362584213956721";
  void acquire_lock(core::Connection& conn, double timeout, const std::function<void()>& on_wait) override {
    poll_lock(conn, fmt::format("SELECT CAST(pg_try_advisory_lock({}) AS INTEGER)", kKey), timeout, on_wait);
  }
  void release_lock(core::Connection& conn) override {
    conn.exec_driver_sql(fmt::format("SELECT pg_advisory_unlock({})", kKey));
  }
};

class MySQLImpl final : public MigrationImpl {
 public:
  void acquire_lock(core::Connection& conn, double timeout, const std::function<void()>& on_wait) override {
    poll_lock(conn, "SELECT GET_LOCK(CONCAT('retort_migrate_', DATABASE()), 0)", timeout, on_wait);
  }
  void release_lock(core::Connection& conn) override {
    conn.exec_driver_sql("SELECT RELEASE_LOCK(CONCAT('retort_migrate_', DATABASE()))");
  }
};

class DefaultImpl final : public MigrationImpl {
 public:
  void acquire_lock(core::Connection&, double, const std::function<void()>&) override {}
  void release_lock(core::Connection&) override {}
};

}  // namespace

std::unique_ptr<MigrationImpl> MigrationImpl::for_dialect(const core::Dialect& dialect) {
  const std::string name = dialect.name();
  if (name == "sqlite") return std::make_unique<SQLiteImpl>();
  if (name == "postgresql") return std::make_unique<PostgreSQLImpl>();
  if (name == "mysql") return std::make_unique<MySQLImpl>();
  return std::make_unique<DefaultImpl>();
}

}  // namespace retort::migrate
