// Index construction helpers.
#include <retort/core/schema/constraints.hpp>

namespace retort::core {

Index::Index(std::string name_, std::vector<std::string> columns, bool unique_)
    : name(std::move(name_)), unique(unique_) {
  for (auto& c : columns) elements.push_back({std::move(c), std::nullopt});
  if (elements.empty()) throw ArgumentError("Index " + name + " needs at least one column");
}

Index::Index(std::string name_, std::vector<IndexElement> elements_, bool unique_)
    : name(std::move(name_)), elements(std::move(elements_)), unique(unique_) {
  if (elements.empty()) throw ArgumentError("Index " + name + " needs at least one element");
}

Index& Index::where(Expr condition) {
  where_clause = std::move(condition);
  return *this;
}

Index& Index::dialect_option(std::string key, std::string value) {
  dialect_options[std::move(key)] = std::move(value);
  return *this;
}

std::vector<std::string> Index::column_names() const {
  std::vector<std::string> out;
  for (const auto& e : elements)
    if (!e.expression) out.push_back(e.column);
  return out;
}

}  // namespace retort::core
