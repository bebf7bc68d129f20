// What a Connection shares with the Results and Transactions it hands out: the pooled driver
// connection and the transaction levels open on it. Internal: only the engine's own sources
// include it, so that <retort/core/engine/connection.hpp> does not bring in the pool.
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <retort/core/engine/pool.hpp>

namespace retort::core {

struct EngineState;

/// Shared by a Connection and the Results and Transactions it hands out; the driver connection
/// returns to the pool when the last of them is gone.
struct ConnectionState {
  std::shared_ptr<EngineState> engine;
  PooledConnection pooled;
  /// The open transaction (index 0) and the savepoints inside it, each by the id it was opened
  /// with: a Transaction handle acts only while its level still holds its id, so a handle whose
  /// transaction another call ended never touches a later one.
  std::vector<std::uint64_t> open_levels;
  std::uint64_t next_level_id = 0;
  int savepoint_counter = 0;
  int transaction_depth() const noexcept { return static_cast<int>(open_levels.size()); }
  /// Opens a level (the transaction, or a savepoint inside it); returns its id.
  std::uint64_t open_level() {
    open_levels.push_back(++next_level_id);
    return next_level_id;
  }
  /// Whether `level` (1 = the transaction) is still the one opened with `id`.
  bool is_open(int level, std::uint64_t id) const noexcept {
    return level >= 1 && level <= transaction_depth() && open_levels[static_cast<std::size_t>(level - 1)] == id;
  }
  /// Ends `level` and every level inside it.
  void close_from(int level) { open_levels.resize(static_cast<std::size_t>(std::max(level - 1, 0))); }
  bool invalidated = false;  // the connection broke: discard it at checkin
  ConnectionState(std::shared_ptr<EngineState> e, PooledConnection p);
  ~ConnectionState();
  DriverConnection& driver();
  /// Runs SQL with no parameters and no result (BEGIN, COMMIT, ...), through the events.
  void run(const std::string& sql);
  /// Forgets a transaction that plain SQL (COMMIT/ROLLBACK) ended.
  void sync_transaction_depth();
  /// The isolation level is AUTOCOMMIT: BEGIN, COMMIT and ROLLBACK are not sent.
  bool autocommit() const;
  /// Opens the transaction a statement outside begin() runs in, under EngineOptions::autobegin.
  void autobegin();
};

}  // namespace retort::core
