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
  // Out of line (params.cpp), like Value's: a program's every translation unit would otherwise
  // compile the vector of pairs' copies and moves.
  Params() = default;
  Params(std::initializer_list<Item> items);
  explicit Params(std::vector<Item> items);
  Params(const Params&);
  Params(Params&&) noexcept;
  Params& operator=(const Params&);
  Params& operator=(Params&&) noexcept;
  ~Params();

  /// Sets `name` to `v`, in place when it is there already.
  void set(std::string name, Value v);
  /// The value named `name`, or null when absent.
  const Value* find(std::string_view name) const noexcept;
  const std::vector<Item>& items() const noexcept { return items_; }
  std::size_t size() const noexcept { return items_.size(); }
  bool empty() const noexcept { return items_.empty(); }

 private:
  std::vector<Item> items_;
};

}  // namespace retort::core
