// The Engine: a dialect, a connection pool, a compiled-statement cache and events, made from a
// URL by create_engine(). Copies share the same pool; it is safe to use from many threads.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <retort/core/engine/connection.hpp>
#include <retort/core/engine/url.hpp>

namespace retort::core {

// Declared here, defined in their own headers: a program that only runs statements does not
// compile the pool, the statement compiler or the dialects (<retort/core/engine/events.hpp> for
// events(), <retort/core/dialect.hpp> for dialect()).
class CompiledCache;
class Dialect;
class Events;
class Pool;
struct Compiled;
struct EngineState;  // core/engine/engine_state.hpp, internal
class Node;

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

  const Dialect& dialect() const noexcept;
  const URL& url() const noexcept;
  Events& events() const noexcept;
  Pool& pool() const noexcept;
  CompiledCache& compiled_cache() const noexcept;
  /// Closes idle pooled connections.
  void dispose() const;

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
