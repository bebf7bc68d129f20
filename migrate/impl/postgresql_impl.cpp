// PostgreSQL's migration rules: a session advisory lock (released when the session ends, so a
// killed run never leaves it held).
#include <fmt/format.h>

#include <retort/migrate/impl/builtin_impls.hpp>

namespace retort::migrate {

namespace {

class PostgreSQLImpl final : public MigrationImpl {
 public:
  using MigrationImpl::MigrationImpl;
  // A fixed key: one migration at a time per database.
  static constexpr const char* kKey = "7362584213956721";

  void acquire_lock(core::Connection& conn, double timeout, const std::function<void()>& on_wait) override {
    poll_lock(conn, fmt::format("SELECT CAST(pg_try_advisory_lock({}) AS INTEGER)", kKey), timeout, on_wait);
  }
  void release_lock(core::Connection& conn) override {
    conn.exec_driver_sql(fmt::format("SELECT pg_advisory_unlock({})", kKey));
  }
};

}  // namespace

std::unique_ptr<MigrationImpl> make_postgresql_impl(const core::Dialect& dialect) {
  return std::make_unique<PostgreSQLImpl>(dialect);
}

}  // namespace retort::migrate
