// The compiled-statement cache: statement structure -> compiled SQL, least recently used out.
#pragma once

#include <list>
#include <memory>
#include <mutex>
#include <unordered_map>

#include <retort/core/sql/compiler.hpp>
#include <retort/core/sql/node.hpp>

namespace retort::core {

struct StructureKeyHash {
  std::size_t operator()(const StructureKey& k) const noexcept { return k.a ^ (k.b << 1); }
};

class CompiledCache {
 public:
  explicit CompiledCache(std::size_t capacity = 500) : capacity_(capacity) {}
  /// The cached compilation, or null.
  std::shared_ptr<const Compiled> get(const StructureKey& key);
  void put(const StructureKey& key, std::shared_ptr<const Compiled> compiled);
  std::size_t size() const;
  std::size_t capacity() const noexcept { return capacity_; }
  std::size_t hits() const;
  std::size_t misses() const;
  void clear();

 private:
  using Entry = std::pair<StructureKey, std::shared_ptr<const Compiled>>;
  mutable std::mutex mutex_;
  std::size_t capacity_;
  std::list<Entry> order_;  // front = most recently used
  std::unordered_map<StructureKey, std::list<Entry>::iterator, StructureKeyHash> index_;
  std::size_t hits_ = 0, misses_ = 0;
};

}  // namespace retort::core
