// Per-dialect migration rules (Alembic's ddl/impl.py): how a run takes the migration lock so
// that two runs never interleave, and how revisions are wrapped in transactions. Picked by
// dialect name from a small registry; everything else in migrate/ is dialect-neutral.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include <retort/core/dialect.hpp>
#include <retort/core/engine/connection.hpp>

namespace retort::migrate {

class MigrationImpl {
 public:
  virtual ~MigrationImpl() = default;
  /// Takes the migration lock, waiting up to `timeout` seconds; calls `on_wait` once if the
  /// lock is held by someone else. Throws core::TimeoutError on timeout.
  virtual void acquire_lock(core::Connection& conn, double timeout,
                            const std::function<void()>& on_wait) = 0;
  virtual void release_lock(core::Connection& conn) = 0;
  /// Whether the lock itself is a transaction that the whole run happens inside (SQLite's
  /// write lock); revisions then use savepoints.
  virtual bool lock_is_transaction() const { return false; }

  /// The rules for `dialect` (default rules for unknown dialects: no lock).
  static std::unique_ptr<MigrationImpl> for_dialect(const core::Dialect& dialect);
};

}  // namespace retort::migrate
