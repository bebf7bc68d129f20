// Params: the named values passed to execute(), in the order given.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <retort/core/value.hpp>

namespace retort::core {

class Params {
 public:
  using Item = std::pair<std::string, Value>;
  Params() = default;
  Params(std::initializer_list<Item> items) : items_(items) {}
  explicit Params(std::vector<Item> items) : items_(std::move(items)) {}

  void set(std::string name, Value v);
  /// The value named `name`, or null when absent.
  const Value* find(std::string_view name) const noexcept {
    for (const auto& [k, v] : items_)
      if (k == name) return &v;
    return nullptr;
  }
  const std::vector<Item>& items() const noexcept { return items_; }
  std::size_t size() const noexcept { return items_.size(); }
  bool empty() const noexcept { return items_.empty(); }

 private:
  std::vector<Item> items_;
};

inline void Params::set(std::string name, Value v) {
  for (auto& [k, old] : items_)
    if (k == name) {
      old = std::move(v);
      return;
    }
  items_.emplace_back(std::move(name), std::move(v));
}

}  // namespace retort::core
