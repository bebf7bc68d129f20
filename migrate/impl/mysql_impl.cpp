// MySQL/MariaDB's migration rules: a named lock per database (GET_LOCK, released when the session
// ends). DDL is not transactional there, so the runner stamps the version after each revision.
#include <retort/migrate/impl/builtin_impls.hpp>

namespace retort::migrate {

namespace {

class MySQLImpl final : public MigrationImpl {
 public:
  using MigrationImpl::MigrationImpl;
  void acquire_lock(core::Connection& conn, double timeout, const std::function<void()>& on_wait) override {
    poll_lock(conn, "SELECT GET_LOCK(CONCAT('retort_migrate_', DATABASE()), 0)", timeout, on_wait);
  }
  void release_lock(core::Connection& conn) override {
    conn.exec_driver_sql("SELECT RELEASE_LOCK(CONCAT('retort_migrate_', DATABASE()))");
  }
};

}  // namespace

std::unique_ptr<MigrationImpl> make_mysql_impl(const core::Dialect& dialect) {
  return std::make_unique<MySQLImpl>(dialect);
}

}  // namespace retort::migrate
