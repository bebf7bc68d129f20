// The default migration rules, the shared lock-polling loop, and the registry.
#include <retort/migrate/impl/migration_impl.hpp>

#include <chrono>
#include <thread>

#include <fmt/format.h>

#include <retort/core/errors.hpp>
#include <retort/migrate/errors.hpp>
#include <retort/migrate/impl/builtin_impls.hpp>

namespace retort::migrate {

void MigrationImpl::acquire_lock(core::Connection&, double, const std::function<void()>&) {}
void MigrationImpl::release_lock(core::Connection&) {}

void MigrationImpl::poll_lock(core::Connection& conn, const std::string& try_sql, double timeout,
                              const std::function<void()>& on_wait) {
  using Clock = std::chrono::steady_clock;
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
      throw core::TimeoutError(
          fmt::format("timed out after {:.0f}s waiting for the migration lock held "
                      "by another retort run",
                      timeout));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

std::unique_ptr<MigrationImpl> MigrationImpl::for_dialect(const core::Dialect& dialect) {
  return MigrationImplRegistry::instance().create(dialect);
}

MigrationImplRegistry& MigrationImplRegistry::instance() {
  // Registered explicitly on first use: static self-registration is dropped when linking a
  // static library.
  static MigrationImplRegistry* registry = [] {
    auto* r = new MigrationImplRegistry();
    register_builtin_migration_impls(*r);
    return r;
  }();
  return *registry;
}

void MigrationImplRegistry::add(const std::string& dialect_name, MigrationImplFactory factory) {
  factories_[dialect_name] = std::move(factory);
}

std::unique_ptr<MigrationImpl> MigrationImplRegistry::create(const core::Dialect& dialect) const {
  auto it = factories_.find(dialect.name());
  if (it != factories_.end()) return it->second(dialect);
  return std::make_unique<MigrationImpl>(dialect);
}

void MigrationImpl::set_foreign_keys_enforced(core::Connection&, bool) const {
  throw CommandError(fmt::format("the {} dialect cannot turn foreign key enforcement off", dialect_.name()));
}

std::vector<DependentObject> MigrationImpl::dependent_objects(core::Connection&, const std::string&) const {
  return {};
}

TableRecreation MigrationImpl::table_recreation(core::Connection&, const core::ReflectedTable&, core::ReflectedTable&,
                                                const std::map<std::string, std::string>&) const {
  return {};
}

}  // namespace retort::migrate
