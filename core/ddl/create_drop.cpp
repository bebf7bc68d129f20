// MetaData::create_all and drop_all: DDL for every table in foreign-key dependency order,
// in one transaction where the database's DDL is transactional.
#include <optional>

#include <retort/core/ddl/ddl_compiler.hpp>
#include <retort/core/ddl/ddl_elements.hpp>
#include <retort/core/ddl/view_elements.hpp>
#include <retort/core/engine/engine.hpp>
#include <retort/core/schema/metadata.hpp>

namespace retort::core {

namespace {
/// A transaction of create_all's own, unless the caller's is open or will open with the first
/// statement (autobegin): then the caller commits.
std::optional<Transaction> own_transaction(Connection& conn) {
  std::optional<Transaction> tx;
  if (conn.dialect().features().transactional_ddl && !conn.in_transaction() && !conn.autobegins())
    tx.emplace(conn.begin());
  return tx;
}
}  // namespace

// On an Engine the work is finished here: under autobegin, the transaction the first statement
// opened is committed too.
void MetaData::create_all(const Engine& engine, bool checkfirst) const {
  auto conn = engine.connect();
  create_all(conn, checkfirst);
  if (conn.in_transaction()) conn.commit();
}

void MetaData::drop_all(const Engine& engine, bool checkfirst) const {
  auto conn = engine.connect();
  drop_all(conn, checkfirst);
  if (conn.in_transaction()) conn.commit();
}

void MetaData::create_all(Connection& conn, bool checkfirst) const {
  auto sorted = sorted_tables();  // marks cyclic foreign keys use_alter
  const auto& dialect = conn.dialect();
  auto tx = own_transaction(conn);
  std::vector<const Table*> created;
  for (const Table* t : sorted) {
    if (checkfirst && dialect.has_table(conn.driver_connection(), t->name(), t->schema())) continue;
    conn.execute(CreateTable(*t));
    for (const auto& ix : t->indexes()) conn.execute(CreateIndex(*t, ix));
    created.push_back(t);
  }
  if (dialect.features().supports_alter) {
    for (const Table* t : created)
      for (const auto& fk : t->foreign_keys())
        if (fk.use_alter) conn.execute(AddConstraint(*t, fk));
  }
  for (const auto& v : views()) {
    if (checkfirst && dialect.has_table(conn.driver_connection(), v.name, v.schema)) continue;
    conn.execute(CreateView({v.name, v.schema}, v.definition));
  }
  if (tx) tx->commit();
}

void MetaData::drop_all(Connection& conn, bool checkfirst) const {
  auto sorted = sorted_tables();
  const auto& dialect = conn.dialect();
  auto tx = own_transaction(conn);
  for (auto it = views().rbegin(); it != views().rend(); ++it)
    if (!checkfirst || dialect.has_table(conn.driver_connection(), it->name, it->schema))
      conn.execute(DropView({it->name, it->schema}));
  std::vector<const Table*> present;
  for (auto it = sorted.rbegin(); it != sorted.rend(); ++it)
    if (!checkfirst || dialect.has_table(conn.driver_connection(), (*it)->name(), (*it)->schema()))
      present.push_back(*it);
  // Constraints closing a cycle go first, so that each table can then be dropped.
  if (dialect.features().supports_alter) {
    for (const Table* t : present)
      for (const auto& fk : t->foreign_keys())
        if (fk.use_alter && !fk.name.empty())
          conn.execute(DropConstraint(fk.name, t->name(), t->schema(), ConstraintType::ForeignKey));
  }
  for (const Table* t : present) conn.execute(DropTable(*t));
  for (const auto& sql : dialect.ddl_compiler()->post_drop_all_statements(present)) conn.exec_driver_sql(sql);
  if (tx) tx->commit();
}

}  // namespace retort::core
