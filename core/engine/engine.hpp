// The Engine: a dialect, a connection pool, a compiled-statement cache and events, made from a
// URL by create_engine(). Copies share the same pool; it is safe to use from many threads.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <retort/core/dialect.hpp>
#include <retort/core/engine/connection.hpp>
#include <retort/core/engine/events.hpp>
#include <retort/core/engine/pool.hpp>
#include <retort/core/engine/url.hpp>
#include <retort/core/sql/cache.hpp>

namespace retort::core {

enum class PoolKind { Default, Queue, Static, Null };

struct EngineOptions {
  std::size_t pool_size = 5;
  int max_overflow = 10;
  double pool_timeout = 30.0;
  double pool_recycle = -1.0;
  bool pool_pre_ping = false;
  PoolKind poolclass = PoolKind::Default;  // Static for SQLite :memory:, else Queue
  bool echo = false;                       // print each statement (password-free) to stderr
  /// "AUTOCOMMIT" makes transactions no-ops; otherwise a level such as "SERIALIZABLE".
  std::optional<std::string> isolation_level{};  // `{}`: EngineOptions{.echo = true} is warning-free
  std::size_t compiled_cache_size = 500;         // 0 disables the cache
  /// SQLAlchemy 2.0's commit-as-you-go: the first statement run outside begin() opens a
  /// transaction that lasts until conn.commit() or conn.rollback() (a connection closed without
  /// commit rolls back). Off by default: outside begin(), each statement commits on its own.
  bool autobegin = false;
  /// Connections only read (Dialect::read_only_url): commands such as `current` and `inspect`
  /// must never create a database.
  bool read_only = false;
};

/// State shared by an Engine's copies and its connections.
struct EngineState {
  URL url;
  std::unique_ptr<Dialect> dialect;
  std::unique_ptr<Pool> pool;
  CompiledCache cache;
  Events events;
  EngineOptions options;
  EngineState(URL u, std::unique_ptr<Dialect> d, EngineOptions o)
      : url(std::move(u)), dialect(std::move(d)), cache(o.compiled_cache_size), options(o) {}
};

class Engine {
 public:
  explicit Engine(std::shared_ptr<EngineState> state) : state_(std::move(state)) {}

  /// A connection from the pool; returned to the pool when the last Connection/Result using
  /// it is gone.
  Connection connect() const;
  /// Runs `work` in a transaction on a new connection: committed when it returns, rolled back
  /// when it throws.
  template <class F>
  auto transaction(F&& work) const;

  const Dialect& dialect() const noexcept { return *state_->dialect; }
  const URL& url() const noexcept { return state_->url; }
  Events& events() const noexcept { return state_->events; }
  Pool& pool() const noexcept { return *state_->pool; }
  CompiledCache& compiled_cache() const noexcept { return state_->cache; }
  /// Closes idle pooled connections.
  void dispose() const { state_->pool->dispose(); }

  /// Compiles a statement for this engine's dialect (through the cache).
  std::shared_ptr<const Compiled> compile(const Node& statement) const;

 private:
  std::shared_ptr<EngineState> state_;
};

/// Creates an engine from a URL such as "sqlite:///app.db" or
/// "postgresql://user:pass@localhost/db". Throws ArgumentError for a malformed URL or an
/// unknown dialect. No connection is opened until first use.
Engine create_engine(const std::string& url, EngineOptions options = {});
Engine create_engine(const URL& url, EngineOptions options = {});

template <class F>
auto Engine::transaction(F&& work) const {
  auto conn = connect();
  auto tx = conn.begin();
  if constexpr (std::is_void_v<decltype(work(conn))>) {
    work(conn);
    tx.commit();
  } else {
    auto result = work(conn);
    tx.commit();
    return result;
  }
}

}  // namespace retort::core
