// Per-dialect migration rules (Alembic's DefaultImpl and its ddl/<dialect>.py subclasses): how a
// run takes the migration lock so that two runs never interleave, whether that lock is itself the
// run's transaction, and what batch mode and the alter sequencing must know about the database.
// One class per dialect in this folder, picked by dialect name from a registry; everything else
// in migrate/ asks these rules or the dialect's capability flags, never the dialect's name.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <retort/core/ddl/alter_elements.hpp>
#include <retort/core/dialect.hpp>
#include <retort/core/engine/connection.hpp>
#include <retort/core/reflection/reflected.hpp>
#include <retort/core/schema/constraints.hpp>

namespace retort::migrate {

/// A view or trigger that names a table, with the SQL that made it: what recreating the table
/// drops and makes again.
struct DependentObject {
  std::string type{};  // "view" or "trigger"
  std::string name{};
  std::string sql{};       // makes it again
  std::string drop_sql{};  // drops it before the old table goes; empty when it goes with the table
};

/// What recreating a table (batch "move and copy") must do around a database's rules, read from
/// its catalog before anything changes. The procedure (ops/move_and_copy.cpp): drop the foreign
/// keys that refer to the table (when asked), before_create, create the new table under a
/// temporary name, copy, check every foreign key against the copy, before_drop, drop the old
/// table, rename the new one, make its indexes, after_rename, make the dependents and foreign
/// keys again, and `finally` whatever happened.
struct TableRecreation {
  /// Statements on the old table before the new one is made, e.g. dropping the constraints whose
  /// names the new table takes (PostgreSQL: key names are index names, unique in the schema).
  std::vector<std::string> before_create{};
  /// The new table's foreign keys are added after the rename (MySQL: their names are unique in
  /// the schema, and the old table holds them until it is dropped).
  bool foreign_keys_after_rename = false;
  /// Other tables' foreign keys to the table are dropped first and made again at the end
  /// (PostgreSQL cannot drop a table that a foreign key refers to).
  bool drop_referring_foreign_keys = false;
  /// Goes between the copy's column list and its SELECT (PostgreSQL: OVERRIDING SYSTEM VALUE).
  std::string copy_clause{};
  std::vector<std::string> before_drop{};   // just before DROP TABLE of the old table
  std::vector<std::string> after_rename{};  // once the new table has the old name and its indexes
  std::vector<std::string> finally{};       // last, also after a failure (MySQL: checks back on)
};

/// A scratch namespace autogenerate applies a schema file in (see MigrationImpl::scratch_schema).
struct ScratchSchema {
  std::vector<std::string> create{};  // makes it and makes it the connection's default
  std::string drop{};                 // removes it and all it holds
};

class MigrationImpl {
 public:
  explicit MigrationImpl(const core::Dialect& dialect) : dialect_(dialect) {}
  virtual ~MigrationImpl() = default;
  MigrationImpl(const MigrationImpl&) = delete;
  MigrationImpl& operator=(const MigrationImpl&) = delete;

  const core::Dialect& dialect() const noexcept { return dialect_; }
  /// DDL inside a transaction rolls back (PostgreSQL, SQLite): a revision is one transaction.
  bool transactional_ddl() const noexcept { return dialect_.features().transactional_ddl; }
  /// ALTER cannot change a column's type, nullability or constraints: batch mode recreates the
  /// table (SQLite's "move and copy").
  bool requires_recreate_in_batch() const noexcept { return dialect_.features().requires_recreate_in_batch; }

  /// Takes the migration lock, waiting up to `timeout` seconds; calls `on_wait` once if the
  /// lock is held by someone else. Throws core::TimeoutError on timeout. The default takes none.
  virtual void acquire_lock(core::Connection& conn, double timeout, const std::function<void()>& on_wait);
  /// Releases the lock, keeping what was done under it.
  virtual void release_lock(core::Connection& conn);
  /// Releases the lock after a failure: where the lock is the run's transaction, what it holds
  /// is rolled back. The default is release_lock.
  virtual void abandon_lock(core::Connection& conn) { release_lock(conn); }
  /// After the run let the lock go for the last time: settings made for taking it are undone
  /// (SQLite's busy timeout). The default does nothing.
  virtual void end_locking(core::Connection&) {}
  /// Whether the lock itself is a transaction that the run happens inside (SQLite's write
  /// lock); revisions then use savepoints, or the lock's transaction itself when it was taken
  /// again for them.
  virtual bool lock_is_transaction() const { return false; }
  /// Read under the lock: a number that changes only when another connection commits to the
  /// database holding `schema` (SQLite's PRAGMA data_version). The same number at two takings of
  /// the lock means nobody wrote in between, so the version table need not be read again. None
  /// where the dialect cannot tell (the default): it is read again.
  virtual std::optional<std::int64_t> commits_by_others(core::Connection&, const std::optional<std::string>&) const {
    return std::nullopt;
  }
  /// Whether preparing a statement is local, not a round trip to a server (SQLite): small
  /// bookkeeping statements then run with bound values and stay prepared.
  virtual bool prepares_locally() const { return false; }
  /// Whether a view over a column keeps the column's type from changing and the column from
  /// being dropped (PostgreSQL); autogenerate then drops such views first and makes them after.
  virtual bool views_pin_their_columns() const { return false; }

  // ---- what batch recreation needs ----

  /// Whether the connection enforces foreign keys now. Servers always do (the default).
  virtual bool foreign_keys_enforced(core::Connection&) const { return true; }
  /// Whether enforcement can be turned off for a while, outside a transaction (SQLite).
  virtual bool can_pause_foreign_keys() const { return false; }
  /// Turns enforcement on or off; outside a transaction only. The default cannot (CommandError).
  virtual void set_foreign_keys_enforced(core::Connection& conn, bool on) const;
  /// The rows that break a foreign key, one line each ("child (row 4) -> parent"); the default
  /// checks nothing.
  virtual std::vector<std::string> foreign_key_violations(core::Connection&) const { return {}; }
  /// The views and triggers that name `table`, in the order they were made. The default: none.
  virtual std::vector<DependentObject> dependent_objects(core::Connection&, const std::string& table) const;
  /// What recreating `old_table` as `new_table` needs on this database (see TableRecreation); it
  /// may adjust `new_table` (PostgreSQL keeps a serial column's sequence). `old_column_of` maps
  /// each new column copied from an old one to that column's name. The default: nothing.
  virtual TableRecreation table_recreation(core::Connection& conn, const core::ReflectedTable& old_table,
                                           core::ReflectedTable& new_table,
                                           const std::map<std::string, std::string>& old_column_of) const;

  // ---- what autogenerate needs ----

  /// Statements to run before index (or unique constraint) `index` of `table` is dropped, so that
  /// the drop is allowed: InnoDB refuses to drop the index a foreign key uses (error 1553) unless
  /// another index serves the key, which MySQL's rules make first. None by default.
  virtual std::vector<std::string> before_dropping_index(core::Connection& /*conn*/, const core::TableName& /*table*/,
                                                         const std::string& /*index*/) const {
    return {};
  }
  /// The index the database made for foreign key `fk` of `table` and keeps when the key is
  /// dropped (InnoDB), which a migration that drops the key must drop too; none by default.
  virtual std::optional<std::string> index_left_by_foreign_key(const std::string& /*table*/,
                                                               const core::ForeignKeyConstraint& /*fk*/) const {
    return std::nullopt;
  }

  /// How to make a scratch namespace `name` on a server (PostgreSQL: a schema; MySQL: a
  /// database); none where the database needs none (SQLite: a private in-memory database).
  virtual std::optional<ScratchSchema> scratch_schema(const std::string& /*name*/) const { return std::nullopt; }

  /// The rules registered for `dialect`'s name; the default rules (no lock) for others.
  static std::unique_ptr<MigrationImpl> for_dialect(const core::Dialect& dialect);

 protected:
  /// Polls `try_sql` (a query answering 1 when it took the lock) until it does or `timeout` passes.
  static void poll_lock(core::Connection& conn, const std::string& try_sql, double timeout,
                        const std::function<void()>& on_wait);

 private:
  const core::Dialect& dialect_;
};

using MigrationImplFactory = std::function<std::unique_ptr<MigrationImpl>(const core::Dialect&)>;

/// Migration rules by dialect name. The built-in ones are registered on first use by
/// register_builtin_migration_impls(); an application adding a dialect may add its rules here.
class MigrationImplRegistry {
 public:
  static MigrationImplRegistry& instance();
  void add(const std::string& dialect_name, MigrationImplFactory factory);
  /// The rules for `dialect`, or the default rules.
  std::unique_ptr<MigrationImpl> create(const core::Dialect& dialect) const;

 private:
  MigrationImplRegistry() = default;
  std::map<std::string, MigrationImplFactory> factories_;
};

}  // namespace retort::migrate
