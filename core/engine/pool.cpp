// Pool implementations.
#include <retort/core/engine/pool.hpp>

#include <fmt/format.h>

#include <retort/core/errors.hpp>

namespace retort::core {

namespace {
using Clock = std::chrono::steady_clock;
}

PooledConnection Pool::create() { return PooledConnection{creator_(), Clock::now()}; }

PooledConnection Pool::validate(PooledConnection c) {
  if (options_.recycle >= 0) {
    double age = std::chrono::duration<double>(Clock::now() - c.created).count();
    if (age > options_.recycle) {
      c.connection->close();
      return create();
    }
  }
  if (options_.pre_ping && !c.connection->ping()) {
    c.connection->close();
    return create();
  }
  return c;
}

// ---- QueuePool ----------------------------------------------------------------------------

QueuePool::~QueuePool() { dispose(); }

PooledConnection QueuePool::checkout() {
  auto deadline =
      Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(options_.timeout));
  std::unique_lock lock(mutex_);
  while (true) {
    if (!idle_.empty()) {
      PooledConnection c = std::move(idle_.front());
      idle_.pop_front();
      lock.unlock();
      try {
        return validate(std::move(c));
      } catch (...) {
        std::lock_guard relock(mutex_);
        --open_;
        available_.notify_one();
        throw;
      }
    }
    bool may_open =
        options_.max_overflow < 0 || open_ < options_.pool_size + static_cast<std::size_t>(options_.max_overflow);
    if (may_open) {
      ++open_;
      lock.unlock();
      try {
        return create();
      } catch (...) {
        std::lock_guard relock(mutex_);
        --open_;
        available_.notify_one();
        throw;
      }
    }
    if (available_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
        !(options_.max_overflow < 0 || open_ < options_.pool_size + static_cast<std::size_t>(options_.max_overflow)))
      throw TimeoutError(
          fmt::format("QueuePool limit of size {} overflow {} reached, connection timed out, timeout {:.2f}s "
                      "(connections are probably not being returned: close them, or raise pool_size / "
                      "max_overflow)",
                      options_.pool_size, options_.max_overflow, options_.timeout));
  }
}

void QueuePool::checkin(PooledConnection c, bool invalidate) {
  std::unique_lock lock(mutex_);
  if (invalidate || idle_.size() >= options_.pool_size) {
    --open_;
    lock.unlock();
    if (c.connection) c.connection->close();
    available_.notify_one();
    return;
  }
  idle_.push_back(std::move(c));
  lock.unlock();
  available_.notify_one();
}

std::size_t QueuePool::checked_out() const {
  std::lock_guard lock(mutex_);
  return open_ - idle_.size();
}

void QueuePool::dispose() {
  std::deque<PooledConnection> closing;
  {
    std::lock_guard lock(mutex_);
    closing.swap(idle_);
    open_ -= closing.size();
  }
  for (auto& c : closing) c.connection->close();
}

std::string QueuePool::status() const {
  std::lock_guard lock(mutex_);
  return fmt::format("QueuePool size={} overflow={} open={} idle={} checked_out={}", options_.pool_size,
                     options_.max_overflow, open_, idle_.size(), open_ - idle_.size());
}

// ---- StaticPool ---------------------------------------------------------------------------

PooledConnection StaticPool::checkout() {
  auto deadline =
      Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(options_.timeout));
  std::unique_lock lock(mutex_);
  if (!available_.wait_until(lock, deadline, [&] { return !lent_; }))
    throw TimeoutError(
        fmt::format("StaticPool: the single shared connection was not returned within {:.2f}s (an "
                    "in-memory SQLite database has one connection; close it before opening another)",
                    options_.timeout));
  if (!connection_) connection_ = create();
  lent_ = true;
  return std::move(connection_);
}

void StaticPool::checkin(PooledConnection c, bool invalidate) {
  std::lock_guard lock(mutex_);
  // Invalidating would lose the in-memory database; the connection is kept regardless.
  (void)invalidate;
  connection_ = std::move(c);
  lent_ = false;
  available_.notify_one();
}

std::size_t StaticPool::checked_out() const {
  std::lock_guard lock(mutex_);
  return lent_ ? 1 : 0;
}

void StaticPool::dispose() {
  std::lock_guard lock(mutex_);
  if (connection_ && !lent_) {
    connection_.connection->close();
    connection_ = {};
  }
}

std::string StaticPool::status() const {
  std::lock_guard lock(mutex_);
  return fmt::format("StaticPool lent={}", lent_);
}

// ---- NullPool -----------------------------------------------------------------------------

PooledConnection NullPool::checkout() {
  auto c = create();
  ++lent_;
  return c;
}

void NullPool::checkin(PooledConnection c, bool) {
  --lent_;
  if (c.connection) c.connection->close();
}

std::string NullPool::status() const { return fmt::format("NullPool lent={}", lent_.load()); }

}  // namespace retort::core
