// MySQL/MariaDB's migration rules: a named lock per database (GET_LOCK, released when the session
// ends). DDL is not transactional there, so the runner stamps the version after each revision.
// Recreating a table swaps it with foreign key checks off, which keeps the other tables' foreign
// keys pointing at it by name, and carries over its triggers and AUTO_INCREMENT counter.
#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <fmt/ranges.h>

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

  std::vector<std::string> before_dropping_index(core::Connection& conn, const core::TableName& table,
                                                 const std::string& index) const override {
    // The foreign keys of the table and the indexes it has, each as its columns in order.
    std::map<std::string, std::vector<std::string>> keys, indexes;
    auto key_rows =
        conn.execute(core::text("SELECT CONSTRAINT_NAME, COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE "
                                "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = :t AND "
                                "REFERENCED_TABLE_NAME IS NOT NULL ORDER BY CONSTRAINT_NAME, ORDINAL_POSITION",
                                {{"t", table.name}}));
    for (auto& row : key_rows) keys[row.get<std::string>(0)].push_back(row.get<std::string>(1));
    auto index_rows =
        conn.execute(core::text("SELECT INDEX_NAME, COLUMN_NAME FROM information_schema.STATISTICS "
                                "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = :t "
                                "ORDER BY INDEX_NAME, SEQ_IN_INDEX",
                                {{"t", table.name}}));
    for (auto& row : index_rows) indexes[row.get<std::string>(0)].push_back(row.get<std::string>(1));
    auto serves = [](const std::vector<std::string>& ix, const std::vector<std::string>& key) {
      return ix.size() >= key.size() && std::equal(key.begin(), key.end(), ix.begin());
    };
    std::vector<std::string> out;
    auto dropped = indexes.find(index);
    if (dropped == indexes.end()) return out;
    for (const auto& [name, columns] : keys) {
      if (!serves(dropped->second, columns)) continue;
      bool other = false;
      for (const auto& [ix_name, ix_columns] : indexes)
        if (ix_name != index && serves(ix_columns, columns)) other = true;
      if (other) continue;
      core::ForeignKeyConstraint fk;
      fk.name = name;
      fk.columns = columns;
      auto helper = *index_left_by_foreign_key(table.name, fk);
      if (helper == index) helper = name;  // the key's own index: name the new one after the key
      std::vector<std::string> quoted;
      for (const auto& c : columns) quoted.push_back(dialect().preparer().quote(c));
      out.push_back(fmt::format("CREATE INDEX {} ON {} ({})", dialect().preparer().quote(helper),
                                dialect().preparer().format_table(table.name, table.schema), fmt::join(quoted, ", ")));
      indexes[helper] = columns;
    }
    return out;
  }

  std::optional<std::string> index_left_by_foreign_key(const std::string& table,
                                                       const core::ForeignKeyConstraint& fk) const override {
    // InnoDB names the index after the constraint, or after the key's first column when the
    // constraint was unnamed (it is then called <table>_ibfk_<n>).
    if (fk.columns.empty()) return std::nullopt;
    bool unnamed = fk.name.empty() || fk.name.rfind(table + "_ibfk_", 0) == 0;
    return unnamed ? fk.columns.front() : fk.name;
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
