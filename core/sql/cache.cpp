// LRU cache of compiled statements.
#include <retort/core/sql/cache.hpp>

namespace retort::core {

std::shared_ptr<const Compiled> CompiledCache::get(const StructureKey& key) {
  std::lock_guard lock(mutex_);
  auto it = index_.find(key);
  if (it == index_.end()) {
    ++misses_;
    return nullptr;
  }
  ++hits_;
  order_.splice(order_.begin(), order_, it->second);
  return it->second->second;
}

void CompiledCache::put(const StructureKey& key, std::shared_ptr<const Compiled> compiled) {
  if (capacity_ == 0) return;
  std::lock_guard lock(mutex_);
  auto it = index_.find(key);
  if (it != index_.end()) {
    it->second->second = std::move(compiled);
    order_.splice(order_.begin(), order_, it->second);
    return;
  }
  order_.emplace_front(key, std::move(compiled));
  index_[key] = order_.begin();
  if (order_.size() > capacity_) {
    index_.erase(order_.back().first);
    order_.pop_back();
  }
}

std::size_t CompiledCache::size() const {
  std::lock_guard lock(mutex_);
  return order_.size();
}
std::size_t CompiledCache::hits() const {
  std::lock_guard lock(mutex_);
  return hits_;
}
std::size_t CompiledCache::misses() const {
  std::lock_guard lock(mutex_);
  return misses_;
}
void CompiledCache::clear() {
  std::lock_guard lock(mutex_);
  order_.clear();
  index_.clear();
}

}  // namespace retort::core
