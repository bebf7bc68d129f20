// Connection pools: QueuePool (bounded, thread-safe, with overflow and a checkout timeout),
// StaticPool (one shared connection, for SQLite :memory:), NullPool (no pooling).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include <retort/core/driver.hpp>

namespace retort::core {

struct PoolOptions {
  std::size_t pool_size = 5;  // connections kept open
  int max_overflow = 10;      // extra connections beyond pool_size; -1 for no limit
  double timeout = 30.0;      // seconds to wait for a connection before TimeoutError
  double recycle = -1.0;      // reconnect connections older than this many seconds (<0: never)
  bool pre_ping = false;      // test each connection at checkout, replacing dead ones
};

/// A driver connection on loan from a pool, with the time it was opened.
struct PooledConnection {
  std::unique_ptr<DriverConnection> connection{};
  std::chrono::steady_clock::time_point created{};
  explicit operator bool() const noexcept { return connection != nullptr; }
};

class Pool {
 public:
  using Creator = std::function<std::unique_ptr<DriverConnection>()>;
  explicit Pool(Creator creator, PoolOptions options = {}) : creator_(std::move(creator)), options_(options) {}
  virtual ~Pool() = default;
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  /// A connection, new or reused. Throws TimeoutError when none frees up in time, or the
  /// driver's error when a new connection cannot be opened.
  virtual PooledConnection checkout() = 0;
  /// Returns a connection; `invalidate` closes it instead of keeping it (e.g. after a
  /// disconnect or a failed rollback).
  virtual void checkin(PooledConnection connection, bool invalidate) = 0;
  /// Connections currently lent out.
  virtual std::size_t checked_out() const = 0;
  /// Closes the idle connections.
  virtual void dispose() = 0;
  /// A one-line summary for logs.
  virtual std::string status() const = 0;
  const PoolOptions& options() const noexcept { return options_; }

 protected:
  PooledConnection create();
  /// Applies recycle and pre_ping to a connection taken from the idle set; returns a fresh
  /// connection in its place when it is too old or dead.
  PooledConnection validate(PooledConnection c);

  Creator creator_;
  PoolOptions options_;
};

class QueuePool final : public Pool {
 public:
  using Pool::Pool;
  ~QueuePool() override;
  PooledConnection checkout() override;
  void checkin(PooledConnection connection, bool invalidate) override;
  std::size_t checked_out() const override;
  void dispose() override;
  std::string status() const override;

 private:
  mutable std::mutex mutex_;
  std::condition_variable available_;
  std::deque<PooledConnection> idle_;
  std::size_t open_ = 0;  // idle + checked out
};

/// One connection for everyone, lent to one user at a time (SQLite :memory: databases live
/// only as long as their connection, so the engine must never close it).
class StaticPool final : public Pool {
 public:
  using Pool::Pool;
  PooledConnection checkout() override;
  void checkin(PooledConnection connection, bool invalidate) override;
  std::size_t checked_out() const override;
  void dispose() override;
  std::string status() const override;

 private:
  mutable std::mutex mutex_;
  std::condition_variable available_;
  PooledConnection connection_;
  bool lent_ = false;
};

/// Opens a connection per checkout and closes it at checkin.
class NullPool final : public Pool {
 public:
  using Pool::Pool;
  PooledConnection checkout() override;
  void checkin(PooledConnection connection, bool invalidate) override;
  std::size_t checked_out() const override { return lent_; }
  void dispose() override {}
  std::string status() const override;

 private:
  std::atomic<std::size_t> lent_{0};
};

}  // namespace retort::core
