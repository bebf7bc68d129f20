#include <retort/core/sql/upsert.hpp>

namespace retort::core {

void OnConflictNode::for_each_child(const std::function<void(const Node&)>& f) const {
  for (const auto& [column, value] : set) f(*value);
  if (where) f(*where);
}

void OnConflictNode::hash_into(Hasher& h) const {
  h.add("upsert").add(duplicate_key ? 1 : 0).add(target.size());
  for (const auto& c : target) h.add(c);
  h.add(set.size());
  for (const auto& [column, value] : set) h.add(column);
  h.add(where != nullptr);
}

void ExcludedNode::hash_into(Hasher& h) const { h.add("excluded").add(column); }

Expr excluded(std::string column) { return Expr(std::make_shared<ExcludedNode>(std::move(column))); }

}  // namespace retort::core
