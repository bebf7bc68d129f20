// MySQL/MariaDB's migration rules: a named lock per database (GET_LOCK, released when the session
// ends). DDL is not transactional there, so the runner stamps the version after each revision.
// Recreating a table swaps it with foreign key checks off, which keeps the other tables' foreign
// keys pointing at it by name, and carries over its triggers and AUTO_INCREMENT counter.
#include <fmt/format.h>

#include <retort/core/sql/elements.hpp>
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

  std::optional<ScratchSchema> scratch_schema(const std::string& name) const override {
    auto q = dialect().preparer().quote(name);
    return ScratchSchema{{"CREATE DATABASE " + q, "USE " + q}, "DROP DATABASE " + q};
  }

  std::vector<DependentObject> dependent_objects(core::Connection& conn, const std::string& table) const override {
    // Triggers go with the table; views name it and work again once the new table has its name.
    std::vector<std::string> names;
    auto triggers =
        conn.execute(core::text("SELECT TRIGGER_NAME FROM information_schema.TRIGGERS "
                                "WHERE EVENT_OBJECT_SCHEMA = DATABASE() AND EVENT_OBJECT_TABLE = :t "
                                "ORDER BY ACTION_ORDER",
                                {{"t", table}}));
    for (auto& row : triggers) names.push_back(row.get<std::string>(0));
    std::vector<DependentObject> out;
    for (const auto& name : names) {
      auto definition = conn.exec_driver_sql("SHOW CREATE TRIGGER " + dialect().preparer().quote(name)).one();
      out.push_back({"trigger", name, definition.get<std::string>(2), ""});
    }
    return out;
  }

  TableRecreation table_recreation(core::Connection& conn, const core::ReflectedTable& old_table,
                                   core::ReflectedTable& new_table,
                                   const std::map<std::string, std::string>&) const override {
    TableRecreation rules;
    // Foreign key names are unique in the database and the old table holds them until dropped.
    rules.foreign_keys_after_rename = true;
    // With checks off the old table can be dropped although other tables refer to it, and their
    // foreign keys find the new one by name (move_and_copy checks their rows first).
    auto checks = conn.exec_driver_sql("SELECT @@foreign_key_checks").scalar<std::int64_t>().value_or(1);
    rules.before_drop.push_back("SET FOREIGN_KEY_CHECKS = 0");
    rules.finally.push_back(fmt::format("SET FOREIGN_KEY_CHECKS = {}", checks));
    // The counter continues where the old table's was, not after the copied rows' largest value.
    bool counts = false;
    for (const auto& c : new_table.columns) counts = counts || c.autoincrement;
    // (NULL for a table without one; no row should not happen, but means nothing to carry.)
    auto next = conn.execute(core::text("SELECT AUTO_INCREMENT FROM information_schema.TABLES "
                                        "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = :t",
                                        {{"t", old_table.name}}))
                    .scalar<std::optional<std::int64_t>>();
    if (counts && next && *next)
      rules.after_rename.push_back(fmt::format("ALTER TABLE {} AUTO_INCREMENT = {}",
                                               dialect().preparer().format_table(old_table.name, old_table.schema),
                                               **next));
    return rules;
  }
};

}  // namespace

std::unique_ptr<MigrationImpl> make_mysql_impl(const core::Dialect& dialect) {
  return std::make_unique<MySQLImpl>(dialect);
}

}  // namespace retort::migrate
