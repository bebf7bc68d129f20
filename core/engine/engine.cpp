// Engine creation: URL -> dialect (registry) -> pool choice.
#include <retort/core/engine/engine.hpp>

#include <fmt/format.h>

#include <retort/core/engine/connection_state.hpp>
#include <retort/core/engine/engine_state.hpp>
#include <retort/core/errors.hpp>

namespace retort::core {

Engine create_engine(const std::string& url, EngineOptions options) { return create_engine(URL::parse(url), options); }

Engine create_engine(const URL& url, EngineOptions options) {
  auto dialect = DialectRegistry::instance().create(url.drivername());
  URL engine_url = options.read_only ? dialect->read_only_url(url) : url;
  auto state = std::make_shared<EngineState>(std::move(engine_url), std::move(dialect), options);
  PoolOptions pool_options{options.pool_size, options.max_overflow, options.pool_timeout, options.pool_recycle,
                           options.pool_pre_ping};
  if (options.pool_size == 0 && options.poolclass == PoolKind::Queue)
    throw ArgumentError("pool_size must be at least 1 for a queue pool");
  // The creator holds a weak reference: the pool lives inside the state it would point to.
  std::weak_ptr<EngineState> weak = state;
  Pool::Creator creator = [weak]() {
    auto s = weak.lock();
    if (!s) throw InvalidRequestError("the engine was disposed");
    auto conn = s->dialect->connect(s->url);
    s->events.fire_connect(*conn);
    return conn;
  };
  PoolKind kind = options.poolclass;
  if (kind == PoolKind::Default)
    kind = state->dialect->is_private_memory_database(url) ? PoolKind::Static : PoolKind::Queue;
  switch (kind) {
    case PoolKind::Static: state->pool = std::make_unique<StaticPool>(creator, pool_options); break;
    case PoolKind::Null: state->pool = std::make_unique<NullPool>(creator, pool_options); break;
    default: state->pool = std::make_unique<QueuePool>(creator, pool_options); break;
  }
  return Engine(std::move(state));
}

Connection Engine::connect() const {
  PooledConnection pooled = state_->pool->checkout();
  try {
    state_->events.fire_checkout(*pooled.connection);
  } catch (...) {
    state_->pool->checkin(std::move(pooled), false);
    throw;
  }
  return Connection(std::make_shared<ConnectionState>(state_, std::move(pooled)));
}

const Dialect& Engine::dialect() const noexcept { return *state_->dialect; }
const URL& Engine::url() const noexcept { return state_->url; }
Events& Engine::events() const noexcept { return state_->events; }
Pool& Engine::pool() const noexcept { return *state_->pool; }
CompiledCache& Engine::compiled_cache() const noexcept { return state_->cache; }
void Engine::dispose() const { state_->pool->dispose(); }

std::shared_ptr<const Compiled> Engine::compile(const Node& statement) const {
  bool cacheable = state_->options.compiled_cache_size > 0 && !is_ddl_kind(statement.kind());
  if (cacheable) {
    auto key = statement.structure_key();
    if (auto hit = state_->cache.get(key)) return hit;
    auto compiled = std::make_shared<const Compiled>(state_->dialect->statement_compiler()->compile(statement));
    state_->cache.put(key, compiled);
    return compiled;
  }
  return std::make_shared<const Compiled>(state_->dialect->statement_compiler()->compile(statement));
}

}  // namespace retort::core
