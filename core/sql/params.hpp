// Params: the named values passed to execute(), in the order given.
#pragma once

#include <concepts>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <retort/core/value.hpp>

namespace retort::core {

/// A value given by position, as in execute(stmt, {1, "a"}). Its constructor is a template, which
/// a braced list cannot call: so {{"id", 1}} is never read as one positional value (the string
/// "id" cut to 1 character, as std::string{"id", 1} would be), and execute(insert(t), {{{"id",
/// 1}}}) is a one-row executemany, not an ambiguous call.
struct PositionalValue {
  template <class T>
  requires std::constructible_from<Value, T&&> PositionalValue(T&& v)  // NOLINT: implicit by design
      : value(std::forward<T>(v)) {}
  Value value;
};

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
