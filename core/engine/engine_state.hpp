// What an Engine's copies and its connections share: the URL, the dialect, the pool, the
// compiled-statement cache, the events and the options. Internal: only the engine's own sources
// include it, so that <retort/core/engine/engine.hpp> stays cheap to include.
#pragma once

#include <memory>

#include <retort/core/dialect.hpp>
#include <retort/core/engine/engine.hpp>
#include <retort/core/engine/events.hpp>
#include <retort/core/engine/pool.hpp>
#include <retort/core/engine/url.hpp>
#include <retort/core/sql/cache.hpp>

namespace retort::core {

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

}  // namespace retort::core
