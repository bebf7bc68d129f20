// Params: a short list searched in order (statements bind a handful of names).
#include <retort/core/sql/params.hpp>

namespace retort::core {

Params::Params(std::initializer_list<Item> items) : items_(items) {}
Params::Params(std::vector<Item> items) : items_(std::move(items)) {}
Params::Params(const Params&) = default;
Params::Params(Params&&) noexcept = default;
Params& Params::operator=(const Params&) = default;
Params& Params::operator=(Params&&) noexcept = default;
Params::~Params() = default;

void Params::set(std::string name, Value v) {
  for (auto& [k, old] : items_)
    if (k == name) {
      old = std::move(v);
      return;
    }
  items_.emplace_back(std::move(name), std::move(v));
}

const Value* Params::find(std::string_view name) const noexcept {
  for (const auto& [k, v] : items_)
    if (k == name) return &v;
  return nullptr;
}

}  // namespace retort::core
